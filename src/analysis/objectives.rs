//! The targets of an account's segment playbooks, made concrete: each
//! objective's metric now, the number to reach and what it is based on.

use super::median;
use crate::classify::Portfolio;
use crate::config::rules::{Level, Rules, Target};
use crate::report::format;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Objective {
    pub label: String,
    pub metric: String,
    /// How the template prints the figures: money, pct, count, days or decimal.
    pub format: &'static str,
    pub current: Option<f64>,
    pub target: Option<f64>,
    /// "≥" or "≤" for a floor or ceiling, empty for a value to reach.
    pub bound: &'static str,
    /// How the target was set, e.g. "+10 points (playbook: BX: mid value, steady demand)".
    pub basis: String,
    /// Whether the current value already meets the target.
    pub met: bool,
}

/// The objectives of the account in row `row`: those of its segments'
/// playbooks in matrix order, one per metric (the first matrix's wins).
pub fn objectives(portfolio: &Portfolio, rules: &Rules, row: usize) -> Vec<Objective> {
    let mut list: Vec<Objective> = Vec::new();
    for matrix in &rules.matrices {
        let Some(segment_id) = portfolio.text(&matrix.id, row) else { continue };
        let Some(segment) = rules.segment(&segment_id) else { continue };
        for objective in &segment.objectives {
            let metric = &objective.metric.value;
            if list.iter().any(|o| o.metric == *metric) {
                continue;
            }
            let current = portfolio.facts.get(metric, row).and_then(|f| f.as_f64());
            let kind = format_of(metric);
            let show = |x: f64| figure(kind, x);
            let segment_median = || {
                let facts = &portfolio.facts;
                let segment = facts.get(&matrix.id, row);
                let mut values: Vec<f64> = (0..portfolio.rows.len())
                    .filter(|&r| facts.get(&matrix.id, r) == segment)
                    .filter_map(|r| facts.get(metric, r).and_then(|f| f.as_f64()))
                    .collect();
                median(&mut values)
            };
            let bound = match objective.target {
                Target::AtLeast(_) => "≥ ",
                Target::AtMost(_) => "≤ ",
                _ => "",
            };
            let (target, how, met) = match &objective.target {
                // Growth needs something to grow from: none for a customer
                // that no longer buys.
                Target::Grow(rate) => (
                    current.filter(|c| *c > 0.0).map(|c| c * (1.0 + rate)),
                    format!("{} on now", format::change(*rate)),
                    false,
                ),
                Target::Add(amount) => {
                    let how = if kind == "pct" {
                        format!(
                            "{}{} points on now",
                            sign(*amount),
                            format::number(amount.abs() * 100.0, 0)
                        )
                    } else {
                        format!("{}{} on now", sign(*amount), show(amount.abs()))
                    };
                    (current.map(|c| c + amount), how, false)
                }
                Target::AtLeast(level) | Target::AtMost(level) => {
                    let at_least = matches!(objective.target, Target::AtLeast(_));
                    let (value, how) = match level {
                        Level::Value(v) => (Some(*v), String::new()),
                        Level::SegmentMedian => {
                            let median = segment_median();
                            (median, "the segment's median".to_string())
                        }
                    };
                    let met = match (current, value) {
                        (Some(c), Some(v)) => {
                            if at_least {
                                c >= v
                            } else {
                                c <= v
                            }
                        }
                        _ => false,
                    };
                    let word = if at_least { "at least" } else { "at most" };
                    let how =
                        if how.is_empty() { word.to_string() } else { format!("{word} {how}") };
                    (value, how, met)
                }
            };
            // Money to the cent, ratios to a hundredth of a point.
            let target = target
                .map(|t| if kind == "money" { super::cents(t) } else { (t * 1e6).round() / 1e6 });
            list.push(Objective {
                label: objective.label.clone().unwrap_or_else(|| crate::report::humanize(metric)),
                metric: metric.clone(),
                format: kind,
                current,
                target,
                bound,
                basis: format!("{how} (playbook: {})", segment.title),
                met,
            });
        }
    }
    list
}

fn sign(x: f64) -> &'static str {
    if x < 0.0 { "\u{2212}" } else { "+" }
}

/// How a metric's figures read, from its name.
pub fn format_of(metric: &str) -> &'static str {
    match metric {
        "share_of_wallet" | "margin_pct" | "growth" => "pct",
        "orders" | "products" | "active_months" | "categories" | "categories_prev" => "count",
        "cv" | "satisfaction" => "decimal",
        m if m.starts_with("days_") || m == "median_gap" => "days",
        m if m.ends_with("_pct") || m.ends_with("_share") => "pct",
        _ => "money",
    }
}

/// A figure as the documents print it.
pub fn figure(kind: &str, x: f64) -> String {
    match kind {
        "money" => format::money(x),
        "pct" => format::percent(x, 1),
        "days" => format!("{} days", format::number(x, 0)),
        "decimal" => format::number(x, 2),
        _ => format::number(x, 0),
    }
}
