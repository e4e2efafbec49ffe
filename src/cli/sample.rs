//! `kamplan sample`: writes a generated demo project.

use clap::Args;
use kamplan::model::Date;
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
    /// Customers in the master.
    #[arg(long, default_value_t = 150)]
    customers: usize,
    /// Months of history.
    #[arg(long, default_value_t = 30)]
    months: u32,
    /// Random seed: the same seed gives the same files.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Aim for about this many sales lines in total.
    #[arg(long, value_name = "N")]
    lines: Option<u64>,
    /// Last month of history, YYYY-MM [default: 2025-06].
    #[arg(long, value_name = "YYYY-MM")]
    last_month: Option<String>,
    /// One sales file instead of one per month.
    #[arg(long)]
    single_file: bool,
}

pub fn run(args: SampleArgs) -> Result<(), String> {
    let mut spec = SampleSpec::new(args.customers, args.months, args.seed);
    spec.target_lines = args.lines;
    spec.single_file = args.single_file;
    if let Some(month) = &args.last_month {
        let date = Date::parse_iso(&format!("{month}-01"))
            .ok_or_else(|| format!("--last-month {month}: expected YYYY-MM"))?;
        spec.last_month = date.month_index();
    }
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
