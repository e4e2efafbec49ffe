//! `kamplan check`: validates a project without computing, then runs its rule tests.

use clap::Args;
use kamplan::config::project::{Project, load_project};
use kamplan::diagnostic::{Diagnostic, Diagnostics, Level, render_all, to_json};
use kamplan::locale::Locale;
use kamplan::pipeline::{CheckReport, TestOutcome, check_project, run_classify, run_rule_tests};
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
///   kamplan check --format json   # the problems as JSON, for editors and CI
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// Project folder holding kamplan.toml [default: current folder].
    project: Option<PathBuf>,
    /// Check the translations for this language (en or it) [default: the project's locale].
    #[arg(long, value_name = "CODE")]
    locale: Option<String>,
    /// How to print the problems: text for people (on standard error) or
    /// json for editors and CI (an array on standard output).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Outcome of `check`, as an exit code.
pub enum CheckOutcome {
    Clean,
    TestsFailed,
    Problems,
}

pub fn run(args: CheckArgs) -> CheckOutcome {
    let dir = args.project.unwrap_or_else(|| PathBuf::from("."));
    let json = matches!(args.format, Format::Json);
    let mut project = match load_project(&dir) {
        Ok(project) => project,
        Err(e) => return finish(json, e.0),
    };
    if let Some(code) = &args.locale {
        match super::input::parse_locale(code) {
            Ok(locale) => project.locale = locale,
            Err(message) => return finish(json, vec![Diagnostic::plain(message)]),
        }
    }
    let mut report = check_project(&project);
    let others = other_languages(&project, &report.issues);
    if !others.is_empty() {
        report.issues.extend(others);
        report.issues.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
        report.rules = None;
    }
    if !json {
        print_context(&project, &report);
    }
    // Warnings first, then the errors, each error with what follows from it.
    let mut problems: Vec<Diagnostic> = report.warnings.clone();
    problems.extend(report.notes.iter().map(|note| Diagnostic::plain(note.clone()).warning()));
    problems.extend(report.issues);
    problems.extend(report.data_errors);
    problems.extend(report.template_errors);
    // Shown in text above, with their count.
    if json {
        problems.splice(0..0, report.missing_translations);
    }
    let errors = problems.iter().any(|d| d.level == Level::Error);
    let Some(rules) = report.rules.filter(|_| !errors) else {
        return finish(json, problems);
    };
    if !json {
        eprint!("{}", render_all(&problems, &super::sources()));
        eprintln!("project, rules, templates and data: no problems");
    }
    if rules.expectations.is_empty() {
        if json {
            super::emit(&format!("{}\n", to_json(&problems, &super::sources())));
        } else {
            eprintln!("no rule tests ([[expect]] entries) to run");
        }
        return CheckOutcome::Clean;
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let classified = match run_classify(&project, workers) {
        Ok(c) => c,
        Err(e) => return finish(json, Diagnostics::from(e).0),
    };
    let outcomes = run_rule_tests(&rules, &classified.portfolio);
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    if json {
        // A failed rule test is a problem at its [[expect]] entry.
        problems.extend(outcomes.iter().filter(|o| !o.passed).map(failed_test));
        super::emit(&format!("{}\n", to_json(&problems, &super::sources())));
    } else {
        for o in &outcomes {
            let status = if o.passed { "pass" } else { "FAIL" };
            let detail = if o.passed { String::new() } else { format!(", got {}", actual(o)) };
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
    }
    if failed > 0 { CheckOutcome::TestsFailed } else { CheckOutcome::Clean }
}

/// What `check` says before the problems: the texts without a translation
/// (counted) and how each sales file's columns were mapped.
fn print_context(project: &Project, report: &CheckReport) {
    if !report.missing_translations.is_empty() {
        let n = report.missing_translations.len();
        eprint!("{}", render_all(&report.missing_translations, &super::sources()));
        eprintln!(
            "{n} text{} without an {} version (each warning says what the documents show instead)\n",
            if n == 1 { "" } else { "s" },
            project.locale.name(),
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
}

/// Shows the problems (JSON on standard output, or rendered on standard
/// error with their count) and the outcome they make.
fn finish(json: bool, problems: Vec<Diagnostic>) -> CheckOutcome {
    let sources = super::sources();
    if json {
        super::emit(&format!("{}\n", to_json(&problems, &sources)));
    } else {
        eprint!("{}", render_all(&problems, &sources));
        let errors: Vec<&Diagnostic> =
            problems.iter().filter(|d| d.level == Level::Error).collect();
        let roots = errors.iter().filter(|d| d.cause.is_none()).count();
        let following = errors.len() - roots;
        let more = match following {
            0 => String::new(),
            n => format!(
                " (and {n} that follow{} from {})",
                if n == 1 { "s" } else { "" },
                if roots == 1 { "it" } else { "them" }
            ),
        };
        eprintln!("{roots} problem{} found{more}", if roots == 1 { "" } else { "s" });
    }
    let errors = problems.iter().any(|d| d.level == Level::Error);
    if errors { CheckOutcome::Problems } else { CheckOutcome::Clean }
}

/// A rule test that failed, as a problem at its `[[expect]]` entry.
fn failed_test(o: &TestOutcome) -> Diagnostic {
    o.place.issue(format!(
        "rule test failed: {} {} = \"{}\", got {}",
        o.customer,
        o.variable,
        o.expected,
        actual(o)
    ))
}

/// What a rule test found, quoted, or why it found nothing.
fn actual(o: &TestOutcome) -> String {
    o.actual
        .as_deref()
        .map_or_else(|| "no such customer or variable".to_string(), |a| format!("\"{a}\""))
}

/// Problems of the rule texts' versions in the other languages (a message
/// whose Italian version does not compile), which a build in that language
/// would meet: each once, marked with its language.
fn other_languages(project: &Project, known: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = Vec::new();
    for locale in Locale::ALL.into_iter().filter(|l| *l != project.locale) {
        let other = Project { locale, ..project.clone() };
        for mut issue in check_project(&other).issues {
            let seen = |i: &Diagnostic| {
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
