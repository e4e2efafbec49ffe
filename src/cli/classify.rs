//! `kamplan classify`: the classified portfolio as CSV, XLSX or JSON.

use clap::{Args, ValueEnum};
use kamplan::analysis::Intelligence;
use kamplan::config::project::Project;
use kamplan::config::rules::RulesSource;
use kamplan::diagnostic::Diagnostics;
use kamplan::migration::migrations;
use kamplan::output::analysis::analysis_sheets;
use kamplan::output::csv_dialect::CsvDialect;
use kamplan::output::lock::OutputLock;
use kamplan::output::movements::{migrations_table, movements_table};
use kamplan::output::staging::{Committed, Scope, Staging};
use kamplan::output::summary::{SummaryInput, file_lines, summary_text};
use kamplan::output::table::portfolio_table;
use kamplan::output::xlsx::{RuleSheets, Sheet};
use kamplan::output::{rejects_csv, table_csv, table_json, xlsx};
use kamplan::pipeline::run_classify;
use kamplan::report::portfolio::PORTFOLIO_SHEET;

/// Classify the portfolio: metrics, ABC and XYZ for every customer.
///
/// Examples:
///   kamplan classify sample-data
///   kamplan classify path/to/project --as-of 2025-06-30 --months 12
///   kamplan classify --sales export.csv --customers anagrafica.xlsx \
///       --map "Importo netto=revenue" --out out
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct ClassifyArgs {
    #[command(flatten)]
    input: super::input::InputArgs,
    /// Also print the portfolio to standard output in this format.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

pub fn run(args: ClassifyArgs) -> Result<(), Diagnostics> {
    let project = args.input.project()?;
    let lock = lock_output(&project)?;
    let workers = args.input.workers();
    let result = run_classify(&project, workers)?;
    let mut timings = result.timings.clone();
    let started = std::time::Instant::now();
    let table = portfolio_table(&result.portfolio);
    let as_of = result.portfolio.period.as_of;
    let out = &project.out_dir;
    let paths: Vec<String> =
        TABLE_FILES.iter().map(|n| out.join(n).display().to_string()).collect();
    let dialect = CsvDialect::of(&project);
    let rejects = rejects_csv(&result.sales.rejects, &project.root, dialect);
    let mut summary =
        (!args.input.quiet).then(|| summary_text_for(&project, &result, &paths, "classify"));
    if args.input.verbose
        && let Some(text) = summary.as_mut()
    {
        text.push_str(&file_lines(&result.sales.files, &project.root));
    }
    let rule_sheets = RuleSheets::new(&result.portfolio, &result.rules)
        .with_quality(&result.quality, &project.currency);
    let locale = result.rules.locale;
    // Everything else is in the tables and the texts now: free the portfolio
    // before the workbook is built, so the two never sit in memory together.
    drop(result);
    kamplan::memory::give_back_freed();
    timings.0.push(("tables", started.elapsed()));
    let mut sheets = vec![Sheet::Table(PORTFOLIO_SHEET, &table)];
    sheets.extend(rule_sheets.sheets());
    // The CSV text is written beside the workbook, on another core.
    let (csv, workbook) = std::thread::scope(|scope| {
        let csv = scope.spawn(|| table_csv(&table, dialect));
        let workbook = timings.time("workbook", || xlsx::workbook(&sheets, as_of, locale));
        (csv.join().expect("the CSV writer panicked"), workbook)
    });
    let workbook = workbook.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let staging = Staging::new(out, &project.root);
    for (name, bytes) in TABLE_FILES.iter().zip([&csv, &workbook, &rejects]) {
        staging.stage(name, bytes)?;
    }
    report_commit(&staging.commit(Scope::Add)?);
    timings.0.push(("writing", started.elapsed()));
    drop(lock);
    if args.input.verbose
        && let Some(text) = summary.as_mut()
    {
        text.push_str(&format!("  timings    {}\n", timings.line()));
    }
    match args.format {
        Some(Format::Json) => super::emit(&table_json(&table)),
        // Standard output is for scripts: always the documented format.
        Some(Format::Csv) if dialect == CsvDialect::STANDARD => {
            super::emit(&String::from_utf8_lossy(&csv))
        }
        Some(Format::Csv) => {
            super::emit(&String::from_utf8_lossy(&table_csv(&table, CsvDialect::STANDARD)))
        }
        None => {}
    }
    if let Some(summary) = summary {
        eprint!("{summary}");
    }
    Ok(())
}

/// The tables `classify` and `build` write into the output folder.
pub const TABLE_FILES: [&str; 3] = ["portfolio.csv", "portfolio.xlsx", "rejects.csv"];

/// Takes the output folder for this run: no other run writes there until
/// the lock is dropped. A lock left by a run that is gone is taken over, with a note.
pub fn lock_output(project: &Project) -> Result<OutputLock, String> {
    let lock = OutputLock::acquire(&project.out_dir)?;
    if let Some(note) = &lock.took_over {
        eprintln!("note: {note}");
    }
    Ok(lock)
}

/// Says what a commit removed besides writing, and what it could not do.
pub fn report_commit(committed: &Committed) {
    for warning in &committed.warnings {
        eprintln!("warning: {warning}");
    }
}

/// Stages the portfolio as CSV and XLSX and the rejected lines, keeping the
/// classified portfolio (for `build`, which renders documents from it next).
/// The workbook has the sheets `classify` writes (the portfolio, one per
/// matrix, the alerts); when the previous window was classified, the sheets
/// Migrations and Movements after them; with the analyses, one sheet for
/// each after those; with a previous plan judged, the sheet Control last.
/// Returns the paths they go to.
pub fn write_tables(
    project: &Project,
    result: &kamplan::pipeline::Classified,
    intelligence: Option<&Intelligence>,
    control: Option<&kamplan::control::Control>,
    staging: &Staging,
) -> Result<Vec<String>, String> {
    let table = portfolio_table(&result.portfolio);
    // With the previous window classified, the workbook also shows who moved.
    let moved = result.previous.as_ref().map(|previous| {
        let migrations = migrations(&result.portfolio, previous);
        (migrations_table(&migrations), movements_table(&result.portfolio, previous))
    });
    let rule_sheets = RuleSheets::new(&result.portfolio, &result.rules)
        .with_quality(&result.quality, &project.currency);
    let mut sheets = vec![Sheet::Table(PORTFOLIO_SHEET, &table)];
    sheets.extend(rule_sheets.sheets());
    if let Some((migrations, movements)) = &moved {
        sheets
            .extend([Sheet::Table("Migrations", migrations), Sheet::Table("Movements", movements)]);
    }
    let analyses = intelligence.map_or_else(Vec::new, |i| analysis_sheets(i, &result.portfolio));
    sheets.extend(analyses.iter().map(|(name, table)| Sheet::Table(name, table)));
    let control = control.map(kamplan::output::control::control_table);
    if let Some(table) = &control {
        sheets.push(Sheet::Table("Control", table));
    }
    let workbook = xlsx::workbook(&sheets, result.portfolio.period.as_of, result.rules.locale)
        .map_err(|e| e.to_string())?;
    let dialect = CsvDialect::of(project);
    let rejects = rejects_csv(&result.sales.rejects, &project.root, dialect);
    let csv = table_csv(&table, dialect);
    for (name, bytes) in TABLE_FILES.iter().zip([&csv, &workbook, &rejects]) {
        staging.stage(name, bytes)?;
    }
    Ok(TABLE_FILES.iter().map(|n| staging.path_of(n).display().to_string()).collect())
}

/// The summary printed after a run of `command`, naming the files it writes.
pub fn summary_text_for(
    project: &Project,
    result: &kamplan::pipeline::Classified,
    written: &[String],
    command: &str,
) -> String {
    let rules = match &result.rules.source {
        RulesSource::Defaults => "default rules".to_string(),
        RulesSource::Folder(dir) => dir.display().to_string(),
    };
    let title = format!("kamplan {command}: {}", project.name);
    let input = SummaryInput {
        title: &title,
        currency: &project.currency,
        rules: &rules,
        sales: &result.sales,
        master_customers: project.customers.as_ref().map(|_| result.master.customers.len()),
        portfolio: &result.portfolio,
        quality: &result.quality,
        written,
    };
    let mut text = summary_text(&input);
    if let Some(first) = result.sales.rejects.first() {
        text.push_str(&format!(
            "  {} lines rejected: first {first}\n",
            result.sales.totals().rejected
        ));
    }
    text
}
