//! `kamplan classify`: the classified portfolio as CSV, XLSX or JSON.

use clap::{Args, ValueEnum};
use kamplan::config::dialect::OnBadRow;
use kamplan::config::project::{PeriodSpec, Project, SourceSpec, load_project};
use kamplan::config::rules::RulesSource;
use kamplan::model::Date;
use kamplan::model::fields::{CanonicalField, MasterField, SalesField};
use kamplan::output::summary::{SummaryInput, summary_text};
use kamplan::output::table::portfolio_table;
use kamplan::output::{rejects_csv, table_csv, table_json, write_atomically, xlsx};
use kamplan::pipeline::run_classify;
use std::path::PathBuf;

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
    /// Project folder holding kamplan.toml [default: current folder].
    project: Option<PathBuf>,
    /// Sales file or folder to read without a project (default rules, detected dialect).
    #[arg(long, value_name = "PATH")]
    sales: Option<PathBuf>,
    /// Customers master to read without a project.
    #[arg(long, value_name = "PATH", requires = "sales")]
    customers: Option<PathBuf>,
    /// Map a column header to a field, e.g. "Importo netto=revenue" (repeatable).
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    maps: Vec<String>,
    /// Analysis date (YYYY-MM-DD) [default: last day of the month of the latest sale].
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Months in the analysis window [default: 12].
    #[arg(long, value_name = "N")]
    months: Option<u32>,
    /// Output folder [default: the project's out/].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also print the portfolio to standard output in this format.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Parsing threads [default: number of cores].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Stop at the first unreadable sales line instead of rejecting it.
    #[arg(long)]
    fail_on_bad_row: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

pub fn run(args: ClassifyArgs) -> Result<(), String> {
    let project = project(&args)?;
    let workers = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let result = run_classify(&project, workers).map_err(|e| e.to_string())?;
    let table = portfolio_table(&result.portfolio);
    let as_of = result.portfolio.period.as_of;
    let out = &project.out_dir;
    let names = ["portfolio.csv", "portfolio.xlsx", "rejects.csv"];
    let paths: Vec<String> = names.iter().map(|n| out.join(n).display().to_string()).collect();
    let csv = table_csv(&table);
    let rejects = rejects_csv(&result.sales.rejects, &project.root);
    let summary = (!args.quiet).then(|| summary(&project, &result, &paths));
    // Everything else is in the table and the texts now: free the portfolio
    // before the workbook is built, so the two never sit in memory together.
    drop(result);
    release_free_memory();
    let workbook = xlsx::workbook(&[("Portfolio", &table)], as_of).map_err(|e| e.to_string())?;
    for (path, bytes) in paths.iter().zip([&csv, &workbook, &rejects]) {
        write_atomically(std::path::Path::new(path), bytes).map_err(|e| format!("{path}: {e}"))?;
    }
    match args.format {
        Some(Format::Json) => super::emit(&table_json(&table)),
        Some(Format::Csv) => super::emit(&String::from_utf8_lossy(&csv)),
        None => {}
    }
    if let Some(summary) = summary {
        eprint!("{summary}");
    }
    Ok(())
}

/// The summary printed after a run, naming the files it writes.
fn summary(
    project: &Project,
    result: &kamplan::pipeline::Classified,
    written: &[String],
) -> String {
    let rules = match &result.rules.source {
        RulesSource::Defaults => "default rules".to_string(),
        RulesSource::Folder(dir) => dir.display().to_string(),
    };
    let title = format!("kamplan classify: {}", project.name);
    let input = SummaryInput {
        title: &title,
        currency: &project.currency,
        rules: &rules,
        sales: &result.sales,
        master_customers: project.customers.as_ref().map(|_| result.master.customers.len()),
        portfolio: &result.portfolio,
        written,
    };
    let mut text = summary_text(&input);
    if let Some(first) = result.sales.rejects.first() {
        text.push_str(&format!("  {} lines rejected: first {first}\n", result.sales.rejects.len()));
    }
    text
}

/// The project from kamplan.toml, or from bare files, with the command-line overrides applied.
fn project(args: &ClassifyArgs) -> Result<Project, String> {
    let mut project = match &args.sales {
        Some(sales) => {
            if args.project.is_some() {
                return Err("give either a project folder or --sales, not both".into());
            }
            bare_project(sales.clone(), args.customers.clone())
        }
        None => {
            let dir = args.project.clone().unwrap_or_else(|| PathBuf::from("."));
            load_project(&dir).map_err(|e| e.to_string())?
        }
    };
    for map in &args.maps {
        apply_map(&mut project, map)?;
    }
    if let Some(as_of) = &args.as_of {
        project.period.as_of = Some(
            Date::parse_iso(as_of)
                .ok_or_else(|| format!("--as-of {as_of}: expected a date written YYYY-MM-DD"))?,
        );
    }
    if let Some(months) = args.months {
        if !(1..=120).contains(&months) {
            return Err(format!("--months {months}: expected 1 to 120"));
        }
        project.period.months = months;
    }
    if let Some(out) = &args.out {
        project.out_dir = out.clone();
    }
    if args.fail_on_bad_row {
        project.on_bad_row = OnBadRow::Fail;
    }
    Ok(project)
}

fn bare_project(sales: PathBuf, customers: Option<PathBuf>) -> Project {
    let name = sales.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Project {
        root: PathBuf::from("."),
        name,
        currency: "EUR".into(),
        period: PeriodSpec::default(),
        sales: SourceSpec::detected(sales),
        customers: customers.map(SourceSpec::detected),
        on_bad_row: OnBadRow::Reject,
        out_dir: PathBuf::from("out"),
        rules_dir: None,
    }
}

/// Applies `HEADER=FIELD` to the sales mapping, the master mapping, or both (customer_id).
fn apply_map(project: &mut Project, map: &str) -> Result<(), String> {
    let (header, field) =
        map.rsplit_once('=').ok_or_else(|| format!("--map {map:?}: expected HEADER=FIELD"))?;
    let (header, field) = (header.trim().to_string(), field.trim());
    let sales = SalesField::from_name(field);
    let master = MasterField::from_name(field);
    if sales.is_none() && master.is_none() {
        let names: Vec<&str> = SalesField::ALL
            .iter()
            .map(|f| f.name())
            .chain(MasterField::ALL.iter().map(|f| f.name()))
            .collect();
        let hint = kamplan::model::fields::closest(field, names.iter().copied()).map_or_else(
            || format!("known fields: {}", names.join(", ")),
            |c| format!("did you mean \"{c}\"?"),
        );
        return Err(format!("--map {map:?}: unknown field \"{field}\"; {hint}"));
    }
    if let Some(f) = sales {
        project.sales.columns.push((header.clone(), f));
    }
    if let (Some(f), Some(customers)) = (master, project.customers.as_mut()) {
        customers.columns.push((header, f));
    }
    Ok(())
}

/// Hands memory freed by the reading threads back to the system before the
/// workbook is built. glibc keeps each thread's freed memory in that thread's
/// arena, where the main thread cannot reuse it, so without this the peak is
/// the ledger plus the workbook.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim only returns free heap pages to the kernel.
        unsafe {
            malloc_trim(0);
        }
    }
}
