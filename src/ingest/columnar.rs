//! Sales lines and the customers master from Parquet files.
//!
//! A Parquet file carries its column names and types. The names are mapped
//! to fields as a CSV header is (the same synonyms, the same `columns`
//! mapping); the types are checked once, against what each field holds
//! (`ValueKind`), so a file that cannot be read exactly is refused before a
//! line is read; the values are read exactly: a DECIMAL or an integer to the
//! ten-thousandth, a DATE or a TIMESTAMP as its day. A column kept as text (an
//! export that writes everything as VARCHAR) is read with the source's number
//! and date formats, detected from its first rows as in a CSV file. Then each
//! row goes through the same checks as a CSV line, with the same rejects.

use super::line::{Cell, ValueFormat, read_sales_line, total_line};
use super::overlap::InvoiceSample;
use super::parquet::{self as pq, MICROS_PER_DAY, ParquetFile};
use super::schema::{ColumnMap, map_columns};
use super::shard::{LineBatch, shard_of};
use super::sniff::{ValueFormatChoice, decide_value_format};
use super::{FileReport, IngestError, LineCounts, ReadOptions, Reject};
use crate::config::project::SourceSpec;
use crate::ledger::{ColumnsSeen, Ledger};
use crate::model::Date;
use crate::model::fields::{CanonicalField, MasterField, SalesField, ValueKind};
use std::path::Path;

/// File extensions read as Parquet.
pub const EXTENSIONS: &[&str] = &["parquet"];
/// Rows per batch decoded by a reading thread: large enough to amortise a
/// batch's hand-offs between threads, small enough to keep memory flat.
const BATCH_ROWS: usize = 8192;
/// Rows sampled from text columns to decide their number and date formats.
const SAMPLE_ROWS: usize = 2000;

/// How a Parquet type serves a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TypeClass {
    Text,
    Integer,
    Decimal,
    Float,
    Date,
    Timestamp,
    Boolean,
}

fn class_of(type_name: &str) -> TypeClass {
    match type_name {
        "VARCHAR" | "BLOB" => TypeClass::Text,
        "FLOAT" | "DOUBLE" => TypeClass::Float,
        "DATE" => TypeClass::Date,
        "BOOLEAN" => TypeClass::Boolean,
        t if t.starts_with("DECIMAL(") => TypeClass::Decimal,
        t if t.starts_with("TIMESTAMP") => TypeClass::Timestamp,
        _ => TypeClass::Integer,
    }
}

/// Why a column of `type_name` cannot hold `field`'s values, or `None`.
fn type_problem<F: CanonicalField>(
    field: F,
    column: &str,
    type_name: &str,
    round_floats: bool,
) -> Option<String> {
    use TypeClass as T;
    let class = class_of(type_name);
    let expected = match (field.kind(), class) {
        (_, T::Text) | (ValueKind::Text, _) => return None,
        (ValueKind::Date, T::Date | T::Timestamp) => return None,
        (ValueKind::Date, _) => "a DATE, a TIMESTAMP or text",
        (ValueKind::Money | ValueKind::Number, T::Decimal | T::Integer) => return None,
        (ValueKind::Number, T::Float) => return None,
        (ValueKind::Money, T::Float) if round_floats => return None,
        (ValueKind::Money, T::Float) => {
            let table = F::TABLE;
            let name = field.name();
            let what = if column == name {
                format!("column \"{column}\"")
            } else {
                format!("column \"{column}\" ({name})")
            };
            return Some(format!(
                "{what} is {type_name}: a binary floating-point number holds most amounts only approximately (0.1 is stored as 0.1000000000000000055…), so the exact figure the ERP booked is unknown; export it as a DECIMAL (CAST({column} AS DECIMAL(18, 4))), or set float_amounts = \"round\" in [{table}] of kamplan.toml to take each value rounded to 4 decimals"
            ));
        }
        (ValueKind::Money | ValueKind::Number, _) => "a DECIMAL, an integer or text",
        (ValueKind::Id, T::Integer | T::Decimal) => return None,
        (ValueKind::Id, _) => "text or a whole number (a code, not a measure)",
    };
    Some(format!(
        "column \"{column}\" is mapped to {} but is {type_name}; expected {expected}",
        field.name()
    ))
}

/// A Parquet value as a reading cell.
pub fn cell(value: &pq::Cell) -> Cell<'_> {
    match value {
        pq::Cell::Null => Cell::Empty,
        pq::Cell::Text(t) => Cell::text(t),
        pq::Cell::Int(n) => Cell::Decimal { unscaled: i128::from(*n), scale: 0 },
        pq::Cell::Decimal { unscaled, scale } => {
            Cell::Decimal { unscaled: *unscaled, scale: *scale }
        }
        pq::Cell::Float(x) => Cell::Number(*x),
        pq::Cell::Date(days) => day_cell(i64::from(*days)),
        // The day of the timestamp as stored: a wall-clock time's own day,
        // an instant's day in UTC (counted in `instant_with_time`).
        pq::Cell::Timestamp { micros, .. } => day_cell(micros.div_euclid(MICROS_PER_DAY)),
        pq::Cell::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }),
    }
}

/// Days from 1970-01-01 to 0001-01-01 and to 9999-12-31, the first and last
/// dates kamplan has (checked in the tests below).
const FIRST_DAY: i64 = -719_162;
const LAST_DAY: i64 = 2_932_896;

/// A day count as a date cell, within the years 1 to 9999.
fn day_cell(days: i64) -> Cell<'static> {
    if (FIRST_DAY..=LAST_DAY).contains(&days) {
        Cell::Date(Date::from_days(days as i32))
    } else {
        Cell::Error("a date outside the years 1 to 9999")
    }
}

/// Whether a value is an instant (a UTC-adjusted timestamp) with a time of
/// day: its calendar day depends on the time zone, so it was taken in UTC.
fn instant_with_time(value: &pq::Cell) -> bool {
    matches!(value, pq::Cell::Timestamp { micros, utc_adjusted: true } if micros.rem_euclid(MICROS_PER_DAY) != 0)
}

/// A row as text, for `rejects.csv` and messages.
fn row_content(row: &[pq::Cell]) -> String {
    super::reject_content(&row.iter().map(ToString::to_string).collect::<Vec<_>>().join(" | "))
}

/// A Parquet file opened, its columns mapped and their types checked.
struct Mapped<F> {
    file: ParquetFile,
    map: ColumnMap<F>,
    choice: ValueFormatChoice,
    format: ValueFormat,
}

fn format_error(path: &Path, message: String) -> IngestError {
    IngestError::Format { path: path.to_path_buf(), message }
}

/// Opens a Parquet file of `source`, maps its columns and checks their types;
/// the number and date formats are decided from the text columns, if any.
fn open_mapped<F: CanonicalField>(
    path: &Path,
    source: &SourceSpec<F>,
    table: &str,
) -> Result<Mapped<F>, IngestError> {
    let file = ParquetFile::open(path).map_err(|e| parquet_error(path, &e))?;
    let names: Vec<&str> = file.columns().iter().map(|c| c.name.as_str()).collect();
    let map = map_columns(&names, &source.columns)
        .map_err(|e| format_error(path, format!("columns {}: {e}", names.join(", "))))?;
    let mut text_numbers = Vec::new();
    let mut text_dates = Vec::new();
    for &field in F::ALL {
        let Some(col) = map.column(field) else { continue };
        let column = &file.columns()[col];
        let round = source.dialect.round_float_amounts;
        if let Some(problem) = type_problem(field, &column.name, &column.type_name, round) {
            return Err(format_error(path, problem));
        }
        if class_of(&column.type_name) == TypeClass::Text {
            match field.kind() {
                ValueKind::Money | ValueKind::Number => text_numbers.push(col),
                ValueKind::Date => text_dates.push(col),
                ValueKind::Id | ValueKind::Text => {}
            }
        }
    }
    let (numbers, dates) =
        sample_texts(&file, &text_numbers, &text_dates).map_err(|e| parquet_error(path, &e))?;
    let choice = decide_value_format(
        &source.dialect,
        b',',
        numbers.iter().map(String::as_str),
        dates.iter().map(String::as_str),
        table,
    )
    .map_err(|message| format_error(path, message))?;
    let format = ValueFormat::new(&choice);
    Ok(Mapped { file, map, choice, format })
}

/// A Parquet error as a reading error of `path`; a file the format cannot
/// read at all is said to be damaged or cut short, the usual causes.
fn parquet_error(path: &Path, e: &pq::Error) -> IngestError {
    let text = e.to_string();
    let prefix = format!("{}: ", path.display());
    let text = text.strip_prefix(&prefix).map_or(text.clone(), str::to_string);
    let message = match e {
        pq::Error::Parquet { .. } | pq::Error::Io { .. } => {
            format!("cannot be read as Parquet (a damaged or incomplete copy?): {text}")
        }
        _ => text,
    };
    format_error(path, message)
}

/// The non-empty texts of the given columns in the file's first rows.
fn sample_texts(
    file: &ParquetFile,
    numbers: &[usize],
    dates: &[usize],
) -> Result<(Vec<String>, Vec<String>), pq::Error> {
    let mut found = (Vec::new(), Vec::new());
    if numbers.is_empty() && dates.is_empty() {
        return Ok(found);
    }
    let texts = |row: &[pq::Cell], columns: &[usize]| -> Vec<String> {
        columns
            .iter()
            .filter_map(|&c| match &row[c] {
                pq::Cell::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                _ => None,
            })
            .collect()
    };
    let first = file.map_batches_parallel(1, SAMPLE_ROWS, Ok, |batch| {
        for row in batch.rows() {
            found.0.extend(texts(row, numbers));
            found.1.extend(texts(row, dates));
        }
        Err(pq::Error::Stopped)
    });
    match first {
        Ok(()) | Err(pq::Error::Stopped) => Ok(found),
        Err(e) => Err(e),
    }
}

/// Checks that a Parquet sales file can be read (columns, types, formats)
/// without reading its rows.
pub fn inspect_sales_file(
    path: &Path,
    source: &SourceSpec<SalesField>,
) -> Result<ColumnMap<SalesField>, IngestError> {
    open_mapped(path, source, "sales").map(|m| m.map)
}

/// What one batch of rows gave. Its accepted lines are packed by the shard
/// of their customer (see `shard`), not added to a ledger of their own: a
/// batch of a file sorted by date holds thousands of customers once each,
/// whose ledger would cost more to build and merge than its lines cost to
/// add to the ledger that owns them.
#[derive(Default)]
struct Part {
    lines: Vec<LineBatch>,
    counts: LineCounts,
    rejects: Vec<Reject>,
    invoices: InvoiceSample,
    instants: u64,
}

/// Reads the sales lines of a Parquet file, its row groups on
/// `options.workers` threads; the result does not depend on their number.
pub fn read_sales_file(
    path: &Path,
    source: &SourceSpec<SalesField>,
    options: ReadOptions,
) -> Result<(Ledger, FileReport, Vec<Reject>), IngestError> {
    let Mapped { file, map, choice, format } = open_mapped(path, source, "sales")?;
    let columns = ColumnsSeen {
        cost: map.column(SalesField::Cost).is_some(),
        quantity: map.column(SalesField::Quantity).is_some(),
        product: map.column(SalesField::ProductId).is_some(),
        invoice: map.column(SalesField::InvoiceId).is_some(),
    };
    let date_column = map.column(SalesField::Date);
    let shards = options.workers.max(1);
    let read_batch = |batch: pq::Batch| -> pq::Result<Part> {
        let mut part = Part::default();
        part.lines.resize_with(shards, LineBatch::default);
        for (k, row) in batch.rows().enumerate() {
            let number = batch.first_row() + k as u64 + 1;
            part.counts.read += 1;
            let get = |col: usize| row.get(col).map_or(Cell::Empty, cell);
            let result = read_sales_line(&map, format, &source.ids, get).and_then(|sale| {
                let Part { lines, counts, invoices, .. } = &mut part;
                super::tally(&sale, date_column, options, columns, counts, &mut |l, c| {
                    if let Some(invoice) = &l.invoice_id {
                        invoices.note(&l.customer_id, invoice);
                    }
                    lines[shard_of(&l.customer_id, shards)].push(l, c)
                })
            });
            match result {
                Ok(()) => {
                    if date_column.is_some_and(|c| instant_with_time(&row[c])) {
                        part.instants += 1;
                    }
                }
                Err(_) if let Some(total) = total_line(&map, format, get) => {
                    part.counts.read -= 1; // not a line of data after all
                    part.counts.add_total_line(number, total);
                }
                Err(defect) => {
                    part.counts.rejected += 1;
                    part.rejects.push(Reject {
                        file: path.to_path_buf(),
                        line: number,
                        column: defect.column,
                        field: defect.field,
                        reason: defect.reason,
                        content: row_content(row),
                        lines: 1,
                    });
                }
            }
        }
        Ok(part)
    };
    let mut whole = Part::default();
    // One ledger per shard, each filled by its own thread in file order;
    // their customers are disjoint, so they merge by concatenation.
    let (read, ledgers) = std::thread::scope(|scope| {
        let (senders, owners): (Vec<_>, Vec<_>) = (0..shards)
            .map(|_| {
                let (sender, inbox) = std::sync::mpsc::sync_channel::<LineBatch>(4);
                let owner = scope.spawn(move || {
                    let mut ledger = Ledger::default();
                    inbox.iter().for_each(|lines| lines.add_to(&mut ledger));
                    ledger
                });
                (sender, owner)
            })
            .unzip();
        let read = file.map_batches_parallel(options.workers, BATCH_ROWS, read_batch, |part| {
            for (lines, sender) in part.lines.into_iter().zip(&senders) {
                if !lines.is_empty() {
                    sender.send(lines).map_err(|_| pq::Error::WorkerPanicked)?;
                }
            }
            whole.counts.merge(&part.counts);
            whole.rejects.extend(part.rejects);
            whole.invoices.merge(part.invoices);
            whole.instants += part.instants;
            Ok(())
        });
        drop(senders);
        let ledgers: Vec<Ledger> =
            owners.into_iter().map(|o| o.join().expect("a ledger thread panicked")).collect();
        (read, ledgers)
    });
    read.map_err(|e| parquet_error(path, &e))?;
    let mut ledger = Ledger::default();
    ledgers.into_iter().for_each(|part| ledger.merge(part));
    whole.invoices.finish();
    let report = FileReport {
        path: path.to_path_buf(),
        encoding: None,
        delimiter: None,
        sheet: None,
        decimal: choice.decimal,
        date_format: choice.date,
        title_lines: 0,
        columns: map.describe(),
        look_alikes: map.look_alikes(),
        counts: whole.counts,
        invoices: whole.invoices,
        aggregate_rows: None,
        parquet_row_groups: Some(file.num_row_groups()),
        instant_dates: whole.instants,
    };
    Ok((ledger, report, whole.rejects))
}

/// The rows of a Parquet customers master, numbered from 1, with its
/// column mapping and value formats.
pub type MasterTable = (ColumnMap<MasterField>, ValueFormat, Vec<(u64, Vec<pq::Cell>)>);

/// Reads a Parquet customers master whole (a master is small).
pub fn read_master_file(
    path: &Path,
    source: &SourceSpec<MasterField>,
) -> Result<MasterTable, IngestError> {
    let Mapped { file, map, format, .. } = open_mapped(path, source, "customers")?;
    let mut rows = Vec::new();
    file.map_batches_parallel(1, BATCH_ROWS, Ok, |batch| {
        let first = batch.first_row();
        let width = file.columns().len();
        let cells = batch.into_cells();
        for (k, row) in cells.chunks(width).enumerate() {
            rows.push((first + k as u64 + 1, row.to_vec()));
        }
        Ok(())
    })
    .map_err(|e| parquet_error(path, &e))?;
    Ok((map, format, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_must_be_exact_unless_rounding_is_accepted() {
        let problem = |kind: &str, round| type_problem(SalesField::Revenue, "Importo", kind, round);
        assert_eq!(problem("DECIMAL(18,4)", false), None);
        assert_eq!(problem("BIGINT", false), None);
        assert_eq!(problem("VARCHAR", false), None);
        let why = problem("DOUBLE", false).unwrap();
        assert!(why.contains("float_amounts = \"round\" in [sales]"), "{why}");
        assert!(why.contains("CAST(Importo AS DECIMAL(18, 4))"), "{why}");
        assert_eq!(problem("DOUBLE", true), None);
        assert!(problem("DATE", false).unwrap().contains("expected a DECIMAL"));
        // A quantity or a score may be a float; an id may not.
        assert_eq!(type_problem(SalesField::Quantity, "q", "DOUBLE", false), None);
        assert!(type_problem(SalesField::CustomerId, "c", "DOUBLE", false).is_some());
        assert_eq!(type_problem(SalesField::CustomerId, "c", "DECIMAL(10,0)", false), None);
        assert!(type_problem(SalesField::Date, "d", "BIGINT", false).is_some());
        assert_eq!(type_problem(SalesField::Date, "d", "TIMESTAMPTZ", false), None);
        let why = type_problem(MasterField::Potential, "p", "FLOAT", false).unwrap();
        assert!(why.contains("[customers]"), "{why}");
    }

    #[test]
    fn values_become_cells_exactly() {
        let c = |v: pq::Cell| format!("{:?}", cell(&v));
        assert_eq!(c(pq::Cell::Int(7)), "Decimal { unscaled: 7, scale: 0 }");
        let day = Date::from_ymd(2025, 3, 1).unwrap();
        let midnight = i64::from(day.days()) * MICROS_PER_DAY;
        let late = pq::Cell::Timestamp { micros: midnight - 1, utc_adjusted: true };
        assert_eq!(cell(&late), Cell::Date(Date::from_ymd(2025, 2, 28).unwrap()));
        assert!(instant_with_time(&late));
        let wall = pq::Cell::Timestamp { micros: midnight + 3_600_000_000, utc_adjusted: false };
        assert_eq!(cell(&wall), Cell::Date(day));
        assert!(!instant_with_time(&wall));
        assert!(!instant_with_time(&pq::Cell::Timestamp { micros: midnight, utc_adjusted: true }));
        assert!(matches!(cell(&pq::Cell::Date(i32::MAX)), Cell::Error(_)));
        assert_eq!(i64::from(Date::from_ymd(1, 1, 1).unwrap().days()), FIRST_DAY);
        assert_eq!(i64::from(Date::from_ymd(9999, 12, 31).unwrap().days()), LAST_DAY);
        assert!(matches!(day_cell(FIRST_DAY - 1), Cell::Error(_)));
        assert!(matches!(day_cell(LAST_DAY + 1), Cell::Error(_)));
        assert_eq!(cell(&pq::Cell::Text(" A1 ".into())), Cell::Text("A1"));
        assert_eq!(cell(&pq::Cell::Null), Cell::Empty);
    }
}
