//! `kamplan diff`: what a rule change, or another analysis date, does to the
//! classes, segments, key accounts and alerts of a project's customers.

use clap::{ArgGroup, Args, ValueEnum};
use kamplan::config::project::{Project, load_project};
use kamplan::diagnostic::Diagnostics;
use kamplan::diff::{PortfolioDiff, Side, diff};
use kamplan::links;
use kamplan::model::Date;
use kamplan::output::diff::{diff_csv, diff_text};
use kamplan::output::write_atomically;
use kamplan::pipeline::{run_classify, run_classify_pair};
use std::path::{Path, PathBuf};

/// Compare the project with other rules (same data and period) or at
/// another analysis date (same rules): who changes class, segment,
/// key-account status or alerts, and why.
///
/// Lists every customer that changes, one line per change with the reason on
/// each side, the from × to counts of every classification and matrix, and
/// the key accounts on each side. With --as-of, "before" is the earlier date. Each date is read as
/// `kamplan classify --as-of DATE` reads it.
///
/// Examples:
///   kamplan diff sample-data --rules other-rules
///   kamplan diff sample-data --as-of 2025-03-31
///   kamplan diff sample-data --as-of 2025-06-30 --against-as-of 2024-06-30 --format json
///   kamplan diff sample-data --rules other-rules --csv changes.csv
#[derive(Args)]
#[command(verbatim_doc_comment)]
#[command(group(ArgGroup::new("comparison").required(true).args(["rules", "as_of"])))]
pub struct DiffArgs {
    /// Project folder holding kamplan.toml [default: current folder].
    project: Option<PathBuf>,
    /// Rule folder to compare the project's rules with ("after").
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Analysis date (YYYY-MM-DD) to compare the project's analysis with.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Compare --as-of with this date instead of the project's analysis date.
    #[arg(long, value_name = "DATE", requires = "as_of")]
    against_as_of: Option<String>,
    /// Months in the analysis window [default: the project's].
    #[arg(long, value_name = "N")]
    months: Option<u32>,
    /// Print as text (default) or JSON.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Also write the changes as CSV: one row per customer and variable.
    #[arg(long, value_name = "PATH")]
    csv: Option<PathBuf>,
    /// Worker threads [default: number of cores].
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: DiffArgs) -> Result<(), Diagnostics> {
    let dir = args.project.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut project = load_project(&dir)?;
    if let Some(months) = args.months {
        if !(1..=120).contains(&months) {
            return Err(format!("--months {months}: expected 1 to 120").into());
        }
        project.period.months = months;
    }
    let workers = super::input::workers(args.jobs, false);
    let l = project.locale;
    let (result, title) = match (&args.rules, &args.as_of) {
        (Some(rules), _) => (
            compare_rules(&project, rules, workers)?,
            l.fill("kamplan diff: {project}, rules compared", &[("project", &project.name)]),
        ),
        (None, Some(as_of)) => {
            let against = args
                .against_as_of
                .as_deref()
                .map(|d| parse_date("--against-as-of", d))
                .transpose()?;
            (
                compare_dates(&project, parse_date("--as-of", as_of)?, against, workers)?,
                l.fill("kamplan diff: {project}, dates compared", &[("project", &project.name)]),
            )
        }
        (None, None) => unreachable!("clap requires --rules or --as-of"),
    };
    if let Some(path) = &args.csv {
        // The file may be anywhere the user names; a link there is followed
        // only into its own folder or the project.
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let target = links::resolve(path, folder, &[&project.root, folder])?;
        write_atomically(&target, &diff_csv(&result.diff))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    match args.format {
        Format::Text => {
            super::emit(&diff_text(&result.diff, &title, &project.currency));
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(&result.diff).map_err(|e| e.to_string())?;
            super::emit(&format!("{json}\n"));
        }
    }
    if result.rejected > 0 {
        let note = l.fill(
            "note: {n} sales lines were rejected; `kamplan classify` lists them in rejects.csv",
            &[("n", &result.rejected)],
        );
        eprintln!("{note}");
    }
    Ok(())
}

/// The comparison and the sales lines rejected while reading.
struct Compared {
    diff: PortfolioDiff,
    rejected: u64,
}

fn parse_date(option: &str, text: &str) -> Result<Date, String> {
    super::input::date_option(option, text)
}

/// The project's rules ("before") against those of `rules` ("after"), on data read once.
fn compare_rules(
    project: &Project,
    rules: &std::path::Path,
    workers: usize,
) -> Result<Compared, Diagnostics> {
    let has_rules = rules.is_dir()
        && walkdir::WalkDir::new(rules)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml"));
    if !has_rules {
        return Err(format!(
            "--rules {}: not a folder holding rule files (*.toml)",
            rules.display()
        )
        .into());
    }
    let pair = run_classify_pair(project, workers, rules)?;
    let before = Side { portfolio: &pair.classified.portfolio, rules: &pair.classified.rules };
    let after = Side { portfolio: &pair.other, rules: &pair.other_rules };
    Ok(Compared { diff: diff(before, after), rejected: pair.classified.sales.totals().rejected })
}

/// The project at `as_of` against the project at `against` (default: its own
/// analysis date), the earlier date "before". Each date is read on its own,
/// as classify would: lines after a date must not count in its last month.
fn compare_dates(
    project: &Project,
    as_of: Date,
    against: Option<Date>,
    workers: usize,
) -> Result<Compared, Diagnostics> {
    let at = |date: Option<Date>| {
        let mut p = project.clone();
        p.period.as_of = date.or(p.period.as_of);
        run_classify(&p, workers).map_err(Diagnostics::from)
    };
    let (first, second) = (at(against)?, at(Some(as_of))?);
    let (before, after) = if first.portfolio.period.as_of <= second.portfolio.period.as_of {
        (&first, &second)
    } else {
        (&second, &first)
    };
    let rejected = first.sales.totals().rejected.max(second.sales.totals().rejected);
    Ok(Compared { diff: diff(side(before), side(after)), rejected })
}

fn side(c: &kamplan::pipeline::Classified) -> Side<'_> {
    Side { portfolio: &c.portfolio, rules: &c.rules }
}
