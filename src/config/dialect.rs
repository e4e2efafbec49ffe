//! How a file is written: delimiter, decimal separator, date format, encoding.
//! Each setting is either given in `kamplan.toml` or detected from the file.

use crate::model::Date;
use std::fmt;

/// A dialect setting that may be left to detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Setting<T> {
    #[default]
    Auto,
    Given(T),
}

/// Text encoding of a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        })
    }
}

/// Decimal separator of numbers; the other of `.` and `,` is then the thousands separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decimal {
    Dot,
    Comma,
}

impl Decimal {
    pub fn separator(self) -> u8 {
        match self {
            Decimal::Dot => b'.',
            Decimal::Comma => b',',
        }
    }

    pub fn thousands(self) -> u8 {
        match self {
            Decimal::Dot => b',',
            Decimal::Comma => b'.',
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decimal::Dot => "decimal point (1,234.56)",
            Decimal::Comma => "decimal comma (1.234,56)",
        })
    }
}

/// Order of the parts of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    YearMonthDay,
    DayMonthYear,
    MonthDayYear,
}

/// A date format such as `dd/mm/yyyy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateFormat {
    pub order: DateOrder,
    pub separator: u8,
}

impl DateFormat {
    pub const ISO: DateFormat = DateFormat { order: DateOrder::YearMonthDay, separator: b'-' };

    /// Every format `date_format` accepts, by name.
    pub const NAMES: &'static [&'static str] =
        &["yyyy-mm-dd", "dd/mm/yyyy", "dd.mm.yyyy", "dd-mm-yyyy", "mm/dd/yyyy", "yyyy/mm/dd"];

    pub fn from_name(name: &str) -> Option<DateFormat> {
        let lower = name.trim().to_ascii_lowercase();
        let order = if lower.starts_with("yyyy") {
            DateOrder::YearMonthDay
        } else if lower.starts_with("dd") {
            DateOrder::DayMonthYear
        } else if lower.starts_with("mm") {
            DateOrder::MonthDayYear
        } else {
            return None;
        };
        let separator =
            *lower.as_bytes().get(if order == DateOrder::YearMonthDay { 4 } else { 2 })?;
        let format = DateFormat { order, separator };
        (format.to_string() == lower).then_some(format)
    }

    /// Parses a date in this format. Day and month may lack their leading zero;
    /// a time after the date (`2025-01-31 00:00:00`, `…T08:30`) is ignored, as
    /// ERP exports often add one.
    ///
    /// ```
    /// use kamplan::config::dialect::DateFormat;
    /// let italian = DateFormat::from_name("dd/mm/yyyy").unwrap();
    /// assert_eq!(italian.parse("4/3/2025").unwrap().to_string(), "2025-03-04");
    /// assert!(italian.parse("31/02/2025").is_none());
    /// ```
    pub fn parse(self, text: &str) -> Option<Date> {
        let (y, m, d) = self.parse_parts(text)?;
        Date::from_ymd(y, m, d)
    }

    /// Year, month and day as written, before checking that the day exists.
    pub fn parse_parts(self, text: &str) -> Option<(i32, u32, u32)> {
        let digits = crate::model::date::digits;
        let b = text.as_bytes();
        // Fast path for the common fixed-width forms (2025-03-04, 04/03/2025).
        if b.len() == 10 {
            let sep = self.separator;
            let parts = match self.order {
                DateOrder::YearMonthDay if b[4] == sep && b[7] == sep => {
                    Some((&b[0..4], &b[5..7], &b[8..10]))
                }
                DateOrder::DayMonthYear if b[2] == sep && b[5] == sep => {
                    Some((&b[6..10], &b[3..5], &b[0..2]))
                }
                DateOrder::MonthDayYear if b[2] == sep && b[5] == sep => {
                    Some((&b[6..10], &b[0..2], &b[3..5]))
                }
                _ => None,
            };
            if let Some((y, m, d)) = parts {
                return Some((digits(y)? as i32, digits(m)?, digits(d)?));
            }
        }
        let date_part = text.trim().split([' ', 'T']).next()?;
        let mut parts = date_part.split(self.separator as char);
        let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let (y, m, d) = match self.order {
            DateOrder::YearMonthDay => (a, b, c),
            DateOrder::DayMonthYear => (c, b, a),
            DateOrder::MonthDayYear => (c, a, b),
        };
        if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
            return None;
        }
        Some((digits(y.as_bytes())? as i32, digits(m.as_bytes())?, digits(d.as_bytes())?))
    }
}

impl fmt::Display for DateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.separator as char;
        match self.order {
            DateOrder::YearMonthDay => write!(f, "yyyy{s}mm{s}dd"),
            DateOrder::DayMonthYear => write!(f, "dd{s}mm{s}yyyy"),
            DateOrder::MonthDayYear => write!(f, "mm{s}dd{s}yyyy"),
        }
    }
}

/// What to do with a sales line that cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OnBadRow {
    /// Write it to `rejects.csv`, count it, and go on.
    #[default]
    Reject,
    /// Stop at the first one.
    Fail,
}

/// The dialect settings of one source, as configured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DialectSpec {
    pub encoding: Setting<Encoding>,
    pub delimiter: Setting<u8>,
    pub decimal: Setting<Decimal>,
    pub date_format: Setting<DateFormat>,
    /// Worksheet of a workbook; the first sheet when not given.
    pub sheet: Option<String>,
    /// 1-based line (row, in a workbook) of the header, for files whose
    /// title lines detection cannot tell from the header; found when `None`.
    pub header_row: Option<u64>,
    /// `float_amounts = "round"`: money in a typed file's floating-point
    /// column is taken rounded to 4 decimals instead of refused (a binary
    /// float cannot hold most cents, so the ERP's exact figure is unknown).
    pub round_float_amounts: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_supported_formats() {
        let d =
            |f: &str, t: &str| DateFormat::from_name(f).unwrap().parse(t).map(|d| d.to_string());
        assert_eq!(d("yyyy-mm-dd", "2025-03-04").as_deref(), Some("2025-03-04"));
        assert_eq!(d("dd/mm/yyyy", "04/03/2025").as_deref(), Some("2025-03-04"));
        assert_eq!(d("dd.mm.yyyy", "4.3.2025").as_deref(), Some("2025-03-04"));
        assert_eq!(d("mm/dd/yyyy", "03/04/2025").as_deref(), Some("2025-03-04"));
        assert_eq!(d("yyyy-mm-dd", "2025-03-04 00:00:00").as_deref(), Some("2025-03-04"));
        assert_eq!(d("dd/mm/yyyy", "31/02/2025"), None);
        assert_eq!(d("dd/mm/yyyy", "2025-03-04"), None);
        assert_eq!(d("dd/mm/yyyy", "04/03/25"), None);
        assert!(DateFormat::from_name("dd/mm/yy").is_none());
    }
}
