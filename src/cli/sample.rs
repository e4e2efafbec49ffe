//! `kamplan sample`: writes a generated demo project.

use clap::Args;
use kamplan::diagnostic::Diagnostics;
use kamplan::model::MonthIndex;
use kamplan::sample::{SampleSpec, write_sample_project};
use std::path::PathBuf;

/// Write a deterministic sample project of B2B wholesale data.
///
/// Example:
///   kamplan sample --customers 150 --months 30 --seed 7 demo
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct SampleArgs {
    /// Folder to write the project to.
    dir: PathBuf,
    /// Customers in the master (at most 1,000,000).
    #[arg(long, default_value_t = 150)]
    customers: usize,
    /// Months of history (at most 600).
    #[arg(long, default_value_t = 30)]
    months: u32,
    /// Random seed: the same seed gives the same files.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Aim for about this many sales lines in total (at most 100,000,000).
    #[arg(long, value_name = "N")]
    lines: Option<u64>,
    /// Last month of history, YYYY-MM, from 1900-01 to 9999-12 [default: 2025-06].
    #[arg(long, value_name = "YYYY-MM")]
    last_month: Option<String>,
    /// One sales file instead of one per month.
    #[arg(long)]
    single_file: bool,
}

pub fn run(args: SampleArgs) -> Result<(), Diagnostics> {
    let mut spec = SampleSpec::new(args.customers, args.months, args.seed);
    spec.target_lines = args.lines;
    spec.single_file = args.single_file;
    if let Some(month) = &args.last_month {
        spec.last_month = parse_month(month)?;
    }
    spec.check()?;
    let summary = write_sample_project(&spec, &args.dir)
        .map_err(|e| format!("{}: {e}", args.dir.display()))?;
    eprintln!(
        "wrote {}: {} customers, {} sales lines in {} files ({:.1} MB)",
        args.dir.display(),
        summary.customers,
        summary.lines,
        summary.files,
        summary.bytes as f64 / 1e6
    );
    Ok(())
}

/// The month of `--last-month YYYY-MM`.
fn parse_month(text: &str) -> Result<MonthIndex, String> {
    let shape = || format!("--last-month {text}: expected a month written YYYY-MM");
    let (year, month) = text.split_once('-').ok_or_else(shape)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(shape());
    }
    let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u32>()) else {
        return Err(shape());
    };
    if !(1..=12).contains(&month) {
        return Err(format!(
            "--last-month {text}: there is no month {month:02}; expected 01 to 12"
        ));
    }
    Ok(year * 12 + month as i32 - 1)
}
