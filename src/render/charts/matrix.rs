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

fn draw_matrix(p: &Painter, chart: &MatrixChart, w: f64, h: f64, layer: Layer) -> Drawn {
    let whole = layer == Layer::Whole;
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

    for row in (0..nr).filter(|_| whole) {
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
    // A cell title too wide for its cell takes two lines when the cell is
    // tall enough, rather than losing its end.
    let two_lines = ch >= 60.0;
    let titles: Vec<Vec<Vec<String>>> = (0..nr)
        .map(|row| {
            (0..nc)
                .map(|col| {
                    let c = cell(col, row);
                    let title = chart.cell_titles.get(row).and_then(|r| r.get(col));
                    match title {
                        Some(t) if two_lines => wrap_two(t, c.r - c.l - 14.0, 11, true),
                        Some(t) => vec![fit(t, c.r - c.l - 14.0, 11, true)],
                        None => Vec::new(),
                    }
                })
                .collect()
        })
        .collect();
    let wrapped = titles.iter().flatten().any(|t| t.len() > 1);
    let title_band = if wrapped { 31.0f64.min(ch * 0.4) } else { 18.0f64.min(ch * 0.3) };
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
    for (_, q) in plain.iter().filter(|_| whole) {
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
    for row in (0..nr).filter(|_| whole) {
        for col in 0..nc {
            let c = cell(col, row);
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
        // The account's whole name when it fits half the chart's width.
        let label = fit(q.highlight.as_deref().unwrap_or(""), (w * 0.5).max(120.0), 11, true);
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

    if !whole {
        return Ok(());
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
