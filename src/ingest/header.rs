//! Finding and mapping the header row of a file, shared by sales and master
//! files, text and workbooks.

use super::IngestError;
use super::schema::{ColumnMap, map_columns};
use super::sniff::detect_delimiter;
use super::text::{Fields, split_line};
use crate::config::dialect::Setting;
use crate::config::project::SourceSpec;
use crate::model::fields::CanonicalField;
use std::path::Path;

/// The delimiter of a text file (configured or detected from its header and
/// sample lines) and the mapping of its header. `table` names the
/// `kamplan.toml` table to point the user to.
pub fn text_header<F: CanonicalField>(
    path: &Path,
    header: &str,
    header_line: u64,
    sample: &[&str],
    source: &SourceSpec<F>,
    table: &str,
) -> Result<(u8, ColumnMap<F>), IngestError> {
    let error = |message: String| IngestError::Header {
        path: path.to_path_buf(),
        line: header_line,
        message,
    };
    let delimiter = match source.dialect.delimiter {
        Setting::Given(d) => d,
        Setting::Auto => detect_delimiter(header, sample).ok_or_else(|| {
            // A report title above the header: the lines below it do split.
            let below = sample.first().and_then(|first| detect_delimiter(first, &sample[1..]));
            error(match below {
                Some(d) => format!(
                    "the first line \"{header}\" does not split into columns, but the lines below it do on {}: if it is a title above the header, delete the lines above the header",
                    delimiter_name(d)
                ),
                None => format!(
                    "cannot find the delimiter: the header \"{header}\" does not split on ; , tab or |; set delimiter in [{table}]"
                ),
            })
        })?,
    };
    let mut fields = Fields::default();
    let split =
        split_line(header, delimiter, &mut fields).map_err(|e| error(format!("header: {e}")))?;
    let headers: Vec<&str> = split.iter().map(str::trim).collect();
    let single_column = headers.len() == 1;
    let map = map_columns(&headers, &source.columns).map_err(|e| {
        // A configured delimiter that is not the file's reads the header as one column.
        match detect_delimiter(header, sample).filter(|d| single_column && *d != delimiter) {
            Some(d) => error(format!(
                "the header \"{header}\" does not split on the configured delimiter {} but does on {}: set delimiter = \"{}\" in [{table}], or remove the setting to detect it",
                delimiter_name(delimiter),
                delimiter_name(d),
                if d == b'\t' { "tab".to_string() } else { (d as char).to_string() }
            )),
            None => error(e.to_string()),
        }
    })?;
    Ok((delimiter, map))
}

/// Non-empty lines at the top of a file that may be title lines (a report
/// name, the export date) above the header.
pub const TITLE_LINES: usize = 20;

/// The header among the first non-empty `lines` (number, text) of a text
/// file: the line `header_row` when configured, else the first line whose
/// columns map (title lines above it are passed over). Returns its index in
/// `lines`, the delimiter and the mapping; when no line maps, the error is
/// the first line's.
pub fn find_text_header<F: CanonicalField>(
    path: &Path,
    lines: &[(u64, &str)],
    source: &SourceSpec<F>,
    table: &str,
) -> Result<(usize, u8, ColumnMap<F>), IngestError> {
    let sample_after =
        |i: usize| -> Vec<&str> { lines[i + 1..].iter().take(2000).map(|(_, l)| *l).collect() };
    let try_at = |i: usize| {
        let (no, header) = lines[i];
        text_header(path, header, no, &sample_after(i), source, table).map(|(d, m)| (i, d, m))
    };
    if let Some(row) = source.dialect.header_row {
        let Some(i) = lines.iter().position(|(no, _)| *no == row) else {
            return Err(IngestError::Header {
                path: path.to_path_buf(),
                line: row,
                message: format!(
                    "header_row = {row} in [{table}], but line {row} is empty or past the end of the file"
                ),
            });
        };
        return try_at(i);
    }
    try_at(0).or_else(|first| {
        (1..lines.len().min(TITLE_LINES)).find_map(|i| try_at(i).ok()).ok_or(first)
    })
}

/// A delimiter for messages: `";"`, `tab`.
fn delimiter_name(d: u8) -> String {
    if d == b'\t' { "tab".to_string() } else { format!("\"{}\"", d as char) }
}
