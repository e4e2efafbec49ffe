//! `kamplan.toml`: where a project's data is, how to read it, and the period.

use super::dialect::{DateFormat, Decimal, DialectSpec, Encoding, OnBadRow, Setting};
use super::{Diagnostic, Diagnostics, IssueSink};
use crate::locale::Locale;
use crate::model::Date;
use crate::model::fields::{CanonicalField, MasterField, SalesField, closest};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// File name of a project's configuration.
pub const PROJECT_FILE: &str = "kamplan.toml";

/// A validated project.
#[derive(Clone, Debug)]
pub struct Project {
    /// Folder holding `kamplan.toml`; relative paths are resolved against it.
    pub root: PathBuf,
    pub name: String,
    pub currency: String,
    /// The language of the documents.
    pub locale: Locale,
    pub period: PeriodSpec,
    pub sales: SourceSpec<SalesField>,
    pub customers: Option<SourceSpec<MasterField>>,
    pub on_bad_row: OnBadRow,
    /// Where outputs are written.
    pub out_dir: PathBuf,
    /// How the CSV tables are written (`[output] csv`).
    pub csv: CsvStyle,
    /// The project's own `rules/` folder, when it has one.
    pub rules_dir: Option<PathBuf>,
    /// Folder of account files (`accounts/`), when the project has one.
    pub accounts_dir: Option<PathBuf>,
    /// Who the documents are for and by whom, for their covers.
    pub engagement: Engagement,
    /// Colours, logos, font and footer of the documents.
    pub brand: super::brand::Brand,
    /// The plan record (`plans.csv`) of an earlier build, whose objectives
    /// this run judges against its results (`[previous_plan] path`).
    pub previous_plan: Option<PathBuf>,
    /// How customer value is discounted (`[forecast]`).
    pub forecast: crate::forecast::outlook::Settings,
}

/// The form of the CSV tables kamplan writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvStyle {
    /// The documented format scripts read: `,` between fields, decimal
    /// point, no byte order mark.
    #[default]
    Standard,
    /// What a spreadsheet of the project's language opens in columns: a
    /// byte order mark, and in Italian `;` between fields and decimal comma.
    Excel,
}

impl CsvStyle {
    pub fn parse(name: &str) -> Option<CsvStyle> {
        match name {
            "standard" => Some(CsvStyle::Standard),
            "excel" => Some(CsvStyle::Excel),
            _ => None,
        }
    }
}

/// The `[engagement]` table: the fields a document's cover shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Engagement {
    /// The client company whose customers are analysed.
    pub client: Option<String>,
    /// The engagement's name, e.g. "Key account review 2025".
    pub title: Option<String>,
    /// The consultant who signs the documents.
    pub consultant: Option<String>,
    /// The consultant's firm.
    pub firm: Option<String>,
    /// A line printed on every page, e.g. "Confidential".
    pub confidentiality: Option<String>,
}

/// The analysis period as configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodSpec {
    /// `None`: the last day of the month of the latest sale.
    pub as_of: Option<Date>,
    pub months: u32,
}

impl Default for PeriodSpec {
    fn default() -> Self {
        PeriodSpec { as_of: None, months: 12 }
    }
}

/// Where a column mapping was written: a place in kamplan.toml, or a
/// `--map` option (as typed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappedAt {
    File(crate::diagnostic::Place),
    Option(String),
}

/// A data source: a file or a folder of files, its dialect and its column mapping.
#[derive(Clone, Debug)]
pub struct SourceSpec<F> {
    pub path: PathBuf,
    /// The project folder: symbolic links met while reading must stay in it
    /// (see `links`).
    pub root: PathBuf,
    pub dialect: DialectSpec,
    /// Header (as written in the file) → canonical field, beyond the recognised names.
    pub columns: Vec<(String, F)>,
    /// Where each mapping of `columns` was written, by header, for messages.
    pub mapped_at: BTreeMap<String, MappedAt>,
    /// How customer ids are brought to one form (`[customer_ids]`).
    pub ids: crate::model::ids::IdRule,
    /// Lines, or an aggregate of them (sales only; see `ingest::aggregate`).
    pub form: SourceForm,
}

/// What a sales source holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SourceForm {
    /// Invoice lines, in any dialect.
    #[default]
    Lines,
    /// One file in kamplan's aggregate format (docs/aggregate.md).
    Aggregate,
}

impl<F> SourceSpec<F> {
    /// A source with detected dialect and no explicit mapping.
    /// Without a project folder, the folder given (or the file's folder) is one.
    pub fn detected(path: PathBuf) -> Self {
        let root = if path.is_dir() {
            path.clone()
        } else {
            path.parent().unwrap_or(Path::new(".")).to_path_buf()
        };
        SourceSpec {
            path,
            root,
            dialect: DialectSpec::default(),
            columns: Vec::new(),
            mapped_at: BTreeMap::new(),
            ids: Default::default(),
            form: SourceForm::Lines,
        }
    }
}

#[derive(Deserialize)]
struct RawProjectFile {
    project: Option<RawProject>,
    sales: Option<RawSource>,
    customers: Option<RawSource>,
    output: Option<RawOutput>,
    engagement: Option<Engagement>,
    brand: Option<super::brand::RawBrand>,
    customer_ids: Option<RawIds>,
    previous_plan: Option<RawPreviousPlan>,
    forecast: Option<RawForecast>,
}

#[derive(Deserialize)]
struct RawForecast {
    discount_rate: Option<Spanned<f64>>,
    value_months: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
struct RawPreviousPlan {
    path: String,
}

#[derive(Deserialize)]
struct RawIds {
    strip_leading_zeros: Option<bool>,
    upper_case: Option<bool>,
    remove_spaces: Option<bool>,
    strip_prefix: Option<String>,
}

#[derive(Deserialize)]
struct RawProject {
    name: Option<String>,
    currency: Option<String>,
    locale: Option<Spanned<String>>,
    months: Option<Spanned<i64>>,
    as_of: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawSource {
    path: Spanned<String>,
    kind: Option<Spanned<String>>,
    sheet: Option<String>,
    header_row: Option<Spanned<i64>>,
    encoding: Option<Spanned<String>>,
    delimiter: Option<Spanned<String>>,
    decimal: Option<Spanned<String>>,
    date_format: Option<Spanned<String>>,
    on_bad_row: Option<Spanned<String>>,
    float_amounts: Option<Spanned<String>>,
    #[serde(default)]
    columns: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
struct RawOutput {
    dir: Option<String>,
    csv: Option<Spanned<String>>,
}

/// Keys of `[sales]`; `[customers]` has them all but the first.
const SOURCE_KEYS: [&str; 11] = [
    "kind",
    "path",
    "sheet",
    "header_row",
    "encoding",
    "delimiter",
    "decimal",
    "date_format",
    "float_amounts",
    "on_bad_row",
    "columns",
];

/// Keys each table of `kamplan.toml` accepts, for "did you mean" hints.
fn known_keys(table: &[&str]) -> &'static [&'static str] {
    match table {
        [] => &[
            "project",
            "sales",
            "customers",
            "output",
            "engagement",
            "brand",
            "customer_ids",
            "previous_plan",
            "forecast",
        ],
        ["previous_plan"] => &["path"],
        ["forecast"] => &["discount_rate", "value_months"],
        ["customer_ids"] => &["strip_leading_zeros", "upper_case", "remove_spaces", "strip_prefix"],
        ["brand"] => super::brand::KEYS,
        ["engagement"] => &["client", "title", "consultant", "firm", "confidentiality"],
        ["project"] => &["name", "currency", "locale", "months", "as_of"],
        // kind applies to [sales] only.
        ["sales"] => &SOURCE_KEYS,
        ["customers"] => &SOURCE_KEYS[1..],
        ["output"] => &["dir", "csv"],
        _ => &[],
    }
}

/// Reads and validates `DIR/kamplan.toml`.
pub fn load_project(dir: &Path) -> Result<Project, Diagnostics> {
    let file = dir.join(PROJECT_FILE);
    let text = std::fs::read_to_string(&file).map_err(|e| {
        let message = if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "not a kamplan project: {PROJECT_FILE} not found (create one, or use --sales FILE)"
            )
        } else {
            format!("cannot read: {e}")
        };
        Diagnostics(vec![Diagnostic::error(file.clone(), None, message)])
    })?;
    parse_project(dir, &file, &text)
}

/// Validates the text of a project file; `root` is the project folder.
pub fn parse_project(root: &Path, file: &Path, text: &str) -> Result<Project, Diagnostics> {
    let mut sink = IssueSink::new(file.to_path_buf(), text);
    let raw: RawProjectFile = match super::parse_collecting_unknown(text) {
        Ok((raw, unknown)) => {
            for path in unknown {
                let table: Vec<&str> =
                    path[..path.len().saturating_sub(1)].iter().map(String::as_str).collect();
                super::report_unknown_key(&mut sink, &path, known_keys(&table));
            }
            raw
        }
        Err(e) => {
            sink.toml(&e);
            return Err(Diagnostics(sink.issues));
        }
    };
    let project = raw.project.unwrap_or(RawProject {
        name: None,
        currency: None,
        locale: None,
        months: None,
        as_of: None,
    });
    let period = validate_period(&mut sink, &project);
    let locale = match &project.locale {
        None => Locale::default(),
        Some(code) => Locale::parse(code.get_ref()).unwrap_or_else(|| {
            let message = format!(
                "unknown locale \"{}\"; the documents can be written in {}",
                code.get_ref(),
                Locale::codes()
            );
            sink.at(Some(code.span().start), message);
            Locale::default()
        }),
    };
    let Some(raw_sales) = raw.sales else {
        sink.at(
            None,
            "missing [sales] table: say where the sales lines are, e.g. [sales] path = \"sales\"",
        );
        return Err(Diagnostics(sink.issues));
    };
    let on_bad_row = validate_on_bad_row(&mut sink, raw_sales.on_bad_row.as_ref());
    let ids = raw.customer_ids.map_or_else(Default::default, |r| crate::model::ids::IdRule {
        strip_leading_zeros: r.strip_leading_zeros.unwrap_or(false),
        upper_case: r.upper_case.unwrap_or(false),
        remove_spaces: r.remove_spaces.unwrap_or(false),
        strip_prefix: r.strip_prefix.filter(|p| !p.is_empty()),
    });
    let form = validate_form(&mut sink, &raw_sales);
    let mut sales = validate_source::<SalesField>(&mut sink, root, raw_sales);
    sales.ids = ids.clone();
    sales.form = form;
    let customers = raw.customers.map(|raw| {
        if let Some(value) = &raw.on_bad_row {
            sink.at(
                Some(value.span().start),
                "on_bad_row applies to [sales] only: a bad master row is an error",
            );
        }
        if let Some(value) = &raw.kind {
            sink.at(
                Some(value.span().start),
                "kind applies to [sales] only: the master is read as rows",
            );
        }
        let mut source = validate_source::<MasterField>(&mut sink, root, raw);
        source.ids = ids.clone();
        source
    });
    let brand =
        raw.brand.map(|b| super::brand::validate_brand(&mut sink, root, b)).unwrap_or_default();
    let output = raw.output.unwrap_or(RawOutput { dir: None, csv: None });
    let csv = validate_csv(&mut sink, output.csv.as_ref());
    let forecast = validate_forecast(&mut sink, raw.forecast.as_ref());
    if !sink.issues.is_empty() {
        return Err(Diagnostics(sink.issues));
    }
    let rules_dir = Some(root.join("rules")).filter(|d| d.is_dir());
    let out_dir = root.join(output.dir.unwrap_or_else(|| "out".to_string()));
    Ok(Project {
        root: root.to_path_buf(),
        name: project.name.unwrap_or_else(|| dir_name(root)),
        currency: project.currency.unwrap_or_else(|| "EUR".to_string()),
        locale,
        period,
        sales,
        customers,
        on_bad_row,
        out_dir,
        csv,
        rules_dir,
        accounts_dir: Some(root.join("accounts")).filter(|d| d.is_dir()),
        engagement: raw.engagement.unwrap_or_default(),
        brand,
        previous_plan: raw.previous_plan.map(|p| root.join(p.path)),
        forecast,
    })
}

fn validate_forecast(
    sink: &mut IssueSink,
    raw: Option<&RawForecast>,
) -> crate::forecast::outlook::Settings {
    let mut settings = crate::forecast::outlook::Settings::default();
    let Some(raw) = raw else { return settings };
    if let Some(rate) = &raw.discount_rate {
        match *rate.get_ref() {
            r if (0.0..1.0).contains(&r) => settings.discount_rate = r,
            _ => sink.at(
                Some(rate.span().start),
                "discount_rate is a yearly rate from 0 to 1 (0.1 is 10% a year)",
            ),
        }
    }
    if let Some(months) = &raw.value_months {
        match u32::try_from(*months.get_ref()) {
            Ok(m) if (1..=120).contains(&m) => settings.value_months = m,
            _ => sink
                .at(Some(months.span().start), "value_months must be a whole number from 1 to 120"),
        }
    }
    settings
}

fn dir_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

fn validate_period(sink: &mut IssueSink, project: &RawProject) -> PeriodSpec {
    let mut period = PeriodSpec::default();
    if let Some(months) = &project.months {
        match u32::try_from(*months.get_ref()) {
            Ok(m) if (1..=120).contains(&m) => period.months = m,
            _ => sink.at(Some(months.span().start), "months must be a whole number from 1 to 120"),
        }
    }
    if let Some(as_of) = &project.as_of {
        match Date::parse_iso_explained(as_of.get_ref()) {
            Ok(date) => period.as_of = Some(date),
            Err(why) => sink.at(Some(as_of.span().start), format!("as_of: {why}")),
        }
    }
    period
}

fn validate_on_bad_row(sink: &mut IssueSink, value: Option<&Spanned<String>>) -> OnBadRow {
    match value.map(|v| (v.get_ref().as_str(), v.span().start)) {
        None | Some(("reject", _)) => OnBadRow::Reject,
        Some(("fail", _)) => OnBadRow::Fail,
        Some((other, at)) => {
            sink.at(
                Some(at),
                format!("on_bad_row is \"{other}\"; expected \"reject\" or \"fail\""),
            );
            OnBadRow::Reject
        }
    }
}

/// `kind` of `[sales]`: lines (the default) or an aggregate, which has one
/// format, so the dialect and mapping keys have nothing to set.
fn validate_form(sink: &mut IssueSink, raw: &RawSource) -> SourceForm {
    let Some(kind) = &raw.kind else { return SourceForm::Lines };
    let form = match kind.get_ref().as_str() {
        "lines" => return SourceForm::Lines,
        "aggregate" => SourceForm::Aggregate,
        other => {
            sink.at(
                Some(kind.span().start),
                format!("kind is \"{other}\"; expected \"lines\" or \"aggregate\""),
            );
            return SourceForm::Lines;
        }
    };
    let dialect_keys = [
        ("sheet", raw.sheet.is_some()),
        ("header_row", raw.header_row.is_some()),
        ("encoding", raw.encoding.is_some()),
        ("delimiter", raw.delimiter.is_some()),
        ("decimal", raw.decimal.is_some()),
        ("date_format", raw.date_format.is_some()),
        ("float_amounts", raw.float_amounts.is_some()),
        ("columns", !raw.columns.is_empty()),
    ];
    for (key, _) in dialect_keys.iter().filter(|(_, set)| *set) {
        sink.at(
            Some(kind.span().start),
            format!("{key} does not apply to an aggregate, which has one format (docs/aggregate.md): remove it"),
        );
    }
    form
}

fn validate_csv(sink: &mut IssueSink, value: Option<&Spanned<String>>) -> CsvStyle {
    let Some(value) = value else { return CsvStyle::default() };
    CsvStyle::parse(value.get_ref()).unwrap_or_else(|| {
        sink.at(
            Some(value.span().start),
            format!(
                "csv is \"{}\"; expected \"standard\" (the documented format) or \"excel\" (the spreadsheet dialect of the project's locale)",
                value.get_ref()
            ),
        );
        CsvStyle::default()
    })
}

fn validate_source<F: CanonicalField>(
    sink: &mut IssueSink,
    root: &Path,
    raw: RawSource,
) -> SourceSpec<F> {
    let dialect = source_dialect(sink, &raw);
    let (columns, mapped_at) = column_mapping::<F>(sink, raw.columns);
    SourceSpec {
        path: root.join(raw.path.get_ref()),
        root: root.to_path_buf(),
        dialect,
        columns,
        mapped_at,
        ids: Default::default(),
        form: SourceForm::Lines,
    }
}

/// The dialect settings of a source; a value not understood is reported and
/// left to detection.
fn source_dialect(sink: &mut IssueSink, raw: &RawSource) -> DialectSpec {
    let mut dialect = DialectSpec { sheet: raw.sheet.clone(), ..DialectSpec::default() };
    if let Some(v) = &raw.header_row {
        match u64::try_from(*v.get_ref()) {
            Ok(row) if row >= 1 => dialect.header_row = Some(row),
            _ => sink.at(
                Some(v.span().start),
                format!(
                    "header_row is {}; expected the header's line number, 1 or more",
                    v.get_ref()
                ),
            ),
        }
    }
    if let Some(v) = &raw.encoding {
        dialect.encoding = match v.get_ref().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Setting::Auto,
            "utf-8" | "utf8" => Setting::Given(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => {
                Setting::Given(Encoding::Windows1252)
            }
            other => {
                sink.at(Some(v.span().start), format!("unknown encoding \"{other}\"; expected \"auto\", \"utf-8\" or \"windows-1252\""));
                Setting::Auto
            }
        };
    }
    if let Some(v) = &raw.delimiter {
        dialect.delimiter = match v.get_ref().as_str() {
            "auto" => Setting::Auto,
            "," => Setting::Given(b','),
            ";" => Setting::Given(b';'),
            "\t" | "\\t" | "tab" => Setting::Given(b'\t'),
            "|" => Setting::Given(b'|'),
            other => {
                sink.at(Some(v.span().start), format!("unknown delimiter {other:?}; expected \",\", \";\", \"\\t\", \"|\" or \"auto\""));
                Setting::Auto
            }
        };
    }
    if let Some(v) = &raw.decimal {
        dialect.decimal = match v.get_ref().as_str() {
            "auto" => Setting::Auto,
            "." => Setting::Given(Decimal::Dot),
            "," => Setting::Given(Decimal::Comma),
            other => {
                sink.at(
                    Some(v.span().start),
                    format!(
                        "unknown decimal separator {other:?}; expected \".\", \",\" or \"auto\""
                    ),
                );
                Setting::Auto
            }
        };
    }
    if let Some(v) = &raw.float_amounts {
        match v.get_ref().as_str() {
            "refuse" => {}
            "round" => dialect.round_float_amounts = true,
            other => sink.at(
                Some(v.span().start),
                format!("float_amounts is \"{other}\"; expected \"refuse\" (the default) or \"round\" (to 4 decimals)"),
            ),
        }
    }
    if let Some(v) = &raw.date_format {
        dialect.date_format = match v.get_ref().as_str() {
            "auto" => Setting::Auto,
            name => match DateFormat::from_name(name) {
                Some(format) => Setting::Given(format),
                None => {
                    sink.at(
                        Some(v.span().start),
                        format!(
                            "unknown date format \"{name}\"; expected \"auto\" or one of {}",
                            DateFormat::NAMES.join(", ")
                        ),
                    );
                    Setting::Auto
                }
            },
        };
    }
    dialect
}

/// The columns mapped to fields, and where each mapping is written.
fn column_mapping<F: CanonicalField>(
    sink: &mut IssueSink,
    mapping: BTreeMap<String, toml::Spanned<String>>,
) -> (Vec<(String, F)>, BTreeMap<String, MappedAt>) {
    let mut columns = Vec::new();
    let mut mapped_at = BTreeMap::new();
    for (header, field) in mapping {
        match F::from_name(field.get_ref()) {
            Some(f) => {
                let place = sink.place(Some(field.span().start));
                mapped_at.insert(header.clone(), MappedAt::File(place));
                columns.push((header, f));
            }
            None => {
                let names = F::ALL.iter().map(|f| f.name());
                let hint =
                    crate::diagnostic::name_hint(closest(field.get_ref(), names.clone()), || {
                        format!("known fields: {}", names.collect::<Vec<_>>().join(", "))
                    });
                sink.hinted(
                    Some(field.span().start),
                    format!("unknown field \"{}\" for column \"{}\"", field.get_ref(), header),
                    Some(hint),
                );
            }
        }
    }
    (columns, mapped_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Project, Diagnostics> {
        parse_project(Path::new("/p"), Path::new("/p/kamplan.toml"), text)
    }

    #[test]
    fn reads_a_full_project() {
        let p = parse(
            r#"
[project]
name = "Acme"
months = 6
as_of = "2025-06-15"
[sales]
path = "exports"
delimiter = ";"
decimal = ","
date_format = "dd/mm/yyyy"
on_bad_row = "fail"
[sales.columns]
"Importo riga" = "revenue"
[customers]
path = "anagrafica.xlsx"
sheet = "Clienti"
"#,
        )
        .unwrap();
        assert_eq!(p.period.months, 6);
        assert_eq!(p.period.as_of.unwrap().to_string(), "2025-06-15");
        assert_eq!(p.sales.dialect.delimiter, Setting::Given(b';'));
        assert_eq!(p.sales.columns, vec![("Importo riga".to_string(), SalesField::Revenue)]);
        assert_eq!(p.on_bad_row, OnBadRow::Fail);
        assert_eq!(p.customers.unwrap().dialect.sheet.as_deref(), Some("Clienti"));
        assert_eq!(p.out_dir, Path::new("/p/out"));
    }

    #[test]
    fn reports_every_problem_with_its_place() {
        let err = parse(
            r#"[project]
months = 0
as_of = "30/06/2025"
[sales]
path = "s.csv"
decimal = "x"
[sales.columns]
"Importo" = "revenu"
"#,
        )
        .unwrap_err();
        let text = err.to_string();
        assert_eq!(err.0.len(), 4, "{text}");
        assert!(text.contains("kamplan.toml:2:10: months must be"), "{text}");
        assert!(
            text.contains("kamplan.toml:3:9: as_of: expected a date written YYYY-MM-DD"),
            "{text}"
        );
        assert!(text.contains("kamplan.toml:6:11: unknown decimal"), "{text}");
        assert!(text.contains("did you mean \"revenue\"?"), "{text}");
    }

    #[test]
    fn an_unknown_key_does_not_hide_other_problems() {
        let err = parse("[project]\nmonth = 12\nas_of = \"2025-13-01\"\n[sales]\npath = \"s.csv\"\ndelimiter = \":\"\n").unwrap_err();
        let text = err.to_string();
        assert_eq!(err.0.len(), 3, "{text}");
        assert!(
            text.contains(":2:1: unknown key \"month\" in [project]; did you mean \"months\"?"),
            "{text}"
        );
        assert!(text.contains(":3:9: as_of: there is no month 13; expected 01 to 12"), "{text}");
        assert!(text.contains(":6:13: unknown delimiter"), "{text}");
    }

    #[test]
    fn reads_the_csv_style_and_reports_a_bad_one_at_its_place() {
        let base = "[sales]\npath = \"s.csv\"\n";
        assert_eq!(parse(base).unwrap().csv, CsvStyle::Standard);
        let excel = parse(&format!("{base}[output]\ncsv = \"excel\"\n")).unwrap();
        assert_eq!(excel.csv, CsvStyle::Excel);
        let err = parse(&format!("{base}[output]\ndir = \"o\"\ncsv = \"xls\"\n")).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.0.len(), 1, "{text}");
        assert!(text.contains("kamplan.toml:5:7: csv is \"xls\"; expected \"standard\""), "{text}");
        assert!(text.contains("or \"excel\""), "{text}");
    }

    #[test]
    fn rejects_unknown_keys() {
        let err = parse("[sales]\npath = \"s.csv\"\ndelimeter = \";\"\n").unwrap_err();
        assert!(
            err.to_string().contains(
                ":3:1: unknown key \"delimeter\" in [sales]; did you mean \"delimiter\"?"
            ),
            "{err}"
        );
    }
}
