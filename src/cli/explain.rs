//! `kamplan explain`: why one customer has its classes, segments and alerts.

use clap::{Args, ValueEnum};
use kamplan::analysis::Intelligence;
use kamplan::analysis::account::{AccountAnalysis, account_analysis};
use kamplan::config::project::load_project;
use kamplan::diagnostic::Diagnostics;
use kamplan::explain::{Explanation, explain};
use kamplan::pipeline::run_classify_with;
use serde::Serialize;
use std::path::PathBuf;

/// Explain one customer: every metric, each classification step, each matrix
/// axis with the band it fell in, each alert's condition; then its
/// cross-sell gaps, whether it is lost or churning, the drafted SWOT and
/// the playbook objectives.
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
    /// Language of the reasons and rule texts: en or it [default: the project's locale].
    #[arg(long, value_name = "CODE")]
    locale: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: ExplainArgs) -> Result<(), Diagnostics> {
    let dir = args.project.unwrap_or_else(|| PathBuf::from("."));
    let mut project = load_project(&dir)?;
    if let Some(code) = &args.locale {
        project.locale = super::input::parse_locale(code)?;
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let classified = run_classify_with(&project, workers, true)?;
    let row = kamplan::classify::lookup::find_customer(
        &classified.portfolio,
        &args.customer,
        &project.sales.ids,
        &dir.display().to_string(),
    )?;
    let id = &classified.portfolio.rows[row].customer_id;
    let mut explanation = explain(&classified.portfolio, &classified.rules, id)
        .ok_or_else(|| format!("customer \"{id}\" is not in the portfolio of {}", dir.display()))?;
    let portfolio = &classified.portfolio;
    let previous = classified.previous.as_ref();
    if let Some(previous) = previous {
        explanation = explanation.with_movements(portfolio, previous);
    }
    // The portfolio-wide analyses, as the documents compute them: an
    // account's gaps and losses are judged against the whole portfolio.
    let (rules, accounts) = (&classified.rules, &classified.accounts);
    let intelligence = Intelligence::new(portfolio, previous, rules, accounts);
    let analysis = account_analysis(portfolio, rules, accounts, &intelligence, row);
    match args.format {
        Format::Text => super::emit(&format!("{explanation}{analysis}")),
        Format::Json => {
            let both = Both { explanation: &explanation, analysis: &analysis };
            let json = serde_json::to_string_pretty(&both).map_err(|e| e.to_string())?;
            super::emit(&format!("{json}\n"));
        }
    }
    Ok(())
}

/// The JSON object: the explanation's fields, then the analyses'.
#[derive(Serialize)]
struct Both<'a> {
    #[serde(flatten)]
    explanation: &'a Explanation,
    #[serde(flatten)]
    analysis: &'a AccountAnalysis,
}
