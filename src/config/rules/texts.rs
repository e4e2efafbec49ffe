//! Rule texts in several languages. A text (a title, a description, a list
//! of actions or axis labels, an alert message) is either written once, in
//! whatever language the consultant uses, or as a table with one version per
//! language: `title.en = "…"`, `title.it = "…"`. The rules are read for one
//! language; its version is taken, and a text that lacks it falls back to
//! English (or its first version) and is reported by `check`.
//!
//! A text written once counts as English, unless its file declares another
//! language with a top-level `language = "it"`: its texts are then written
//! in that language only, shown as written in any other, and `check` says so
//! once for the file rather than once per text.

use crate::config::{Diagnostic, IssueSink, Place};
use crate::locale::Locale;
use indexmap::IndexMap;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// A text as written in a rule file.
#[derive(Clone, Debug, PartialEq)]
pub enum RawText<T> {
    /// One version, in the language it is written in.
    One(T),
    /// One version per language code, in the order written.
    PerLocale(IndexMap<String, T>),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for RawText<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::Table(table) => table
                .into_iter()
                .map(|(code, value)| {
                    T::deserialize(value)
                        .map(|text| (code.clone(), text))
                        .map_err(|e| D::Error::custom(format!("the \"{code}\" version: {e}")))
                })
                .collect::<Result<_, _>>()
                .map(RawText::PerLocale),
            other => T::deserialize(other).map(RawText::One).map_err(|e| {
                D::Error::custom(format!(
                    "{e}; a text is written once, or once per language as a table (en = …, it = …)"
                ))
            }),
        }
    }
}

/// A text resolved for the rules' language.
#[derive(Clone, Debug, PartialEq)]
pub struct Chosen<T> {
    /// The version the rules refer to (a matrix's cells name its axis
    /// labels): the only one, else the English one, else the first.
    pub reference: T,
    /// The version shown in the documents.
    pub shown: T,
}

/// Chooses the version of every text for one language, remembering the
/// texts that lack it.
pub struct TextChooser {
    pub locale: Locale,
    /// Every text read: where, and whether it has the language's version.
    texts: Vec<(Place, bool)>,
    /// Whether any text has the language's version written out: a rule set
    /// written in one language only is taken as written.
    translated: bool,
    /// The language the current file declares, if any.
    written_in: Option<Locale>,
    /// Files declaring a language other than the rules': where they declare
    /// it, the language, and how many texts they write once.
    other_language: Vec<(Place, Locale, usize)>,
}

impl TextChooser {
    pub fn new(locale: Locale) -> TextChooser {
        TextChooser {
            locale,
            texts: Vec::new(),
            translated: false,
            written_in: None,
            other_language: Vec::new(),
        }
    }

    /// Starts reading a file that declares the language of its texts
    /// (`language` at `place`), or none.
    pub fn begin_file(&mut self, language: Option<(Locale, Place)>) {
        self.written_in = language.as_ref().map(|(l, _)| *l);
        if let Some((language, place)) = language
            && language != self.locale
        {
            self.other_language.push((place, language, 0));
        }
    }

    /// The versions of a text. An unknown language code is an error in the
    /// file; an empty table falls back to `T::default()` with an error.
    pub fn choose<T: Clone + Default>(
        &mut self,
        sink: &mut IssueSink,
        raw: Spanned<RawText<T>>,
    ) -> Chosen<T> {
        let at = raw.span().start;
        let place = sink.place(Some(at));
        match raw.into_inner() {
            RawText::One(text) => {
                // English is the source language: a text written once counts as
                // English, unless its file declares its language.
                match self.written_in {
                    Some(language) if language != self.locale => {
                        if let Some((_, _, n)) = self.other_language.last_mut() {
                            *n += 1;
                        }
                    }
                    Some(_) => {
                        self.translated = true;
                        self.texts.push((place, true));
                    }
                    None => self.texts.push((place, self.locale == Locale::En)),
                }
                Chosen { reference: text.clone(), shown: text }
            }
            RawText::PerLocale(versions) => {
                check_codes(sink, at, &versions);
                let version = |locale: Locale| version_in(&versions, locale).map(|(_, t)| t);
                let Some(reference) = version(Locale::En).or_else(|| versions.values().next())
                else {
                    sink.at(Some(at), "an empty text: write it once, or as en = …, it = …");
                    return Chosen { reference: T::default(), shown: T::default() };
                };
                let own = version(self.locale);
                self.translated |= own.is_some();
                self.texts.push((place, own.is_some()));
                Chosen { reference: reference.clone(), shown: own.unwrap_or(reference).clone() }
            }
        }
    }

    /// The version shown in the documents.
    pub fn shown<T: Clone + Default>(
        &mut self,
        sink: &mut IssueSink,
        raw: Spanned<RawText<T>>,
    ) -> T {
        self.choose(sink, raw).shown
    }

    /// The files written in another language only, once each.
    pub fn other_language(&self) -> Vec<Diagnostic> {
        self.other_language
            .iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(place, language, n)| {
                place.issue(format!(
                    "this file is written in {} only (`language = \"{}\"`): the {} documents show its {n} text{} as written",
                    language.name(),
                    language.code(),
                    self.locale.name(),
                    if *n == 1 { "" } else { "s" },
                ))
            })
            .collect()
    }

    /// The texts without a version in the rules' language, when the rule set
    /// is translated into it at all.
    pub fn missing(&self) -> Vec<Diagnostic> {
        if !self.translated {
            return Vec::new();
        }
        let message = format!(
            "no {} version of this text (add `{}` = …); the documents show it as written",
            self.locale.name(),
            self.locale.code()
        );
        let mut missing: Vec<&Place> =
            self.texts.iter().filter(|(_, has)| !has).map(|(place, _)| place).collect();
        missing.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        missing.into_iter().map(|place| place.issue(&message)).collect()
    }
}

/// A file's declared language (`language = "it"`) and where it is
/// declared; an unknown code is reported there.
pub fn declared_language(
    sink: &mut IssueSink,
    code: Option<&Spanned<String>>,
) -> Option<(Locale, Place)> {
    let code = code?;
    let at = code.span().start;
    match Locale::parse(code.get_ref()) {
        Some(language) => Some((language, sink.place(Some(at)))),
        None => {
            sink.at(
                Some(at),
                format!(
                    "unknown language \"{}\"; the languages are {}",
                    code.get_ref(),
                    Locale::codes()
                ),
            );
            None
        }
    }
}

/// Reports, at `at`, each language code of a per-language text that names no language.
pub fn check_codes<T>(sink: &mut IssueSink, at: usize, versions: &IndexMap<String, T>) {
    for code in versions.keys().filter(|c| Locale::parse(c).is_none()) {
        sink.at(
            Some(at),
            format!("unknown language \"{code}\" in a text; the languages are {}", Locale::codes()),
        );
    }
}

/// The version of a per-language text in `locale`, with the code it is written under.
pub fn version_in<T>(versions: &IndexMap<String, T>, locale: Locale) -> Option<(&String, &T)> {
    versions.iter().find(|(c, _)| Locale::parse(c) == Some(locale))
}
