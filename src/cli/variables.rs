//! `kamplan variables`: every name a rule can use, with its kind and meaning,
//! in the project's language.

use clap::{Args, ValueEnum};
use kamplan::classify::variables::{CATALOGUE, markdown_table};
use kamplan::config::project::{PROJECT_FILE, load_project};
use kamplan::config::rules::{ClassRule, Rules, load_rules};
use kamplan::diagnostic::Diagnostics;
use kamplan::ingest::master::read_master;
use kamplan::locale::Locale;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

/// List the variables rules and templates can use: the base variables every
/// customer has (metrics and master fields), the master's other columns,
/// and what the project's rules add (derived metrics, classes, distances,
/// segments, alerts, key accounts, strategies).
///
/// Examples:
///   kamplan variables sample-data
///   kamplan variables --format markdown
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct VariablesArgs {
    /// Project folder holding kamplan.toml [default: current folder; without
    /// one, the base variables and the default rules'].
    project: Option<PathBuf>,
    /// Print as text (default), or the base variables as a Markdown table.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Language of the descriptions: en or it [default: the project's locale].
    #[arg(long, value_name = "CODE")]
    locale: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Markdown,
}

pub fn run(args: VariablesArgs) -> Result<(), Diagnostics> {
    let dir = args.project.clone().unwrap_or_else(|| PathBuf::from("."));
    let project = match args.project.is_some() || dir.join(PROJECT_FILE).is_file() {
        true => Some(load_project(&dir)?),
        false => None,
    };
    let locale = match &args.locale {
        Some(code) => super::input::parse_locale(code)?,
        None => project.as_ref().map_or(Locale::En, |p| p.locale),
    };
    if let Format::Markdown = args.format {
        super::emit(&markdown_table(locale));
        return Ok(());
    }
    let rules_dir = project.as_ref().and_then(|p| p.rules_dir.as_deref());
    let rules = load_rules(rules_dir, locale)?;
    let extra = match project.as_ref().and_then(|p| p.customers.as_ref()) {
        Some(source) => read_master(source)?
            .customers
            .values()
            .flat_map(|c| c.attributes.keys())
            .map(|k| kamplan::model::fields::normalize_header(k))
            .filter(|k| CATALOGUE.iter().all(|v| v.name != k))
            .collect(),
        None => BTreeSet::new(),
    };
    super::emit(&listing(locale, &rules, &extra));
    Ok(())
}

/// One line of the listing: name, kind, meaning.
type Row = (String, String, String);

/// The listing: the catalogue, the master's other columns, the rules' names.
fn listing(l: Locale, rules: &Rules, extra: &BTreeSet<String>) -> String {
    let t = |english: &'static str| l.text(english);
    let mut sections: Vec<(String, Vec<Row>)> = Vec::new();
    let base = |column: bool| -> Vec<Row> {
        CATALOGUE
            .iter()
            .filter(|v| v.column == column)
            .map(|v| (v.name.to_string(), v.kind.describe(l).to_string(), v.about.get(l).into()))
            .collect()
    };
    sections.push((
        t("Columns of portfolio.csv (every customer, before any rule runs)").into(),
        base(true),
    ));
    sections.push((
        t("Other base variables (every customer, before any rule runs)").into(),
        base(false),
    ));
    if !extra.is_empty() {
        sections.push((
            t("Other columns of the customers master (text, as written)").to_string(),
            extra.iter().map(|k| (k.clone(), t("text").to_string(), String::new())).collect(),
        ));
    }
    sections.push((t("Added by the rules, in the order they run").to_string(), added(l, rules)));
    table(&sections)
}

/// The names the rules add, in the order they run: derived metrics,
/// classes and their distances, segments, then alerts, key account, strategy.
fn added(l: Locale, rules: &Rules) -> Vec<Row> {
    let t = |english: &'static str| l.text(english).to_string();
    let mut added = Vec::new();
    for d in &rules.derived {
        added.push((d.name.clone(), t("derived metric"), d.expression.value.clone()));
    }
    for c in &rules.classifications {
        added.push((c.id.clone(), t("class"), c.rule.classes().join(", ")));
        if let ClassRule::Abc(_) = c.rule {
            added.push((
                format!("{}_distance", c.id),
                t("ratio"),
                t("distance to the nearest class bound"),
            ));
        }
    }
    for m in &rules.matrices {
        // Segment ids in the order the matrix's rows name them, each once.
        let mut segments: Vec<&str> = Vec::new();
        for id in m
            .cells
            .iter()
            .flatten()
            .map(|c| c.value.as_str())
            .chain(m.missing.as_ref().map(|m| m.value.as_str()))
        {
            if !segments.contains(&id) {
                segments.push(id);
            }
        }
        added.push((m.id.clone(), t("segment"), segments.join(", ")));
    }
    added.push((
        "alerts".into(),
        t("list of texts"),
        t("the ids of the alerts the customer fired"),
    ));
    added.push(("key_account".into(), t("1 or 0"), t("whether the customer is a key account")));
    added.push(("strategy".into(), t("text"), t("the id of the customer's strategy (texts only)")));
    added
}

/// The sections as aligned columns under their headings.
fn table(sections: &[(String, Vec<Row>)]) -> String {
    let widest = |cell: fn(&Row) -> &String| {
        sections.iter().flat_map(|(_, rows)| rows).map(|r| cell(r).chars().count()).max()
    };
    let (width, kind_width) = (widest(|r| &r.0).unwrap_or(0), widest(|r| &r.1).unwrap_or(0));
    let mut out = String::new();
    for (i, (heading, rows)) in sections.iter().enumerate() {
        let gap = if i == 0 { "" } else { "\n" };
        let _ = writeln!(out, "{gap}{heading}");
        for (name, kind, about) in rows {
            let line = format!("  {name:<width$}  {kind:<kind_width$}  {about}");
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}
