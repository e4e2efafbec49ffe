//! How figures and dates read in the documents: grouped thousands, a real
//! minus sign, abbreviated money for tiles and charts, English month names.

use crate::model::date::split_month;
use crate::model::{Date, MonthIndex};

const MONTHS: [&str; 12] = [
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

/// The typographic minus sign, which lines up with the digits in tables.
const MINUS: char = '\u{2212}';

/// `30 June 2025`.
pub fn long_date(date: Date) -> String {
    let (y, m, d) = date.ymd();
    format!("{d} {} {y}", MONTHS[m as usize - 1])
}

/// `June 2025`.
pub fn month_year(month: MonthIndex) -> String {
    let (y, m) = split_month(month);
    format!("{} {y}", MONTHS[m as usize - 1])
}

/// `Jun 25`, for chart axes.
pub fn short_month(month: MonthIndex) -> String {
    let (y, m) = split_month(month);
    format!("{} {:02}", &MONTHS[m as usize - 1][..3], y.rem_euclid(100))
}

/// A number rounded to `decimals`, thousands grouped with commas:
/// `1,234,567.9`, `−42`.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) =
        text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 1);
    // "-0" after rounding is zero, not negative.
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push(MINUS);
    }
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Money without decimals: `1,234,568`.
pub fn money(value: f64) -> String {
    number(value, 0)
}

/// Money abbreviated for tiles and charts: `1.23M`, `456k`, `980`.
pub fn money_short(value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (value / 1e9, "bn")
    } else if magnitude >= 1e6 {
        (value / 1e6, "M")
    } else if magnitude >= 1e4 {
        (value / 1e3, "k")
    } else {
        return number(value, 0);
    };
    let decimals = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{}{suffix}", number(scaled, decimals))
}

/// A ratio as a percentage: 0.1234 → `12.3%`.
pub fn percent(ratio: f64, decimals: usize) -> String {
    format!("{}%", number(ratio * 100.0, decimals))
}

/// A change as a signed percentage: 0.05 → `+5.0%`, −0.2 → `−20.0%`.
pub fn change(ratio: f64) -> String {
    let text = percent(ratio, 1);
    if ratio > 0.0 && !text.starts_with(MINUS) && text != "0.0%" {
        format!("+{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_and_use_a_minus_sign() {
        assert_eq!(number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(number(-1234.0, 0), "\u{2212}1,234");
        assert_eq!(number(-0.004, 2), "0.00");
        assert_eq!(number(999.5, 0), "1,000");
        assert_eq!(number(12.0, 0), "12");
    }

    #[test]
    fn money_is_abbreviated_for_tiles() {
        assert_eq!(money_short(1_234_567.0), "1.23M");
        assert_eq!(money_short(456_000.0), "456k");
        assert_eq!(money_short(45_600.0), "45.6k");
        assert_eq!(money_short(9_800.0), "9,800");
        assert_eq!(money_short(-2_500_000.0), "\u{2212}2.50M");
        assert_eq!(money_short(3.2e9), "3.20bn");
    }

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(change(0.05), "+5.0%");
        assert_eq!(change(-0.2), "\u{2212}20.0%");
        assert_eq!(change(0.0), "0.0%");
    }

    #[test]
    fn dates_read_in_english() {
        let d = Date::from_ymd(2025, 6, 30).unwrap();
        assert_eq!(long_date(d), "30 June 2025");
        assert_eq!(month_year(d.month_index()), "June 2025");
        assert_eq!(short_month(d.month_index()), "Jun 25");
    }
}
