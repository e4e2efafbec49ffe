//! `kamplan check`: validates a project without computing, then runs its rule tests.

use clap::Args;
use kamplan::config::ConfigIssue;
use kamplan::config::project::{Project, load_project};
use kamplan::config::rules::DEFAULT_RULES;
use kamplan::locale::Locale;
use kamplan::output::diagnostics::{render, render_warning};
use kamplan::pipeline::{check_project, run_classify, run_rule_tests};
use std::path::{Path, PathBuf};

/// Check a project: kamplan.toml, rule files, templates and the data (headers,
/// then every line as a run reads it), every problem at once; then run the
/// rule tests ([[expect]] in the rule files).
///
/// Exit codes: 0 all clean and every rule test passed; 1 a rule test failed;
/// 2 a problem in the project, the rules or the data headers.
///
/// Examples:
///   kamplan check sample-data
///   kamplan check                 # the project in the current folder
///   kamplan check --locale it     # also list the texts without an Italian version
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// Project folder holding kamplan.toml [default: current folder].
    project: Option<PathBuf>,
    /// Check the translations for this language (en or it) [default: the project's locale].
    #[arg(long, value_name = "CODE")]
    locale: Option<String>,
}

/// Outcome of `check`, as an exit code.
pub enum CheckOutcome {
    Clean,
    TestsFailed,
    Problems,
}

pub fn run(args: CheckArgs) -> CheckOutcome {
    let dir = args.project.unwrap_or_else(|| PathBuf::from("."));
    let mut project = match load_project(&dir) {
        Ok(project) => project,
        Err(e) => {
            print_issues(&e.0);
            return CheckOutcome::Problems;
        }
    };
    if let Some(code) = &args.locale {
        match super::input::parse_locale(code) {
            Ok(locale) => project.locale = locale,
            Err(message) => {
                eprintln!("error: {message}");
                return CheckOutcome::Problems;
            }
        }
    }
    let mut report = check_project(&project);
    let others = other_languages(&project, &report.issues);
    if !others.is_empty() {
        report.issues.extend(others);
        report.issues.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
        report.rules = None;
    }
    for issue in &report.missing_translations {
        eprintln!("{}", render_warning(issue, source_of(&issue.file).as_deref()));
    }
    if !report.missing_translations.is_empty() {
        let n = report.missing_translations.len();
        eprintln!(
            "{n} text{} without an {} translation: the documents show {} as written\n",
            if n == 1 { "" } else { "s" },
            project.locale.name(),
            if n == 1 { "it" } else { "them" },
        );
    }
    // Files of one export share their mapping: said once for each run of
    // consecutive files that agree.
    let mut files = report.mapping.iter().peekable();
    while let Some((first, columns)) = files.next() {
        let mut last = first;
        let mut count = 1;
        while let Some((path, _)) = files.next_if(|(_, next)| next == columns) {
            last = path;
            count += 1;
        }
        let shown = |p: &Path| p.strip_prefix(&project.root).unwrap_or(p).display().to_string();
        let which = match count {
            1 => shown(first),
            2 => format!("{} and {}", shown(first), shown(last)),
            _ => format!("{count} files, {} to {}", shown(first), shown(last)),
        };
        eprintln!("columns of {which}: {}", kamplan::output::summary::mapping_text(columns));
    }
    for issue in &report.warnings {
        eprintln!("{}", render_warning(issue, source_of(&issue.file).as_deref()));
    }
    for note in &report.notes {
        eprintln!("warning: {note}\n");
    }
    print_issues(&report.issues);
    for error in report.data_errors.iter().chain(&report.template_errors) {
        eprintln!("error: {error}\n");
    }
    let problems = report.issues.len() + report.data_errors.len() + report.template_errors.len();
    let Some(rules) = report.rules.filter(|_| problems == 0) else {
        eprintln!("{problems} problem{} found", if problems == 1 { "" } else { "s" });
        return CheckOutcome::Problems;
    };
    eprintln!("project, rules, templates and data: no problems");
    if rules.expectations.is_empty() {
        eprintln!("no rule tests ([[expect]] entries) to run");
        return CheckOutcome::Clean;
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let classified = match run_classify(&project, workers) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return CheckOutcome::Problems;
        }
    };
    let outcomes = run_rule_tests(&rules, &classified.portfolio);
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    for o in &outcomes {
        let status = if o.passed { "pass" } else { "FAIL" };
        let actual = o
            .actual
            .as_deref()
            .map_or_else(|| "no such customer or variable".to_string(), |a| format!("\"{a}\""));
        let detail = if o.passed { String::new() } else { format!(", got {actual}") };
        eprintln!(
            "{status} {}:{}:{} {} {} = \"{}\"{detail}",
            o.place.file.display(),
            o.place.line,
            o.place.col,
            o.customer,
            o.variable,
            o.expected
        );
    }
    eprintln!("rule tests: {} passed, {failed} failed", outcomes.len() - failed);
    if failed > 0 { CheckOutcome::TestsFailed } else { CheckOutcome::Clean }
}

/// Problems of the rule texts' versions in the other languages (a message
/// whose Italian version does not compile), which a build in that language
/// would meet: each once, marked with its language.
fn other_languages(project: &Project, known: &[ConfigIssue]) -> Vec<ConfigIssue> {
    let mut found: Vec<ConfigIssue> = Vec::new();
    for locale in Locale::ALL.into_iter().filter(|l| *l != project.locale) {
        let other = Project { locale, ..project.clone() };
        for mut issue in check_project(&other).issues {
            let seen = |i: &ConfigIssue| {
                i.file == issue.file && i.position == issue.position && i.message == issue.message
            };
            if !known.iter().any(seen) && !found.iter().any(seen) {
                issue.message = format!("in the {} version: {}", locale.name(), issue.message);
                found.push(issue);
            }
        }
    }
    found
}

fn print_issues(issues: &[ConfigIssue]) {
    for issue in issues {
        eprintln!("{}", render(issue, source_of(&issue.file).as_deref()));
    }
}

/// The text of a file an issue points at: from disk, or a built-in rule file.
fn source_of(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok().or_else(|| {
        let name = path.strip_prefix("rules").ok()?.to_str()?;
        DEFAULT_RULES.iter().find(|(n, _)| *n == name).map(|(_, text)| text.to_string())
    })
}
