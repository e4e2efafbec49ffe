//! Detecting a file's dialect from a sample of its lines and values.
//! Pure functions: they see text, never files.

use super::text::{Fields, split_line};
use crate::config::dialect::{DateFormat, DateOrder, Decimal};

/// How a dialect setting was decided, for the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Set in `kamplan.toml` or on the command line.
    Configured,
    /// Unambiguous in the data.
    Detected,
    /// The data did not decide; the usual convention was assumed.
    Assumed,
}

impl Decided {
    pub fn label(self) -> &'static str {
        match self {
            Decided::Configured => "configured",
            Decided::Detected => "detected",
            Decided::Assumed => "assumed",
        }
    }
}

const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// The delimiter that splits the header and the sample lines into the same
/// number of fields (more than one) most consistently; ties go to more fields.
pub fn detect_delimiter(header: &str, lines: &[&str]) -> Option<u8> {
    let mut fields = Fields::default();
    let mut best: Option<(usize, usize, u8)> = None;
    for delimiter in DELIMITERS {
        let width = split_line(header, delimiter, &mut fields).map_or(0, |s| s.len());
        if width < 2 {
            continue;
        }
        let agreeing = lines
            .iter()
            .filter(|line| split_line(line, delimiter, &mut fields).is_ok_and(|s| s.len() == width))
            .count();
        let score = (agreeing, width, delimiter);
        if best.is_none_or(|b| (score.0, score.1) > (b.0, b.1)) {
            best = Some(score);
        }
    }
    best.map(|(_, _, d)| d)
}

/// Which separator is the decimal one, from sample numbers. A value with both
/// `.` and `,` decides by the last one; a separator followed by other than
/// three digits, or repeated, decides too. Values like `1.234` are ambiguous.
/// With no evidence, a `;`-delimited file is taken to use the decimal comma
/// (the European convention that made it choose `;`), any other the decimal point.
pub fn detect_decimal<'a>(
    values: impl IntoIterator<Item = &'a str>,
    delimiter: u8,
) -> (Decimal, Decided) {
    let (mut comma, mut dot) = (0usize, 0usize);
    for value in values {
        let v = value.trim();
        let last_comma = v.rfind(',');
        let last_dot = v.rfind('.');
        match (last_comma, last_dot) {
            (Some(c), Some(d)) => {
                if c > d {
                    comma += 1
                } else {
                    dot += 1
                }
            }
            (Some(c), None) => {
                if v.matches(',').count() > 1 {
                    dot += 1
                } else if digits_after(v, c) != 3 {
                    comma += 1
                }
            }
            (None, Some(d)) => {
                if v.matches('.').count() > 1 {
                    comma += 1
                } else if digits_after(v, d) != 3 {
                    dot += 1
                }
            }
            (None, None) => {}
        }
    }
    match (comma > 0, dot > 0) {
        (true, false) => (Decimal::Comma, Decided::Detected),
        (false, true) => (Decimal::Dot, Decided::Detected),
        (true, true) => {
            (if comma >= dot { Decimal::Comma } else { Decimal::Dot }, Decided::Assumed)
        }
        (false, false) => {
            (if delimiter == b';' { Decimal::Comma } else { Decimal::Dot }, Decided::Assumed)
        }
    }
}

fn digits_after(value: &str, separator_at: usize) -> usize {
    value[separator_at + 1..].bytes().take_while(u8::is_ascii_digit).count()
}

/// Why no date format could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateDetection {
    /// No candidate format reads the sample values.
    Unknown { examples: Vec<String> },
    /// Day-first and month-first both read every sample value.
    Ambiguous { examples: Vec<String> },
}

/// The date format that reads the most sample values. Day-first and
/// month-first are told apart only by a value with a day above 12; when none
/// has one, detection refuses to guess.
pub fn detect_date_format<'a>(
    values: impl IntoIterator<Item = &'a str>,
) -> Result<DateFormat, DateDetection> {
    let values: Vec<&str> =
        values.into_iter().map(str::trim).filter(|v| !v.is_empty()).take(5000).collect();
    let examples = || values.iter().take(3).map(|v| v.to_string()).collect::<Vec<_>>();
    let mut candidates = vec![DateFormat::ISO];
    for separator in [b'/', b'.', b'-'] {
        for order in [DateOrder::DayMonthYear, DateOrder::MonthDayYear] {
            candidates.push(DateFormat { order, separator });
        }
    }
    candidates.push(DateFormat { order: DateOrder::YearMonthDay, separator: b'/' });
    let readable = |f: &DateFormat| values.iter().filter(|v| f.parse(v).is_some()).count();
    let scored: Vec<(DateFormat, usize)> = candidates.iter().map(|f| (*f, readable(f))).collect();
    let best = scored.iter().map(|s| s.1).max().unwrap_or(0);
    if best == 0 {
        return Err(DateDetection::Unknown { examples: examples() });
    }
    let winners: Vec<DateFormat> = scored.iter().filter(|s| s.1 == best).map(|s| s.0).collect();
    match winners.as_slice() {
        [only] => Ok(*only),
        _ => Err(DateDetection::Ambiguous { examples: examples() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_consistent_delimiter() {
        let header = "Data;Cliente;Importo";
        let lines = ["01/02/2025;C1;1.234,56", "02/02/2025;C2;12,00"];
        assert_eq!(detect_delimiter(header, &lines), Some(b';'));
        assert_eq!(detect_delimiter("a,b,c", &["1,\"x;y\",3"]), Some(b','));
        assert_eq!(detect_delimiter("a\tb", &["1\t2"]), Some(b'\t'));
        assert_eq!(detect_delimiter("single", &["1"]), None);
    }

    #[test]
    fn decides_the_decimal_separator() {
        assert_eq!(detect_decimal(["1.234,56", "12"], b';'), (Decimal::Comma, Decided::Detected));
        assert_eq!(detect_decimal(["1,234.56"], b','), (Decimal::Dot, Decided::Detected));
        assert_eq!(detect_decimal(["12,5"], b'\t'), (Decimal::Comma, Decided::Detected));
        assert_eq!(detect_decimal(["1,234,567"], b'\t'), (Decimal::Dot, Decided::Detected));
        assert_eq!(detect_decimal(["1.234", "12"], b';'), (Decimal::Comma, Decided::Assumed));
        assert_eq!(detect_decimal(["1.234"], b','), (Decimal::Dot, Decided::Assumed));
    }

    #[test]
    fn detects_dates_where_unambiguous() {
        let f = detect_date_format(["03/01/2025", "25/01/2025"]).unwrap();
        assert_eq!(f.to_string(), "dd/mm/yyyy");
        let f = detect_date_format(["01/25/2025", "03/01/2025"]).unwrap();
        assert_eq!(f.to_string(), "mm/dd/yyyy");
        assert_eq!(detect_date_format(["2025-01-03"]).unwrap(), DateFormat::ISO);
        assert_eq!(
            detect_date_format(["3.1.2025", "13.1.2025"]).unwrap().to_string(),
            "dd.mm.yyyy"
        );
        assert!(matches!(detect_date_format(["03/01/2025"]), Err(DateDetection::Ambiguous { .. })));
        assert!(matches!(detect_date_format(["Jan 3"]), Err(DateDetection::Unknown { .. })));
    }
}

/// The number and date formats of a source, and how each was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueFormatChoice {
    pub decimal: (Decimal, Decided),
    pub date: (DateFormat, Decided),
}

/// Decides the number and date formats of a source from its settings and
/// sample values, or says which setting the user must give.
pub fn decide_value_format<'a>(
    spec: &crate::config::dialect::DialectSpec,
    delimiter: u8,
    numbers: impl IntoIterator<Item = &'a str>,
    dates: impl IntoIterator<Item = &'a str>,
    table: &str,
) -> Result<ValueFormatChoice, String> {
    use crate::config::dialect::Setting;
    let decimal = match spec.decimal {
        Setting::Given(d) => (d, Decided::Configured),
        Setting::Auto => detect_decimal(numbers, delimiter),
    };
    let date = match spec.date_format {
        Setting::Given(f) => (f, Decided::Configured),
        Setting::Auto => {
            let dates: Vec<&str> = dates.into_iter().collect();
            if dates.iter().all(|d| d.trim().is_empty()) {
                (DateFormat::ISO, Decided::Assumed)
            } else {
                match detect_date_format(dates) {
                    Ok(f) => (f, Decided::Detected),
                    Err(DateDetection::Ambiguous { examples }) => {
                        return Err(format!(
                            "dates such as {} read both day-first and month-first; say which with date_format = \"dd/mm/yyyy\" or \"mm/dd/yyyy\" in [{table}]",
                            quoted(&examples)
                        ));
                    }
                    Err(DateDetection::Unknown { examples }) => {
                        return Err(format!(
                            "cannot tell the date format of values such as {}; set date_format in [{table}] to one of {}",
                            quoted(&examples),
                            DateFormat::NAMES.join(", ")
                        ));
                    }
                }
            }
        }
    };
    Ok(ValueFormatChoice { decimal, date })
}

fn quoted(values: &[String]) -> String {
    values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ")
}
