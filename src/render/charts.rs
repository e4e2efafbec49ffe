//! SVG charts for the portfolio reports, drawn with plotters' SVG backend.
//!
//! Every chart is laid out by hand in pixel coordinates instead of through
//! `ChartBuilder`: that keeps full control over the consulting look, and all
//! geometry is rounded to whole pixels so output is byte-deterministic.
//! plotters escapes `&`, `<`, `>`, `"` and `'` itself; control characters,
//! which XML forbids even escaped, are replaced here before drawing.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, RGBAColor};

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
}

/// The sales-by-product grid ("vendogram"): categories × periods (or peers), each cell shaded by revenue.
pub struct GridChart {
    /// Row names, e.g. product categories.
    pub rows: Vec<String>,
    /// Column names, e.g. quarters "Q1 24" or months.
    pub columns: Vec<String>,
    /// Revenue per cell, indexed `[row][column]`; missing cells count as zero.
    pub values: Vec<Vec<f64>>,
}

// ---------------------------------------------------------------------------
// Drawing primitives
// ---------------------------------------------------------------------------

type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;
type Point = (i32, i32);

/// Thin wrapper over the root area so chart code speaks in pixels and colours only.
struct Painter<'p, 'b> {
    area: &'p DrawingArea<SVGBackend<'b>, Shift>,
}

/// How one text element is drawn.
#[derive(Clone, Copy)]
struct Txt {
    px: u32,
    color: RGBAColor,
    h: HPos,
    v: VPos,
    bold: bool,
    rotated: bool,
}

impl Txt {
    fn new(px: u32, color: RGBAColor) -> Self {
        Txt { px, color, h: HPos::Left, v: VPos::Center, bold: false, rotated: false }
    }

    fn anchor(mut self, h: HPos) -> Self {
        self.h = h;
        self
    }

    fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    fn rotated(mut self) -> Self {
        self.rotated = true;
        self
    }
}

impl Painter<'_, '_> {
    fn rect(&self, a: Point, b: Point, color: RGBAColor) -> DrawResult {
        let (l, r) = (a.0.min(b.0), a.0.max(b.0));
        let (t, btm) = (a.1.min(b.1), a.1.max(b.1));
        if l == r || t == btm {
            return Ok(());
        }
        self.area.draw(&Rectangle::new([(l, t), (r, btm)], color.filled()))
    }

    fn frame(&self, a: Point, b: Point, color: RGBAColor) -> DrawResult {
        let (l, r) = (a.0.min(b.0), a.0.max(b.0));
        let (t, btm) = (a.1.min(b.1), a.1.max(b.1));
        let style = ShapeStyle { color, filled: false, stroke_width: 1 };
        self.area.draw(&Rectangle::new([(l, t), (r, btm)], style))
    }

    fn line(&self, points: Vec<Point>, color: RGBAColor, width: u32) -> DrawResult {
        if points.len() < 2 {
            return Ok(());
        }
        self.area.draw(&PathElement::new(points, color.stroke_width(width)))
    }

    /// Draw a dashed straight line as separate segments, since the backend has no dash attribute.
    fn dashed(&self, from: Point, to: Point, color: RGBAColor, dash: f64, gap: f64) -> DrawResult {
        let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1.0 {
            return Ok(());
        }
        let mut s = 0.0;
        while s < len {
            let e = (s + dash).min(len);
            let at = |d: f64| (px(from.0 as f64 + dx * d / len), px(from.1 as f64 + dy * d / len));
            self.line(vec![at(s), at(e)], color, 1)?;
            s += dash + gap;
        }
        Ok(())
    }

    fn disc(&self, center: Point, radius: u32, color: RGBAColor) -> DrawResult {
        self.area.draw(&Circle::new(center, radius, color.filled()))
    }

    fn text(&self, s: &str, at: Point, t: Txt) -> DrawResult {
        let s = clean(s);
        if s.is_empty() {
            return Ok(());
        }
        let mut font = (FONT, plotters_size(t.px)).into_font();
        if t.bold {
            font = font.style(FontStyle::Bold);
        }
        let mut style = font.color(&t.color).pos(Pos::new(t.h, t.v));
        if t.rotated {
            style = style.transform(FontTransform::Rotate270);
        }
        self.area.draw(&Text::new(s, at, style))
    }
}

/// Render a chart into an SVG string; a drawing error falls back to the "No data" picture.
fn render<F>(size: (u32, u32), draw: F) -> String
where
    F: FnOnce(&Painter, f64, f64) -> DrawResult,
{
    try_render(size, draw).unwrap_or_else(|| try_render(size, draw_no_data).unwrap_or_default())
}

fn try_render<F>(size: (u32, u32), draw: F) -> Option<String>
where
    F: FnOnce(&Painter, f64, f64) -> DrawResult,
{
    let size = (size.0.max(MIN_SIZE.0), size.1.max(MIN_SIZE.1));
    let mut buf = String::new();
    let ok = {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        let painter = Painter { area: &root };
        root.fill(&WHITE).is_ok()
            && draw(&painter, size.0 as f64, size.1 as f64).is_ok()
            && root.present().is_ok()
    };
    ok.then_some(buf)
}

fn draw_no_data(p: &Painter, w: f64, h: f64) -> DrawResult {
    let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center);
    p.text("No data", (px(w / 2.0), px(h / 2.0)), t)
}

fn no_data_svg(size: (u32, u32)) -> String {
    render(size, draw_no_data)
}

// ---------------------------------------------------------------------------
// Text and number helpers
// ---------------------------------------------------------------------------

fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Return the plotters font size that the SVG backend writes as exactly `target` px.
///
/// The backend divides the size by 1.24 before printing, which would otherwise
/// leave sizes like `9.999999999999998` in the output. A few sizes (13, 15) have
/// no exact preimage; they come out a hair off, so the charts avoid them.
fn plotters_size(target: u32) -> f64 {
    let want = target as f64;
    let base = want * 1.24;
    (0..=8u64)
        .flat_map(|k| [base.to_bits() + k, base.to_bits().saturating_sub(k)])
        .map(f64::from_bits)
        .find(|s| s / 1.24 == want)
        .unwrap_or(base)
}

/// Replace characters that XML forbids even when escaped, and line breaks the backend cannot draw.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Advance widths of Inter Regular for ASCII 32..=126, in thousandths of an em.
const INTER_WIDTHS: [u16; 95] = [
    281, 278, 403, 631, 638, 812, 639, 222, 362, 362, 500, 659, 280, 460, 276, 357, 625, 464, 605,
    636, 642, 608, 624, 571, 616, 624, 276, 280, 659, 659, 659, 507, 936, 676, 651, 727, 719, 598,
    587, 743, 740, 264, 543, 652, 562, 889, 753, 761, 635, 761, 639, 638, 642, 741, 676, 949, 642,
    665, 625, 362, 357, 362, 469, 452, 497, 564, 621, 558, 621, 582, 361, 609, 591, 237, 237, 544,
    237, 869, 585, 597, 609, 609, 372, 523, 364, 581, 557, 812, 540, 557, 541, 362, 327, 362, 659,
];

/// Estimate the rendered width of `s` in Inter, since the SVG backend cannot measure text.
fn text_width(s: &str, px: u32, bold: bool) -> f64 {
    let milli: u32 = s
        .chars()
        .map(|c| match c as u32 {
            code @ 32..=126 => INTER_WIDTHS[(code - 32) as usize] as u32,
            0x2026 => 821,
            0x2212 => 659,
            _ => 620,
        })
        .sum();
    let w = milli as f64 / 1000.0 * px as f64;
    if bold { w * 1.06 } else { w }
}

/// Shorten `s` with "…" until it fits `max_w` pixels; empty when not even "…" fits.
fn fit(s: &str, max_w: f64, px: u32, bold: bool) -> String {
    let s = clean(s);
    if text_width(&s, px, bold) <= max_w {
        return s;
    }
    let chars: Vec<char> = s.chars().collect();
    for keep in (0..chars.len()).rev() {
        let mut cand: String = chars[..keep].iter().collect::<String>().trim_end().to_string();
        cand.push('…');
        if text_width(&cand, px, bold) <= max_w {
            return cand;
        }
    }
    String::new()
}

/// Cut `s` to at most `max` characters, the last being "…".
fn truncate_chars(s: &str, max: usize) -> String {
    let s = clean(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Format a number with k/M/B suffix and at most `max_decimals` decimals, trailing zeros dropped.
fn abbreviate_with(v: f64, max_decimals: usize) -> String {
    const SCALES: [(f64, &str); 4] = [(1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "B")];
    let a = v.abs();
    let mut idx = SCALES.iter().rposition(|(s, _)| a >= *s).unwrap_or(0);
    loop {
        let (scale, suffix) = SCALES[idx];
        let x = v / scale;
        let mut s = format!("{:.*}", max_decimals, x);
        if s.contains('.') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        // Rounding may reach the next unit, e.g. 999 960 -> "1000k"; prefer "1M".
        let reached_next = s.trim_start_matches('-').parse::<f64>().unwrap_or(0.0) >= 1000.0;
        if reached_next && idx + 1 < SCALES.len() {
            idx += 1;
            continue;
        }
        if s == "-0" {
            s = "0".to_string();
        }
        // A typographic minus: the hyphen is too short next to Inter's figures.
        return format!("{}{suffix}", s.replacen('-', "\u{2212}", 1));
    }
}

/// Abbreviate a value label: one decimal below 100 of the unit, none above (`1.2M`, `350k`).
fn abbreviate(v: f64) -> String {
    let a = v.abs();
    let unit = if a >= 1e9 {
        a / 1e9
    } else if a >= 1e6 {
        a / 1e6
    } else if a >= 1e3 {
        a / 1e3
    } else {
        a
    };
    abbreviate_with(v, if unit < 100.0 { 1 } else { 0 })
}

fn percent(v: f64) -> String {
    format!("{:.0}%", (v * 100.0).round() + 0.0)
}

fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

fn clamp01(v: f64) -> f64 {
    finite(v).clamp(0.0, 1.0)
}

/// Pick round tick values covering `lo..hi` with at most `target + 1` steps.
fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    // The tolerance snaps values a rounding error beyond a tick onto it, never outward.
    let bounds = |step: f64| ((lo / step + 1e-9).floor(), (hi / step - 1e-9).ceil());
    // The smallest round step that still fits keeps axes from doubling the data range.
    let step = [0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|step| {
            let (first, last) = bounds(*step);
            last - first <= (target + 1) as f64
        })
        .unwrap_or(20.0 * mag);
    let (first, last) = bounds(step);
    let count = (last - first).round().max(1.0) as usize;
    (0..=count)
        .map(|i| {
            let v = (first + i as f64) * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect()
}

/// Map `v` from `lo..hi` to pixels `a..b`, with a zero-width range mapping to `a`.
fn scale(v: f64, lo: f64, hi: f64, a: f64, b: f64) -> f64 {
    if hi > lo { a + (v - lo) / (hi - lo) * (b - a) } else { a }
}

fn class_color(i: usize) -> RGBColor {
    [CLASS_A, CLASS_B, CLASS_C][i.min(2)]
}

/// Interpolate from white to navy; `t` of 0 is white.
fn shade(t: f64) -> RGBColor {
    let t = clamp01(t);
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * t).round() as u8;
    RGBColor(mix(NAVY.0), mix(NAVY.1), mix(NAVY.2))
}

fn is_dark(c: RGBColor) -> bool {
    (0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64) / 255.0 < 0.55
}

/// Draw a legend of (swatch, label) items right-aligned to `right`, centred on `y`.
fn draw_legend(p: &Painter, items: &[(Swatch, &str)], right: f64, y: f64) -> DrawResult {
    let t = Txt::new(11, TEXT.to_rgba());
    let widths: Vec<f64> =
        items.iter().map(|(_, label)| 14.0 + 5.0 + text_width(&clean(label), 11, false)).collect();
    let total: f64 = widths.iter().sum::<f64>() + 14.0 * items.len().saturating_sub(1) as f64;
    let mut x = right - total;
    let yi = px(y);
    for ((swatch, label), w) in items.iter().zip(&widths) {
        match swatch {
            Swatch::Bar(c) => p.rect((px(x + 2.0), yi - 5), (px(x + 12.0), yi + 5), *c)?,
            Swatch::Line(c) => {
                p.line(vec![(px(x), yi), (px(x + 14.0), yi)], *c, 2)?;
                p.disc((px(x + 7.0), yi), 2, *c)?;
            }
        }
        p.text(label, (px(x + 19.0), yi), t)?;
        x += w + 14.0;
    }
    Ok(())
}

enum Swatch {
    Bar(RGBAColor),
    Line(RGBAColor),
}

/// Values `i` of `v`, or zero where `v` is shorter, so mismatched inputs never panic.
fn at(v: &[f64], i: usize) -> f64 {
    finite(v.get(i).copied().unwrap_or(0.0))
}

// ---------------------------------------------------------------------------
// Pareto chart
// ---------------------------------------------------------------------------

/// Render the Pareto curve with shaded ABC zones as an SVG string.
pub fn pareto_svg(chart: &ParetoChart, size: (u32, u32)) -> String {
    let mut revenues: Vec<f64> =
        chart.revenues.iter().copied().filter(|v| v.is_finite() && *v > 0.0).collect();
    if revenues.is_empty() {
        return no_data_svg(size);
    }
    // Sorting again keeps the curve concave even if the caller's order slipped.
    revenues.sort_by(|a, b| b.total_cmp(a));
    render(size, |p, w, h| draw_pareto(p, chart, &revenues, w, h))
}

/// Cumulative (customer share, revenue share) points, downsampled evenly by customer index.
fn pareto_curve(revenues: &[f64]) -> Vec<(f64, f64)> {
    let n = revenues.len();
    let total: f64 = revenues.iter().sum();
    let mut cum = Vec::with_capacity(n + 1);
    cum.push(0.0);
    let mut acc = 0.0;
    for r in revenues {
        acc += r;
        cum.push(acc);
    }
    let pick: Vec<usize> = if n < MAX_CURVE_POINTS {
        (0..=n).collect()
    } else {
        let m = MAX_CURVE_POINTS - 1;
        (0..=m).map(|k| (k * n + m / 2) / m).collect()
    };
    pick.into_iter().map(|i| (i as f64 / n as f64, (cum[i] / total).min(1.0))).collect()
}

fn draw_pareto(p: &Painter, chart: &ParetoChart, revenues: &[f64], w: f64, h: f64) -> DrawResult {
    let has_y = !clean(&chart.y_label).is_empty();
    let has_x = !clean(&chart.x_label).is_empty();
    let left = 10.0 + if has_y { 20.0 } else { 0.0 } + text_width("100%", 11, false) + 8.0;
    let right = w - 18.0;
    let top = 30.0;
    let bottom = h - (8.0 + 11.0 + 8.0 + if has_x { 18.0 } else { 0.0 });
    let fx = |v: f64| px(scale(v, 0.0, 1.0, left, right));
    let fy = |v: f64| px(scale(v, 0.0, 1.0, bottom, top));

    // Zones first so grid, cut lines and the curve sit on top of the tint.
    let mut start = 0.0;
    let mut last_label_end = f64::MIN;
    for (i, (label, _, cust)) in chart.cuts.iter().enumerate() {
        let end = clamp01(*cust).max(start);
        let color = class_color(i);
        if end > start {
            p.rect((fx(start), fy(1.0)), (fx(end), fy(0.0)), color.mix(0.12))?;
            p.rect((fx(start) + 1, px(top - 7.0)), (fx(end) - 1, px(top - 3.0)), color.to_rgba())?;
            let label = clean(label);
            let lw = text_width(&label, 12, true);
            let mid = (fx(start) + fx(end)) as f64 / 2.0;
            let zone_w = (fx(end) - fx(start)) as f64;
            if zone_w >= lw + 2.0 && mid - lw / 2.0 > last_label_end + 4.0 {
                let t = Txt::new(12, TEXT.to_rgba()).anchor(HPos::Center).bold();
                p.text(&label, (px(mid), px(top - 16.0)), t)?;
                last_label_end = mid + lw / 2.0;
            }
        }
        start = end;
    }

    let grid = GRID_GREY.mix(0.45);
    let tick = Txt::new(11, MUTED.to_rgba());
    for k in 0..=5 {
        let v = k as f64 * 0.2;
        if k > 0 {
            p.line(vec![(fx(0.0), fy(v)), (fx(1.0), fy(v))], grid, 1)?;
            p.line(vec![(fx(v), fy(0.0)), (fx(v), fy(1.0))], grid, 1)?;
        }
        p.text(&percent(v), (px(left - 6.0), fy(v)), tick.anchor(HPos::Right))?;
        p.text(&percent(v), (fx(v), px(bottom + 12.0)), tick.anchor(HPos::Center))?;
    }
    let axis = GRID_GREY.to_rgba();
    p.line(vec![(fx(0.0), fy(0.0)), (fx(1.0), fy(0.0))], axis, 1)?;
    p.line(vec![(fx(0.0), fy(0.0)), (fx(0.0), fy(1.0))], axis, 1)?;

    let inner_cuts: Vec<(f64, f64)> = chart
        .cuts
        .iter()
        .map(|(_, rev, cust)| (clamp01(*cust), clamp01(*rev)))
        .filter(|(cust, _)| *cust > 0.001 && *cust < 0.999)
        .collect();
    for (cust, _) in &inner_cuts {
        p.dashed((fx(*cust), fy(1.0)), (fx(*cust), fy(0.0)), TEXT.mix(0.45), 4.0, 3.0)?;
    }

    // Keep vertices at least 4 px apart: whole-pixel rounding of dense points draws stairs.
    let curve = pareto_curve(revenues);
    let mut pts: Vec<Point> = Vec::new();
    let mut last = (f64::MIN, f64::MIN);
    for (i, (x, y)) in curve.iter().enumerate() {
        let q = (scale(*x, 0.0, 1.0, left, right), scale(*y, 0.0, 1.0, bottom, top));
        let far = (q.0 - last.0).hypot(q.1 - last.1) >= 4.0;
        if far || i + 1 == curve.len() {
            pts.push((px(q.0), px(q.1)));
            last = q;
        }
    }
    p.line(pts, NAVY.to_rgba(), 2)?;

    // Mark where each class ends on the curve, the number readers look for first.
    for (cust, rev) in &inner_cuts {
        let c = (fx(*cust), fy(*rev));
        p.disc(c, 5, WHITE.to_rgba())?;
        p.disc(c, 3, NAVY.to_rgba())?;
        let t = Txt::new(11, NAVY.to_rgba()).bold();
        p.text(&percent(*rev), (c.0 + 7, c.1 + 9), t)?;
    }

    if has_y {
        let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center).rotated();
        p.text(&chart.y_label, (16, px((top + bottom) / 2.0)), t)?;
    }
    if has_x {
        let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center);
        p.text(&chart.x_label, (px((left + right) / 2.0), px(h - 12.0)), t)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Matrix chart
// ---------------------------------------------------------------------------

/// Render the portfolio matrix with one bubble per customer as an SVG string.
pub fn matrix_svg(chart: &MatrixChart, size: (u32, u32)) -> String {
    if chart.x_labels.is_empty() || chart.y_labels.is_empty() {
        return no_data_svg(size);
    }
    render(size, |p, w, h| draw_matrix(p, chart, w, h))
}

/// Pixel box of one cell: left, top, right, bottom.
#[derive(Clone, Copy)]
struct Cell {
    l: f64,
    t: f64,
    r: f64,
    b: f64,
}

fn draw_matrix(p: &Painter, chart: &MatrixChart, w: f64, h: f64) -> DrawResult {
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
    let gap = 4.0;
    let cw = ((right - left - gap * (nc - 1) as f64) / nc as f64).max(1.0);
    let ch = ((bottom - top - gap * (nr - 1) as f64) / nr as f64).max(1.0);
    let cell = |col: usize, row: usize| {
        let l = left + col as f64 * (cw + gap);
        let b = bottom - row as f64 * (ch + gap);
        Cell { l: l.round(), t: (b - ch).round(), r: (l + cw).round(), b: b.round() }
    };

    for row in 0..nr {
        for col in 0..nc {
            let c = cell(col, row);
            p.rect((px(c.l), px(c.t)), (px(c.r), px(c.b)), LIGHT_FILL.to_rgba())?;
        }
    }

    let valid: Vec<&MatrixPoint> =
        chart.points.iter().filter(|q| q.column < nc && q.row < nr).collect();
    let mut counts = vec![0usize; nc * nr];
    if chart.cell_counts.is_empty() {
        for q in &valid {
            counts[q.row * nc + q.column] += 1;
        }
    } else {
        for (row, cells) in chart.cell_counts.iter().enumerate().take(nr) {
            for (column, n) in cells.iter().enumerate().take(nc) {
                counts[row * nc + column] = *n;
            }
        }
    }
    let max_weight = valid.iter().map(|q| finite(q.weight)).fold(0.0, f64::max);
    let r_min = 3.0;
    let r_max = (0.2 * cw.min(ch)).clamp(r_min + 1.0, 14.0);
    let radius = |weight: f64| {
        let weight = finite(weight);
        if weight > 0.0 && max_weight > 0.0 {
            r_min + (r_max - r_min) * (weight / max_weight).sqrt()
        } else {
            r_min
        }
    };
    let title_band = 18.0f64.min(ch * 0.3);
    let count_band = 14.0f64.min(ch * 0.2);
    let place = |q: &MatrixPoint, r: f64| {
        let c = cell(q.column, q.row);
        let x = c.l + 6.0 + clamp01(q.x) * (c.r - c.l - 12.0);
        let y = c.b - count_band - clamp01(q.y) * (c.b - c.t - title_band - count_band);
        let keep_in = |v: f64, lo: f64, hi: f64| {
            if hi - lo > 2.0 * r + 2.0 {
                v.clamp(lo + r + 1.0, hi - r - 1.0)
            } else {
                (lo + hi) / 2.0
            }
        };
        (px(keep_in(x, c.l, c.r)), px(keep_in(y, c.t, c.b)))
    };

    // Big bubbles first so small ones stay visible on top; the index keeps ties stable.
    let mut plain: Vec<(usize, &MatrixPoint)> = valid
        .iter()
        .enumerate()
        .filter(|(_, q)| q.highlight.is_none())
        .map(|(i, q)| (i, *q))
        .collect();
    plain.sort_by(|a, b| finite(b.1.weight).total_cmp(&finite(a.1.weight)).then(a.0.cmp(&b.0)));
    for (_, q) in &plain {
        let r = radius(q.weight);
        let c = place(q, r);
        let ri = r.round() as u32;
        // A fill without an outline: an outline costs a stroke per bubble
        // in the PDF, the slowest part of a dossier with hundreds of them.
        p.disc(c, ri, NAVY.mix(0.42))?;
    }

    let highlighted: Vec<(&MatrixPoint, Point, u32)> = valid
        .iter()
        .filter(|q| q.highlight.is_some())
        .map(|q| {
            let r = radius(q.weight).max(r_min + 2.0) + 1.0;
            (*q, place(q, r), r.round() as u32)
        })
        .collect();
    for (_, c, r) in &highlighted {
        p.disc(*c, r + 2, WHITE.to_rgba())?;
        p.disc(*c, *r, ORANGE.to_rgba())?;
    }

    // Titles and counts after the bubbles, on a veil, so crowded cells stay readable.
    let veil = WHITE.mix(0.8);
    for row in 0..nr {
        for col in 0..nc {
            let c = cell(col, row);
            let title = chart
                .cell_titles
                .get(row)
                .and_then(|r| r.get(col))
                .map(|s| fit(s, c.r - c.l - 14.0, 11, true))
                .unwrap_or_default();
            if !title.is_empty() && c.b - c.t >= 18.0 {
                let tw = text_width(&title, 11, true);
                p.rect(
                    (px(c.l + 3.0), px(c.t + 3.0)),
                    (px(c.l + 11.0 + tw), px(c.t + 18.0)),
                    veil,
                )?;
                let t = Txt::new(11, TEXT.mix(0.7)).bold();
                p.text(&title, (px(c.l + 7.0), px(c.t + 10.5)), t)?;
            }
            let n = format!("n = {}", counts[row * nc + col]);
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

    // Highlight labels last: they must never be hidden by another cell's veil.
    // Other highlighted bubbles count as obstacles too, so a label never hides one.
    let mut placed: Vec<(f64, f64, f64, f64)> = highlighted
        .iter()
        .map(|(_, c, r)| {
            let (x, y, r) = (c.0 as f64, c.1 as f64, *r as f64 + 1.0);
            (x - r, y - r, x + r, y + r)
        })
        .collect();
    for (q, c, r) in &highlighted {
        let label = truncate_chars(q.highlight.as_deref().unwrap_or(""), 28);
        if label.is_empty() {
            continue;
        }
        let lw = text_width(&label, 11, true);
        let (cx, cy, r) = (c.0 as f64, c.1 as f64, *r as f64);
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
        let inside =
            |b: &(f64, f64, f64, f64)| b.0 >= 2.0 && b.2 <= w - 2.0 && b.1 >= 2.0 && b.3 <= h - 2.0;
        let free = |b: &(f64, f64, f64, f64)| {
            !placed.iter().any(|o| b.0 < o.2 && o.0 < b.2 && b.1 < o.3 && o.1 < b.3)
        };
        let chosen = candidates
            .iter()
            .map(|c| boxed(*c))
            .find(|b| inside(b) && free(b))
            .or_else(|| candidates.iter().map(|c| boxed(*c)).find(inside))
            .unwrap_or_else(|| {
                let (x, y) = candidates[0];
                boxed((x.clamp(5.0, (w - lw - 5.0).max(5.0)), y.clamp(10.0, h - 10.0)))
            });
        p.rect((px(chosen.0), px(chosen.1)), (px(chosen.2), px(chosen.3)), WHITE.mix(0.85))?;
        let t = Txt::new(11, TEXT.to_rgba()).bold();
        p.text(&label, (px(chosen.0 + 3.0), px((chosen.1 + chosen.3) / 2.0)), t)?;
        placed.push(chosen);
    }

    let band = Txt::new(12, TEXT.to_rgba());
    for (col, label) in chart.x_labels.iter().enumerate() {
        let c = cell(col, 0);
        let label = fit(label, cw - 4.0, 12, false);
        let at = (px((c.l + c.r) / 2.0), px(bottom + 14.0));
        p.text(&label, at, band.anchor(HPos::Center))?;
    }
    for (row, label) in chart.y_labels.iter().enumerate() {
        let c = cell(0, row);
        let label = fit(label, row_label_w + 2.0, 12, false);
        let at = (px(left - 8.0), px((c.t + c.b) / 2.0));
        p.text(&label, at, band.anchor(HPos::Right))?;
    }
    if has_y {
        let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center).rotated();
        p.text(&chart.y_title, (16, px((top + bottom) / 2.0)), t)?;
    }
    if has_x {
        let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center);
        p.text(&chart.x_title, (px((left + right) / 2.0), px(h - 12.0)), t)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Monthly chart
// ---------------------------------------------------------------------------

/// Render monthly revenue bars with the previous period as a line, as an SVG string.
pub fn monthly_svg(chart: &MonthlyChart, size: (u32, u32)) -> String {
    let n = chart.labels.len();
    let all_zero = (0..n).all(|i| at(&chart.current, i) == 0.0 && at(&chart.previous, i) == 0.0);
    if n == 0 || all_zero {
        return no_data_svg(size);
    }
    render(size, |p, w, h| draw_monthly(p, chart, w, h))
}

fn draw_monthly(p: &Painter, chart: &MonthlyChart, w: f64, h: f64) -> DrawResult {
    let n = chart.labels.len();
    let cur: Vec<f64> = (0..n).map(|i| at(&chart.current, i)).collect();
    let prev: Vec<f64> = (0..n).map(|i| at(&chart.previous, i)).collect();
    let show_prev = prev.iter().any(|v| *v != 0.0);
    let shown = cur.iter().chain(if show_prev { &prev[..] } else { &[] });
    let lo = shown.clone().fold(0.0, |a: f64, b| a.min(*b));
    let hi = shown.fold(0.0, |a: f64, b| a.max(*b));

    let top = 30.0;
    let bottom = h - (8.0 + 11.0 + 10.0);
    let ticks = nice_ticks(lo, hi, ((bottom - top) / 55.0).clamp(3.0, 6.0) as usize);
    let (t_lo, t_hi) = (ticks[0], ticks[ticks.len() - 1]);
    let tick_labels: Vec<String> = ticks.iter().map(|v| abbreviate_with(*v, 2)).collect();
    let tick_w = tick_labels.iter().map(|s| text_width(s, 11, false)).fold(0.0, f64::max);
    let left = 8.0 + tick_w + 8.0;
    let right = w - 12.0;
    let fy = |v: f64| px(scale(v, t_lo, t_hi, bottom, top));
    let slot = (right - left) / n as f64;
    let center = |i: usize| left + (i as f64 + 0.5) * slot;

    let grid = GRID_GREY.mix(0.45);
    let tick = Txt::new(11, MUTED.to_rgba()).anchor(HPos::Right);
    for (v, label) in ticks.iter().zip(&tick_labels) {
        if *v != 0.0 {
            p.line(vec![(px(left), fy(*v)), (px(right), fy(*v))], grid, 1)?;
        }
        p.text(label, (px(left - 8.0), fy(*v)), tick)?;
    }

    let bar_w = (slot * 0.64).round().clamp(1.0, 36.0) as i32;
    for (i, v) in cur.iter().enumerate() {
        if *v != 0.0 {
            let x0 = px(center(i) - bar_w as f64 / 2.0);
            p.rect((x0, fy(0.0)), (x0 + bar_w, fy(*v)), NAVY.to_rgba())?;
        }
    }
    p.line(vec![(px(left), fy(0.0)), (px(right), fy(0.0))], GRID_GREY.to_rgba(), 1)?;

    if show_prev {
        let pts: Vec<Point> =
            prev.iter().enumerate().map(|(i, v)| (px(center(i)), fy(*v))).collect();
        p.line(pts.clone(), PREVIOUS_GREY.to_rgba(), 2)?;
        if n <= 24 {
            for q in pts {
                p.disc(q, 2, PREVIOUS_GREY.to_rgba())?;
            }
        }
    }

    // Label every k-th month so labels never collide; 24+ months read best quarterly.
    let label_w =
        chart.labels.iter().map(|s| text_width(&clean(s), 11, false)).fold(0.0, f64::max) + 8.0;
    let mut k = [1usize, 2, 3, 4, 6, 12]
        .into_iter()
        .find(|k| *k as f64 * slot >= label_w)
        .unwrap_or_else(|| (label_w / slot).ceil() as usize);
    if n >= 24 {
        k = k.max(3);
    }
    let lab = Txt::new(11, MUTED.to_rgba()).anchor(HPos::Center);
    for (i, label) in chart.labels.iter().enumerate().step_by(k) {
        let x = px(center(i));
        p.line(vec![(x, px(bottom)), (x, px(bottom + 3.0))], GRID_GREY.to_rgba(), 1)?;
        p.text(label, (x, px(bottom + 12.0)), lab)?;
    }

    let mut items = vec![(Swatch::Bar(NAVY.to_rgba()), chart.current_label.as_str())];
    if show_prev {
        items.push((Swatch::Line(PREVIOUS_GREY.to_rgba()), chart.previous_label.as_str()));
    }
    draw_legend(p, &items, right, 12.0)
}

// ---------------------------------------------------------------------------
// Mix chart
// ---------------------------------------------------------------------------

/// Render revenue per category as paired horizontal bars, as an SVG string.
pub fn mix_svg(chart: &MixChart, size: (u32, u32)) -> String {
    let n = chart.categories.len();
    let all_zero = (0..n).all(|i| at(&chart.current, i) == 0.0 && at(&chart.previous, i) == 0.0);
    if n == 0 || all_zero {
        return no_data_svg(size);
    }
    render(size, |p, w, h| draw_mix(p, chart, w, h))
}

fn draw_mix(p: &Painter, chart: &MixChart, w: f64, h: f64) -> DrawResult {
    let n = chart.categories.len();
    let cur: Vec<f64> = (0..n).map(|i| at(&chart.current, i)).collect();
    let prev: Vec<f64> = (0..n).map(|i| at(&chart.previous, i)).collect();
    let show_prev = prev.iter().any(|v| *v != 0.0);

    let top = 30.0;
    let bottom = h - (8.0 + 11.0 + 10.0);
    let band = (bottom - top) / n as f64;
    let name_px = (band * 0.7).floor().clamp(8.0, 12.0) as u32;
    let value_px = name_px.min(10);
    let names: Vec<String> =
        chart.categories.iter().map(|s| truncate_chars(s, MAX_NAME_CHARS)).collect();
    let name_cap = (w * 0.32).min(text_width("Mmmmmmmmmmmmmmmmmmmmmm", name_px, false) * 0.8);
    let name_w =
        names.iter().map(|s| text_width(s, name_px, false)).fold(0.0, f64::max).min(name_cap);

    let values = cur.iter().chain(if show_prev { &prev[..] } else { &[] });
    let lo = values.clone().fold(0.0, |a: f64, b| a.min(*b));
    let hi = values.clone().fold(0.0, |a: f64, b| a.max(*b));
    let label_room = |neg: bool| {
        values
            .clone()
            .filter(|v| (**v < 0.0) == neg && **v != 0.0)
            .map(|v| text_width(&abbreviate(*v), value_px, false) + 8.0)
            .fold(0.0, f64::max)
    };
    let left = 8.0 + name_w + 10.0 + label_room(true);
    let right = w - 8.0 - label_room(false).max(12.0);
    // Bars end at the data, not at a round tick, so a small credit note cannot waste half the width.
    let (d_lo, d_hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let eps = (d_hi - d_lo) * 1e-9;
    let ticks: Vec<f64> = nice_ticks(d_lo, d_hi, ((right - left) / 90.0).clamp(2.0, 6.0) as usize)
        .into_iter()
        .filter(|v| *v >= d_lo - eps && *v <= d_hi + eps)
        .collect();
    let fx = |v: f64| px(scale(v, d_lo, d_hi, left, right));

    let grid = GRID_GREY.mix(0.45);
    let tick = Txt::new(11, MUTED.to_rgba()).anchor(HPos::Center);
    for v in &ticks {
        if *v != 0.0 {
            p.line(vec![(fx(*v), px(top)), (fx(*v), px(bottom))], grid, 1)?;
        }
        p.text(&abbreviate_with(*v, 2), (fx(*v), px(bottom + 12.0)), tick)?;
    }

    let bar_h =
        if show_prev { (band * 0.3).clamp(2.0, 12.0) } else { (band * 0.5).clamp(2.0, 18.0) };
    let pair_gap = 2.0;
    // Grey value labels only when the two bars sit far enough apart not to overlap.
    let prev_labels = show_prev && bar_h + pair_gap >= value_px as f64;
    for (i, name) in names.iter().enumerate() {
        let mid = top + (i as f64 + 0.5) * band;
        let name = fit(name, name_w + 1.0, name_px, false);
        let t = Txt::new(name_px, TEXT.to_rgba()).anchor(HPos::Right);
        p.text(&name, (px(8.0 + name_w), px(mid)), t)?;
        let mut bars = vec![(cur[i], NAVY.to_rgba(), TEXT.to_rgba(), true)];
        if show_prev {
            bars.push((prev[i], PREVIOUS_GREY.to_rgba(), MUTED.to_rgba(), prev_labels));
        }
        let count = bars.len() as f64;
        let stack_h = bar_h * count + pair_gap * (count - 1.0);
        for (j, (v, fill, ink, labelled)) in bars.into_iter().enumerate() {
            let y0 = mid - stack_h / 2.0 + j as f64 * (bar_h + pair_gap);
            let (y0i, y1i) = (px(y0), px(y0) + (bar_h.round() as i32).max(1));
            if v == 0.0 {
                continue;
            }
            p.rect((fx(0.0), y0i), (fx(v), y1i), fill)?;
            if labelled {
                let yc = (y0i + y1i) / 2;
                let t = Txt::new(value_px, ink);
                if v > 0.0 {
                    p.text(&abbreviate(v), (fx(v) + 4, yc), t)?;
                } else {
                    p.text(&abbreviate(v), (fx(v) - 4, yc), t.anchor(HPos::Right))?;
                }
            }
        }
    }
    p.line(vec![(fx(0.0), px(top)), (fx(0.0), px(bottom))], GRID_GREY.to_rgba(), 1)?;

    let mut items = vec![(Swatch::Bar(NAVY.to_rgba()), chart.current_label.as_str())];
    if show_prev {
        items.push((Swatch::Bar(PREVIOUS_GREY.to_rgba()), chart.previous_label.as_str()));
    }
    draw_legend(p, &items, w - 12.0, 12.0)
}

// ---------------------------------------------------------------------------
// Grid chart (vendogram)
// ---------------------------------------------------------------------------

/// Render the sales grid with cells shaded by revenue, as an SVG string.
pub fn grid_svg(chart: &GridChart, size: (u32, u32)) -> String {
    let (nr, nc) = (chart.rows.len(), chart.columns.len());
    let value = |r: usize, c: usize| chart.values.get(r).map_or(0.0, |row| at(row, c));
    let all_zero = (0..nr).all(|r| (0..nc).all(|c| value(r, c) == 0.0));
    if nr == 0 || nc == 0 || all_zero {
        return no_data_svg(size);
    }
    render(size, |p, w, h| draw_grid(p, chart, w, h))
}

fn draw_grid(p: &Painter, chart: &GridChart, w: f64, h: f64) -> DrawResult {
    let (nr, nc) = (chart.rows.len(), chart.columns.len());
    let value = |r: usize, c: usize| chart.values.get(r).map_or(0.0, |row| at(row, c));
    let max = (0..nr)
        .flat_map(|r| (0..nc).map(move |c| (r, c)))
        .map(|(r, c)| value(r, c))
        .fold(0.0, f64::max);

    let gap = 2.0;
    let show_scale = h >= 180.0 && max > 0.0;
    let top = 8.0 + 11.0 + 8.0;
    let bottom = h - if show_scale { 34.0 } else { 8.0 };
    let ch = ((bottom - top - gap * (nr - 1) as f64) / nr as f64).clamp(1.0, 40.0);
    let row_px = (ch + gap - 3.0).floor().clamp(8.0, 12.0) as u32;
    let names: Vec<String> = chart.rows.iter().map(|s| truncate_chars(s, MAX_NAME_CHARS)).collect();
    let name_w =
        names.iter().map(|s| text_width(s, row_px, false)).fold(0.0, f64::max).min(w * 0.32);
    let left = 8.0 + name_w + 10.0;
    let right = w - 8.0;
    let cw = ((right - left - gap * (nc - 1) as f64) / nc as f64).max(1.0);
    let grid_bottom = top + nr as f64 * ch + (nr - 1) as f64 * gap;
    let value_px: u32 = if ch >= 18.0 { 11 } else { 10 };

    for (r, name) in names.iter().enumerate() {
        let y0 = top + r as f64 * (ch + gap);
        let name = fit(name, name_w + 1.0, row_px, false);
        let t = Txt::new(row_px, TEXT.to_rgba()).anchor(HPos::Right);
        p.text(&name, (px(left - 10.0), px(y0 + ch / 2.0)), t)?;
        for c in 0..nc {
            let x0 = left + c as f64 * (cw + gap);
            let (a, b) = ((px(x0), px(y0)), (px(x0 + cw), px(y0 + ch)));
            let v = value(r, c);
            if v > 0.0 && max > 0.0 {
                // Offset the ramp so the smallest sale still reads as "not empty".
                let fill = shade(0.08 + 0.92 * v / max);
                p.rect(a, b, fill.to_rgba())?;
                let text = abbreviate(v);
                let ink = if is_dark(fill) { WHITE } else { TEXT };
                if text_width(&text, value_px, false) + 6.0 <= cw && ch >= value_px as f64 + 3.0 {
                    let t = Txt::new(value_px, ink.to_rgba()).anchor(HPos::Center);
                    p.text(&text, (px(x0 + cw / 2.0), px(y0 + ch / 2.0)), t)?;
                }
            } else {
                p.frame(a, (b.0 - 1, b.1 - 1), GRID_GREY.mix(0.6))?;
                let text = abbreviate(v);
                if v < 0.0
                    && text_width(&text, value_px, false) + 6.0 <= cw
                    && ch >= value_px as f64 + 3.0
                {
                    let t = Txt::new(value_px, MUTED.to_rgba()).anchor(HPos::Center);
                    p.text(&text, (px(x0 + cw / 2.0), px(y0 + ch / 2.0)), t)?;
                }
            }
        }
    }

    // Column headers: every k-th when they would otherwise collide.
    let header_w =
        chart.columns.iter().map(|s| text_width(&clean(s), 11, false)).fold(0.0, f64::max) + 6.0;
    let k = [1usize, 2, 3, 4, 6, 12]
        .into_iter()
        .find(|k| *k as f64 * (cw + gap) >= header_w)
        .unwrap_or_else(|| (header_w / (cw + gap)).ceil() as usize);
    let head = Txt::new(11, MUTED.to_rgba()).anchor(HPos::Center);
    for (c, label) in chart.columns.iter().enumerate().step_by(k) {
        let x = left + c as f64 * (cw + gap) + cw / 2.0;
        let label = fit(label, (k as f64 * (cw + gap) - 4.0).max(cw), 11, false);
        p.text(&label, (px(x), px(top - 11.0)), head)?;
    }

    if show_scale {
        let y = px(grid_bottom + 18.0);
        let steps = [0.2, 0.4, 0.6, 0.8, 1.0];
        let max_label = abbreviate(max);
        let sw = 16.0;
        let span = 4.0 + text_width("0", 10, false) + 6.0 + sw * steps.len() as f64 + 6.0;
        let mut x = right - span - text_width(&max_label, 10, false);
        let t = Txt::new(10, MUTED.to_rgba());
        p.text("0", (px(x), y), t)?;
        x += text_width("0", 10, false) + 6.0;
        for s in steps {
            p.rect((px(x), y - 5), (px(x + sw), y + 5), shade(0.08 + 0.92 * s).to_rgba())?;
            x += sw;
        }
        p.text(&max_label, (px(x + 6.0), y), t)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pareto() -> ParetoChart {
        let revenues: Vec<f64> = (1..=1500).rev().map(|i| (i as f64).powf(2.2)).collect();
        ParetoChart {
            revenues,
            cuts: vec![("A".into(), 0.8, 0.2), ("B".into(), 0.95, 0.5), ("C".into(), 1.0, 1.0)],
            x_label: "Share of customers".into(),
            y_label: "Share of revenue".into(),
        }
    }

    fn matrix() -> MatrixChart {
        let mut points = Vec::new();
        for i in 0..60usize {
            points.push(MatrixPoint {
                column: i % 3,
                row: (i / 3) % 3,
                x: (i * 37 % 100) as f64 / 100.0,
                y: (i * 53 % 100) as f64 / 100.0,
                weight: (i * 7919 % 1000) as f64,
                highlight: None,
            });
        }
        points.push(MatrixPoint {
            column: 2,
            row: 2,
            x: 0.6,
            y: 0.5,
            weight: 500.0,
            highlight: Some("Müller & Söhne <GmbH>".into()),
        });
        MatrixChart {
            x_labels: vec!["Low".into(), "Medium".into(), "High".into()],
            y_labels: vec!["Low".into(), "Medium".into(), "High".into()],
            x_title: "Customer attractiveness".into(),
            y_title: "Supplier position".into(),
            cell_titles: vec![
                vec!["Withdraw".into(), "Develop".into(), "Invest".into()],
                vec!["Maintain".into(), "Selective".into(), "Grow".into()],
                vec!["Harvest".into(), "Defend".into(), "Key accounts".into()],
            ],
            points,
            cell_counts: vec![],
        }
    }

    fn monthly(n: usize) -> MonthlyChart {
        const M: [&str; 12] =
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        MonthlyChart {
            labels: (0..n).map(|i| format!("{} {}", M[i % 12], 24 + i / 12)).collect(),
            current: (0..n)
                .map(|i| if i == 5 { -20_000.0 } else { 50_000.0 + (i * 7_331 % 40_000) as f64 })
                .collect(),
            previous: (0..n).map(|i| 45_000.0 + (i * 5_113 % 30_000) as f64).collect(),
            current_label: "This period".into(),
            previous_label: "Previous period".into(),
        }
    }

    fn mix() -> MixChart {
        MixChart {
            categories: vec![
                "Hydraulics".into(),
                "Spare parts & service".into(),
                "Industrial fasteners and fixing systems".into(),
                "Credits".into(),
            ],
            current: vec![1_250_000.0, 480_000.0, 95_500.0, -12_000.0],
            previous: vec![1_100_000.0, 520_000.0, 60_000.0, 0.0],
            current_label: "This period".into(),
            previous_label: "Previous period".into(),
        }
    }

    fn grid() -> GridChart {
        GridChart {
            rows: vec!["Hydraulics".into(), "Pneumatics".into(), "Service".into()],
            columns: vec!["Q1 24".into(), "Q2 24".into(), "Q3 24".into(), "Q4 24".into()],
            values: vec![
                vec![120_000.0, 135_000.0, 0.0, 150_000.0],
                vec![8_000.0, 9_500.0, 12_000.0, -1_500.0],
                vec![45_000.0, 0.0, 52_000.0, 61_000.0],
            ],
        }
    }

    fn all_svgs() -> Vec<String> {
        vec![
            pareto_svg(&pareto(), (640, 320)),
            matrix_svg(&matrix(), (640, 420)),
            monthly_svg(&monthly(24), (640, 300)),
            mix_svg(&mix(), (640, 300)),
            grid_svg(&grid(), (640, 300)),
        ]
    }

    /// Check the parts of XML well-formedness that label text could break.
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg"), "not an svg: {}", &svg[..svg.len().min(80)]);
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(!svg.chars().any(|c| c.is_control() && c != '\n'));
        let mut rest = svg;
        while let Some(i) = rest.find('&') {
            rest = &rest[i..];
            let ok =
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest.starts_with(e));
            assert!(ok, "bare ampersand near {}", &rest[..rest.len().min(20)]);
            rest = &rest[1..];
        }
        for element in svg.split('<').skip(1) {
            let tag = element.split('>').next().unwrap_or("");
            assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
            let text = element.split_once('>').map_or("", |(_, t)| t);
            assert!(!text.contains('>'), "raw '>' in text: {text}");
        }
    }

    #[test]
    fn charts_are_deterministic_and_use_inter() {
        let first = all_svgs();
        let second = all_svgs();
        assert_eq!(first, second);
        for svg in &first {
            assert_well_formed(svg);
            assert!(svg.contains("font-family=\"Inter\""));
            assert!(!svg.contains("sans-serif"));
        }
    }

    #[test]
    fn font_sizes_are_written_exactly() {
        for size in [8, 9, 10, 11, 12, 14] {
            assert_eq!(plotters_size(size) / 1.24, size as f64);
        }
        let svg = matrix_svg(&matrix(), (640, 420));
        assert!(svg.contains("font-size=\"12\""));
        assert!(!svg.contains("font-size=\"12.0"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let sizes = [(640, 300), (0, 0), (100, 50), (2000, 1500)];
        for size in sizes {
            let mut out = Vec::new();
            out.push(pareto_svg(
                &ParetoChart {
                    revenues: vec![],
                    cuts: vec![],
                    x_label: String::new(),
                    y_label: String::new(),
                },
                size,
            ));
            out.push(pareto_svg(
                &ParetoChart {
                    revenues: vec![42.0],
                    cuts: vec![("A".into(), 1.0, 1.0)],
                    x_label: "x".into(),
                    y_label: "y".into(),
                },
                size,
            ));
            out.push(pareto_svg(
                &ParetoChart {
                    revenues: vec![-5.0, 0.0, 3.0, 10.0],
                    cuts: vec![("A".into(), 2.0, -1.0), ("B".into(), 0.5, 0.3)],
                    x_label: "x".into(),
                    y_label: "y".into(),
                },
                size,
            ));
            let mut m = matrix();
            m.points.push(MatrixPoint {
                column: 9,
                row: 9,
                x: -3.0,
                y: 7.0,
                weight: -1.0,
                highlight: Some(String::new()),
            });
            m.cell_titles = vec![vec![]];
            out.push(matrix_svg(&m, size));
            out.push(matrix_svg(
                &MatrixChart {
                    x_labels: vec![],
                    y_labels: vec![],
                    x_title: String::new(),
                    y_title: String::new(),
                    cell_titles: vec![],
                    points: vec![],
                    cell_counts: vec![],
                },
                size,
            ));
            out.push(matrix_svg(
                &MatrixChart {
                    x_labels: vec!["Only".into()],
                    y_labels: vec!["Only".into()],
                    x_title: String::new(),
                    y_title: String::new(),
                    cell_titles: vec![],
                    points: vec![MatrixPoint {
                        column: 0,
                        row: 0,
                        x: 0.5,
                        y: 0.5,
                        weight: 0.0,
                        highlight: None,
                    }],
                    cell_counts: vec![],
                },
                size,
            ));
            for n in [0, 1, 36] {
                let mut c = monthly(n);
                out.push(monthly_svg(&c, size));
                c.previous = vec![0.0; n];
                out.push(monthly_svg(&c, size));
                c.current = vec![0.0; n];
                out.push(monthly_svg(&c, size));
                c.current = vec![-5.0; n];
                c.previous.clear();
                out.push(monthly_svg(&c, size));
            }
            let mut x = mix();
            out.push(mix_svg(&x, size));
            x.current = vec![0.0; 4];
            x.previous = vec![0.0; 4];
            out.push(mix_svg(&x, size));
            x.current = vec![-1.0, -2.0];
            out.push(mix_svg(&x, size));
            x.categories.clear();
            out.push(mix_svg(&x, size));
            let mut g = grid();
            g.values = vec![vec![0.0; 4]; 3];
            out.push(grid_svg(&g, size));
            g.values = vec![vec![-1.0]];
            out.push(grid_svg(&g, size));
            g.columns.clear();
            out.push(grid_svg(&g, size));
            for svg in &out {
                assert_well_formed(svg);
                assert!(svg.contains("font-family=\"Inter\""));
            }
        }
    }

    #[test]
    fn empty_inputs_say_no_data() {
        let svg = monthly_svg(&monthly(0), (640, 300));
        assert!(svg.contains("No data"));
        let mut g = grid();
        g.values = vec![vec![0.0; 4]; 3];
        assert!(grid_svg(&g, (640, 300)).contains("No data"));
    }

    #[test]
    fn highlighted_point_is_labelled_and_escaped() {
        let svg = matrix_svg(&matrix(), (640, 420));
        assert!(svg.contains("Müller &amp; Söhne &lt;GmbH&gt;"));
        assert!(svg.contains("fill=\"#D9822B\""));
        assert_well_formed(&svg);
    }

    #[test]
    fn hostile_label_text_stays_valid_xml() {
        let mut m = mix();
        m.categories[0] = "A \"quoted\" <b> & 'x'\u{0}\u{1b}\n".into();
        m.current_label = "This & <that>".into();
        let svg = mix_svg(&m, (640, 300));
        assert_well_formed(&svg);
        assert!(svg.contains("A &quot;quoted&quot; &lt;b&gt; &amp; &apos;x&apos;"));
        assert!(svg.contains("This &amp; &lt;that&gt;"));
    }

    #[test]
    fn long_category_names_are_truncated() {
        let svg = mix_svg(&mix(), (640, 300));
        assert!(!svg.contains("Industrial fasteners and fixing systems"));
        assert!(svg.contains("Industrial fasteners…"));
        assert_eq!(truncate_chars("Industrial fasteners and fixing", 22).chars().count(), 21);
        assert_eq!(truncate_chars("Short", 22), "Short");
        let g = GridChart {
            rows: vec!["An extremely long product category name".into()],
            columns: vec!["Q1".into()],
            values: vec![vec![1.0]],
        };
        assert!(grid_svg(&g, (640, 300)).contains("…"));
    }

    #[test]
    fn pareto_curve_is_downsampled_keeping_ends() {
        let revenues: Vec<f64> = (0..5000).map(|i| 5000.0 - i as f64).collect();
        let curve = pareto_curve(&revenues);
        assert!(curve.len() <= MAX_CURVE_POINTS);
        assert_eq!(curve[0], (0.0, 0.0));
        assert_eq!(*curve.last().unwrap(), (1.0, 1.0));
        assert!(curve.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
    }

    #[test]
    fn numbers_are_abbreviated() {
        assert_eq!(abbreviate(1_234_567.0), "1.2M");
        assert_eq!(abbreviate(350_000.0), "350k");
        assert_eq!(abbreviate(12_500_000.0), "12.5M");
        assert_eq!(abbreviate(-12_000.0), "\u{2212}12k");
        assert_eq!(abbreviate(999_960.0), "1M");
        assert_eq!(abbreviate(850.0), "850");
        assert_eq!(abbreviate(0.0), "0");
        assert_eq!(abbreviate(-0.01), "0");
        assert_eq!(abbreviate_with(1_250_000.0, 2), "1.25M");
        assert_eq!(abbreviate(2.5e9), "2.5B");
        assert_eq!(percent(0.8), "80%");
    }

    #[test]
    fn ticks_cover_the_range() {
        let t = nice_ticks(-20_000.0, 95_000.0, 5);
        assert!(t[0] <= -20_000.0 && *t.last().unwrap() >= 95_000.0);
        assert!(t.contains(&0.0));
        assert!(nice_ticks(0.0, 0.0, 4).len() >= 2);
    }
}
