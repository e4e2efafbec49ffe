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
    /// Customers with gaps, their potential, and the share of peers a gap needs.
    pub cross_sell: Option<(usize, f64, f64)>,

    /// The last plan: its date, objectives met and judged.
    pub control: Option<(&'a str, usize, usize)>,
}

/// The findings, most important first, at most [`MOST`].
pub fn findings(f: &Figures, portfolio: &Portfolio) -> Vec<Finding> {
    let w = Words { l: f.locale, currency: f.currency };
    let mut list: Vec<Finding> = [
        growth(f, &w),
        concentration(f, &w),
        key_accounts(f, portfolio, &w),
        lost(f, &w),
        churning(f, &w),
        cross_sell(f, &w),
        cost_to_serve(portfolio, &w),
        unrated(f, portfolio, &w),
    ]
    .into_iter()
    .flatten()
    .collect();
    let control = last_plan(f, &w);
    let control_finding = control.is_some();
    list.extend(control);
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

/// How the findings write their figures.
struct Words<'a> {
    l: Locale,
    currency: &'a str,
}

impl Words<'_> {
    /// An amount with its currency, without decimals.
    fn money(&self, x: f64) -> String {
        format::money_with_currency(self.l, x, 0, self.currency)
    }

    /// A share with one decimal, as the key figures write it.
    fn pct(&self, x: f64) -> String {
        format::percent(self.l, x, 1)
    }

    /// A count of customers.
    fn count(&self, n: usize) -> String {
        format::number(self.l, n as f64, 0)
    }

    /// A finding with its title in the documents' language.
    fn finding(&self, title: &str, text: String) -> Finding {
        Finding { title: self.l.text(title).to_string(), text }
    }
}

/// Revenue against the period before, with the margin.
fn growth(f: &Figures, w: &Words) -> Option<Finding> {
    let l = w.l;
    let growth = f.growth?;
    let title = if growth >= 0.0 { "Revenue grew" } else { "Revenue fell" };
    let mut text = l.fill(
        "Revenue was {revenue} in the period, {change} against {previous} in the period before.",
        &[
            ("revenue", &w.money(f.revenue)),
            ("change", &format::change(l, growth)),
            ("previous", &w.money(f.revenue_prev)),
        ],
    );
    if let Some(m) = f.margin_pct {
        text.push(' ');
        text.push_str(&l.fill("The margin was {share} of revenue.", &[("share", &w.pct(m))]));
    }
    Some(w.finding(title, text))
}

/// How few customers make most of the revenue.
fn concentration(f: &Figures, w: &Words) -> Option<Finding> {
    let l = w.l;
    let (Some(top20), true) = (f.top20, f.active > 0) else { return None };
    let title = if top20 >= 0.6 { "Revenue is concentrated" } else { "Revenue is spread widely" };
    Some(w.finding(
        title,
        l.fill(
            "{n} of the {active} customers who bought make 80% of revenue; the largest 20% make {top20}.",
            &[
                ("n", &w.count(f.customers_for_80)),
                ("active", &w.count(f.active)),
                ("top20", &l.the(&w.pct(top20))),
            ],
        ),
    ))
}

/// The key accounts' share of revenue and those of them buying less.
fn key_accounts(f: &Figures, portfolio: &Portfolio, w: &Words) -> Option<Finding> {
    let l = w.l;
    let keys = portfolio.key_account_rows();
    let has_revenue = f.revenue > 0.0;
    if keys.is_empty() || !has_revenue {
        return None;
    }
    let revenue: f64 = keys.iter().map(|&r| portfolio.rows[r].metrics.revenue.to_f64()).sum();
    let declining: Vec<f64> = keys
        .iter()
        .map(|&r| &portfolio.rows[r].metrics)
        .filter(|m| m.revenue < m.revenue_prev)
        .map(|m| (m.revenue_prev - m.revenue).to_f64())
        .collect();
    let mut text = l.fill(
        "The {n} key accounts make {share} of revenue.",
        &[("n", &w.count(keys.len())), ("share", &l.the(&w.pct(revenue / f.revenue)))],
    );
    if !declining.is_empty() {
        text.push(' ');
        text.push_str(&l.fill(
            "{n} of them bought less than in the period before, {lost} less in all.",
            &[("n", &w.count(declining.len())), ("lost", &w.money(declining.iter().sum()))],
        ));
    }
    Some(w.finding("Key accounts", text))
}

/// Customers who stopped buying.
fn lost(f: &Figures, w: &Words) -> Option<Finding> {
    let (lost, lost_revenue) = f.lost;
    (lost > 0).then(|| {
        w.finding(
            "Customers lost",
            w.l.fill(
                if lost == 1 {
                    "One customer stopped buying; in the year before its last purchase it bought {revenue}."
                } else {
                    "{n} customers stopped buying; in the year before their last purchase they bought {revenue}."
                },
                &[("n", &w.count(lost)), ("revenue", &w.money(lost_revenue))],
            ),
        )
    })
}

/// Customers still buying, but much less.
fn churning(f: &Figures, w: &Words) -> Option<Finding> {
    let l = w.l;
    let (churning, fall) = f.churning;
    if churning == 0 {
        return None;
    }
    let text = match fall {
        Some(fall) => l.fill(
            if churning == 1 {
                "One customer still buys but buys much less: {fall} less than in the period before."
            } else {
                "{n} customers still buy but buy much less: {fall} less than in the period before."
            },
            &[("n", &w.count(churning)), ("fall", &w.money(fall))],
        ),
        None if churning == 1 => l.text("One customer still buys but buys much less.").to_string(),
        None => l.fill("{n} customers still buy but buy much less.", &[("n", &w.count(churning))]),
    };
    Some(w.finding("Customers buying less", text))
}

/// Customers not buying what their peers buy.
fn cross_sell(f: &Figures, w: &Words) -> Option<Finding> {
    let (customers, potential, min_share) = f.cross_sell.filter(|c| c.1 > 0.0)?;
    Some(w.finding(
        "Room to sell more",
        w.l.fill(
            if customers == 1 {
                "One customer does not buy categories that at least {share} of its peers buy: {potential} at its peers' level, within its unused potential."
            } else {
                "{n} customers do not buy categories that at least {share} of their peers buy: {potential} at their peers' level, within their unused potential."
            },
            &[
                ("n", &w.count(customers)),
                ("potential", &w.money(potential)),
                ("share", &format::percent(w.l, min_share, 0)),
            ],
        ),
    ))
}

/// Customers costing more to serve than their margin brings.
fn cost_to_serve(portfolio: &Portfolio, w: &Words) -> Option<Finding> {
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
    if losses.is_empty() {
        return None;
    }
    let shortfall: f64 = losses.iter().sum();
    Some(w.finding(
        "Cost to serve",
        w.l.fill(
            if losses.len() == 1 {
                "One customer costs more to serve than its margin brings: {shortfall} short."
            } else {
                "{n} customers cost more to serve than their margin brings: {shortfall} short in all."
            },
            &[("n", &w.count(losses.len())), ("shortfall", &w.money(shortfall))],
        ),
    ))
}

/// Buying customers without a potential estimate.
fn unrated(f: &Figures, portfolio: &Portfolio, w: &Words) -> Option<Finding> {
    let unrated = (0..portfolio.rows.len())
        .filter(|&r| {
            let m = &portfolio.rows[r].metrics;
            m.revenue.to_f64() > 0.0 && m.share_of_wallet.is_none()
        })
        .count();
    (unrated > 0 && f.active > 0).then(|| {
        w.finding(
            "Potential not estimated",
            w.l.fill(
                "{n} of the {active} customers who bought have no potential estimate: their share of wallet, and so their room to grow, is not assessed.",
                &[("n", &w.count(unrated)), ("active", &w.count(f.active))],
            ),
        )
    })
}

/// How many of the last plan's objectives were met.
fn last_plan(f: &Figures, w: &Words) -> Option<Finding> {
    let (date, met, judged) = f.control.filter(|c| c.2 > 0)?;
    Some(w.finding(
        "Last plan",
        w.l.fill(
            "Of the objectives of the plan of {date} due by now, {met} of {judged} were met ({rate}).",
            &[
                ("date", &date),
                ("met", &w.count(met)),
                ("judged", &w.count(judged)),
                ("rate", &w.pct(met as f64 / judged as f64)),
            ],
        ),
    ))
}
