//! The built-in translations: for each language other than English, a map
//! from the English text to the translated one, read from the TOML files
//! under `locales/` compiled into the binary.

use super::Locale;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The Italian catalogue, one file per part of the product: the templates'
/// labels and the sentences the program writes into documents.
pub(super) const ITALIAN: &[(&str, &str)] = &[
    ("locales/it/documents.toml", include_str!("../../locales/it/documents.toml")),
    ("locales/it/texts.toml", include_str!("../../locales/it/texts.toml")),
];

/// English words for the codes the data is written in (relationship
/// stages, key-client types): English needs no translation, only these.
pub(super) const ENGLISH: &[(&str, &str)] =
    &[("locales/en/codes.toml", include_str!("../../locales/en/codes.toml"))];

static IT: LazyLock<HashMap<String, String>> = LazyLock::new(|| read(ITALIAN));
static EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| read(ENGLISH));

pub fn lookup(locale: Locale, english: &str) -> Option<&'static str> {
    let map: &'static HashMap<String, String> = match locale {
        Locale::En => &EN,
        Locale::It => &IT,
    };
    map.get(english).map(String::as_str)
}

/// Every entry of the catalogue files. The files are part of the binary and
/// checked by the tests, so a broken one is a build defect, not user input.
fn read(files: &[(&str, &str)]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (name, text) in files {
        let table: toml::Table =
            toml::from_str(text).unwrap_or_else(|e| panic!("{name} is not valid TOML: {e}"));
        for (english, translated) in table {
            if let toml::Value::String(translated) = translated {
                map.insert(english, translated);
            }
        }
    }
    map
}

/// Every `(English, translation)` pair of a language, for the tests.
#[cfg(test)]
pub fn entries(locale: Locale) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = match locale {
        Locale::En => Vec::new(),
        Locale::It => IT.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    };
    out.sort();
    out
}
