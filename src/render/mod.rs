//! From view models to PDF files: minijinja templates producing Typst
//! markup (every value escaped), plotters charts as SVG, Typst compiled in
//! process through our own world, and the batch that renders many documents
//! in parallel.

pub mod batch;
pub mod brand;
pub mod charts;
pub mod escape;
pub mod pdf;
pub mod templates;
pub mod world;

pub use charts::Chart;

/// One document to render: a template, the data it sees and its charts.
pub struct Document {
    /// Template file name, e.g. `account_plan.typ`.
    pub template: &'static str,
    /// The view model, serialized for the template.
    pub context: minijinja::Value,
    /// Charts, by the virtual path the template shows them from.
    pub charts: Vec<(String, Chart)>,
    /// Output path relative to the output folder, e.g. `accounts/c0042-rossi.pdf`.
    pub output: String,
    /// A stable identifier: the same account gives the same PDF id in every run.
    pub ident: String,
    /// Who the document is about, for messages: `portfolio` or the account id.
    pub subject: String,
}
