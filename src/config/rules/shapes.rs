//! Matrices, segments, alerts, the key-account selection and rule tests.

use super::Rules;
use super::raw::{RawAlert, RawAxis, RawKeyAccounts, RawMatrix, RawSegment};
use super::texts::TextChooser;
use crate::config::{Diagnostic, IssueSink, Located};
use crate::model::fields::closest;
use indexmap::IndexMap;
use toml::Spanned;

/// How an axis cuts its variable into bands.
#[derive(Clone, Debug, PartialEq)]
pub enum Bands {
    /// Fixed values: band 1 if v < b1, band 2 if b1 ≤ v < b2, …
    Breaks(Vec<f64>),
    /// The portfolio's quantiles of the variable, used as breaks.
    Quantiles(Vec<f64>),
    /// One band per value, such as ABC classes or relationship stages.
    Categories(Vec<String>),
}

impl Bands {
    pub fn count(&self) -> usize {
        match self {
            Bands::Breaks(b) | Bands::Quantiles(b) => b.len() + 1,
            Bands::Categories(c) => c.len(),
        }
    }
}

/// One axis of a matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The variable on the axis: a metric, attribute or classification.
    pub variable: Located<String>,
    pub bands: Bands,
    /// A label per band, lowest first, in the documents' language.
    pub labels: Vec<String>,
    /// The labels as the matrix's cells name the bands: the axis's only or
    /// English labels.
    pub keys: Vec<String>,
}

/// A portfolio matrix: two axes and a segment per cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub id: String,
    pub title: String,
    pub description: String,
    pub x: Axis,
    pub y: Axis,
    /// Segment ids by y band then x band, lowest first.
    pub cells: Vec<Vec<Located<String>>>,
    /// The segment of customers with no value on either axis; without it
    /// they fall in the lowest band
    /// (docs/metrics.md#missing-values-and-the-not-assessed-segment).
    pub missing: Option<Located<String>>,
}

/// A segment and its playbook.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub id: String,
    pub title: String,
    pub description: Located<String>,
    pub review: String,
    pub service_level: String,
    pub actions: Vec<Located<String>>,
    /// Where the playbook points the account's resources, when it says.
    pub resources: Option<super::Resources>,
    /// Treatment profile: dimension → text, in the order written.
    pub treatment: Vec<(String, Located<String>)>,
    /// Targets computed for each account of the segment.
    pub objectives: Vec<super::Objective>,
}

/// How serious an alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub const NAMES: [&str; 4] = ["info", "low", "medium", "high"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A condition worth a consultant's attention.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub id: String,
    /// What the documents and the workbook call it: its `title` in the
    /// rules' language, else its id in words (`lost_customer` → "Lost customer").
    pub title: String,
    pub severity: Severity,
    /// An expression that is true when the alert fires.
    pub when: Located<String>,
    /// A template for the message.
    pub message: Located<String>,
}

/// Which customers get an account plan.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct KeyAccounts {
    pub when: Option<Located<String>>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// A rule test: what the rules should make of one customer.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub customer: Located<String>,
    /// Variable (classification, matrix, alerts, …) → expected value.
    pub expected: Vec<(Located<String>, String)>,
}

fn located(sink: &IssueSink, value: Spanned<String>) -> Located<String> {
    let place = sink.place(Some(value.span().start));
    Located { value: value.into_inner(), place }
}

pub(super) fn validate_matrix(
    sink: &mut IssueSink,
    texts: &mut TextChooser,
    id: String,
    raw: RawMatrix,
    at: usize,
) -> Option<Matrix> {
    let title = texts.shown(sink, raw.title);
    let description = raw.description.map(|d| texts.shown(sink, d)).unwrap_or_default();
    let x = validate_axis(sink, texts, raw.x.into_inner());
    let y = validate_axis(sink, texts, raw.y.into_inner());
    let (x, y) = (x?, y?);
    let cells_at = raw.cells.span().start;
    let mut rows: IndexMap<String, Spanned<Vec<Spanned<String>>>> = raw.cells.into_inner();
    let mut cells = Vec::new();
    let mut ok = true;
    for label in &y.keys {
        match rows.shift_remove(label) {
            Some(row) => {
                if row.get_ref().len() != x.keys.len() {
                    sink.at(
                        Some(row.span().start),
                        format!(
                            "row \"{label}\" has {} cells; the x axis has {} bands ({})",
                            row.get_ref().len(),
                            x.keys.len(),
                            x.keys.join(", ")
                        ),
                    );
                    ok = false;
                }
                cells.push(row.into_inner().into_iter().map(|c| located(sink, c)).collect());
            }
            None => {
                sink.at(
                    Some(cells_at),
                    format!("matrix \"{id}\" has no cells for the y band \"{label}\""),
                );
                ok = false;
            }
        }
    }
    for (label, row) in rows {
        let hint = crate::diagnostic::name_hint(
            closest(&label, y.keys.iter().map(String::as_str)),
            || format!("the y bands are {}", y.keys.join(", ")),
        );
        sink.hinted(
            Some(row.span().start),
            format!("\"{label}\" is not a band of the y axis"),
            Some(hint),
        );
        ok = false;
    }
    let _ = at;
    let missing = raw.missing.map(|m| located(sink, m));
    ok.then_some(Matrix { id, title, description, x, y, cells, missing })
}

fn validate_axis(sink: &mut IssueSink, texts: &mut TextChooser, raw: RawAxis) -> Option<Axis> {
    let variable = located(sink, raw.metric);
    let given = [raw.breaks.is_some(), raw.quantiles.is_some(), raw.categories.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        sink.issues.push(
            variable.place.issue("an axis takes exactly one of breaks, quantiles or categories"),
        );
        return None;
    }
    let increasing = |v: &[f64]| v.windows(2).all(|w| w[0] < w[1]);
    let bands = if let Some(breaks) = raw.breaks {
        if breaks.get_ref().is_empty() || !increasing(breaks.get_ref()) {
            sink.at(Some(breaks.span().start), "breaks must be one or more increasing numbers");
            return None;
        }
        Bands::Breaks(breaks.into_inner())
    } else if let Some(quantiles) = raw.quantiles {
        let q = quantiles.get_ref();
        if q.is_empty() || !increasing(q) || q[0] <= 0.0 || q[q.len() - 1] >= 1.0 {
            sink.at(
                Some(quantiles.span().start),
                "quantiles must be one or more increasing numbers between 0 and 1",
            );
            return None;
        }
        Bands::Quantiles(quantiles.into_inner())
    } else {
        let categories = raw.categories.expect("one of the three");
        let mut sorted = categories.get_ref().clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != categories.get_ref().len() || sorted.is_empty() {
            sink.at(Some(categories.span().start), "categories must be distinct values");
            return None;
        }
        Bands::Categories(categories.into_inner())
    };
    let (keys, labels) = match (raw.labels, &bands) {
        (Some(labels), _) => {
            let at = labels.span().start;
            let chosen = texts.choose(sink, labels);
            for version in [&chosen.reference, &chosen.shown] {
                if version.len() != bands.count() {
                    let message = format!("{} labels for {} bands", version.len(), bands.count());
                    sink.at(Some(at), message);
                    return None;
                }
            }
            (chosen.reference, chosen.shown)
        }
        (None, Bands::Categories(c)) => (c.clone(), c.clone()),
        (None, _) => {
            sink.issues.push(
                variable.place.issue(format!(
                    "the axis on \"{}\" needs labels, one per band",
                    variable.value
                )),
            );
            return None;
        }
    };
    Some(Axis { variable, bands, labels, keys })
}

pub(super) fn validate_segment(
    sink: &mut IssueSink,
    texts: &mut TextChooser,
    id: String,
    raw: RawSegment,
) -> Segment {
    let description = match raw.description {
        Some(d) => {
            let place = sink.place(Some(d.span().start));
            Located { value: texts.shown(sink, d), place }
        }
        None => Located { value: String::new(), place: sink.place(Some(raw.title.span().start)) },
    };
    let actions = match raw.actions {
        Some(list) => {
            let mut from = list.span().start;
            let actions = texts.shown(sink, list);
            actions
                .into_iter()
                .map(|value| {
                    // Each action where it is written, so a problem in it points at it.
                    let at = written_at(sink.text, from, &value);
                    from = at.unwrap_or(from);
                    Located { place: sink.place(Some(at.map_or(from, |a| a - 1))), value }
                })
                .collect()
        }
        None => Vec::new(),
    };
    let treatment = raw
        .treatment
        .into_iter()
        .map(|(k, v)| {
            let place = sink.place(Some(v.span().start));
            (k, Located { value: texts.shown(sink, v), place })
        })
        .collect();
    let resources = raw.resources.and_then(|r| super::Resources::read(sink, &r));
    Segment {
        id,
        resources,
        title: texts.shown(sink, raw.title),
        description,
        review: raw.review,
        service_level: raw.service_level,
        actions,
        treatment,
        objectives: raw
            .objectives
            .into_iter()
            .filter_map(|o| super::analysis::validate_objective(sink, texts, o, "segment_median"))
            .collect(),
    }
}

/// The byte offset of a text written in the file after `from` (the opening
/// quote is one before it); `None` when it is written with escapes.
fn written_at(file: &str, from: usize, text: &str) -> Option<usize> {
    let rest = file.get(from..)?;
    rest.find(text).map(|i| from + i).filter(|_| !text.is_empty())
}

pub(super) fn validate_alert(
    sink: &mut IssueSink,
    texts: &mut TextChooser,
    id: String,
    raw: RawAlert,
) -> Option<Alert> {
    let severity = match Severity::NAMES.iter().position(|n| *n == raw.severity.get_ref()) {
        Some(i) => [Severity::Info, Severity::Low, Severity::Medium, Severity::High][i],
        None => {
            sink.at(
                Some(raw.severity.span().start),
                format!(
                    "unknown severity \"{}\"; expected one of {}",
                    raw.severity.get_ref(),
                    Severity::NAMES.join(", ")
                ),
            );
            return None;
        }
    };
    let title = raw
        .title
        .map(|title| texts.shown(sink, title))
        .filter(|title| !title.trim().is_empty())
        .unwrap_or_else(|| crate::locale::format::id_in_words(&id));
    let message_place = sink.place(Some(raw.message.span().start));
    let message = Located { value: texts.shown(sink, raw.message), place: message_place };
    Some(Alert { id, title, severity, when: located(sink, raw.when), message })
}

pub(super) fn validate_key_accounts(sink: &mut IssueSink, raw: RawKeyAccounts) -> KeyAccounts {
    KeyAccounts {
        when: raw.when.map(|w| located(sink, w)),
        include: raw.include,
        exclude: raw.exclude,
    }
}

pub(super) fn validate_expectation(
    sink: &mut IssueSink,
    raw: Spanned<IndexMap<String, Spanned<String>>>,
) -> Option<Expectation> {
    let at = raw.span().start;
    let mut fields = raw.into_inner();
    let Some(customer) = fields.shift_remove("customer") else {
        sink.at(Some(at), "an [[expect]] entry needs customer = \"ID\"");
        return None;
    };
    let customer = located(sink, customer);
    let expected = fields
        .into_iter()
        .map(|(name, value)| {
            let place = sink.place(Some(value.span().start));
            (Located { value: name, place }, value.into_inner())
        })
        .collect();
    Some(Expectation { customer, expected })
}

/// Every cell names a defined segment, and every segment is reached by a cell.
pub(super) fn check_segment_references(rules: &Rules) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    let ids: Vec<&str> = rules.segments.iter().map(|s| s.id.as_str()).collect();
    for matrix in &rules.matrices {
        for cell in matrix.cells.iter().flatten().chain(&matrix.missing) {
            if !ids.contains(&cell.value.as_str()) {
                let closest = closest(&cell.value, ids.iter().copied());
                issues.push(
                    cell.place
                        .issue(format!("unknown segment \"{}\"", cell.value))
                        .suggesting(closest),
                );
            }
        }
    }
    for segment in &rules.segments {
        let reached = rules
            .matrices
            .iter()
            .flat_map(|m| m.cells.iter().flatten().chain(&m.missing))
            .any(|c| c.value == segment.id);
        if !reached {
            let message = format!("segment \"{}\" is not reached by any matrix cell", segment.id);
            issues.push(segment.description.place.issue(message));
        }
    }
    issues
}

/// The alerts, matrices and classifications `[analysis]` names must exist.
pub(super) fn check_analysis_references(rules: &Rules) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    let a = &rules.analysis;
    let alerts: Vec<&str> = rules.alerts.iter().map(|x| x.id.as_str()).collect();
    let alert_refs =
        [&a.lost_alert, &a.partial_churn_alert, &a.over_invested_alert, &a.under_served_alert];
    for reference in alert_refs.into_iter().flatten() {
        if !alerts.contains(&reference.value.as_str()) {
            issues.push(unknown_reference(rules, "alert", reference, &alerts));
        }
    }
    let matrices: Vec<&str> = rules.matrices.iter().map(|m| m.id.as_str()).collect();
    if let Some(m) = &a.win_back_matrix
        && !matrices.contains(&m.value.as_str())
    {
        issues.push(unknown_reference(rules, "matrix", m, &matrices));
    }
    let groups: Vec<&str> = rules
        .classifications
        .iter()
        .map(|c| c.id.as_str())
        .chain(matrices.iter().copied())
        .collect();
    for g in &a.resource_groups {
        if !groups.contains(&g.value.as_str()) {
            issues.push(unknown_reference(rules, "classification or matrix", g, &groups));
        }
    }
    issues
}

fn unknown_reference(
    rules: &Rules,
    what: &str,
    reference: &Located<String>,
    known: &[&str],
) -> Diagnostic {
    let closest = closest(&reference.value, known.iter().copied());
    let problem = reference.place.issue(format!("unknown {what} \"{}\"", reference.value));
    rules.unknown_name(problem.suggesting(closest).with_focus(&reference.value), &reference.value)
}
