//! Exact reading of flat Parquet files with the low-level `parquet` crate API
//! (no Arrow): column readers per row group, converted to row-major [`Cell`]s.
//!
//! * Decimals are exact (`i128` unscaled + scale) from INT32, INT64,
//!   FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY storage.
//! * Timestamps are normalised to microseconds (ms, us, ns and legacy INT96).
//! * Types come from the Parquet `LogicalType` when the writer stored one and
//!   fall back to the legacy `ConvertedType` otherwise (DuckDB still writes
//!   DATE, UTF8 and INT_* as converted types only; old Spark/Impala likewise).
//! * Memory is bounded: rows are produced in batches of at most `batch_rows`
//!   rows, with one page per column decompressed at a time.
//! * Row groups can be read in parallel ([`ParquetFile::map_batches_parallel`]);
//!   results are delivered in file order whatever the thread count.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;

use compact_str::CompactString;
use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as PhysicalType};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, DataType, DoubleType, FixedLenByteArray,
    FixedLenByteArrayType, FloatType, Int32Type, Int64Type, Int96, Int96Type,
};
use parquet::errors::ParquetError;
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};
use parquet::file::properties::ReaderProperties;
use parquet::file::reader::RowGroupReader;
use parquet::file::serialized_reader::SerializedRowGroupReader;
use parquet::schema::types::ColumnDescriptor;

/// One value of one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    /// Short texts (ids, codes: up to 24 bytes) are kept inline, without an
    /// allocation of their own.
    Text(CompactString),
    Int(i64),
    /// Exact decimal: the value is `unscaled / 10^scale`.
    Decimal {
        unscaled: i128,
        scale: u32,
    },
    Float(f64),
    /// Days since 1970-01-01 (negative before).
    Date(i32),
    /// Microseconds since 1970-01-01T00:00:00 (floor-converted from ms/ns).
    /// `utc_adjusted` is Parquet's `isAdjustedToUTC`: true for an instant
    /// (TIMESTAMPTZ), false for a wall-clock ("local") timestamp.
    Timestamp {
        micros: i64,
        utc_adjusted: bool,
    },
    Bool(bool),
}

/// A cell as a CSV file would hold it, for rejects and messages.
impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::model::Date;
        match self {
            Cell::Null => Ok(()),
            Cell::Text(t) => f.write_str(t),
            Cell::Int(n) => write!(f, "{n}"),
            Cell::Decimal { unscaled, scale } => {
                f.write_str(&crate::model::amount::decimal_text(*unscaled, *scale))
            }
            Cell::Float(x) => write!(f, "{x}"),
            Cell::Date(days) => write!(f, "{}", Date::from_days(*days)),
            Cell::Timestamp { micros, utc_adjusted } => {
                let (day, micros) =
                    (micros.div_euclid(MICROS_PER_DAY), micros.rem_euclid(MICROS_PER_DAY));
                let seconds = micros / 1_000_000;
                let date = i32::try_from(day)
                    .map_or_else(|_| format!("day {day}"), |d| Date::from_days(d).to_string());
                write!(
                    f,
                    "{date} {:02}:{:02}:{:02}",
                    seconds / 3600,
                    seconds / 60 % 60,
                    seconds % 60
                )?;
                if micros % 1_000_000 != 0 {
                    write!(f, ".{:06}", micros % 1_000_000)?;
                }
                if *utc_adjusted { f.write_str(" UTC") } else { Ok(()) }
            }
            Cell::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Microseconds in a day, the unit of [`Cell::Timestamp`].
pub const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A top-level column: its name and its type as text, e.g. `DECIMAL(18,4)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    pub name: String,
    /// DuckDB-like type name: VARCHAR, BLOB, BOOLEAN, TINYINT..BIGINT,
    /// UTINYINT..UBIGINT, FLOAT, DOUBLE, DECIMAL(p,s), DATE,
    /// TIMESTAMP[_MS|_NS], TIMESTAMPTZ[_MS|_NS], TIMESTAMP_NS (INT96).
    pub type_name: String,
    /// Physical storage, e.g. `INT64`, `FIXED_LEN_BYTE_ARRAY(16)`; for diagnostics.
    pub physical: String,
}

/// Errors, each naming the file and, where it applies, the column.
#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Parquet {
        path: PathBuf,
        source: ParquetError,
    },
    /// A struct, list or map column: only flat schemas are supported.
    Nested {
        path: PathBuf,
        column: String,
    },
    /// A column type this reader cannot turn into a [`Cell`].
    Unsupported {
        path: PathBuf,
        column: String,
        type_name: String,
    },
    /// A value that does not fit its [`Cell`] (bad UTF-8, overflow, corrupt data).
    BadValue {
        path: PathBuf,
        column: String,
        type_name: String,
        /// 0-based row index in the file.
        row: u64,
        message: String,
    },
    /// A reader thread panicked (a bug, not bad input).
    WorkerPanicked,
    /// The rows' reader stopped the reading (it keeps its own reason).
    Stopped,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Parquet { path, source } => {
                write!(f, "{}: {source}", path.display())
            }
            Error::Nested { path, column } => write!(
                f,
                "{}: column '{column}' is nested (struct, list or map); only flat columns can be read",
                path.display()
            ),
            Error::Unsupported { path, column, type_name } => {
                write!(f, "{}: column '{column}' has unsupported type {type_name}", path.display())
            }
            Error::BadValue { path, column, type_name, row, message } => write!(
                f,
                "{}: column '{column}' ({type_name}), row {}: {message}",
                path.display(),
                row + 1
            ),
            Error::WorkerPanicked => write!(f, "a Parquet reader thread panicked"),
            Error::Stopped => write!(f, "reading stopped"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Parquet { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How one column's physical values become [`Cell`]s. Decided once per file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Conv {
    Bool,
    /// INT32 as signed (INT8/16/32) or unsigned (UINT8/16/32, bits reinterpreted).
    I32 {
        unsigned: bool,
    },
    /// INT64 as signed; unsigned values above `i64::MAX` are an error.
    I64 {
        unsigned: bool,
    },
    F32,
    F64,
    Date,
    /// Decimal stored in INT32, INT64, or big-endian two's complement bytes.
    Decimal {
        scale: u32,
    },
    /// INT64 timestamp in `unit`; `utc` is `isAdjustedToUTC`.
    Timestamp {
        unit: Unit,
        utc: bool,
    },
    /// Legacy 12-byte INT96 timestamp (nanoseconds of day + Julian day).
    Int96,
    /// UTF-8 text (STRING/ENUM/JSON, or unannotated BYTE_ARRAY checked to be UTF-8).
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Millis,
    Micros,
    Nanos,
}

/// An open Parquet file: metadata parsed once, column conversions decided.
pub struct ParquetFile {
    path: PathBuf,
    /// Used by sequential reads; parallel workers open their own handle,
    /// because `File::try_clone` shares the seek position between threads
    /// (parquet's `ChunkReader for File` seeks, then reads).
    file: Arc<File>,
    meta: Arc<ParquetMetaData>,
    columns: Vec<ColumnInfo>,
    convs: Vec<Conv>,
    props: Arc<ReaderProperties>,
}

impl ParquetFile {
    /// Opens `path`, reads the footer and checks that every column can be read.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = File::open(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        let meta = quiet_unwind(|| ParquetMetaDataReader::new().parse_and_finish(&file))
            .unwrap_or_else(|message| {
                Err(ParquetError::General(format!("the footer does not decode ({message})")))
            })
            .map_err(|source| Error::Parquet { path: path.clone(), source })?;
        let schema = meta.file_metadata().schema_descr();
        // Flat schema: every top-level field is a non-repeated primitive, so
        // leaf column i is top-level field i.
        for field in schema.root_schema().get_fields() {
            let repeated = field.get_basic_info().has_repetition()
                && field.get_basic_info().repetition() == parquet::basic::Repetition::REPEATED;
            if field.is_group() || repeated {
                return Err(Error::Nested { path, column: field.name().to_string() });
            }
        }
        if schema.num_columns() == 0 {
            return Err(Error::Parquet {
                path,
                source: ParquetError::General("the file has no columns".into()),
            });
        }
        let mut columns = Vec::with_capacity(schema.num_columns());
        let mut convs = Vec::with_capacity(schema.num_columns());
        for descr in schema.columns() {
            let physical = match descr.physical_type() {
                PhysicalType::FIXED_LEN_BYTE_ARRAY => {
                    format!("FIXED_LEN_BYTE_ARRAY({})", descr.type_length())
                }
                other => other.to_string(),
            };
            let (type_name, conv) = classify(descr);
            let name = descr.name().to_string();
            let Some(conv) = conv else {
                return Err(Error::Unsupported { path, column: name, type_name });
            };
            columns.push(ColumnInfo { name, type_name, physical });
            convs.push(conv);
        }
        Ok(Self {
            path,
            file: Arc::new(file),
            meta: Arc::new(meta),
            columns,
            convs,
            props: Arc::new(ReaderProperties::builder().build()),
        })
    }

    pub fn columns(&self) -> &[ColumnInfo] {
        &self.columns
    }

    pub fn num_rows(&self) -> u64 {
        u64::try_from(self.meta.file_metadata().num_rows()).unwrap_or(0)
    }

    pub fn num_row_groups(&self) -> usize {
        self.meta.num_row_groups()
    }

    /// Index of the first row of row group `rg` in the file.
    fn first_row_of(&self, rg: usize) -> u64 {
        self.meta.row_groups()[..rg].iter().map(|g| u64::try_from(g.num_rows()).unwrap_or(0)).sum()
    }

    /// Starts reading row group `rg` through `file` (a handle owned by the
    /// calling thread; see the `file` field).
    fn open_row_group(&self, file: &Arc<File>, rg: usize) -> Result<RowGroupCursor> {
        let rg_meta = self.meta.row_group(rg);
        let reader = SerializedRowGroupReader::new(
            Arc::clone(file),
            rg_meta,
            self.meta.page_index_for_row_group(rg),
            Arc::clone(&self.props),
        )
        .map_err(|e| self.parquet_err(e))?;
        let schema = self.meta.file_metadata().schema_descr();
        let mut columns = Vec::with_capacity(self.columns.len());
        for i in 0..self.columns.len() {
            let reader = reader.get_column_reader(i).map_err(|e| self.parquet_err(e))?;
            columns.push(ColumnState {
                reader: TypedReader::from(reader),
                defs: Vec::new(),
                max_def: schema.column(i).max_def_level(),
            });
        }
        Ok(RowGroupCursor {
            row_group: rg,
            columns,
            remaining: usize::try_from(rg_meta.num_rows()).unwrap_or(0),
            next_row: self.first_row_of(rg),
        })
    }

    /// Runs a call into the parquet crate, which panics on some damaged
    /// files (a column chunk with a negative length, a dictionary page
    /// missing): the panic becomes this file's error, and is not printed.
    fn guarded<T>(&self, call: impl FnOnce() -> Result<T>) -> Result<T> {
        quiet_unwind(call).unwrap_or_else(|message| {
            Err(self.parquet_err(ParquetError::General(format!(
                "the data does not decode ({message})"
            ))))
        })
    }

    fn parquet_err(&self, source: ParquetError) -> Error {
        Error::Parquet { path: self.path.clone(), source }
    }

    /// Reads the file on `threads` threads (1 = no extra thread): `map` runs
    /// on the reader threads, one batch at a time, and `consume` receives its
    /// results on the calling thread in file order (row group by row group,
    /// batch by batch), so the output is the same for any thread count.
    ///
    /// Do the per-row work (parsing, aggregating) in `map`: it then runs in
    /// parallel, and the batch is freed on the thread that allocated it.
    ///
    /// Worker `t` reads row groups `t, t+threads, …` through its own file
    /// handle and sends results over a bounded channel; the calling thread
    /// drains the workers' channels round-robin, which restores file order.
    /// Memory: at most `threads × 4` batches (or results) exist at once.
    /// Stops at the first error from reading, `map` or `consume`.
    pub fn map_batches_parallel<R, M, C>(
        &self,
        threads: usize,
        batch_rows: usize,
        map: M,
        mut consume: C,
    ) -> Result<()>
    where
        R: Send,
        M: Fn(Batch) -> Result<R> + Sync,
        C: FnMut(R) -> Result<()>,
    {
        let batch_rows = batch_rows.max(1);
        let n_rg = self.num_row_groups();
        let threads = threads.clamp(1, n_rg.max(1));
        if threads == 1 {
            for rg in 0..n_rg {
                let mut cursor = self.guarded(|| self.open_row_group(&self.file, rg))?;
                while let Some(batch) = self.guarded(|| cursor.next_batch(self, batch_rows))? {
                    consume(map(batch)?)?;
                }
            }
            return Ok(());
        }
        std::thread::scope(|scope| {
            let map = &map;
            let mut receivers = Vec::with_capacity(threads);
            for t in 0..threads {
                // Worker → caller: a result, or `None` at the end of a row group.
                let (tx, rx) = mpsc::sync_channel::<Result<Option<R>>>(2);
                receivers.push(rx);
                scope.spawn(move || {
                    // On error: send it and stop. A failed send means the
                    // caller stopped early: just stop.
                    let run = || -> Result<()> {
                        let file = File::open(&self.path)
                            .map_err(|source| Error::Io { path: self.path.clone(), source })?;
                        let file = Arc::new(file);
                        for rg in (t..n_rg).step_by(threads) {
                            let mut cursor = self.guarded(|| self.open_row_group(&file, rg))?;
                            while let Some(batch) =
                                self.guarded(|| cursor.next_batch(self, batch_rows))?
                            {
                                if tx.send(Ok(Some(map(batch)?))).is_err() {
                                    return Ok(());
                                }
                            }
                            if tx.send(Ok(None)).is_err() {
                                return Ok(());
                            }
                        }
                        Ok(())
                    };
                    if let Err(e) = run() {
                        let _ = tx.send(Err(e));
                    }
                });
            }
            // Returning (also early, with `?`) drops `receivers`, which makes
            // blocked workers' `send` fail so that the scope can join them.
            for rg in 0..n_rg {
                let rx = &receivers[rg % threads];
                loop {
                    match rx.recv() {
                        Ok(Ok(Some(result))) => consume(result)?,
                        Ok(Ok(None)) => break,
                        Ok(Err(e)) => return Err(e),
                        Err(mpsc::RecvError) => return Err(Error::WorkerPanicked),
                    }
                }
            }
            Ok(())
        })
    }
}

thread_local! {
    /// Set while this thread runs a guarded call, whose panics are errors.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `call`, catching a panic as its message. The panic hook is wrapped
/// once so that a caught panic is not printed; any other panic is printed as
/// before.
fn quiet_unwind<T>(call: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                previous(info)
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    GUARDED.with(|g| g.set(was));
    outcome.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic in the reader".into())
    })
}

/// Up to `batch_rows` consecutive rows of one row group, stored row-major in
/// a single allocation (`len × columns` cells).
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    row_group: usize,
    first_row: u64,
    ncols: usize,
    cells: Vec<Cell>,
}

impl Batch {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.cells.len() / self.ncols
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Index of the row group the rows come from.
    pub fn row_group(&self) -> usize {
        self.row_group
    }

    /// 0-based index in the file of the batch's first row.
    pub fn first_row(&self) -> u64 {
        self.first_row
    }

    /// Row `i` of the batch. Panics if `i >= len()`.
    pub fn row(&self, i: usize) -> &[Cell] {
        &self.cells[i * self.ncols..(i + 1) * self.ncols]
    }

    pub fn rows(&self) -> std::slice::ChunksExact<'_, Cell> {
        self.cells.chunks_exact(self.ncols)
    }

    /// The cells, row after row.
    pub fn into_cells(self) -> Vec<Cell> {
        self.cells
    }
}

/// A column reader with its reusable value buffer.
enum TypedReader {
    Bool(ColumnReaderImpl<BoolType>, Vec<bool>),
    I32(ColumnReaderImpl<Int32Type>, Vec<i32>),
    I64(ColumnReaderImpl<Int64Type>, Vec<i64>),
    I96(ColumnReaderImpl<Int96Type>, Vec<Int96>),
    F32(ColumnReaderImpl<FloatType>, Vec<f32>),
    F64(ColumnReaderImpl<DoubleType>, Vec<f64>),
    Bytes(ColumnReaderImpl<ByteArrayType>, Vec<ByteArray>),
    Flba(ColumnReaderImpl<FixedLenByteArrayType>, Vec<FixedLenByteArray>),
}

impl From<ColumnReader> for TypedReader {
    fn from(r: ColumnReader) -> Self {
        match r {
            ColumnReader::BoolColumnReader(r) => Self::Bool(r, Vec::new()),
            ColumnReader::Int32ColumnReader(r) => Self::I32(r, Vec::new()),
            ColumnReader::Int64ColumnReader(r) => Self::I64(r, Vec::new()),
            ColumnReader::Int96ColumnReader(r) => Self::I96(r, Vec::new()),
            ColumnReader::FloatColumnReader(r) => Self::F32(r, Vec::new()),
            ColumnReader::DoubleColumnReader(r) => Self::F64(r, Vec::new()),
            ColumnReader::ByteArrayColumnReader(r) => Self::Bytes(r, Vec::new()),
            ColumnReader::FixedLenByteArrayColumnReader(r) => Self::Flba(r, Vec::new()),
        }
    }
}

/// One column of the row group being read.
struct ColumnState {
    reader: TypedReader,
    /// Reused definition-level buffer.
    defs: Vec<i16>,
    max_def: i16,
}

/// Reads one row group batch by batch: all its column readers advance together.
struct RowGroupCursor {
    row_group: usize,
    columns: Vec<ColumnState>,
    remaining: usize,
    next_row: u64,
}

impl RowGroupCursor {
    /// The next up to `max_rows` rows, or `None` at the end of the row group.
    /// `file` is the [`ParquetFile`] that opened this cursor.
    fn next_batch(&mut self, file: &ParquetFile, max_rows: usize) -> Result<Option<Batch>> {
        let n = self.remaining.min(max_rows);
        if n == 0 {
            return Ok(None);
        }
        let ncols = self.columns.len();
        let mut cells = vec![Cell::Null; n * ncols];
        for (c, col) in self.columns.iter_mut().enumerate() {
            let conv = file.convs[c];
            // This column's slots: cells c, c + ncols, c + 2·ncols, …
            let slots = cells.iter_mut().skip(c).step_by(ncols);
            let (defs, max_def) = (&mut col.defs, col.max_def);
            let res = match &mut col.reader {
                TypedReader::Bool(r, vals) => {
                    fill(r, vals, defs, max_def, n, slots, |v: &bool| Ok(Cell::Bool(*v)))
                }
                TypedReader::I32(r, vals) => fill(r, vals, defs, max_def, n, slots, |v: &i32| {
                    Ok(match conv {
                        Conv::Date => Cell::Date(*v),
                        Conv::Decimal { scale } => {
                            Cell::Decimal { unscaled: i128::from(*v), scale }
                        }
                        // UINT_8/16/32 are stored as the bits of an i32.
                        Conv::I32 { unsigned: true } => Cell::Int(i64::from(*v as u32)),
                        _ => Cell::Int(i64::from(*v)),
                    })
                }),
                TypedReader::I64(r, vals) => fill(r, vals, defs, max_def, n, slots, |v: &i64| {
                    Ok(match conv {
                        Conv::Decimal { scale } => {
                            Cell::Decimal { unscaled: i128::from(*v), scale }
                        }
                        Conv::Timestamp { unit, utc } => Cell::Timestamp {
                            micros: to_micros(*v, unit).ok_or("timestamp out of range")?,
                            utc_adjusted: utc,
                        },
                        // UINT_64 is stored as the bits of an i64: negative
                        // here means above i64::MAX.
                        Conv::I64 { unsigned: true } if *v < 0 => {
                            return Err(format!(
                                "value {} does not fit a signed 64-bit integer",
                                *v as u64
                            ));
                        }
                        _ => Cell::Int(*v),
                    })
                }),
                TypedReader::I96(r, vals) => fill(r, vals, defs, max_def, n, slots, |v: &Int96| {
                    Ok(Cell::Timestamp {
                        micros: int96_to_micros(v).ok_or("INT96 timestamp out of range")?,
                        utc_adjusted: false,
                    })
                }),
                TypedReader::F32(r, vals) => {
                    fill(r, vals, defs, max_def, n, slots, |v: &f32| Ok(Cell::Float(f64::from(*v))))
                }
                TypedReader::F64(r, vals) => {
                    fill(r, vals, defs, max_def, n, slots, |v: &f64| Ok(Cell::Float(*v)))
                }
                TypedReader::Bytes(r, vals) => {
                    fill(r, vals, defs, max_def, n, slots, |v: &ByteArray| {
                        bytes_cell(v.data(), conv)
                    })
                }
                TypedReader::Flba(r, vals) => {
                    fill(r, vals, defs, max_def, n, slots, |v: &FixedLenByteArray| {
                        bytes_cell(v.data(), conv)
                    })
                }
            };
            if let Err(FillError { offset, message }) = res {
                let info = &file.columns[c];
                return Err(match message {
                    FillMessage::Parquet(source) => file.parquet_err(source),
                    FillMessage::Value(message) => Error::BadValue {
                        path: file.path.clone(),
                        column: info.name.clone(),
                        type_name: info.type_name.clone(),
                        row: self.next_row + offset as u64,
                        message,
                    },
                });
            }
        }
        let batch = Batch { row_group: self.row_group, first_row: self.next_row, ncols, cells };
        self.remaining -= n;
        self.next_row += n as u64;
        Ok(Some(batch))
    }
}

struct FillError {
    /// Row offset within the batch.
    offset: usize,
    message: FillMessage,
}

enum FillMessage {
    Parquet(ParquetError),
    Value(String),
}

/// Reads `n` records of one column and writes one cell into each of `slots`.
///
/// `read_records` appends the non-null values densely to `values`, plus one
/// definition level per row to `defs` when the column is nullable
/// (`max_def > 0`): a level below `max_def` is a null. Both buffers are
/// reused from batch to batch.
fn fill<'a, T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    values: &mut Vec<T::T>,
    defs: &mut Vec<i16>,
    max_def: i16,
    n: usize,
    slots: impl Iterator<Item = &'a mut Cell>,
    mut conv: impl FnMut(&T::T) -> Result<Cell, String>,
) -> Result<(), FillError> {
    values.clear();
    defs.clear();
    let (records, _, _) = reader
        .read_records(n, (max_def > 0).then_some(&mut *defs), None, values)
        .map_err(|e| FillError { offset: 0, message: FillMessage::Parquet(e) })?;
    if records != n {
        return Err(FillError {
            offset: records,
            message: FillMessage::Value(format!(
                "column chunk ends after {records} of {n} expected rows (corrupt file)"
            )),
        });
    }
    let bad = |offset, message| FillError { offset, message: FillMessage::Value(message) };
    if max_def == 0 {
        for (i, (slot, v)) in slots.zip(values.iter()).enumerate() {
            *slot = conv(v).map_err(|m| bad(i, m))?;
        }
    } else {
        let mut vals = values.iter();
        for (i, (slot, &def)) in slots.zip(defs.iter()).enumerate() {
            if def == max_def {
                let v = vals
                    .next()
                    .ok_or_else(|| bad(i, "fewer values than definition levels".to_string()))?;
                *slot = conv(v).map_err(|m| bad(i, m))?;
            }
        }
    }
    Ok(())
}

/// BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY value: text, or decimal bytes.
fn bytes_cell(bytes: &[u8], conv: Conv) -> Result<Cell, String> {
    match conv {
        Conv::Decimal { scale } => Ok(Cell::Decimal {
            unscaled: be_bytes_to_i128(bytes).ok_or("decimal does not fit 128 bits")?,
            scale,
        }),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Cell::Text(CompactString::from(s))),
            Err(e) => Err(format!("invalid UTF-8 ({e})")),
        },
    }
}

/// Big-endian two's complement of any length → i128. Longer than 16 bytes is
/// accepted when the extra leading bytes are pure sign extension.
pub fn be_bytes_to_i128(bytes: &[u8]) -> Option<i128> {
    let Some(&first) = bytes.first() else {
        return Some(0);
    };
    let negative = first & 0x80 != 0;
    let fill = if negative { 0xFF } else { 0x00 };
    let (extra, tail) = bytes.split_at(bytes.len().saturating_sub(16));
    if extra.iter().any(|&b| b != fill) || (!extra.is_empty() && (tail[0] & 0x80 != 0) != negative)
    {
        return None;
    }
    let mut buf = [fill; 16];
    buf[16 - tail.len()..].copy_from_slice(tail);
    Some(i128::from_be_bytes(buf))
}

/// INT64 timestamp in `unit` → microseconds, flooring nanoseconds (so that
/// -1 ns is -1 µs, like DuckDB). `None` when milliseconds overflow.
fn to_micros(v: i64, unit: Unit) -> Option<i64> {
    match unit {
        Unit::Millis => v.checked_mul(1000),
        Unit::Micros => Some(v),
        Unit::Nanos => Some(v.div_euclid(1000)),
    }
}

/// INT96 = 8 bytes nanoseconds-of-day (little endian) + 4 bytes Julian day.
fn int96_to_micros(v: &Int96) -> Option<i64> {
    const JULIAN_DAY_OF_EPOCH: i64 = 2_440_588;
    let d = v.data();
    let nanos_of_day = (i64::from(d[1]) << 32) | i64::from(d[0]);
    let days = i64::from(d[2]) - JULIAN_DAY_OF_EPOCH;
    days.checked_mul(86_400_000_000)?.checked_add(nanos_of_day.div_euclid(1000))
}

/// Decides a column's type name and conversion from its logical type, else
/// its converted type, else its physical type. `None` = unsupported.
fn classify(descr: &ColumnDescriptor) -> (String, Option<Conv>) {
    let physical = descr.physical_type();
    let decimal = |precision: i32, scale: i32| {
        let name = format!("DECIMAL({precision},{scale})");
        let storage_ok = matches!(
            physical,
            PhysicalType::INT32
                | PhysicalType::INT64
                | PhysicalType::BYTE_ARRAY
                | PhysicalType::FIXED_LEN_BYTE_ARRAY
        );
        match u32::try_from(scale) {
            Ok(scale) if storage_ok && precision <= 38 => (name, Some(Conv::Decimal { scale })),
            _ => (name, None),
        }
    };
    let timestamp = |unit: Unit, utc: bool| {
        let suffix = match unit {
            Unit::Millis => "_MS",
            Unit::Micros => "",
            Unit::Nanos => "_NS",
        };
        let base = if utc { "TIMESTAMPTZ" } else { "TIMESTAMP" };
        let ok = physical == PhysicalType::INT64;
        (format!("{base}{suffix}"), ok.then_some(Conv::Timestamp { unit, utc }))
    };
    let integer = |bits: i8, signed: bool| {
        let name = match (bits, signed) {
            (8, true) => "TINYINT",
            (16, true) => "SMALLINT",
            (32, true) => "INTEGER",
            (64, true) => "BIGINT",
            (8, false) => "UTINYINT",
            (16, false) => "USMALLINT",
            (32, false) => "UINTEGER",
            (64, false) => "UBIGINT",
            _ => return (format!("INT({bits},{signed})"), None),
        };
        let conv = match physical {
            PhysicalType::INT32 => Some(Conv::I32 { unsigned: !signed }),
            PhysicalType::INT64 => Some(Conv::I64 { unsigned: !signed }),
            _ => None,
        };
        (name.to_string(), conv)
    };
    let text = |name: &str| {
        let ok = physical == PhysicalType::BYTE_ARRAY;
        (name.to_string(), ok.then_some(Conv::Text))
    };

    if let Some(logical) = descr.logical_type_ref() {
        return match logical {
            LogicalType::String | LogicalType::Enum | LogicalType::Json => text("VARCHAR"),
            LogicalType::Decimal(d) => decimal(d.precision, d.scale),
            LogicalType::Date => {
                ("DATE".into(), (physical == PhysicalType::INT32).then_some(Conv::Date))
            }
            LogicalType::Timestamp(t) => {
                let unit = match t.unit {
                    TimeUnit::MILLIS => Unit::Millis,
                    TimeUnit::MICROS => Unit::Micros,
                    TimeUnit::NANOS => Unit::Nanos,
                };
                timestamp(unit, t.is_adjusted_to_u_t_c)
            }
            LogicalType::Integer(i) => integer(i.bit_width, i.is_signed),
            LogicalType::Time(_) => ("TIME".into(), None),
            LogicalType::Uuid => ("UUID".into(), None),
            LogicalType::Float16 => ("FLOAT16".into(), None),
            LogicalType::Bson => ("BSON".into(), None),
            other => (format!("{other:?}").to_uppercase(), None),
        };
    }
    match descr.converted_type() {
        ConvertedType::UTF8 | ConvertedType::ENUM | ConvertedType::JSON => text("VARCHAR"),
        ConvertedType::DECIMAL => decimal(descr.type_precision(), descr.type_scale()),
        ConvertedType::DATE => {
            ("DATE".into(), (physical == PhysicalType::INT32).then_some(Conv::Date))
        }
        // Legacy converted timestamps are defined as instants (isAdjustedToUTC = true).
        ConvertedType::TIMESTAMP_MILLIS => timestamp(Unit::Millis, true),
        ConvertedType::TIMESTAMP_MICROS => timestamp(Unit::Micros, true),
        ConvertedType::INT_8 => integer(8, true),
        ConvertedType::INT_16 => integer(16, true),
        ConvertedType::INT_32 => integer(32, true),
        ConvertedType::INT_64 => integer(64, true),
        ConvertedType::UINT_8 => integer(8, false),
        ConvertedType::UINT_16 => integer(16, false),
        ConvertedType::UINT_32 => integer(32, false),
        ConvertedType::UINT_64 => integer(64, false),
        ConvertedType::NONE => match physical {
            PhysicalType::BOOLEAN => ("BOOLEAN".into(), Some(Conv::Bool)),
            PhysicalType::INT32 => ("INTEGER".into(), Some(Conv::I32 { unsigned: false })),
            PhysicalType::INT64 => ("BIGINT".into(), Some(Conv::I64 { unsigned: false })),
            // Spark/Impala legacy; no UTC semantics are recorded in the file.
            PhysicalType::INT96 => ("TIMESTAMP_NS (INT96)".into(), Some(Conv::Int96)),
            PhysicalType::FLOAT => ("FLOAT".into(), Some(Conv::F32)),
            PhysicalType::DOUBLE => ("DOUBLE".into(), Some(Conv::F64)),
            // Unannotated binary: old Impala/Hive/Spark wrote strings this way.
            // Read as text, with an error on a value that is not UTF-8.
            PhysicalType::BYTE_ARRAY => ("BLOB".into(), Some(Conv::Text)),
            PhysicalType::FIXED_LEN_BYTE_ARRAY => {
                (format!("FIXED_LEN_BYTE_ARRAY({})", descr.type_length()), None)
            }
        },
        other => (other.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_bytes() {
        assert_eq!(be_bytes_to_i128(&[]), Some(0));
        assert_eq!(be_bytes_to_i128(&[0xFF]), Some(-1));
        assert_eq!(be_bytes_to_i128(&[0x00, 0x80]), Some(128));
        assert_eq!(be_bytes_to_i128(&[0x80]), Some(-128));
        assert_eq!(be_bytes_to_i128(&i128::MAX.to_be_bytes()), Some(i128::MAX));
        assert_eq!(be_bytes_to_i128(&i128::MIN.to_be_bytes()), Some(i128::MIN));
        // 17 bytes with pure sign extension are fine, real overflow is not.
        let mut long = vec![0xFF];
        long.extend_from_slice(&(-5i128).to_be_bytes());
        assert_eq!(be_bytes_to_i128(&long), Some(-5));
        let mut over = vec![0x00];
        over.extend_from_slice(&i128::MIN.to_be_bytes());
        assert_eq!(be_bytes_to_i128(&over), None);
    }

    #[test]
    fn int96() {
        // Julian day 2440588 = 1970-01-01; 1 µs + 500 ns into the day.
        let mut v = Int96::new();
        v.set_data(1500, 0, 2_440_588);
        assert_eq!(int96_to_micros(&v), Some(1));
        v.set_data(0, 0, 2_440_587);
        assert_eq!(int96_to_micros(&v), Some(-86_400_000_000));
    }
}
