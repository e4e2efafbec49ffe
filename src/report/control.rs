//! The last plan against results, as the documents show it: per account,
//! each objective's target and actual with met or missed; for the portfolio,
//! attainment by strategy and by owner.

use crate::classify::variables::format_of;
use crate::config::rules::Rules;
use crate::control::{Attainment, Comparison, Control};
use crate::locale::format::long_date;
use serde::Serialize;

/// One objective of the last plan, for an account plan.
#[derive(Debug, Serialize)]
pub struct ObjectiveResult {
    pub label: String,
    /// money, pct, count, days or decimal.
    pub format: &'static str,
    /// "≥ " or "≤ ".
    pub bound: &'static str,
    pub target: Option<f64>,
    pub value_then: Option<f64>,
    pub actual: Option<f64>,
    pub owner: String,
    pub due: String,
    /// met, missed, not_due, no_value or no_target.
    pub status: &'static str,
}

/// The account's part of the last plan.
#[derive(Debug, Serialize)]
pub struct AccountControl {
    /// The last plan's date, in words.
    pub plan_date: String,
    /// Whether the account was in the last plan; the rest is empty when not.
    pub in_plan: bool,
    pub strategy_then: String,
    pub strategy_now: Option<String>,
    pub changed: bool,
    pub objectives: Vec<ObjectiveResult>,
}

/// Attainment of one group (a strategy or an owner).
#[derive(Debug, Serialize)]
pub struct AttainmentRow {
    pub title: String,
    pub objectives: usize,
    pub met: usize,
    pub missed: usize,
    pub not_due: usize,
    pub unmeasured: usize,
    /// Met among met and missed; none when nothing was judged.
    pub rate: Option<f64>,
}

/// The last plan against results, for the portfolio report.
#[derive(Debug, Serialize)]
pub struct PortfolioControl {
    pub plan_date: String,
    /// Customers in the last plan, and of them key accounts then.
    pub customers: usize,
    pub key_accounts: usize,
    /// Customers whose strategy is not the same now (gone from the data included).
    pub strategy_changed: usize,
    pub total: AttainmentRow,
    pub by_strategy: Vec<AttainmentRow>,
    pub by_owner: Vec<AttainmentRow>,
}

fn row(title: String, a: &Attainment) -> AttainmentRow {
    AttainmentRow {
        title,
        objectives: a.objectives,
        met: a.met,
        missed: a.missed,
        not_due: a.not_due,
        unmeasured: a.unmeasured,
        rate: a.rate(),
    }
}

/// A strategy's title in the current rules, else the one the plan recorded.
fn strategy_title(rules: &Rules, id: &str, recorded: &str) -> String {
    rules.strategy(id).map_or_else(|| recorded.to_string(), |s| s.title.clone())
}

/// An objective's name in the current rules' language: the label its
/// strategy gives the metric today, else the one the plan recorded.
fn kpi_label(rules: &Rules, strategy: &str, metric: &str, recorded: &str) -> String {
    rules
        .strategy(strategy)
        .into_iter()
        .flat_map(|s| &s.actions)
        .filter_map(|a| a.kpi.as_ref())
        .find(|k| k.metric.value == metric)
        .and_then(|k| k.label.clone())
        .unwrap_or_else(|| recorded.to_string())
}

/// The account's objectives of the last plan (`in_plan` false when it was
/// not in it).
pub fn account_control(control: &Control, rules: &Rules, customer_id: &str) -> AccountControl {
    let plan_date = long_date(rules.locale, control.plan_as_of);
    let Some(then) = control.then(customer_id) else {
        return AccountControl {
            plan_date,
            in_plan: false,
            strategy_then: String::new(),
            strategy_now: None,
            changed: false,
            objectives: Vec::new(),
        };
    };
    let title_now = then.strategy_now.as_deref().map(|id| strategy_title(rules, id, id));
    AccountControl {
        plan_date,
        in_plan: true,
        strategy_then: strategy_title(rules, &then.strategy_then, &then.strategy_title_then),
        changed: then.strategy_now.as_deref() != Some(then.strategy_then.as_str()),
        strategy_now: title_now,
        objectives: control
            .of(customer_id)
            .map(|j| ObjectiveResult {
                label: kpi_label(rules, &j.strategy_then, &j.kpi.metric, &j.kpi.label),
                format: format_of(&j.kpi.metric),
                bound: match j.kpi.comparison {
                    Comparison::AtLeast => "≥ ",
                    Comparison::AtMost => "≤ ",
                },
                target: j.kpi.target,
                value_then: j.kpi.value,
                actual: j.actual,
                owner: rules.role_title(&j.kpi.owner),
                due: long_date(rules.locale, j.kpi.due),
                status: j.status.name(),
            })
            .collect(),
    }
}

/// Attainment of the last plan by strategy (then) and by owner.
pub fn portfolio_control(control: &Control, rules: &Rules) -> PortfolioControl {
    // Groups in rule order; those the rules no longer have at the end.
    let strategy_ids: Vec<&str> = rules.strategies.iter().map(|s| s.id.as_str()).collect();
    let role_ids: Vec<&str> = rules.roles.iter().map(|r| r.id.as_str()).collect();
    let place =
        |ids: &[&str], key: &str| ids.iter().position(|id| *id == key).unwrap_or(usize::MAX);
    let mut strategies = control.by(|j| &j.strategy_then);
    strategies.sort_by_key(|a| place(&strategy_ids, &a.key));
    let mut owners = control.by(|j| &j.kpi.owner);
    owners.sort_by_key(|a| place(&role_ids, &a.key));
    let by_strategy = strategies
        .iter()
        .map(|a| {
            let recorded = control
                .objectives
                .iter()
                .find(|j| j.strategy_then == a.key)
                .map_or(a.key.as_str(), |j| j.strategy_title_then.as_str());
            row(strategy_title(rules, &a.key, recorded), a)
        })
        .collect();
    let by_owner = owners.iter().map(|a| row(rules.role_title(&a.key), a)).collect();
    PortfolioControl {
        plan_date: long_date(rules.locale, control.plan_as_of),
        customers: control.customers.len(),
        key_accounts: control.customers.iter().filter(|c| c.key_account).count(),
        strategy_changed: control
            .customers
            .iter()
            .filter(|c| c.strategy_now.as_deref() != Some(c.strategy_then.as_str()))
            .count(),
        total: row(rules.locale.text("All objectives").to_string(), &control.total()),
        by_strategy,
        by_owner,
    }
}
