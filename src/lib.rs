//! kamplan turns a company's sales exports and a consultant's rule files into a
//! classified customer portfolio (and, later, finished PDF deliverables).
//!
//! The crate is a pipeline; the modules follow the data:
//!
//! ```text
//! config ─► ingest ─► metrics ─► classify ─► output
//! project,   lines,     per-customer  ABC, XYZ   portfolio.csv/.xlsx,
//! rules      rejects    figures                  JSON, summary
//! ```
//! Only `ingest` (reading) and `output` (writing) touch the disk.

pub mod classify;
pub mod config;
pub mod ingest;
pub mod ledger;
pub mod metrics;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod sample;
