//! The executive summary of the portfolio report: the few findings that
//! matter most, drafted from the figures of the report itself, each with
//! the numbers behind it. A finding appears only when the data supports it.

use crate::classify::Portfolio;
use crate::locale::{Locale, format};
use serde::Serialize;

/// Most findings the summary shows.
pub const MOST: usize = 7;

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// A short headline, e.g. "Revenue is concentrated".
    pub title: String,
    /// One or two sentences with the figures.
    pub text: String,
}

/// The report's figures the findings are drafted from.
pub struct Figures<'a> {
    pub locale: Locale,
    pub currency: &'a str,
    pub revenue: f64,
    pub revenue_prev: f64,
    pub growth: Option<f64>,
    pub margin_pct: Option<f64>,
    /// Customers with revenue in the window.
    pub active: usize,
    pub top20: Option<f64>,
    pub customers_for_80: usize,
    /// Customers lost, and what they bought in the year before.
    pub lost: (usize, f64),
    /// Customers buying much less, and how much less (when all are listed).
    pub churning: (usize, Option<f64>),
    /// Customers with cross-sell gaps, and the potential.
    pub cross_sell: Option<(usize, f64)>,

    /// The last plan: its date, objectives met and judged.
    pub control: Option<(&'a str, usize, usize)>,
}

/// The findings, most important first, at most [`MOST`].
pub fn findings(f: &Figures, portfolio: &Portfolio) -> Vec<Finding> {
    let (l, currency) = (f.locale, f.currency);
    let money = |x: f64| format::money_with_currency(l, x, 0, currency);
    let pct = |x: f64| format::percent(l, x, 0);
    let count = |n: usize| format::number(l, n as f64, 0);
    let mut list = Vec::new();
    let mut add = |title: &str, text: String| {
        list.push(Finding { title: l.text(title).to_string(), text });
    };
    if let Some(growth) = f.growth {
        let title = if growth >= 0.0 { "Revenue grew" } else { "Revenue fell" };
        let mut text = l.fill(
            "Revenue was {revenue} in the period, {change} against {previous} in the period before.",
            &[
                ("revenue", &money(f.revenue)),
                ("change", &format::change(l, growth)),
                ("previous", &money(f.revenue_prev)),
            ],
        );
        if let Some(m) = f.margin_pct {
            text.push(' ');
            text.push_str(&l.fill("The margin was {share} of revenue.", &[("share", &pct(m))]));
        }
        add(title, text);
    }

    if let (Some(top20), true) = (f.top20, f.active > 0) {
        let title =
            if top20 >= 0.6 { "Revenue is concentrated" } else { "Revenue is spread widely" };
        add(
            title,
            l.fill(
                "{n} of the {active} customers who bought make 80% of revenue; the largest 20% make {top20}.",
                &[
                    ("n", &count(f.customers_for_80)),
                    ("active", &count(f.active)),
                    ("top20", &l.the(&pct(top20))),
                ],
            ),
        );
    }

    let keys = portfolio.key_account_rows();
    if !keys.is_empty() && f.revenue > 0.0 {
        let revenue: f64 = keys.iter().map(|&r| portfolio.rows[r].metrics.revenue.to_f64()).sum();
        let declining: Vec<f64> = keys
            .iter()
            .map(|&r| &portfolio.rows[r].metrics)
            .filter(|m| m.revenue < m.revenue_prev)
            .map(|m| (m.revenue_prev - m.revenue).to_f64())
            .collect();
        let mut text = l.fill(
            "The {n} key accounts make {share} of revenue.",
            &[("n", &count(keys.len())), ("share", &l.the(&pct(revenue / f.revenue)))],
        );
        if !declining.is_empty() {
            text.push(' ');
            text.push_str(&l.fill(
                "{n} of them bought less than in the period before, {lost} less in all.",
                &[("n", &count(declining.len())), ("lost", &money(declining.iter().sum()))],
            ));
        }
        add("Key accounts", text);
    }

    let (lost, lost_revenue) = f.lost;
    if lost > 0 {
        add(
            "Customers lost",
            l.fill(
                if lost == 1 {
                    "One customer stopped buying; in the year before its last purchase it bought {revenue}."
                } else {
                    "{n} customers stopped buying; in the year before their last purchase they bought {revenue}."
                },
                &[("n", &count(lost)), ("revenue", &money(lost_revenue))],
            ),
        );
    }
    let (churning, fall) = f.churning;
    if churning > 0 {
        let text = match fall {
            Some(fall) => l.fill(
                if churning == 1 {
                    "One customer still buys but buys much less: {fall} less than in the period before."
                } else {
                    "{n} customers still buy but buy much less: {fall} less than in the period before."
                },
                &[("n", &count(churning)), ("fall", &money(fall))],
            ),
            None if churning == 1 => l.text("One customer still buys but buys much less.").to_string(),
            None => {
                l.fill("{n} customers still buy but buy much less.", &[("n", &count(churning))])
            }
        };
        add("Customers buying less", text);
    }

    if let Some((customers, potential)) = f.cross_sell.filter(|c| c.1 > 0.0) {
        add(
            "Room to sell more",
            l.fill(
                if customers == 1 {
                    "One customer does not buy categories that most of its peers buy: {potential} at its peers' level."
                } else {
                    "{n} customers do not buy categories that most of their peers buy: {potential} at their peers' level."
                },
                &[("n", &count(customers)), ("potential", &money(potential))],
            ),
        );
    }

    // Counted from the figures themselves: the over-investment alert's
    // condition is the rules' own and need not mean a loss.
    let losses: Vec<f64> = portfolio
        .rows
        .iter()
        .filter_map(|row| {
            let margin = row.metrics.margin?.to_f64();
            let cost = row.customer.as_ref()?.cost_to_serve?.to_f64();
            (cost > margin).then_some(cost - margin)
        })
        .collect();
    if !losses.is_empty() {
        let shortfall: f64 = losses.iter().sum();
        add(
            "Cost to serve",
            l.fill(
                if losses.len() == 1 {
                    "One customer costs more to serve than its margin brings: {shortfall} short."
                } else {
                    "{n} customers cost more to serve than their margin brings: {shortfall} short in all."
                },
                &[("n", &count(losses.len())), ("shortfall", &money(shortfall))],
            ),
        );
    }

    let unrated = (0..portfolio.rows.len())
        .filter(|&r| {
            let m = &portfolio.rows[r].metrics;
            m.revenue.to_f64() > 0.0 && m.share_of_wallet.is_none()
        })
        .count();
    if unrated > 0 && f.active > 0 {
        add(
            "Potential not estimated",
            l.fill(
                "{n} of the {active} customers who bought have no potential estimate: their share of wallet, and so their room to grow, is not assessed.",
                &[("n", &count(unrated)), ("active", &count(f.active))],
            ),
        );
    }

    let mut control_finding = false;
    if let Some((date, met, judged)) = f.control.filter(|c| c.2 > 0) {
        control_finding = true;
        add(
            "Last plan",
            l.fill(
                "Of the objectives of the plan of {date} due by now, {met} of {judged} were met ({rate}).",
                &[
                    ("date", &date),
                    ("met", &count(met)),
                    ("judged", &count(judged)),
                    ("rate", &pct(met as f64 / judged as f64)),
                ],
            ),
        );
    }
    // The control of the last plan is the consultant's first question; keep
    // it when the list is long.
    if control_finding && list.len() > MOST {
        let last = list.pop();
        list.truncate(MOST - 1);
        list.extend(last);
    }
    list.truncate(MOST);
    list
}
