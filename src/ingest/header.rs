//! Finding and mapping the header row of a file, shared by sales and master
//! files, text and workbooks.

use super::IngestError;
use super::schema::{ColumnMap, map_columns};
use super::sniff::detect_delimiter;
use super::text::{Fields, split_line};
use super::workbook::Sheet;
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

/// The header row of a worksheet (its first non-empty row), its row number and its mapping.
pub fn sheet_header<F: CanonicalField>(
    path: &Path,
    sheet: &Sheet,
    source: &SourceSpec<F>,
) -> Result<(u64, ColumnMap<F>), IngestError> {
    let Some((row, headers)) = sheet.header_row() else {
        let message = format!("sheet \"{}\" is empty", sheet.name);
        return Err(IngestError::Format { path: path.to_path_buf(), message });
    };
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let map = map_columns(&refs, &source.columns).map_err(|e| IngestError::Header {
        path: path.to_path_buf(),
        line: row,
        message: e.to_string(),
    })?;
    Ok((row, map))
}

/// A delimiter for messages: `";"`, `tab`.
fn delimiter_name(d: u8) -> String {
    if d == b'\t' { "tab".to_string() } else { format!("\"{}\"", d as char) }
}
