//! The portfolio report's "Data quality" page: how much of the portfolio
//! has each input, where the lines and the revenue went, why lines were
//! rejected, the doubtful values, the files read twice and the customers in
//! one source only. Texts are in the documents' language; the template adds
//! the labels.

use crate::analysis::quality::{Covered, DataQuality};
use crate::locale::Locale;
use serde::Serialize;

/// Doubtful values listed on the page; the workbook has them all.
const FLAGS_LISTED: usize = 25;
/// Customers named as examples of those in one source only.
const EXAMPLES: usize = 5;

#[derive(Debug, Serialize)]
pub struct QualityPage {
    /// Whether there is anything to warn about.
    pub findings: bool,
    /// Customers buying in the window, and their revenue.
    pub customers: usize,
    pub revenue: f64,
    pub potential: CoverageLine,
    pub survey: CoverageLine,
    pub cost: CoverageLine,
    pub contract: CoverageLine,
    pub lines: Lines,
    pub money: Money,
    pub rejects: Vec<RejectLine>,
    pub flags: Vec<FlagLine>,
    pub flags_more: usize,
    pub copies: Vec<CopyLine>,
    /// Pairs of files sharing invoices: (files, estimated invoices shared).
    pub shared_invoices: Vec<(Vec<String>, u64)>,
    pub master_given: bool,
    pub not_in_master: usize,
    pub not_in_master_revenue: f64,
    pub not_in_master_examples: Vec<String>,
    pub not_in_sales: usize,
    pub not_in_sales_examples: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CoverageLine {
    pub customers: usize,
    pub customer_share: Option<f64>,
    pub revenue_share: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Lines {
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub blank: u64,
    pub after_as_of: u64,
    pub empty_files: usize,
    /// Whether read = accepted + rejected.
    pub balanced: bool,
}

/// Revenue of the accepted lines and where it went.
#[derive(Debug, Serialize)]
pub struct Money {
    pub accepted: f64,
    pub window: f64,
    pub previous: f64,
    pub earlier: f64,
    pub after_as_of: f64,
}

#[derive(Debug, Serialize)]
pub struct RejectLine {
    /// The field at fault, in words, or "whole line".
    pub field: String,
    pub reason: String,
    pub lines: u64,
    /// `sales/2025-03.csv:14`.
    pub first: String,
}

#[derive(Debug, Serialize)]
pub struct FlagLine {
    pub customer_id: String,
    pub name: String,
    pub flag: String,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct CopyLine {
    pub files: Vec<String>,
    pub lines: u64,
    /// Revenue of one copy, counted again by each other.
    pub revenue: f64,
}

/// The page's view of the checks, in the language `l`, money in `currency`.
pub fn quality_page(q: &DataQuality, l: Locale, currency: &str) -> QualityPage {
    let c = &q.coverage;
    let line = |covered: Covered| CoverageLine {
        customers: covered.customers,
        customer_share: (c.customers > 0).then(|| covered.customers as f64 / c.customers as f64),
        revenue_share: c.revenue_share(covered),
    };
    let r = &q.reconciliation;
    let money = |units: i128| units as f64 / crate::model::amount::SCALE as f64;
    let flags = q
        .flags
        .iter()
        .take(FLAGS_LISTED)
        .map(|f| FlagLine {
            customer_id: f.customer_id.clone(),
            name: f.name.clone().unwrap_or_else(|| f.customer_id.clone()),
            flag: f.title(l).to_string(),
            value: f.value_text(l, currency),
            reason: f.reason(l, currency),
        })
        .collect();
    let sources = &q.sources;
    QualityPage {
        findings: q.has_findings(),
        customers: c.customers,
        revenue: c.revenue,
        potential: line(c.potential),
        survey: line(c.survey),
        cost: line(c.cost),
        contract: line(c.contract),
        lines: Lines {
            read: r.lines.read,
            accepted: r.lines.accepted,
            rejected: r.lines.rejected,
            blank: r.lines.blank,
            after_as_of: r.lines.after_as_of,
            empty_files: r.empty_files,
            balanced: r.lines_balance(),
        },
        money: Money {
            accepted: money(r.revenue),
            window: money(r.window),
            previous: money(r.previous),
            earlier: money(r.earlier),
            after_as_of: money(r.after_as_of),
        },
        rejects: q
            .rejects
            .iter()
            .map(|g| RejectLine {
                field: g.field.map_or_else(
                    || l.text("whole line").to_string(),
                    |f| crate::classify::variables::label(l, f),
                ),
                reason: g.kind.title(l).to_string(),
                lines: g.lines,
                first: format!("{}:{}", display(&g.first.file), g.first.line),
            })
            .collect(),
        flags,
        flags_more: q.flags.len().saturating_sub(FLAGS_LISTED),
        copies: q
            .copies
            .iter()
            .map(|c| CopyLine {
                files: c.files.iter().map(|f| display(f)).collect(),
                lines: c.lines,
                revenue: money(c.revenue),
            })
            .collect(),
        shared_invoices: q
            .shared_invoices
            .iter()
            .map(|(files, n)| (files.iter().map(|f| display(f)).collect(), *n))
            .collect(),
        master_given: sources.master_given,
        not_in_master: sources.not_in_master.len(),
        not_in_master_revenue: sources.not_in_master_revenue,
        not_in_master_examples: sources
            .not_in_master
            .iter()
            .take(EXAMPLES)
            .map(|(id, _)| id.clone())
            .collect(),
        not_in_sales: sources.not_in_sales.len(),
        not_in_sales_examples: sources
            .not_in_sales
            .iter()
            .take(EXAMPLES)
            .map(|(id, name)| name.clone().unwrap_or_else(|| id.clone()))
            .collect(),
    }
}

/// A path with forward slashes, as the documents show it on any system.
fn display(path: &std::path::Path) -> String {
    path.display().to_string().replace('\\', "/")
}
