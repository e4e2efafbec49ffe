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
            error(format!(
                "cannot find the delimiter: the header \"{header}\" does not split on ; , tab or |; set delimiter in [{table}]"
            ))
        })?,
    };
    let mut fields = Fields::default();
    let split =
        split_line(header, delimiter, &mut fields).map_err(|e| error(format!("header: {e}")))?;
    let headers: Vec<&str> = split.iter().map(str::trim).collect();
    let map = map_columns(&headers, &source.columns).map_err(|e| error(e.to_string()))?;
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
