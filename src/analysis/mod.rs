//! The analyses a consultant builds on top of the classes: cross-sell gaps
//! against peers, lost and churning customers with a win-back list, the
//! balance of cost to serve against margin, a SWOT drafted from the figures
//! and the playbook's objectives made concrete. Pure computation over
//! classified portfolios; the reports and tables present the results.

pub mod account;
pub mod bridge;
pub mod cross_sell;
pub mod lost;
pub mod objectives;
pub mod quality;
pub mod resources;
pub mod swot;
#[cfg(test)]
pub(crate) mod tests;

use crate::classify::Portfolio;
use crate::config::accounts::AccountBook;
use crate::config::rules::Rules;

/// Every portfolio-wide analysis, computed once per run.
#[derive(Debug)]
pub struct Intelligence {
    pub cross_sell: cross_sell::CrossSell,
    pub lost: lost::LostReport,
    pub resources: resources::ResourceBalance,
}

impl Intelligence {
    pub fn new(
        portfolio: &Portfolio,
        previous: Option<&Portfolio>,
        rules: &Rules,
        accounts: &AccountBook,
    ) -> Intelligence {
        Intelligence {
            cross_sell: cross_sell::cross_sell(portfolio, rules.cross_sell.as_ref()),
            lost: lost::lost_report(portfolio, previous, rules, accounts),
            resources: resources::resource_balance(portfolio, rules),
        }
    }
}

/// A sum or median of money, back to whole cents: float arithmetic on
/// amounts leaves tails such as 9715.705000000002 that tables and JSON show.
pub fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The median of some values (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}
