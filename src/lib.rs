//! kamplan turns a company's sales exports and a consultant's rule files into a
//! classified customer portfolio: metrics, classes, matrix segments with their
//! playbooks, alerts and the key accounts.
//!
//! The crate is a pipeline; the modules follow the data:
//!
//! ```text
//! config ─► ingest ─► ledger ─► metrics ─► classify ─► output
//! project,   lines,    customer   per-customer  rules: classes,   portfolio.csv/.xlsx,
//! rules      rejects   × month    figures       segments, alerts  JSON, summary, diagnostics
//! ```
//! `pipeline` strings the stages together for the commands. Only `ingest`
//! (reading) and the command line (writing, through `output`) touch the disk.

pub mod classify;
pub mod config;
pub mod ingest;
pub mod ledger;
pub mod metrics;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod sample;
