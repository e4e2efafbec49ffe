//! The project's brand as the documents see it: a small Typst file the theme
//! imports (`/brand.typ`), and the chart colours swapped for the brand's.

use super::charts::{CLASS_B, CLASS_C, NAVY, ORANGE};
use crate::config::brand::{Brand, Rgb};
use plotters::style::RGBColor;

/// Virtual path of the brand file.
pub const BRAND_PATH: &str = "/brand.typ";

const fn rgb(c: RGBColor) -> Rgb {
    Rgb(c.0, c.1, c.2)
}

/// The default look, used where the brand says nothing.
const PRIMARY: Rgb = rgb(NAVY);
const ACCENT: Rgb = rgb(ORANGE);

/// `/brand.typ`: the brand's values as Typst variables.
pub fn brand_source(brand: &Brand) -> String {
    let string = |s: &str| super::escape::string_literal(s);
    let path = |p: &Option<std::path::PathBuf>| {
        p.as_ref().map_or_else(
            || "none".to_string(),
            |p| format!("\"{}\"", string(&format!("/{}", p.to_string_lossy().replace('\\', "/")))),
        )
    };
    let font = brand
        .font
        .as_deref()
        .map_or_else(|| "(\"Inter\",)".to_string(), |f| format!("(\"{}\", \"Inter\")", string(f)));
    format!(
        "// The project's [brand], written by kamplan.\n\
         #let brand-primary = rgb(\"{}\")\n\
         #let brand-accent = rgb(\"{}\")\n\
         #let brand-font = {font}\n\
         #let firm-logo = {}\n\
         #let client-logo = {}\n\
         #let brand-footer = {}\n",
        brand.primary.unwrap_or(PRIMARY).hex(),
        brand.accent.unwrap_or(ACCENT).hex(),
        path(&brand.firm_logo),
        path(&brand.client_logo),
        brand
            .footer
            .as_deref()
            .map_or_else(|| "none".to_string(), |f| format!("\"{}\"", string(f))),
    )
}

/// Chart colours by the brand: each default colour and what replaces it.
#[derive(Clone, Debug, Default)]
pub struct Palette {
    swaps: Vec<(String, String)>,
}

impl Palette {
    pub fn new(brand: &Brand) -> Palette {
        let mut swaps = Vec::new();
        if let Some(primary) = brand.primary.filter(|p| *p != PRIMARY) {
            // The class ramp follows the primary colour, lighter for B and C.
            swaps.push((rgb(CLASS_B).hex(), primary.tint(0.35).hex()));
            swaps.push((rgb(CLASS_C).hex(), primary.tint(0.65).hex()));
            swaps.push((PRIMARY.hex(), primary.hex()));
        }
        if let Some(accent) = brand.accent.filter(|a| *a != ACCENT) {
            swaps.push((ACCENT.hex(), accent.hex()));
        }
        Palette { swaps }
    }

    /// The chart with the brand's colours (unchanged without a brand).
    pub fn apply(&self, svg: String) -> String {
        if self.swaps.is_empty() {
            return svg;
        }
        // One pass, so a colour swapped in is never swapped again.
        let mut out = String::with_capacity(svg.len());
        let mut rest = svg.as_str();
        while let Some(at) = rest.find('#') {
            out.push_str(&rest[..at]);
            let candidate = rest.get(at..at + 7).unwrap_or("");
            match self.swaps.iter().find(|(from, _)| from == candidate) {
                Some((_, to)) => {
                    out.push_str(to);
                    rest = &rest[at + 7..];
                }
                None => {
                    out.push('#');
                    rest = &rest[at + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brand_file_holds_the_values_or_the_defaults() {
        let text = brand_source(&Brand::default());
        assert!(text.contains("#let brand-primary = rgb(\"#1F4E79\")"), "{text}");
        assert!(text.contains("#let firm-logo = none"));
        let brand = Brand {
            primary: Rgb::parse("#0B6E4F"),
            firm_logo: Some("brand/logo \"x\".png".into()),
            font: Some("Source Sans 3".into()),
            footer: Some("Bianchi & Partners".into()),
            ..Brand::default()
        };
        let text = brand_source(&brand);
        assert!(text.contains("#let brand-primary = rgb(\"#0B6E4F\")"));
        assert!(text.contains("#let firm-logo = \"/brand/logo \\\"x\\\".png\""), "{text}");
        assert!(text.contains("#let brand-font = (\"Source Sans 3\", \"Inter\")"));
    }

    #[test]
    fn charts_take_the_brand_colours_once() {
        let brand = Brand { primary: Rgb::parse("#4F8FC0"), ..Brand::default() };
        // The new primary equals the old class-B colour: it must not be swapped twice.
        let svg = "<rect fill=\"#1F4E79\"/><rect fill=\"#4F8FC0\"/><text>#1</text>".to_string();
        let out = Palette::new(&brand).apply(svg.clone());
        assert_eq!(
            out,
            format!(
                "<rect fill=\"#4F8FC0\"/><rect fill=\"{}\"/><text>#1</text>",
                Rgb(0x4F, 0x8F, 0xC0).tint(0.35).hex()
            )
        );
        assert_eq!(Palette::new(&Brand::default()).apply(svg.clone()), svg);
    }
}
