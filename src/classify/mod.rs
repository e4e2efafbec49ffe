//! The classified portfolio: every customer with its metrics and classes.

pub mod abc;
pub mod xyz;

use crate::config::rules::{AbcMethod, Rules, XyzMethod};
use crate::ingest::master::{Customer, Master};
use crate::ledger::Ledger;
use crate::metrics::{CustomerMetrics, Period, customer_metrics};
use std::collections::BTreeSet;

/// One customer of the portfolio.
#[derive(Clone, Debug, PartialEq)]
pub struct PortfolioRow {
    pub customer_id: String,
    /// The master's record, when the customer is in the master.
    pub customer: Option<Customer>,
    pub metrics: CustomerMetrics,
    pub abc: String,
    pub xyz: String,
}

impl PortfolioRow {
    pub fn name(&self) -> Option<&str> {
        self.customer.as_ref().and_then(|c| c.name.as_deref())
    }
}

/// The classified portfolio, sorted by customer id.
#[derive(Clone, Debug)]
pub struct Portfolio {
    pub period: Period,
    pub rows: Vec<PortfolioRow>,
    pub abc_classes: Vec<String>,
    pub xyz_classes: Vec<String>,
}

/// Computes metrics and classes for every customer of the master and of the
/// sales (the ledger holds only lines dated on or before `as_of`).
pub fn classify(ledger: &Ledger, master: &Master, rules: &Rules, period: Period) -> Portfolio {
    let ids: BTreeSet<&str> =
        master.customers.keys().map(String::as_str).chain(ledger.customer_ids()).collect();
    let mut rows: Vec<PortfolioRow> = ids
        .into_iter()
        .map(|id| {
            let customer = master.customers.get(id).cloned();
            let metrics =
                customer_metrics(ledger.customer(id), customer.as_ref(), &period, ledger.columns);
            PortfolioRow {
                customer_id: id.to_string(),
                customer,
                metrics,
                abc: String::new(),
                xyz: String::new(),
            }
        })
        .collect();
    let values: Vec<(&str, Option<i128>)> =
        rows.iter().map(|r| (r.customer_id.as_str(), rules.abc.metric.value(&r.metrics))).collect();
    let abc_classes = match &rules.abc.method {
        AbcMethod::CumulativeShare(bounds) => abc::cumulative_share(&values, bounds),
        AbcMethod::RankShare(cumulative) => abc::rank_share(&values, cumulative),
    };
    for (row, class) in rows.iter_mut().zip(abc_classes) {
        row.abc = rules.abc.classes[class].clone();
        let xyz = match &rules.xyz.method {
            XyzMethod::Cv(bounds) => xyz::by_cv(&row.metrics.monthly_revenue, bounds),
            XyzMethod::Frequency(bounds) => {
                xyz::by_frequency(row.metrics.active_months, period.months, bounds)
            }
        };
        row.xyz = rules.xyz.classes[xyz].clone();
    }
    Portfolio {
        period,
        rows,
        abc_classes: rules.abc.classes.clone(),
        xyz_classes: rules.xyz.classes.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::rules::load_rules;
    use crate::ingest::line::SalesLine;
    use crate::ledger::ColumnsSeen;
    use crate::model::{Amount, Bound, Date};
    use proptest::prelude::*;
    use std::borrow::Cow;

    /// (customer, day offset, revenue in cents, invoice, product)
    type RawLine = (u8, u16, i64, u8, u8);

    fn lines() -> impl Strategy<Value = Vec<RawLine>> {
        prop::collection::vec((0u8..12, 0u16..900, -20_000i64..500_000, 0u8..40, 0u8..6), 1..120)
    }

    fn to_line(raw: &RawLine) -> SalesLine<'static> {
        let (customer, day, cents, invoice, product) = *raw;
        SalesLine {
            date: Date::from_days(Date::from_ymd(2023, 1, 1).unwrap().days() + i32::from(day)),
            customer_id: Cow::Owned(format!("C{customer:02}")),
            revenue: Amount::from_units(cents * 100),
            invoice_id: (invoice > 0).then(|| Cow::Owned(format!("I{invoice}"))),
            product_id: Some(Cow::Owned(format!("P{product}"))),
            product_category: None,
            quantity: Some(Amount::from_int(1)),
            cost: Some(Amount::from_units(cents * 60)),
        }
    }

    const COLUMNS: ColumnsSeen =
        ColumnsSeen { cost: true, quantity: true, product: true, invoice: true };

    fn portfolio(raw: &[RawLine], split: usize) -> Portfolio {
        let (mut left, mut right) = (Ledger::default(), Ledger::default());
        for (i, line) in raw.iter().enumerate() {
            let target = if i < split { &mut left } else { &mut right };
            target.add(&to_line(line), COLUMNS);
        }
        left.merge(right);
        let period = Period::resolve(None, 12, left.latest).unwrap();
        classify(&left, &Master::default(), &load_rules(None).unwrap(), period)
    }

    proptest! {
        #[test]
        fn permuting_and_splitting_lines_changes_nothing(raw in lines(), seed in any::<u64>(), split in 0usize..120) {
            let expected = portfolio(&raw, raw.len());
            let mut shuffled = raw.clone();
            // A deterministic Fisher–Yates shuffle driven by the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let actual = portfolio(&shuffled, split.min(shuffled.len()));
            prop_assert_eq!(actual.rows, expected.rows);
        }

        #[test]
        fn classes_partition_the_portfolio(raw in lines()) {
            let p = portfolio(&raw, raw.len());
            let customers: std::collections::BTreeSet<u8> = raw.iter().map(|l| l.0).collect();
            prop_assert_eq!(p.rows.len(), customers.len());
            for row in &p.rows {
                prop_assert_eq!(p.abc_classes.iter().filter(|c| **c == row.abc).count(), 1);
                prop_assert_eq!(p.xyz_classes.iter().filter(|c| **c == row.xyz).count(), 1);
            }
        }

        #[test]
        fn abc_is_monotone_in_the_metric(values in prop::collection::vec(-50i128..1000, 1..60), rank_method in any::<bool>()) {
            let ids: Vec<String> = (0..values.len()).map(|i| format!("c{i:03}")).collect();
            let input: Vec<(&str, Option<i128>)> = ids.iter().map(String::as_str).zip(values.iter().map(|v| Some(*v))).collect();
            let bounds: Vec<Bound> = ["0.8", "0.95", "1"].iter().map(|b| Bound::parse(b).unwrap()).collect();
            let shares: Vec<Bound> = ["0.1", "0.3", "1"].iter().map(|b| Bound::parse(b).unwrap()).collect();
            let classes = if rank_method { abc::rank_share(&input, &shares) } else { abc::cumulative_share(&input, &bounds) };
            for i in 0..values.len() {
                for j in 0..values.len() {
                    if values[i] > values[j] {
                        prop_assert!(classes[i] <= classes[j], "{} > {} but class {} > {}", values[i], values[j], classes[i], classes[j]);
                    }
                }
            }
            let top = (0..values.len()).filter(|&i| values[i] > 0).max_by(|&a, &b| values[a].cmp(&values[b]).then(b.cmp(&a)));
            if let (Some(top), false) = (top, rank_method) {
                prop_assert_eq!(classes[top], 0, "the top customer is always A");
            }
        }
    }
}
