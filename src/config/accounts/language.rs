//! The language of an account file's texts. A text written once is in the
//! file's language: the project's, unless the file declares another with a
//! top-level `language = "en"`. A text may also be written once per
//! language (`terms.en = "…"`, `terms.it = "…"`); the plans show the
//! project's version. A text without it is shown in another language, and
//! `check` says so at the text, naming the language shown.

use super::raw::RawText;
use crate::config::rules::{check_codes, version_in};
use crate::config::{Diagnostic, IssueSink, Place};
use crate::locale::Locale;
use toml::Spanned;

/// Chooses the version of each text of one file for the documents' language.
pub(super) struct TextPicker {
    /// The documents' language.
    shown: Locale,
    /// The language of the texts written once.
    written_in: Locale,
    /// Where the file declares a language other than the documents', and
    /// how many texts it writes once in it.
    declared_other: Option<(Place, usize)>,
    /// Texts without a version in the documents' language.
    pub warnings: Vec<Diagnostic>,
}

impl TextPicker {
    pub fn new(shown: Locale, declared: Option<(Locale, Place)>) -> TextPicker {
        let written_in = declared.as_ref().map_or(shown, |(l, _)| *l);
        let declared_other = declared.filter(|(l, _)| *l != shown).map(|(_, place)| (place, 0));
        TextPicker { shown, written_in, declared_other, warnings: Vec::new() }
    }

    /// The version shown: the documents' language, else the file's, else
    /// English, else the first written. An empty table or an unknown
    /// language code is an error in the file.
    pub fn pick<T: Clone>(&mut self, sink: &mut IssueSink, raw: Spanned<RawText<T>>) -> Option<T> {
        let at = raw.span().start;
        match raw.into_inner() {
            RawText::One(text) => {
                if let Some((_, n)) = &mut self.declared_other {
                    *n += 1;
                }
                Some(text)
            }
            RawText::PerLocale(versions) => {
                check_codes(sink, at, &versions);
                let version = |locale: Locale| version_in(&versions, locale);
                if let Some((_, text)) = version(self.shown) {
                    return Some(text.clone());
                }
                let (code, text) = version(self.written_in)
                    .or_else(|| version(Locale::En))
                    .or_else(|| versions.iter().next())
                    .or_else(|| {
                        sink.at(Some(at), "an empty text: write it once, or as en = …, it = …");
                        None
                    })?;
                let fallback = Locale::parse(code)
                    .map_or_else(|| format!("\"{code}\""), |l| l.name().to_string());
                self.warnings.push(
                    sink.place(Some(at))
                        .issue(format!(
                            "no {} version of this text (add `{}` = …); the plan shows the {fallback} one",
                            self.shown.name(),
                            self.shown.code(),
                        ))
                        .warning(),
                );
                Some(text.clone())
            }
        }
    }

    /// The warnings: each text without the documents' language, and a file
    /// written in another language only, once for the file.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        if let Some((place, n)) = self.declared_other.take().filter(|(_, n)| *n > 0) {
            self.warnings.insert(
                0,
                place
                    .issue(format!(
                        "this file is written in {} (`language = \"{}\"`): the {} plan shows its {n} text{} in {}",
                        self.written_in.name(),
                        self.written_in.code(),
                        self.shown.name(),
                        if n == 1 { "" } else { "s" },
                        self.written_in.name(),
                    ))
                    .warning(),
            );
        }
        self.warnings
    }
}
