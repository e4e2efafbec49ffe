//! Reading sales lines and the customers master from the files a client's ERP
//! exported: discovering the files, detecting each one's dialect, mapping its
//! columns, and turning every line into either ledger totals or a reject that
//! says where and why. This module and `output` are the only ones that touch
//! the disk.

pub mod aggregate;
pub mod columnar;
pub mod dates;
pub mod decode;
pub mod delimited;
pub mod header;
pub mod line;
pub mod master;
pub mod overlap;
pub mod parquet;
pub mod schema;
pub mod shard;
pub mod sniff;
pub mod text;
pub mod workbook;

use crate::config::dialect::{DateFormat, Decimal, Encoding, OnBadRow};
use crate::config::project::{SourceForm, SourceSpec};
use crate::ledger::{ColumnsSeen, Ledger};
use crate::model::fields::{CanonicalField, SalesField};
use crate::model::{Amount, Date};
use sniff::Decided;
use std::path::{Path, PathBuf};

/// File extensions read as delimited text.
pub const TEXT_EXTENSIONS: &[&str] = &["csv", "tsv", "txt"];
/// File extensions read as workbooks.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// A file's headers, each with the field it was mapped to (`None`: ignored).
pub type Mapping = Vec<(String, Option<&'static str>)>;

/// A sales line that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    pub file: PathBuf,
    /// 1-based line (row, in a workbook).
    pub line: u64,
    /// 1-based column, when one field is at fault.
    pub column: Option<usize>,
    pub field: Option<&'static str>,
    pub reason: String,
    /// The line as read, for finding and fixing it.
    pub content: String,
    /// Lines it stands for: 1, or an aggregate's row of several lines.
    pub lines: u64,
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)?;
        if let Some(col) = self.column {
            write!(f, ":{col}")?;
        }
        if let Some(field) = self.field {
            write!(f, " ({field})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Longest content of a reject kept in `rejects.csv`, in characters.
const MAX_REJECT_CONTENT: usize = 500;

/// A rejected line's or row's text as `rejects.csv` keeps it.
fn reject_content(text: &str) -> String {
    text.chars().take(MAX_REJECT_CONTENT).collect()
}

/// Line counts of one file; `read = accepted + rejected` always holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineCounts {
    pub read: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Accepted lines dated after `as_of`, left out of every metric.
    pub after_as_of: u64,
    /// Revenue of the accepted lines, including those after `as_of`, in
    /// units of 1/10 000 (128 bits: a whole file's total never overflows).
    pub revenue: i128,
    pub revenue_after_as_of: i128,
    /// Empty lines, which hold no data and are skipped.
    pub blank: u64,
    /// Footer and subtotal lines (no date, no customer, an amount), counted
    /// apart from the lines read.
    pub total_lines: u64,
    /// The amount of the last total line and its line: the file's own
    /// statement of its total, reconciled with its lines.
    pub stated_total: Option<(u64, i128)>,
}

impl LineCounts {
    pub fn merge(&mut self, other: &LineCounts) {
        self.read += other.read;
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.after_as_of += other.after_as_of;
        self.revenue += other.revenue;
        self.revenue_after_as_of += other.revenue_after_as_of;
        self.blank += other.blank;
        self.total_lines += other.total_lines;
        self.stated_total = self.stated_total.max(other.stated_total);
    }

    /// Counts a total line.
    pub fn add_total_line(&mut self, line: u64, amount: Amount) {
        self.total_lines += 1;
        self.stated_total = self.stated_total.max(Some((line, i128::from(amount.units()))));
    }
}

impl FileReport {
    /// The file's last total line against the sum of its accepted lines:
    /// `(line, stated, sum)`, in units of 1/10 000, when it has one.
    pub fn total_check(&self) -> Option<(u64, i128, i128)> {
        self.counts.stated_total.map(|(line, stated)| (line, stated, self.counts.revenue))
    }
}

/// How one file was read.
#[derive(Clone, Debug, PartialEq)]
pub struct FileReport {
    pub path: PathBuf,
    /// `None` for workbooks.
    pub encoding: Option<(Encoding, Decided)>,
    pub delimiter: Option<(u8, Decided)>,
    /// Worksheet read, for workbooks.
    pub sheet: Option<String>,
    pub decimal: (Decimal, Decided),
    pub date_format: (DateFormat, Decided),
    /// Non-empty lines (rows) above the header, passed over as title lines.
    pub title_lines: u64,
    /// Each header with the field it was mapped to, or `None` (ignored).
    pub columns: Mapping,
    /// Unmapped headers that look like a field without a column: (header, field).
    pub look_alikes: Vec<(String, &'static str)>,
    pub counts: LineCounts,
    /// A sample of the file's invoices, to find sales exported twice.
    pub invoices: overlap::InvoiceSample,
    /// For an aggregate (see `aggregate`): its rows.
    pub aggregate_rows: Option<u64>,
    /// For a Parquet file: its row groups.
    pub parquet_row_groups: Option<usize>,
    /// Accepted lines dated by an instant with a time of day (a timestamp
    /// with time zone), whose day was taken in UTC.
    pub instant_dates: u64,
}

/// Everything read from the sales files.
#[derive(Debug, Default)]
pub struct SalesData {
    pub ledger: Ledger,
    pub files: Vec<FileReport>,
    /// Sorted by file, then line.
    pub rejects: Vec<Reject>,
    /// Files of 0 bytes (an ERP's export of a month without sales), skipped.
    pub empty_files: Vec<PathBuf>,
    /// What the reading noticed that the user should know: title lines
    /// passed over, total lines and their reconciliation, columns that look
    /// like a field but are not mapped, figures that cannot be computed.
    pub notes: Vec<Note>,
}

impl SalesData {
    /// Counts over all files.
    pub fn totals(&self) -> LineCounts {
        let mut total = LineCounts::default();
        self.files.iter().for_each(|f| total.merge(&f.counts));
        total
    }
}

/// A problem that stops the run.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: no sales files found (looked for {})", path.display(), extensions())]
    NoFiles { path: PathBuf },
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    #[error("{}:{line}: {message}", path.display())]
    Header { path: PathBuf, line: u64, message: String },
    #[error(
        "{reject}\n  (on_bad_row = \"fail\" stops at the first bad line; use \"reject\" to collect them in rejects.csv)"
    )]
    BadRow { reject: Box<Reject> },
    #[error("{}", crate::diagnostic::Diagnostics(.0.clone()))]
    Master(Vec<crate::diagnostic::Diagnostic>),
    /// A column mapping that no file can use, at the place it was written.
    #[error("{message}")]
    Mapping { place: Option<crate::config::project::MappedAt>, message: String },
}

impl From<IngestError> for crate::diagnostic::Diagnostics {
    fn from(e: IngestError) -> Self {
        use crate::diagnostic::Diagnostic;
        let one = match e {
            IngestError::Io { path, source } => {
                Diagnostic::error(path, None, format!("cannot read: {source}"))
            }
            IngestError::NoFiles { path } => Diagnostic::error(
                path,
                None,
                format!("no sales files found (looked for {})", extensions()),
            ),
            IngestError::Format { path, message } => Diagnostic::error(path, None, message),
            IngestError::Header { path, line, message } => {
                Diagnostic::error(path, Some((line as usize, 0)), message)
            }
            IngestError::BadRow { reject } => {
                let message = match reject.field {
                    Some(field) => format!("{field}: {}", reject.reason),
                    None => reject.reason.clone(),
                };
                let line = reject.line as usize;
                // Column 0: the whole line is at fault.
                let place = Some((line, reject.column.unwrap_or(0)));
                let problem = Diagnostic::error(reject.file.clone(), place, message).in_data();
                problem.with_hint("on_bad_row = \"fail\" stops at the first bad line; use \"reject\" to collect them in rejects.csv")
            }
            IngestError::Master(errors) => {
                return Self(errors);
            }
            IngestError::Mapping { place, message } => {
                use crate::config::project::MappedAt;
                match place {
                    Some(MappedAt::File(place)) => place.issue(message),
                    Some(MappedAt::Option(option)) => {
                        Diagnostic::plain(format!("{option}: {message}"))
                    }
                    None => Diagnostic::error("kamplan.toml", None, message),
                }
            }
        };
        Self(vec![one])
    }
}

pub(crate) fn extensions() -> String {
    TEXT_EXTENSIONS
        .iter()
        .chain(WORKBOOK_EXTENSIONS)
        .chain(columnar::EXTENSIONS)
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Options of one reading run.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Lines after this date are counted but left out; `None` keeps every line.
    pub as_of: Option<Date>,
    /// Lines dated outside these bounds are rejected.
    pub dates: dates::DateBounds,
    pub on_bad_row: OnBadRow,
    /// Parsing threads.
    pub workers: usize,
}

/// Counts an accepted line and hands it to `keep`, unless it is dated after
/// `as_of`; a line whose date is not plausible is returned as a defect.
fn tally(
    sale: &crate::model::records::SalesLine<'_>,
    date_column: Option<usize>,
    options: ReadOptions,
    columns: ColumnsSeen,
    counts: &mut LineCounts,
    keep: &mut impl FnMut(&crate::model::records::SalesLine<'_>, ColumnsSeen),
) -> Result<(), line::Defect> {
    if let Some(reason) = options.dates.check(sale.date) {
        return Err(line::Defect {
            column: date_column.map(|c| c + 1),
            field: Some(SalesField::Date.name()),
            reason,
        });
    }
    counts.accepted += 1;
    counts.revenue += i128::from(sale.revenue.units());
    if options.as_of.is_some_and(|as_of| sale.date > as_of) {
        counts.after_as_of += 1;
        counts.revenue_after_as_of += i128::from(sale.revenue.units());
    } else {
        keep(sale, columns);
    }
    Ok(())
}

/// The sales files of a source: the file itself, or every data file below a
/// folder, in path order (so monthly exports are read in a stable order).
/// Symbolic links are followed while they stay inside the project folder
/// `root`; one that leads out is an error (see `links`), never skipped.
pub fn discover_files(path: &Path, root: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let link_error =
        |at: &Path, message: String| IngestError::Format { path: at.to_path_buf(), message };
    crate::links::check_inside(path, root).map_err(|m| link_error(path, m))?;
    let meta = std::fs::metadata(path)
        .map_err(|source| IngestError::Io { path: path.to_path_buf(), source })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| IngestError::Io {
            path: e.path().unwrap_or(path).to_path_buf(),
            source: e.into_io_error().unwrap_or_else(|| {
                std::io::Error::other("a symbolic link that leads back to a folder above it")
            }),
        })?;
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if entry.path_is_symlink() {
            crate::links::check_inside(entry.path(), root)
                .map_err(|m| link_error(entry.path(), m))?;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if is_text(entry.path()) || is_workbook(entry.path()) || is_parquet(entry.path()) {
            files.push(entry.into_path());
        }
    }
    if files.is_empty() {
        return Err(IngestError::NoFiles { path: path.to_path_buf() });
    }
    Ok(files)
}

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default()
}

pub fn is_workbook(path: &Path) -> bool {
    WORKBOOK_EXTENSIONS.contains(&extension(path).as_str())
}

pub fn is_text(path: &Path) -> bool {
    TEXT_EXTENSIONS.contains(&extension(path).as_str())
}

pub fn is_parquet(path: &Path) -> bool {
    columnar::EXTENSIONS.contains(&extension(path).as_str())
}

/// Checks every sales file's header, dialect and column mapping without
/// reading its lines; returns each readable file's mapping (header → field
/// or ignored) and every problem found.
pub fn inspect_sales(
    source: &SourceSpec<SalesField>,
) -> (Vec<(PathBuf, Mapping)>, Vec<IngestError>) {
    if source.form == SourceForm::Aggregate {
        return match aggregate::inspect(&source.path) {
            Ok(mapping) => (vec![(source.path.clone(), mapping)], Vec::new()),
            Err(e) => (Vec::new(), vec![e]),
        };
    }
    let files = match discover_files(&source.path, &source.root) {
        Ok(files) => files,
        Err(e) => return (Vec::new(), vec![e]),
    };
    let (mut mapped, mut problems) = (Vec::new(), Vec::new());
    for path in &files {
        let result = if is_workbook(path) {
            workbook::inspect_sales_sheet(path, source)
        } else if is_parquet(path) {
            columnar::inspect_sales_file(path, source)
        } else {
            delimited::inspect_file(path, source)
        };
        match result {
            Ok(map) => mapped.push((path.clone(), map.describe())),
            Err(e) => problems.push(e),
        }
    }
    let headers: Vec<Vec<String>> =
        mapped.iter().map(|(_, c)| c.iter().map(|(h, _)| h.clone()).collect()).collect();
    if problems.is_empty()
        && let Err(e) = check_mappings(source, &headers)
    {
        problems.push(e);
    }
    (mapped, problems)
}

/// Reads every sales file of a source into one data set.
pub fn read_sales(
    source: &SourceSpec<SalesField>,
    options: ReadOptions,
) -> Result<SalesData, IngestError> {
    if source.form == SourceForm::Aggregate {
        crate::links::check_inside(&source.path, &source.root)
            .map_err(|message| IngestError::Format { path: source.path.clone(), message })?;
        return aggregate::read_aggregate(&source.path, &source.ids, options);
    }
    let files = discover_files(&source.path, &source.root)?;
    let (empty_files, files): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|p| std::fs::metadata(p).is_ok_and(|m| m.len() == 0));
    let (text_files, typed): (Vec<_>, Vec<_>) =
        files.iter().cloned().partition(|p| !is_workbook(p) && !is_parquet(p));
    let mut data = delimited::read_files(&text_files, source, options)?;
    data.empty_files = empty_files;
    for path in &typed {
        let (ledger, report, rejects) = if is_parquet(path) {
            columnar::read_sales_file(path, source, options)?
        } else {
            workbook::read_sales_sheet(path, source, options)?
        };
        data.ledger.merge(ledger);
        data.files.push(report);
        data.rejects.extend(rejects);
        if options.on_bad_row == OnBadRow::Fail
            && let Some(first) = data.rejects.first()
        {
            return Err(IngestError::BadRow { reject: Box::new(first.clone()) });
        }
    }
    let headers: Vec<Vec<String>> =
        data.files.iter().map(|f| f.columns.iter().map(|(h, _)| h.clone()).collect()).collect();
    check_mappings(source, &headers)?;
    data.notes = notes(&data);
    data.ledger.shrink_to_fit();
    // Report files in discovery order, whatever their kind.
    data.files.sort_by_key(|f| files.iter().position(|p| *p == f.path));
    data.rejects.sort_by(|a, b| {
        let pos = |r: &Reject| files.iter().position(|p| *p == r.file);
        (pos(a), a.line).cmp(&(pos(b), b.line))
    });
    Ok(data)
}

/// A mapping in `[sales.columns]` or `--map` whose header no file has is a
/// mistake (a typo, another export's name): an error at its place.
pub fn check_mappings<F: CanonicalField>(
    source: &SourceSpec<F>,
    headers: &[Vec<String>],
) -> Result<(), IngestError> {
    use crate::model::fields::normalize_header;
    let Some(first) = headers.first() else { return Ok(()) };
    for (header, field) in &source.columns {
        let wanted = normalize_header(header);
        if !headers.iter().flatten().any(|h| normalize_header(h) == wanted) {
            let listed: Vec<String> = first.iter().map(|h| format!("\"{h}\"")).collect();
            return Err(IngestError::Mapping {
                place: source.mapped_at.get(header).cloned(),
                message: format!(
                    "column \"{header}\" is mapped to {}, but no file of {} has that header; the headers are {}",
                    field.name(),
                    source.path.display(),
                    listed.join(", ")
                ),
            });
        }
    }
    Ok(())
}

/// What a reading noticed that the user should know (see `SalesData::notes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// Non-empty lines above a file's header, passed over.
    TitleLines { file: PathBuf, lines: u64 },
    /// Footer or subtotal lines of a file, left out of the figures; the
    /// last one's amount (`stated`, on `line`) against the sum of the
    /// file's accepted lines, in units of 1/10 000.
    TotalLines { file: PathBuf, lines: u64, line: u64, stated: i128, sum: i128 },
    /// An unmapped column that looks like `field`, in this many files.
    LookAlike { header: String, field: &'static str, files: usize },
    /// No sales file has a cost column: margins cannot be computed.
    NoCost,
    /// The sales and the master name (some of) the same customers
    /// differently; `sales_only` and `master_only` count the ids of each
    /// that the other lacks.
    IdMismatch { found: crate::model::ids::IdMismatch, sales_only: usize, master_only: usize },
    /// Two files hold invoices of the same customers with the same ids
    /// (`sampled` of them in the sample of `overlap`): sales exported twice.
    /// Files with the same bytes are left to the data-quality copies.
    SharedInvoices { first: PathBuf, second: PathBuf, sampled: u64 },
    /// The `[customer_ids]` rule made one customer of several ids of an
    /// aggregate that counts invoices or products (`customers` of them, by
    /// id): an invoice number both ids used counts once per id.
    MergedIds { customers: Vec<String> },
    /// A file's lines dated by instants with a time of day (`lines` of
    /// them): their day was taken in UTC, which may be the day before or
    /// after the client's.
    InstantDates { file: PathBuf, lines: u64 },
}

/// The notes of a sales reading, files in order.
pub(crate) fn notes(data: &SalesData) -> Vec<Note> {
    let mut notes: Vec<Note> = data
        .files
        .iter()
        .filter(|f| f.title_lines > 0)
        .map(|f| Note::TitleLines { file: f.path.clone(), lines: f.title_lines })
        .collect();
    notes.extend(
        data.files
            .iter()
            .filter(|f| f.instant_dates > 0)
            .map(|f| Note::InstantDates { file: f.path.clone(), lines: f.instant_dates }),
    );
    notes.extend(data.files.iter().filter_map(|f| {
        let (line, stated, sum) = f.total_check()?;
        Some(Note::TotalLines {
            file: f.path.clone(),
            lines: f.counts.total_lines,
            line,
            stated,
            sum,
        })
    }));
    let mut look_alikes: Vec<Note> = Vec::new();
    for (name, kind) in data.files.iter().flat_map(|f| &f.look_alikes) {
        match look_alikes
            .iter_mut()
            .find(|n| matches!(n, Note::LookAlike { header, .. } if header == name))
        {
            Some(Note::LookAlike { files, .. }) => *files += 1,
            _ => look_alikes.push(Note::LookAlike { header: name.clone(), field: kind, files: 1 }),
        }
    }
    notes.extend(look_alikes);
    let has_cost =
        data.files.iter().any(|f| f.columns.iter().any(|(_, field)| *field == Some("cost")));
    if !data.files.is_empty() && !has_cost {
        notes.push(Note::NoCost);
    }
    let samples: Vec<&overlap::InvoiceSample> = data.files.iter().map(|f| &f.invoices).collect();
    let pairs = overlap::shared(&samples);
    if !pairs.is_empty() {
        let paths: Vec<PathBuf> = data.files.iter().map(|f| f.path.clone()).collect();
        let copies = overlap::identical_files(&paths);
        let same_bytes = |a: &PathBuf, b: &PathBuf| {
            copies.iter().any(|group| group.contains(a) && group.contains(b))
        };
        for (a, b, sampled) in pairs {
            let (first, second) = (&paths[a], &paths[b]);
            if !same_bytes(first, second) {
                notes.push(Note::SharedInvoices {
                    first: first.clone(),
                    second: second.clone(),
                    sampled,
                });
            }
        }
    }
    notes
}
