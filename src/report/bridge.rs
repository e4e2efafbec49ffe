//! The revenue bridge as the documents show it: the portfolio's from the
//! previous period to this one by customer movement and by cause, and each
//! account's by cause (docs/metrics.md#revenue-bridge). Figures are in
//! whole currency units, apportioned so that every table and chart adds up
//! as printed.

use crate::analysis::bridge::{Movement, bridge, movement};
use crate::classify::Portfolio;
use crate::drivers::Drivers;
use crate::locale::Locale;
use crate::model::Amount;
use crate::model::amount::SCALE;
use crate::render::Chart;
use crate::render::charts::WaterfallChart;
use serde::Serialize;

/// The portfolio's bridge for the report.
#[derive(Debug, Serialize)]
pub struct PortfolioBridge {
    pub revenue_prev: f64,
    pub revenue: f64,
    /// Customer movements: new, returning, growth, decline, lost.
    pub rows: Vec<BridgeRow>,
    /// Customers who bought in both periods with the same revenue.
    pub unchanged: usize,
    /// The change of the customers who bought in both periods, by cause;
    /// `None` without products and quantities.
    pub causes: Option<Causes>,
    pub chart: String,
    /// The chart's value axis does not start at zero.
    pub truncated: bool,
}

/// One step of a bridge table.
#[derive(Debug, Serialize)]
pub struct BridgeRow {
    pub label: String,
    /// What the step means, in a few words.
    pub about: String,
    pub customers: Option<usize>,
    pub amount: f64,
}

/// A change split by cause: price, volume, mix, products added and dropped, other.
#[derive(Debug, Serialize)]
pub struct Causes {
    pub rows: Vec<BridgeRow>,
    /// The change they add up to.
    pub total: f64,
}

/// An account's bridge for its plan.
#[derive(Debug, Serialize)]
pub struct AccountBridge {
    pub revenue_prev: f64,
    pub revenue: f64,
    pub causes: Causes,
    /// The causes include "Other".
    pub other: bool,
    pub chart: String,
    pub truncated: bool,
}

/// The report's bridge and its chart.
pub fn portfolio_bridge(portfolio: &Portfolio, locale: Locale) -> (PortfolioBridge, Chart) {
    let b = bridge(portfolio);
    let (revenue_prev, revenue) = (whole(b.revenue_prev), whole(b.revenue));
    let labels = [
        ("New customers", "first purchase in this period"),
        ("Returning customers", "none in the previous period, some before it"),
        ("Growth", "bought in both periods, more now"),
        ("Decline", "bought in both periods, less now"),
        ("Lost customers", "bought in the previous period, not in this one"),
    ];
    let steps = b.steps();
    let amounts = apportion(&steps.map(|s| s.amount), revenue - revenue_prev);
    let rows: Vec<BridgeRow> = labels
        .iter()
        .zip(steps.iter().zip(&amounts))
        .map(|((label, about), (step, amount))| BridgeRow {
            label: locale.text(label).into(),
            about: locale.text(about).into(),
            customers: Some(step.customers),
            amount: *amount as f64,
        })
        .collect();
    // The causes add up to the growth and decline rows as printed.
    let causes = b.drivers.map(|d| causes(&d, locale, amounts[2] + amounts[3]));
    let chart = waterfall(locale, revenue_prev as f64, &rows, revenue as f64);
    let view = PortfolioBridge {
        revenue_prev: revenue_prev as f64,
        revenue: revenue as f64,
        rows,
        unchanged: b.unchanged,
        causes,
        chart: "/charts/bridge.svg".into(),
        truncated: crate::render::charts::axis_floor(&chart) > 0.0,
    };
    (view, Chart::Waterfall(chart))
}

/// An account's bridge by cause, when it bought in both periods and the
/// sales have products and quantities.
pub fn account_bridge(portfolio: &Portfolio, row: usize, locale: Locale) -> Option<AccountBridge> {
    let m = &portfolio.rows[row].metrics;
    let d = m.drivers.filter(|_| movement(m) == Movement::Continuing)?;
    let (revenue_prev, revenue) = (whole(m.revenue_prev), whole(m.revenue));
    // The bars lead from the first total to the second as printed.
    let causes = causes(&d, locale, revenue - revenue_prev);
    let mut view = AccountBridge {
        revenue_prev: revenue_prev as f64,
        revenue: revenue as f64,
        other: causes.rows.len() > 5,
        causes,
        chart: "/charts/bridge.svg".into(),
        truncated: false,
    };
    view.truncated = crate::render::charts::axis_floor(&account_chart(&view, locale)) > 0.0;
    Some(view)
}

/// The chart of an account's bridge: every cause the note under it names,
/// a zero one too.
pub fn account_chart(view: &AccountBridge, locale: Locale) -> WaterfallChart {
    waterfall(locale, view.revenue_prev, &view.causes.rows, view.revenue)
}

/// A waterfall from the previous period's revenue through `rows` to this period's.
fn waterfall(locale: Locale, start: f64, rows: &[BridgeRow], end: f64) -> WaterfallChart {
    WaterfallChart {
        locale,
        start: (locale.text("Previous period").into(), start),
        steps: rows.iter().map(|r| (r.label.clone(), r.amount)).collect(),
        end: (locale.text("This period").into(), end),
    }
}

/// The rows of a change by cause, apportioned to `total` whole units.
fn causes(d: &Drivers, locale: Locale, total: i128) -> Causes {
    let labels = [
        ("Price", "what each product's price change did, at this period's quantities"),
        ("Volume", "the change of the total quantity, at the previous period's average price"),
        ("Mix", "the shift of quantity between cheaper and dearer products"),
        ("New products", "products bought now and not in the previous period"),
        ("Dropped products", "products bought in the previous period and not now"),
        ("Other", "products without a comparable quantity, and lines without a product"),
    ];
    let values = [d.price, d.volume, d.mix, d.new_products, d.dropped_products, d.other];
    let amounts = apportion(&values, total);
    let rows = labels
        .iter()
        .zip(&amounts)
        .enumerate()
        // "Other" only when there is something in it.
        .filter(|(i, (_, a))| *i < 5 || **a != 0)
        .map(|(_, ((label, about), amount))| BridgeRow {
            label: locale.text(label).into(),
            about: locale.text(about).into(),
            customers: None,
            amount: *amount as f64,
        })
        .collect();
    Causes { rows, total: total as f64 }
}

/// An amount in whole currency units, halves away from zero.
fn whole(a: Amount) -> i128 {
    let (units, scale) = (i128::from(a.units()), i128::from(SCALE));
    (units + units.signum() * scale / 2) / scale
}

/// `values` in whole currency units that add up to `total` exactly: each
/// rounded down, then the units still missing (or in excess) given to the
/// values with the largest (smallest) remainders, ties to the first.
pub fn apportion(values: &[Amount], total: i128) -> Vec<i128> {
    let scale = i128::from(SCALE);
    let floors: Vec<i128> =
        values.iter().map(|v| i128::from(v.units()).div_euclid(scale)).collect();
    let remainders: Vec<i128> =
        values.iter().map(|v| i128::from(v.units()).rem_euclid(scale)).collect();
    let mut result = floors.clone();
    let mut missing = total - floors.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    // Normally 0 ≤ missing ≤ n; a total far from the values' sum is spread all the same.
    while missing != 0 && !order.is_empty() {
        if missing > 0 {
            for &i in &order {
                if missing == 0 {
                    break;
                }
                result[i] += 1;
                missing -= 1;
            }
        } else {
            for &i in order.iter().rev() {
                if missing == 0 {
                    break;
                }
                result[i] -= 1;
                missing += 1;
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(units: i64) -> Amount {
        Amount::from_units(units)
    }

    #[test]
    fn apportioned_rows_add_up_to_the_rounded_total() {
        // 26.6667 − 40 − 6.6667 + 12 + 8 = 0 (hand-worked bridge): rounded
        // 27 − 40 − 7 + 12 + 8 = 0.
        let values = [a(266_667), a(-400_000), a(-66_667), a(120_000), a(80_000)];
        assert_eq!(apportion(&values, 0), [27, -40, -7, 12, 8]);
        // Three thirds of 1: 0.3333 each, total 1: the first gets the unit.
        assert_eq!(apportion(&[a(3_333), a(3_333), a(3_334)], 1), [0, 0, 1]);
        assert_eq!(apportion(&[a(-15_000), a(5_000)], -1), [-1, 0]);
    }

    #[test]
    fn whole_rounds_halves_away_from_zero() {
        assert_eq!([whole(a(15_000)), whole(a(-15_000)), whole(a(14_999))], [2, -2, 1]);
    }
}
