//! ABC classification (docs/metrics.md#abc-classification), decided in exact
//! integer arithmetic.

use super::Portfolio;
use super::computed;
use super::facts::Fact;
use crate::model::Bound;
use std::sync::Arc;

/// Class index (0 = A) of each customer, in input order. `values[i]` is the
/// customer's id and metric value (`None` when null); ranking is by value
/// descending, ties by id ascending (byte order); customers with a value ≤ 0
/// or null get the last class.
pub fn cumulative_share(values: &[(&str, Option<i128>)], bounds: &[Bound]) -> Vec<usize> {
    let last = bounds.len().saturating_sub(1);
    let mut classes = vec![last; values.len()];
    let ranked = rank(values);
    let total: i128 = ranked.iter().map(|&i| positive(values[i].1)).sum();
    if total == 0 {
        return classes;
    }
    let mut before: i128 = 0;
    for i in ranked {
        classes[i] = bounds.iter().position(|b| b.exceeds_ratio(before, total)).unwrap_or(last);
        before += positive(values[i].1);
    }
    classes
}

/// Rank-share method: `cumulative[k]` is the share of the portfolio's customer
/// count that classes 0..=k reach; a customer of rank r (1-based) is in the
/// first class k with r ≤ ceil(cumulative[k]·N).
pub fn rank_share(values: &[(&str, Option<i128>)], cumulative: &[Bound]) -> Vec<usize> {
    let last = cumulative.len().saturating_sub(1);
    let n = values.len() as u64;
    let quotas: Vec<u64> = cumulative.iter().map(|b| b.ceil_times(n)).collect();
    let mut classes = vec![last; values.len()];
    for (r, i) in rank(values).into_iter().enumerate() {
        classes[i] = quotas.iter().position(|&q| (r as u64) < q).unwrap_or(last);
    }
    classes
}

/// The limits the computed method found, in the metric's units.
#[derive(Clone, Debug, PartialEq)]
pub struct ComputedCut {
    /// Where the ABC curve put them (shares of the customers).
    pub curve: computed::Limits,
    /// Class A holds the values above `ab`, class C those below `bc`,
    /// class B the rest (both limits included). Each limit is the value of
    /// the customer at the curve's point.
    pub ab: i128,
    pub bc: i128,
}

/// Computed method (docs/metrics.md#computed-method): the classes (0 = A,
/// 1 = B, 2 = C) by the limits the ABC curve of every customer's value
/// gives, compared exactly. Every customer is an item of the curve, a value
/// that is null or below 0 counting as 0, as in the reference
/// implementation; unlike it, a customer without a positive value is always
/// C, as in the other methods. When the curve gives no limits (fewer than
/// two customers, or every value equal) no customer stands out: those with
/// a positive value are B.
pub fn computed(values: &[(&str, Option<i128>)]) -> (Vec<usize>, Option<ComputedCut>) {
    let items: Vec<f64> = values.iter().map(|v| positive(v.1) as f64).collect();
    let cut = computed::limits(&items).map(|curve| {
        let mut sorted: Vec<i128> = values.iter().map(|v| positive(v.1)).collect();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        ComputedCut { ab: sorted[curve.ab_rank], bc: sorted[curve.bc_rank], curve }
    });
    let classes = values
        .iter()
        .map(|v| match (positive(v.1), &cut) {
            (0, _) => 2,
            (_, None) => 1,
            (x, Some(cut)) if x > cut.ab => 0,
            (x, Some(cut)) if x < cut.bc => 2,
            _ => 1,
        })
        .collect();
    (classes, cut)
}

/// For each customer, the share of the total held by the customers ranked
/// ahead of it (for reports: classes are decided exactly, not from this).
pub fn shares_before(values: &[(&str, Option<i128>)]) -> Vec<Option<f64>> {
    let mut shares = vec![None; values.len()];
    let ranked = rank(values);
    let total: i128 = ranked.iter().map(|&i| positive(values[i].1)).sum();
    let mut before = 0i128;
    for i in ranked {
        shares[i] = Some(before as f64 / total as f64);
        before += positive(values[i].1);
    }
    shares
}

/// For each customer, its 1-based rank among the customers with a positive value.
pub fn ranks(values: &[(&str, Option<i128>)]) -> Vec<Option<usize>> {
    let mut ranks = vec![None; values.len()];
    for (r, i) in rank(values).into_iter().enumerate() {
        ranks[i] = Some(r + 1);
    }
    ranks
}

/// How close each ranked customer is to changing class: the relative
/// difference between its value and the value of the nearest customer of a
/// neighbouring class (the smallest value of the class above, the largest of
/// the class below). 0.04 means a 4% change in the metric reaches the other
/// class's edge. `None` for customers without a positive value, or when no
/// neighbouring class has customers.
pub fn distances_to_neighbour_classes(
    values: &[(&str, Option<i128>)],
    classes: &[usize],
) -> Vec<Option<f64>> {
    let classes_count = classes.iter().copied().max().map_or(0, |m| m + 1);
    let mut lowest = vec![None::<i128>; classes_count];
    let mut highest = vec![None::<i128>; classes_count];
    for (i, (_, v)) in values.iter().enumerate() {
        if let Some(v) = v.filter(|v| *v > 0) {
            let c = classes[i];
            lowest[c] = Some(lowest[c].map_or(v, |l| l.min(v)));
            highest[c] = Some(highest[c].map_or(v, |h| h.max(v)));
        }
    }
    values
        .iter()
        .enumerate()
        .map(|(i, (_, v))| {
            let v = v.filter(|v| *v > 0)? as f64;
            let c = classes[i];
            let up = c
                .checked_sub(1)
                .and_then(|above| lowest[above])
                .map(|edge| (edge as f64 - v).abs() / edge as f64);
            let down =
                highest.get(c + 1).copied().flatten().map(|edge| (v - edge as f64).abs() / v);
            match (up, down) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        })
        .collect()
}

/// Indices of the customers with a positive value, best first.
fn rank(values: &[(&str, Option<i128>)]) -> Vec<usize> {
    let mut ranked: Vec<usize> = (0..values.len()).filter(|&i| positive(values[i].1) > 0).collect();
    ranked.sort_by(|&a, &b| {
        values[b]
            .1
            .cmp(&values[a].1)
            .then_with(|| values[a].0.as_bytes().cmp(values[b].0.as_bytes()))
    });
    ranked
}

fn positive(v: Option<i128>) -> i128 {
    v.filter(|v| *v > 0).unwrap_or(0)
}

/// Every customer's rank by a metric and the share of the total held by the
/// customers ahead of it. Computed once per metric and kept in the portfolio:
/// explaining many customers (one account plan each) would otherwise sort
/// the whole portfolio for each of them.
#[derive(Debug)]
pub struct Ranking {
    pub ranks: Vec<Option<usize>>,
    pub shares_before: Vec<Option<f64>>,
    /// Customers with a positive value.
    pub positive: usize,
}

impl Portfolio {
    /// The limits the computed method found for classification `id`
    /// (`None` when it is of another method, or the curve gave none).
    pub fn computed_cut(&self, id: &str) -> Option<&ComputedCut> {
        let found = self.results.computed_limits.iter().find(|c| c.id == id);
        found.and_then(|c| c.cut.as_ref())
    }

    /// A value of `metric` in the units ABC ranks by (see `ranking`), as a
    /// fact of the metric's kind: a count, or an amount.
    pub fn units_fact(&self, metric: &str, units: i128) -> Fact {
        let column = self.facts.column(metric).unwrap_or(&[]);
        let units = i64::try_from(units).unwrap_or(i64::MAX);
        if column.iter().any(|f| matches!(f, Fact::Count(_))) {
            Fact::Count(units)
        } else {
            Fact::Amount(crate::model::Amount::from_units(units))
        }
    }

    /// The ranking by `metric`, sorted on first use and kept.
    pub fn ranking(&self, metric: &str) -> Arc<Ranking> {
        let portfolio = self;
        let mut cache = portfolio.rankings.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(metric) {
            return found.clone();
        }
        let column = portfolio.facts.column(metric).unwrap_or(&[]);
        let values: Vec<(&str, Option<i128>)> = portfolio
            .rows
            .iter()
            .map(|r| r.customer_id.as_str())
            .zip(column.iter().map(|f| match f {
                Fact::Amount(a) => Some(i128::from(a.units())),
                Fact::Count(n) => Some(i128::from(*n)),
                _ => None,
            }))
            .collect();
        let ranking = Arc::new(Ranking {
            ranks: ranks(&values),
            shares_before: shares_before(&values),
            positive: values.iter().filter(|v| v.1.is_some_and(|v| v > 0)).count(),
        });
        cache.insert(metric.to_string(), ranking.clone());
        ranking
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(values: &[&str]) -> Vec<Bound> {
        values.iter().map(|v| Bound::parse(v).unwrap()).collect()
    }

    fn spec() -> Vec<Bound> {
        bounds(&["0.8", "0.95", "1"])
    }

    #[test]
    fn the_customer_that_crosses_80_percent_is_a() {
        // Shares 50, 40, 6, 4: the second starts at 50% < 80% and crosses it: A.
        let v = [("a", Some(50)), ("b", Some(40)), ("c", Some(6)), ("d", Some(4))];
        assert_eq!(cumulative_share(&v, &spec()), [0, 0, 1, 2]);
    }

    #[test]
    fn a_customer_exactly_on_the_bound_is_in_the_next_class() {
        // c starts at exactly 80%: the first bound > 0.80 is B's 0.95.
        let v = [("a", Some(40)), ("b", Some(40)), ("c", Some(15)), ("d", Some(5))];
        assert_eq!(cumulative_share(&v, &spec()), [0, 0, 1, 2]);
        // d starts at exactly 95%: C.
        let v = [("a", Some(80)), ("c", Some(15)), ("d", Some(5))];
        assert_eq!(cumulative_share(&v, &spec()), [0, 1, 2]);
    }

    #[test]
    fn ties_are_broken_by_id() {
        let v = [("b", Some(45)), ("a", Some(45)), ("c", Some(10))];
        // a ranks first (0%), b second (45%), c at 90%.
        assert_eq!(cumulative_share(&v, &spec()), [0, 0, 1]);
        let v = [("b", Some(50)), ("a", Some(50))];
        assert_eq!(rank_share(&v, &bounds(&["0.5", "1"])), [1, 0]);
    }

    #[test]
    fn zero_negative_and_null_values_get_the_last_class() {
        let v = [("a", Some(10)), ("b", Some(0)), ("c", Some(-5)), ("d", None)];
        assert_eq!(cumulative_share(&v, &spec()), [0, 2, 2, 2]);
        assert_eq!(cumulative_share(&[("a", Some(0))], &spec()), [2]);
        assert_eq!(cumulative_share(&[], &spec()), Vec::<usize>::new());
    }

    #[test]
    fn distance_is_to_the_edge_of_the_neighbouring_class() {
        let v = [("a", Some(100)), ("b", Some(96)), ("c", Some(50)), ("d", Some(0))];
        let classes = [0, 1, 2, 2];
        let d = distances_to_neighbour_classes(&v, &classes);
        // a: the largest B is 96, 4% below. b: 4% short of the smallest A (100). c: 46/96 short of the smallest B.
        assert!((d[0].unwrap() - 0.04).abs() < 1e-12);
        assert!((d[1].unwrap() - 0.04).abs() < 1e-12);
        assert!((d[2].unwrap() - 46.0 / 96.0).abs() < 1e-12);
        assert_eq!(d[3], None);
    }

    #[test]
    fn the_top_customer_is_always_a() {
        let v = [("a", Some(99)), ("b", Some(1))];
        assert_eq!(cumulative_share(&v, &bounds(&["0.01", "0.5", "1"])), [0, 2]);
    }

    #[test]
    fn rank_quotas_are_exact_ceilings() {
        // N = 11: A ≤ ceil(1.1) = 2, B ≤ ceil(3.3) = 4.
        let v: Vec<(String, Option<i128>)> =
            (0..11).map(|i| (format!("c{i:02}"), Some(100 - i))).collect();
        let refs: Vec<(&str, Option<i128>)> = v.iter().map(|(s, x)| (s.as_str(), *x)).collect();
        let classes = rank_share(&refs, &bounds(&["0.1", "0.3", "1"]));
        assert_eq!(classes, [0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
        // N = 10: ceil(0.1·10) = 1 exactly, not 2 from floating-point noise.
        let classes = rank_share(&refs[..10], &bounds(&["0.1", "0.3", "1"]));
        assert_eq!(classes, [0, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
    }

    #[test]
    fn computed_limits_are_compared_exactly_and_zeros_are_c() {
        // R's ABCanalysis on 10, 5, 0, 0, 2, 1, 8 (the 0s a -3 and a
        // missing value): A above 8, C below 5.
        let v = [
            ("a", Some(10)),
            ("b", Some(5)),
            ("c", Some(-3)),
            ("d", None),
            ("e", Some(2)),
            ("f", Some(1)),
            ("g", Some(8)),
        ];
        let (classes, cut) = computed(&v);
        let cut = cut.unwrap();
        assert_eq!((cut.ab, cut.bc), (8, 5));
        assert_eq!(classes, [0, 1, 2, 2, 2, 2, 1]);
        // The example of docs/metrics.md#computed-method (R: A|B point at
        // 0.28, B|C at 0.38 of the 7 items, limits 300 and 100).
        let v = [500, 300, 100, 50, 50, 0, -20].map(Some);
        let ids = ["K1", "K2", "K3", "K4", "K5", "K6", "K7"];
        let v: Vec<(&str, Option<i128>)> = ids.into_iter().zip(v).collect();
        let (classes, cut) = computed(&v);
        let cut = cut.unwrap();
        assert_eq!(
            (cut.ab, cut.bc, cut.curve.a_effort, cut.curve.c_effort),
            (300, 100, 0.28, 0.38)
        );
        assert_eq!(classes, [0, 1, 1, 2, 2, 2, 2]);
        // One large value and 99 zeros: the reference puts the zeros in B
        // (its B|C limit is 0); here they stay C.
        let mut v = vec![("big", Some(100))];
        v.extend(std::iter::repeat_n(("zero", Some(0)), 99));
        let (classes, cut) = computed(&v);
        assert_eq!(cut.map(|c| (c.ab, c.bc)), Some((100, 0)));
        assert_eq!(classes[0], 1, "the limit value itself is B");
        assert!(classes[1..].iter().all(|&c| c == 2));
    }

    #[test]
    fn without_computed_limits_every_positive_customer_is_b() {
        let v = [("a", Some(7)), ("b", Some(7)), ("c", Some(7)), ("d", Some(7))];
        let (classes, cut) = computed(&v);
        assert_eq!(cut, None);
        assert_eq!(classes, [1, 1, 1, 1]);
        assert_eq!(computed(&[("a", Some(7))]), (vec![1], None));
        assert_eq!(computed(&[("a", Some(0)), ("b", None)]), (vec![2, 2], None));
    }

    #[test]
    fn rank_share_counts_customers_without_sales_in_n() {
        // N = 10 with one buyer: it is rank 1 ≤ ceil(0.1·10) = 1, A.
        let mut v = vec![("a", Some(5))];
        v.extend(std::iter::repeat_n(("z", Some(0)), 9));
        assert_eq!(rank_share(&v, &bounds(&["0.1", "0.3", "1"]))[..2], [0, 2]);
    }
}
