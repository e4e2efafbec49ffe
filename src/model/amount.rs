//! Exact money and quantities: signed fixed point with four decimal places.
//!
//! Sums of floating-point money drift (ten 0.1s make 0.9999999999999999) and a
//! customer can then land on the wrong side of a class bound. Every amount read
//! from the data is kept as an integer count of ten-thousandths, so sums and
//! rankings are exact and an auditor adding the same lines gets the same cents.

use std::fmt;

/// Decimal places kept for amounts read from the data.
pub const SCALE_DIGITS: u32 = 4;
/// `10^SCALE_DIGITS`.
pub const SCALE: i64 = 10_000;

/// An exact decimal amount (money or quantity), in units of 1/10 000.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// An amount from its count of ten-thousandths.
    pub const fn from_units(units: i64) -> Amount {
        Amount(units)
    }

    /// A whole amount.
    pub const fn from_int(value: i64) -> Amount {
        Amount(value * SCALE)
    }

    /// A whole amount, or `None` beyond the exact range.
    pub fn checked_from_int(value: i64) -> Option<Amount> {
        value.checked_mul(SCALE).map(Amount)
    }

    pub fn units(self) -> i64 {
        self.0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The nearest amount to a float, rounding half away from zero at the fourth
    /// decimal. Spreadsheet cells hold binary floats, so 12.3 arrives as
    /// 12.300000000000001; this recovers the decimal the user typed.
    pub fn from_f64_rounded(value: f64) -> Option<Amount> {
        let scaled = (value * SCALE as f64).round();
        (scaled.is_finite() && scaled.abs() < 9.0e18).then_some(Amount(scaled as i64))
    }

    /// The amount `unscaled / 10^scale`, exactly: a typed decimal (Parquet's
    /// DECIMAL, an integer at scale 0). More than four decimals that are not
    /// zeros, or a value beyond the range, is an error, as in text.
    pub fn from_decimal(unscaled: i128, scale: u32) -> Result<Amount, NumberError> {
        let units = decimal_units(unscaled, scale)?;
        i64::try_from(units).map(Amount).map_err(|_| NumberError::TooLarge)
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// Parses a plain decimal such as `-1234.5` (dot decimal separator, no grouping).
    pub fn parse_plain(text: &str) -> Option<Amount> {
        parse_number(text, b'.', None).ok()
    }
}

// Wrapping: sums are kept in range by the ledger's per-customer check, which
// stops the run with an error rather than let a wrapped figure through.
impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, other: Amount) -> Amount {
        Amount(self.0.wrapping_add(other.0))
    }
}

impl std::ops::AddAssign for Amount {
    fn add_assign(&mut self, other: Amount) {
        self.0 = self.0.wrapping_add(other.0);
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, other: Amount) -> Amount {
        Amount(self.0 - other.0)
    }
}

impl std::ops::Neg for Amount {
    type Output = Amount;
    fn neg(self) -> Amount {
        Amount(-self.0)
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, |a, b| a + b)
    }
}

/// Plain decimal notation with at least two decimals and no grouping: `1234.50`,
/// `-0.05`, `12.3456`. This is the number format of `portfolio.csv`.
impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / SCALE as u64;
        let (mut frac, mut digits) = (abs % SCALE as u64, SCALE_DIGITS as usize);
        while digits > 2 && frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        write!(f, "{sign}{whole}.{frac:0digits$}")
    }
}

/// Why a number could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    NotANumber,
    MisplacedGrouping,
    TooManyDecimals,
    TooLarge,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberError::Empty => "empty",
            NumberError::NotANumber => "not a number",
            NumberError::MisplacedGrouping => "thousands separator in the wrong place",
            NumberError::TooManyDecimals => "more than 4 decimal places",
            NumberError::TooLarge => "number too large",
        })
    }
}

/// `unscaled / 10^scale` in units of 1/10 000, when it has at most four
/// decimals (trailing zeros aside) and fits 128 bits.
pub fn decimal_units(unscaled: i128, scale: u32) -> Result<i128, NumberError> {
    if scale <= SCALE_DIGITS {
        return 10i128
            .checked_pow(SCALE_DIGITS - scale)
            .and_then(|f| unscaled.checked_mul(f))
            .ok_or(NumberError::TooLarge);
    }
    match 10i128.checked_pow(scale - SCALE_DIGITS) {
        Some(divisor) if unscaled % divisor == 0 => Ok(unscaled / divisor),
        Some(_) => Err(NumberError::TooManyDecimals),
        // A scale beyond 38 digits: only zero is exact at four decimals.
        None if unscaled == 0 => Ok(0),
        None => Err(NumberError::TooManyDecimals),
    }
}

/// Writes `unscaled / 10^scale` as a plain decimal (`-12.3400`), every
/// stored decimal kept.
pub fn decimal_text(unscaled: i128, scale: u32) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    let sign = if unscaled < 0 { "-" } else { "" };
    if scale == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{fraction}") }
}

/// Parses a decimal written with the given decimal separator and optional
/// thousands separator: `1.234,56`, `-1,234.56`, `1234.5-` (trailing minus, as
/// SAP exports credit notes), `(12.00)` (accounting negative), `€ 12,50`.
/// Spaces and apostrophes are accepted as grouping as well.
///
/// ```
/// use kamplan::model::amount::parse_number;
/// let italian = parse_number("1.234,56", b',', Some(b'.')).unwrap();
/// let english = parse_number("1,234.56", b'.', Some(b',')).unwrap();
/// assert_eq!(italian, english);
/// assert_eq!(italian.to_string(), "1234.56");
/// assert_eq!(parse_number("12,50-", b',', Some(b'.')).unwrap().to_string(), "-12.50");
/// assert!(parse_number("1,23456", b',', Some(b'.')).is_err()); // more than 4 decimals
/// ```
#[inline]
pub fn parse_number(text: &str, decimal: u8, thousands: Option<u8>) -> Result<Amount, NumberError> {
    match plain_units(text.as_bytes(), decimal) {
        Some(units) => Ok(Amount(units)),
        None => parse_general(text, decimal, thousands),
    }
}

/// `parse_number` for the forms `plain_units` leaves: grouping, signs
/// after or around the number, currency symbols.
fn parse_general(text: &str, decimal: u8, thousands: Option<u8>) -> Result<Amount, NumberError> {
    let (s, leading_minus) = strip_currency(text.trim());
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    let (s, negative) = strip_sign(s, leading_minus)?;
    let units = unsigned_units(s.as_bytes(), decimal, thousands)?;
    Ok(Amount(if negative { -units } else { units }))
}

/// The units of a number in the form nearly every export writes, read in
/// one pass: an optional leading minus, 1 to 14 digits, and optionally the
/// decimal separator with 1 to 4 digits (`-1234.5`). `None` for any other
/// form, which the general reading then takes; for this form both agree.
#[inline]
fn plain_units(bytes: &[u8], decimal: u8) -> Option<i64> {
    const POWERS: [i64; 5] = [10_000, 1_000, 100, 10, 1];
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let mut whole = 0i64;
    let mut at = 0;
    while let Some(&d) = digits.get(at).filter(|d| d.is_ascii_digit()) {
        if at == 14 {
            return None;
        }
        whole = whole * 10 + i64::from(d - b'0');
        at += 1;
    }
    if at == 0 {
        return None;
    }
    let mut units = whole * SCALE;
    if let Some((&separator, fraction)) = digits[at..].split_first() {
        if separator != decimal || fraction.is_empty() || fraction.len() > SCALE_DIGITS as usize {
            return None;
        }
        let mut frac = 0i64;
        for &d in fraction {
            if !d.is_ascii_digit() {
                return None;
            }
            frac = frac * 10 + i64::from(d - b'0');
        }
        units += frac * POWERS[fraction.len()];
    }
    Some(if negative { -units } else { units })
}

/// Drops a currency symbol standing before or after the number, and after a
/// leading minus ("-€ 12,00"); says whether such a minus was there.
#[inline]
fn strip_currency(mut s: &str) -> (&str, bool) {
    let plain = |b: u8| {
        b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+' | b' ' | b'\'' | b'(' | b')')
    };
    let mut leading_minus = false;
    if !s.bytes().all(plain) {
        if let Some(rest) = s
            .strip_prefix('-')
            .filter(|r| !r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        {
            leading_minus = true;
            s = rest.trim_start();
        }
        for symbol in ["€", "$", "£", "EUR", "USD", "GBP", "CHF"] {
            s = s.strip_prefix(symbol).unwrap_or(s).trim_start();
            s = s.strip_suffix(symbol).unwrap_or(s).trim_end();
        }
    }
    (s, leading_minus)
}

/// The digits without their sign, and whether the number is negative: a
/// leading or trailing minus, or accounting parentheses; two signs are refused.
#[inline]
fn strip_sign(mut s: &str, leading_minus: bool) -> Result<(&str, bool), NumberError> {
    let mut negative = false;
    if leading_minus {
        if s.starts_with(['-', '+', '(']) || s.ends_with('-') {
            return Err(NumberError::NotANumber);
        }
        negative = true;
    }
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('-') {
        if negative {
            return Err(NumberError::NotANumber); // "(-5)": two signs, no clear meaning
        }
        negative = true;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    } else if let Some(rest) = s.strip_suffix('-') {
        if negative {
            return Err(NumberError::NotANumber);
        }
        negative = true;
        s = rest;
    }
    Ok((s, negative))
}

/// The units of an unsigned number: digits, groups of three separated by
/// `thousands`, a space or an apostrophe, and a fraction after `decimal`.
#[inline]
fn unsigned_units(bytes: &[u8], decimal: u8, thousands: Option<u8>) -> Result<i64, NumberError> {
    let mut whole: i64 = 0;
    let mut frac: i64 = 0;
    let mut frac_digits = 0u32;
    let mut seen_digit = false;
    let mut in_fraction = false;
    // Digits since the last grouping separator; `None` before the first one.
    let mut group_len: Option<u32> = None;
    let mut digits_before_group = 0u32;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                let d = i64::from(b - b'0');
                if in_fraction {
                    frac_digits += 1;
                    if frac_digits > SCALE_DIGITS {
                        if d != 0 {
                            return Err(NumberError::TooManyDecimals);
                        }
                        continue;
                    }
                    frac = frac * 10 + d;
                } else {
                    whole = whole
                        .checked_mul(10)
                        .and_then(|w| w.checked_add(d))
                        .ok_or(NumberError::TooLarge)?;
                    match group_len.as_mut() {
                        Some(n) => *n += 1,
                        None => digits_before_group += 1,
                    }
                }
            }
            _ if b == decimal && !in_fraction => {
                if group_len.is_some_and(|n| n != 3) {
                    return Err(NumberError::MisplacedGrouping);
                }
                in_fraction = true;
            }
            _ if !in_fraction && (Some(b) == thousands || b == b' ' || b == b'\'') => {
                if !seen_digit || group_len.is_some_and(|n| n != 3) || digits_before_group > 3 {
                    return Err(NumberError::MisplacedGrouping);
                }
                group_len = Some(0);
            }
            _ => return Err(NumberError::NotANumber),
        }
    }
    if !seen_digit {
        return Err(NumberError::NotANumber);
    }
    if !in_fraction && group_len.is_some_and(|n| n != 3) {
        return Err(NumberError::MisplacedGrouping);
    }
    let frac_units = frac * 10i64.pow(SCALE_DIGITS - frac_digits.min(SCALE_DIGITS));
    whole.checked_mul(SCALE).and_then(|w| w.checked_add(frac_units)).ok_or(NumberError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(text: &str) -> Result<Amount, NumberError> {
        parse_number(text, b',', Some(b'.'))
    }
    fn en(text: &str) -> Result<Amount, NumberError> {
        parse_number(text, b'.', Some(b','))
    }

    #[test]
    fn reads_typed_decimals_exactly() {
        assert_eq!(Amount::from_decimal(12345, 2), Ok(Amount(1_234_500)));
        assert_eq!(Amount::from_decimal(-7, 0), Ok(Amount(-70_000)));
        assert_eq!(Amount::from_decimal(1_234_500, 6), Ok(Amount(12_345)));
        assert_eq!(Amount::from_decimal(1_234_567, 6), Err(NumberError::TooManyDecimals));
        assert_eq!(Amount::from_decimal(0, 60), Ok(Amount::ZERO));
        assert_eq!(Amount::from_decimal(1, 60), Err(NumberError::TooManyDecimals));
        assert_eq!(Amount::from_decimal(i128::from(i64::MAX), 0), Err(NumberError::TooLarge));
        assert_eq!(decimal_text(-1234, 4), "-0.1234");
        assert_eq!(decimal_text(5, 0), "5");
        assert_eq!(decimal_text(120, 2), "1.20");
    }

    #[test]
    fn reads_both_conventions() {
        assert_eq!(it("1.234,56"), Ok(Amount(12_345_600)));
        assert_eq!(en("1,234.56"), Ok(Amount(12_345_600)));
        assert_eq!(it("1234,5"), Ok(Amount(12_345_000)));
        assert_eq!(en("1234"), Ok(Amount(12_340_000)));
        assert_eq!(it("1.234.567,8901"), Ok(Amount(12_345_678_901)));
        assert_eq!(en(".5"), Ok(Amount(5_000)));
    }

    #[test]
    fn reads_negatives_and_symbols() {
        assert_eq!(it("-12,50"), Ok(Amount(-125_000)));
        assert_eq!(it("12,50-"), Ok(Amount(-125_000)));
        assert_eq!(en("(12.50)"), Ok(Amount(-125_000)));
        assert_eq!(it("€ 1.000,00"), Ok(Amount(10_000_000)));
        assert_eq!(it("-€ 12,00"), Ok(Amount(-120_000)));
        assert_eq!(it("€ -12,00"), Ok(Amount(-120_000)));
        assert_eq!(it("-€ -12,00"), Err(NumberError::NotANumber));
        assert_eq!(en("1 000.25"), Ok(Amount(10_002_500)));
    }

    #[test]
    fn rejects_malformed_numbers() {
        assert_eq!(it(""), Err(NumberError::Empty));
        assert_eq!(it("abc"), Err(NumberError::NotANumber));
        assert_eq!(it("12,3,4"), Err(NumberError::NotANumber));
        assert_eq!(it("12.34,5"), Err(NumberError::MisplacedGrouping));
        assert_eq!(it("1234.567,5"), Err(NumberError::MisplacedGrouping));
        assert_eq!(it("1,23456"), Err(NumberError::TooManyDecimals));
        assert_eq!(it("1,23450"), Ok(Amount(12_345)));
        assert_eq!(en("-"), Err(NumberError::NotANumber));
        assert_eq!(it("(-5,00)"), Err(NumberError::NotANumber));
    }

    proptest::proptest! {
        /// The one-pass reading of plain numbers gives what the general one
        /// gives, for any text made of the characters numbers are written with.
        #[test]
        fn plain_numbers_read_as_the_general_reading_does(
            text in "[-+ ]?[0-9]{0,16}([.,][0-9]{0,6})?[-]?",
            comma in proptest::bool::ANY,
        ) {
            let (decimal, thousands) = if comma { (b',', b'.') } else { (b'.', b',') };
            if let Some(units) = plain_units(text.as_bytes(), decimal) {
                let general = parse_general(&text, decimal, Some(thousands));
                proptest::prop_assert_eq!(Ok(Amount(units)), general, "{}", text);
            }
        }
    }

    #[test]
    fn displays_plain_decimals() {
        assert_eq!(Amount(12_345_600).to_string(), "1234.56");
        assert_eq!(Amount(-500).to_string(), "-0.05");
        assert_eq!(Amount(123_456).to_string(), "12.3456");
        assert_eq!(Amount::from_int(7).to_string(), "7.00");
    }

    #[test]
    fn rounds_spreadsheet_floats() {
        assert_eq!(Amount::from_f64_rounded(0.1 + 0.2), Some(Amount(3_000)));
        assert_eq!(Amount::from_f64_rounded(-0.00005), Some(Amount(-1)));
    }
}
