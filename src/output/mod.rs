//! Writing results: tables as CSV, XLSX and JSON, the rejects file, and the
//! human summary. Files are written to a temporary name and renamed, so a
//! reader never sees half a file.

pub mod analysis;
pub mod diagnostics;
pub mod diff;
pub mod movements;
pub mod summary;
pub mod table;
pub mod xlsx;

use crate::ingest::Reject;
use std::io::Write;
use std::path::Path;
use table::{Table, Value};

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The table as CSV (plain number format, RFC 4180 quoting, `\n` line ends).
pub fn table_csv(table: &Table) -> Vec<u8> {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer.write_record(table.columns.iter().map(|c| c.name.as_str())).expect("writing to memory");
    for row in &table.rows {
        writer.write_record(row.iter().map(Value::plain)).expect("writing to memory");
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
        Value::Ratio(x) | Value::Number(x) => number(table::plain_float(*x).parse().unwrap_or(*x)),
        Value::Date(d) => J::String(d.to_string()),
    }
}

/// `rejects.csv`: one row per rejected line, in file and line order, with
/// file paths relative to `base` (the project folder) where they are inside it.
pub fn rejects_csv(rejects: &[Reject], base: &Path) -> Vec<u8> {
    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    writer
        .write_record(["file", "line", "column", "field", "reason", "content"])
        .expect("writing to memory");
    for r in rejects {
        writer
            .write_record([
                r.file.strip_prefix(base).unwrap_or(&r.file).display().to_string(),
                r.line.to_string(),
                r.column.map(|c| c.to_string()).unwrap_or_default(),
                r.field.unwrap_or_default().to_string(),
                r.reason.clone(),
                r.content.clone(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}
