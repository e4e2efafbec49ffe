//! Distinct invoices or products of a customer, as an aggregate carries them.
//!
//! An aggregate cannot list every invoice id, and counts per month or per day
//! do not add up over a window (an invoice with lines in two months of the
//! window is one invoice). What adds up is a *start*: for each id and each
//! month in which it has a line, that month and `prev`, the latest earlier
//! month in which it has a line. A window of months `a..=b` then holds
//! exactly the starts dated inside it whose `prev` is before `a` (or absent):
//! each id counts once, at its first month inside the window. Starts with the
//! same month and `prev` are kept as one count.

use super::grow_gently;

/// One group of starts: `n` ids that have a line in `month` and whose latest
/// earlier month with a line is `prev` (`None`: no earlier line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Start {
    month: u16,
    prev: Option<u16>,
    n: u32,
}

/// The starts of one customer, sorted by month and `prev` once reading ends.
#[derive(Clone, Debug, Default)]
pub struct Starts {
    starts: Vec<Start>,
}

impl Starts {
    /// Adds `n` ids that have a line in `month` and, before it, last in `prev`.
    pub fn add(&mut self, month: u16, prev: Option<u16>, n: u32) {
        debug_assert!(prev.is_none_or(|p| p < month), "prev is an earlier month");
        grow_gently(&mut self.starts);
        self.starts.push(Start { month, prev, n });
    }

    /// Number of distinct ids with a line in any month of `first..=last`.
    pub fn distinct_in(&self, first: u16, last: u16) -> u64 {
        self.starts
            .iter()
            .filter(|s| (first..=last).contains(&s.month) && s.prev.is_none_or(|p| p < first))
            .map(|s| u64::from(s.n))
            .sum()
    }

    /// Folds the groups of equal month and `prev` into one and gives back the
    /// room kept to grow.
    pub fn compact(&mut self) {
        self.starts.sort_unstable_by_key(|s| (s.month, s.prev));
        self.starts.dedup_by(|later, kept| {
            let same = (later.month, later.prev) == (kept.month, kept.prev);
            if same {
                kept.n += later.n;
            }
            same
        });
        self.starts.shrink_to_fit();
    }

    pub fn merge(&mut self, other: &Starts) {
        self.starts.extend_from_slice(&other.starts);
        self.compact();
    }

    /// The months with starts, in the order they were added.
    pub fn months(&self) -> impl Iterator<Item = u16> + '_ {
        self.starts.iter().map(|s| s.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The starts of ids given as their sets of months.
    fn starts_of(ids: &[Vec<u16>]) -> Starts {
        let mut starts = Starts::default();
        for months in ids {
            let mut months = months.clone();
            months.sort_unstable();
            months.dedup();
            let mut prev = None;
            for m in months {
                starts.add(m, prev, 1);
                prev = Some(m);
            }
        }
        starts.compact();
        starts
    }

    #[test]
    fn an_invoice_across_a_month_end_counts_once_in_any_window_holding_it() {
        // Months 10 and 11 (31 January and 1 February, say), and one in 10 and 12.
        let starts = starts_of(&[vec![10, 11], vec![10, 12]]);
        assert_eq!(starts.distinct_in(10, 12), 2);
        assert_eq!(starts.distinct_in(11, 11), 1);
        assert_eq!(starts.distinct_in(11, 12), 2);
        assert_eq!(starts.distinct_in(10, 10), 2);
        assert_eq!(starts.distinct_in(12, 20), 1);
        assert_eq!(starts.distinct_in(13, 20), 0);
    }

    proptest! {
        #[test]
        fn starts_count_what_the_months_of_each_id_count(
            ids in prop::collection::vec(prop::collection::vec(0u16..24, 1..6), 0..40),
            a in 0u16..24,
            len in 0u16..24,
        ) {
            let b = a + len;
            let expected =
                ids.iter().filter(|months| months.iter().any(|m| (a..=b).contains(m))).count();
            prop_assert_eq!(starts_of(&ids).distinct_in(a, b), expected as u64);
        }
    }
}
