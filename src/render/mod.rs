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
