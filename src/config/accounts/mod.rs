//! Account files: what a consultant knows about one account that the sales
//! data cannot tell — the decision-making unit, competitors, the contract,
//! survey results, history, SWOT entries and objectives. One file per
//! account, `accounts/<customer_id>.toml` in the project; values given here
//! override the customers master's.

mod language;
mod raw;
mod skeleton;

pub use skeleton::skeleton;

use super::{Diagnostic, Diagnostics, IssueSink};
use crate::locale::Locale;
use crate::model::records::{Customer, Master, RELATIONSHIP_STAGES};
use crate::model::{Amount, Date};
use language::TextPicker;
use raw::{RawDate, RawNumber};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The kinds of key client of the sources: the mainstay (a large share of
/// profit, long term), the prospect (new, good budget), the image maker (a
/// well-known leader) and the expert (demanding, knows the market).
pub const KEY_CLIENT_TYPES: &[&str] = &["mainstay", "prospect", "image-maker", "expert"];
pub const INFLUENCE_LEVELS: &[&str] = &["low", "medium", "high"];
pub const ATTITUDES: &[&str] = &["champion", "supporter", "neutral", "sceptic", "opponent"];
pub const PRICE_POSITIONS: &[&str] = &["lower", "similar", "higher"];
pub const EVENT_KINDS: &[&str] = &["delivery", "proposal", "meeting", "complaint", "other"];
pub const OUTCOMES: &[&str] = &["won", "lost", "open"];

/// Everything the account files of a project say, by customer id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountBook {
    pub accounts: BTreeMap<String, AccountFile>,
    /// Texts without a version in the documents' language, at their place
    /// (reported by `check`; the plans show another version).
    pub missing_translations: Vec<Diagnostic>,
}

impl AccountBook {
    pub fn get(&self, customer_id: &str) -> Option<&AccountFile> {
        self.accounts.get(customer_id)
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The book with every customer id in the project's id form
    /// (`[customer_ids]`), so `00135.toml` is the account of customer `135`
    /// when leading zeros are stripped; two files that then name the same
    /// customer are an error.
    pub fn with_ids(self, ids: &crate::model::ids::IdRule) -> Result<AccountBook, Diagnostics> {
        if ids.is_identity() {
            return Ok(self);
        }
        let mut book = AccountBook {
            missing_translations: self.missing_translations,
            ..AccountBook::default()
        };
        let mut issues = Vec::new();
        for (_, mut file) in self.accounts {
            let id = ids.apply(std::borrow::Cow::Borrowed(&file.customer_id)).into_owned();
            match book.accounts.get(&id) {
                Some(first) => issues.push(Diagnostic::error(
                    file.path.clone(),
                    None,
                    format!(
                        "customer \"{id}\" already has an account file: {} (the two ids are the same in the form [customer_ids] gives them)",
                        first.path.display()
                    ),
                )),
                None => {
                    file.customer_id = id.clone();
                    book.accounts.insert(id, file);
                }
            }
        }
        if issues.is_empty() { Ok(book) } else { Err(Diagnostics(issues)) }
    }
}

/// One account file, validated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountFile {
    pub customer_id: String,
    pub path: PathBuf,
    /// Master values this file replaces.
    pub overrides: Overrides,
    pub contract_terms: Option<String>,
    pub dmu: Vec<Person>,
    pub competitors: Vec<Competitor>,
    pub history: Vec<Event>,
    pub swot: ConsultantSwot,
    pub objectives: Vec<ConsultantObjective>,
    pub lost_reason: Option<String>,
    pub notes: Option<String>,
}

/// Master fields an account file may set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    pub name: Option<String>,
    pub sector: Option<String>,
    pub region: Option<String>,
    pub account_manager: Option<String>,
    pub potential: Option<Amount>,
    pub market_growth: Option<Amount>,
    pub attractiveness: Option<Amount>,
    pub adaptability: Option<Amount>,
    pub cost_to_serve: Option<Amount>,
    pub customer_since: Option<Date>,
    pub relationship_stage: Option<&'static str>,
    pub satisfaction: Option<Amount>,
    pub loyalty: Option<Amount>,
    pub contract_expiry: Option<Date>,
    pub key_client_type: Option<String>,
}

/// A member of the customer's decision-making unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub name: String,
    pub role: String,
    pub influence: Option<String>,
    /// Their attitude towards us.
    pub attitude: Option<String>,
    /// What they judge a supplier by.
    pub criteria: Option<String>,
}

/// A competitor present at the account.
#[derive(Clone, Debug, PartialEq)]
pub struct Competitor {
    pub name: String,
    pub products: Option<String>,
    /// Estimated share of the account's purchases in our categories (0–1).
    pub share: Option<f64>,
    /// Their prices against ours: lower, similar or higher.
    pub price_position: Option<String>,
}

/// A delivery, proposal, meeting or complaint in the account's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub date: Date,
    pub kind: String,
    pub subject: String,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub value: Option<Amount>,
}

/// SWOT entries written by the consultant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConsultantSwot {
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    pub opportunities: Vec<String>,
    pub threats: Vec<String>,
}

/// An objective written by the consultant.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsultantObjective {
    pub objective: String,
    pub measure: Option<String>,
    pub target: Option<String>,
    pub due: Option<Date>,
}

/// Reads every `*.toml` below `dir` (none when the folder does not exist),
/// with the texts in `locale`, the documents' language. Every problem of
/// every file is reported together.
pub fn load_accounts(dir: &Path, locale: Locale) -> Result<AccountBook, Diagnostics> {
    let mut files = Vec::new();
    let mut issues = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    issues.push(issue(dir, format!("cannot read: {e}")));
                    continue;
                }
            };
            let path = entry.path();
            // Files named `_…` are examples and drafts, not accounts.
            let draft = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('_'));
            if entry.file_type().is_file()
                && path.extension().is_some_and(|e| e == "toml")
                && !draft
            {
                match std::fs::read_to_string(path) {
                    Ok(text) => files.push((path.to_path_buf(), text)),
                    Err(e) => issues.push(issue(path, format!("cannot read: {e}"))),
                }
            }
        }
    }
    let (book, more) = parse_accounts_in(&files, locale);
    issues.extend(more);
    if issues.is_empty() { Ok(book) } else { Err(Diagnostics(issues)) }
}

fn issue(path: &Path, message: String) -> Diagnostic {
    Diagnostic::error(path, None, message)
}

/// Validates account files of an English project given as (path, text).
pub fn parse_accounts(files: &[(PathBuf, String)]) -> (AccountBook, Vec<Diagnostic>) {
    parse_accounts_in(files, Locale::En)
}

/// Validates account files given as (path, text), with the texts in
/// `locale`; the customer id is the file's stem unless `[account]
/// customer_id` says otherwise.
pub fn parse_accounts_in(
    files: &[(PathBuf, String)],
    locale: Locale,
) -> (AccountBook, Vec<Diagnostic>) {
    let mut book = AccountBook::default();
    let mut issues = Vec::new();
    for (path, text) in files {
        let mut sink = IssueSink::new(path.clone(), text);
        if let Some((account, missing)) = parse_account(&mut sink, path, text, locale) {
            book.missing_translations.extend(missing);
            if let Some(first) = book.accounts.get(&account.customer_id) {
                sink.at(
                    None,
                    format!(
                        "customer \"{}\" already has an account file: {}",
                        account.customer_id,
                        first.path.display()
                    ),
                );
            } else if sink.issues.is_empty() {
                book.accounts.insert(account.customer_id.clone(), account);
            }
        }
        issues.extend(sink.issues);
    }
    (book, issues)
}

fn parse_account(
    sink: &mut IssueSink,
    path: &Path,
    text: &str,
    locale: Locale,
) -> Option<(AccountFile, Vec<Diagnostic>)> {
    let raw: raw::RawAccountFile = match crate::config::parse_collecting_unknown(text) {
        Ok((file, unknown)) => {
            for key in unknown {
                let table: Vec<&str> =
                    key[..key.len().saturating_sub(1)].iter().map(String::as_str).collect();
                crate::config::report_unknown_key(sink, &key, raw::known_keys(&table));
            }
            file
        }
        Err(e) => {
            sink.toml(&e);
            return None;
        }
    };
    let declared = crate::config::rules::declared_language(sink, raw.language.as_ref());
    let mut texts = TextPicker::new(locale, declared);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut file = AccountFile { path: path.to_path_buf(), ..AccountFile::default() };
    file.customer_id = stem;
    if let Some(account) = raw.account {
        if let Some(id) = account.customer_id {
            let id_text = id.get_ref().trim();
            if id_text.is_empty() {
                sink.at(Some(id.span().start), "customer_id is empty");
            } else {
                file.customer_id = id_text.to_string();
            }
        }
        let o = &mut file.overrides;
        o.name = non_empty(account.name);
        o.sector = non_empty(account.sector);
        o.region = non_empty(account.region);
        o.account_manager = non_empty(account.account_manager);
        o.potential = account.potential.and_then(|v| amount(sink, "potential", v, None));
        o.market_growth =
            account.market_growth.and_then(|v| amount(sink, "market_growth", v, Some((-1.0, 1.0))));
        o.attractiveness = account
            .attractiveness
            .and_then(|v| amount(sink, "attractiveness", v, Some((1.0, 5.0))));
        o.adaptability =
            account.adaptability.and_then(|v| amount(sink, "adaptability", v, Some((1.0, 5.0))));
        o.cost_to_serve =
            account.cost_to_serve.and_then(|v| amount(sink, "cost_to_serve", v, None));
        o.customer_since = account.customer_since.and_then(|d| date(sink, d));
        o.relationship_stage =
            account.relationship_stage.and_then(|s| choice(sink, s, RELATIONSHIP_STAGES));
        o.key_client_type = account
            .key_client_type
            .and_then(|s| choice(sink, s, KEY_CLIENT_TYPES))
            .map(str::to_string);
        file.lost_reason = optional(sink, &mut texts, account.lost_reason);
        file.notes = optional(sink, &mut texts, account.notes);
    }
    if let Some(survey) = raw.survey {
        let o = &mut file.overrides;
        o.satisfaction =
            survey.satisfaction.and_then(|v| amount(sink, "satisfaction", v, Some((1.0, 5.0))));
        o.loyalty = survey.loyalty.and_then(|v| amount(sink, "loyalty", v, Some((0.0, 100.0))));
    }
    if let Some(contract) = raw.contract {
        file.overrides.contract_expiry = contract.expiry.and_then(|d| date(sink, d));
        file.contract_terms = optional(sink, &mut texts, contract.terms);
    }
    for person in raw.dmu {
        let person = person.into_inner();
        file.dmu.push(Person {
            name: required(sink, person.name),
            role: optional(sink, &mut texts, person.role).unwrap_or_default(),
            influence: person
                .influence
                .and_then(|s| choice(sink, s, INFLUENCE_LEVELS))
                .map(Into::into),
            attitude: person.attitude.and_then(|s| choice(sink, s, ATTITUDES)).map(Into::into),
            criteria: optional(sink, &mut texts, person.criteria),
        });
    }
    for competitor in raw.competitor {
        let c = competitor.into_inner();
        let share = c.share.and_then(|s| {
            let at = s.span().start;
            let x = s.into_inner().to_f64();
            if (0.0..=1.0).contains(&x) {
                Some(x)
            } else {
                sink.at(
                    Some(at),
                    format!("share {x} is not a fraction between 0 and 1 (write 0.3 for 30%)"),
                );
                None
            }
        });
        file.competitors.push(Competitor {
            name: required(sink, c.name),
            products: optional(sink, &mut texts, c.products),
            share,
            price_position: c
                .price_position
                .and_then(|s| choice(sink, s, PRICE_POSITIONS))
                .map(Into::into),
        });
    }
    for event in raw.history {
        let e = event.into_inner();
        let Some(when) = date(sink, e.date) else { continue };
        file.history.push(Event {
            date: when,
            kind: choice(sink, e.kind, EVENT_KINDS).unwrap_or("other").to_string(),
            subject: required_text(sink, &mut texts, e.subject),
            outcome: e.outcome.and_then(|s| choice(sink, s, OUTCOMES)).map(Into::into),
            reason: optional(sink, &mut texts, e.reason),
            value: e.value.and_then(|v| amount(sink, "value", v, None)),
        });
    }
    file.history.sort_by_key(|e| e.date);
    if let Some(swot) = raw.swot {
        let mut clean = |v: Option<raw::Texts>| -> Vec<String> {
            v.and_then(|v| texts.pick(sink, v))
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        file.swot = ConsultantSwot {
            strengths: clean(swot.strengths),
            weaknesses: clean(swot.weaknesses),
            opportunities: clean(swot.opportunities),
            threats: clean(swot.threats),
        };
    }
    for objective in raw.objective {
        let o = objective.into_inner();
        file.objectives.push(ConsultantObjective {
            objective: required_text(sink, &mut texts, o.objective),
            measure: optional(sink, &mut texts, o.measure),
            target: optional(sink, &mut texts, o.target),
            due: o.due.and_then(|d| date(sink, d)),
        });
    }
    Some((file, texts.finish()))
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// A free text in the documents' language, when written and not blank.
fn optional(
    sink: &mut IssueSink,
    texts: &mut TextPicker,
    text: Option<raw::Text>,
) -> Option<String> {
    non_empty(text.and_then(|t| texts.pick(sink, t)))
}

/// A free text that must be written, in the documents' language.
fn required_text(sink: &mut IssueSink, texts: &mut TextPicker, text: raw::Text) -> String {
    let at = text.span().start;
    // An empty table is reported by the picker already.
    let Some(value) = texts.pick(sink, text) else { return String::new() };
    let value = value.trim().to_string();
    if value.is_empty() {
        sink.at(Some(at), "this text must not be empty");
    }
    value
}

fn required(sink: &mut IssueSink, text: Spanned<String>) -> String {
    let at = text.span().start;
    let value = text.into_inner().trim().to_string();
    if value.is_empty() {
        sink.at(Some(at), "this text must not be empty");
    }
    value
}

/// One of a fixed list of words, compared without regard to case.
fn choice(
    sink: &mut IssueSink,
    text: Spanned<String>,
    allowed: &[&'static str],
) -> Option<&'static str> {
    let found = allowed.iter().find(|a| a.eq_ignore_ascii_case(text.get_ref().trim())).copied();
    if found.is_none() {
        let hint = crate::model::fields::closest(text.get_ref(), allowed.iter().copied())
            .map(crate::diagnostic::did_you_mean);
        sink.hinted(
            Some(text.span().start),
            format!("\"{}\" is not one of {}", text.get_ref(), allowed.join(", ")),
            hint,
        );
    }
    found
}

fn amount(
    sink: &mut IssueSink,
    name: &str,
    value: Spanned<RawNumber>,
    range: Option<(f64, f64)>,
) -> Option<Amount> {
    let at = value.span().start;
    let x = value.into_inner().to_f64();
    if let Some((lo, hi)) = range
        && !(lo..=hi).contains(&x)
    {
        let hint =
            if name == "market_growth" { ": write the growth as a ratio, 12% as 0.12" } else { "" };
        sink.at(Some(at), format!("{name} {x} is outside {lo}–{hi}{hint}"));
        return None;
    }
    let amount = Amount::from_f64_rounded(x);
    if amount.is_none() {
        sink.at(Some(at), format!("{name} {x} is not a number kamplan can keep"));
    }
    amount
}

fn date(sink: &mut IssueSink, value: Spanned<RawDate>) -> Option<Date> {
    let at = value.span().start;
    let parsed = match value.get_ref() {
        RawDate::Date(d) => d
            .date
            .filter(|_| d.time.is_none())
            .and_then(|d| Date::from_ymd(i32::from(d.year), u32::from(d.month), u32::from(d.day))),
        RawDate::Text(t) => Date::parse_iso(t.trim()),
    };
    if parsed.is_none() {
        sink.at(Some(at), "expected a date written YYYY-MM-DD");
    }
    parsed
}

impl AccountBook {
    /// Applies the files' values over the master's: a customer missing from
    /// the master gets a record of its own.
    pub fn apply_to(&self, master: &mut Master) {
        for (id, file) in &self.accounts {
            let customer = master
                .customers
                .entry(id.clone())
                .or_insert_with(|| Customer { id: id.clone(), ..Customer::default() });
            file.overrides.apply_to(customer);
        }
    }

    /// Issues for account files naming customers that are in neither the
    /// master nor the sales (a mistyped id would otherwise go unnoticed).
    pub fn unknown_customers(&self, known: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
        self.accounts
            .values()
            .filter(|f| !known(&f.customer_id))
            .map(|f| {
                issue(
                    &f.path,
                    format!(
                        "customer \"{}\" is neither in the customers master nor in the sales; name the file after a customer id or set [account] customer_id",
                        f.customer_id
                    ),
                )
            })
            .collect()
    }
}

impl Overrides {
    fn apply_to(&self, c: &mut Customer) {
        fn set<T: Clone>(target: &mut Option<T>, value: &Option<T>) {
            if value.is_some() {
                target.clone_from(value);
            }
        }
        set(&mut c.name, &self.name);
        set(&mut c.sector, &self.sector);
        set(&mut c.region, &self.region);
        set(&mut c.account_manager, &self.account_manager);
        set(&mut c.potential, &self.potential);
        set(&mut c.market_growth, &self.market_growth);
        set(&mut c.attractiveness, &self.attractiveness);
        set(&mut c.adaptability, &self.adaptability);
        set(&mut c.cost_to_serve, &self.cost_to_serve);
        set(&mut c.customer_since, &self.customer_since);
        set(&mut c.relationship_stage, &self.relationship_stage);
        set(&mut c.satisfaction, &self.satisfaction);
        set(&mut c.loyalty, &self.loyalty);
        set(&mut c.contract_expiry, &self.contract_expiry);
        set(&mut c.key_client_type, &self.key_client_type);
    }
}

#[cfg(test)]
mod tests;
