//! A revenue bridge: the previous period's revenue, each effect floating
//! from the level the ones before it reached, and this period's revenue.

use super::*;
use plotters::style::text_anchor::HPos;

/// Colour of a step that raises revenue.
const UP: RGBColor = RGBColor(0x3A, 0x8A, 0x5C);
/// Colour of a step that lowers it.
const DOWN: RGBColor = RGBColor(0xC0, 0x50, 0x3A);

/// Render a bridge from `start` through `steps` to `end`, as an SVG string.
pub fn waterfall_svg(chart: &WaterfallChart, size: (u32, u32)) -> String {
    let levels = levels(chart);
    if levels.iter().all(|v| *v == 0.0) {
        return no_data_svg(chart.locale, size);
    }
    render(chart.locale, size, |p, w, h| draw_waterfall(p, chart, w, h))
}

/// The running level after the start and each step, then the end.
fn levels(chart: &WaterfallChart) -> Vec<f64> {
    let mut level = finite(chart.start.1);
    let mut out = vec![level];
    for (_, v) in &chart.steps {
        level += finite(*v);
        out.push(level);
    }
    out.push(finite(chart.end.1));
    out
}

/// Where the value axis starts: at zero, unless the levels all lie within
/// 10% of the lowest, so that the steps would be slivers; then below the
/// lowest level (the documents say so under the chart).
pub fn axis_floor(chart: &WaterfallChart) -> f64 {
    let levels = levels(chart);
    let lo = levels.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = levels.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo <= 0.0 || hi - lo >= lo * 0.1 {
        return 0.0;
    }
    let ticks = nice_ticks(lo - (hi - lo) * 0.6, hi, 5);
    ticks.into_iter().filter(|t| *t <= lo - (hi - lo) * 0.25).fold(0.0, f64::max)
}

fn draw_waterfall(p: &Painter, chart: &WaterfallChart, w: f64, h: f64) -> Drawn {
    let levels = levels(chart);
    let floor = axis_floor(chart);
    let lo = if floor > 0.0 { floor } else { levels.iter().copied().fold(0.0, f64::min) };
    let hi = levels.iter().copied().fold(0.0, f64::max);
    let n = chart.steps.len() + 2;

    let label_px = if n > 7 { 9 } else { 10 };
    let top = 22.0;
    let bottom = h - (8.0 + 2.0 * (label_px as f64 + 2.0) + 6.0);
    let ticks: Vec<f64> = nice_ticks(lo, hi, ((bottom - top) / 50.0).clamp(3.0, 6.0) as usize)
        .into_iter()
        .filter(|t| *t >= lo - (hi - lo) * 1e-9)
        .collect();
    let (t_lo, t_hi) = (lo, ticks.last().copied().unwrap_or(hi).max(hi));
    let tick_labels: Vec<String> =
        ticks.iter().map(|v| abbreviate_with(chart.locale, *v, 2)).collect();
    let tick_w = tick_labels.iter().map(|s| text_width(s, 10, false)).fold(0.0, f64::max);
    let left = 8.0 + tick_w + 8.0;
    let right = w - 8.0;
    let fy = |v: f64| px(scale(v.max(t_lo), t_lo, t_hi, bottom, top));
    let slot = (right - left) / n as f64;
    let center = |i: usize| left + (i as f64 + 0.5) * slot;

    let grid = GRID_GREY.mix(0.45);
    let tick = Txt::new(10, MUTED.to_rgba()).anchor(HPos::Right);
    for (v, label) in ticks.iter().zip(&tick_labels) {
        p.line(vec![(px(left), fy(*v)), (px(right), fy(*v))], grid, 1)?;
        p.text(label, (px(left - 6.0), fy(*v)), tick)?;
    }

    let bar_w = (slot * 0.62).round().clamp(2.0, 56.0) as i32;
    let value_px = label_px;
    let bar = |i: usize, from: f64, to: f64, fill: RGBColor, text: String| -> Drawn {
        let x0 = px(center(i) - f64::from(bar_w) / 2.0);
        let (y_from, y_to) = (fy(from), fy(to));
        let (y_top, y_bottom) = (y_from.min(y_to), y_from.max(y_to));
        p.rect((x0, y_top), (x0 + bar_w, y_bottom.max(y_top + 1)), fill.to_rgba())?;
        let t = Txt::new(value_px, TEXT.to_rgba()).anchor(HPos::Center);
        // A fall is labelled under its bar, clear of the connector at its top.
        let y = if to < from { y_bottom + 8 } else { y_top - 7 };
        p.text(&text, (px(center(i)), y), t)
    };
    // A thin connector from the end of bar `i` to the next bar, at `level`.
    let connect = |i: usize, level: f64| -> Drawn {
        let half = f64::from(bar_w) / 2.0;
        let (from, to) = (px(center(i) + half), px(center(i + 1) - half));
        p.line(vec![(from, fy(level)), (to, fy(level))], GRID_GREY.to_rgba(), 1)
    };
    let mut level = levels[0];
    bar(0, floor, level, PREVIOUS_GREY, total_label(chart.locale, level))?;
    connect(0, level)?;
    for (i, (_, v)) in chart.steps.iter().enumerate() {
        let v = finite(*v);
        let next = level + v;
        let sign = if v > 0.0 { "+" } else { "" };
        let colour = if v >= 0.0 { UP } else { DOWN };
        bar(i + 1, level, next, colour, format!("{sign}{}", abbreviate(chart.locale, v)))?;
        connect(i + 1, next)?;
        level = next;
    }
    let end = levels[levels.len() - 1];
    bar(n - 1, floor, end, NAVY, total_label(chart.locale, end))?;
    p.line(vec![(px(left), px(bottom)), (px(right), px(bottom))], GRID_GREY.to_rgba(), 1)?;

    // Labels under the bars, on up to two lines.
    let lab = Txt::new(label_px, MUTED.to_rgba()).anchor(HPos::Center);
    let names = std::iter::once(&chart.start.0)
        .chain(chart.steps.iter().map(|(name, _)| name))
        .chain(std::iter::once(&chart.end.0));
    for (i, name) in names.enumerate() {
        for (k, line) in wrap_two(name, slot - 4.0, label_px, false).iter().enumerate() {
            let y = bottom + 10.0 + k as f64 * (label_px as f64 + 2.0);
            p.text(line, (px(center(i)), px(y)), lab)?;
        }
    }
    Ok(())
}

/// A total's label with three significant figures (`1.57M`, `14.5k`), so
/// the two totals show the change the steps explain.
fn total_label(locale: crate::locale::Locale, v: f64) -> String {
    let a = v.abs();
    let unit = [1e9, 1e6, 1e3].into_iter().find(|s| a >= *s).map_or(a, |s| a / s);
    abbreviate_with(
        locale,
        v,
        if unit < 10.0 {
            2
        } else if unit < 100.0 {
            1
        } else {
            0
        },
    )
}
