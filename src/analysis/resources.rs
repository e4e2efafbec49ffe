//! Resource balance: where the cost of serving customers goes against where
//! the margin comes from, by class and segment, and the accounts flagged as
//! over-invested or under-served by the alerts `[analysis]` names.

use super::cents;
use crate::classify::Portfolio;
use crate::config::rules::Rules;
use serde::Serialize;

/// One class or segment of a breakdown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BalanceRow {
    pub group: String,
    pub customers: usize,
    pub revenue: f64,
    pub margin: f64,
    pub cost_to_serve: f64,
    /// Margin less cost to serve.
    pub net_contribution: f64,
    /// Shares of the portfolio's margin and cost to serve (null when the total is not positive).
    pub margin_share: Option<f64>,
    pub cost_share: Option<f64>,
}

/// The balance by the values of one classification or matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breakdown {
    /// The classification or matrix id.
    pub by: String,
    pub rows: Vec<BalanceRow>,
}

/// An account flagged by the over-invested or under-served alert.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flagged {
    #[serde(skip)]
    pub row: usize,
    pub customer_id: String,
    pub name: Option<String>,
    pub revenue: f64,
    pub margin: Option<f64>,
    pub cost_to_serve: Option<f64>,
    pub net_contribution: Option<f64>,
    pub share_of_wallet: Option<f64>,
    /// A share of wallet above 100%: a wrong potential estimate.
    pub share_of_wallet_doubtful: bool,
}

#[derive(Debug, Default)]
pub struct ResourceBalance {
    /// Customers with both a margin and a cost to serve: the only ones the balance can weigh.
    pub customers_with_costs: usize,
    pub breakdowns: Vec<Breakdown>,
    pub over_invested: Vec<Flagged>,
    pub under_served: Vec<Flagged>,
}

pub fn resource_balance(portfolio: &Portfolio, rules: &Rules) -> ResourceBalance {
    let costed: Vec<(usize, f64, f64)> = portfolio
        .rows
        .iter()
        .enumerate()
        .filter_map(|(row, r)| {
            let cost = r.customer.as_ref()?.cost_to_serve?;
            Some((row, r.metrics.margin?.to_f64(), cost.to_f64()))
        })
        .collect();
    let (margin_total, cost_total) =
        costed.iter().fold((0.0, 0.0), |(m, c), (_, margin, cost)| (m + margin, c + cost));
    let share = |part: f64, total: f64| (total > 0.0).then(|| part / total);
    let breakdowns = rules
        .analysis
        .resource_groups
        .iter()
        .filter(|g| portfolio.facts.has(&g.value))
        .map(|g| {
            let mut rows: Vec<BalanceRow> = Vec::new();
            for &(row, margin, cost) in &costed {
                let group = portfolio.text(&g.value, row).unwrap_or_else(|| "–".to_string());
                let at = match rows.iter().position(|b| b.group == group) {
                    Some(i) => i,
                    None => {
                        rows.push(BalanceRow {
                            group,
                            customers: 0,
                            revenue: 0.0,
                            margin: 0.0,
                            cost_to_serve: 0.0,
                            net_contribution: 0.0,
                            margin_share: None,
                            cost_share: None,
                        });
                        rows.len() - 1
                    }
                };
                let b = &mut rows[at];
                b.customers += 1;
                b.revenue += portfolio.rows[row].metrics.revenue.to_f64();
                b.margin += margin;
                b.cost_to_serve += cost;
            }
            for b in &mut rows {
                (b.revenue, b.margin, b.cost_to_serve) =
                    (cents(b.revenue), cents(b.margin), cents(b.cost_to_serve));
                b.net_contribution = cents(b.margin - b.cost_to_serve);
                b.margin_share = share(b.margin, margin_total);
                b.cost_share = share(b.cost_to_serve, cost_total);
            }
            rows.sort_by(|a, b| a.group.cmp(&b.group));
            Breakdown { by: g.value.clone(), rows }
        })
        .collect();
    let flagged = |alert: &Option<crate::config::Located<String>>| -> Vec<Flagged> {
        let Some(alert) = alert else { return Vec::new() };
        let mut list: Vec<Flagged> = (0..portfolio.rows.len())
            .filter(|&row| portfolio.alerts(row).contains(&alert.value))
            .map(|row| {
                let r = &portfolio.rows[row];
                let cost = r.customer.as_ref().and_then(|c| c.cost_to_serve).map(|c| c.to_f64());
                let margin = r.metrics.margin.map(|m| m.to_f64());
                Flagged {
                    row,
                    customer_id: r.customer_id.clone(),
                    name: r.name().map(str::to_string),
                    revenue: r.metrics.revenue.to_f64(),
                    margin,
                    cost_to_serve: cost,
                    net_contribution: margin.zip(cost).map(|(m, c)| cents(m - c)),
                    share_of_wallet: r.metrics.share_of_wallet,
                    share_of_wallet_doubtful: super::quality::doubtful_share_of_wallet(&r.metrics),
                }
            })
            .collect();
        list.sort_by(|a, b| {
            b.revenue.total_cmp(&a.revenue).then(a.customer_id.cmp(&b.customer_id))
        });
        list
    };
    ResourceBalance {
        customers_with_costs: costed.len(),
        breakdowns,
        over_invested: flagged(&rules.analysis.over_invested_alert),
        under_served: flagged(&rules.analysis.under_served_alert),
    }
}
