//! SVG charts for the portfolio reports, drawn with plotters' SVG backend.
//!
//! Every chart is laid out by hand in pixel coordinates instead of through
//! `ChartBuilder`: that keeps full control over the consulting look, and all
//! geometry is rounded to whole pixels so output is byte-deterministic.
//! plotters escapes `&`, `<`, `>`, `"` and `'` itself; control characters,
//! which XML forbids even escaped, are replaced here before drawing.

use plotters::prelude::*;

/// Font family written on every text element; the PDF engine ignores generic families.
pub const FONT: &str = "Inter";
/// Primary colour (navy) for the main series.
pub const NAVY: RGBColor = RGBColor(0x1F, 0x4E, 0x79);
/// Accent colour (orange) for highlighted items.
pub const ORANGE: RGBColor = RGBColor(0xD9, 0x82, 0x2B);
/// Colour of ABC class A.
pub const CLASS_A: RGBColor = RGBColor(0x1F, 0x4E, 0x79);
/// Colour of ABC class B.
pub const CLASS_B: RGBColor = RGBColor(0x4F, 0x8F, 0xC0);
/// Colour of ABC class C.
pub const CLASS_C: RGBColor = RGBColor(0xA9, 0xC6, 0xE0);
/// Colour of grid lines and axes.
pub const GRID_GREY: RGBColor = RGBColor(0xB0, 0xB7, 0xBF);
/// Light fill for matrix cells.
pub const LIGHT_FILL: RGBColor = RGBColor(0xF3, 0xF6, 0xF9);
/// Colour of regular text.
pub const TEXT: RGBColor = RGBColor(0x2B, 0x2B, 0x2B);
/// Colour of the previous-period series.
pub const PREVIOUS_GREY: RGBColor = RGBColor(0x9A, 0xA5, 0xB1);

/// Secondary text (ticks, counts): `PREVIOUS_GREY` itself is too light to read as text.
const MUTED: RGBColor = RGBColor(0x5F, 0x6B, 0x78);
/// Smallest canvas the layouts are designed for; smaller requests are raised to it.
const MIN_SIZE: (u32, u32) = (200, 120);
/// Longest category name shown before truncation.
const MAX_NAME_CHARS: usize = 22;
/// Most points kept on the Pareto curve; more adds bytes, not visible detail.
const MAX_CURVE_POINTS: usize = 400;

/// Cumulative revenue share against share of customers (the Pareto curve), with the ABC cut lines.
pub struct ParetoChart {
    /// The language its figures are written in (decimal comma or point).
    pub locale: crate::locale::Locale,
    /// Revenue of every customer with positive revenue, sorted descending.
    pub revenues: Vec<f64>,
    /// ABC class cuts: (class label e.g. "A", cumulative revenue share where the class ends, 0..1,
    /// share of customers where the class ends, 0..1).
    pub cuts: Vec<(String, f64, f64)>,
    /// Description of the x axis, e.g. "Share of customers".
    pub x_label: String,
    /// Description of the y axis, e.g. "Share of revenue".
    pub y_label: String,
}

/// A portfolio matrix: a grid of cells (bands on two axes), each customer a bubble inside its cell.
#[derive(Clone)]
pub struct MatrixChart {
    /// The language of its texts.
    pub locale: crate::locale::Locale,
    /// Band labels left to right, e.g. `["Low", "Medium", "High"]`.
    pub x_labels: Vec<String>,
    /// Band labels bottom to top.
    pub y_labels: Vec<String>,
    /// Description of the x axis, e.g. "Customer attractiveness".
    pub x_title: String,
    /// Description of the y axis.
    pub y_title: String,
    /// Title of the segment in each cell, indexed `[row from bottom][column from left]`.
    pub cell_titles: Vec<Vec<String>>,
    /// One bubble per customer shown (a large portfolio shows a sample).
    pub points: Vec<MatrixPoint>,
    /// Customers in each cell, `[row][column]`, when `points` is a sample;
    /// empty to count the points.
    pub cell_counts: Vec<Vec<usize>>,
}

/// One customer in a [`MatrixChart`].
#[derive(Clone)]
pub struct MatrixPoint {
    /// Cell column (x band), 0 = left.
    pub column: usize,
    /// Cell row (y band), 0 = bottom.
    pub row: usize,
    /// Position inside the cell, 0..1, left to right.
    pub x: f64,
    /// Position inside the cell, 0..1, bottom to top.
    pub y: f64,
    /// Bubble area grows with this (e.g. revenue); zero or less gives the smallest bubble.
    pub weight: f64,
    /// Label of a point to draw in accent orange, larger, on top and labelled.
    pub highlight: Option<String>,
}

/// Monthly revenue of one account: this period as bars, the previous period as a line.
pub struct MonthlyChart {
    /// The language its figures are written in (decimal comma or point).
    pub locale: crate::locale::Locale,
    /// Month labels, e.g. "Jan 25".
    pub labels: Vec<String>,
    /// Revenue per month of this period, same length as `labels`.
    pub current: Vec<f64>,
    /// Revenue of the same months one period earlier; all zero hides the line.
    pub previous: Vec<f64>,
    /// Legend text of the bars, e.g. "This period".
    pub current_label: String,
    /// Legend text of the line, e.g. "Previous period".
    pub previous_label: String,
}

/// Revenue by product category, this period against the previous one (horizontal bars).
pub struct MixChart {
    /// The language its figures are written in (decimal comma or point).
    pub locale: crate::locale::Locale,
    /// Category names in drawing order, top to bottom.
    pub categories: Vec<String>,
    /// Revenue per category of this period.
    pub current: Vec<f64>,
    /// Revenue per category of the previous period; all zero hides the grey bars.
    pub previous: Vec<f64>,
    /// Legend text of the navy bars.
    pub current_label: String,
    /// Legend text of the grey bars.
    pub previous_label: String,
    /// Values are shares (0.25 is printed 25%), not money.
    pub shares: bool,
}

/// A revenue bridge: from the previous period's revenue through each effect to this period's.
pub struct WaterfallChart {
    /// The language its figures are written in (decimal comma or point).
    pub locale: crate::locale::Locale,
    /// The first bar: its label and the previous period's revenue.
    pub start: (String, f64),
    /// The effects in order, each floating from the level before it.
    pub steps: Vec<(String, f64)>,
    /// The last bar: its label and this period's revenue.
    pub end: (String, f64),
}

/// The sales-by-product grid ("vendogram"): categories × periods (or peers), each cell shaded by revenue.
pub struct GridChart {
    /// The language its figures are written in (decimal comma or point).
    pub locale: crate::locale::Locale,
    /// Row names, e.g. product categories.
    pub rows: Vec<String>,
    /// Column names, e.g. quarters "Q1 24" or months.
    pub columns: Vec<String>,
    /// Revenue per cell, indexed `[row][column]`; missing cells count as zero.
    pub values: Vec<Vec<f64>>,
}

mod grid;
mod matrix;
mod mix;
mod monthly;
mod painter;
mod pareto;
#[cfg(test)]
mod tests;
mod waterfall;

pub use grid::grid_svg;
pub use matrix::{matrix_overlay_svg, matrix_svg};
pub use mix::mix_svg;
pub use monthly::monthly_svg;
use painter::*;
pub use pareto::pareto_svg;
pub use waterfall::{axis_floor, waterfall_svg};

/// Canvas of a matrix chart, and of its overlay.
const MATRIX_SIZE: (u32, u32) = (520, 420);

/// A chart of a document, drawn at its own size.
pub enum Chart {
    Pareto(ParetoChart),
    Matrix(MatrixChart),
    /// Only the highlighted bubbles of a matrix, to lay over its chart.
    MatrixOverlay(MatrixChart),
    /// A chart drawn already, shared by many documents.
    Drawn(std::sync::Arc<str>),
    Monthly(MonthlyChart),
    Mix(MixChart),
    Grid(GridChart),
    Waterfall(WaterfallChart),
}

impl Chart {
    /// The chart as SVG, at the size its place in the templates suits.
    pub fn svg(&self) -> String {
        let svg = match self {
            Chart::Pareto(c) => pareto_svg(c, (640, 330)),
            Chart::Matrix(c) => matrix_svg(c, MATRIX_SIZE),
            Chart::MatrixOverlay(c) => matrix_overlay_svg(c, MATRIX_SIZE),
            Chart::Drawn(svg) => return svg.to_string(),
            Chart::Monthly(c) => monthly_svg(c, (640, 260)),
            Chart::Mix(c) => {
                let height = 70 + 34 * c.categories.len() as u32;
                mix_svg(c, (640, height.clamp(140, 420)))
            }
            Chart::Grid(c) => {
                let height = 27 + 42 * c.rows.len() as u32 + 34;
                grid_svg(c, (640, height.clamp(160, 520)))
            }
            Chart::Waterfall(c) => waterfall_svg(c, (640, 280)),
        };
        paint_opacity(&svg)
    }
}

/// Moves each element's `opacity` onto its paint (`fill-opacity`,
/// `stroke-opacity`). They look the same for a single fill or stroke, but a
/// PDF needs a transparency group per element for `opacity`: a chart with a
/// few hundred bubbles otherwise adds a megabyte to its document.
fn paint_opacity(svg: &str) -> String {
    const OPACITY: &str = " opacity=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(OPACITY) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPACITY.len()..];
        let Some(end) = after.find('"') else {
            rest = &rest[at..];
            break;
        };
        let value = &after[..end];
        rest = &after[end + 1..];
        if value == "1" {
            continue;
        }
        // The paint the opacity applies to: a fill, or the stroke of an unfilled shape.
        let target = if rest.starts_with(" fill=\"none\"") || rest.starts_with(" stroke=") {
            "stroke-opacity"
        } else {
            "fill-opacity"
        };
        out.push_str(&format!(" {target}=\"{value}\""));
    }
    out.push_str(rest);
    out
}
