//! Cutting an axis variable into bands (docs/metrics.md#matrix-bands).

use super::facts::Fact;
use crate::model::Amount;

/// The value at quantile `q` of sorted values, interpolating linearly
/// between closest ranks (numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let position = q * (n - 1) as f64;
    let lower = position.floor() as usize;
    let upper = (lower + 1).min(n - 1);
    let fraction = position - lower as f64;
    Some(sorted[lower] + (sorted[upper] - sorted[lower]) * fraction)
}

/// The breaks that the given quantiles make of the non-null values of a column.
pub fn quantile_breaks(column: &[Fact], quantiles: &[f64]) -> Vec<f64> {
    let mut values: Vec<f64> = column.iter().filter_map(Fact::as_f64).collect();
    values.sort_by(f64::total_cmp);
    quantiles.iter().map(|q| quantile(&values, *q).unwrap_or(0.0)).collect()
}

/// Breaks ready for comparison: each also as an exact amount when it has at
/// most four decimals, so amounts are compared exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Breaks {
    values: Vec<f64>,
    exact: Vec<Option<Amount>>,
}

impl Breaks {
    pub fn new(values: &[f64]) -> Breaks {
        let exact = values.iter().map(|b| Amount::parse_plain(&format!("{b}"))).collect();
        Breaks { values: values.to_vec(), exact }
    }
}

/// The band (0-based) of a value: the number of breaks it is not below. A
/// null value falls in the lowest band.
pub fn band_of(value: &Fact, breaks: &Breaks) -> usize {
    match value {
        Fact::Amount(a) => breaks
            .values
            .iter()
            .zip(&breaks.exact)
            .take_while(|(b, exact)| match exact {
                Some(exact) => a >= exact,
                None => a.to_f64() >= **b,
            })
            .count(),
        other => match other.as_f64() {
            Some(v) => breaks.values.iter().take_while(|b| v >= **b).count(),
            None => 0,
        },
    }
}

/// The band of a category value, if it is one of the categories. Numbers
/// match numeric categories by value (a satisfaction of 4.00 is category "4").
pub fn category_of(value: &Fact, categories: &[String]) -> Option<usize> {
    if let Some(number) = value.as_f64() {
        let numeric =
            categories.iter().position(|c| c.trim().parse::<f64>().is_ok_and(|c| c == number));
        if numeric.is_some() {
            return numeric;
        }
    }
    let text = value.as_text()?;
    categories.iter().position(|c| *c == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert!((quantile(&v, 1.0 / 3.0).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.9), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn bands_include_their_lower_break() {
        let breaks = Breaks::new(&[10.0, 20.0]);
        assert_eq!(band_of(&Fact::Amount(Amount::from_units(99_999)), &breaks), 0);
        assert_eq!(band_of(&Fact::Amount(Amount::from_int(10)), &breaks), 1);
        assert_eq!(band_of(&Fact::Number(19.999), &breaks), 1);
        assert_eq!(band_of(&Fact::Count(20), &breaks), 2);
        assert_eq!(band_of(&Fact::Null, &breaks), 0);
        assert_eq!(band_of(&Fact::Amount(Amount::from_units(2_500)), &Breaks::new(&[0.25])), 1);
    }

    #[test]
    fn numbers_match_numeric_categories() {
        let categories: Vec<String> = ["1", "2", "3"].iter().map(|c| c.to_string()).collect();
        assert_eq!(category_of(&Fact::Amount(Amount::from_int(2)), &categories), Some(1));
        assert_eq!(category_of(&Fact::Text("3".into()), &categories), Some(2));
        assert_eq!(category_of(&Fact::Null, &categories), None);
    }

    #[test]
    fn nulls_do_not_count_in_quantiles() {
        let column = [Fact::Null, Fact::Count(1), Fact::Count(3)];
        assert_eq!(quantile_breaks(&column, &[0.5]), [2.0]);
    }
}
