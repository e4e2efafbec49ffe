//! What the documents show, as plain serializable view models built from
//! the classified portfolio: the templates receive data and never compute.
//! Charts are described here as data too; `render` draws them.

pub mod account;
pub mod bridge;
pub mod charts;
pub mod control;
pub mod findings;
pub mod intelligence;
pub mod movement;
pub mod outlook;
pub mod plan;
pub mod portfolio;
pub mod quality;
pub mod slug;
pub mod strategy;

use crate::analysis::Intelligence;
use crate::analysis::quality::DataQuality;
use crate::classify::Portfolio;
use crate::config::accounts::AccountBook;
use crate::config::project::Engagement;
use crate::config::rules::{ClassRule, Rules};
use crate::locale::{Locale, format};
use serde::Serialize;

/// What the documents are made from: the classified portfolio (and the
/// window before, when classified), the rules, the account files and the
/// portfolio-wide analyses, computed once for all documents.
pub struct Sources<'a> {
    pub portfolio: &'a Portfolio,
    pub previous: Option<&'a Portfolio>,
    pub rules: &'a Rules,
    pub accounts: &'a AccountBook,
    pub intelligence: Intelligence,
    /// The data-quality checks, for the portfolio report's page; none
    /// leaves the page out.
    pub quality: Option<&'a DataQuality>,
    /// The last plan judged against this window, when the build was given one.
    pub control: Option<&'a crate::control::Control>,
}

impl<'a> Sources<'a> {
    pub fn new(
        portfolio: &'a Portfolio,
        previous: Option<&'a Portfolio>,
        rules: &'a Rules,
        accounts: &'a AccountBook,
    ) -> Sources<'a> {
        let intelligence = Intelligence::new(portfolio, previous, rules, accounts);
        Sources { portfolio, previous, rules, accounts, intelligence, quality: None, control: None }
    }

    /// The same sources with the last plan judged.
    pub fn with_control(self, control: Option<&'a crate::control::Control>) -> Sources<'a> {
        Sources { control, ..self }
    }

    /// The same sources with the run's data-quality checks.
    pub fn with_quality(self, quality: &'a DataQuality) -> Sources<'a> {
        Sources { quality: Some(quality), ..self }
    }
}

/// What every document's cover and footer show.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    pub project: String,
    pub client: Option<String>,
    pub engagement: Option<String>,
    pub consultant: Option<String>,
    pub firm: Option<String>,
    pub confidentiality: Option<String>,
    pub currency: String,
    /// The documents' language: `en` or `it`.
    pub locale: Locale,
    /// `30 June 2025`.
    pub as_of: String,
    pub as_of_iso: String,
    /// `July 2024 – June 2025`.
    pub window: String,
    pub previous_window: String,
    pub months: u32,
    /// `kamplan 0.1.0`.
    pub generator: String,
    /// Version and input hashes, printed at the end of each document.
    pub stamp: Option<crate::stamp::Stamp>,
}

impl Meta {
    pub fn new(
        project: &str,
        currency: &str,
        engagement: &Engagement,
        portfolio: &Portfolio,
        locale: Locale,
    ) -> Meta {
        let period = &portfolio.period;
        let (prev_first, prev_last) = period.previous();
        let range =
            |a, b| format!("{} – {}", format::month_year(locale, a), format::month_year(locale, b));
        Meta {
            project: project.to_string(),
            client: engagement.client.clone(),
            engagement: engagement.title.clone(),
            consultant: engagement.consultant.clone(),
            firm: engagement.firm.clone(),
            confidentiality: engagement.confidentiality.clone(),
            currency: currency.to_string(),
            locale,
            as_of: format::long_date(locale, period.as_of),
            as_of_iso: period.as_of.to_string(),
            window: range(period.first_month, period.last_month),
            previous_window: range(prev_first, prev_last),
            months: period.months,
            generator: format!("kamplan {}", env!("CARGO_PKG_VERSION")),
            stamp: None,
        }
    }
}

/// A classification with a readable title: `ABC by revenue`.
#[derive(Clone, Debug, Serialize)]
pub struct ClassificationTitle {
    pub id: String,
    pub title: String,
}

/// Readable titles of the classifications, in rule order.
pub fn classification_titles(rules: &Rules) -> Vec<ClassificationTitle> {
    rules
        .classifications
        .iter()
        .map(|c| {
            let name = c.id.replace('_', " ").to_uppercase();
            let locale = rules.locale;
            let title = match &c.rule {
                ClassRule::Abc(rule) => {
                    let metric = &rule.metric.value;
                    let name = classification_name(&c.id, Some(metric));
                    locale.fill(
                        "{name} by {metric}",
                        &[
                            ("name", &name),
                            ("metric", &crate::classify::variables::label(locale, metric)),
                        ],
                    )
                }
                ClassRule::Xyz(_) => {
                    locale.fill("{name}: regularity of monthly revenue", &[("name", &name)])
                }
            };
            ClassificationTitle { id: c.id.clone(), title }
        })
        .collect()
}

/// A classification's name in capitals, without the metric its id repeats:
/// `abc_margin` on margin is "ABC" ("ABC by margin", not "ABC MARGIN by margin").
pub fn classification_name(id: &str, metric: Option<&str>) -> String {
    metric
        .and_then(|metric| id.strip_suffix(metric))
        .and_then(|rest| rest.strip_suffix('_'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(id)
        .replace('_', " ")
        .to_uppercase()
}

/// The title of a matrix axis: a classification's title (`ABC by revenue`)
/// or the variable's name as a heading.
pub fn axis_title(rules: &Rules, variable: &str) -> String {
    classification_titles(rules).into_iter().find(|c| c.id == variable).map_or_else(
        || humanize(&crate::classify::variables::label(rules.locale, variable)),
        |c| c.title,
    )
}

pub use crate::locale::format::{humanize, id_in_words};
