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

/// Draft the account's SWOT from its figures, then add the account team's entries.
pub fn swot(input: &SwotInput) -> Swot {
    let d = Draft::new(input);
    let mut s = Swot::default();
    // Figures that read either way, in the order they are listed.
    for (side, e) in
        [d.growth(), d.margin(), d.regularity(), d.satisfaction()].into_iter().flatten()
    {
        match side {
            Side::Strength => s.strengths.push(e),
            Side::Weakness => s.weaknesses.push(e),
        }
    }
    s.weaknesses.extend(d.costly_service());
    s.weaknesses.extend(d.low_share_of_wallet());
    s.opportunities.extend(d.unused_potential());
    s.opportunities.extend(d.gaps());
    s.threats.extend(d.dependency());
    s.threats.extend(d.contract_expiry());
    s.threats.extend(d.silence());
    if let Some(account) = input.account {
        s.threats.extend(d.competitors(account));
        add_account_team(&mut s, account, d.l);
    }
    s
}

/// Which side of the SWOT a figure falls on.
enum Side {
    Strength,
    Weakness,
}

/// One account's figures, read for the SWOT draft.
struct Draft<'a> {
    input: &'a SwotInput<'a>,
    l: Locale,
    r: &'a crate::classify::PortfolioRow,
    m: &'a crate::metrics::CustomerMetrics,
    revenue: f64,
}

/// An entry from its sentence and the figure behind it.
fn entry(text: String, basis: String) -> Entry {
    Entry { text, basis }
}

impl<'a> Draft<'a> {
    /// Read the account's row of the portfolio.
    fn new(input: &'a SwotInput<'a>) -> Draft<'a> {
        let r = &input.portfolio.rows[input.row];
        let m = &r.metrics;
        Draft { input, l: input.locale, r, m, revenue: m.revenue.to_f64() }
    }

    /// An amount with its currency, as sentences carry it.
    fn money(&self, x: f64) -> String {
        crate::locale::format::money_with_currency(self.l, x, 0, self.input.currency)
    }

    /// A share as a percentage with `d` decimals.
    fn percent(&self, x: f64, d: usize) -> String {
        percent(self.l, x, d)
    }

    /// Strong growth or a steep decline against the previous period.
    fn growth(&self) -> Option<(Side, Entry)> {
        let (l, m) = (self.l, self.m);
        let g = m.growth?;
        let basis = l.fill("growth {change}", &[("change", &change(l, g))]);
        let figures: &[(&str, &dyn std::fmt::Display)] = &[
            ("revenue", &self.money(self.revenue)),
            ("previous", &self.money(m.revenue_prev.to_f64())),
        ];
        if g > GROWTH {
            let text = "Growing: revenue {revenue} against {previous} in the previous period.";
            Some((Side::Strength, entry(l.fill(text, figures), basis)))
        } else if g < -GROWTH {
            let text = "Declining: revenue {revenue} against {previous} in the previous period.";
            Some((Side::Weakness, entry(l.fill(text, figures), basis)))
        } else {
            None
        }
    }

    /// A loss, or a margin above or below that of comparable customers.
    fn margin(&self) -> Option<(Side, Entry)> {
        let l = self.l;
        let margin_pct = self.m.margin_pct?;
        let (group, peers_median) = peer_median(self.input, "margin_pct");
        if margin_pct < 0.0 {
            return Some((
                Side::Weakness,
                entry(
                    l.text("Sales to the account lose money.").to_string(),
                    l.fill("margin {margin}", &[("margin", &self.percent(margin_pct, 1))]),
                ),
            ));
        }
        let median = peers_median?;
        let basis = l.fill(
            "margin {margin} against a median of {median} {group}",
            &[
                ("margin", &self.percent(margin_pct, 1)),
                ("median", &self.percent(median, 1)),
                ("group", &l.text(group)),
            ],
        );
        // Only where the whole portfolio agrees: a margin above its peers'
        // but in the lower half overall is no strength (the revenue
        // quality matrix calls it thin), and the other way round.
        let overall = portfolio_median(self.input, "margin_pct");
        let above_overall = overall.is_none_or(|o| margin_pct >= o);
        if margin_pct > median && above_overall {
            let text = l.text("Margin above that of comparable customers.");
            Some((Side::Strength, entry(text.to_string(), basis)))
        } else if margin_pct < median && !above_overall {
            let text = l.text("Margin below that of comparable customers.");
            Some((Side::Weakness, entry(text.to_string(), basis)))
        } else {
            None
        }
    }

    /// Purchases in every month of the period.
    fn regularity(&self) -> Option<(Side, Entry)> {
        let (l, m) = (self.l, self.m);
        let months = self.input.portfolio.period.months;
        (m.active_months == months && months > 0).then(|| {
            let e = entry(
                l.text("Buys every month: demand can be planned.").to_string(),
                l.fill(
                    "active in {active} of {months} months",
                    &[("active", &m.active_months), ("months", &months)],
                ),
            );
            (Side::Strength, e)
        })
    }

    /// A satisfied or dissatisfied customer.
    fn satisfaction(&self) -> Option<(Side, Entry)> {
        let l = self.l;
        let sat = self.r.customer.as_ref().and_then(|c| c.satisfaction).map(|a| a.to_f64())?;
        let basis = || l.fill("satisfaction {score} of 5", &[("score", &number(l, sat, 1))]);
        if sat >= crate::model::SATISFIED_FROM {
            let text = l.text("Satisfied with our service.").to_string();
            Some((Side::Strength, entry(text, basis())))
        } else if sat < crate::model::DISSATISFIED_BELOW {
            let text = l.text("Dissatisfied with our service.").to_string();
            Some((Side::Weakness, entry(text, basis())))
        } else {
            None
        }
    }

    /// Serving the account eats most of what it earns: a weakness a plan
    /// to reduce the cost to serve answers.
    fn costly_service(&self) -> Option<Entry> {
        let l = self.l;
        let cost = self.r.customer.as_ref().and_then(|c| c.cost_to_serve).map(|c| c.to_f64());
        if let (Some(cost), Some(margin)) = (cost, self.m.margin.map(|x| x.to_f64()))
            && margin > 0.0
            && cost >= COSTLY_SHARE * margin
        {
            return Some(entry(
                l.fill(
                    "Serving the account takes {share} of the margin it brings.",
                    &[("share", &l.the(&self.percent(cost / margin, 0)))],
                ),
                l.fill(
                    "cost to serve {cost} against a margin of {margin}",
                    &[("cost", &self.money(cost)), ("margin", &self.money(margin))],
                ),
            ));
        }
        None
    }

    /// The share of wallet, its basis and the estimated potential, when both are known.
    fn wallet(&self) -> Option<(f64, f64, String)> {
        let m = self.m;
        let potential = self.r.customer.as_ref().and_then(|c| c.potential).map(|p| p.to_f64());
        // A share of wallet above 100% is a wrong estimate, not a strength: the
        // data-quality checks report it, the SWOT draws nothing from it.
        let sow = m.share_of_wallet.filter(|_| !super::quality::doubtful_share_of_wallet(m));
        let (sow, potential) = (sow?, potential?);
        let basis = self.l.fill("share of wallet {share}", &[("share", &self.percent(sow, 1))]);
        Some((sow, potential, basis))
    }

    /// A small share of the account's purchases.
    fn low_share_of_wallet(&self) -> Option<Entry> {
        let (sow, _, basis) = self.wallet()?;
        (sow < LOW_SHARE_OF_WALLET).then(|| {
            let text = self.l.text("We hold a small part of the account's purchases.");
            entry(text.to_string(), basis)
        })
    }

    /// Potential beyond what the account buys from us.
    fn unused_potential(&self) -> Option<Entry> {
        let (_, potential, basis) = self.wallet()?;
        let revenue = self.revenue;
        (potential > revenue).then(|| {
            entry(
                self.l.fill(
                    "Unused potential of {unused}: the account buys {revenue} from us, out of an estimated {potential} in all.",
                    &[
                        ("unused", &self.money(potential - revenue)),
                        ("revenue", &self.money(revenue)),
                        ("potential", &self.money(potential)),
                    ],
                ),
                basis,
            )
        })
    }

    /// The largest cross-sell gaps.
    fn gaps(&self) -> Vec<Entry> {
        let l = self.l;
        self.input
            .gaps
            .iter()
            .take(GAPS_SHOWN)
            .map(|gap| {
                entry(
                    l.fill(
                        "Does not buy {category}, which {buyers} of {peers} comparable customers buy (median {median}).",
                        &[
                            ("category", &gap.category),
                            ("buyers", &gap.buyers),
                            ("peers", &gap.peers),
                            ("median", &self.money(gap.benchmark)),
                        ],
                    ),
                    l.fill(
                        "cross-sell gap, {share} of peers",
                        &[("share", &self.percent(gap.share, 0))],
                    ),
                )
            })
            .collect()
    }

    /// A large share of the portfolio's revenue resting on this account.
    fn dependency(&self) -> Option<Entry> {
        let (l, revenue) = (self.l, self.revenue);
        let total: f64 = self
            .input
            .portfolio
            .rows
            .iter()
            .map(|r| r.metrics.revenue.to_f64())
            .filter(|x| *x > 0.0)
            .sum();
        (total > 0.0 && revenue / total > DEPENDENCY).then(|| {
            entry(
                l.text("The portfolio depends on this account: losing it would hurt.").to_string(),
                l.fill(
                    "{share} of the portfolio's revenue",
                    &[("share", &self.percent(revenue / total, 1))],
                ),
            )
        })
    }

    /// A contract expired or expiring soon.
    fn contract_expiry(&self) -> Option<Entry> {
        let (l, portfolio) = (self.l, self.input.portfolio);
        let days = portfolio.facts.get("days_to_contract_expiry", self.input.row)?.as_f64()?;
        // Written so that a day count that is not a number is no threat.
        let soon = days <= CONTRACT_DAYS as f64;
        if !soon {
            return None;
        }
        let expiry = crate::model::Date::from_days(portfolio.period.as_of.days() + days as i32);
        let date: &[(&str, &dyn std::fmt::Display)] = &[("date", &long_date(l, expiry))];
        let text = if days < 0.0 {
            l.fill("The contract expired on {date}.", date)
        } else {
            l.fill("The contract expires on {date}.", date)
        };
        Some(entry(text, l.fill("{days} days to expiry", &[("days", &days)])))
    }

    /// No purchase for much longer than the account's usual interval.
    fn silence(&self) -> Option<Entry> {
        let l = self.l;
        if let (Some(days), Some(gap)) = (self.m.days_since_last, self.m.median_gap)
            && gap > 0.0
            && days as f64 > SILENCE_GAPS * gap
        {
            return Some(entry(
                l.text("No purchase for longer than usual: a sign the account may be leaving.")
                    .to_string(),
                l.fill(
                    "{days} days since the last purchase, usual interval {gap} days",
                    &[("days", &days), ("gap", &number(l, gap, 0))],
                ),
            ));
        }
        None
    }

    /// Competitors holding a large share of the account, from the account file.
    fn competitors(&self, account: &AccountFile) -> Vec<Entry> {
        let l = self.l;
        let mut threats = Vec::new();
        for c in &account.competitors {
            if let Some(share) = c.share.filter(|s| *s >= COMPETITOR_SHARE) {
                let figures: &[(&str, &dyn std::fmt::Display)] =
                    &[("name", &c.name), ("share", &self.percent(share, 0))];
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
                threats.push(entry(text, l.text("competitor share (account file)").to_string()));
            }
        }
        threats
    }
}

/// Append the account team's own entries from the account file.
fn add_account_team(s: &mut Swot, account: &AccountFile, l: Locale) {
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

/// The median of a metric over the account's peers (the account excluded),
/// and the words naming the group.
fn peer_median(input: &SwotInput, metric: &str) -> (&'static str, Option<f64>) {
    let facts = &input.portfolio.facts;
    // Peers share the account's value of the peer variable (no value, no group).
    let group =
        input.peers.and_then(|p| facts.get(p, input.row).filter(|v| !v.is_null()).map(|v| (p, v)));
    let words = if group.is_some() { "among its peers" } else { "in the portfolio" };
    (words, median_among(input, metric, group))
}
