//! Account files as written: serde types mirroring the TOML. Unknown keys
//! are collected, not fatal, so that every one is reported with the file's
//! other problems.

pub(crate) use crate::config::rules::RawText;
use serde::Deserialize;
use toml::Spanned;

/// A free text: written once (in the file's language) or once per language
/// (`terms.en = "…"`, `terms.it = "…"`).
pub type Text = Spanned<RawText<String>>;
/// A list of free texts, written once or once per language.
pub type Texts = Spanned<RawText<Vec<String>>>;

#[derive(Deserialize, Default)]
pub struct RawAccountFile {
    /// The language of the texts written once; the project's by default.
    pub language: Option<Spanned<String>>,
    pub account: Option<RawAccount>,
    pub survey: Option<RawSurvey>,
    pub contract: Option<RawContract>,
    #[serde(default)]
    pub dmu: Vec<Spanned<RawPerson>>,
    #[serde(default)]
    pub competitor: Vec<Spanned<RawCompetitor>>,
    #[serde(default)]
    pub history: Vec<Spanned<RawEvent>>,
    pub swot: Option<RawSwot>,
    #[serde(default)]
    pub objective: Vec<Spanned<RawObjective>>,
}

/// A date written as a TOML date (`2025-12-31`) or as text.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum RawDate {
    Date(toml::value::Datetime),
    Text(String),
}

/// A number written as an integer or a decimal.
#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
pub enum RawNumber {
    Int(i64),
    Float(f64),
}

impl RawNumber {
    pub fn to_f64(self) -> f64 {
        match self {
            RawNumber::Int(n) => n as f64,
            RawNumber::Float(x) => x,
        }
    }
}

#[derive(Deserialize)]
pub struct RawAccount {
    pub customer_id: Option<Spanned<String>>,
    pub name: Option<String>,
    pub sector: Option<String>,
    pub region: Option<String>,
    pub account_manager: Option<String>,
    pub potential: Option<Spanned<RawNumber>>,
    pub market_growth: Option<Spanned<RawNumber>>,
    pub attractiveness: Option<Spanned<RawNumber>>,
    pub adaptability: Option<Spanned<RawNumber>>,
    pub cost_to_serve: Option<Spanned<RawNumber>>,
    pub customer_since: Option<Spanned<RawDate>>,
    pub relationship_stage: Option<Spanned<String>>,
    pub key_client_type: Option<Spanned<String>>,
    pub lost_reason: Option<Text>,
    pub notes: Option<Text>,
}

#[derive(Deserialize)]
pub struct RawSurvey {
    pub satisfaction: Option<Spanned<RawNumber>>,
    pub loyalty: Option<Spanned<RawNumber>>,
}

#[derive(Deserialize)]
pub struct RawContract {
    pub expiry: Option<Spanned<RawDate>>,
    pub terms: Option<Text>,
}

#[derive(Deserialize)]
pub struct RawPerson {
    pub name: Spanned<String>,
    pub role: Option<Text>,
    pub influence: Option<Spanned<String>>,
    pub attitude: Option<Spanned<String>>,
    pub criteria: Option<Text>,
}

#[derive(Deserialize)]
pub struct RawCompetitor {
    pub name: Spanned<String>,
    pub products: Option<Text>,
    pub share: Option<Spanned<RawNumber>>,
    pub price_position: Option<Spanned<String>>,
}

#[derive(Deserialize)]
pub struct RawEvent {
    pub date: Spanned<RawDate>,
    pub kind: Spanned<String>,
    pub subject: Text,
    pub outcome: Option<Spanned<String>>,
    pub reason: Option<Text>,
    pub value: Option<Spanned<RawNumber>>,
}

#[derive(Deserialize, Default)]
pub struct RawSwot {
    pub strengths: Option<Texts>,
    pub weaknesses: Option<Texts>,
    pub opportunities: Option<Texts>,
    pub threats: Option<Texts>,
}

#[derive(Deserialize)]
pub struct RawObjective {
    pub objective: Text,
    pub measure: Option<Text>,
    pub target: Option<Text>,
    pub due: Option<Spanned<RawDate>>,
}

/// Keys each table accepts, for "did you mean" hints.
pub fn known_keys(path: &[&str]) -> &'static [&'static str] {
    match path {
        [] => &[
            "language",
            "account",
            "survey",
            "contract",
            "dmu",
            "competitor",
            "history",
            "swot",
            "objective",
        ],
        ["account"] => &[
            "customer_id",
            "name",
            "sector",
            "region",
            "account_manager",
            "potential",
            "market_growth",
            "attractiveness",
            "adaptability",
            "cost_to_serve",
            "customer_since",
            "relationship_stage",
            "key_client_type",
            "lost_reason",
            "notes",
        ],
        ["survey"] => &["satisfaction", "loyalty"],
        ["contract"] => &["expiry", "terms"],
        ["dmu", _] => &["name", "role", "influence", "attitude", "criteria"],
        ["competitor", _] => &["name", "products", "share", "price_position"],
        ["history", _] => &["date", "kind", "subject", "outcome", "reason", "value"],
        ["swot"] => &["strengths", "weaknesses", "opportunities", "threats"],
        ["objective", _] => &["objective", "measure", "target", "due"],
        _ => &[],
    }
}
