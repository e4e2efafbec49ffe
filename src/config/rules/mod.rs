//! Rule files: every `*.toml` below a project's `rules/` folder (in path
//! order, merged), or the default set shipped in the repository's `rules/`,
//! compiled into the binary. They hold classifications, derived metrics,
//! matrices with their segments and playbooks, alerts, the key-account
//! selection and rule tests. This module checks their shape; names used in
//! expressions are checked against the data's variables by `classify::engine`.

mod analysis;
mod classification;
mod raw;
pub use raw::TABLES;
mod shapes;
mod strategies;
mod texts;
pub(crate) use texts::{RawText, check_codes, declared_language, version_in};

pub use analysis::{Analysis, CrossSell, Level, Objective, Target};
pub use classification::{AbcMethod, AbcRule, ClassRule, XyzMethod, XyzRule};
pub use shapes::{Alert, Axis, Bands, Expectation, KeyAccounts, Matrix, Segment, Severity};
pub use strategies::{
    Action, Due, REVIEWS, Resources, Role, SERVICE_LEVELS, Strategy, review_interval,
};

use super::{Diagnostic, Diagnostics, IssueSink, Located, Place};
use crate::locale::Locale;
use std::path::{Path, PathBuf};

/// The default rule files, by name.
pub const DEFAULT_RULES: &[(&str, &str)] = &[
    ("alerts.toml", include_str!("../../../rules/alerts.toml")),
    ("analysis.toml", include_str!("../../../rules/analysis.toml")),
    ("classification.toml", include_str!("../../../rules/classification.toml")),
    ("key_accounts.toml", include_str!("../../../rules/key_accounts.toml")),
    ("matrices.toml", include_str!("../../../rules/matrices.toml")),
    ("segments.toml", include_str!("../../../rules/segments.toml")),
    ("strategies.toml", include_str!("../../../rules/strategies.toml")),
];

/// A named classification: its id is its column in the outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    pub id: String,
    pub rule: ClassRule,
}

/// A metric computed from others by an expression, such as `margin - cost_to_serve`.
#[derive(Clone, Debug, PartialEq)]
pub struct DerivedMetric {
    pub name: String,
    pub expression: Located<String>,
}

/// The validated rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub classifications: Vec<Classification>,
    pub derived: Vec<DerivedMetric>,
    pub matrices: Vec<Matrix>,
    pub segments: Vec<Segment>,
    pub alerts: Vec<Alert>,
    pub key_accounts: KeyAccounts,
    pub analysis: Analysis,
    pub cross_sell: Option<CrossSell>,
    pub expectations: Vec<Expectation>,
    /// The strategy table, in order: the first match is a customer's strategy.
    pub strategies: Vec<Strategy>,
    /// The owner roles the strategies' actions name.
    pub roles: Vec<Role>,
    /// What `check` warns about without stopping: strategy rules never
    /// chosen, a missing catch-all, a profile against its segment.
    pub warnings: Vec<Diagnostic>,
    /// Names a definition would have given that was rejected (a
    /// classification with wrong bounds), each with the place of its
    /// problem: a use of one is reported as following from it.
    pub broken: Vec<(String, Place)>,
    /// Where the rules came from, for the summary.
    pub source: RulesSource,
    /// The language the texts were chosen in, which is the documents'.
    pub locale: Locale,
    /// The currency amounts in rule texts are written in (the project's).
    pub currency: String,
    /// Texts without a version in that language (reported by `check`).
    pub missing_translations: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesSource {
    Defaults,
    Folder(PathBuf),
}

impl Rules {
    /// The segment with this id.
    pub fn segment(&self, id: &str) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id == id)
    }

    /// The rules with their texts' amounts in `currency`.
    pub fn in_currency(mut self, currency: &str) -> Rules {
        self.currency = currency.to_string();
        self
    }

    /// A problem about an unknown `name`: when a rejected definition would
    /// have given the name, the problem follows from that one.
    pub fn unknown_name(&self, problem: Diagnostic, name: &str) -> Diagnostic {
        match self.broken.iter().find(|(n, _)| n == name) {
            Some((_, cause)) => problem.following(cause),
            None => problem,
        }
    }

    /// The strategy with this id.
    pub fn strategy(&self, id: &str) -> Option<&Strategy> {
        self.strategies.iter().find(|s| s.id == id)
    }

    /// The title of a role, or its id when the rules do not name it.
    pub fn role_title(&self, id: &str) -> String {
        self.roles.iter().find(|r| r.id == id).map_or_else(|| id.to_string(), |r| r.title.clone())
    }
}

/// Loads the rules of a project's `rules/` folder, or the defaults.
/// Texts are taken in `locale`.
pub fn load_rules(dir: Option<&Path>, locale: Locale) -> Result<Rules, Diagnostics> {
    let (files, source) = read_rules(dir)?;
    parse_rules(&files, source, locale)
}

/// The rule files of a project's `rules/` folder (or the defaults) as (path, text).
pub fn read_rules(
    dir: Option<&Path>,
) -> Result<(Vec<(PathBuf, String)>, RulesSource), Diagnostics> {
    let files: Vec<(PathBuf, String)> = match dir {
        None => DEFAULT_RULES
            .iter()
            .map(|(name, text)| (PathBuf::from("rules").join(name), text.to_string()))
            .collect(),
        Some(dir) => read_rule_files(dir)?,
    };
    let source = dir.map_or(RulesSource::Defaults, |d| RulesSource::Folder(d.to_path_buf()));
    Ok((files, source))
}

fn read_rule_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, Diagnostics> {
    let mut files = Vec::new();
    let mut issues = Vec::new();
    // Links are followed while they stay inside the folder that holds the
    // rules folder (the project); one leading out is reported, not skipped.
    let root = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                issues.push(Diagnostic::error(
                    e.path().unwrap_or(dir),
                    None,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink()
            && let Err(message) = crate::links::check_inside(path, root)
        {
            issues.push(Diagnostic::error(path, None, message));
            continue;
        }
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "toml") {
            match std::fs::read_to_string(path) {
                Ok(text) => files.push((path.to_path_buf(), text)),
                Err(e) => issues.push(Diagnostic::error(path, None, format!("cannot read: {e}"))),
            }
        }
    }
    if issues.is_empty() { Ok(files) } else { Err(Diagnostics(issues)) }
}

/// Validates rule files given as (path, text). Each id may be defined once
/// across all files. A project's rules stand alone: what they leave out is
/// not taken from the defaults.
pub fn parse_rules(
    files: &[(PathBuf, String)],
    source: RulesSource,
    locale: Locale,
) -> Result<Rules, Diagnostics> {
    let (rules, issues) = parse_rules_collecting(files, source, locale);
    if issues.is_empty() { Ok(rules) } else { Err(Diagnostics(issues)) }
}

/// Like [`parse_rules`], but returns the valid part of the rules with the
/// problems, so that `check` can go on to check expressions too.
pub fn parse_rules_collecting(
    files: &[(PathBuf, String)],
    source: RulesSource,
    locale: Locale,
) -> (Rules, Vec<Diagnostic>) {
    let mut reader = RuleReader::new(source, locale);
    for (path, text) in files {
        reader.read_file(path, text);
    }
    reader.finish()
}

/// The rule set as its files are read, and what the checks across files
/// need: the tables already defined, and whether any matrix was rejected.
struct RuleReader {
    rules: Rules,
    texts: texts::TextChooser,
    issues: Vec<Diagnostic>,
    /// `kind.id` and the file that defines it, for duplicate checks.
    defined: Vec<(String, String)>,
    key_accounts_file: Option<PathBuf>,
    matrices_rejected: usize,
}

impl RuleReader {
    fn new(source: RulesSource, locale: Locale) -> Self {
        RuleReader {
            rules: Rules {
                classifications: Vec::new(),
                derived: Vec::new(),
                matrices: Vec::new(),
                segments: Vec::new(),
                alerts: Vec::new(),
                key_accounts: KeyAccounts::default(),
                analysis: Analysis::default(),
                cross_sell: None,
                expectations: Vec::new(),
                strategies: Vec::new(),
                roles: Vec::new(),
                warnings: Vec::new(),
                broken: Vec::new(),
                source,
                locale,
                currency: "EUR".to_string(),
                missing_translations: Vec::new(),
            },
            texts: texts::TextChooser::new(locale),
            issues: Vec::new(),
            defined: Vec::new(),
            key_accounts_file: None,
            matrices_rejected: 0,
        }
    }

    fn read_file(&mut self, path: &Path, text: &str) {
        let mut sink = IssueSink::new(path.to_path_buf(), text);
        let file = match raw::parse(text) {
            Ok((file, unknown)) => {
                for path in unknown {
                    let table: Vec<&str> =
                        path[..path.len().saturating_sub(1)].iter().map(String::as_str).collect();
                    crate::config::report_unknown_key(&mut sink, &path, raw::known_keys(&table));
                }
                file
            }
            Err(e) => {
                sink.toml(&e);
                self.issues.extend(sink.issues);
                return;
            }
        };
        let language = texts::declared_language(&mut sink, file.language.as_ref());
        self.texts.begin_file(language);
        self.classifications_and_metrics(&mut sink, path, file.classification, file.metrics);
        self.matrices_and_segments(&mut sink, path, file.matrix, file.segment);
        for (id, raw) in file.alert {
            if self.first_definition(&mut sink, path, "alert", &id, raw.span().start)
                && let Some(alert) =
                    shapes::validate_alert(&mut sink, &mut self.texts, id, raw.into_inner())
            {
                self.rules.alerts.push(alert);
            }
        }
        if let Some(raw) = file.key_accounts {
            match &self.key_accounts_file {
                Some(other) => sink.at(
                    Some(raw.span().start),
                    format!("[key_accounts] is already defined in {}", other.display()),
                ),
                None => {
                    self.key_accounts_file = Some(path.to_path_buf());
                    self.rules.key_accounts =
                        shapes::validate_key_accounts(&mut sink, raw.into_inner());
                }
            }
        }
        if let Some(raw) = file.analysis
            && self.first_definition(&mut sink, path, "analysis", "", raw.span().start)
        {
            self.rules.analysis = analysis::validate_analysis(&mut sink, raw.into_inner());
        }
        if let Some(raw) = file.cross_sell
            && self.first_definition(&mut sink, path, "cross_sell", "", raw.span().start)
        {
            self.rules.cross_sell = analysis::validate_cross_sell(&mut sink, raw.into_inner());
        }
        self.strategies_and_roles(&mut sink, path, file.strategy, file.role);
        for raw in file.expect {
            if let Some(expectation) = shapes::validate_expectation(&mut sink, raw) {
                self.rules.expectations.push(expectation);
            }
        }
        self.issues.extend(sink.issues);
    }

    /// Whether `[kind.id]` is defined here first; a second definition is
    /// reported at `at`, naming the file of the first.
    fn first_definition(
        &mut self,
        sink: &mut IssueSink,
        path: &Path,
        kind: &str,
        id: &str,
        at: usize,
    ) -> bool {
        let key = if id.is_empty() { kind.to_string() } else { format!("{kind}.{id}") };
        match self.defined.iter().find(|(k, _)| *k == key) {
            Some((_, other)) => {
                sink.at(Some(at), format!("[{key}] is already defined in {other}"));
                false
            }
            None => {
                self.defined.push((key, path.display().to_string()));
                true
            }
        }
    }

    fn classifications_and_metrics(
        &mut self,
        sink: &mut IssueSink,
        path: &Path,
        classifications: raw::Tables<raw::RawClassification>,
        metrics: raw::Tables<String>,
    ) {
        for (id, raw) in classifications {
            let at = raw.span().start;
            if !self.first_definition(sink, path, "classification", &id, at) {
                continue;
            }
            let before = sink.issues.len();
            match classification::validate_classification(sink, raw.into_inner(), at) {
                Some(rule) => self.rules.classifications.push(Classification { id, rule }),
                None => {
                    // What reads the class or its distance follows from this problem.
                    if let Some(cause) = sink.issues.get(before).and_then(Diagnostic::place) {
                        self.rules.broken.push((format!("{id}_distance"), cause.clone()));
                        self.rules.broken.push((id, cause));
                    }
                }
            }
        }
        for (name, expression) in metrics {
            let at = expression.span().start;
            if self.first_definition(sink, path, "metrics", &name, at) {
                let place = sink.place(Some(at));
                self.rules.derived.push(DerivedMetric {
                    name,
                    expression: Located { value: expression.into_inner(), place },
                });
            }
        }
    }

    fn matrices_and_segments(
        &mut self,
        sink: &mut IssueSink,
        path: &Path,
        matrices: raw::Tables<raw::RawMatrix>,
        segments: raw::Tables<raw::RawSegment>,
    ) {
        for (id, raw) in matrices {
            let at = raw.span().start;
            if !self.first_definition(sink, path, "matrix", &id, at) {
                continue;
            }
            let before = sink.issues.len();
            match shapes::validate_matrix(sink, &mut self.texts, id.clone(), raw.into_inner(), at) {
                Some(matrix) => self.rules.matrices.push(matrix),
                None => {
                    self.matrices_rejected += 1;
                    if let Some(cause) = sink.issues.get(before).and_then(Diagnostic::place) {
                        self.rules.broken.push((id, cause));
                    }
                }
            }
        }
        for (id, raw) in segments {
            if self.first_definition(sink, path, "segment", &id, raw.span().start) {
                let segment = shapes::validate_segment(sink, &mut self.texts, id, raw.into_inner());
                self.rules.segments.push(segment);
            }
        }
    }

    fn strategies_and_roles(
        &mut self,
        sink: &mut IssueSink,
        path: &Path,
        strategies: raw::Tables<raw::RawStrategy>,
        roles: indexmap::IndexMap<String, raw::Text>,
    ) {
        for (id, raw) in strategies {
            if self.first_definition(sink, path, "strategy", &id, raw.span().start)
                && let Some(strategy) =
                    strategies::validate_strategy(sink, &mut self.texts, id, raw)
            {
                self.rules.strategies.push(strategy);
            }
        }
        for role in strategies::validate_roles(sink, &mut self.texts, roles) {
            // The offset of a role is not kept: the table's first line is its place.
            if self.first_definition(sink, path, "role", &role.id, 0) {
                self.rules.roles.push(role);
            }
        }
    }

    /// The checks across files, then the rule set and its problems.
    fn finish(self) -> (Rules, Vec<Diagnostic>) {
        let RuleReader { mut rules, texts, mut issues, matrices_rejected, .. } = self;
        rules.missing_translations = texts.missing();
        rules.warnings.extend(texts.other_language());
        // A rejected matrix would make its segments look unreached: check references only when all matrices are valid.
        if matrices_rejected == 0 {
            issues.extend(shapes::check_segment_references(&rules));
            issues.extend(shapes::check_analysis_references(&rules));
            rules.warnings.extend(strategies::check_profiles(&rules));
        }
        let (problems, warnings) = strategies::check_strategies(&rules.strategies, &rules.roles);
        issues.extend(problems);
        rules.warnings.extend(warnings);
        for objective in rules.segments.iter().flat_map(|s| &s.objectives) {
            rules.warnings.push(objective.metric.place.issue(
                "a segment's objectives are not shown in the plans: an account follows one strategy, whose actions carry the targets; move this one to the `kpi` of an action in strategies.toml",
            ));
        }
        if rules.strategies.is_empty() && !rules.matrices.is_empty() {
            let place = rules.matrices[0].x.variable.place.clone();
            rules.warnings.push(Place { line: 1, col: 1, ..place }.issue(
                "the rules have no strategy table ([strategy.ID] entries), so the account plans carry no strategy; copy strategies.toml from the default rules (kamplan init writes it)",
            ));
        }
        for warning in rules.warnings.iter_mut().chain(&mut rules.missing_translations) {
            warning.level = crate::diagnostic::Level::Warning;
        }
        (rules, issues)
    }
}

#[cfg(test)]
mod tests;
