//! The rule files as written: serde types mirroring the TOML, unknown keys
//! rejected. Validation turns them into the types of the parent module.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// One rule file. Tables keyed by id keep the order they are written in.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub classification: IndexMap<String, Spanned<RawClassification>>,
    #[serde(default)]
    pub metrics: IndexMap<String, Spanned<String>>,
    #[serde(default)]
    pub matrix: IndexMap<String, Spanned<RawMatrix>>,
    #[serde(default)]
    pub segment: IndexMap<String, Spanned<RawSegment>>,
    #[serde(default)]
    pub alert: IndexMap<String, Spanned<RawAlert>>,
    pub key_accounts: Option<Spanned<RawKeyAccounts>>,
    #[serde(default)]
    pub expect: Vec<Spanned<IndexMap<String, Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClassification {
    pub kind: Spanned<String>,
    pub metric: Option<Spanned<String>>,
    pub method: Option<Spanned<String>>,
    pub classes: Option<Spanned<Vec<String>>>,
    pub bounds: Option<Spanned<Vec<f64>>>,
    pub shares: Option<Spanned<Vec<f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatrix {
    pub title: Spanned<String>,
    #[serde(default)]
    pub description: String,
    pub x: Spanned<RawAxis>,
    pub y: Spanned<RawAxis>,
    pub cells: Spanned<IndexMap<String, Spanned<Vec<Spanned<String>>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAxis {
    pub metric: Spanned<String>,
    pub breaks: Option<Spanned<Vec<f64>>>,
    pub quantiles: Option<Spanned<Vec<f64>>>,
    pub categories: Option<Spanned<Vec<String>>>,
    pub labels: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    pub title: Spanned<String>,
    pub description: Option<Spanned<String>>,
    #[serde(default)]
    pub review: String,
    #[serde(default)]
    pub service_level: String,
    #[serde(default)]
    pub actions: Vec<Spanned<String>>,
    #[serde(default)]
    pub treatment: IndexMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlert {
    pub severity: Spanned<String>,
    pub when: Spanned<String>,
    pub message: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyAccounts {
    pub when: Option<Spanned<String>>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}
