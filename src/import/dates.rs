//! Dates from other tools, made into the format's ISO 8601 forms
//! (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`): a partial date stays partial, so it
//! is kept as the range it names.

use crate::store::is_iso_date;

/// The format's date for `text`: an ISO date as is, a date-time cut to its
/// date (`2021-08-03T10:00:00Z` → `2021-08-03`), surrounding spaces
/// trimmed. None for anything else (`0000-00-00`, `99999-01-01`, `soon`):
/// the caller notes it.
pub fn iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = match text.find(['T', ' ']) {
        Some(cut) if cut == 10 => &text[..cut],
        _ => text,
    };
    // Year 0000 is not a date anyone means.
    (is_iso_date(date) && !date.starts_with("0000")).then(|| date.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_and_date_times_are_kept_and_nonsense_is_not() {
        assert_eq!(iso_date("2021").as_deref(), Some("2021"));
        assert_eq!(iso_date(" 2021-08 ").as_deref(), Some("2021-08"));
        assert_eq!(
            iso_date("2021-08-03T10:00:00Z").as_deref(),
            Some("2021-08-03")
        );
        assert_eq!(iso_date("2021-08-03 10:00").as_deref(), Some("2021-08-03"));
        assert_eq!(iso_date("0000-00-00"), None);
        assert_eq!(iso_date("99999-01-01"), None);
        assert_eq!(iso_date("2021-02-30"), None);
        assert_eq!(iso_date(""), None);
    }
}
