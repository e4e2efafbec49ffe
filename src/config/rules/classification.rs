//! ABC and XYZ classifications of a rule file.

use super::raw::RawClassification;
use crate::config::{IssueSink, Located};
use crate::model::Bound;
use toml::Spanned;

/// How to cut the ABC ranking.
#[derive(Clone, Debug, PartialEq)]
pub enum AbcMethod {
    /// Upper bound of the share held by the customers ahead, one per class (last 1.0).
    CumulativeShare(Vec<Bound>),
    /// Cumulative share of the customer count each class reaches (last 1.0).
    RankShare(Vec<Bound>),
    /// Limits found on the ABC curve itself (Ultsch & Lötsch 2015, see
    /// `classify::computed`): always three classes.
    Computed,
}

/// Ranks customers by a metric and cuts the ranking into classes.
#[derive(Clone, Debug, PartialEq)]
pub struct AbcRule {
    /// The variable ranked: a metric or a derived metric (checked against the catalog later).
    pub metric: Located<String>,
    pub classes: Vec<String>,
    pub method: AbcMethod,
}

#[derive(Clone, Debug, PartialEq)]
pub enum XyzMethod {
    /// cv upper bounds, increasing: class i if cv ≤ bounds[i].
    Cv(Vec<Bound>),
    /// Active-month share lower bounds, decreasing: class i if share ≥ bounds[i].
    Frequency(Vec<Bound>),
}

/// Sorts customers by the regularity of their purchases.
#[derive(Clone, Debug, PartialEq)]
pub struct XyzRule {
    pub classes: Vec<String>,
    pub method: XyzMethod,
}

/// A classification's rule.
#[derive(Clone, Debug, PartialEq)]
pub enum ClassRule {
    Abc(AbcRule),
    Xyz(XyzRule),
}

impl ClassRule {
    pub fn classes(&self) -> &[String] {
        match self {
            ClassRule::Abc(r) => &r.classes,
            ClassRule::Xyz(r) => &r.classes,
        }
    }
}

/// Validates one `[classification.ID]` table; `at` is its offset in the file.
pub fn validate_classification(
    sink: &mut IssueSink,
    raw: RawClassification,
    at: usize,
) -> Option<ClassRule> {
    match raw.kind.get_ref().as_str() {
        "abc" => validate_abc(sink, raw, at).map(ClassRule::Abc),
        "xyz" => {
            if let Some(m) = &raw.metric {
                sink.at(
                    Some(m.span().start),
                    "an XYZ classification measures monthly revenue; it takes no metric",
                );
            }
            if let Some(s) = &raw.shares {
                sink.at(Some(s.span().start), "shares belong to ABC with method = \"rank-share\"");
            }
            validate_xyz(sink, raw, at).map(ClassRule::Xyz)
        }
        other => {
            sink.at(
                Some(raw.kind.span().start),
                format!("unknown kind \"{other}\"; expected \"abc\" or \"xyz\""),
            );
            None
        }
    }
}

fn validate_abc(sink: &mut IssueSink, raw: RawClassification, at: usize) -> Option<AbcRule> {
    let metric = raw.metric.as_ref().map_or_else(
        || Located { value: "revenue".to_string(), place: sink.place(Some(at)) },
        |m| Located { value: m.get_ref().clone(), place: sink.place(Some(m.span().start)) },
    );
    let classes = classes(sink, raw.classes.as_ref(), &["A", "B", "C"])?;
    let method_name = raw.method.as_ref().map_or("cumulative-share", |m| m.get_ref().as_str());
    let method_at = raw.method.as_ref().map_or(at, |m| m.span().start);
    let method = match method_name {
        "cumulative-share" => {
            if let Some(s) = &raw.shares {
                sink.at(
                    Some(s.span().start),
                    "shares belong to method = \"rank-share\"; cumulative-share takes bounds",
                );
            }
            let bounds = bound_list(sink, raw.bounds.as_ref(), &[0.80, 0.95, 1.0], "bounds", at)?;
            check_cumulative(
                sink,
                &bounds,
                raw.bounds.as_ref().map_or(at, |b| b.span().start),
                classes.len(),
                "bounds",
            )?;
            Some(AbcMethod::CumulativeShare(bounds))
        }
        "rank-share" => {
            if let Some(b) = &raw.bounds {
                sink.at(
                    Some(b.span().start),
                    "bounds belong to method = \"cumulative-share\"; rank-share takes shares",
                );
            }
            let shares = bound_list(sink, raw.shares.as_ref(), &[0.10, 0.20, 0.70], "shares", at)?;
            let cumulative: Vec<Bound> = shares
                .iter()
                .scan(Bound::parse("0").expect("zero"), |acc, s| {
                    *acc = acc.plus(*s);
                    Some(*acc)
                })
                .collect();
            check_cumulative(
                sink,
                &cumulative,
                raw.shares.as_ref().map_or(at, |b| b.span().start),
                classes.len(),
                "shares",
            )?;
            Some(AbcMethod::RankShare(cumulative))
        }
        "computed" => {
            for (key, given) in [
                ("bounds", raw.bounds.as_ref().map(|b| b.span().start)),
                ("shares", raw.shares.as_ref().map(|s| s.span().start)),
            ] {
                if let Some(start) = given {
                    sink.at(
                        Some(start),
                        format!("method = \"computed\" finds the limits itself; it takes no {key}"),
                    );
                }
            }
            if classes.len() != 3 {
                let classes_at = raw.classes.as_ref().map_or(at, |c| c.span().start);
                sink.at(
                    Some(classes_at),
                    format!(
                        "method = \"computed\" finds two limits, so it makes exactly 3 classes; found {}",
                        classes.len()
                    ),
                );
                return None;
            }
            Some(AbcMethod::Computed)
        }
        other => {
            sink.at(Some(method_at), format!("unknown ABC method \"{other}\"; expected \"cumulative-share\", \"rank-share\" or \"computed\""));
            None
        }
    };
    Some(AbcRule { metric, classes, method: method? })
}

fn validate_xyz(sink: &mut IssueSink, raw: RawClassification, at: usize) -> Option<XyzRule> {
    let classes = classes(sink, raw.classes.as_ref(), &["X", "Y", "Z"])?;
    let method_name = raw.method.as_ref().map_or("cv", |m| m.get_ref().as_str());
    let bounds_at = raw.bounds.as_ref().map_or(at, |b| b.span().start);
    let (defaults, increasing): (&[f64], bool) = match method_name {
        "cv" => (&[0.5, 1.0], true),
        "frequency" => (&[0.75, 0.40], false),
        other => {
            let method_at = raw.method.as_ref().map_or(at, |m| m.span().start);
            sink.at(
                Some(method_at),
                format!("unknown XYZ method \"{other}\"; expected \"cv\" or \"frequency\""),
            );
            return None;
        }
    };
    let bounds = bound_list(sink, raw.bounds.as_ref(), defaults, "bounds", at)?;
    if bounds.len() + 1 != classes.len() {
        sink.at(
            Some(bounds_at),
            format!(
                "{} classes need {} bounds, found {}",
                classes.len(),
                classes.len() - 1,
                bounds.len()
            ),
        );
        return None;
    }
    let ordered = bounds.windows(2).all(|w| {
        let (a, b) = (w[0].to_f64(), w[1].to_f64());
        if increasing { a < b } else { a > b }
    });
    if !ordered {
        let order = if increasing {
            "increasing (cv upper bounds)"
        } else {
            "decreasing (shares of active months)"
        };
        sink.at(Some(bounds_at), format!("bounds must be {order}"));
        return None;
    }
    if !increasing && bounds.iter().any(|b| b.to_f64() > 1.0) {
        sink.at(Some(bounds_at), "frequency bounds are shares of months, from 0 to 1");
        return None;
    }
    Some(XyzRule {
        classes,
        method: if increasing { XyzMethod::Cv(bounds) } else { XyzMethod::Frequency(bounds) },
    })
}

fn classes(
    sink: &mut IssueSink,
    raw: Option<&Spanned<Vec<String>>>,
    default: &[&str],
) -> Option<Vec<String>> {
    let Some(raw) = raw else { return Some(default.iter().map(|s| s.to_string()).collect()) };
    let list = raw.get_ref();
    let mut sorted = list.clone();
    sorted.sort();
    sorted.dedup();
    if list.len() < 2 || sorted.len() != list.len() || list.iter().any(|c| c.trim().is_empty()) {
        sink.at(Some(raw.span().start), "classes must be two or more distinct, non-empty names");
        return None;
    }
    Some(list.clone())
}

fn bound_list(
    sink: &mut IssueSink,
    raw: Option<&Spanned<Vec<f64>>>,
    default: &[f64],
    key: &str,
    at: usize,
) -> Option<Vec<Bound>> {
    let (values, at) = raw.map_or((default, at), |r| (r.get_ref().as_slice(), r.span().start));
    let bounds: Option<Vec<Bound>> = values.iter().map(|v| Bound::from_f64(*v)).collect();
    if bounds.is_none() {
        sink.at(
            Some(at),
            format!(
                "{key} must be non-negative numbers with at most {} decimals",
                Bound::MAX_SCALE
            ),
        );
    }
    bounds
}

/// Cumulative bounds: one per class, increasing, ending at exactly 1.
fn check_cumulative(
    sink: &mut IssueSink,
    bounds: &[Bound],
    at: usize,
    classes: usize,
    key: &str,
) -> Option<()> {
    let one = Bound::parse("1").expect("one");
    let problem = if bounds.len() != classes {
        Some(format!("{classes} classes need {classes} {key}, found {}", bounds.len()))
    } else if !bounds.windows(2).all(|w| w[0].to_f64() < w[1].to_f64()) || bounds[0].to_f64() <= 0.0
    {
        Some(format!("{key} must be positive and increasing"))
    } else if bounds
        .last()
        .map(|b| b.numerator() * one.denominator() != one.numerator() * b.denominator())
        != Some(false)
    {
        Some(format!(
            "the last class must reach 1.0 (every customer has a class); {key} reach {}",
            bounds.last().map_or(0.0, |b| b.to_f64())
        ))
    } else {
        None
    };
    match problem {
        Some(message) => {
            sink.at(Some(at), message);
            None
        }
        None => Some(()),
    }
}
