//! A SWOT drafted from the figures, each entry naming the figure that
//! produced it, merged with the entries of the account file. The thresholds
//! are those a consultant would use for a first draft; the account team
//! edits the result through the account file.

use super::cross_sell::Gap;
use super::median;
use crate::classify::Portfolio;
use crate::classify::facts::Fact;
use crate::config::accounts::AccountFile;
use crate::locale::Locale;
use crate::locale::format::{change, long_date, number, percent};
use serde::Serialize;

/// Growth above this is a strength; below its negative, a weakness.
const GROWTH: f64 = 0.10;
/// A cost to serve of at least this share of the margin is a weakness.
const COSTLY_SHARE: f64 = 0.5;
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
    /// The language the entries are written in.
    pub locale: Locale,
    /// The currency the amounts are in (an ISO code such as `EUR`).
    pub currency: &'a str,
}

pub fn swot(input: &SwotInput) -> Swot {
    let SwotInput { portfolio, row, locale: l, currency, .. } = *input;
    // Amounts in sentences carry their currency.
    let money = |x| crate::locale::format::money_with_currency(l, x, 0, currency);
    let percent = |x, d| percent(l, x, d);
    let r = &portfolio.rows[row];
    let m = &r.metrics;
    let mut s = Swot::default();
    let entry = |text: String, basis: String| Entry { text, basis };
    let revenue = m.revenue.to_f64();

    if let Some(g) = m.growth {
        let basis = l.fill("growth {change}", &[("change", &change(l, g))]);
        let figures: &[(&str, &dyn std::fmt::Display)] =
            &[("revenue", &money(revenue)), ("previous", &money(m.revenue_prev.to_f64()))];
        if g > GROWTH {
            let text = "Growing: revenue {revenue} against {previous} in the previous period.";
            s.strengths.push(entry(l.fill(text, figures), basis));
        } else if g < -GROWTH {
            let text = "Declining: revenue {revenue} against {previous} in the previous period.";
            s.weaknesses.push(entry(l.fill(text, figures), basis));
        }
    }
    if let Some(margin_pct) = m.margin_pct {
        let (group, peers_median) = peer_median(input, "margin_pct");
        if margin_pct < 0.0 {
            s.weaknesses.push(entry(
                l.text("Sales to the account lose money.").to_string(),
                l.fill("margin {margin}", &[("margin", &percent(margin_pct, 1))]),
            ));
        } else if let Some(median) = peers_median {
            let basis = l.fill(
                "margin {margin} against a median of {median} {group}",
                &[
                    ("margin", &percent(margin_pct, 1)),
                    ("median", &percent(median, 1)),
                    ("group", &l.text(group)),
                ],
            );
            // Only where the whole portfolio agrees: a margin above its peers'
            // but in the lower half overall is no strength (the revenue
            // quality matrix calls it thin), and the other way round.
            let overall = portfolio_median(input, "margin_pct");
            let above_overall = overall.is_none_or(|o| margin_pct >= o);
            if margin_pct > median && above_overall {
                let text = l.text("Margin above that of comparable customers.");
                s.strengths.push(entry(text.to_string(), basis));
            } else if margin_pct < median && !above_overall {
                let text = l.text("Margin below that of comparable customers.");
                s.weaknesses.push(entry(text.to_string(), basis));
            }
        }
    }
    let months = portfolio.period.months;
    if m.active_months == months && months > 0 {
        s.strengths.push(entry(
            l.text("Buys every month: demand can be planned.").to_string(),
            l.fill(
                "active in {active} of {months} months",
                &[("active", &m.active_months), ("months", &months)],
            ),
        ));
    }
    if let Some(sat) = r.customer.as_ref().and_then(|c| c.satisfaction).map(|a| a.to_f64()) {
        if sat >= crate::model::SATISFIED_FROM {
            s.strengths.push(entry(
                l.text("Satisfied with our service.").to_string(),
                l.fill("satisfaction {score} of 5", &[("score", &number(l, sat, 1))]),
            ));
        } else if sat < crate::model::DISSATISFIED_BELOW {
            s.weaknesses.push(entry(
                l.text("Dissatisfied with our service.").to_string(),
                l.fill("satisfaction {score} of 5", &[("score", &number(l, sat, 1))]),
            ));
        }
    }
    // Serving the account eats most of what it earns: a weakness a plan
    // to reduce the cost to serve answers.
    let cost = r.customer.as_ref().and_then(|c| c.cost_to_serve).map(|c| c.to_f64());
    if let (Some(cost), Some(margin)) = (cost, m.margin.map(|x| x.to_f64()))
        && margin > 0.0
        && cost >= COSTLY_SHARE * margin
    {
        s.weaknesses.push(entry(
            l.fill(
                "Serving the account takes {share} of the margin it brings.",
                &[("share", &l.the(&percent(cost / margin, 0)))],
            ),
            l.fill(
                "cost to serve {cost} against a margin of {margin}",
                &[("cost", &money(cost)), ("margin", &money(margin))],
            ),
        ));
    }
    let potential = r.customer.as_ref().and_then(|c| c.potential).map(|p| p.to_f64());
    // A share of wallet above 100% is a wrong estimate, not a strength: the
    // data-quality checks report it, the SWOT draws nothing from it.
    let sow = m.share_of_wallet.filter(|_| !super::quality::doubtful_share_of_wallet(m));
    if let (Some(sow), Some(potential)) = (sow, potential) {
        let basis = l.fill("share of wallet {share}", &[("share", &percent(sow, 1))]);
        if sow < LOW_SHARE_OF_WALLET {
            s.weaknesses.push(entry(
                l.text("We hold a small part of the account's purchases.").to_string(),
                basis.clone(),
            ));
        }
        if potential > revenue {
            s.opportunities.push(entry(
                l.fill(
                    "Unused potential of {unused}: the account buys {revenue} from us, out of an estimated {potential} in all.",
                    &[
                        ("unused", &money(potential - revenue)),
                        ("revenue", &money(revenue)),
                        ("potential", &money(potential)),
                    ],
                ),
                basis,
            ));
        }
    }
    for gap in input.gaps.iter().take(GAPS_SHOWN) {
        s.opportunities.push(entry(
            l.fill(
                "Does not buy {category}, which {buyers} of {peers} comparable customers buy (median {median}).",
                &[
                    ("category", &gap.category),
                    ("buyers", &gap.buyers),
                    ("peers", &gap.peers),
                    ("median", &money(gap.potential)),
                ],
            ),
            l.fill("cross-sell gap, {share} of peers", &[("share", &percent(gap.share, 0))]),
        ));
    }
    let total: f64 =
        portfolio.rows.iter().map(|r| r.metrics.revenue.to_f64()).filter(|x| *x > 0.0).sum();
    if total > 0.0 && revenue / total > DEPENDENCY {
        s.threats.push(entry(
            l.text("The portfolio depends on this account: losing it would hurt.").to_string(),
            l.fill(
                "{share} of the portfolio's revenue",
                &[("share", &percent(revenue / total, 1))],
            ),
        ));
    }
    if let Some(Some(days)) =
        portfolio.facts.get("days_to_contract_expiry", row).map(|f| f.as_f64())
        && days <= CONTRACT_DAYS as f64
    {
        let expiry = crate::model::Date::from_days(portfolio.period.as_of.days() + days as i32);
        let date: &[(&str, &dyn std::fmt::Display)] = &[("date", &long_date(l, expiry))];
        let text = if days < 0.0 {
            l.fill("The contract expired on {date}.", date)
        } else {
            l.fill("The contract expires on {date}.", date)
        };
        s.threats.push(entry(text, l.fill("{days} days to expiry", &[("days", &days)])));
    }
    if let (Some(days), Some(gap)) = (m.days_since_last, m.median_gap)
        && gap > 0.0
        && days as f64 > SILENCE_GAPS * gap
    {
        s.threats.push(entry(
            l.text("No purchase for longer than usual: a sign the account may be leaving.")
                .to_string(),
            l.fill(
                "{days} days since the last purchase, usual interval {gap} days",
                &[("days", &days), ("gap", &number(l, gap, 0))],
            ),
        ));
    }
    if let Some(account) = input.account {
        for c in &account.competitors {
            if let Some(share) = c.share.filter(|s| *s >= COMPETITOR_SHARE) {
                let figures: &[(&str, &dyn std::fmt::Display)] =
                    &[("name", &c.name), ("share", &percent(share, 0))];
                let sentence = match c.price_position.as_deref() {
                    Some("lower") => {
                        "{name} holds an estimated {share} of the account, at prices lower than ours."
                    }
                    Some("higher") => {
                        "{name} holds an estimated {share} of the account, at prices higher than ours."
                    }
                    Some(_) => {
                        "{name} holds an estimated {share} of the account, at prices similar to ours."
                    }
                    None => "{name} holds an estimated {share} of the account.",
                };
                let text = l.fill(sentence, figures);
                s.threats.push(entry(text, l.text("competitor share (account file)").to_string()));
            }
        }
        let own = |list: &[String]| {
            list.iter()
                .map(|t| entry(t.clone(), l.text("account team").to_string()))
                .collect::<Vec<_>>()
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
/// The median of `metric` over the other buying customers of the portfolio.
fn portfolio_median(input: &SwotInput, metric: &str) -> Option<f64> {
    median_among(input, metric, None)
}

/// The median of `metric` over the other buying customers whose `group`
/// variable has the given value (all of them without a group).
fn median_among(input: &SwotInput, metric: &str, group: Option<(&str, &Fact)>) -> Option<f64> {
    let portfolio = input.portfolio;
    let facts = &portfolio.facts;
    let mut values: Vec<f64> = (0..portfolio.rows.len())
        .filter(|&r| r != input.row && portfolio.rows[r].metrics.revenue.is_positive())
        .filter(|&r| group.is_none_or(|(p, v)| facts.get(p, r) == Some(v)))
        .filter_map(|r| facts.get(metric, r).and_then(|f| f.as_f64()))
        .collect();
    median(&mut values)
}

fn peer_median(input: &SwotInput, metric: &str) -> (&'static str, Option<f64>) {
    let facts = &input.portfolio.facts;
    // Peers share the account's value of the peer variable (no value, no group).
    let group =
        input.peers.and_then(|p| facts.get(p, input.row).filter(|v| !v.is_null()).map(|v| (p, v)));
    let words = if group.is_some() { "among its peers" } else { "in the portfolio" };
    (words, median_among(input, metric, group))
}
