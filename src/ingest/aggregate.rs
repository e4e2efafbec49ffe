//! Reading sales as an aggregate: the result of one GROUP BY that a client's
//! warehouse runs over its invoice lines (`kamplan sql` prints it), so that
//! kamplan reads a few rows per customer and day instead of every line.
//!
//! The aggregate carries exactly what the ledger keeps, and nothing is
//! inferred: per customer and month the sums, line counts and day bits, per
//! customer, month and category the revenue, per customer, month and product
//! the revenue and quantity, and the invoices as starts (see
//! `ledger::Starts`), which count distinct ids over any window of months
//! exactly. Its own control totals are reconciled before anything is used.
//! docs/aggregate.md states the format.

use super::dates::DateBounds;
use super::{FileReport, IngestError, LineCounts, ReadOptions, Reject, SalesData};
use crate::config::dialect::{DateFormat, Decimal};
use crate::ledger::{ColumnsSeen, Ledger, MonthAdd, MonthTotals};
use crate::model::ids::IdRule;
use crate::model::{Amount, Date, MonthIndex};
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The version of the format this reader knows.
pub const VERSION: u32 = 3;

/// The columns of an aggregate, in the order `kamplan sql` writes them.
pub const COLUMNS: [&str; 17] = [
    "kind",
    "customer_id",
    "date",
    "prev_month",
    "key",
    "value",
    "lines",
    "lines_without_cost",
    "days",
    "days_without_invoice",
    "n",
    "revenue",
    "cost",
    "quantity",
    "revenue_abs",
    "cost_abs",
    "quantity_abs",
];

/// The problems for which a query leaves a line out (`excluded` rows,
/// keyed `field/problem`), in the order a reading of lines finds them.
const PROBLEMS: [&str; 5] = ["missing", "invalid", "decimals", "future", "after_through"];

/// The field and the reject's reason of an `excluded` row's key, worded as
/// a reading of the lines words it, so that it falls in the same kind of reject.
fn exclusion(key: &str) -> Option<(&'static str, String)> {
    use crate::model::fields::{CanonicalField, SalesField};
    let (field, problem) = key.split_once('/')?;
    let field = SalesField::from_name(field)?;
    let reason = match (*PROBLEMS.iter().find(|p| **p == problem)?, field) {
        ("missing", f) => format!("missing {}", f.name().replace('_', " ")),
        ("invalid", SalesField::Date) => "not a date".into(),
        ("invalid", _) => "not a number".into(),
        ("decimals", _) => "more than 4 decimal places".into(),
        ("future", _) => "dated after the day the query ran: a sale cannot be in the future".into(),
        _ => "dated after the aggregate's through date".into(),
    };
    Some((field.name(), format!("{reason} (left out by the query)")))
}

/// The optional columns of the sales lines, as the `columns` format row names them.
const OPTIONAL: [&str; 4] = ["cost", "quantity", "product", "invoice"];

/// One row of an aggregate, whatever file it came from. Amounts are in
/// units of 1/10 000, counts are whole.
#[derive(Clone, Debug, Default)]
pub struct Row<'a> {
    pub kind: &'a str,
    pub customer_id: Option<&'a str>,
    pub date: Option<Date>,
    pub prev_month: Option<Date>,
    pub key: Option<&'a str>,
    pub value: Option<&'a str>,
    /// lines, lines_without_cost, days, days_without_invoice, n.
    pub counts: [Option<u64>; 5],
    /// revenue, cost, quantity, revenue_abs, cost_abs, quantity_abs.
    pub amounts: [Option<i128>; 6],
}

const LINES: usize = 0;
const WITHOUT_COST: usize = 1;
const DAYS: usize = 2;
const DAYS_WITHOUT_INVOICE: usize = 3;
const N: usize = 4;
/// Where the counts and the amounts start among `COLUMNS`.
const LINES_COLUMN: usize = 6;
const AMOUNTS: usize = 11;
const REVENUE: usize = 0;
const QUANTITY: usize = 2;

/// Reads an aggregate into the same data a reading of its lines gives.
pub fn read_aggregate(
    path: &Path,
    ids: &IdRule,
    options: ReadOptions,
) -> Result<SalesData, IngestError> {
    let mut builder = Builder::new(path, ids, options);
    for part in parts(path)? {
        builder.file = part.clone();
        if is_parquet(&part) {
            read_parquet(&part, options.workers, &mut builder)?;
        } else {
            read_csv(&part, &mut builder)?;
        }
    }
    builder.file = path.to_path_buf();
    builder.finish()
}

/// The file, or the files of a folder in name order: warehouses and Spark
/// export a large result as parts (`part-00000….parquet`), which together
/// are the aggregate. Hidden files and markers (`.crc`, `_SUCCESS`) are not parts.
fn parts(path: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let io = |source| IngestError::Io { path: path.to_path_buf(), source };
    if !std::fs::metadata(path).map_err(io)?.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(['.', '_']) && entry.path().is_file() {
            parts.push(entry.path());
        }
    }
    parts.sort();
    if parts.is_empty() {
        return Err(IngestError::Format {
            path: path.to_path_buf(),
            message:
                "an empty folder: expected the aggregate, or the parts of it a warehouse exported"
                    .into(),
        });
    }
    Ok(parts)
}

/// Whether a file is Parquet: it starts with Parquet's magic bytes, whatever its name.
pub fn is_parquet(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok()
        && &magic == b"PAR1"
}

fn read_csv(path: &Path, builder: &mut Builder<'_>) -> Result<(), IngestError> {
    let io = |source| IngestError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(file);
    let mut record = csv::StringRecord::new();
    let mut positions: Option<[Option<usize>; 17]> = None;
    loop {
        let more = reader.read_record(&mut record).map_err(|e| csv_error(path, &e))?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        let Some(at) = &positions else {
            let at = header_positions(record.iter()).map_err(|message| IngestError::Header {
                path: path.to_path_buf(),
                line: 1,
                message,
            })?;
            positions = Some(at);
            continue;
        };
        let row = parse_row(&record, at).map_err(|message| IngestError::Header {
            path: path.to_path_buf(),
            line,
            message,
        })?;
        let content = || record.iter().collect::<Vec<_>>().join(",");
        builder.row(&row, line, content).map_err(|message| IngestError::Header {
            path: path.to_path_buf(),
            line,
            message,
        })?;
    }
    if positions.is_none() {
        return Err(IngestError::Format {
            path: path.to_path_buf(),
            message: "empty: an aggregate starts with a header line".into(),
        });
    }
    Ok(())
}

/// Reads an aggregate saved as Parquet: row groups are decoded on `workers`
/// threads and their rows handed over in file order.
fn read_parquet(path: &Path, workers: usize, builder: &mut Builder<'_>) -> Result<(), IngestError> {
    use super::parquet::ParquetFile;
    let fail = |message: String| IngestError::Format { path: path.to_path_buf(), message };
    let file = ParquetFile::open(path).map_err(|e| fail(e.to_string()))?;
    let columns = file.columns();
    let at = header_positions(columns.iter().map(|c| c.name.as_str())).map_err(&fail)?;
    // Types are checked once, from the schema: money must be exact.
    for (c, name) in COLUMNS.iter().enumerate() {
        let Some(i) = at[c] else { continue };
        let ty = &columns[i].type_name;
        let expected = match c {
            0..=1 | 4..=5 => ["VARCHAR", "BLOB"].contains(&ty.as_str()).then_some(()).ok_or("text (VARCHAR)"),
            2..=3 => (ty == "DATE").then_some(()).ok_or("DATE"),
            6..=10 => (ty.ends_with("INT") || ty.starts_with("DECIMAL(") && ty.ends_with(",0)")).then_some(()).ok_or("a whole number (BIGINT)"),
            _ => (ty.starts_with("DECIMAL(") || ty.ends_with("INT")).then_some(()).ok_or("an exact decimal (DECIMAL(38, 4)); a floating-point column would not hold amounts exactly, cast it in the query"),
        };
        if let Err(expected) = expected {
            return Err(fail(format!("column {name} is {ty}; expected {expected}")));
        }
    }
    let mut failure = None;
    let result = file.map_batches_parallel(workers.max(1), 4096, Ok, |batch| {
        for (k, cells) in batch.rows().enumerate() {
            let number = batch.first_row() + k as u64 + 1;
            let row = match parquet_row(cells, &at) {
                Ok(row) => row,
                Err(message) => {
                    failure = Some(fail(format!("row {number}: {message}")));
                    return Err(super::parquet::Error::Stopped);
                }
            };
            let content = || cells.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
            if let Err(message) = builder.row(&row, number, content) {
                failure = Some(fail(format!("row {number}: {message}")));
                return Err(super::parquet::Error::Stopped);
            }
        }
        Ok(())
    });
    if let Some(failure) = failure {
        return Err(failure);
    }
    result.map_err(|e| fail(e.to_string()))?;
    Ok(())
}

/// One Parquet row as a row; an error names the column and what was expected.
fn parquet_row<'r>(
    cells: &'r [super::parquet::Cell],
    at: &[Option<usize>; 17],
) -> Result<Row<'r>, String> {
    use super::parquet::Cell;
    let cell = |c: usize| at[c].map_or(&Cell::Null, |i| &cells[i]);
    let wrong = |c: usize, expected: &str| {
        format!("column {}: expected {expected}, found \"{}\"", COLUMNS[c], cell(c))
    };
    let text = |c: usize| match cell(c) {
        Cell::Text(t) if !t.is_empty() => Ok(Some(t.as_str())),
        Cell::Text(_) | Cell::Null => Ok(None),
        _ => Err(wrong(c, "text")),
    };
    let date = |c: usize| match cell(c) {
        Cell::Date(days) => Ok(Some(Date::from_days(*days))),
        Cell::Null => Ok(None),
        _ => Err(wrong(c, "a date")),
    };
    let mut row = Row {
        kind: text(0)?.unwrap_or(""),
        customer_id: text(1)?,
        date: date(2)?,
        prev_month: date(3)?,
        key: text(4)?,
        value: text(5)?,
        ..Row::default()
    };
    for (k, count) in row.counts.iter_mut().enumerate() {
        let c = LINES_COLUMN + k;
        *count = match cell(c) {
            Cell::Null => None,
            Cell::Int(n) => Some(u64::try_from(*n).map_err(|_| wrong(c, "a count of 0 or more"))?),
            Cell::Decimal { unscaled, scale: 0 } => {
                Some(u64::try_from(*unscaled).map_err(|_| wrong(c, "a count of 0 or more"))?)
            }
            _ => return Err(wrong(c, "a whole number")),
        };
    }
    for (k, amount) in row.amounts.iter_mut().enumerate() {
        let c = AMOUNTS + k;
        *amount = match cell(c) {
            Cell::Null => None,
            Cell::Int(n) => Some(i128::from(*n) * 10_000),
            Cell::Decimal { unscaled, scale } => Some(
                crate::model::amount::decimal_units(*unscaled, *scale)
                    .map_err(|_| wrong(c, "at most 4 decimal places"))?,
            ),
            _ => return Err(wrong(c, "an exact decimal")),
        };
    }
    Ok(row)
}

/// Checks an aggregate's header without reading its rows: each column and
/// the sales field it carries, if any.
pub fn inspect(path: &Path) -> Result<super::Mapping, IngestError> {
    let parts = parts(path)?;
    let path = parts[0].as_path();
    let field = |name: &'static str| {
        ["customer_id", "date", "revenue", "cost", "quantity"].contains(&name).then_some(name)
    };
    let mapping = |at: [Option<usize>; 17]| -> super::Mapping {
        let mut columns: Vec<(usize, &'static str)> =
            COLUMNS.iter().zip(at).filter_map(|(c, i)| Some((i?, *c))).collect();
        columns.sort_unstable();
        columns.into_iter().map(|(_, c)| (c.to_string(), field(c))).collect()
    };
    if is_parquet(path) {
        let fail = |message: String| IngestError::Format { path: path.to_path_buf(), message };
        let file = super::parquet::ParquetFile::open(path).map_err(|e| fail(e.to_string()))?;
        let at = header_positions(file.columns().iter().map(|c| c.name.as_str())).map_err(fail)?;
        return Ok(mapping(at));
    }
    let io = |source| IngestError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(file);
    let mut header = csv::StringRecord::new();
    if !reader.read_record(&mut header).map_err(|e| csv_error(path, &e))? {
        return Err(IngestError::Format {
            path: path.to_path_buf(),
            message: "empty: an aggregate starts with a header line".into(),
        });
    }
    let at = header_positions(header.iter()).map_err(|message| IngestError::Header {
        path: path.to_path_buf(),
        line: 1,
        message,
    })?;
    Ok(mapping(at))
}

fn csv_error(path: &Path, e: &csv::Error) -> IngestError {
    let line = e.position().map_or(0, |p| p.line());
    IngestError::Header {
        path: path.to_path_buf(),
        line,
        message: format!("not readable as an aggregate in CSV: {e}"),
    }
}

/// Where each of `COLUMNS` is among a file's column names; every column
/// must be there, once.
fn header_positions<'n>(
    names: impl Iterator<Item = &'n str>,
) -> Result<[Option<usize>; 17], String> {
    let mut at = [None; 17];
    for (i, name) in names.enumerate() {
        let name = name.trim_start_matches('\u{feff}').trim();
        match COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
            Some(c) if at[c].is_some() => return Err(format!("column \"{name}\" appears twice")),
            Some(c) => at[c] = Some(i),
            None => {
                return Err(format!(
                    "column {} is \"{name}\", which an aggregate does not have; expected the columns {}",
                    i + 1,
                    COLUMNS.join(", ")
                ));
            }
        }
    }
    if let Some(missing) = COLUMNS.iter().zip(&at).find(|(_, a)| a.is_none()) {
        return Err(format!(
            "no column \"{}\": this is not a kamplan aggregate (expected the columns {}); a file of sales lines is read with kind = \"lines\"",
            missing.0,
            COLUMNS.join(", ")
        ));
    }
    Ok(at)
}

/// One CSV record as a row; an error names the column and what was expected.
fn parse_row<'r>(
    record: &'r csv::StringRecord,
    at: &[Option<usize>; 17],
) -> Result<Row<'r>, String> {
    let cell = |c: usize| -> Option<(usize, &'r str)> {
        let i = at[c]?;
        record.get(i).filter(|v| !v.is_empty()).map(|v| (i, v))
    };
    let wrong = |i: usize, c: usize, expected: &str, found: &str| {
        format!("column {} ({}): expected {expected}, found \"{found}\"", i + 1, COLUMNS[c])
    };
    let date = |c: usize| -> Result<Option<Date>, String> {
        cell(c)
            .map(|(i, v)| Date::parse_iso(v).ok_or_else(|| wrong(i, c, "a date yyyy-mm-dd", v)))
            .transpose()
    };
    let mut row = Row {
        kind: cell(0).map_or("", |(_, v)| v),
        customer_id: cell(1).map(|(_, v)| v),
        date: date(2)?,
        prev_month: date(3)?,
        key: cell(4).map(|(_, v)| v),
        value: cell(5).map(|(_, v)| v),
        ..Row::default()
    };
    for (k, count) in row.counts.iter_mut().enumerate() {
        let c = LINES_COLUMN + k;
        *count = cell(c)
            .map(|(i, v)| v.parse::<u64>().map_err(|_| wrong(i, c, "a whole number", v)))
            .transpose()?;
    }
    for (k, amount) in row.amounts.iter_mut().enumerate() {
        let c = AMOUNTS + k;
        *amount = cell(c)
            .map(|(i, v)| {
                decimal_units(v).ok_or_else(|| wrong(i, c, "a decimal number like -1234.5678", v))
            })
            .transpose()?;
    }
    Ok(row)
}

/// A decimal written plainly (`-1234.5`, `12.340000`) in units of 1/10 000;
/// `None` beyond 4 significant decimals or beyond 38 digits.
pub fn decimal_units(text: &str) -> Option<i128> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) || whole.len() > 34 {
        return None;
    }
    let kept = fraction.trim_end_matches('0');
    if kept.len() > 4 {
        return None;
    }
    let mut units: i128 = 0;
    for b in whole.bytes().chain(kept.bytes()) {
        units = units * 10 + i128::from(b - b'0');
    }
    units *= 10i128.pow(4 - kept.len() as u32);
    Some(if negative { -units } else { units })
}

/// The format rows' settings.
#[derive(Default)]
struct Format {
    version: Option<u32>,
    columns: Option<ColumnsSeen>,
    /// `Some(None)`: the query kept every date.
    through: Option<Option<Date>>,
}

/// A control total: a count and, for the lines, their revenue.
#[derive(Clone, Copy, Default)]
struct Total {
    n: u64,
    revenue: Option<i128>,
}

/// What the rows add up to, for the control totals.
#[derive(Default)]
struct Sums {
    rows: u64,
    lines: u64,
    revenue: i128,
    invoices: u64,
}

/// Turns rows into ledger totals, counts and rejects, as `tally` does for lines.
struct Builder<'a> {
    /// The file being read (the aggregate, or one of its parts).
    file: PathBuf,
    ids: &'a IdRule,
    options: ReadOptions,
    /// The last date kept: lines after it are rejected or left out.
    cut: Date,
    ledger: Ledger,
    counts: LineCounts,
    rejects: Vec<Reject>,
    format: Format,
    totals: Vec<(String, Total)>,
    sums: Sums,
    after_through: u64,
    customers: FxHashSet<String>,
    /// The category, product and start rows of the cut's month, kept for the end:
    /// they count for the customers whose month row of it is kept (its
    /// days all on or before the cut), and for no other.
    pending: Vec<(String, Pending)>,
    kept_at_cut: FxHashSet<String>,
    /// Each customer's first day and its revenue, for the end: they count
    /// for customers with a kept month, on or before the cut.
    firsts: Vec<(String, Date, Amount)>,
    /// With an id rule: the first id of the aggregate each customer with
    /// invoices had, and the customers that had more than one.
    counted_ids: rustc_hash::FxHashMap<String, String>,
    merged: std::collections::BTreeSet<String>,
}

/// A category, product or start row of the cut's month (see `Builder::pending`).
enum Pending {
    Category { name: String, revenue: Amount },
    Product { name: String, revenue: Amount, quantity: Amount },
    Starts { prev: Option<MonthIndex>, n: u32 },
}

impl<'a> Builder<'a> {
    fn new(path: &Path, ids: &'a IdRule, options: ReadOptions) -> Self {
        let bounds: DateBounds = options.dates;
        let cut = options.as_of.map_or(bounds.last, |as_of| as_of.min(bounds.last));
        Builder {
            file: path.to_path_buf(),
            ids,
            options,
            cut,
            ledger: Ledger::default(),
            counts: LineCounts::default(),
            rejects: Vec::new(),
            format: Format::default(),
            totals: Vec::new(),
            sums: Sums::default(),
            after_through: 0,
            customers: FxHashSet::default(),
            pending: Vec::new(),
            kept_at_cut: FxHashSet::default(),
            firsts: Vec::new(),
            counted_ids: Default::default(),
            merged: Default::default(),
        }
    }

    fn customer<'r>(&self, row: &Row<'r>) -> Result<Cow<'r, str>, String> {
        let id = row.customer_id.map(|id| id.trim_matches(|c: char| c.is_ascii_whitespace()));
        let id = id.filter(|id| !id.is_empty());
        let id = id.ok_or_else(|| format!("a {} row without customer_id", row.kind))?;
        Ok(self.ids.apply(Cow::Borrowed(id)))
    }

    fn row(
        &mut self,
        row: &Row<'_>,
        line: u64,
        content: impl Fn() -> String,
    ) -> Result<(), String> {
        let need = |what: Option<u64>, name: &str| {
            what.ok_or_else(|| format!("a {} row without {name}", row.kind))
        };
        let date = || row.date.ok_or_else(|| format!("a {} row without date", row.kind));
        match row.kind {
            "format" => return self.format_row(row),
            "total" => {
                let key = row.key.ok_or("a total row without key")?;
                if self.totals.iter().any(|(k, _)| k == key) {
                    return Err(format!("two total rows for {key}"));
                }
                let n = need(row.counts[N].or(row.counts[LINES]), "n")?;
                self.totals.push((key.to_string(), Total { n, revenue: row.amounts[REVENUE] }));
                return Ok(());
            }
            _ => {}
        }
        self.sums.rows += 1;
        match row.kind {
            "month" => {
                let lines = need(row.counts[LINES], "lines")?;
                let revenue = row.amounts[REVENUE].ok_or("a month row without revenue")?;
                let id = self.customer(row)?;
                self.customers.insert(id.to_string());
                self.sums.lines += lines;
                self.sums.revenue += revenue;
                self.month(&id, date()?.month_index(), row, lines, revenue, line, content)
            }
            "category" => {
                let month = date()?.month_index();
                let name = row.key.map(str::trim).filter(|k| !k.is_empty());
                let name = name.ok_or("a category row without key (the category)")?;
                let revenue = row.amounts[REVENUE].ok_or("a category row without revenue")?;
                let id = self.customer(row)?;
                if month == self.cut.month_index() {
                    let pending =
                        Pending::Category { name: name.into(), revenue: saturate(revenue) };
                    self.pending.push((id.into_owned(), pending));
                } else if self.kept_month(month) {
                    self.ledger.add_category(&id, month, name, saturate(revenue));
                }
                Ok(())
            }
            "product" => {
                let month = date()?.month_index();
                let name = row.key.map(str::trim).filter(|k| !k.is_empty());
                let name = name.ok_or("a product row without key (the product)")?;
                let revenue = row.amounts[REVENUE].ok_or("a product row without revenue")?;
                let quantity = row.amounts[QUANTITY].unwrap_or(0);
                let id = self.customer(row)?;
                let (revenue, quantity) = (saturate(revenue), saturate(quantity));
                if month == self.cut.month_index() {
                    let pending = Pending::Product { name: name.into(), revenue, quantity };
                    self.pending.push((id.into_owned(), pending));
                } else if self.kept_month(month) {
                    self.ledger.add_product(&id, month, name, revenue, quantity);
                }
                Ok(())
            }
            "invoice" => {
                let n = need(row.counts[N], "n")?;
                let date = date()?;
                let month = date.month_index();
                let prev = row.prev_month.map(Date::month_index);
                if prev.is_some_and(|p| p >= month) {
                    return Err(format!(
                        "prev_month {} is not before the row's month",
                        row.prev_month.map(|d| d.to_string()).unwrap_or_default()
                    ));
                }
                if prev.is_none() {
                    self.sums.invoices += n;
                }
                let id = self.customer(row)?;
                self.note_merge(row.customer_id.unwrap_or_default(), &id);
                // Months before the first kept one are gone whole: an id
                // last seen there starts again.
                let first_kept = self.options.dates.first.month_index();
                let prev = prev.filter(|&p| p >= first_kept);
                let n = u32::try_from(n).map_err(|_| "n beyond 4 billion".to_string())?;
                if month == self.cut.month_index() {
                    self.pending.push((id.into_owned(), Pending::Starts { prev, n }));
                } else if self.kept_month(month) {
                    self.ledger.add_invoice_starts(&id, month, prev, n);
                }
                Ok(())
            }
            "first" => {
                let revenue = row.amounts[REVENUE].ok_or("a first row without revenue")?;
                let id = self.customer(row)?;
                self.firsts.push((id.into_owned(), date()?, saturate(revenue)));
                Ok(())
            }
            "excluded" => self.excluded(row, line, content),
            other => Err(format!(
                "kind \"{other}\" is not one of format, month, category, invoice, product, first, excluded, total"
            )),
        }
    }

    /// Notes a customer whose invoices come under several of the
    /// aggregate's ids (the id rule made one of them).
    fn note_merge(&mut self, raw: &str, id: &str) {
        if self.ids.is_identity() {
            return;
        }
        let raw = raw.trim();
        match self.counted_ids.get(id) {
            Some(first) if first != raw => {
                self.merged.insert(id.to_string());
            }
            Some(_) => {}
            None => {
                self.counted_ids.insert(id.to_string(), raw.to_string());
            }
        }
    }

    fn kept_month(&self, month: MonthIndex) -> bool {
        (self.options.dates.first.month_index()..=self.cut.month_index()).contains(&month)
    }

    fn format_row(&mut self, row: &Row<'_>) -> Result<(), String> {
        let key = row.key.unwrap_or("");
        let value = row.value.unwrap_or("").trim();
        let twice = || format!("two format rows for {key}");
        match key {
            "version" => {
                let v = value
                    .parse::<u32>()
                    .map_err(|_| format!("format version \"{value}\": expected a whole number"))?;
                if v != VERSION {
                    return Err(format!(
                        "aggregate format version {v}; this kamplan reads version {VERSION}: print the query again with this kamplan's `kamplan sql`"
                    ));
                }
                self.format.version.replace(v).map_or(Ok(()), |_| Err(twice()))
            }
            "columns" => {
                let mut seen = ColumnsSeen::default();
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    match name {
                        "cost" => seen.cost = true,
                        "quantity" => seen.quantity = true,
                        "product" => seen.product = true,
                        "invoice" => seen.invoice = true,
                        other => {
                            return Err(format!(
                                "format columns names \"{other}\"; expected some of {}",
                                OPTIONAL.join(", ")
                            ));
                        }
                    }
                }
                self.format.columns.replace(seen).map_or(Ok(()), |_| Err(twice()))
            }
            "through" => {
                let through = match value {
                    "" => None,
                    v => Some(Date::parse_iso(v).ok_or_else(|| {
                        format!("format through \"{v}\": expected a date yyyy-mm-dd or nothing")
                    })?),
                };
                self.format.through.replace(through).map_or(Ok(()), |_| Err(twice()))
            }
            other => Err(format!("format row \"{other}\"; expected version, columns or through")),
        }
    }

    /// A customer's month: its days are judged as a reading of lines judges
    /// each line's date (plausible, on or before `as_of`). The month's sums
    /// cannot be split, so its days must all be judged alike.
    #[allow(clippy::too_many_arguments)]
    fn month(
        &mut self,
        id: &str,
        month: MonthIndex,
        row: &Row<'_>,
        lines: u64,
        revenue: i128,
        line: u64,
        content: impl Fn() -> String,
    ) -> Result<(), String> {
        let (y, m) = crate::model::date::split_month(month);
        let length = crate::model::date::days_in_month(y, m);
        let days = row.counts[DAYS].ok_or("a month row without days")?;
        let without_invoice = row.counts[DAYS_WITHOUT_INVOICE].unwrap_or(0);
        if lines == 0 || days == 0 || days >> length != 0 || without_invoice & !days != 0 {
            return Err(format!(
                "a month row needs lines, and days as the bits of its days (bit d - 1 for day d of {length}), days_without_invoice among them"
            ));
        }
        let first = Date::first_of_month(month).days();
        let dates =
            (0..length).filter(|d| days >> d & 1 == 1).map(|d| Date::from_days(first + d as i32));
        // Each day: rejected (why), after as_of, or kept.
        let verdicts: Vec<(Date, Option<String>, bool)> = dates
            .map(|d| (d, self.options.dates.check(d), self.options.as_of.is_some_and(|a| d > a)))
            .collect();
        let verdict = |v: &(Date, Option<String>, bool)| (v.1.is_some(), v.2);
        if verdicts.iter().any(|v| verdict(v) != verdict(&verdicts[0])) {
            return Err(format!(
                "customer {id} has sales in {} on both sides of {}: a month's totals cannot be cut inside it; print the query with `kamplan sql --through {}`",
                crate::model::date::format_month(month),
                self.cut,
                self.cut
            ));
        }
        self.counts.read += lines;
        let (last, reason, after) = verdicts.last().cloned().expect("a day at least");
        if let Some(reason) = verdicts[0].1.clone().or(reason) {
            self.reject(line, "date", reason, lines, content());
            return Ok(());
        }
        self.counts.accepted += lines;
        self.counts.revenue += revenue;
        if after {
            self.counts.after_as_of += lines;
            self.counts.revenue_after_as_of += revenue;
            return Ok(());
        }
        if month == self.cut.month_index() {
            self.kept_at_cut.insert(id.to_string());
        }
        let count = |k: usize| u32::try_from(row.counts[k].unwrap_or(0)).unwrap_or(u32::MAX);
        let amount = |k: usize| row.amounts[k].unwrap_or(0);
        let magnitude = |k: usize| {
            // Without the absolute sums, the net one bounds nothing: take the worst.
            row.amounts[k + 3].map_or(u128::MAX, |a| a.unsigned_abs())
        };
        let totals = MonthTotals {
            month,
            revenue: saturate(revenue),
            cost: saturate(amount(1)),
            quantity: saturate(amount(2)),
            lines_without_cost: count(WITHOUT_COST),
            days: days as u32,
            days_without_invoice: without_invoice as u32,
        };
        let magnitude = [magnitude(0), magnitude(1), magnitude(2)];
        self.ledger.add_month(id, &MonthAdd { totals, magnitude, last });
        Ok(())
    }

    fn reject(
        &mut self,
        line: u64,
        field: &'static str,
        reason: String,
        lines: u64,
        content: String,
    ) {
        self.counts.rejected += lines;
        // The count goes last: the reject's kind is read from how its reason starts.
        let reason = if lines == 1 { reason } else { format!("{reason} ({lines} lines)") };
        self.rejects.push(Reject {
            file: self.file.to_path_buf(),
            line,
            column: None,
            field: Some(field),
            reason,
            content,
            lines,
        });
    }

    fn excluded(
        &mut self,
        row: &Row<'_>,
        line: u64,
        content: impl Fn() -> String,
    ) -> Result<(), String> {
        let key = row.key.unwrap_or("").trim();
        let lines = row.counts[LINES].ok_or("an excluded row without lines")?;
        let (field, reason) = exclusion(key).ok_or_else(|| {
            format!(
                "excluded row for \"{key}\"; expected FIELD/PROBLEM: a sales field, and one of {}",
                PROBLEMS.join(", ")
            )
        })?;
        self.sums.lines += lines;
        self.sums.revenue += row.amounts[REVENUE].unwrap_or(0);
        self.counts.read += lines;
        if key == "date/after_through" {
            // Lines a reading of the source would accept and leave after as_of.
            let revenue =
                row.amounts[REVENUE].ok_or("an excluded after_through row without revenue")?;
            self.after_through += lines;
            self.counts.accepted += lines;
            self.counts.after_as_of += lines;
            self.counts.revenue += revenue;
            self.counts.revenue_after_as_of += revenue;
            return Ok(());
        }
        self.reject(line, field, reason, lines, content());
        Ok(())
    }

    fn finish(mut self) -> Result<SalesData, IngestError> {
        let fail = |message: String| IngestError::Format { path: self.file.to_path_buf(), message };
        let Some(_version) = self.format.version else {
            return Err(fail(format!(
                "no format row for version: not a kamplan aggregate (version {VERSION} is read)"
            )));
        };
        let columns =
            self.format.columns.ok_or_else(|| fail("no format row for columns".into()))?;
        self.reconcile().map_err(&fail)?;
        if self.after_through > 0 {
            let through = self.format.through.flatten();
            let fits = self.options.as_of.zip(through).is_some_and(|(as_of, t)| as_of <= t);
            if !fits {
                return Err(fail(format!(
                    "the query left out {} lines dated after {}, which a reading of every line would count: set as_of to {} or earlier in kamplan.toml, or print the query with a later --through",
                    self.after_through,
                    through.map(|d| d.to_string()).unwrap_or_default(),
                    through.map(|d| d.to_string()).unwrap_or_default(),
                )));
            }
        }
        let cut_month = self.cut.month_index();
        for (id, pending) in std::mem::take(&mut self.pending) {
            if !self.kept_at_cut.contains(&id) {
                continue;
            }
            match pending {
                Pending::Category { name, revenue } => {
                    self.ledger.add_category(&id, cut_month, &name, revenue)
                }
                Pending::Product { name, revenue, quantity } => {
                    self.ledger.add_product(&id, cut_month, &name, revenue, quantity)
                }
                Pending::Starts { prev, n } => {
                    self.ledger.add_invoice_starts(&id, cut_month, prev, n)
                }
            }
        }
        for (id, date, revenue) in std::mem::take(&mut self.firsts) {
            if date <= self.cut {
                self.ledger.add_first_day(&id, date, revenue);
            }
        }
        if let Some((id, month)) = self.ledger.month_without_days() {
            return Err(fail(format!(
                "customer {id} has category, invoice or product rows for {} but no month row for it: the aggregate's parts do not belong together",
                crate::model::date::format_month(month)
            )));
        }
        if self.ledger.latest.is_some() {
            self.ledger.columns = columns;
        }
        self.ledger.shrink_to_fit();
        let mapping = std::iter::once(("date", true))
            .chain([("customer_id", true), ("revenue", true)])
            .chain([
                ("cost", columns.cost),
                ("quantity", columns.quantity),
                ("product_id", columns.product),
                ("invoice_id", columns.invoice),
            ])
            .filter(|(_, present)| *present)
            .map(|(name, _)| (name.to_string(), Some(name)))
            .collect();
        let report = FileReport {
            path: self.file.to_path_buf(),
            encoding: None,
            delimiter: None,
            sheet: None,
            decimal: (Decimal::Dot, super::sniff::Decided::Configured),
            date_format: (
                DateFormat::from_name("yyyy-mm-dd").expect("a known format"),
                super::sniff::Decided::Configured,
            ),
            title_lines: 0,
            columns: mapping,
            look_alikes: Vec::new(),
            counts: self.counts,
            invoices: Default::default(),
            aggregate_rows: Some(self.sums.rows),
            parquet_row_groups: None,
            instant_dates: 0,
        };
        let mut data = SalesData {
            ledger: self.ledger,
            files: vec![report],
            rejects: self.rejects,
            empty_files: Vec::new(),
            notes: Vec::new(),
        };
        data.notes = super::notes(&data);
        if !self.merged.is_empty() {
            data.notes
                .push(super::Note::MergedIds { customers: self.merged.into_iter().collect() });
        }
        Ok(data)
    }

    /// The aggregate's control totals against what its rows add up to.
    fn reconcile(&self) -> Result<(), String> {
        let total = |key: &str| self.totals.iter().find(|(k, _)| k == key).map(|(_, t)| *t);
        let lost = "rows were lost or repeated on the way: export the query's result again";
        let check = |key: &str, rows: u64, what: &str| -> Result<(), String> {
            let stated = total(key).ok_or_else(|| format!("no total row for {key}"))?;
            if stated.n != rows {
                return Err(format!(
                    "the control totals do not add up: the rows hold {rows} {what}, the total row for {key} says {}; {lost}",
                    stated.n
                ));
            }
            Ok(())
        };
        check("rows", self.sums.rows, "rows")?;
        check("lines", self.sums.lines, "lines")?;
        check("invoices", self.sums.invoices, "distinct invoices")?;
        check("customers", self.customers.len() as u64, "customers")?;
        let stated = total("lines").and_then(|t| t.revenue).unwrap_or(0);
        if stated != self.sums.revenue {
            return Err(format!(
                "the control totals do not add up: the rows hold a revenue of {}, the total row for lines says {}; {lost}",
                Amount::from_units(saturate(self.sums.revenue).units()),
                Amount::from_units(saturate(stated).units()),
            ));
        }
        Ok(())
    }
}

/// An amount within i64 units; a sum beyond it is beyond the exact range,
/// which the customer's magnitude reports, so any value past it will do.
fn saturate(units: i128) -> Amount {
    Amount::from_units(units.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(decimal_units("12.3400"), Some(123_400));
        assert_eq!(decimal_units("-0.0001"), Some(-1));
        assert_eq!(decimal_units("7"), Some(70_000));
        assert_eq!(decimal_units("1.230000"), Some(12_300));
        assert_eq!(decimal_units(".5"), Some(5_000));
        assert_eq!(decimal_units("1.00001"), None);
        assert_eq!(decimal_units("1e5"), None);
        assert_eq!(decimal_units("-"), None);
        assert_eq!(decimal_units("1,5"), None);
    }
}
