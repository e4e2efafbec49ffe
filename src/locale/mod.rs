//! The language of the documents: labels and sentences (a catalogue keyed by
//! the English text), and how numbers, money and dates are written.
//!
//! English is the source language: a key is the English text itself, so a
//! template or a sentence without a translation still reads correctly, and
//! the catalogue of another language maps each English text to its own.
//! Placeholders are written `{name}` and filled after translation, so a
//! translation may put them in another order.

mod catalogue;
pub mod filters;
pub mod format;

use std::borrow::Cow;
use std::fmt;

/// A language the documents can be written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    #[default]
    En,
    It,
}

impl Locale {
    /// Every locale, English first.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::It];

    /// The code used in kamplan.toml, `--locale` and rule texts.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::It => "it",
        }
    }

    /// The language's name in English, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::It => "Italian",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The codes, for messages: `en, it`.
    pub fn codes() -> String {
        Locale::ALL.map(Locale::code).join(", ")
    }

    /// The text in this language; the English key itself when there is no
    /// translation.
    pub fn text(self, english: &str) -> &str {
        catalogue::lookup(self, english).unwrap_or(english)
    }

    /// Whether the catalogue has this English text in this language.
    pub fn has(self, english: &str) -> bool {
        self == Locale::En || catalogue::lookup(self, english).is_some()
    }

    /// A figure as a sentence uses it after "the": in Italian with its
    /// article, elided before a vowel sound (`il 94%`, `l'80%`); in English
    /// as it is. Texts then read "makes {share} of revenue" / "fa {share} del
    /// fatturato".
    pub fn the(self, figure: &str) -> String {
        self.article("il", figure)
    }

    /// A figure after an Italian article or articled preposition (`del`,
    /// `al`…), elided where needed; in English the figure as it is.
    pub fn article(self, article: &str, figure: &str) -> String {
        match self {
            Locale::It => format::italian_article(article, figure),
            Locale::En => figure.to_string(),
        }
    }

    /// A variable's name in words in this language: `margin_pct` →
    /// `margin pct`, `margine %`.
    pub fn variable_name(self, variable: &str) -> String {
        self.text(&variable.replace('_', " ")).to_string()
    }

    /// The text in this language with its `{name}` placeholders filled.
    pub fn fill(self, english: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
        fill(self.text(english), |name| {
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| Cow::Owned(v.to_string()))
        })
    }
}

/// Templates see the code: `{% if meta.locale == "it" %}`.
impl serde::Serialize for Locale {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Replaces each `{name}` of `pattern` with `value(name)`; a name without a
/// value, and any brace that is not a placeholder, stays as written.
pub fn fill<'a>(pattern: &str, value: impl Fn(&str) -> Option<Cow<'a, str>>) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_end = after.find('}').filter(|&end| {
            end > 0 && after[..end].chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        match name_end.and_then(|end| value(&after[..end]).map(|v| (end, v))) {
            Some((end, v)) => {
                out.push_str(&v);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a pattern, in order.
pub fn placeholders(pattern: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(end)
                if end > 0
                    && after[..end].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                names.push(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

#[cfg(test)]
mod tests;
