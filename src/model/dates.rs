//! Dates as the format writes them (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) turned
//! into spans of days, so that date filters and the timeline compare
//! integers instead of strings. A year is the span of its days, a month
//! likewise: "2024" is in a window that holds any day of 2024.

/// Days since 1970-01-01 (negative before), proleptic Gregorian calendar.
pub type Day = i32;

/// A closed span of days, `start ..= end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DaySpan {
    pub start: Day,
    pub end: Day,
}

impl DaySpan {
    /// "No date": a span that meets no window.
    pub const NONE: Self = Self {
        start: Day::MAX,
        end: Day::MIN,
    };

    pub fn is_none(self) -> bool {
        self.start > self.end
    }

    /// Whether the two spans share a day.
    pub fn meets(self, other: Self) -> bool {
        !self.is_none() && !other.is_none() && self.start <= other.end && other.start <= self.end
    }

    /// The span from the start of `start` to the end of `end`; either may be
    /// missing (then the other alone), or both (then [`Self::NONE`]). A
    /// reversed pair is read as written the other way round.
    pub fn between(start: Option<Self>, end: Option<Self>) -> Self {
        match (start, end) {
            (Some(a), Some(b)) => Self {
                start: a.start.min(b.start),
                end: a.end.max(b.end),
            },
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => Self::NONE,
        }
    }
}

/// The days an ISO 8601 date names, or None when `text` is not one of the
/// three forms the format allows.
pub fn parse_span(text: &str) -> Option<DaySpan> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let slice = bytes.get(range)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        slice.iter().try_fold(0_u32, |value, digit| {
            Some(value * 10 + u32::from(digit - b'0'))
        })
    };
    let year = number(0..4)? as i32;
    match bytes.len() {
        4 => Some(DaySpan {
            start: days_from_civil(year, 1, 1),
            end: days_from_civil(year, 12, 31),
        }),
        7 if bytes[4] == b'-' => {
            let month = number(5..7).filter(|month| (1..=12).contains(month))?;
            Some(DaySpan {
                start: days_from_civil(year, month, 1),
                end: days_from_civil(year, month, days_in_month(year, month)),
            })
        }
        10 if bytes[4] == b'-' && bytes[7] == b'-' => {
            let month = number(5..7).filter(|month| (1..=12).contains(month))?;
            let day = number(8..10).filter(|&day| day >= 1 && day <= days_in_month(year, month))?;
            let day = days_from_civil(year, month, day);
            Some(DaySpan {
                start: day,
                end: day,
            })
        }
        _ => None,
    }
}

/// The first day of an ISO date (`2024` → 2024-01-01), for a window's start.
pub fn parse_first_day(text: &str) -> Option<Day> {
    parse_span(text.trim()).map(|span| span.start)
}

/// The last day of an ISO date (`2024` → 2024-12-31), for a window's end.
pub fn parse_last_day(text: &str) -> Option<Day> {
    parse_span(text.trim()).map(|span| span.end)
}

/// `YYYY-MM-DD` of a day.
pub fn format_day(day: Day) -> String {
    let (year, month, day) = civil_from_days(day);
    format!("{year:04}-{month:02}-{day:02}")
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's `days_from_civil`: exact for every year in range.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Day {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = month as i32;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day as i32 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
pub fn civil_from_days(days: Day) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_unix_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        // 2024-03-05 is 19,787 days after 1970-01-01 (date -d 2024-03-05 +%s / 86400).
        assert_eq!(days_from_civil(2024, 3, 5), 19_787);
        for day in [-800_000, -1, 0, 59, 60, 19_787, 2_000_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(format_day(19_787), "2024-03-05");
    }

    #[test]
    fn years_and_months_are_spans_of_days() {
        let year = parse_span("2024").unwrap();
        assert_eq!(format_day(year.start), "2024-01-01");
        assert_eq!(format_day(year.end), "2024-12-31");
        let february = parse_span("2024-02").unwrap();
        assert_eq!(format_day(february.end), "2024-02-29");
        let day = parse_span("2024-03-05").unwrap();
        assert_eq!(day.start, day.end);
        for bad in [
            "",
            "24",
            "2024-13",
            "2023-02-29",
            "2024/03/05",
            "２０２４",
            "2024-3-5",
        ] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
    }

    #[test]
    fn spans_meet_when_they_share_a_day() {
        let march = parse_span("2024-03").unwrap();
        let fifth = parse_span("2024-03-05").unwrap();
        let april = parse_span("2024-04").unwrap();
        assert!(march.meets(fifth));
        assert!(!march.meets(april));
        assert!(!DaySpan::NONE.meets(march));
        let both = DaySpan::between(Some(fifth), Some(april));
        assert!(both.meets(march) && both.meets(april));
        assert_eq!(DaySpan::between(None, Some(fifth)), fifth);
    }
}
