//! The `classify` job as a list of steps: rules, master, sales, period,
//! classification. Reads files through `ingest`, writes nothing.

use crate::analysis::quality::{DataQuality, QualityInput, assess};
use crate::classify::{Portfolio, classify_with};
use crate::config::accounts::{AccountBook, load_accounts};
use crate::config::project::Project;
use crate::config::rules::{Rules, load_rules};
use crate::config::{Diagnostic, Diagnostics};
use crate::ingest::dates::DateBounds;
use crate::ingest::master::read_master;
use crate::ingest::{IngestError, ReadOptions, SalesData, read_sales};
use crate::ledger::Ledger;
use crate::metrics::Period;
use crate::model::records::Master;
use std::path::Path;

/// Everything a classify run produced.
pub struct Classified {
    pub rules: Rules,
    pub master: Master,
    pub sales: SalesData,
    /// The project's account files (already applied over the master).
    pub accounts: AccountBook,
    pub portfolio: Portfolio,
    /// The same rules applied to the window before, for the movements, when asked for.
    pub previous: Option<Portfolio>,
    /// Doubtful values, copied files, customers in one source only, coverage.
    pub quality: DataQuality,
    /// The previous plan judged, when the run classified the window before
    /// (a build) and the project names one.
    pub control: Option<crate::control::Control>,
    /// How long each step took, in order, for `--verbose`.
    pub timings: Timings,
}

/// Named steps and how long each took.
#[derive(Clone, Debug, Default)]
pub struct Timings(pub Vec<(&'static str, std::time::Duration)>);

impl Timings {
    /// Runs `step` and records its time under `name`.
    pub fn time<T>(&mut self, name: &'static str, step: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let result = step();
        self.0.push((name, started.elapsed()));

        result
    }

    /// `rules 3 ms, reading 120 ms, …`.
    pub fn line(&self) -> String {
        self.0
            .iter()
            .map(|(name, d)| {
                let ms = d.as_secs_f64() * 1000.0;
                if ms >= 1000.0 {
                    format!("{name} {:.1} s", ms / 1000.0)
                } else {
                    format!("{name} {ms:.0} ms")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A problem that stops a run (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(#[from] Diagnostics),
    #[error("{0}")]
    Ingest(#[from] IngestError),
    /// The previous plan could not be read or judged.
    #[error("{0}")]
    Plan(Box<Diagnostic>),
}

impl From<RunError> for Diagnostics {
    fn from(e: RunError) -> Self {
        match e {
            RunError::Config(d) => d,
            RunError::Ingest(e) => e.into(),
            RunError::Plan(problem) => (*problem).into(),
        }
    }
}

/// Runs the classification of a project.
pub fn run_classify(project: &Project, workers: usize) -> Result<Classified, RunError> {
    run_classify_with(project, workers, false)
}

/// Runs the classification of a project and, when `with_previous` (what a
/// build needs), of the window before it with the same rules, and the
/// control of the previous plan the project names.
pub fn run_classify_with(
    project: &Project,
    workers: usize,
    with_previous: bool,
) -> Result<Classified, RunError> {
    let mut timings = Timings::default();
    let rules = timings.time("rules", || project_rules(project))?;
    let (master, accounts, mut sales, period) =
        timings.time("reading", || read_inputs(project, workers))?;
    let portfolio = timings.time("classifying", || {
        classify_with(&sales.ledger, &master, &rules, period, project.forecast)
    })?;
    let previous = match with_previous {
        true => Some(timings.time("previous window", || {
            classify_with(&sales.ledger, &master, &rules, period.preceding(), project.forecast)
        })?),
        false => None,
    };
    let quality = timings.time("checks", || check_quality(project, &sales, &portfolio));
    let control = match with_previous {
        true => timings.time("control", || {
            judge_previous_plan(project, (&sales.ledger, &master, &rules), &portfolio)
        })?,
        false => None,
    };
    // The totals are in the portfolios now; free them before outputs are built.
    sales.ledger = Default::default();
    Ok(Classified {
        rules,
        master,
        sales,
        accounts,
        portfolio,
        previous,
        quality,
        control,
        timings,
    })
}

/// A project classified with its own rules and with another rule set.
pub struct ClassifiedPair {
    /// The project's own rules and portfolio (no previous window).
    pub classified: Classified,
    pub other_rules: Rules,
    pub other: Portfolio,
}

/// Classifies a project's data, read once, with its own rules and with the
/// rules of `other_rules`, over the same period.
pub fn run_classify_pair(
    project: &Project,
    workers: usize,
    other_rules: &Path,
) -> Result<ClassifiedPair, RunError> {
    let rules = project_rules(project)?;
    let other_rules =
        project_rules(&Project { rules_dir: Some(other_rules.to_path_buf()), ..project.clone() })?;
    let (master, accounts, mut sales, period) = read_inputs(project, workers)?;
    let portfolio = classify_with(&sales.ledger, &master, &rules, period, project.forecast)?;
    let other = classify_with(&sales.ledger, &master, &other_rules, period, project.forecast)?;
    let quality = check_quality(project, &sales, &portfolio);
    sales.ledger = Default::default();
    let classified = Classified {
        rules,
        master,
        sales,
        accounts,
        portfolio,
        previous: None,
        quality,
        control: None,
        timings: Timings::default(),
    };
    Ok(ClassifiedPair { classified, other_rules, other })
}

/// The previous plan named by the project (`[previous_plan]` or
/// `--previous-plan`) judged against `portfolio`: each objective due by now
/// on the window that ends with its due month, classified from `ledger`
/// with the same rules. None when no plan is named. A record that cannot be
/// read, or that is not earlier than this analysis, stops the run: a
/// control judged on a misread plan would mislead.
fn judge_previous_plan(
    project: &Project,
    inputs: (&Ledger, &Master, &Rules),
    portfolio: &Portfolio,
) -> Result<Option<crate::control::Control>, RunError> {
    let Some(path) = &project.previous_plan else { return Ok(None) };
    let shown = path.strip_prefix(&project.root).unwrap_or(path).display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        let message = format!(
            "previous plan: cannot read: {e} (set by [previous_plan] path or --previous-plan)"
        );
        RunError::Plan(Box::new(Diagnostic::error(path, None, message)))
    })?;
    let plan = crate::control::record::parse(&bytes, path).map_err(RunError::Plan)?;
    let (ledger, master, rules) = inputs;
    let period = portfolio.period;
    let mut at_due = Vec::new();
    for end in crate::control::due_months(&plan, period.as_of) {
        if end == period.as_of {
            continue;
        }
        let window =
            Period::resolve(Some(end), period.months, None).expect("an analysis date is given");
        at_due.push((end, classify_with(ledger, master, rules, window, project.forecast)?));
    }
    crate::control::judge(&plan, portfolio, &at_due)
        .map(Some)
        .map_err(|why| RunError::Plan(Box::new(Diagnostic::error(&shown, None, why))))
}

/// The data-quality checks of a classified portfolio, while the ledger still
/// says who has sales lines.
fn check_quality(project: &Project, sales: &SalesData, portfolio: &Portfolio) -> DataQuality {
    let paths: Vec<_> = sales.files.iter().map(|f| f.path.clone()).collect();
    let identical = crate::ingest::overlap::identical_files(&paths);
    let in_sales = |id: &str| sales.ledger.customer(id).is_some();
    assess(&QualityInput {
        portfolio,
        sales,
        master_given: project.customers.is_some(),
        in_sales: &in_sales,
        identical_files: &identical,
    })
    .relative_to(&project.root)
}

/// Reads the master, the account files (applied over the master) and the
/// sales (lines up to the project's `as_of`), and resolves the period.
fn read_inputs(
    project: &Project,
    workers: usize,
) -> Result<(Master, AccountBook, SalesData, Period), RunError> {
    let mut master = match &project.customers {
        Some(source) => read_master(source)?,
        None => Master::default(),
    };
    let accounts = match &project.accounts_dir {
        Some(dir) => load_accounts(dir, project.locale)?.with_ids(&project.sales.ids)?,
        None => AccountBook::default(),
    };
    let mut options = ReadOptions {
        as_of: project.period.as_of,
        dates: DateBounds::up_to(crate::ingest::dates::today()),
        on_bad_row: project.on_bad_row,
        workers,
    };
    let mut sales = read_sales(&project.sales, options)?;
    // Lines cut off from the rest by months without sales are mistyped dates
    // far more often than business: read again without them, so they are
    // rejected with their place instead of moving the window.
    let by_month = sales.ledger.customers_per_month();
    if let Some(bounds) = options.dates.narrowed_to_bulk(&by_month, project.period.as_of.is_some())
    {
        options.dates = bounds;
        sales = read_sales(&project.sales, options)?;
    }
    check_range(project, &sales, &master)?;
    let period = Period::resolve(project.period.as_of, project.period.months, sales.ledger.latest)
        .ok_or_else(|| {
            let why = match sales.rejects.first() {
                Some(first) => {
                    format!(
                        "all {} lines were rejected; the first: {first}",
                        sales.totals().rejected
                    )
                }
                None => "the sales files hold no lines".to_string(),
            };
            Diagnostics(vec![Diagnostic::error(
                project.sales.path.clone(),
                None,
                format!("no sales line was accepted ({why}), so there is nothing to classify"),
            )])
        })?;
    if !master.customers.is_empty() {
        let mut sales_only: Vec<&str> =
            sales.ledger.customer_ids().filter(|id| !master.customers.contains_key(*id)).collect();
        sales_only.sort_unstable();
        let master_only: Vec<&str> = master
            .customers
            .keys()
            .map(String::as_str)
            .filter(|id| sales.ledger.customer(id).is_none())
            .collect();
        if let Some(found) = crate::model::ids::suggest(&sales_only, &master_only) {
            let (sales_only, master_only) = (sales_only.len(), master_only.len());
            sales.notes.push(crate::ingest::Note::IdMismatch { found, sales_only, master_only });
        }
    }
    let unknown = accounts.unknown_customers(|id| {
        master.customers.contains_key(id) || sales.ledger.customer(id).is_some()
    });
    if !unknown.is_empty() {
        return Err(RunError::Config(Diagnostics(unknown)));
    }
    accounts.apply_to(&mut master);
    Ok((master, accounts, sales, period))
}

/// Stops the run when a sum could leave the exact range of amounts: one
/// customer's revenue and cost together (its margin is their difference), or
/// the whole portfolio's with the master's costs to serve (the totals and
/// net contributions of the documents).
fn check_range(project: &Project, sales: &SalesData, master: &Master) -> Result<(), RunError> {
    const LIMIT: &str = "922,337,203,685,477 (the most kamplan keeps exact, to four decimals); express the data in a larger currency unit";
    let error = |message: String| {
        RunError::Ingest(IngestError::Format { path: project.sales.path.clone(), message })
    };
    if let Some(id) = sales.ledger.overflowing_customer() {
        return Err(error(format!(
            "the amounts of customer \"{id}\" (revenue and cost, or quantities) add up to more than {LIMIT}"
        )));
    }
    let cost_to_serve: u128 = master
        .customers
        .values()
        .filter_map(|c| c.cost_to_serve)
        .map(|a| u128::from(a.units().unsigned_abs()))
        .sum();
    if sales.ledger.money_magnitude() + cost_to_serve > i64::MAX as u128 {
        return Err(error(format!(
            "the revenue and costs of all customers together add up to more than {LIMIT}"
        )));
    }
    Ok(())
}

/// What `check` found, without computing anything.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Problems in rule files and rule expressions, with their places.
    pub issues: Vec<Diagnostic>,
    /// Problems reading the data's headers and the master.
    pub data_errors: Vec<Diagnostic>,
    /// Each readable sales file with its headers and the field each was
    /// mapped to (`None`: ignored).
    pub mapping: Vec<(std::path::PathBuf, crate::ingest::Mapping)>,
    /// Templates of the project's `templates/` that cannot be read or parsed.
    pub template_errors: Vec<Diagnostic>,
    /// What reading the data found doubtful but usable (ids written
    /// differently, title and total lines, unmapped look-alike columns), in
    /// words: the notes a run's summary would print.
    pub notes: Vec<String>,
    /// The rules, when they are valid.
    pub rules: Option<Rules>,
    /// Texts of the rules and the project's templates without a version in
    /// the documents' language: they are printed as written.
    pub missing_translations: Vec<Diagnostic>,
    /// What the rules allow but is likely a mistake (a strategy never
    /// chosen, a missing catch-all), at its place.
    pub warnings: Vec<Diagnostic>,
}

/// Validates a project's rules and data headers without computing metrics:
/// every problem is collected.
pub fn check_project(project: &Project) -> CheckReport {
    let mut report = CheckReport::default();
    let master = match &project.customers {
        Some(source) => read_master(source).unwrap_or_else(|e| {
            report.data_errors.extend(Diagnostics::from(RunError::from(e)).0);
            Master::default()
        }),
        None => Master::default(),
    };
    let (mapped, problems) = crate::ingest::inspect_sales(&project.sales);
    report.mapping = mapped;
    report.data_errors.extend(problems.into_iter().flat_map(|e| Diagnostics::from(e).0));
    if let Some(dir) = &project.accounts_dir {
        match load_accounts(dir, project.locale) {
            Ok(book) => report.missing_translations.extend(book.missing_translations),
            Err(e) => report.issues.extend(e.0),
        }
    }
    // With readable headers, the lines are read as a run would read them, so
    // values, dates and ids are checked before any document is written.
    if report.data_errors.is_empty() && report.issues.is_empty() {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        match read_inputs(project, workers) {
            Ok((_, _, sales, _)) => {
                report.notes = sales.notes.iter().map(crate::output::summary::note_text).collect();
                if let Some(first) = sales.rejects.first() {
                    let n = sales.totals().rejected;
                    report.notes.push(format!(
                        "{n} sales line{} would be rejected (see the summary of a run, or rejects.csv); the first: {first}",
                        if n == 1 { "" } else { "s" }
                    ));
                }
            }
            Err(RunError::Config(e)) => report.issues.extend(e.0),
            Err(e) => report.data_errors.extend(Diagnostics::from(e).0),
        }
    }
    let templates_dir = Some(project.root.join("templates")).filter(|d| d.is_dir());
    let language = crate::render::templates::Language {
        locale: project.locale,
        currency: project.currency.clone(),
    };
    match crate::render::templates::TemplateSet::load(templates_dir.as_deref()) {
        Ok(set) => {
            report
                .template_errors
                .extend(set.environment(&language).1.iter().map(|(_, e)| e.clone()));
            report.missing_translations.extend(set.missing_translations(project.locale));
        }
        Err(e) => report.template_errors.push(*e),
    }
    let (rules, issues) = match rule_problems(project, &master) {
        Ok(checked) => checked,
        Err(e) => {
            report.issues.extend(e.0);
            return report;
        }
    };
    report.missing_translations.extend(rules.missing_translations.iter().cloned());
    report.warnings.extend(rules.warnings.iter().cloned());
    report.issues.extend(issues);
    report.issues.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    if report.issues.is_empty() {
        report.rules = Some(rules);
    }
    report
}

/// The rules as far as they are valid, and every problem of their shape
/// and of their names and expressions (checked against the master's
/// columns), sorted by place so they read top to bottom through each file.
fn rule_problems(
    project: &Project,
    master: &Master,
) -> Result<(Rules, Vec<Diagnostic>), Diagnostics> {
    let (files, source) = crate::config::rules::read_rules(project.rules_dir.as_deref())?;
    let (rules, mut issues) =
        crate::config::rules::parse_rules_collecting(&files, source, project.locale);
    let names = crate::classify::engine::base_names(&crate::classify::base_variables(master));
    issues.extend(crate::classify::engine::check_rules(
        &rules,
        &names,
        &crate::classify::engine::rule_environment(rules.locale, &project.currency),
    ));
    issues.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    Ok((rules, issues))
}

/// The project's rules in its language and currency; when they do not
/// load, every problem of them, as `check` lists them.
fn project_rules(project: &Project) -> Result<Rules, Diagnostics> {
    load_rules(project.rules_dir.as_deref(), project.locale)
        .map(|rules| rules.in_currency(&project.currency))
        .map_err(|_| all_rule_problems(project))
}

/// Every problem of rules that do not load, as `check` lists them: so a
/// run shows the same problems, the ones that follow from them included.
fn all_rule_problems(project: &Project) -> Diagnostics {
    let master = match &project.customers {
        Some(source) => read_master(source).unwrap_or_default(),
        None => Master::default(),
    };
    match rule_problems(project, &master) {
        Ok((_, issues)) => Diagnostics(issues),
        Err(e) => e,
    }
}

/// The outcome of one rule test's check of one variable.
#[derive(Clone, Debug, PartialEq)]
pub struct TestOutcome {
    pub place: crate::config::Place,
    pub customer: String,
    pub variable: String,
    pub expected: String,
    /// What the rules gave; `None` when the customer or variable does not exist.
    pub actual: Option<String>,
    pub passed: bool,
}

/// Runs the rule tests (`[[expect]]`) against a classified portfolio. For
/// `alerts`, the expected ids (separated by `;`) must all have fired.
pub fn run_rule_tests(rules: &Rules, portfolio: &crate::classify::Portfolio) -> Vec<TestOutcome> {
    let mut outcomes = Vec::new();
    for expectation in &rules.expectations {
        let row = portfolio.rows.iter().position(|r| r.customer_id == expectation.customer.value);
        for (variable, expected) in &expectation.expected {
            let actual = row.and_then(|r| {
                portfolio
                    .text(&variable.value, r)
                    .or_else(|| portfolio.facts.has(&variable.value).then(String::new))
            });
            let passed = match (&actual, variable.value.as_str()) {
                // An empty expectation means no alert fired.
                (Some(actual), "alerts") if expected.trim().is_empty() => actual.is_empty(),
                (Some(actual), "alerts") => {
                    let fired: Vec<&str> = actual.split(';').collect();
                    expected
                        .split(';')
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .all(|e| fired.contains(&e))
                }
                (Some(actual), _) => actual == expected,
                (None, _) => false,
            };
            outcomes.push(TestOutcome {
                place: variable.place.clone(),
                customer: expectation.customer.value.clone(),
                variable: variable.value.clone(),
                expected: expected.clone(),
                actual,
                passed,
            });
        }
    }
    outcomes
}
