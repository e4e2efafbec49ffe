//! XYZ classification (docs/metrics.md#xyz-classification), decided exactly.

use crate::metrics::Moments;
use crate::model::{Amount, Bound};

/// Coefficient-of-variation method: the first class whose bound the cv does
/// not exceed; customers whose mean monthly revenue is not positive get the last class.
pub fn by_cv(monthly: &[Amount], bounds: &[Bound]) -> usize {
    let moments = Moments::of(monthly);
    if !moments.sum.is_positive() {
        return bounds.len();
    }
    bounds.iter().position(|b| moments.cv_at_most(*b)).unwrap_or(bounds.len())
}

/// Frequency method: the first class whose lower bound the share of active
/// months reaches (`active·den ≥ num·months`).
pub fn by_frequency(active_months: u32, months: u32, bounds: &[Bound]) -> usize {
    bounds
        .iter()
        .position(|b| {
            i128::from(active_months) * b.denominator() >= b.numerator() * i128::from(months)
        })
        .unwrap_or(bounds.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(values: &[&str]) -> Vec<Bound> {
        values.iter().map(|v| Bound::parse(v).unwrap()).collect()
    }

    fn months(values: &[i64]) -> Vec<Amount> {
        values.iter().map(|v| Amount::from_int(*v)).collect()
    }

    #[test]
    fn cv_exactly_on_a_bound_is_in_that_class() {
        let b = bounds(&["0.5", "1.0"]);
        // 0, 2: cv exactly 1.0 → Y.
        assert_eq!(by_cv(&months(&[0, 2]), &b), 1);
        // 1, 3: mean 2, sd 1, cv exactly 0.5 → X.
        assert_eq!(by_cv(&months(&[1, 3]), &b), 0);
        // 0, 0, 3: cv √2 → Z.
        assert_eq!(by_cv(&months(&[0, 0, 3]), &b), 2);
        assert_eq!(by_cv(&months(&[7; 12]), &b), 0);
    }

    #[test]
    fn a_customer_without_positive_mean_is_z() {
        let b = bounds(&["0.5", "1.0"]);
        assert_eq!(by_cv(&months(&[0, 0]), &b), 2);
        assert_eq!(by_cv(&months(&[5, -5]), &b), 2);
        assert_eq!(by_cv(&months(&[-1, -1]), &b), 2);
    }

    #[test]
    fn frequency_bounds_are_inclusive() {
        let b = bounds(&["0.75", "0.4"]);
        assert_eq!(by_frequency(9, 12, &b), 0);
        assert_eq!(by_frequency(8, 12, &b), 1);
        assert_eq!(by_frequency(2, 5, &b), 1);
        assert_eq!(by_frequency(4, 12, &b), 2);
        assert_eq!(by_frequency(0, 12, &b), 2);
    }
}
