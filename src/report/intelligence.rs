//! The portfolio report's analysis sections, as the template prints them:
//! cross-sell potential per peer group, lost customers and win-back, partial
//! churn and the resource balance.

use super::{Sources, axis_title};
use crate::analysis::lost::{Churning, LostCustomer};
use crate::analysis::resources::{BalanceRow, Flagged};
use crate::locale::format::month_year;
use serde::Serialize;

/// Most lines of a list (win-back, churning, flagged accounts) before "and N more".
const LISTED: usize = 20;

#[derive(Debug, Default, Serialize)]
pub struct IntelligenceReport {
    pub cross_sell: Option<CrossSellSummary>,
    pub lost: LostSummary,
    pub resources: Option<ResourceSummary>,
}

#[derive(Debug, Serialize)]
pub struct CrossSellSummary {
    /// What makes customers peers, e.g. "segment of the ABC × XYZ matrix".
    pub peers: String,
    pub min_peer_share: f64,
    pub groups: Vec<GroupLine>,
    pub customers_with_gaps: usize,
    pub potential: f64,
}

#[derive(Debug, Serialize)]
pub struct GroupLine {
    pub title: String,
    pub customers: usize,
    pub with_gaps: usize,
    pub gaps: usize,
    pub potential: f64,
}

#[derive(Debug, Default, Serialize)]
pub struct LostSummary {
    /// Whether the rules name a lost-customer alert at all.
    pub defined: bool,
    pub customers: usize,
    pub revenue_lost: f64,
    /// Months with losses, oldest first.
    pub months: Vec<MonthLine>,
    /// Losses with a last purchase before both windows.
    pub earlier: usize,
    pub win_back: Vec<LostCustomer>,
    pub win_back_more: usize,
    /// The win-back matrix's title, for the column heading.
    pub win_back_matrix: Option<String>,
    pub churning: Vec<Churning>,
    pub churning_count: usize,
    pub chart: String,
}

#[derive(Debug, Serialize)]
pub struct MonthLine {
    pub month: String,
    pub customers: usize,
    pub revenue_lost: f64,
}

#[derive(Debug, Serialize)]
pub struct ResourceSummary {
    pub customers_with_costs: usize,
    pub breakdowns: Vec<BreakdownView>,
    pub over_invested: Vec<Flagged>,
    pub over_invested_more: usize,
    pub under_served: Vec<Flagged>,
    pub under_served_more: usize,
}

#[derive(Debug, Serialize)]
pub struct BreakdownView {
    pub title: String,
    pub rows: Vec<BalanceRow>,
    pub chart: String,
}

pub fn intelligence_report(sources: &Sources) -> IntelligenceReport {
    let rules = sources.rules;
    let locale = rules.locale;
    let intel = &sources.intelligence;
    let title_of = |variable: &str| {
        rules
            .matrices
            .iter()
            .find(|m| m.id == variable)
            .map_or_else(|| axis_title(rules, variable), |m| m.title.clone())
    };
    let segment_title =
        |value: &str| rules.segment(value).map_or_else(|| value.to_string(), |s| s.title.clone());
    let cross_sell = intel.cross_sell.peers.as_ref().map(|peers| {
        let is_matrix = rules.matrices.iter().any(|m| m.id == *peers);
        let mut groups: Vec<GroupLine> = intel
            .cross_sell
            .groups
            .iter()
            .map(|g| GroupLine {
                title: segment_title(&g.group),
                customers: g.customers,
                with_gaps: g.with_gaps,
                gaps: g.gaps,
                potential: g.potential,
            })
            .collect();
        groups.sort_by(|a, b| b.potential.total_cmp(&a.potential).then(a.title.cmp(&b.title)));
        CrossSellSummary {
            peers: if is_matrix {
                locale.fill("segment of the {matrix} matrix", &[("matrix", &title_of(peers))])
            } else {
                title_of(peers).to_lowercase()
            },
            min_peer_share: intel.cross_sell.min_peer_share,
            customers_with_gaps: groups.iter().map(|g| g.with_gaps).sum(),
            potential: groups.iter().map(|g| g.potential).sum(),
            groups,
        }
    });
    let lost = &intel.lost;
    let mut win_back = lost.lost.clone();
    let win_back_more = win_back.len().saturating_sub(LISTED);
    win_back.truncate(LISTED);
    let mut churning = lost.churning.clone();
    churning.truncate(LISTED);
    let lost_summary = LostSummary {
        defined: rules.analysis.lost_alert.is_some(),
        customers: lost.lost.len(),
        revenue_lost: lost.revenue_lost(),
        months: lost
            .by_month
            .iter()
            .filter(|m| m.customers > 0)
            .map(|m| MonthLine {
                month: month_year(locale, m.month),
                customers: m.customers,
                revenue_lost: m.revenue_lost,
            })
            .collect(),
        earlier: lost.before.customers,
        win_back,
        win_back_more,
        win_back_matrix: rules.analysis.win_back_matrix.as_ref().map(|m| title_of(&m.value)),
        churning,
        churning_count: lost.churning.len(),
        chart: "/charts/lost.svg".into(),
    };
    let balance = &intel.resources;
    let resources = (balance.customers_with_costs > 0).then(|| {
        let listed = |list: &[Flagged]| {
            (list.iter().take(LISTED).cloned().collect(), list.len().saturating_sub(LISTED))
        };
        let (over_invested, over_invested_more) = listed(&balance.over_invested);
        let (under_served, under_served_more) = listed(&balance.under_served);
        ResourceSummary {
            customers_with_costs: balance.customers_with_costs,
            breakdowns: balance
                .breakdowns
                .iter()
                .enumerate()
                .map(|(i, b)| BreakdownView {
                    title: title_of(&b.by),
                    rows: b
                        .rows
                        .iter()
                        .map(|r| BalanceRow { group: segment_title(&r.group), ..r.clone() })
                        .collect(),
                    chart: format!("/charts/resources-{}.svg", i + 1),
                })
                .collect(),
            over_invested,
            over_invested_more,
            under_served,
            under_served_more,
        }
    });
    IntelligenceReport { cross_sell, lost: lost_summary, resources }
}
