//! The rule files as written: serde types mirroring the TOML. Unknown keys
//! are collected while parsing (not fatal to the parse, so every one of them
//! is reported together with the file's other problems). Validation turns
//! these types into those of the parent module.

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

pub use super::texts::RawText;

/// A text, in one language or several.
pub type Text = Spanned<RawText<String>>;
/// The tables of one kind in a rule file (`[matrix.ID]`), by id, in order.
pub type Tables<T> = IndexMap<String, Spanned<T>>;
/// A list of texts (actions, axis labels), in one language or several.
pub type TextList = Spanned<RawText<Vec<String>>>;

/// One rule file. Tables keyed by id keep the order they are written in.
#[derive(Deserialize, Default)]
pub struct RuleFile {
    /// The language the file's texts are written in, when it declares one:
    /// a text written once is then in that language, not in English.
    pub language: Option<Spanned<String>>,
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
    pub analysis: Option<Spanned<RawAnalysis>>,
    pub cross_sell: Option<Spanned<RawCrossSell>>,
    #[serde(default)]
    pub expect: Vec<Spanned<IndexMap<String, Spanned<String>>>>,
    #[serde(default)]
    pub strategy: IndexMap<String, Spanned<RawStrategy>>,
    #[serde(default)]
    pub role: IndexMap<String, Text>,
}

#[derive(Deserialize)]
pub struct RawStrategy {
    pub when: Option<Spanned<String>>,
    pub title: Text,
    pub description: Option<Text>,
    /// Why the strategy applies, in words, with the customer's values.
    pub reason: Option<Text>,
    pub resources: Spanned<String>,
    pub review: Option<Spanned<String>>,
    pub service_level: Option<Spanned<String>>,
    #[serde(default)]
    pub profile: IndexMap<String, Text>,
    #[serde(default)]
    pub actions: Vec<Spanned<RawAction>>,
}

#[derive(Deserialize)]
pub struct RawAction {
    pub text: Text,
    pub owner: Spanned<String>,
    pub due: Spanned<String>,
    pub kpi: Option<Spanned<RawObjective>>,
}

#[derive(Deserialize)]
pub struct RawClassification {
    pub kind: Spanned<String>,
    pub metric: Option<Spanned<String>>,
    pub method: Option<Spanned<String>>,
    pub classes: Option<Spanned<Vec<String>>>,
    pub bounds: Option<Spanned<Vec<f64>>>,
    pub shares: Option<Spanned<Vec<f64>>>,
}

#[derive(Deserialize)]
pub struct RawMatrix {
    pub title: Text,
    pub description: Option<Text>,
    pub x: Spanned<RawAxis>,
    pub y: Spanned<RawAxis>,
    pub cells: Spanned<IndexMap<String, Spanned<Vec<Spanned<String>>>>>,
    pub missing: Option<Spanned<String>>,
}

#[derive(Deserialize)]
pub struct RawAxis {
    pub metric: Spanned<String>,
    pub breaks: Option<Spanned<Vec<f64>>>,
    pub quantiles: Option<Spanned<Vec<f64>>>,
    pub categories: Option<Spanned<Vec<String>>>,
    pub labels: Option<TextList>,
}

#[derive(Deserialize)]
pub struct RawSegment {
    pub title: Text,
    pub description: Option<Text>,
    #[serde(default)]
    pub review: String,
    #[serde(default)]
    pub service_level: String,
    /// Where the playbook points the account's resources.
    pub resources: Option<Spanned<String>>,
    pub actions: Option<TextList>,
    #[serde(default)]
    pub treatment: IndexMap<String, Text>,
    #[serde(default)]
    pub objectives: Vec<Spanned<RawObjective>>,
}

/// A target of a segment's playbook, computed for each account.
#[derive(Deserialize)]
pub struct RawObjective {
    pub metric: Spanned<String>,
    pub label: Option<Text>,
    /// Relative growth: 0.15 is +15%.
    pub grow: Option<f64>,
    /// Absolute change: 0.10 on a share is +10 points.
    pub add: Option<f64>,
    /// A number, or "segment_median".
    pub at_least: Option<Spanned<toml::Value>>,
    pub at_most: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
pub struct RawAnalysis {
    pub lost_alert: Option<Spanned<String>>,
    pub partial_churn_alert: Option<Spanned<String>>,
    pub over_invested_alert: Option<Spanned<String>>,
    pub under_served_alert: Option<Spanned<String>>,
    pub win_back_matrix: Option<Spanned<String>>,
    pub resource_groups: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
pub struct RawCrossSell {
    pub peers: Spanned<String>,
    pub min_peer_share: Option<Spanned<f64>>,
    pub min_peers: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
pub struct RawAlert {
    /// What the documents and the workbook call the alert.
    pub title: Option<Text>,
    pub severity: Spanned<String>,
    pub when: Spanned<String>,
    pub message: Text,
}

#[derive(Deserialize)]
pub struct RawKeyAccounts {
    pub when: Option<Spanned<String>>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// The top-level tables a rule file may hold, and its `language` key.
pub const TABLES: &[&str] = &[
    "language",
    "classification",
    "metrics",
    "matrix",
    "segment",
    "alert",
    "key_accounts",
    "analysis",
    "cross_sell",
    "expect",
    "strategy",
    "role",
];

/// Keys each kind of table accepts, for "did you mean" hints.
pub fn known_keys(path: &[&str]) -> &'static [&'static str] {
    match path {
        [] => TABLES,
        ["classification", _] => &["kind", "metric", "method", "classes", "bounds", "shares"],
        ["matrix", _] => &["title", "description", "x", "y", "cells", "missing"],
        ["matrix", _, "x" | "y"] => &["metric", "breaks", "quantiles", "categories", "labels"],
        ["segment", _] => &[
            "title",
            "description",
            "review",
            "service_level",
            "resources",
            "actions",
            "treatment",
            "objectives",
        ],
        ["strategy", _] => &[
            "when",
            "title",
            "description",
            "reason",
            "resources",
            "review",
            "service_level",
            "profile",
            "actions",
        ],
        ["strategy", _, "actions", _] => &["text", "owner", "due", "kpi"],
        ["strategy", _, "actions", _, "kpi"] => {
            &["metric", "label", "grow", "add", "at_least", "at_most"]
        }
        ["segment", _, "objectives", _] => {
            &["metric", "label", "grow", "add", "at_least", "at_most"]
        }
        ["analysis"] => &[
            "lost_alert",
            "partial_churn_alert",
            "over_invested_alert",
            "under_served_alert",
            "win_back_matrix",
            "resource_groups",
        ],
        ["cross_sell"] => &["peers", "min_peer_share", "min_peers"],
        ["alert", _] => &["title", "severity", "when", "message"],
        ["key_accounts"] => &["when", "include", "exclude"],
        _ => &[],
    }
}

/// Parses a rule file, returning the paths of the keys it does not know.
pub fn parse(text: &str) -> Result<(RuleFile, Vec<Vec<String>>), toml::de::Error> {
    crate::config::parse_collecting_unknown(text)
}
