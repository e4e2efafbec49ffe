//! The portfolio's strategies: customers and revenue per strategy, and the
//! workload their action plans put on each owner role month by month, so
//! management can see whether the team can carry the plan.

use crate::classify::Portfolio;
use crate::config::rules::Rules;
use crate::locale::format::short_month;
use crate::model::MonthIndex;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct StrategyOverview {
    pub rows: Vec<StrategyLine>,
    pub workload: Workload,
}

/// One strategy of the table, in rule order.
#[derive(Debug, Serialize)]
pub struct StrategyLine {
    pub id: String,
    pub title: String,
    /// invest, maintain, reduce or withdraw.
    pub resources: &'static str,
    pub customers: usize,
    pub key_accounts: usize,
    /// Revenue in the window, and its share of the portfolio's.
    pub revenue: f64,
    pub revenue_share: Option<f64>,
    /// Actions of the strategy's plan, and over all its customers.
    pub actions: usize,
    pub actions_total: usize,
    /// The plan's first action, the recommendation in a line; none when its
    /// text is written for each customer (it holds `{{ … }}` or `{% … %}`).
    pub first_action: Option<String>,
}

/// Actions due per owner role and month, counted over every customer.
#[derive(Debug, Serialize)]
pub struct Workload {
    /// The months with actions due, as short labels ("Jul 25"), in order.
    pub months: Vec<String>,
    /// (role title, actions due in each month, total), roles in rule order.
    pub rows: Vec<(String, Vec<usize>, usize)>,
    pub totals: Vec<usize>,
    pub total: usize,
}

/// The overview of the portfolio's strategies; `None` when the rules have no
/// strategy table.
pub fn overview(portfolio: &Portfolio, rules: &Rules) -> Option<StrategyOverview> {
    if rules.strategies.is_empty() {
        return None;
    }
    let as_of = portfolio.period.as_of;
    let total_revenue: f64 = portfolio.rows.iter().map(|r| r.metrics.revenue.to_f64()).sum();
    let strategy_of: Vec<Option<String>> =
        (0..portfolio.rows.len()).map(|r| portfolio.text("strategy", r)).collect();
    let mut due: Vec<(usize, MonthIndex)> = Vec::new(); // (role index, month)
    let mut role_ids: Vec<&str> = rules.roles.iter().map(|r| r.id.as_str()).collect();
    let rows = rules
        .strategies
        .iter()
        .map(|s| {
            let members: Vec<usize> = (0..portfolio.rows.len())
                .filter(|&r| strategy_of[r].as_deref() == Some(s.id.as_str()))
                .collect();
            let revenue: f64 =
                members.iter().map(|&r| portfolio.rows[r].metrics.revenue.to_f64()).sum();
            for action in &s.actions {
                let role = match role_ids.iter().position(|id| *id == action.owner.value) {
                    Some(i) => i,
                    None => {
                        role_ids.push(&action.owner.value);
                        role_ids.len() - 1
                    }
                };
                let month = action.due.date_after(as_of).month_index();
                due.extend(std::iter::repeat_n((role, month), members.len()));
            }
            StrategyLine {
                id: s.id.clone(),
                title: s.title.clone(),
                resources: s.resources.name(),
                customers: members.len(),
                key_accounts: members.iter().filter(|&&r| portfolio.is_key_account(r)).count(),
                revenue: crate::analysis::cents(revenue),
                revenue_share: (total_revenue > 0.0).then(|| revenue / total_revenue),
                actions: s.actions.len(),
                actions_total: s.actions.len() * members.len(),
                first_action: s
                    .actions
                    .first()
                    .map(|a| a.text.value.clone())
                    .filter(|t| !t.contains("{{") && !t.contains("{%")),
            }
        })
        .collect();
    Some(StrategyOverview { rows, workload: workload(rules, &role_ids, &due) })
}

fn workload(rules: &Rules, role_ids: &[&str], due: &[(usize, MonthIndex)]) -> Workload {
    let (Some(first), Some(last)) = (due.iter().map(|d| d.1).min(), due.iter().map(|d| d.1).max())
    else {
        return Workload { months: Vec::new(), rows: Vec::new(), totals: Vec::new(), total: 0 };
    };
    let span = (last - first + 1) as usize;
    let mut counts = vec![vec![0usize; span]; role_ids.len()];
    for &(role, month) in due {
        counts[role][(month - first) as usize] += 1;
    }
    let totals: Vec<usize> = (0..span).map(|m| counts.iter().map(|c| c[m]).sum()).collect();
    let rows = role_ids
        .iter()
        .zip(counts)
        .filter(|(_, c)| c.iter().any(|n| *n > 0))
        .map(|(id, c)| {
            let total = c.iter().sum();
            (rules.role_title(id), c, total)
        })
        .collect();
    Workload {
        months: (first..=last).map(|m| short_month(rules.locale, m)).collect(),
        rows,
        total: totals.iter().sum(),
        totals,
    }
}
