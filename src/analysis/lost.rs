//! Lost customers and partial churn, by the alerts `[analysis]` names, with
//! the losses per month of last purchase and a win-back list ordered by the
//! value a win-back can still recover.

use crate::classify::Portfolio;
use crate::classify::engine::rule_environment;
use crate::classify::facts::RowView;
use crate::config::accounts::AccountBook;
use crate::config::rules::Rules;
use crate::model::{Date, MonthIndex};
use serde::Serialize;

/// A customer the lost alert fired for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LostCustomer {
    #[serde(skip)]
    pub row: usize,
    pub customer_id: String,
    pub name: Option<String>,
    #[serde(skip)]
    pub last_purchase: Date,
    pub days_since_last: i64,
    /// Revenue over the `months` months up to the last purchase, as far as
    /// the two windows reach: what the portfolio lost in a year.
    pub revenue_lost: f64,
    /// The purchase model's chance that it still buys.
    pub p_alive: Option<f64>,
    /// `revenue_lost × p_alive`, to cents: a year of what it bought,
    /// weighted by the chance it is still there to win back.
    pub recoverable: Option<f64>,
    /// From the account file, when the consultant knows it.
    pub reason: Option<String>,
    /// The segment it had in the win-back matrix while still buying, and the
    /// first action of that segment's playbook.
    pub segment_before: Option<String>,
    pub treatment: Option<String>,
}

/// Losses by month of last purchase.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LostMonth {
    #[serde(skip)]
    pub month: MonthIndex,
    pub customers: usize,
    pub revenue_lost: f64,
}

/// A customer still buying, but less.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Churning {
    #[serde(skip)]
    pub row: usize,
    pub customer_id: String,
    pub name: Option<String>,
    pub revenue: f64,
    pub revenue_prev: f64,
    pub categories: Option<i64>,
    pub categories_prev: Option<i64>,
}

#[derive(Debug, Default)]
pub struct LostReport {
    /// Largest loss first.
    pub lost: Vec<LostCustomer>,
    /// The months of both windows, oldest first; earlier losses are in `before`.
    pub by_month: Vec<LostMonth>,
    pub before: LostMonth,
    /// Largest previous revenue first.
    pub churning: Vec<Churning>,
}

impl LostReport {
    pub fn revenue_lost(&self) -> f64 {
        self.lost.iter().map(|l| l.revenue_lost).sum()
    }
}

pub fn lost_report(
    portfolio: &Portfolio,
    previous: Option<&Portfolio>,
    rules: &Rules,
    accounts: &AccountBook,
) -> LostReport {
    let analysis = &rules.analysis;
    let fired = |id: &Option<crate::config::Located<String>>, row: usize| {
        id.as_ref().is_some_and(|id| portfolio.alerts(row).contains(&id.value))
    };
    let period = &portfolio.period;
    let first_month = period.first_month - period.months as i32;
    let months = period.months as usize;
    let mut report = LostReport {
        by_month: (first_month..=period.last_month)
            .map(|month| LostMonth { month, customers: 0, revenue_lost: 0.0 })
            .collect(),
        before: LostMonth { month: first_month - 1, customers: 0, revenue_lost: 0.0 },
        ..LostReport::default()
    };
    let env = rule_environment(rules.locale, &rules.currency);
    for (row, r) in portfolio.rows.iter().enumerate() {
        let m = &r.metrics;
        if fired(&analysis.lost_alert, row)
            && let (Some(last), Some(days)) = (m.last_purchase, m.days_since_last)
        {
            // Both windows' months, oldest first, then the year up to the last purchase.
            let history: Vec<f64> = m
                .monthly_revenue_prev
                .iter()
                .chain(&m.monthly_revenue)
                .map(|a| a.to_f64())
                .collect();
            let end =
                (last.month_index() - first_month + 1).clamp(0, history.len() as i32) as usize;
            let revenue_lost = super::cents(history[end.saturating_sub(months)..end].iter().sum());
            let (segment_before, treatment) = win_back(portfolio, previous, rules, &env, row);
            let lost = LostCustomer {
                row,
                customer_id: r.customer_id.clone(),
                name: r.name().map(str::to_string),
                last_purchase: last,
                days_since_last: days,
                revenue_lost,
                p_alive: r.outlook.map(|o| o.p_alive),
                recoverable: r.outlook.map(|o| super::cents(revenue_lost * o.p_alive)),
                reason: accounts.get(&r.customer_id).and_then(|a| a.lost_reason.clone()),
                segment_before,
                treatment,
            };
            let slot = report
                .by_month
                .iter_mut()
                .find(|b| b.month == last.month_index())
                .unwrap_or(&mut report.before);
            slot.customers += 1;
            slot.revenue_lost = super::cents(slot.revenue_lost + revenue_lost);
            report.lost.push(lost);
        } else if fired(&analysis.partial_churn_alert, row) {
            let count = |name: &str| match portfolio.facts.get(name, row) {
                Some(crate::classify::facts::Fact::Count(n)) => Some(*n),
                _ => None,
            };
            report.churning.push(Churning {
                row,
                customer_id: r.customer_id.clone(),
                name: r.name().map(str::to_string),
                revenue: m.revenue.to_f64(),
                revenue_prev: m.revenue_prev.to_f64(),
                categories: count("categories"),
                categories_prev: count("categories_prev"),
            });
        }
    }
    // Most to recover first; without a forecast, after those with one.
    report.lost.sort_by(|a, b| {
        let recoverable = |l: &LostCustomer| l.recoverable.unwrap_or(f64::NEG_INFINITY);
        recoverable(b)
            .total_cmp(&recoverable(a))
            .then(b.revenue_lost.total_cmp(&a.revenue_lost))
            .then(a.customer_id.cmp(&b.customer_id))
    });
    report.churning.sort_by(|a, b| {
        b.revenue_prev.total_cmp(&a.revenue_prev).then(a.customer_id.cmp(&b.customer_id))
    });
    report
}

/// The segment a lost customer had in the win-back matrix in the window
/// before (now, when the window before was not classified), with the first
/// action of its playbook.
fn win_back(
    portfolio: &Portfolio,
    previous: Option<&Portfolio>,
    rules: &Rules,
    env: &minijinja::Environment<'static>,
    row: usize,
) -> (Option<String>, Option<String>) {
    // The action is the first of the customer's own strategy (win-back in the
    // default rules): the former segment's playbook was written for a
    // customer that still buys.
    let strategy_action = portfolio.text("strategy", row).and_then(|id| {
        let first = rules.strategy(&id)?.actions.first()?;
        let context = RowView::value(&portfolio.facts, row);
        Some(env.render_str(&first.text.value, context).unwrap_or_else(|e| e.to_string()))
    });
    let Some(matrix) = &rules.analysis.win_back_matrix else { return (None, strategy_action) };
    let id = &portfolio.rows[row].customer_id;
    let (source, source_row) = match previous.and_then(|p| Some((p, p.row_of(id)?))) {
        Some(found) => found,
        None => (portfolio, row),
    };
    let Some(segment) = source.text(&matrix.value, source_row).and_then(|s| rules.segment(&s))
    else {
        return (None, strategy_action);
    };
    if strategy_action.is_some() {
        return (Some(segment.title.clone()), strategy_action);
    }
    // Rendered as the account plan renders the playbook, over the customer's
    // figures in the window the segment comes from.
    let context = RowView::value(&source.facts, source_row);
    let action = segment
        .actions
        .first()
        .map(|a| env.render_str(&a.value, context.clone()).unwrap_or_else(|e| e.to_string()));
    (Some(segment.title.clone()), action)
}
