//! The Pareto curve with the ABC zones.

use super::*;
use plotters::style::text_anchor::HPos;

/// Render the Pareto curve with shaded ABC zones as an SVG string.
pub fn pareto_svg(chart: &ParetoChart, size: (u32, u32)) -> String {
    let mut revenues: Vec<f64> =
        chart.revenues.iter().copied().filter(|v| v.is_finite() && *v > 0.0).collect();
    if revenues.is_empty() {
        return no_data_svg(chart.locale, size);
    }
    // Sorting again keeps the curve concave even if the caller's order slipped.
    revenues.sort_by(|a, b| b.total_cmp(a));
    render(chart.locale, size, |p, w, h| draw_pareto(p, chart, &revenues, w, h))
}

/// Cumulative (customer share, revenue share) points, downsampled evenly by customer index.
pub(super) fn pareto_curve(revenues: &[f64]) -> Vec<(f64, f64)> {
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

fn draw_pareto(p: &Painter, chart: &ParetoChart, revenues: &[f64], w: f64, h: f64) -> Drawn {
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
