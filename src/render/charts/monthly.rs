//! Monthly revenue: this period as bars, the previous one as a line.

use super::*;
use plotters::style::text_anchor::HPos;

/// Render monthly revenue bars with the previous period as a line, as an SVG string.
pub fn monthly_svg(chart: &MonthlyChart, size: (u32, u32)) -> String {
    let n = chart.labels.len();
    let all_zero = (0..n).all(|i| at(&chart.current, i) == 0.0 && at(&chart.previous, i) == 0.0);
    if n == 0 || all_zero {
        return no_data_svg(chart.locale, size);
    }
    render(chart.locale, size, |p, w, h| draw_monthly(p, chart, w, h))
}

fn draw_monthly(p: &Painter, chart: &MonthlyChart, w: f64, h: f64) -> Drawn {
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
    let tick_labels: Vec<String> =
        ticks.iter().map(|v| abbreviate_with(chart.locale, *v, 2)).collect();
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
