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
    let highlighted = draw_highlighted_bubbles(p, &f, &bubbles, &valid, &titles, &counts)?;
    if whole {
        draw_captions(p, &f, &titles, &counts)?;
    }
    let labels = place_labels(&f, &bubbles, &valid, &highlighted, &titles, &counts);
    draw_highlight_labels(p, &labels)?;
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

/// Where the highlighted bubbles go: a little larger than the others, and
/// moved off their cell's count by the shorter way, up or left, since the
/// overlay draws them over it.
fn highlights<'a>(
    f: &Frame,
    bubbles: &Bubbles,
    valid: &[&'a MatrixPoint],
    titles: &Titles,
    counts: &[usize],
) -> Vec<Highlight<'a>> {
    valid
        .iter()
        .filter(|q| q.highlight.is_some())
        .map(|q| {
            let r = bubbles.radius(q.weight).max(bubbles.r_min + 2.0) + 1.0;
            let (mut x, mut y) = bubbles.place(f, q, r);
            let cell = f.cell(q.column, q.row);
            if let Some((b, _)) = captions(f, titles, counts, q.column, q.row).count {
                let ring = r + 3.0;
                let (cx, cy) = (x as f64, y as f64);
                let covers =
                    cx + ring > b.0 && cx - ring < b.2 && cy + ring > b.1 && cy - ring < b.3;
                let (up, left) = (b.1 - ring, b.0 - ring);
                if covers && cy - up <= cx - left && up - ring >= cell.t {
                    y = px(up);
                } else if covers && left - ring >= cell.l {
                    x = px(left);
                }
            }
            (*q, (x, y), r.round() as u32)
        })
        .collect()
}

/// Draw the highlighted bubbles, a little larger and ringed, and return where they went.
fn draw_highlighted_bubbles<'a>(
    p: &Painter,
    f: &Frame,
    bubbles: &Bubbles,
    valid: &[&'a MatrixPoint],
    titles: &Titles,
    counts: &[usize],
) -> Result<Vec<Highlight<'a>>, DrawingAreaErrorKind<std::io::Error>> {
    let highlighted = highlights(f, bubbles, valid, titles, counts);
    for (_, c, r) in &highlighted {
        p.disc(*c, r + 2, WHITE.to_rgba())?;
        p.disc(*c, *r, ORANGE.to_rgba())?;
    }
    Ok(highlighted)
}

/// The veils under a cell's title and under its count, where drawn.
struct Captions {
    title: Option<Box4>,
    count: Option<(Box4, String)>,
}

/// Where the title and the count of the cell in `col`, `row` go.
fn captions(f: &Frame, titles: &Titles, counts: &[usize], col: usize, row: usize) -> Captions {
    let c = f.cell(col, row);
    let lines: Vec<&String> = titles[row][col].iter().filter(|l| !l.is_empty()).collect();
    let title = (!lines.is_empty() && c.b - c.t >= 18.0).then(|| {
        let tw = lines.iter().map(|l| text_width(l, 11, true)).fold(0.0, f64::max);
        let th = 15.0 + 13.0 * (lines.len() - 1) as f64;
        (c.l + 3.0, c.t + 3.0, c.l + 11.0 + tw, c.t + 3.0 + th)
    });
    let count = (c.b - c.t >= 34.0).then(|| {
        let n = format!("n = {}", counts[row * f.nc + col]);
        let nw = text_width(&n, 10, false);
        ((c.r - 10.0 - nw, c.b - 16.0, c.r - 3.0, c.b - 3.0), n)
    });
    Captions { title, count }
}

/// Draw each cell's title and count on a veil.
fn draw_captions(p: &Painter, f: &Frame, titles: &Titles, counts: &[usize]) -> Drawn {
    // Titles and counts after the bubbles, on a veil, so crowded cells stay readable.
    let veil = WHITE.mix(0.8);
    for row in 0..f.nr {
        for col in 0..f.nc {
            let c = f.cell(col, row);
            let at = captions(f, titles, counts, col, row);
            if let Some(b) = at.title {
                p.rect((px(b.0), px(b.1)), (px(b.2), px(b.3)), veil)?;
                let t = Txt::new(11, TEXT.mix(0.7)).bold();
                for (i, line) in titles[row][col].iter().filter(|l| !l.is_empty()).enumerate() {
                    p.text(line, (px(c.l + 7.0), px(c.t + 10.5 + 13.0 * i as f64)), t)?;
                }
            }
            if let Some((b, n)) = at.count {
                p.rect((px(b.0), px(b.1)), (px(b.2), px(b.3)), veil)?;
                let t = Txt::new(10, MUTED.to_rgba()).anchor(HPos::Right);
                p.text(&n, (px(c.r - 6.0), px(c.b - 9.5)), t)?;
            }
        }
    }
    Ok(())
}

/// A highlighted bubble's label: its text, its box, and the bubble it names.
pub(super) struct Label {
    pub(super) text: String,
    pub(super) at: Box4,
    /// The bubble's centre and radius.
    pub(super) bubble: (Point, u32),
}

/// Type size of a highlight label.
const LABEL_PX: u32 = 11;

/// Place a label for every highlighted bubble. A label stays inside its
/// bubble's cell, cut to the cell's width, and never covers a cell's title or
/// count, another highlighted bubble or another label; among the places that
/// do that, it takes the one hiding the fewest other bubbles, nearest to its
/// own. Only when the cell has no such place does it go elsewhere on the
/// canvas.
fn place_labels(
    f: &Frame,
    bubbles: &Bubbles,
    valid: &[&MatrixPoint],
    highlighted: &[Highlight],
    titles: &Titles,
    counts: &[usize],
) -> Vec<Label> {
    let mut hard: Vec<Box4> = (0..f.nr)
        .flat_map(|row| (0..f.nc).map(move |col| (col, row)))
        .flat_map(|(col, row)| {
            let at = captions(f, titles, counts, col, row);
            at.title.into_iter().chain(at.count.map(|(b, _)| b))
        })
        .collect();
    hard.extend(highlighted.iter().map(|(_, c, r)| {
        let (x, y, r) = (c.0 as f64, c.1 as f64, *r as f64 + 2.0);
        (x - r, y - r, x + r, y + r)
    }));
    let plain: Vec<(f64, f64, f64)> = valid
        .iter()
        .filter(|q| q.highlight.is_none())
        .map(|q| {
            let r = bubbles.radius(q.weight);
            let c = bubbles.place(f, q, r);
            (c.0 as f64, c.1 as f64, r)
        })
        .collect();
    let mut labels = Vec::new();
    for (q, c, r) in highlighted {
        let cell = f.cell(q.column, q.row);
        let name = q.highlight.as_deref().unwrap_or("");
        let text = fit(name, (cell.r - cell.l - 12.0).max(40.0), LABEL_PX, true);
        if text.is_empty() {
            continue;
        }
        let lw = text_width(&text, LABEL_PX, true);
        let at = label_box(f, cell, &hard, &plain, *c, *r as f64, lw);
        hard.push(at);
        labels.push(Label { text, at, bubble: (*c, *r) });
    }
    labels
}

/// Draw the labels placed by [`place_labels`], with a leader line to a bubble
/// its label does not touch.
fn draw_highlight_labels(p: &Painter, labels: &[Label]) -> Drawn {
    // Highlight labels last: they must never be hidden by another cell's veil.
    for l in labels {
        let (b, ((cx, cy), r)) = (l.at, l.bubble);
        let (nx, ny) = ((cx as f64).clamp(b.0, b.2), (cy as f64).clamp(b.1, b.3));
        let gap = ((nx - cx as f64).powi(2) + (ny - cy as f64).powi(2)).sqrt();
        if gap > r as f64 + 8.0 {
            p.line(vec![(cx, cy), (px(nx), px(ny))], ORANGE.to_rgba(), 1)?;
        }
        p.rect((px(b.0), px(b.1)), (px(b.2), px(b.3)), WHITE.mix(0.85))?;
        let t = Txt::new(LABEL_PX, TEXT.to_rgba()).bold();
        p.text(&l.text, (px(b.0 + 3.0), px((b.1 + b.3) / 2.0)), t)?;
    }
    Ok(())
}

/// Whether two boxes overlap.
fn overlap(a: &Box4, b: &Box4) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The box for a label `lw` wide naming the bubble at `c` of radius `r` in
/// `cell`: beside, above or below the bubble, or anywhere along the cell's
/// free band, scored as [`place_labels`] describes; the first of equals wins,
/// so the choice is the same on every run.
fn label_box(
    f: &Frame,
    cell: Cell,
    hard: &[Box4],
    plain: &[(f64, f64, f64)],
    c: Point,
    r: f64,
    lw: f64,
) -> Box4 {
    let (cx, cy) = (c.0 as f64, c.1 as f64);
    let boxed = |(x, y): (f64, f64)| (x - 3.0, y - 8.0, x + lw + 3.0, y + 8.0);
    let mut spots = vec![
        (cx + r + 5.0, cy),
        (cx - r - 5.0 - lw, cy),
        (cx - lw / 2.0, cy - r - 11.0),
        (cx - lw / 2.0, cy + r + 11.0),
        (cx + r, cy - r - 9.0),
        (cx + r, cy + r + 9.0),
        (cx - r - lw, cy - r - 9.0),
        (cx - r - lw, cy + r + 9.0),
    ];
    // Then rows across the cell, every few pixels, left and right aligned.
    let mut y = cell.t + 12.0;
    while y <= cell.b - 12.0 {
        spots.push((cell.l + 6.0, y));
        spots.push((cell.r - 6.0 - lw, y));
        y += 6.0;
    }
    let in_canvas = |b: &Box4| b.0 >= 2.0 && b.2 <= f.w - 2.0 && b.1 >= 2.0 && b.3 <= f.h - 2.0;
    let in_cell = |b: &Box4| b.0 >= cell.l && b.2 <= cell.r && b.1 >= cell.t && b.3 <= cell.b;
    let score = |b: &Box4| {
        let blocked = hard.iter().filter(|o| overlap(b, o)).count() as f64;
        let hidden =
            plain.iter().filter(|(x, y, r)| overlap(b, &(x - r, y - r, x + r, y + r))).count()
                as f64;
        let (mx, my) = ((b.0 + b.2) / 2.0, (b.1 + b.3) / 2.0);
        let distance = ((mx - cx).powi(2) + (my - cy).powi(2)).sqrt();
        let outside = if in_cell(b) { 0.0 } else { 1.0 };
        1e6 * blocked + 1e4 * outside + 10.0 * hidden + distance / 10.0
    };
    spots
        .into_iter()
        .map(boxed)
        .filter(in_canvas)
        .map(|b| (score(&b), b))
        .fold(None, |best: Option<(f64, Box4)>, (s, b)| match best {
            Some((bs, _)) if bs <= s => best,
            _ => Some((s, b)),
        })
        .map(|(_, b)| b)
        .unwrap_or_else(|| {
            let x = (cx + r + 5.0).clamp(5.0, (f.w - lw - 5.0).max(5.0));
            boxed((x, cy.clamp(10.0, f.h - 10.0)))
        })
}

/// The labels of a chart's highlighted bubbles, and the boxes of the cell
/// titles and counts they must not cover, as drawn on a `size` canvas.
#[cfg(test)]
pub(super) fn label_layout(
    chart: &MatrixChart,
    size: (u32, u32),
) -> (Vec<Label>, Vec<Box4>, Vec<Box4>) {
    let f = Frame::new(chart, size.0 as f64, size.1 as f64);
    let valid: Vec<&MatrixPoint> =
        chart.points.iter().filter(|q| q.column < f.nc && q.row < f.nr).collect();
    let counts = cell_counts(chart, &valid, &f);
    let titles = cell_titles(chart, &f);
    let bubbles = Bubbles::new(&valid, &f, &titles);
    let highlighted = highlights(&f, &bubbles, &valid, &titles, &counts);
    let labels = place_labels(&f, &bubbles, &valid, &highlighted, &titles, &counts);
    let mut titles_at = Vec::new();
    let mut counts_at = Vec::new();
    for row in 0..f.nr {
        for col in 0..f.nc {
            let at = captions(&f, &titles, &counts, col, row);
            titles_at.extend(at.title);
            counts_at.extend(at.count.map(|(b, _)| b));
        }
    }
    let cells = (0..f.nr)
        .flat_map(|row| (0..f.nc).map(move |col| (col, row)))
        .map(|(col, row)| {
            let c = f.cell(col, row);
            (c.l, c.t, c.r, c.b)
        })
        .collect();
    (labels, [titles_at, counts_at].concat(), cells)
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
