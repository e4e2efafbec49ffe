//! The sales-by-product grid (vendogram).

use super::*;
use plotters::style::text_anchor::HPos;

/// Render the sales grid with cells shaded by revenue, as an SVG string.
pub fn grid_svg(chart: &GridChart, size: (u32, u32)) -> String {
    let (nr, nc) = (chart.rows.len(), chart.columns.len());
    let value = |r: usize, c: usize| chart.values.get(r).map_or(0.0, |row| at(row, c));
    let all_zero = (0..nr).all(|r| (0..nc).all(|c| value(r, c) == 0.0));
    if nr == 0 || nc == 0 || all_zero {
        return no_data_svg(chart.locale, size);
    }
    render(chart.locale, size, |p, w, h| draw_grid(p, chart, w, h))
}

fn draw_grid(p: &Painter, chart: &GridChart, w: f64, h: f64) -> Drawn {
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
    // A row name may carry a marker (" · gap"), so it gets more room than a
    // bare category name; the width cap below still applies.
    let names: Vec<String> =
        chart.rows.iter().map(|s| truncate_chars(s, MAX_NAME_CHARS + 8)).collect();
    let name_w =
        names.iter().map(|s| text_width(s, row_px, false)).fold(0.0, f64::max).min(w * 0.32);
    let left = 8.0 + name_w + 10.0;
    let right = w - 8.0;
    let cw = ((right - left - gap * (nc - 1) as f64) / nc as f64).max(1.0);
    let grid_bottom = top + nr as f64 * ch + (nr - 1) as f64 * gap;
    let labels: Vec<String> = (0..nr)
        .flat_map(|r| (0..nc).map(move |c| (r, c)))
        .map(|(r, c)| value(r, c))
        .filter(|v| *v != 0.0)
        .map(|v| abbreviate(chart.locale, v))
        .collect();
    let (value_px, bare) = cell_type(&labels, cw, ch);
    // The figure alone when every value has the same unit ("3,2" for "3,2 mila"):
    // the scale under the grid names the unit.
    let cell_text = |v: f64| {
        let text = abbreviate(chart.locale, v);
        match text.split_once('\u{a0}') {
            Some((figure, _)) if bare => figure.to_string(),
            _ => text,
        }
    };

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
                let text = cell_text(v);
                let ink = if is_dark(fill) { WHITE } else { TEXT };
                let t = Txt::new(value_px, ink.to_rgba()).anchor(HPos::Center);
                let fits = |s: &str| text_width(s, value_px, false) + 6.0 <= cw;
                if fits(&text) && ch >= value_px as f64 + 3.0 {
                    p.text(&text, (px(x0 + cw / 2.0), px(y0 + ch / 2.0)), t)?;
                } else if let Some((figure, unit)) = text.split_once('\u{a0}')
                    && fits(figure)
                    && fits(unit)
                    && ch >= 2.0 * value_px as f64 + 4.0
                {
                    // A long suffix ("3,2 mila") goes under its figure.
                    let half = value_px as f64 / 2.0 + 1.0;
                    p.text(figure, (px(x0 + cw / 2.0), px(y0 + ch / 2.0 - half)), t)?;
                    p.text(unit, (px(x0 + cw / 2.0), px(y0 + ch / 2.0 + half)), t)?;
                }
            } else {
                p.frame(a, (b.0 - 1, b.1 - 1), GRID_GREY.mix(0.6))?;
                let text = cell_text(v);
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
    // Figures without their unit: the unit heads the column of names.
    if let Some((_, unit)) = labels.first().and_then(|l| l.split_once('\u{a0}')).filter(|_| bare) {
        let t = Txt::new(11, MUTED.to_rgba()).anchor(HPos::Right);
        p.text(unit, (px(left - 10.0), px(top - 11.0)), t)?;
    }
    for (c, label) in chart.columns.iter().enumerate().step_by(k) {
        let x = left + c as f64 * (cw + gap) + cw / 2.0;
        let label = fit(label, (k as f64 * (cw + gap) - 4.0).max(cw), 11, false);
        p.text(&label, (px(x), px(top - 11.0)), head)?;
    }

    if show_scale {
        let y = px(grid_bottom + 18.0);
        let steps = [0.2, 0.4, 0.6, 0.8, 1.0];
        let max_label = abbreviate(chart.locale, max);
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

/// Smallest type size of a cell value.
const MIN_VALUE_PX: u32 = 9;

/// Type size of the cell values, and whether they are written without their
/// unit. The largest size, up to 11 px (10 px in short cells), at which every
/// value fits its cell on one line; one size for the whole grid, so the
/// figures read as one table. When even the smallest is too wide ("3,2 mila"
/// in a month's column) and every value has the same unit, the figures go
/// without it; failing that a value splits over two lines.
pub(super) fn cell_type(labels: &[String], cw: f64, ch: f64) -> (u32, bool) {
    let largest = if ch >= 18.0 { 11 } else { 10 };
    let fitting = |texts: &[&str]| {
        (MIN_VALUE_PX..=largest)
            .rev()
            .find(|px| texts.iter().all(|l| text_width(l, *px, false) + 6.0 <= cw))
    };
    let whole: Vec<&str> = labels.iter().map(String::as_str).collect();
    if let Some(px) = fitting(&whole) {
        return (px, false);
    }
    let units: Vec<Option<&str>> =
        labels.iter().map(|l| l.split_once('\u{a0}').map(|(_, unit)| unit)).collect();
    let one_unit = units.first().is_some_and(|u| u.is_some() && units.iter().all(|x| x == u));
    if one_unit {
        let figures: Vec<&str> =
            labels.iter().filter_map(|l| l.split_once('\u{a0}')).map(|(f, _)| f).collect();
        if let Some(px) = fitting(&figures) {
            return (px, true);
        }
    }
    (MIN_VALUE_PX, false)
}
