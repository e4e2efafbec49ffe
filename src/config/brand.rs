//! The `[brand]` table of `kamplan.toml`: the colours, logos, font and
//! footer line the documents and their charts are dressed in.

use super::IssueSink;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A colour as `#RRGGBB`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// `#1F4E79`.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// This colour mixed with white: 0 is the colour, 1 is white.
    pub fn tint(self, white: f64) -> Rgb {
        let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * white).round() as u8;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// The validated `[brand]` table; every field is optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Brand {
    /// Headings, cover, key figures and the main chart series.
    pub primary: Option<Rgb>,
    /// Section numbers, the cover's rule, highlighted chart points.
    pub accent: Option<Rgb>,
    /// Logo files inside the project (PNG, JPG, SVG), as paths from its folder.
    pub firm_logo: Option<PathBuf>,
    pub client_logo: Option<PathBuf>,
    /// A font family, from the project's `fonts/` folder.
    pub font: Option<String>,
    /// The footer line of every page (default: the confidentiality line).
    pub footer: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawBrand {
    primary: Option<Spanned<String>>,
    accent: Option<Spanned<String>>,
    firm_logo: Option<Spanned<String>>,
    client_logo: Option<Spanned<String>>,
    font: Option<String>,
    footer: Option<String>,
}

pub(super) const KEYS: &[&str] =
    &["primary", "accent", "firm_logo", "client_logo", "font", "footer"];

pub(super) fn validate_brand(sink: &mut IssueSink, root: &Path, raw: RawBrand) -> Brand {
    let mut colour = |value: Option<Spanned<String>>| {
        let value = value?;
        let parsed = Rgb::parse(value.get_ref().trim());
        if parsed.is_none() {
            sink.at(
                Some(value.span().start),
                format!(
                    "\"{}\" is not a colour; write it as #RRGGBB, e.g. \"#1F4E79\"",
                    value.get_ref()
                ),
            );
        }
        parsed
    };
    let primary = colour(raw.primary);
    let accent = colour(raw.accent);
    let mut logo = |value: Option<Spanned<String>>| {
        let value = value?;
        let relative = PathBuf::from(value.get_ref().trim());
        let extension = relative.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let problem =
            if relative.is_absolute() || relative.components().any(|c| c.as_os_str() == "..") {
                Some("a logo must be a file inside the project folder".to_string())
            } else if !matches!(extension.as_deref(), Some("png" | "jpg" | "jpeg" | "svg")) {
                Some("a logo must be a PNG, JPG or SVG file".to_string())
            } else if !root.join(&relative).is_file() {
                Some(format!("{} not found in the project folder", relative.display()))
            } else {
                outside_link(root, &relative)
            };
        match problem {
            Some(message) => {
                sink.at(Some(value.span().start), message);
                None
            }
            None => Some(relative),
        }
    };
    let firm_logo = logo(raw.firm_logo);
    let client_logo = logo(raw.client_logo);
    let text = |t: Option<String>| t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    Brand {
        primary,
        accent,
        firm_logo,
        client_logo,
        font: text(raw.font),
        footer: text(raw.footer),
    }
}

/// Why a logo inside the project cannot be read by the documents: it is a
/// symbolic link (or lies below one) that leads out of the project folder.
/// The documents follow links within the project and refuse the others
/// (`render::world`), so `check` applies the same rule.
fn outside_link(root: &Path, relative: &Path) -> Option<String> {
    let root = root.canonicalize().ok()?;
    let real = root.join(relative).canonicalize().ok()?;
    (!real.starts_with(&root)).then(|| {
        format!(
            "{} is a symbolic link to {}, outside the project folder; the documents read files inside the project only: copy the logo into the project",
            relative.display(),
            real.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_and_tint() {
        assert_eq!(Rgb::parse("#1f4e79"), Some(Rgb(0x1F, 0x4E, 0x79)));
        assert_eq!(Rgb::parse("1F4E79"), None);
        assert_eq!(Rgb::parse("#1F4E7"), None);
        assert_eq!(Rgb(0, 100, 255).tint(0.5).hex(), "#80B2FF");
    }

    #[cfg(unix)]
    #[test]
    fn logo_links_may_not_leave_the_project() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("project");
        std::fs::create_dir_all(root.join("brand")).unwrap();
        std::fs::write(root.join("brand/firm.png"), b"png").unwrap();
        std::fs::write(tmp.path().join("elsewhere.png"), b"png").unwrap();
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, root.join(name)).unwrap();
        };
        link(Path::new("brand/firm.png"), "inside.png");
        link(&tmp.path().join("elsewhere.png"), "outside.png");
        link(tmp.path(), "up");
        assert_eq!(outside_link(&root, Path::new("brand/firm.png")), None);
        assert_eq!(outside_link(&root, Path::new("inside.png")), None);
        for name in ["outside.png", "up/elsewhere.png"] {
            let message = outside_link(&root, Path::new(name)).unwrap();
            assert!(message.starts_with(&format!("{name} is a symbolic link to ")), "{message}");
            assert!(message.contains("elsewhere.png, outside the project folder"), "{message}");
        }
    }
}
