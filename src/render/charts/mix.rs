//! Revenue by product category, this period against the previous one.

use super::*;
use plotters::style::text_anchor::HPos;

/// Render revenue per category as paired horizontal bars, as an SVG string.
pub fn mix_svg(chart: &MixChart, size: (u32, u32)) -> String {
    let n = chart.categories.len();
    let all_zero = (0..n).all(|i| at(&chart.current, i) == 0.0 && at(&chart.previous, i) == 0.0);
    if n == 0 || all_zero {
        return no_data_svg(chart.locale, size);
    }
    render(chart.locale, size, |p, w, h| draw_mix(p, chart, w, h))
}

fn draw_mix(p: &Painter, chart: &MixChart, w: f64, h: f64) -> Drawn {
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
            .map(|v| text_width(&value_label(chart, *v), value_px, false) + 8.0)
            .fold(0.0, f64::max)
    };
    let left = 8.0 + name_w + 10.0 + label_room(true);
    let right = w - 8.0 - label_room(false).max(12.0);
    let (d_lo, d_hi, ticks) = value_axis(lo, hi, ((right - left) / 90.0).clamp(2.0, 6.0) as usize);
    let fx = |v: f64| px(scale(v, d_lo, d_hi, left, right));

    let grid = GRID_GREY.mix(0.45);
    let tick = Txt::new(11, MUTED.to_rgba()).anchor(HPos::Center);
    for v in &ticks {
        if *v != 0.0 {
            p.line(vec![(fx(*v), px(top)), (fx(*v), px(bottom))], grid, 1)?;
        }
        p.text(&tick_label(chart, *v), (fx(*v), px(bottom + 12.0)), tick)?;
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
                    p.text(&value_label(chart, v), (fx(v) + 4, yc), t)?;
                } else {
                    p.text(&value_label(chart, v), (fx(v) - 4, yc), t.anchor(HPos::Right))?;
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

/// The value axis for data from `lo` to `hi` (`lo` ≤ 0 ≤ `hi`) with about
/// `target` ticks: its ends and its ticks. The axis runs on to the first tick
/// past the largest value, so the longest bar ends under a labelled tick
/// rather than beyond the last one; on the negative side it stops at the
/// data, so a small credit note does not take a whole tick step of the width.
pub(super) fn value_axis(lo: f64, hi: f64, target: usize) -> (f64, f64, Vec<f64>) {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let all = nice_ticks(lo, hi, target);
    let eps = (hi - lo) * 1e-9;
    let top = all.iter().copied().find(|v| *v >= hi - eps).unwrap_or(hi);
    let ticks = all.into_iter().filter(|v| *v >= lo - eps && *v <= top + eps).collect();
    (lo, top, ticks)
}

/// A bar's value: abbreviated money, or a whole percentage for shares.
fn value_label(chart: &MixChart, v: f64) -> String {
    if chart.shares {
        format!("{}%", abbreviate_with(chart.locale, v * 100.0, 0))
    } else {
        abbreviate(chart.locale, v)
    }
}

fn tick_label(chart: &MixChart, v: f64) -> String {
    if chart.shares {
        format!("{}%", abbreviate_with(chart.locale, v * 100.0, 0))
    } else {
        abbreviate_with(chart.locale, v, 2)
    }
}
