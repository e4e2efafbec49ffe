//! `kamplan explain`: why one customer has its classes, segments and alerts.

use clap::{Args, ValueEnum};
use kamplan::classify::explain::explain;
use kamplan::config::project::load_project;
use kamplan::pipeline::run_classify_with;
use std::path::PathBuf;

/// Explain one customer: every metric, each classification step, each matrix
/// axis with the band it fell in, each alert's condition.
///
/// Example:
///   kamplan explain C0042 sample-data
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct ExplainArgs {
    /// Customer id.
    customer: String,
    /// Project folder holding kamplan.toml [default: current folder].
    project: Option<PathBuf>,
    /// Print as text (default) or JSON.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: ExplainArgs) -> Result<(), String> {
    let dir = args.project.unwrap_or_else(|| PathBuf::from("."));
    let project = load_project(&dir).map_err(|e| e.to_string())?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let classified = run_classify_with(&project, workers, true).map_err(|e| e.to_string())?;
    let mut explanation = explain(&classified.portfolio, &classified.rules, &args.customer)
        .ok_or_else(|| {
            format!("customer \"{}\" is not in the portfolio of {}", args.customer, dir.display())
        })?;
    if let Some(previous) = &classified.previous {
        explanation = explanation.with_movements(&classified.portfolio, previous);
    }
    match args.format {
        Format::Text => super::emit(&explanation.to_string()),
        Format::Json => {
            let json = serde_json::to_string_pretty(&explanation).map_err(|e| e.to_string())?;
            super::emit(&format!("{json}\n"));
        }
    }
    Ok(())
}
