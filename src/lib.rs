//! kamplan turns a company's sales exports and a consultant's rule files into a
//! classified customer portfolio (metrics, classes, matrix segments with their
//! playbooks, alerts and the key accounts) and into PDF deliverables: a
//! portfolio report and an account plan per key account.
//!
//! The crate is a pipeline; the modules follow the data:
//!
//! ```text
//! config ─► ingest ─► ledger ─► metrics ─► classify ─► output
//! project,   lines,    customer   per-customer  rules: classes,   portfolio.csv/.xlsx,
//! rules      rejects   × month    figures       segments, alerts  JSON, summary, diagnostics
//!                                                   │
//!                                                   ▼
//!                                 report ─► render ─► PDFs
//!                                 view      templates → Typst markup,
//!                                 models    charts (SVG), Typst → PDF bytes
//! ```
//! `explain`, `diff` and `migration` read a classified portfolio (or two) and
//! say why a customer is where it is, and what moved between runs or windows.
//! `pipeline` strings the stages together for the commands; `control` records
//! each build's plan (`plans.csv`) and judges an earlier one against the new
//! results. Only `ingest` and `pipeline` (reading), the Typst world (project
//! files a template shows) and the writers in `output` and `render::batch`
//! touch the disk.

pub mod analysis;
pub mod classify;
pub mod config;
pub mod control;
pub mod diagnostic;
pub mod diff;
pub mod drivers;
pub mod explain;
pub mod forecast;
pub mod ingest;
pub mod ledger;
pub mod links;
pub mod locale;
pub mod memory;
pub mod metrics;
pub mod migration;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod sample;
pub mod sql;
pub mod stamp;
