//! Cross-sell gaps: product categories an account does not buy although most
//! of its peers (customers with the same segment, class or attribute) do.
//! A gap's benchmark is the median yearly spend on the category of the peers
//! that buy it. Its potential is the benchmark, bounded by what the account
//! has left of its own potential estimate: the gaps of an account that already
//! buys most of its potential from us cannot add up to more than the rest
//! (docs/metrics.md#cross-sell-gaps).

use super::{cents, median};
use crate::classify::Portfolio;
use crate::config::rules::CrossSell as Settings;
use serde::Serialize;
use std::collections::BTreeMap;

/// One category an account does not buy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gap {
    pub category: String,
    /// Peers buying the category, and peers in all (the account excluded).
    pub buyers: usize,
    pub peers: usize,
    pub share: f64,
    /// Median spend on the category of the peers that buy it, over the window.
    pub benchmark: f64,
    /// The benchmark, scaled down with the account's other gaps when together
    /// they exceed its unused potential; the benchmark itself without a
    /// usable potential estimate.
    pub potential: f64,
}

/// The gaps of one peer group, for the portfolio report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupTotal {
    /// The peers' shared value (a segment id, a class, a sector).
    pub group: String,
    pub customers: usize,
    /// Customers with at least one gap.
    pub with_gaps: usize,
    pub gaps: usize,
    pub potential: f64,
}

#[derive(Debug, Default)]
pub struct CrossSell {
    /// The variable peers share, when `[cross_sell]` is set.
    pub peers: Option<String>,
    pub min_peer_share: f64,
    /// Gaps of each customer (by row), largest potential first.
    pub by_row: Vec<Vec<Gap>>,
    /// One line per peer group, in the order of the groups' values.
    pub groups: Vec<GroupTotal>,
}

impl CrossSell {
    pub fn gaps(&self, row: usize) -> &[Gap] {
        self.by_row.get(row).map_or(&[], Vec::as_slice)
    }

    pub fn total_potential(&self) -> f64 {
        self.groups.iter().map(|g| g.potential).sum()
    }
}

/// What the account could still buy beyond its revenue with us: its
/// potential estimate less its revenue, never below zero. None without an
/// estimate, or with one below the revenue (a doubtful estimate bounds
/// nothing).
fn unused_potential(portfolio: &Portfolio, row: usize) -> Option<f64> {
    let r = &portfolio.rows[row];
    let potential = r.customer.as_ref()?.potential?.to_f64();
    r.metrics.share_of_wallet.filter(|_| !super::quality::doubtful_share_of_wallet(&r.metrics))?;
    Some((potential - r.metrics.revenue.to_f64()).max(0.0))
}

/// Scales the gaps' potentials down in proportion to their benchmarks when
/// together they exceed `unused`, so they add up to it exactly (the last
/// gap takes the rounding).
pub(super) fn bound_by(gaps: &mut [Gap], unused: f64) {
    let total: f64 = gaps.iter().map(|g| g.benchmark).sum();
    if total <= unused || total <= 0.0 {
        return;
    }
    let mut left = cents(unused);
    let last = gaps.len() - 1;
    for (i, gap) in gaps.iter_mut().enumerate() {
        gap.potential =
            if i == last { left } else { cents(gap.benchmark * unused / total).min(left) };
        left = cents(left - gap.potential);
    }
}

/// The gaps of every customer. Only customers buying something (revenue
/// above zero) count as peers or get gaps: a lost customer's gaps are not a
/// cross-sell question.
pub fn cross_sell(portfolio: &Portfolio, settings: Option<&Settings>) -> CrossSell {
    let Some(settings) = settings else { return CrossSell::default() };
    let n = portfolio.rows.len();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for row in 0..n {
        if portfolio.rows[row].metrics.revenue.is_positive()
            && let Some(value) = portfolio.text(&settings.peers.value, row)
        {
            groups.entry(value).or_default().push(row);
        }
    }
    let mut by_row = vec![Vec::new(); n];
    let mut totals = Vec::new();
    for (group, rows) in &groups {
        // Category → what each buying peer spent on it.
        let mut spend: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for &row in rows {
            for c in &portfolio.rows[row].metrics.categories {
                if c.current.is_positive() {
                    spend.entry(&c.category).or_default().push(c.current.to_f64());
                }
            }
        }
        let mut total = GroupTotal {
            group: group.clone(),
            customers: rows.len(),
            with_gaps: 0,
            gaps: 0,
            potential: 0.0,
        };
        let peers = rows.len() - 1;
        for &row in rows {
            if peers < settings.min_peers {
                break;
            }
            let bought = &portfolio.rows[row].metrics.categories;
            let buys =
                |name: &str| bought.iter().any(|c| &*c.category == name && c.current.is_positive());
            let mut gaps: Vec<Gap> = spend
                .iter()
                .filter(|(name, _)| !buys(name))
                .filter_map(|(name, amounts)| {
                    let share = amounts.len() as f64 / peers as f64;
                    let benchmark = cents(median(&mut amounts.clone()).unwrap_or(0.0));
                    (share >= settings.min_peer_share).then(|| Gap {
                        category: name.to_string(),
                        buyers: amounts.len(),
                        peers,
                        share,
                        benchmark,
                        potential: benchmark,
                    })
                })
                .collect();
            gaps.sort_by(|a, b| {
                b.benchmark.total_cmp(&a.benchmark).then(a.category.cmp(&b.category))
            });
            if let Some(unused) = unused_potential(portfolio, row) {
                bound_by(&mut gaps, unused);
            }
            if !gaps.is_empty() {
                total.with_gaps += 1;
                total.gaps += gaps.len();
                total.potential =
                    cents(total.potential + gaps.iter().map(|g| g.potential).sum::<f64>());
            }
            by_row[row] = gaps;
        }
        totals.push(total);
    }
    CrossSell {
        peers: Some(settings.peers.value.clone()),
        min_peer_share: settings.min_peer_share,
        by_row,
        groups: totals,
    }
}
