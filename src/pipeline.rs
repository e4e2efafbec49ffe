//! The `classify` job as a list of steps: rules, master, sales, period,
//! classification. Reads files through `ingest`, writes nothing.

use crate::classify::{Portfolio, classify};
use crate::config::project::Project;
use crate::config::rules::{Rules, load_rules};
use crate::config::{ConfigError, ConfigIssue};
use crate::ingest::master::{Master, read_master};
use crate::ingest::{IngestError, ReadOptions, SalesData, read_sales};
use crate::metrics::Period;

/// Everything a classify run produced.
pub struct Classified {
    pub rules: Rules,
    pub master: Master,
    pub sales: SalesData,
    pub portfolio: Portfolio,
}

/// A problem that stops a run (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Ingest(#[from] IngestError),
}

/// Runs the classification of a project.
pub fn run_classify(project: &Project, workers: usize) -> Result<Classified, RunError> {
    let rules = load_rules(project.rules_dir.as_deref())?;
    let master = match &project.customers {
        Some(source) => read_master(source)?,
        None => Master::default(),
    };
    let options =
        ReadOptions { as_of: project.period.as_of, on_bad_row: project.on_bad_row, workers };
    let mut sales = read_sales(&project.sales, options)?;
    let period = Period::resolve(project.period.as_of, project.period.months, sales.ledger.latest).ok_or_else(|| {
        ConfigError(vec![ConfigIssue {
            file: project.sales.path.clone(),
            position: None,
            message: "no sales line was accepted, so as_of cannot be chosen: set as_of in [project] or fix the rejected lines".into(),
        }])
    })?;
    let portfolio = classify(&sales.ledger, &master, &rules, period)?;
    // The totals are in the portfolio now; free them before outputs are built.
    sales.ledger = Default::default();
    Ok(Classified { rules, master, sales, portfolio })
}
