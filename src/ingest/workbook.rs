//! Workbooks (XLSX, XLSM, XLSB, XLS, ODS) through calamine.

use super::header::TITLE_LINES;
use super::line::{Cell, ValueFormat, read_sales_line, total_line};
use super::schema::ColumnMap;
use super::schema::map_columns;
use super::sniff::{Decided, ValueFormatChoice, decide_value_format};
use super::{FileReport, IngestError, LineCounts, ReadOptions, Reject};
use crate::config::project::SourceSpec;
use crate::ledger::{ColumnsSeen, Ledger};
use crate::model::Date;
use crate::model::fields::CanonicalField;
use crate::model::fields::SalesField;
use calamine::{Data, Reader};
use std::path::Path;

/// One worksheet, read whole (workbooks are small next to CSV exports).
pub struct Sheet {
    pub name: String,
    rows: Vec<Vec<Data>>,
    /// 1-based row number of `rows[0]`.
    first_row: u64,
}

impl Sheet {
    /// Row `number` (1-based), if the sheet has it and it is not empty.
    pub fn row(&self, number: u64) -> Option<&[Data]> {
        self.rows().find(|(n, _)| *n == number).map(|(_, r)| r)
    }

    /// Rows with their 1-based row numbers, skipping empty ones.
    pub fn rows(&self) -> impl Iterator<Item = (u64, &[Data])> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| (self.first_row + i as u64, r.as_slice()))
            .filter(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty)))
    }
}

/// Opens the named sheet, or the first one.
pub fn open_sheet(path: &Path, wanted: Option<&str>) -> Result<Sheet, IngestError> {
    let format_error = |message: String| IngestError::Format { path: path.to_path_buf(), message };
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|e| format_error(format!("cannot open workbook: {e}")))?;
    let names = workbook.sheet_names();
    let name = match wanted {
        Some(w) => names.iter().find(|n| n.eq_ignore_ascii_case(w)).cloned().ok_or_else(|| {
            format_error(format!(
                "no sheet named \"{w}\"; the workbook has {}",
                quoted_list(&names)
            ))
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| format_error("the workbook has no sheets".into()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| format_error(format!("sheet \"{name}\": {e}")))?;
    let first_row = range.start().map_or(1, |(r, _)| u64::from(r) + 1);
    let width = range.end().map_or(0, |(_, c)| c as usize + 1);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    // Rows are re-based to column A so column numbers match what the user sees.
    let rows = range
        .rows()
        .map(|r| {
            let mut row = vec![Data::Empty; first_col];
            row.extend(r.iter().cloned());
            row.resize(width, Data::Empty);
            row
        })
        .collect();
    Ok(Sheet { name, rows, first_row })
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// The serial just past 31 December 9999, the end of Excel's calendar.
const EXCEL_LAST_SERIAL: f64 = 2_958_466.0;

/// A spreadsheet cell as a reading cell.
pub fn cell(data: &Data) -> Cell<'_> {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::text(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) if dt.is_duration() => Cell::Error(
            "a duration (a time format such as [h]:mm) where a date or number was expected",
        ),
        // calamine turns serials outside Excel's calendar into its first or
        // last day; such a serial is a broken cell, not a date.
        Data::DateTime(dt) if !(1.0..EXCEL_LAST_SERIAL).contains(&dt.as_f64()) => Cell::Error(
            "a date serial outside Excel's calendar (1 January 1900 to 31 December 9999)",
        ),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match Date::from_ymd(i32::from(y), u32::from(m), u32::from(d)) {
                Some(date) => Cell::Date(date),
                None => Cell::Error("an impossible date (Excel's 29 February 1900)"),
            }
        }
        Data::Error(_) => Cell::Error("a cell error (#N/A, #DIV/0!, #VALUE! or the like)"),
    }
}

/// The text of a row, for `rejects.csv`.
pub fn row_content(row: &[Data]) -> String {
    row.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" | ")
}

/// Texts of the given columns in up to 2000 rows after the header, for detecting number and date formats.
pub fn sample_texts(sheet: &Sheet, header_row: u64, columns: &[usize]) -> Vec<String> {
    sheet
        .rows()
        .filter(|(n, _)| *n > header_row)
        .take(2000)
        .flat_map(|(_, r)| columns.iter().filter_map(|&c| r.get(c)))
        .filter_map(|c| if let Data::String(s) = c { Some(s.trim().to_string()) } else { None })
        .collect()
}

/// The sales sheet of a workbook, its header row, column mapping and value formats.
fn prepare_sheet(
    path: &Path,
    source: &SourceSpec<SalesField>,
) -> Result<(Sheet, u64, ColumnMap<SalesField>, ValueFormatChoice, bool), IngestError> {
    let sheet = open_sheet(path, source.dialect.sheet.as_deref())?;
    let (header_no, map) = sheet_header::<SalesField>(path, &sheet, source)?;
    let amount_cols: Vec<usize> = [SalesField::Revenue, SalesField::Cost, SalesField::Quantity]
        .iter()
        .filter_map(|f| map.column(*f))
        .collect();
    let numbers = sample_texts(&sheet, header_no, &amount_cols);
    let dates = sample_texts(&sheet, header_no, &[map.column(SalesField::Date).expect("required")]);
    let choice = decide_value_format(
        &source.dialect,
        b',',
        numbers.iter().map(String::as_str),
        dates.iter().map(String::as_str),
        "sales",
    )
    .map_err(|message| IngestError::Format { path: path.to_path_buf(), message })?;
    Ok((sheet, header_no, map, choice, numbers.is_empty()))
}

/// Checks that a workbook's sales sheet can be read (sheet, header, formats) without reading its rows.
pub fn inspect_sales_sheet(
    path: &Path,
    source: &SourceSpec<SalesField>,
) -> Result<ColumnMap<SalesField>, IngestError> {
    prepare_sheet(path, source).map(|(_, _, map, ..)| map)
}

/// Reads the sales lines of a workbook.
pub fn read_sales_sheet(
    path: &Path,
    source: &SourceSpec<SalesField>,
    options: ReadOptions,
) -> Result<(Ledger, FileReport, Vec<Reject>), IngestError> {
    let (sheet, header_no, map, choice, no_numbers) = prepare_sheet(path, source)?;
    let headers: Vec<String> = sheet
        .row(header_no)
        .map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect())
        .unwrap_or_default();
    let format = ValueFormat::new(&choice);
    let columns = ColumnsSeen {
        cost: map.column(SalesField::Cost).is_some(),
        quantity: map.column(SalesField::Quantity).is_some(),
        product: map.column(SalesField::ProductId).is_some(),
        invoice: map.column(SalesField::InvoiceId).is_some(),
    };
    let mut ledger = Ledger::default();
    let mut counts = LineCounts::default();
    let mut invoices = super::overlap::InvoiceSample::default();
    let mut rejects = Vec::new();
    for (row_no, row) in sheet.rows().filter(|(n, _)| *n > header_no) {
        counts.read += 1;
        let is_header = row.iter().zip(&headers).all(|(c, h)| c.to_string().trim() == h);
        let result = if is_header {
            Err(super::line::Defect::whole_line("repeated header line"))
        } else {
            read_sales_line(&map, format, &source.ids, |col| row.get(col).map_or(Cell::Empty, cell))
                .and_then(|sale| {
                    let date_column = map.column(SalesField::Date);
                    super::tally(&sale, date_column, options, columns, &mut counts, &mut |l, c| {
                        if let Some(invoice) = &l.invoice_id {
                            invoices.note(&l.customer_id, invoice);
                        }
                        ledger.add(l, c)
                    })
                })
        };
        let total = || total_line(&map, format, |col| row.get(col).map_or(Cell::Empty, cell));
        match result {
            Ok(()) => {}
            Err(_) if !is_header && let Some(total) = total() => {
                counts.read -= 1; // not a line of data after all
                counts.add_total_line(row_no, total);
            }
            Err(defect) => {
                counts.rejected += 1;
                rejects.push(Reject {
                    file: path.to_path_buf(),
                    line: row_no,
                    column: defect.column,
                    field: defect.field,
                    reason: defect.reason,
                    content: row_content(row),
                    lines: 1,
                });
            }
        }
    }
    let report = FileReport {
        path: path.to_path_buf(),
        encoding: None,
        delimiter: None,
        sheet: Some(sheet.name.clone()),
        decimal: if no_numbers { (choice.decimal.0, Decided::Assumed) } else { choice.decimal },
        date_format: choice.date,
        title_lines: sheet.rows().take_while(|(n, _)| *n < header_no).count() as u64,
        columns: map.describe(),
        look_alikes: map.look_alikes(),
        counts,
        invoices: {
            invoices.finish();
            invoices
        },
        aggregate_rows: None,
        parquet_row_groups: None,
        instant_dates: 0,
    };
    Ok((ledger, report, rejects))
}

/// The header row of a worksheet, its row number and its mapping: the row
/// `header_row` when configured, else the first non-empty row whose columns
/// map (title rows above it are passed over).
pub fn sheet_header<F: CanonicalField>(
    path: &Path,
    sheet: &Sheet,
    source: &SourceSpec<F>,
) -> Result<(u64, ColumnMap<F>), IngestError> {
    let rows: Vec<(u64, Vec<String>)> = sheet
        .rows()
        .take(TITLE_LINES)
        .map(|(n, r)| (n, r.iter().map(|c| c.to_string().trim().to_string()).collect()))
        .collect();
    let map_at =
        |(row, headers): &(u64, Vec<String>)| {
            let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
            map_columns(&refs, &source.columns).map(|m| (*row, m)).map_err(|e| {
                IngestError::Header { path: path.to_path_buf(), line: *row, message: e.to_string() }
            })
        };
    if let Some(wanted) = source.dialect.header_row {
        let row = sheet
            .row(wanted)
            .map(|r| (wanted, r.iter().map(|c| c.to_string().trim().to_string()).collect()));
        return match row {
            Some(row) => map_at(&row),
            None => Err(IngestError::Header {
                path: path.to_path_buf(),
                line: wanted,
                message: format!(
                    "header_row = {wanted}, but row {wanted} of sheet \"{}\" is empty",
                    sheet.name
                ),
            }),
        };
    }
    let Some(first) = rows.first() else {
        let message = format!("sheet \"{}\" is empty", sheet.name);
        return Err(IngestError::Format { path: path.to_path_buf(), message });
    };
    map_at(first).or_else(|e| rows[1..].iter().find_map(|r| map_at(r).ok()).ok_or(e))
}
