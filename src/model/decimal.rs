//! Exact decimal bounds read from rule files.
//!
//! A rule file says `0.80`; TOML hands us the nearest binary float. Printing a
//! float gives the shortest text that reads back to the same float (`0.8`), so
//! parsing that text recovers the decimal the consultant wrote, and every
//! comparison against a bound is then done in integers.

use std::fmt;

/// A non-negative decimal `mantissa / 10^scale`, such as a class bound `0.80`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    mantissa: i64,
    scale: u32,
}

impl Bound {
    /// Most decimal places a bound may have.
    pub const MAX_SCALE: u32 = 12;

    /// Parses `0.8`, `1`, `0.125`.
    pub fn parse(text: &str) -> Option<Bound> {
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let frac = frac.trim_end_matches('0');
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        if !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let scale = frac.len() as u32;
        if scale > Self::MAX_SCALE {
            return None;
        }
        let mantissa: i64 = format!("{whole}{frac}").trim_start_matches('0').parse().unwrap_or(0);
        Some(Bound { mantissa, scale }.normalized())
    }

    /// The decimal a TOML float stands for (see the module comment).
    pub fn from_f64(value: f64) -> Option<Bound> {
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        Bound::parse(&format!("{value}"))
    }

    /// `mantissa / denominator` as integers.
    pub fn numerator(self) -> i128 {
        i128::from(self.mantissa)
    }

    pub fn denominator(self) -> i128 {
        10i128.pow(self.scale)
    }

    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// `self + other`, exactly.
    pub fn plus(self, other: Bound) -> Bound {
        let scale = self.scale.max(other.scale);
        let a = self.mantissa * 10i64.pow(scale - self.scale);
        let b = other.mantissa * 10i64.pow(scale - other.scale);
        Bound { mantissa: a + b, scale }.normalized()
    }

    /// The same value with no trailing zeros in the mantissa, so equal values compare equal.
    fn normalized(mut self) -> Bound {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }

    /// Whether `a / b < self`, for `b > 0`, decided exactly.
    ///
    /// ```
    /// use kamplan::model::Bound;
    /// let a_bound = Bound::from_f64(0.80).unwrap();
    /// assert!(a_bound.exceeds_ratio(79, 100));
    /// assert!(!a_bound.exceeds_ratio(80, 100)); // exactly on the bound is not below it
    /// ```
    pub fn exceeds_ratio(self, a: i128, b: i128) -> bool {
        debug_assert!(b > 0);
        a * self.denominator() < self.numerator() * b
    }

    /// `ceil(self · n)`, exactly.
    pub fn ceil_times(self, n: u64) -> u64 {
        let num = self.numerator() * i128::from(n);
        let den = self.denominator();
        ((num + den - 1) / den) as u64
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_the_written_decimal() {
        let b = Bound::from_f64(0.80).unwrap();
        assert_eq!((b.numerator(), b.denominator()), (8, 10));
        let b = Bound::from_f64(0.95).unwrap();
        assert_eq!((b.numerator(), b.denominator()), (95, 100));
        assert_eq!(Bound::from_f64(1.0).unwrap().denominator(), 1);
        assert!(Bound::from_f64(-0.5).is_none());
    }

    #[test]
    fn compares_ratios_exactly() {
        let b = Bound::parse("0.8").unwrap();
        assert!(b.exceeds_ratio(79, 100));
        assert!(!b.exceeds_ratio(80, 100));
        assert!(!b.exceeds_ratio(4, 5));
    }

    #[test]
    fn ceil_is_exact() {
        let b = Bound::parse("0.3").unwrap();
        assert_eq!(b.ceil_times(10), 3);
        assert_eq!(b.ceil_times(11), 4);
        assert_eq!(Bound::parse("0.1").unwrap().ceil_times(150), 15);
        assert_eq!(
            Bound::parse("0.1").unwrap().plus(Bound::parse("0.2").unwrap()),
            Bound::parse("0.3").unwrap()
        );
    }
}
