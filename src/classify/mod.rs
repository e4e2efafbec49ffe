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
    let ids: BTreeSet<&str> = master
        .customers
        .keys()
        .map(String::as_str)
        .chain(ledger.customers.keys().map(|k| &**k))
        .collect();
    let mut rows: Vec<PortfolioRow> = ids
        .into_iter()
        .map(|id| {
            let customer = master.customers.get(id).cloned();
            let metrics = customer_metrics(
                ledger.customers.get(id),
                customer.as_ref(),
                &period,
                ledger.columns,
            );
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
