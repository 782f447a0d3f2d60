//! Reading SQLite values that may have any type, and checking the format's
//! value rules (ISO 8601 dates, JSON objects, Admiralty grades).

use rusqlite::types::ValueRef;

use super::limits::{human_bytes, too_large_reason};

/// One cell as the format sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Text(&'a str),
    InvalidUtf8,
    Integer(i64),
    Real(f64),
    Blob,
    /// The first part of a text too long for its column, cut on a
    /// character boundary; `full_bytes` is the stored text's size.
    Cut {
        text: &'a str,
        full_bytes: u64,
    },
    /// A value too large for its column that was not read at all.
    TooLarge {
        bytes: u64,
        max_bytes: u64,
    },
}

impl<'a> Cell<'a> {
    pub fn from_value(value: ValueRef<'a>) -> Self {
        match value {
            ValueRef::Null => Self::Null,
            ValueRef::Integer(number) => Self::Integer(number),
            ValueRef::Real(number) => Self::Real(number),
            ValueRef::Text(bytes) => {
                std::str::from_utf8(bytes).map_or(Self::InvalidUtf8, Self::Text)
            }
            ValueRef::Blob(_) => Self::Blob,
        }
    }

    /// An id: an integer, or a real/text that is exactly one.
    pub fn as_id(self) -> Result<i64, String> {
        match self {
            Self::Integer(number) => Ok(number),
            Self::Real(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => {
                Ok(number as i64)
            }
            Self::Text(text) => text
                .trim()
                .parse()
                .map_err(|_| format!("is the text {text:?}, not an integer")),
            Self::Null => Err("is NULL".to_owned()),
            Self::TooLarge { bytes, max_bytes } => Err(too_large_reason(bytes, max_bytes)),
            Self::Cut { full_bytes, .. } => Err(format!(
                "is a text of {}, not an integer",
                human_bytes(full_bytes)
            )),
            other => Err(format!("is {}, not an integer", other.describe())),
        }
    }

    /// Text for display; numbers are shown as written. `Err` says why not.
    pub fn as_text(self) -> Result<Option<std::borrow::Cow<'a, str>>, String> {
        match self {
            Self::Null => Ok(None),
            Self::Text(text) | Self::Cut { text, .. } => Ok(Some(text.into())),
            Self::TooLarge { bytes, max_bytes } => Err(too_large_reason(bytes, max_bytes)),
            Self::Integer(number) => Ok(Some(number.to_string().into())),
            Self::Real(number) => Ok(Some(number.to_string().into())),
            Self::InvalidUtf8 | Self::Blob => Err(format!("is {}, not text", self.describe())),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Null => "NULL",
            Self::Text(_) | Self::Cut { .. } => "text",
            Self::TooLarge { .. } => "a value too large to read",
            Self::InvalidUtf8 => "text that is not valid UTF-8",
            Self::Integer(_) => "an integer",
            Self::Real(_) => "a real number",
            Self::Blob => "a blob",
        }
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a real month and day.
pub fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let slice = bytes.get(range)?;
        if slice.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(slice).ok()?.parse().ok()
        } else {
            None
        }
    };
    let Some(year) = digits(0..4) else {
        return false;
    };
    match bytes.len() {
        4 => true,
        7 => bytes[4] == b'-' && digits(5..7).is_some_and(|month| (1..=12).contains(&month)),
        10 => {
            let (Some(month), Some(day)) = (digits(5..7), digits(8..10)) else {
                return false;
            };
            bytes[4] == b'-'
                && bytes[7] == b'-'
                && (1..=12).contains(&month)
                && day >= 1
                && day <= days_in_month(year, month)
        }
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `properties` must be a JSON object; returns why not.
pub fn check_properties(text: &str) -> Result<(), String> {
    if !text.trim_start().starts_with('{') {
        return Err("is not a JSON object".to_owned());
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(|_| ())
        .map_err(|error| format!("is not valid JSON ({error})"))
}

/// Admiralty source reliability, 'A'..'F'.
pub fn is_reliability_grade(text: &str) -> bool {
    matches!(text, "A" | "B" | "C" | "D" | "E" | "F")
}

/// Admiralty information credibility, '1'..'6'.
pub fn is_credibility_grade(text: &str) -> bool {
    matches!(text, "1" | "2" | "3" | "4" | "5" | "6")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_accept_the_three_forms_and_nothing_else() {
        for good in ["2024", "2024-03", "2024-03-05", "2024-02-29", "2000-02-29"] {
            assert!(is_iso_date(good), "{good}");
        }
        for bad in [
            "",
            "24",
            "2024-13",
            "2024-00",
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "March 5, 2024",
            "2024/03/05",
            "2024-3-5",
            "２０２４",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn properties_must_be_a_json_object() {
        assert!(check_properties(r#"{"role": "ambassador"}"#).is_ok());
        assert!(check_properties("[1, 2]").is_err());
        assert!(check_properties("{not json").is_err());
    }

    #[test]
    fn ids_accept_integral_values_only() {
        assert_eq!(Cell::Integer(7).as_id(), Ok(7));
        assert_eq!(Cell::Real(7.0).as_id(), Ok(7));
        assert_eq!(Cell::Text("12").as_id(), Ok(12));
        assert!(Cell::Real(7.5).as_id().is_err());
        assert!(Cell::Null.as_id().is_err());
        assert!(Cell::Blob.as_id().is_err());
    }
}
