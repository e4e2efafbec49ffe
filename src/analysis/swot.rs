//! A SWOT drafted from the figures, each entry naming the figure that
//! produced it, merged with the entries of the account file. The thresholds
//! are those a consultant would use for a first draft; the account team
//! edits the result through the account file.

use super::cross_sell::Gap;
use super::median;
use crate::classify::Portfolio;
use crate::config::accounts::AccountFile;
use crate::report::format::{change, long_date, money, percent};
use serde::Serialize;

/// Growth above this is a strength; below its negative, a weakness.
const GROWTH: f64 = 0.10;
/// Share of wallet below this is a weakness.
const LOW_SHARE_OF_WALLET: f64 = 0.30;
/// Revenue share of the portfolio above which depending on the account is a threat.
const DEPENDENCY: f64 = 0.10;
/// A contract expiring within this many days is a threat.
const CONTRACT_DAYS: i64 = 180;
/// A competitor holding at least this share of the account is a threat.
const COMPETITOR_SHARE: f64 = 0.25;
/// No purchase for longer than this many of the account's usual gaps is a threat.
const SILENCE_GAPS: f64 = 2.0;
/// Gaps listed as opportunities.
const GAPS_SHOWN: usize = 3;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub text: String,
    /// The figure behind the entry, or "account team" for the consultant's own.
    pub basis: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Swot {
    pub strengths: Vec<Entry>,
    pub weaknesses: Vec<Entry>,
    pub opportunities: Vec<Entry>,
    pub threats: Vec<Entry>,
}

/// What the SWOT draft reads about one account.
pub struct SwotInput<'a> {
    pub portfolio: &'a Portfolio,
    pub row: usize,
    /// The variable whose value makes customers peers (for the margin comparison).
    pub peers: Option<&'a str>,
    pub gaps: &'a [Gap],
    pub account: Option<&'a AccountFile>,
}

pub fn swot(input: &SwotInput) -> Swot {
    let SwotInput { portfolio, row, .. } = *input;
    let r = &portfolio.rows[row];
    let m = &r.metrics;
    let mut s = Swot::default();
    let entry = |text: String, basis: String| Entry { text, basis };
    let revenue = m.revenue.to_f64();

    if let Some(g) = m.growth {
        let basis = format!("growth {}", change(g));
        let text = format!(
            "revenue {} against {} in the previous period",
            money(revenue),
            money(m.revenue_prev.to_f64())
        );
        if g > GROWTH {
            s.strengths.push(entry(format!("Growing: {text}."), basis));
        } else if g < -GROWTH {
            s.weaknesses.push(entry(format!("Declining: {text}."), basis));
        }
    }
    if let Some(margin_pct) = m.margin_pct {
        let (group, peers_median) = peer_median(input, "margin_pct");
        if margin_pct < 0.0 {
            s.weaknesses.push(entry(
                "Sales to the account lose money.".to_string(),
                format!("margin {}", percent(margin_pct, 1)),
            ));
        } else if let Some(median) = peers_median {
            let basis = format!(
                "margin {} against a median of {} {group}",
                percent(margin_pct, 1),
                percent(median, 1)
            );
            if margin_pct > median {
                s.strengths
                    .push(entry("Margin above that of comparable customers.".to_string(), basis));
            } else if margin_pct < median {
                s.weaknesses
                    .push(entry("Margin below that of comparable customers.".to_string(), basis));
            }
        }
    }
    let months = portfolio.period.months;
    if m.active_months == months && months > 0 {
        s.strengths.push(entry(
            "Buys every month: demand can be planned.".to_string(),
            format!("active in {} of {} months", m.active_months, months),
        ));
    }
    if let Some(sat) = r.customer.as_ref().and_then(|c| c.satisfaction).map(|a| a.to_f64()) {
        if sat >= 4.0 {
            s.strengths.push(entry(
                "Satisfied with our service.".to_string(),
                format!("satisfaction {sat} of 5"),
            ));
        } else if sat < 3.0 {
            s.weaknesses.push(entry(
                "Dissatisfied with our service.".to_string(),
                format!("satisfaction {sat} of 5"),
            ));
        }
    }
    let potential = r.customer.as_ref().and_then(|c| c.potential).map(|p| p.to_f64());
    if let (Some(sow), Some(potential)) = (m.share_of_wallet, potential) {
        let basis = format!("share of wallet {}", percent(sow, 1));
        if sow < LOW_SHARE_OF_WALLET {
            s.weaknesses.push(entry(
                "We hold a small part of the account's purchases.".to_string(),
                basis.clone(),
            ));
        }
        if potential > revenue {
            s.opportunities.push(entry(
                format!(
                    "Unused potential of {}: the account buys {} of an estimated {} from us.",
                    money(potential - revenue),
                    money(revenue),
                    money(potential)
                ),
                basis,
            ));
        }
    }
    for gap in input.gaps.iter().take(GAPS_SHOWN) {
        s.opportunities.push(entry(
            format!(
                "Does not buy {}, which {} of {} comparable customers buy (median {}).",
                gap.category,
                gap.buyers,
                gap.peers,
                money(gap.potential)
            ),
            format!("cross-sell gap, {} of peers", percent(gap.share, 0)),
        ));
    }
    let total: f64 =
        portfolio.rows.iter().map(|r| r.metrics.revenue.to_f64()).filter(|x| *x > 0.0).sum();
    if total > 0.0 && revenue / total > DEPENDENCY {
        s.threats.push(entry(
            "The portfolio depends on this account: losing it would hurt.".to_string(),
            format!("{} of the portfolio's revenue", percent(revenue / total, 1)),
        ));
    }
    if let Some(Some(days)) =
        portfolio.facts.get("days_to_contract_expiry", row).map(|f| f.as_f64())
        && days <= CONTRACT_DAYS as f64
    {
        let expiry = crate::model::Date::from_days(portfolio.period.as_of.days() + days as i32);
        let text = if days < 0.0 {
            format!("The contract expired on {}.", long_date(expiry))
        } else {
            format!("The contract expires on {}.", long_date(expiry))
        };
        s.threats.push(entry(text, format!("{days} days to expiry")));
    }
    if let (Some(days), Some(gap)) = (m.days_since_last, m.median_gap)
        && gap > 0.0
        && days as f64 > SILENCE_GAPS * gap
    {
        s.threats.push(entry(
            "No purchase for longer than usual: a sign the account may be leaving.".to_string(),
            format!("{days} days since the last purchase, usual interval {gap:.0} days"),
        ));
    }
    if let Some(account) = input.account {
        for c in &account.competitors {
            if let Some(share) = c.share.filter(|s| *s >= COMPETITOR_SHARE) {
                let price = c
                    .price_position
                    .as_deref()
                    .map_or(String::new(), |p| format!(", prices {p} than ours"));
                s.threats.push(entry(
                    format!(
                        "{} holds an estimated {} of the account{price}.",
                        c.name,
                        percent(share, 0)
                    ),
                    "competitor share (account file)".to_string(),
                ));
            }
        }
        let own = |list: &[String]| {
            list.iter().map(|t| entry(t.clone(), "account team".to_string())).collect::<Vec<_>>()
        };
        s.strengths.extend(own(&account.swot.strengths));
        s.weaknesses.extend(own(&account.swot.weaknesses));
        s.opportunities.extend(own(&account.swot.opportunities));
        s.threats.extend(own(&account.swot.threats));
    }
    s
}

/// The median of a metric over the account's peers (the account excluded),
/// and the words naming the group.
fn peer_median(input: &SwotInput, metric: &str) -> (String, Option<f64>) {
    let portfolio = input.portfolio;
    let facts = &portfolio.facts;
    // Peers share the account's value of the peer variable (no value, no group).
    let group =
        input.peers.and_then(|p| facts.get(p, input.row).filter(|v| !v.is_null()).map(|v| (p, v)));
    let mut values: Vec<f64> = (0..portfolio.rows.len())
        .filter(|&r| r != input.row)
        .filter(|&r| group.is_none_or(|(p, v)| facts.get(p, r) == Some(v)))
        .filter(|&r| portfolio.rows[r].metrics.revenue.is_positive())
        .filter_map(|r| facts.get(metric, r).and_then(|f| f.as_f64()))
        .collect();
    let words = if group.is_some() { "among its peers" } else { "in the portfolio" }.to_string();
    (words, median(&mut values))
}
