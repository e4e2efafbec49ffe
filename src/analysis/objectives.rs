//! The KPIs of an account's strategy, made concrete: each objective's metric
//! now, the number to reach and what it is based on.

use super::median;
use crate::classify::Portfolio;
use crate::config::rules::{Level, Objective as KpiRule, Rules, Strategy, Target};
use crate::locale::format;
use crate::model::Date;
use serde::Serialize;
use std::collections::HashMap;

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
    /// How the target was set, e.g. "+10 points on now (strategy: Develop)".
    pub basis: String,
    /// The same without the strategy, and empty for a fixed value (the
    /// target says it all): "+10 points on now".
    pub how: String,
    /// Whether the current value already meets the target.
    pub met: bool,
    /// Set when the current value cannot be true (a share of wallet above
    /// 100%): the objective then has no target, and `basis` says why.
    pub doubt: Option<String>,
    /// How the result is judged against the target: `at_least` or `at_most`
    /// (a growth or an increase is reached from below).
    pub comparison: &'static str,
    /// The role id of the action that carries the KPI, and when it is due.
    pub owner: String,
    #[serde(skip)]
    pub due: Date,
}

/// Medians of a metric over the customers of one strategy, computed once
/// per (strategy, metric) however many accounts ask.
#[derive(Default)]
pub struct Medians(HashMap<(Option<String>, String), Option<f64>>);

/// The objectives of the account in row `row`: the KPIs of its strategy's
/// actions, in action order, one per metric (the first action's wins).
pub fn objectives(portfolio: &Portfolio, rules: &Rules, row: usize) -> Vec<Objective> {
    objectives_with(portfolio, rules, row, &mut Medians::default())
}

/// [`objectives`] for many accounts, sharing the strategy medians.
pub fn objectives_with(
    portfolio: &Portfolio,
    rules: &Rules,
    row: usize,
    medians: &mut Medians,
) -> Vec<Objective> {
    let as_of = portfolio.period.as_of;
    let mut list: Vec<Objective> = Vec::new();
    let chosen = portfolio.text("strategy", row);
    let Some(strategy) = chosen.as_deref().and_then(|id| rules.strategy(id)) else { return list };
    for (action, rule) in strategy.actions.iter().filter_map(|a| Some((a, a.kpi.as_ref()?))) {
        if list.iter().any(|o| o.metric == rule.metric.value) {
            continue;
        }
        let kpi = Kpi {
            portfolio,
            l: rules.locale,
            row,
            strategy,
            chosen: &chosen,
            rule,
            metric: &rule.metric.value,
            kind: crate::classify::variables::format_of(&rule.metric.value),
            owner: action.owner.value.clone(),
            due: action.due.date_after(as_of),
        };
        list.push(objective(&kpi, medians));
    }
    list
}

/// One KPI of the account's strategy, as the objective is built from it.
struct Kpi<'a> {
    portfolio: &'a Portfolio,
    l: crate::locale::Locale,
    row: usize,
    strategy: &'a Strategy,
    /// The account's strategy id, keying the medians.
    chosen: &'a Option<String>,
    rule: &'a KpiRule,
    metric: &'a String,
    /// How the metric's figures are printed.
    kind: &'static str,
    owner: String,
    due: Date,
}

/// The objective for one KPI: the metric now, the target and how it was set.
fn objective(k: &Kpi, medians: &mut Medians) -> Objective {
    let l = k.l;
    let current = k.portfolio.facts.get(k.metric, k.row).and_then(|f| f.as_f64());
    let label = k.rule.label.clone().unwrap_or_else(|| {
        crate::report::humanize(&crate::classify::variables::label(l, k.metric))
    });
    // A share of wallet above 100% says the potential estimate is
    // wrong: no target is built on it, the plan asks for the estimate.
    if k.metric == "share_of_wallet" && doubtful(k.portfolio, k.row) {
        return doubtful_objective(k, label);
    }
    let bound = match k.rule.target {
        Target::AtLeast(_) => "≥ ",
        Target::AtMost(_) => "≤ ",
        _ => "",
    };
    let comparison = match k.rule.target {
        Target::AtMost(_) => "at_most",
        Target::Grow(rate) | Target::Add(rate) if rate < 0.0 => "at_most",
        _ => "at_least",
    };
    let (target, how, met) = target(k, current, medians);
    // Money to the cent, ratios to a hundredth of a point.
    let target =
        target.map(|t| if k.kind == "money" { super::cents(t) } else { (t * 1e6).round() / 1e6 });
    Objective {
        label,
        metric: k.metric.clone(),
        format: k.kind,
        current,
        target,
        bound,
        basis: l.fill(
            "{how} (strategy: {strategy})",
            &[("how", &how), ("strategy", &k.strategy.title)],
        ),
        how: match &k.rule.target {
            Target::AtLeast(Level::Value(_)) | Target::AtMost(Level::Value(_)) => String::new(),
            _ => how,
        },
        met,
        doubt: None,
        comparison,
        owner: k.owner.clone(),
        due: k.due,
    }
}

/// An objective without a target, asking for a new potential estimate.
fn doubtful_objective(k: &Kpi, label: String) -> Objective {
    let l = k.l;
    Objective {
        label,
        metric: k.metric.clone(),
        format: k.kind,
        // Rules see the doubtful share as missing; the plan shows it, marked.
        current: k.portfolio.rows[k.row].metrics.share_of_wallet,
        target: None,
        bound: "",
        basis: l.fill(
            "no target: the potential estimate is below this period's revenue; update the estimate (strategy: {strategy})",
            &[("strategy", &k.strategy.title)],
        ),
        how: l
            .text("the potential estimate is below this period's revenue: update the estimate")
            .to_string(),
        met: false,
        doubt: Some(l.text("doubtful").to_string()),
        comparison: "at_least",
        owner: k.owner.clone(),
        due: k.due,
    }
}

/// The target before rounding, how it was set, and whether it is already met.
fn target(k: &Kpi, current: Option<f64>, medians: &mut Medians) -> (Option<f64>, String, bool) {
    let l = k.l;
    match &k.rule.target {
        // Growth needs something to grow from: none for a customer
        // that no longer buys.
        Target::Grow(rate) => (
            current.filter(|c| *c > 0.0).map(|c| c * (1.0 + rate)),
            l.fill("{change} on now", &[("change", &format::change(l, *rate))]),
            false,
        ),
        Target::Add(amount) => {
            let how = if k.kind == "pct" {
                let points = format::number(l, amount.abs() * 100.0, 0);
                l.fill(
                    "{change} points on now",
                    &[("change", &format!("{}{points}", sign(*amount)))],
                )
            } else {
                let change =
                    format!("{}{}", sign(*amount), format::figure(l, k.kind, amount.abs()));
                l.fill("{change} on now", &[("change", &change)])
            };
            (current.map(|c| c + amount), how, false)
        }
        Target::AtLeast(level) | Target::AtMost(level) => {
            let at_least = matches!(k.rule.target, Target::AtLeast(_));
            level_target(k, level, at_least, current, medians)
        }
    }
}

/// The target of a floor or ceiling: a fixed value or the strategy's median.
fn level_target(
    k: &Kpi,
    level: &Level,
    at_least: bool,
    current: Option<f64>,
    medians: &mut Medians,
) -> (Option<f64>, String, bool) {
    let l = k.l;
    let (value, how) = match (level, at_least) {
        (Level::Value(v), true) => (Some(*v), "at least"),
        (Level::Value(v), false) => (Some(*v), "at most"),
        (Level::SegmentMedian, true) => {
            (strategy_median(k, medians), "at least the median of the accounts with this strategy")
        }
        (Level::SegmentMedian, false) => {
            (strategy_median(k, medians), "at most the median of the accounts with this strategy")
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
    // An account already past the median keeps its own level: a
    // target below where it stands would ask for nothing.
    if let (Level::SegmentMedian, true, Some(c)) = (level, met, current) {
        let how = if at_least {
            "keep at least today's level, above the median of the accounts with this strategy"
        } else {
            "keep at most today's level, below the median of the accounts with this strategy"
        };
        (Some(c), l.text(how).to_string(), false)
    } else {
        let how = match level {
            Level::Value(v) => l.fill(
                if at_least { "at least {value}" } else { "at most {value}" },
                &[("value", &format::figure(l, k.kind, *v))],
            ),
            Level::SegmentMedian => l.text(how).to_string(),
        };
        (value, how, met)
    }
}

/// The median of the KPI's metric over the accounts with the same strategy,
/// computed once per strategy and metric.
fn strategy_median(k: &Kpi, medians: &mut Medians) -> Option<f64> {
    let group = "strategy";
    let (portfolio, row, metric) = (k.portfolio, k.row, k.metric);
    let key = (k.chosen.clone(), metric.clone());
    *medians.0.entry(key).or_insert_with(|| {
        let facts = &portfolio.facts;
        let own = facts.get(group, row);
        // Doubtful values set no one's median.
        let mut values: Vec<f64> = (0..portfolio.rows.len())
            .filter(|&r| facts.get(group, r) == own)
            .filter(|&r| metric != "share_of_wallet" || !doubtful(portfolio, r))
            .filter_map(|r| facts.get(metric, r).and_then(|f| f.as_f64()))
            .collect();
        median(&mut values)
    })
}

fn doubtful(portfolio: &Portfolio, row: usize) -> bool {
    super::quality::doubtful_share_of_wallet(&portfolio.rows[row].metrics)
}

fn sign(x: f64) -> &'static str {
    if x < 0.0 { "\u{2212}" } else { "+" }
}
