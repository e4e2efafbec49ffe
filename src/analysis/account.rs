//! What the analyses say about one account, for `kamplan explain`: its
//! cross-sell gaps, whether it is lost or churning (with what was lost and
//! the win-back suggestion), the SWOT drafted from the figures and the
//! playbook objectives made concrete.

use super::Intelligence;
use super::cross_sell::Gap;
use super::objectives::{Objective, objectives};
use super::swot::{Entry, Swot, SwotInput, swot};
use crate::classify::Portfolio;
use crate::config::accounts::AccountBook;
use crate::config::rules::Rules;
use crate::locale::Locale;
use crate::locale::format;
use crate::locale::format::figure;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Serialize)]
pub struct AccountAnalysis {
    pub cross_sell: AccountGaps,
    /// Set when the lost-customer alert `[analysis]` names fired.
    pub lost: Option<Lost>,
    /// Set when the partial-churn alert fired (and the account is not lost).
    pub churning: Option<Churning>,
    pub swot: Swot,
    pub objectives: Vec<Objective>,
}

#[derive(Debug, Serialize)]
pub struct AccountGaps {
    /// The variable that makes customers peers and the account's value of
    /// it; both none when the rules have no `[cross_sell]`.
    pub peers: Option<String>,
    pub group: Option<String>,
    /// Largest potential first.
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Serialize)]
pub struct Lost {
    pub last_purchase: String,
    pub days_since_last: i64,
    /// Revenue of the year up to the last purchase.
    pub revenue_lost: f64,
    /// From the account file.
    pub reason: Option<String>,
    /// Its segment in the win-back matrix while still buying, and the first
    /// action of that segment's playbook.
    pub segment_before: Option<String>,
    pub win_back: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Churning {
    pub revenue: f64,
    pub revenue_prev: f64,
    pub categories: Option<i64>,
    pub categories_prev: Option<i64>,
}

/// The analyses of the account in row `row`, read from the portfolio-wide
/// ones so that explain and the documents agree.
pub fn account_analysis(
    portfolio: &Portfolio,
    rules: &Rules,
    accounts: &AccountBook,
    intelligence: &Intelligence,
    row: usize,
) -> AccountAnalysis {
    let cross_sell = &intelligence.cross_sell;
    let peers = cross_sell.peers.clone();
    let group = peers.as_ref().and_then(|p| portfolio.text(p, row));
    let lost = intelligence.lost.lost.iter().find(|l| l.row == row).map(|l| Lost {
        last_purchase: l.last_purchase.to_string(),
        days_since_last: l.days_since_last,
        revenue_lost: l.revenue_lost,
        reason: l.reason.clone(),
        segment_before: l.segment_before.clone(),
        win_back: l.treatment.clone(),
    });
    let churning = intelligence.lost.churning.iter().find(|c| c.row == row).map(|c| Churning {
        revenue: c.revenue,
        revenue_prev: c.revenue_prev,
        categories: c.categories,
        categories_prev: c.categories_prev,
    });
    let gaps = cross_sell.gaps(row);
    AccountAnalysis {
        swot: swot(&SwotInput {
            portfolio,
            row,
            peers: peers.as_deref(),
            gaps,
            account: accounts.get(&portfolio.rows[row].customer_id),
            locale: rules.locale,
            currency: &rules.currency,
        }),
        cross_sell: AccountGaps { peers, group, gaps: gaps.to_vec() },
        lost,
        churning,
        objectives: objectives(portfolio, rules, row),
    }
}

/// `explain` prints its frame in English; the texts it quotes are in the rules' language.
fn money(x: f64) -> String {
    format::money(Locale::En, x)
}

fn percent(x: f64, decimals: usize) -> String {
    format::percent(Locale::En, x, decimals)
}

impl fmt::Display for AccountAnalysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.cross_sell;
        match (&c.peers, &c.group) {
            (Some(peers), Some(group)) => {
                writeln!(f, "\ncross-sell gaps (peers: customers with the same {peers}, {group})")?
            }
            (Some(peers), None) => {
                writeln!(f, "\ncross-sell gaps (no value of {peers}: no peers)")?
            }
            _ => writeln!(f, "\ncross-sell gaps (the rules have no [cross_sell])")?,
        }
        if c.gaps.is_empty() && c.peers.is_some() {
            writeln!(f, "  none")?;
        }
        for g in &c.gaps {
            writeln!(
                f,
                "  {:<26} bought by {} of {} peers ({}), potential {}",
                g.category,
                g.buyers,
                g.peers,
                percent(g.share, 0),
                money(g.potential)
            )?;
        }
        writeln!(f, "\nlost or churning")?;
        match (&self.lost, &self.churning) {
            (Some(l), _) => {
                writeln!(
                    f,
                    "  lost: last purchase {} ({} days ago), revenue lost {}",
                    l.last_purchase,
                    l.days_since_last,
                    money(l.revenue_lost)
                )?;
                if let Some(reason) = &l.reason {
                    writeln!(f, "  reason: {reason}")?;
                }
                if let Some(segment) = &l.segment_before {
                    writeln!(f, "  segment before: {segment}")?;
                }
                if let Some(action) = &l.win_back {
                    writeln!(f, "  win back: {action}")?;
                }
            }
            (None, Some(c)) => {
                write!(
                    f,
                    "  churning: revenue {} against {} in the previous window",
                    money(c.revenue),
                    money(c.revenue_prev)
                )?;
                match (c.categories, c.categories_prev) {
                    (Some(now), Some(before)) => {
                        writeln!(f, "; {now} categories against {before}")?
                    }
                    _ => writeln!(f)?,
                }
            }
            (None, None) => writeln!(f, "  neither")?,
        }
        writeln!(f, "\nswot (drafted from the figures, with the account team's entries)")?;
        let s = &self.swot;
        for (title, entries) in [
            ("strengths", &s.strengths),
            ("weaknesses", &s.weaknesses),
            ("opportunities", &s.opportunities),
            ("threats", &s.threats),
        ] {
            writeln!(f, "  {title}")?;
            if entries.is_empty() {
                writeln!(f, "    none")?;
            }
            for Entry { text, basis } in entries {
                writeln!(f, "    - {text} [{basis}]")?;
            }
        }
        writeln!(f, "\nobjectives")?;
        if self.objectives.is_empty() {
            writeln!(f, "  none (no playbook of the account's segments sets one)")?;
        }
        for o in &self.objectives {
            let shown = |x: Option<f64>| {
                x.map_or_else(|| "none".into(), |x| figure(Locale::En, o.format, x))
            };
            let met = if o.met { "  (met)" } else { "" };
            let doubt = o.doubt.as_ref().map_or(String::new(), |d| format!(" ({d})"));
            writeln!(
                f,
                "  {:<26} {}{doubt} → {}  {}{met}",
                o.label,
                shown(o.current),
                shown(o.target),
                o.basis
            )?;
        }
        Ok(())
    }
}
