//! Calendar dates as a day count, with the month arithmetic the period rules need.
//!
//! A `Date` is the number of days since 1970-01-01 (proleptic Gregorian). It is
//! `Copy`, orders naturally and subtracts to a day count; conversions use the
//! civil-from-days algorithm (H. Hinnant), so no date library is needed on the
//! hot path of reading millions of lines.

use std::fmt;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// A calendar month as `year * 12 + (month - 1)`: consecutive months are consecutive integers.
pub type MonthIndex = i32;

impl Date {
    /// Builds a date, or `None` when the day does not exist (31/02, month 13, …).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1..=9999).contains(&year) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    pub fn month(self) -> u32 {
        self.ymd().1
    }

    pub fn day(self) -> u32 {
        self.ymd().2
    }

    /// The month this date falls in.
    pub fn month_index(self) -> MonthIndex {
        let (y, m, _) = self.ymd();
        y * 12 + m as i32 - 1
    }

    /// First day of the given month.
    pub fn first_of_month(month: MonthIndex) -> Date {
        let (y, m) = split_month(month);
        Date(days_from_civil(y, m, 1))
    }

    /// Last day of the given month.
    pub fn last_of_month(month: MonthIndex) -> Date {
        let (y, m) = split_month(month);
        Date(days_from_civil(y, m, days_in_month(y, m)))
    }

    /// Parses an ISO `YYYY-MM-DD` date.
    pub fn parse_iso(text: &str) -> Option<Date> {
        Date::parse_iso_explained(text).ok()
    }

    /// Parses an ISO `YYYY-MM-DD` date, or says what is wrong with the text:
    /// not written so, a month that does not exist, a day past the month's
    /// end ("there is no day 30 in February 2025, which has 28 days").
    pub fn parse_iso_explained(text: &str) -> Result<Date, String> {
        let shape = || "expected a date written YYYY-MM-DD".to_string();
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(shape());
        }
        let (Some(year), Some(month), Some(day)) =
            (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10]))
        else {
            return Err(shape());
        };
        let year = year as i32;
        if !(1..=9999).contains(&year) {
            return Err(format!("year {year:04} is out of range; expected 0001 to 9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month:02}; expected 01 to 12"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            let name = MONTH_NAMES[month as usize - 1];
            return Err(format!(
                "there is no day {day:02} in {name} {year}, which has {last} days"
            ));
        }
        Date::from_ymd(year, month, day).ok_or_else(shape)
    }
}

/// English month names, for messages about dates and English documents.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Year and month (1–12) of a month index.
pub fn split_month(month: MonthIndex) -> (i32, u32) {
    (month.div_euclid(12), month.rem_euclid(12) as u32 + 1)
}

/// Formats a month index as `YYYY-MM`.
pub fn format_month(month: MonthIndex) -> String {
    let (y, m) = split_month(month);
    format!("{y:04}-{m:02}")
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl std::ops::Sub for Date {
    type Output = i32;
    fn sub(self, other: Date) -> i32 {
        self.0 - other.0
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses a run of ASCII digits (at most 9) into a number.
pub(crate) fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes
        .iter()
        .try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
}

fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let start = Date::from_ymd(1900, 1, 1).unwrap().days();
        let end = Date::from_ymd(2300, 12, 31).unwrap().days();
        for d in start..=end {
            let (y, m, day) = Date::from_days(d).ymd();
            assert_eq!(Date::from_ymd(y, m, day).unwrap().days(), d);
        }
    }

    #[test]
    fn rejects_impossible_days() {
        assert!(Date::from_ymd(2025, 2, 29).is_none());
        assert!(Date::from_ymd(2024, 2, 29).is_some());
        assert!(Date::from_ymd(2025, 2, 31).is_none());
        assert!(Date::from_ymd(2025, 13, 1).is_none());
        assert!(Date::from_ymd(1900, 2, 29).is_none());
        assert!(Date::from_ymd(2000, 2, 29).is_some());
    }

    #[test]
    fn explains_why_a_date_is_refused() {
        let why = |text: &str| Date::parse_iso_explained(text).unwrap_err();
        assert_eq!(why("2025-02-30"), "there is no day 30 in February 2025, which has 28 days");
        assert_eq!(why("2024-04-31"), "there is no day 31 in April 2024, which has 30 days");
        assert_eq!(why("2025-13-01"), "there is no month 13; expected 01 to 12");
        assert_eq!(why("0000-01-01"), "year 0000 is out of range; expected 0001 to 9999");
        assert_eq!(why("2025-2-3"), "expected a date written YYYY-MM-DD");
        assert_eq!(why("2025-0a-01"), "expected a date written YYYY-MM-DD");
        assert_eq!(Date::parse_iso_explained("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn month_bounds() {
        let d = Date::from_ymd(2024, 2, 10).unwrap();
        assert_eq!(Date::last_of_month(d.month_index()).to_string(), "2024-02-29");
        assert_eq!(Date::first_of_month(d.month_index() - 2).to_string(), "2023-12-01");
        assert_eq!(format_month(d.month_index() + 11), "2025-01");
    }
}
