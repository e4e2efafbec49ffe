//! The portfolio analyses' settings: which alerts mark lost, churning,
//! over-invested and under-served customers, the win-back playbook, the
//! resource-balance groups, the cross-sell peer groups, and the targets of
//! segment playbooks.

use super::raw::{RawAnalysis, RawCrossSell, RawObjective};
use crate::config::{IssueSink, Located};
use toml::Spanned;

/// `[analysis]`: each analysis builds on an alert, so its criterion is a
/// rule expression the consultant can change like any other.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    pub lost_alert: Option<Located<String>>,
    pub partial_churn_alert: Option<Located<String>>,
    pub over_invested_alert: Option<Located<String>>,
    pub under_served_alert: Option<Located<String>>,
    /// The matrix whose segment (in the window before the loss) suggests how
    /// to win a lost customer back.
    pub win_back_matrix: Option<Located<String>>,
    /// Classifications or matrices the resource balance is broken down by.
    pub resource_groups: Vec<Located<String>>,
}

/// `[cross_sell]`: a category the account does not buy is a gap when at
/// least `min_peer_share` of its peers buy it.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossSell {
    /// The variable whose value makes customers peers: a matrix (same
    /// segment), a classification or an attribute such as `sector`.
    pub peers: Located<String>,
    pub min_peer_share: f64,
    /// Smaller peer groups give no gaps: their shares mean little.
    pub min_peers: usize,
}

/// A target in a segment's playbook, made concrete for each account.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    pub metric: Located<String>,
    pub label: Option<String>,
    pub target: Target,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Current value × (1 + rate).
    Grow(f64),
    /// Current value + amount (points, for shares).
    Add(f64),
    AtLeast(Level),
    AtMost(Level),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Level {
    Value(f64),
    /// The median of the metric over the customers of the same segment
    /// (for a strategy's KPI: with the same strategy).
    SegmentMedian,
}

fn located(sink: &IssueSink, value: Spanned<String>) -> Located<String> {
    let place = sink.place(Some(value.span().start));
    Located { value: value.into_inner(), place }
}

pub(super) fn validate_analysis(sink: &mut IssueSink, raw: RawAnalysis) -> Analysis {
    let one = |v: Option<Spanned<String>>| v.map(|v| located(sink, v));
    Analysis {
        lost_alert: one(raw.lost_alert),
        partial_churn_alert: one(raw.partial_churn_alert),
        over_invested_alert: one(raw.over_invested_alert),
        under_served_alert: one(raw.under_served_alert),
        win_back_matrix: one(raw.win_back_matrix),
        resource_groups: raw
            .resource_groups
            .unwrap_or_default()
            .into_iter()
            .map(|g| located(sink, g))
            .collect(),
    }
}

pub(super) fn validate_cross_sell(sink: &mut IssueSink, raw: RawCrossSell) -> Option<CrossSell> {
    let min_peer_share = match raw.min_peer_share {
        None => 0.5,
        Some(s) if (0.0..=1.0).contains(s.get_ref()) && *s.get_ref() > 0.0 => *s.get_ref(),
        Some(s) => {
            sink.at(
                Some(s.span().start),
                format!("min_peer_share {} is not a fraction above 0 and up to 1", s.get_ref()),
            );
            return None;
        }
    };
    let min_peers = match raw.min_peers {
        None => 5,
        Some(n) if *n.get_ref() >= 1 => *n.get_ref() as usize,
        Some(n) => {
            sink.at(Some(n.span().start), "min_peers must be at least 1");
            return None;
        }
    };
    Some(CrossSell { peers: located(sink, raw.peers), min_peer_share, min_peers })
}

pub(super) fn validate_objective(
    sink: &mut IssueSink,
    texts: &mut super::texts::TextChooser,
    raw: Spanned<RawObjective>,
    median: &str,
) -> Option<Objective> {
    let at = raw.span().start;
    let raw = raw.into_inner();
    let level = |sink: &mut IssueSink, v: Spanned<toml::Value>| -> Option<Level> {
        match v.get_ref() {
            toml::Value::Integer(n) => Some(Level::Value(*n as f64)),
            toml::Value::Float(x) => Some(Level::Value(*x)),
            toml::Value::String(s) if s == median => Some(Level::SegmentMedian),
            other => {
                sink.at(
                    Some(v.span().start),
                    format!("expected a number or \"{median}\", found {other}"),
                );
                None
            }
        }
    };
    let mut targets = Vec::new();
    if let Some(rate) = raw.grow {
        targets.push(Some(Target::Grow(rate)));
    }
    if let Some(amount) = raw.add {
        targets.push(Some(Target::Add(amount)));
    }
    if let Some(v) = raw.at_least {
        targets.push(level(sink, v).map(Target::AtLeast));
    }
    if let Some(v) = raw.at_most {
        targets.push(level(sink, v).map(Target::AtMost));
    }
    if targets.len() != 1 {
        sink.at(Some(at), "an objective needs exactly one of grow, add, at_least or at_most");
        return None;
    }
    let target = targets.pop().flatten()?;
    let label = raw.label.map(|l| texts.shown(sink, l));
    Some(Objective { metric: located(sink, raw.metric), label, target })
}
