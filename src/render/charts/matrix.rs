//! A portfolio matrix: cells with the customers as bubbles.

use super::*;
use plotters::style::text_anchor::HPos;

/// Render the portfolio matrix with one bubble per customer as an SVG string.
pub fn matrix_svg(chart: &MatrixChart, size: (u32, u32)) -> String {
    if chart.x_labels.is_empty() || chart.y_labels.is_empty() {
        return no_data_svg(chart.locale, size);
    }
    render(chart.locale, size, |p, w, h| draw_matrix(p, chart, w, h, Layer::Whole))
}

/// Render only the highlighted bubbles and their labels, on a transparent
/// canvas of the same size, to lay over the chart drawn without them: the
/// chart underneath is then the same for every account plan.
pub fn matrix_overlay_svg(chart: &MatrixChart, size: (u32, u32)) -> String {
    if chart.x_labels.is_empty() || chart.y_labels.is_empty() {
        return render_transparent(size, |_, _, _| Ok(()));
    }
    render_transparent(size, |p, w, h| draw_matrix(p, chart, w, h, Layer::Overlay))
}

/// Which parts of a matrix chart to draw.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Whole,
    /// The highlighted bubbles and their labels only.
    Overlay,
}

/// Pixel box of one cell: left, top, right, bottom.
#[derive(Clone, Copy)]
struct Cell {
    l: f64,
    t: f64,
    r: f64,
    b: f64,
}

/// A pixel box: left, top, right, bottom.
type Box4 = (f64, f64, f64, f64);

/// Where the matrix's cells sit on the canvas.
struct Frame {
    w: f64,
    h: f64,
    nc: usize,
    nr: usize,
    has_x: bool,
    has_y: bool,
    row_label_w: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    cw: f64,
    ch: f64,
}

/// Gap between neighbouring cells, in pixels.
const GAP: f64 = 4.0;

impl Frame {
    /// Lay the cells out on a `w` × `h` canvas, leaving room for the band labels and titles.
    fn new(chart: &MatrixChart, w: f64, h: f64) -> Frame {
        let nc = chart.x_labels.len();
        let nr = chart.y_labels.len();
        let has_y = !clean(&chart.y_title).is_empty();
        let has_x = !clean(&chart.x_title).is_empty();
        let row_label_w = chart
            .y_labels
            .iter()
            .map(|s| text_width(&clean(s), 12, false))
            .fold(0.0, f64::max)
            .min(w * 0.22);
        let left = 10.0 + if has_y { 20.0 } else { 0.0 } + row_label_w + 8.0;
        let right = w - 8.0;
        let top = 8.0;
        let bottom = h - (8.0 + 12.0 + 8.0 + if has_x { 20.0 } else { 0.0 });
        let cw = ((right - left - GAP * (nc - 1) as f64) / nc as f64).max(1.0);
        let ch = ((bottom - top - GAP * (nr - 1) as f64) / nr as f64).max(1.0);
        Frame { w, h, nc, nr, has_x, has_y, row_label_w, left, right, top, bottom, cw, ch }
    }

    /// The pixel box of the cell in column `col`, row `row` (row 0 at the bottom).
    fn cell(&self, col: usize, row: usize) -> Cell {
        let l = self.left + col as f64 * (self.cw + GAP);
        let b = self.bottom - row as f64 * (self.ch + GAP);
        Cell { l: l.round(), t: (b - self.ch).round(), r: (l + self.cw).round(), b: b.round() }
    }
}

/// Bubble sizes and positions inside their cells.
struct Bubbles {
    max_weight: f64,
    r_min: f64,
    r_max: f64,
    /// Height kept free at a cell's top for its title.
    title_band: f64,
    /// Height kept free at a cell's bottom for its count.
    count_band: f64,
}

impl Bubbles {
    /// Size the bubbles for the frame's cells, leaving the title and count bands free.
    fn new(valid: &[&MatrixPoint], f: &Frame, titles: &Titles) -> Bubbles {
        let max_weight = valid.iter().map(|q| finite(q.weight)).fold(0.0, f64::max);
        let r_min = 3.0;
        let r_max = (0.2 * f.cw.min(f.ch)).clamp(r_min + 1.0, 14.0);
        let wrapped = titles.iter().flatten().any(|t| t.len() > 1);
        let title_band = if wrapped { 31.0f64.min(f.ch * 0.4) } else { 18.0f64.min(f.ch * 0.3) };
        let count_band = 14.0f64.min(f.ch * 0.2);
        Bubbles { max_weight, r_min, r_max, title_band, count_band }
    }

    /// Radius of a bubble: its area grows with the weight.
    fn radius(&self, weight: f64) -> f64 {
        let weight = finite(weight);
        if weight > 0.0 && self.max_weight > 0.0 {
            self.r_min + (self.r_max - self.r_min) * (weight / self.max_weight).sqrt()
        } else {
            self.r_min
        }
    }

    /// Centre of a bubble of radius `r`, kept inside its cell.
    fn place(&self, f: &Frame, q: &MatrixPoint, r: f64) -> Point {
        let c = f.cell(q.column, q.row);
        let x = c.l + 6.0 + clamp01(q.x) * (c.r - c.l - 12.0);
        let y =
            c.b - self.count_band - clamp01(q.y) * (c.b - c.t - self.title_band - self.count_band);
        let keep_in = |v: f64, lo: f64, hi: f64| {
            if hi - lo > 2.0 * r + 2.0 {
                v.clamp(lo + r + 1.0, hi - r - 1.0)
            } else {
                (lo + hi) / 2.0
            }
        };
        (px(keep_in(x, c.l, c.r)), px(keep_in(y, c.t, c.b)))
    }
}

/// Each cell's title lines, by row then column.
type Titles = Vec<Vec<Vec<String>>>;

/// A highlighted bubble: its point, centre and radius.
type Highlight<'a> = (&'a MatrixPoint, Point, u32);

fn draw_matrix(p: &Painter, chart: &MatrixChart, w: f64, h: f64, layer: Layer) -> Drawn {
    let whole = layer == Layer::Whole;
    let f = Frame::new(chart, w, h);
    if whole {
        draw_cells(p, &f)?;
    }
    let valid: Vec<&MatrixPoint> =
        chart.points.iter().filter(|q| q.column < f.nc && q.row < f.nr).collect();
    let counts = cell_counts(chart, &valid, &f);
    let titles = cell_titles(chart, &f);
    let bubbles = Bubbles::new(&valid, &f, &titles);
    if whole {
        draw_plain_bubbles(p, &f, &bubbles, &valid)?;
    }
    let highlighted = draw_highlighted_bubbles(p, &f, &bubbles, &valid)?;
    if whole {
        draw_captions(p, &f, &titles, &counts)?;
    }
    draw_highlight_labels(p, &f, &highlighted)?;
    if whole {
        draw_axis_labels(p, chart, &f)?;
    }
    Ok(())
}

/// Fill every cell's background.
fn draw_cells(p: &Painter, f: &Frame) -> Drawn {
    for row in 0..f.nr {
        for col in 0..f.nc {
            let c = f.cell(col, row);
            p.rect((px(c.l), px(c.t)), (px(c.r), px(c.b)), LIGHT_FILL.to_rgba())?;
        }
    }
    Ok(())
}

/// Customers per cell, row-major: the chart's own counts when given, else its points counted.
fn cell_counts(chart: &MatrixChart, valid: &[&MatrixPoint], f: &Frame) -> Vec<usize> {
    let (nc, nr) = (f.nc, f.nr);
    let mut counts = vec![0usize; nc * nr];
    if chart.cell_counts.is_empty() {
        for q in valid {
            counts[q.row * nc + q.column] += 1;
        }
    } else {
        for (row, cells) in chart.cell_counts.iter().enumerate().take(nr) {
            for (column, n) in cells.iter().enumerate().take(nc) {
                counts[row * nc + column] = *n;
            }
        }
    }
    counts
}

/// Each cell's title fitted to its width.
fn cell_titles(chart: &MatrixChart, f: &Frame) -> Titles {
    // A cell title too wide for its cell takes two lines when the cell is
    // tall enough, rather than losing its end.
    let two_lines = f.ch >= 60.0;
    (0..f.nr)
        .map(|row| {
            (0..f.nc)
                .map(|col| {
                    let c = f.cell(col, row);
                    let title = chart.cell_titles.get(row).and_then(|r| r.get(col));
                    match title {
                        Some(t) if two_lines => wrap_two(t, c.r - c.l - 14.0, 11, true),
                        Some(t) => vec![fit(t, c.r - c.l - 14.0, 11, true)],
                        None => Vec::new(),
                    }
                })
                .collect()
        })
        .collect()
}

/// Draw the bubbles that are not highlighted.
fn draw_plain_bubbles(p: &Painter, f: &Frame, bubbles: &Bubbles, valid: &[&MatrixPoint]) -> Drawn {
    // Big bubbles first so small ones stay visible on top; the index keeps ties stable.
    let mut plain: Vec<(usize, &MatrixPoint)> = valid
        .iter()
        .enumerate()
        .filter(|(_, q)| q.highlight.is_none())
        .map(|(i, q)| (i, *q))
        .collect();
    plain.sort_by(|a, b| finite(b.1.weight).total_cmp(&finite(a.1.weight)).then(a.0.cmp(&b.0)));
    for (_, q) in &plain {
        let r = bubbles.radius(q.weight);
        let c = bubbles.place(f, q, r);
        let ri = r.round() as u32;
        // A fill without an outline: an outline costs a stroke per bubble
        // in the PDF, the slowest part of a dossier with hundreds of them.
        p.disc(c, ri, NAVY.mix(0.42))?;
    }
    Ok(())
}

/// Draw the highlighted bubbles, a little larger and ringed, and return where they went.
fn draw_highlighted_bubbles<'a>(
    p: &Painter,
    f: &Frame,
    bubbles: &Bubbles,
    valid: &[&'a MatrixPoint],
) -> Result<Vec<Highlight<'a>>, DrawingAreaErrorKind<std::io::Error>> {
    let highlighted: Vec<Highlight<'a>> = valid
        .iter()
        .filter(|q| q.highlight.is_some())
        .map(|q| {
            let r = bubbles.radius(q.weight).max(bubbles.r_min + 2.0) + 1.0;
            (*q, bubbles.place(f, q, r), r.round() as u32)
        })
        .collect();
    for (_, c, r) in &highlighted {
        p.disc(*c, r + 2, WHITE.to_rgba())?;
        p.disc(*c, *r, ORANGE.to_rgba())?;
    }
    Ok(highlighted)
}

/// Draw each cell's title and count on a veil.
fn draw_captions(p: &Painter, f: &Frame, titles: &Titles, counts: &[usize]) -> Drawn {
    // Titles and counts after the bubbles, on a veil, so crowded cells stay readable.
    let veil = WHITE.mix(0.8);
    for row in 0..f.nr {
        for col in 0..f.nc {
            let c = f.cell(col, row);
            let lines: Vec<&String> = titles[row][col].iter().filter(|l| !l.is_empty()).collect();
            if !lines.is_empty() && c.b - c.t >= 18.0 {
                let tw = lines.iter().map(|l| text_width(l, 11, true)).fold(0.0, f64::max);
                let th = 15.0 + 13.0 * (lines.len() - 1) as f64;
                p.rect(
                    (px(c.l + 3.0), px(c.t + 3.0)),
                    (px(c.l + 11.0 + tw), px(c.t + 3.0 + th)),
                    veil,
                )?;
                let t = Txt::new(11, TEXT.mix(0.7)).bold();
                for (i, line) in lines.iter().enumerate() {
                    p.text(line, (px(c.l + 7.0), px(c.t + 10.5 + 13.0 * i as f64)), t)?;
                }
            }
            let n = format!("n = {}", counts[row * f.nc + col]);
            if c.b - c.t >= 34.0 {
                let nw = text_width(&n, 10, false);
                p.rect(
                    (px(c.r - 10.0 - nw), px(c.b - 16.0)),
                    (px(c.r - 3.0), px(c.b - 3.0)),
                    veil,
                )?;
                let t = Txt::new(10, MUTED.to_rgba()).anchor(HPos::Right);
                p.text(&n, (px(c.r - 6.0), px(c.b - 9.5)), t)?;
            }
        }
    }
    Ok(())
}

/// Label every highlighted bubble with its name where the label hides nothing.
fn draw_highlight_labels(p: &Painter, f: &Frame, highlighted: &[Highlight]) -> Drawn {
    // Highlight labels last: they must never be hidden by another cell's veil.
    // Other highlighted bubbles count as obstacles too, so a label never hides one.
    let mut placed: Vec<Box4> = highlighted
        .iter()
        .map(|(_, c, r)| {
            let (x, y, r) = (c.0 as f64, c.1 as f64, *r as f64 + 1.0);
            (x - r, y - r, x + r, y + r)
        })
        .collect();
    for (q, c, r) in highlighted {
        // The account's whole name when it fits half the chart's width.
        let label = fit(q.highlight.as_deref().unwrap_or(""), (f.w * 0.5).max(120.0), 11, true);
        if label.is_empty() {
            continue;
        }
        let lw = text_width(&label, 11, true);
        let chosen = label_box(f, &placed, *c, *r as f64, lw);
        p.rect((px(chosen.0), px(chosen.1)), (px(chosen.2), px(chosen.3)), WHITE.mix(0.85))?;
        let t = Txt::new(11, TEXT.to_rgba()).bold();
        p.text(&label, (px(chosen.0 + 3.0), px((chosen.1 + chosen.3) / 2.0)), t)?;
        placed.push(chosen);
    }
    Ok(())
}

/// The box for a label `lw` wide beside the bubble at `c`: the first spot on the
/// canvas overlapping nothing `placed`, else the first on the canvas.
fn label_box(f: &Frame, placed: &[Box4], c: Point, r: f64, lw: f64) -> Box4 {
    let (w, h) = (f.w, f.h);
    let (cx, cy) = (c.0 as f64, c.1 as f64);
    let candidates = [
        (cx + r + 5.0, cy),
        (cx - r - 5.0 - lw, cy),
        (cx - lw / 2.0, cy - r - 12.0),
        (cx - lw / 2.0, cy + r + 12.0),
        (cx + r, cy - r - 10.0),
        (cx + r, cy + r + 10.0),
        (cx - r - lw, cy - r - 10.0),
        (cx - r - lw, cy + r + 10.0),
    ];
    let boxed = |(x, y): (f64, f64)| (x - 3.0, y - 8.0, x + lw + 3.0, y + 8.0);
    let inside = |b: &Box4| b.0 >= 2.0 && b.2 <= w - 2.0 && b.1 >= 2.0 && b.3 <= h - 2.0;
    let free = |b: &Box4| !placed.iter().any(|o| b.0 < o.2 && o.0 < b.2 && b.1 < o.3 && o.1 < b.3);
    candidates
        .iter()
        .map(|c| boxed(*c))
        .find(|b| inside(b) && free(b))
        .or_else(|| candidates.iter().map(|c| boxed(*c)).find(inside))
        .unwrap_or_else(|| {
            let (x, y) = candidates[0];
            boxed((x.clamp(5.0, (w - lw - 5.0).max(5.0)), y.clamp(10.0, h - 10.0)))
        })
}

/// Draw the band labels along both axes and the axis titles.
fn draw_axis_labels(p: &Painter, chart: &MatrixChart, f: &Frame) -> Drawn {
    let band = Txt::new(12, TEXT.to_rgba());
    for (col, label) in chart.x_labels.iter().enumerate() {
        let c = f.cell(col, 0);
        let label = fit(label, f.cw - 4.0, 12, false);
        let at = (px((c.l + c.r) / 2.0), px(f.bottom + 14.0));
        p.text(&label, at, band.anchor(HPos::Center))?;
    }
    for (row, label) in chart.y_labels.iter().enumerate() {
        let c = f.cell(0, row);
        let label = fit(label, f.row_label_w + 2.0, 12, false);
        let at = (px(f.left - 8.0), px((c.t + c.b) / 2.0));
        p.text(&label, at, band.anchor(HPos::Right))?;
    }
    if f.has_y {
        let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center).rotated();
        p.text(&chart.y_title, (16, px((f.top + f.bottom) / 2.0)), t)?;
    }
    if f.has_x {
        let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center);
        p.text(&chart.x_title, (px((f.left + f.right) / 2.0), px(f.h - 12.0)), t)?;
    }
    Ok(())
}
