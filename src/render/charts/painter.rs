//! Drawing primitives shared by the charts: a painter speaking in pixels,
//! text metrics for Inter, number formatting, ticks, colours and legends.

use super::*;
use crate::locale::Locale;
use plotters::coord::Shift;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, RGBAColor};

pub(super) type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;
pub(super) type Point = (i32, i32);

/// Thin wrapper over the root area so chart code speaks in pixels and colours only.
pub(super) struct Painter<'p, 'b> {
    area: &'p DrawingArea<SVGBackend<'b>, Shift>,
}

/// How one text element is drawn.
#[derive(Clone, Copy)]
pub(super) struct Txt {
    px: u32,
    color: RGBAColor,
    h: HPos,
    v: VPos,
    bold: bool,
    rotated: bool,
}

impl Txt {
    pub(super) fn new(px: u32, color: RGBAColor) -> Self {
        Txt { px, color, h: HPos::Left, v: VPos::Center, bold: false, rotated: false }
    }

    pub(super) fn anchor(mut self, h: HPos) -> Self {
        self.h = h;
        self
    }

    pub(super) fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    pub(super) fn rotated(mut self) -> Self {
        self.rotated = true;
        self
    }
}

impl Painter<'_, '_> {
    pub(super) fn rect(&self, a: Point, b: Point, color: RGBAColor) -> Drawn {
        let (l, r) = (a.0.min(b.0), a.0.max(b.0));
        let (t, btm) = (a.1.min(b.1), a.1.max(b.1));
        if l == r || t == btm {
            return Ok(());
        }
        self.area.draw(&Rectangle::new([(l, t), (r, btm)], color.filled()))
    }

    pub(super) fn frame(&self, a: Point, b: Point, color: RGBAColor) -> Drawn {
        let (l, r) = (a.0.min(b.0), a.0.max(b.0));
        let (t, btm) = (a.1.min(b.1), a.1.max(b.1));
        let style = ShapeStyle { color, filled: false, stroke_width: 1 };
        self.area.draw(&Rectangle::new([(l, t), (r, btm)], style))
    }

    pub(super) fn line(&self, points: Vec<Point>, color: RGBAColor, width: u32) -> Drawn {
        if points.len() < 2 {
            return Ok(());
        }
        self.area.draw(&PathElement::new(points, color.stroke_width(width)))
    }

    /// Draw a dashed straight line as separate segments, since the backend has no dash attribute.
    pub(super) fn dashed(
        &self,
        from: Point,
        to: Point,
        color: RGBAColor,
        dash: f64,
        gap: f64,
    ) -> Drawn {
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

    pub(super) fn disc(&self, center: Point, radius: u32, color: RGBAColor) -> Drawn {
        self.area.draw(&Circle::new(center, radius, color.filled()))
    }

    pub(super) fn text(&self, s: &str, at: Point, t: Txt) -> Drawn {
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
pub(super) fn render<F>(locale: Locale, size: (u32, u32), draw: F) -> String
where
    F: FnOnce(&Painter, f64, f64) -> Drawn,
{
    try_render(size, draw).unwrap_or_else(|| no_data_svg(locale, size))
}

pub(super) fn try_render<F>(size: (u32, u32), draw: F) -> Option<String>
where
    F: FnOnce(&Painter, f64, f64) -> Drawn,
{
    draw_svg(size, true, draw)
}

/// Like `render`, without the white background, for a layer laid over another chart.
pub(super) fn render_transparent<F>(size: (u32, u32), draw: F) -> String
where
    F: FnOnce(&Painter, f64, f64) -> Drawn,
{
    draw_svg(size, false, draw).unwrap_or_default()
}

fn draw_svg<F>(size: (u32, u32), background: bool, draw: F) -> Option<String>
where
    F: FnOnce(&Painter, f64, f64) -> Drawn,
{
    let size = (size.0.max(MIN_SIZE.0), size.1.max(MIN_SIZE.1));
    let mut buf = String::new();
    let ok = {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        let painter = Painter { area: &root };
        (!background || root.fill(&WHITE).is_ok())
            && draw(&painter, size.0 as f64, size.1 as f64).is_ok()
            && root.present().is_ok()
    };
    ok.then_some(buf)
}

/// The picture of a chart without data: "No data" in the document's language.
pub(super) fn no_data_svg(locale: Locale, size: (u32, u32)) -> String {
    try_render(size, |p, w, h| {
        let t = Txt::new(12, MUTED.to_rgba()).anchor(HPos::Center);
        p.text(locale.text("No data"), (px(w / 2.0), px(h / 2.0)), t)
    })
    .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Text and number helpers
// ---------------------------------------------------------------------------

pub(super) fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Return the plotters font size that the SVG backend writes as exactly `target` px.
///
/// The backend divides the size by 1.24 before printing, which would otherwise
/// leave sizes like `9.999999999999998` in the output. A few sizes (13, 15) have
/// no exact preimage; they come out a hair off, so the charts avoid them.
pub(super) fn plotters_size(target: u32) -> f64 {
    let want = target as f64;
    let base = want * 1.24;
    (0..=8u64)
        .flat_map(|k| [base.to_bits() + k, base.to_bits().saturating_sub(k)])
        .map(f64::from_bits)
        .find(|s| s / 1.24 == want)
        .unwrap_or(base)
}

/// Replace characters that XML forbids even when escaped, and line breaks the backend cannot draw.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Advance widths of Inter Regular for ASCII 32..=126, in thousandths of an em.
pub(super) const INTER_WIDTHS: [u16; 95] = [
    281, 278, 403, 631, 638, 812, 639, 222, 362, 362, 500, 659, 280, 460, 276, 357, 625, 464, 605,
    636, 642, 608, 624, 571, 616, 624, 276, 280, 659, 659, 659, 507, 936, 676, 651, 727, 719, 598,
    587, 743, 740, 264, 543, 652, 562, 889, 753, 761, 635, 761, 639, 638, 642, 741, 676, 949, 642,
    665, 625, 362, 357, 362, 469, 452, 497, 564, 621, 558, 621, 582, 361, 609, 591, 237, 237, 544,
    237, 869, 585, 597, 609, 609, 372, 523, 364, 581, 557, 812, 540, 557, 541, 362, 327, 362, 659,
];

/// Estimate the rendered width of `s` in Inter, since the SVG backend cannot measure text.
pub(super) fn text_width(s: &str, px: u32, bold: bool) -> f64 {
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
pub(super) fn fit(s: &str, max_w: f64, px: u32, bold: bool) -> String {
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

/// `s` on one line when it fits `max_w` pixels, else on two broken between
/// words (the second shortened with "…" if it still does not fit), so a
/// label keeps its words instead of losing its end.
pub(super) fn wrap_two(s: &str, max_w: f64, px: u32, bold: bool) -> Vec<String> {
    let s = clean(s);
    if text_width(&s, px, bold) <= max_w {
        return vec![s];
    }
    let words: Vec<&str> = s.split(' ').collect();
    let first = (1..words.len())
        .rev()
        .map(|n| words[..n].join(" "))
        .find(|line| text_width(line, px, bold) <= max_w);
    match first {
        Some(line) => {
            let rest = words[line.split(' ').count()..].join(" ");
            vec![line, fit(&rest, max_w, px, bold)]
        }
        None => vec![fit(&s, max_w, px, bold)],
    }
}

/// Cut `s` to at most `max` characters, the last being "…".
pub(super) fn truncate_chars(s: &str, max: usize) -> String {
    let s = clean(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Format a number shortened to thousands, millions or billions with the
/// language's suffix (`k`, `M`, `bn`; ` mila`, ` Mln`, ` Mrd`: the tiles'
/// short form, locale::format::short_suffix) and at most `max_decimals`
/// decimals, trailing zeros dropped, with the language's decimal sign.
pub(super) fn abbreviate_with(locale: Locale, v: f64, max_decimals: usize) -> String {
    const SCALES: [f64; 4] = [1.0, 1e3, 1e6, 1e9];
    let a = v.abs();
    let mut idx = SCALES.iter().rposition(|s| a >= *s).unwrap_or(0);
    loop {
        let (scale, suffix) = (SCALES[idx], crate::locale::format::short_suffix(locale, idx));
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
        let s = crate::locale::format::from_english(locale, &s);
        // A typographic minus: the hyphen is too short next to Inter's figures.
        return format!("{}{suffix}", s.replacen('-', "\u{2212}", 1));
    }
}

/// Abbreviate a value label: one decimal below 100 of the unit, none above (`1.2M`, `350k`).
pub(super) fn abbreviate(locale: Locale, v: f64) -> String {
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
    abbreviate_with(locale, v, if unit < 100.0 { 1 } else { 0 })
}

pub(super) fn percent(v: f64) -> String {
    format!("{:.0}%", (v * 100.0).round() + 0.0)
}

pub(super) fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

pub(super) fn clamp01(v: f64) -> f64 {
    finite(v).clamp(0.0, 1.0)
}

/// Pick round tick values covering `lo..hi` with at most `target + 1` steps.
pub(super) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
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
pub(super) fn scale(v: f64, lo: f64, hi: f64, a: f64, b: f64) -> f64 {
    if hi > lo { a + (v - lo) / (hi - lo) * (b - a) } else { a }
}

pub(super) fn class_color(i: usize) -> RGBColor {
    [CLASS_A, CLASS_B, CLASS_C][i.min(2)]
}

/// Interpolate from white to navy; `t` of 0 is white.
pub(super) fn shade(t: f64) -> RGBColor {
    let t = clamp01(t);
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * t).round() as u8;
    RGBColor(mix(NAVY.0), mix(NAVY.1), mix(NAVY.2))
}

pub(super) fn is_dark(c: RGBColor) -> bool {
    (0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64) / 255.0 < 0.55
}

/// Draw a legend of (swatch, label) items right-aligned to `right`, centred on `y`.
pub(super) fn draw_legend(p: &Painter, items: &[(Swatch, &str)], right: f64, y: f64) -> Drawn {
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

pub(super) enum Swatch {
    Bar(RGBAColor),
    Line(RGBAColor),
}

/// Values `i` of `v`, or zero where `v` is shorter, so mismatched inputs never panic.
pub(super) fn at(v: &[f64], i: usize) -> f64 {
    finite(v.get(i).copied().unwrap_or(0.0))
}
