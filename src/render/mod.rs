//! From view models to PDF files: minijinja templates producing Typst
//! markup (every value escaped), plotters charts as SVG, Typst compiled in
//! process through our own world, and the batch that renders many documents
//! in parallel.

pub mod batch;
pub mod charts;
pub mod escape;
pub mod pdf;
pub mod templates;
pub mod world;

use charts::{GridChart, MatrixChart, MixChart, MonthlyChart, ParetoChart};

/// A chart of a document, drawn at its own size.
pub enum Chart {
    Pareto(ParetoChart),
    Matrix(MatrixChart),
    Monthly(MonthlyChart),
    Mix(MixChart),
    Grid(GridChart),
}

impl Chart {
    /// The chart as SVG, at the size its place in the templates suits.
    pub fn svg(&self) -> String {
        let svg = match self {
            Chart::Pareto(c) => charts::pareto_svg(c, (640, 330)),
            Chart::Matrix(c) => charts::matrix_svg(c, (520, 420)),
            Chart::Monthly(c) => charts::monthly_svg(c, (640, 260)),
            Chart::Mix(c) => {
                let height = 70 + 34 * c.categories.len() as u32;
                charts::mix_svg(c, (640, height.clamp(140, 420)))
            }
            Chart::Grid(c) => {
                let height = 27 + 42 * c.rows.len() as u32 + 34;
                charts::grid_svg(c, (640, height.clamp(160, 520)))
            }
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

#[cfg(test)]
mod tests {
    #[test]
    fn opacity_moves_onto_the_paint() {
        let svg = r##"<circle r="1" opacity="0.35" fill="#1F4E79" stroke="none"/><circle opacity="0.7" fill="none" stroke="#1F4E79"/><polyline opacity="0.45" stroke="#B0B7BF"/><rect opacity="1" fill="#FFF"/>"##;
        assert_eq!(
            super::paint_opacity(svg),
            r##"<circle r="1" fill-opacity="0.35" fill="#1F4E79" stroke="none"/><circle stroke-opacity="0.7" fill="none" stroke="#1F4E79"/><polyline stroke-opacity="0.45" stroke="#B0B7BF"/><rect fill="#FFF"/>"##
        );
    }
}
