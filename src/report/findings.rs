//! The executive summary of the portfolio report: the few findings that
//! matter most, drafted from the figures of the report itself, each with
//! the numbers behind it. A finding appears only when the data supports it.

use super::portfolio::PortfolioReport;
use crate::classify::Portfolio;
use crate::locale::format;
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

/// The findings of `report`, most important first, at most [`MOST`].
pub fn findings(report: &PortfolioReport, portfolio: &Portfolio, currency: &str) -> Vec<Finding> {
    let l = report.meta.locale;
    let money = |x: f64| format::money_with_currency(l, x, 0, currency);
    let pct = |x: f64| format::percent(l, x, 0);
    let count = |n: usize| format::number(l, n as f64, 0);
    let mut list = Vec::new();
    let mut add = |title: &str, text: String| {
        list.push(Finding { title: l.text(title).to_string(), text });
    };
    let t = &report.totals;

    if let Some(growth) = t.growth {
        let title = if growth >= 0.0 { "Revenue grew" } else { "Revenue fell" };
        let mut text = l.fill(
            "Revenue was {revenue} in the period, {change} against {previous} in the period before.",
            &[
                ("revenue", &money(t.revenue)),
                ("change", &format::change(l, growth)),
                ("previous", &money(t.revenue_prev)),
            ],
        );
        if let Some(m) = t.margin_pct {
            text.push(' ');
            text.push_str(&l.fill("The margin was {share} of revenue.", &[("share", &pct(m))]));
        }
        add(title, text);
    }

    let c = &report.concentration;
    if let (Some(top20), true) = (c.top20, t.active > 0) {
        let title =
            if top20 >= 0.6 { "Revenue is concentrated" } else { "Revenue is spread widely" };
        add(
            title,
            l.fill(
                "{n} of the {active} customers who bought make 80% of revenue; the largest 20% make {top20}.",
                &[
                    ("n", &count(c.customers_for_80)),
                    ("active", &count(t.active)),
                    ("top20", &l.the(&pct(top20))),
                ],
            ),
        );
    }

    let keys = portfolio.key_account_rows();
    if !keys.is_empty() && t.revenue > 0.0 {
        let revenue: f64 = keys.iter().map(|&r| portfolio.rows[r].metrics.revenue.to_f64()).sum();
        let declining: Vec<f64> = keys
            .iter()
            .map(|&r| &portfolio.rows[r].metrics)
            .filter(|m| m.revenue < m.revenue_prev)
            .map(|m| (m.revenue_prev - m.revenue).to_f64())
            .collect();
        let mut text = l.fill(
            "The {n} key accounts make {share} of revenue.",
            &[("n", &count(keys.len())), ("share", &l.the(&pct(revenue / t.revenue)))],
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

    let lost = &report.analysis.lost;
    if lost.customers > 0 {
        add(
            "Customers lost",
            l.fill(
                "{n} customers stopped buying; in the year before their last purchase they bought {revenue}.",
                &[("n", &count(lost.customers)), ("revenue", &money(lost.revenue_lost))],
            ),
        );
    }
    if lost.churning_count > 0 {
        let fall: f64 = lost.churning.iter().map(|c| c.revenue_prev - c.revenue).sum();
        let text = if lost.churning.len() == lost.churning_count {
            l.fill(
                "{n} customers still buy but buy much less: {fall} less than in the period before.",
                &[("n", &count(lost.churning_count)), ("fall", &money(fall))],
            )
        } else {
            l.fill(
                "{n} customers still buy but buy much less.",
                &[("n", &count(lost.churning_count))],
            )
        };
        add("Customers buying less", text);
    }

    if let Some(cross) = report.analysis.cross_sell.as_ref().filter(|c| c.potential > 0.0) {
        add(
            "Room to sell more",
            l.fill(
                "{n} customers do not buy categories that most of their peers buy: {potential} at their peers' level.",
                &[("n", &count(cross.customers_with_gaps)), ("potential", &money(cross.potential))],
            ),
        );
    }

    if let Some(r) = report.analysis.resources.as_ref() {
        let over = r.over_invested.len() + r.over_invested_more;
        if over > 0 {
            add(
                "Cost to serve",
                l.fill(
                    "{n} customers cost more to serve than their margin carries.",
                    &[("n", &count(over))],
                ),
            );
        }
    }

    let unrated = (0..portfolio.rows.len())
        .filter(|&r| {
            let m = &portfolio.rows[r].metrics;
            m.revenue.to_f64() > 0.0 && m.share_of_wallet.is_none()
        })
        .count();
    if unrated > 0 && t.active > 0 {
        add(
            "Potential not estimated",
            l.fill(
                "{n} of the {active} customers who bought have no potential estimate: their share of wallet, and so their room to grow, is not assessed.",
                &[("n", &count(unrated)), ("active", &count(t.active))],
            ),
        );
    }

    let mut control_finding = false;
    if let Some(control) = &report.control
        && let Some(rate) = control.total.rate
    {
        control_finding = true;
        add(
            "Last plan",
            l.fill(
                "Of the objectives of the plan of {date} due by now, {met} of {judged} were met ({rate}).",
                &[
                    ("date", &control.plan_date),
                    ("met", &count(control.total.met)),
                    ("judged", &count(control.total.met + control.total.missed)),
                    ("rate", &pct(rate)),
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
