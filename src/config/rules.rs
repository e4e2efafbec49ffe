//! Rule files: every `*.toml` below a project's `rules/` folder, or the default
//! set shipped in the repository's `rules/` (compiled into the binary).
//! This first part of the rule engine reads the ABC and XYZ classifications.

use super::{ConfigError, ConfigIssue, IssueSink};
use crate::metrics::RankMetric;
use crate::model::Bound;
use crate::model::fields::closest;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The default rule files, by name.
pub const DEFAULT_RULES: &[(&str, &str)] =
    &[("classification.toml", include_str!("../../rules/classification.toml"))];

/// The validated rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub abc: AbcRule,
    pub xyz: XyzRule,
    /// Where the rules came from, for the summary.
    pub source: RulesSource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesSource {
    Defaults,
    Folder(PathBuf),
}

/// How to cut the ABC ranking.
#[derive(Clone, Debug, PartialEq)]
pub enum AbcMethod {
    /// Upper bound of the share held by the customers ahead, one per class (last 1.0).
    CumulativeShare(Vec<Bound>),
    /// Cumulative share of the customer count each class reaches (last 1.0).
    RankShare(Vec<Bound>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AbcRule {
    pub metric: RankMetric,
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

#[derive(Clone, Debug, PartialEq)]
pub struct XyzRule {
    pub classes: Vec<String>,
    pub method: XyzMethod,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRuleFile {
    abc: Option<Spanned<RawAbc>>,
    xyz: Option<Spanned<RawXyz>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAbc {
    metric: Option<Spanned<String>>,
    method: Option<Spanned<String>>,
    classes: Option<Spanned<Vec<String>>>,
    bounds: Option<Spanned<Vec<f64>>>,
    shares: Option<Spanned<Vec<f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawXyz {
    method: Option<Spanned<String>>,
    classes: Option<Spanned<Vec<String>>>,
    bounds: Option<Spanned<Vec<f64>>>,
}

/// Loads the rules of a project's `rules/` folder, or the defaults.
pub fn load_rules(dir: Option<&Path>) -> Result<Rules, ConfigError> {
    let files: Vec<(PathBuf, String)> = match dir {
        None => DEFAULT_RULES
            .iter()
            .map(|(name, text)| (PathBuf::from("rules").join(name), text.to_string()))
            .collect(),
        Some(dir) => read_rule_files(dir)?,
    };
    let source = dir.map_or(RulesSource::Defaults, |d| RulesSource::Folder(d.to_path_buf()));
    parse_rules(&files, source)
}

fn read_rule_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, ConfigError> {
    let mut files = Vec::new();
    let mut issues = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "toml") {
            match std::fs::read_to_string(path) {
                Ok(text) => files.push((path.to_path_buf(), text)),
                Err(e) => issues.push(ConfigIssue {
                    file: path.to_path_buf(),
                    position: None,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
    }
    if issues.is_empty() { Ok(files) } else { Err(ConfigError(issues)) }
}

/// Validates rule files given as (path, text); sections missing from all of
/// them take the default rules' values.
pub fn parse_rules(files: &[(PathBuf, String)], source: RulesSource) -> Result<Rules, ConfigError> {
    let mut issues = Vec::new();
    let mut abc: Option<(PathBuf, AbcRule, usize)> = None;
    let mut xyz: Option<(PathBuf, XyzRule, usize)> = None;
    for (path, text) in files {
        let mut sink = IssueSink::new(path.clone(), text);
        let raw: RawRuleFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                sink.toml(&e);
                issues.extend(sink.issues);
                continue;
            }
        };
        if let Some(raw_abc) = raw.abc {
            let at = raw_abc.span().start;
            if let Some((first, _, _)) = &abc {
                sink.at(Some(at), format!("[abc] is already defined in {}", first.display()));
            } else if let Some(rule) = validate_abc(&mut sink, raw_abc.into_inner(), at) {
                abc = Some((path.clone(), rule, at));
            }
        }
        if let Some(raw_xyz) = raw.xyz {
            let at = raw_xyz.span().start;
            if let Some((first, _, _)) = &xyz {
                sink.at(Some(at), format!("[xyz] is already defined in {}", first.display()));
            } else if let Some(rule) = validate_xyz(&mut sink, raw_xyz.into_inner(), at) {
                xyz = Some((path.clone(), rule, at));
            }
        }
        issues.extend(sink.issues);
    }
    if !issues.is_empty() {
        return Err(ConfigError(issues));
    }
    let needs_defaults = abc.is_none() || xyz.is_none();
    let defaults = if needs_defaults && source != RulesSource::Defaults {
        Some(load_rules(None).expect("the default rules are valid"))
    } else {
        None
    };
    let missing = |what: &str| {
        ConfigError(vec![ConfigIssue {
            file: PathBuf::from("rules"),
            position: None,
            message: format!("no [{what}] section"),
        }])
    };
    Ok(Rules {
        abc: match abc {
            Some((_, rule, _)) => rule,
            None => defaults.as_ref().map(|d| d.abc.clone()).ok_or_else(|| missing("abc"))?,
        },
        xyz: match xyz {
            Some((_, rule, _)) => rule,
            None => defaults.as_ref().map(|d| d.xyz.clone()).ok_or_else(|| missing("xyz"))?,
        },
        source,
    })
}

fn validate_abc(sink: &mut IssueSink, raw: RawAbc, at: usize) -> Option<AbcRule> {
    let metric = match &raw.metric {
        None => Some(RankMetric::Revenue),
        Some(m) => RankMetric::from_name(m.get_ref()).or_else(|| {
            let names = RankMetric::ALL.iter().map(|m| m.name());
            let hint = closest(m.get_ref(), names.clone()).map_or_else(
                || format!("expected one of {}", names.collect::<Vec<_>>().join(", ")),
                |c| format!("did you mean \"{c}\"?"),
            );
            sink.at(
                Some(m.span().start),
                format!("unknown metric \"{}\" for ABC; {hint}", m.get_ref()),
            );
            None
        }),
    };
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
        other => {
            sink.at(Some(method_at), format!("unknown ABC method \"{other}\"; expected \"cumulative-share\" or \"rank-share\""));
            None
        }
    };
    Some(AbcRule { metric: metric?, classes, method: method? })
}

fn validate_xyz(sink: &mut IssueSink, raw: RawXyz, at: usize) -> Option<XyzRule> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Rules, ConfigError> {
        parse_rules(
            &[(PathBuf::from("rules/r.toml"), text.to_string())],
            RulesSource::Folder("rules".into()),
        )
    }

    #[test]
    fn the_defaults_are_the_spec_values() {
        let rules = load_rules(None).unwrap();
        assert_eq!(rules.abc.metric, RankMetric::Revenue);
        let b = |s: &str| Bound::parse(s).unwrap();
        assert_eq!(rules.abc.method, AbcMethod::CumulativeShare(vec![b("0.8"), b("0.95"), b("1")]));
        assert_eq!(rules.xyz.method, XyzMethod::Cv(vec![b("0.5"), b("1")]));
        assert_eq!(rules.xyz.classes, ["X", "Y", "Z"]);
    }

    #[test]
    fn reads_rank_share_and_frequency() {
        let rules = parse("[abc]\nmetric = \"margin\"\nmethod = \"rank-share\"\nshares = [0.1, 0.2, 0.7]\n[xyz]\nmethod = \"frequency\"\nbounds = [0.75, 0.4]\n").unwrap();
        let b = |s: &str| Bound::parse(s).unwrap();
        assert_eq!(rules.abc.method, AbcMethod::RankShare(vec![b("0.1"), b("0.3"), b("1")]));
        assert_eq!(rules.abc.metric, RankMetric::Margin);
        assert_eq!(rules.xyz.method, XyzMethod::Frequency(vec![b("0.75"), b("0.4")]));
    }

    #[test]
    fn reports_every_problem_with_its_place() {
        let err = parse(
            "[abc]\nmetric = \"revenu\"\nbounds = [0.95, 0.8, 1.0]\n[xyz]\nbounds = [1.0, 0.5]\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "r.toml:2:10: unknown metric \"revenu\" for ABC; did you mean \"revenue\"?"
            ),
            "{text}"
        );
        assert!(text.contains("r.toml:3:10: bounds must be positive and increasing"), "{text}");
        assert!(text.contains("r.toml:5:10: bounds must be increasing"), "{text}");
    }

    #[test]
    fn missing_sections_take_the_defaults() {
        let rules = parse("[xyz]\nmethod = \"frequency\"\n").unwrap();
        assert_eq!(rules.abc, load_rules(None).unwrap().abc);
    }

    #[test]
    fn the_last_bound_must_be_one() {
        let err = parse("[abc]\nbounds = [0.8, 0.9, 0.95]\n").unwrap_err();
        assert!(err.to_string().contains("must reach 1.0"), "{err}");
    }
}
