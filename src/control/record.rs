//! `plans.csv`: one row per customer and objective of its strategy (one row
//! with empty objective columns when the strategy has no KPI). Targets are
//! absolute values fixed at the analysis date, so a later build can judge
//! them whatever the rules have become.

use crate::analysis::objectives::{Medians, objectives_with};
use crate::classify::Portfolio;
use crate::config::rules::Rules;
use crate::diagnostic::Diagnostic;
use crate::locale::format::plain as plain_float;
use crate::model::Date;
use crate::output::csv_dialect::CsvDialect;
use std::path::Path;

/// The record's file name, beside the other outputs.
pub const FILE: &str = "plans.csv";

/// The record's columns, in order.
pub const COLUMNS: [&str; 13] = [
    "as_of",
    "customer_id",
    "name",
    "key_account",
    "strategy",
    "strategy_title",
    "kpi",
    "label",
    "comparison",
    "target",
    "value",
    "owner",
    "due",
];

/// One customer's strategy and one of its objectives, as planned.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    /// The analysis date of the build that made the plan.
    pub as_of: Date,
    pub customer_id: String,
    pub name: String,
    pub key_account: bool,
    pub strategy: String,
    pub strategy_title: String,
    pub kpi: Option<PlanKpi>,
}

/// An objective: a metric, the value to reach and by when.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanKpi {
    pub metric: String,
    pub label: String,
    pub comparison: Comparison,
    /// None when no target could be set (e.g. a doubtful share of wallet).
    pub target: Option<f64>,
    /// The metric's value when the plan was made.
    pub value: Option<f64>,
    /// The role id of the action's owner.
    pub owner: String,
    pub due: Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    AtMost,
}

impl Comparison {
    pub fn name(self) -> &'static str {
        match self {
            Comparison::AtLeast => "at_least",
            Comparison::AtMost => "at_most",
        }
    }

    fn parse(text: &str) -> Option<Comparison> {
        match text {
            "at_least" => Some(Comparison::AtLeast),
            "at_most" => Some(Comparison::AtMost),
            _ => None,
        }
    }

    /// Whether `actual` reaches `target`, to a millionth of the target (the
    /// record keeps six decimals).
    pub fn holds(self, actual: f64, target: f64) -> bool {
        let tolerance = 1e-6 * target.abs().max(1.0);
        match self {
            Comparison::AtLeast => actual >= target - tolerance,
            Comparison::AtMost => actual <= target + tolerance,
        }
    }
}

/// The plan of every customer with a strategy, in customer id order.
pub fn record(portfolio: &Portfolio, rules: &Rules) -> Vec<PlanRow> {
    let mut medians = Medians::default();
    let mut rows = Vec::new();
    for (row, customer) in portfolio.rows.iter().enumerate() {
        let Some(strategy) = portfolio.text("strategy", row) else { continue };
        let base = PlanRow {
            as_of: portfolio.period.as_of,
            customer_id: customer.customer_id.clone(),
            name: customer.name().unwrap_or_default().to_string(),
            key_account: portfolio.is_key_account(row),
            strategy_title: rules.strategy(&strategy).map_or(strategy.clone(), |s| s.title.clone()),
            strategy,
            kpi: None,
        };
        let objectives = objectives_with(portfolio, rules, row, &mut medians);
        if objectives.is_empty() {
            rows.push(base);
            continue;
        }
        for o in objectives {
            let comparison = match o.comparison {
                "at_most" => Comparison::AtMost,
                _ => Comparison::AtLeast,
            };
            rows.push(PlanRow {
                kpi: Some(PlanKpi {
                    metric: o.metric,
                    label: o.label,
                    comparison,
                    target: o.target,
                    // A doubtful value is not a basis: recorded as unknown.
                    value: if o.doubt.is_some() { None } else { o.current },
                    owner: o.owner,
                    due: o.due,
                }),
                ..base.clone()
            });
        }
    }
    rows
}

/// The record as CSV in `dialect`: plain numbers (six decimals at most),
/// ISO dates, texts made safe for spreadsheets.
pub fn to_csv(rows: &[PlanRow], dialect: CsvDialect) -> Vec<u8> {
    let mut writer = dialect.writer();
    writer.write_record(COLUMNS).expect("writing to memory");
    let number = |x: Option<f64>| x.map(|x| dialect.number(plain_float(x))).unwrap_or_default();
    for r in rows {
        let k = r.kpi.as_ref();
        writer
            .write_record([
                r.as_of.to_string(),
                crate::output::csv_text(&r.customer_id).into_owned(),
                crate::output::csv_text(&r.name).into_owned(),
                if r.key_account { "1" } else { "0" }.to_string(),
                r.strategy.clone(),
                crate::output::csv_text(&r.strategy_title).into_owned(),
                k.map(|k| k.metric.clone()).unwrap_or_default(),
                k.map(|k| crate::output::csv_text(&k.label).into_owned()).unwrap_or_default(),
                k.map(|k| k.comparison.name().to_string()).unwrap_or_default(),
                number(k.and_then(|k| k.target)),
                number(k.and_then(|k| k.value)),
                k.map(|k| k.owner.clone()).unwrap_or_default(),
                k.map(|k| k.due.to_string()).unwrap_or_default(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// Reads a record written by [`to_csv`] in any dialect, or saved again by
/// a spreadsheet (from `file`, for the messages): a byte order mark is
/// skipped, and a header separated by `;` means decimal commas, where dates
/// may also be written `dd/mm/yyyy` (as Italian Excel saves them).
/// Any cell that cannot be read is an error naming its line and column:
/// a plan read wrongly would judge the wrong targets.
pub fn parse(bytes: &[u8], file: &Path) -> Result<Vec<PlanRow>, Box<Diagnostic>> {
    // The record is a CSV file: its columns count fields.
    let at = |line: u64, column: usize, message: String| {
        Box::new(Diagnostic::error(file, Some((line as usize, column)), message).in_data())
    };
    let (dialect, bytes) = CsvDialect::detect(bytes);
    let local_date = (dialect.decimal == ',')
        .then(|| crate::config::dialect::DateFormat::from_name("dd/mm/yyyy"))
        .flatten();
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).delimiter(dialect.separator).from_reader(bytes);
    let header = reader.headers().map_err(|e| at(1, 1, e.to_string()))?.clone();
    let mut index = [0usize; COLUMNS.len()];
    for (i, name) in COLUMNS.iter().enumerate() {
        index[i] = header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == *name)
            .ok_or_else(|| {
                at(
                    1,
                    1,
                    format!(
                        "no column \"{name}\": expected the plan record kamplan writes ({})",
                        COLUMNS.join(",")
                    ),
                )
            })?;
    }
    let mut rows: Vec<PlanRow> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_of(bytes, p));
            at(line, 1, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| line_of(bytes, p));
        let cell =
            |c: usize| -> (&str, usize) { (record.get(index[c]).unwrap_or(""), index[c] + 1) };
        // Texts were written with a leading ' when a spreadsheet would run them.
        let text = |c: usize| -> String {
            let t = cell(c).0;
            match t.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                    rest.to_string()
                }
                _ => t.to_string(),
            }
        };
        let date = |c: usize| -> Result<Date, Box<Diagnostic>> {
            let (t, col) = cell(c);
            Date::parse_iso_explained(t)
                .or_else(|e| local_date.and_then(|f| f.parse(t)).ok_or(e))
                .map_err(|e| at(line, col, format!("{}: {e}, found \"{t}\"", COLUMNS[c])))
        };
        let number = |c: usize| -> Result<Option<f64>, Box<Diagnostic>> {
            let (t, col) = cell(c);
            if t.is_empty() {
                return Ok(None);
            }
            // With decimal commas a point is no decimal sign: refused, not guessed.
            let plain = match dialect.decimal {
                '.' => Some(t.to_string()),
                _ => (!t.contains('.')).then(|| t.replace(',', ".")),
            };
            let example = dialect.number("1234.5".into());
            plain
                .and_then(|p| p.parse::<f64>().ok())
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    at(
                        line,
                        col,
                        format!(
                            "{}: expected a number such as {example}, found \"{t}\"",
                            COLUMNS[c]
                        ),
                    )
                })
        };
        let required = |c: usize| -> Result<String, Box<Diagnostic>> {
            let t = text(c);
            if t.is_empty() {
                return Err(at(
                    line,
                    cell(c).1,
                    format!("{}: expected a value, found none", COLUMNS[c]),
                ));
            }
            Ok(t)
        };
        let as_of = date(0)?;
        if let Some(first) = rows.first().filter(|f| f.as_of != as_of) {
            return Err(at(
                line,
                cell(0).1,
                format!(
                    "as_of: this row's plan is of {as_of}, the rows above of {}; a record holds one plan",
                    first.as_of
                ),
            ));
        }
        let key_account = match cell(3).0 {
            "1" => true,
            "0" => false,
            other => {
                return Err(at(
                    line,
                    cell(3).1,
                    format!("key_account: expected 1 or 0, found \"{other}\""),
                ));
            }
        };
        let kpi = match cell(6).0 {
            "" => None,
            metric => {
                let (c, col) = cell(8);
                let comparison = Comparison::parse(c).ok_or_else(|| {
                    at(
                        line,
                        col,
                        format!("comparison: expected at_least or at_most, found \"{c}\""),
                    )
                })?;
                Some(PlanKpi {
                    metric: metric.to_string(),
                    label: text(7),
                    comparison,
                    target: number(9)?,
                    value: number(10)?,
                    owner: required(11)?,
                    due: date(12)?,
                })
            }
        };
        rows.push(PlanRow {
            as_of,
            customer_id: required(1)?,
            name: text(2),
            key_account,
            strategy: required(4)?,
            strategy_title: text(5),
            kpi,
        });
    }
    Ok(rows)
}

/// The 1-based line where a record starts. The reader's own count is one
/// short after `\r\n` line ends (a spreadsheet's): its position there is
/// the `\n` still to be read, which ends the line before.
fn line_of(bytes: &[u8], position: &csv::Position) -> u64 {
    let at = (position.byte() as usize).min(bytes.len());
    let before = bytes[..at].iter().filter(|&&b| b == b'\n').count();
    let pending = usize::from(bytes.get(at) == Some(&b'\n'));
    (before + pending + 1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::project::CsvStyle;
    use crate::locale::Locale;

    fn rows() -> Vec<PlanRow> {
        let date = |t| Date::parse_iso(t).unwrap();
        let base = PlanRow {
            as_of: date("2024-12-31"),
            customer_id: "C0001".into(),
            name: "Rossi; Figli à".into(),
            key_account: true,
            strategy: "grow".into(),
            strategy_title: "=Grow".into(),
            kpi: None,
        };
        let kpi = PlanKpi {
            metric: "revenue".into(),
            label: "Revenue, yearly".into(),
            comparison: Comparison::AtLeast,
            target: Some(-1234.5),
            value: Some(0.253),
            owner: "kam".into(),
            due: date("2025-06-30"),
        };
        vec![base.clone(), PlanRow { kpi: Some(kpi), ..base }]
    }

    #[test]
    fn every_dialect_reads_back_as_written() {
        for locale in Locale::ALL {
            for style in [CsvStyle::Standard, CsvStyle::Excel] {
                let bytes = to_csv(&rows(), CsvDialect::new(style, locale));
                let read = parse(&bytes, Path::new("plans.csv")).unwrap();
                assert_eq!(read, rows(), "{style:?} {locale:?}");
            }
        }
        let standard = String::from_utf8(to_csv(&rows(), CsvDialect::STANDARD)).unwrap();
        assert!(standard.starts_with("as_of,customer_id,"), "{standard}");
        assert!(standard.contains(",-1234.5,0.253,kam,2025-06-30\n"), "{standard}");
        let italian = to_csv(&rows(), CsvDialect::new(CsvStyle::Excel, Locale::It));
        let italian = String::from_utf8(italian).unwrap();
        assert!(italian.starts_with("\u{feff}as_of;customer_id;"), "{italian}");
        assert!(italian.contains(";-1234,5;0,253;kam;2025-06-30\n"), "{italian}");
    }

    #[test]
    fn reads_a_record_saved_again_by_italian_excel() {
        // Excel re-quotes as it likes and writes dates in the local short form.
        let text = "\u{feff}as_of;customer_id;name;key_account;strategy;strategy_title;kpi;label;comparison;target;value;owner;due\r\n\
                    31/12/2024;C0001;\"Rossi; Figli à\";1;grow;'=Grow;revenue;Revenue, yearly;at_least;-1234,5;0,253;kam;30/06/2025\r\n";
        let read = parse(text.as_bytes(), Path::new("plans.csv")).unwrap();
        assert_eq!(read, rows()[1..]);
        let wrong = text.replace("-1234,5", "1.234,5");
        let err = parse(wrong.as_bytes(), Path::new("plans.csv")).unwrap_err();
        assert!(
            err.to_string().contains(
                "plans.csv:2:10: target: expected a number such as 1234,5, found \"1.234,5\""
            ),
            "{err}"
        );
    }
}
