//! Delimited text files (CSV, TSV, …), read in blocks over all cores.
//!
//! One thread reads each file in blocks cut at line ends and counts lines, so
//! every block knows the number of its first line. Worker threads split and
//! check the lines of a block; each keeps the customers of its shard in its
//! own ledger and passes other customers' lines to their owner (see
//! `shard`), so the ledgers are disjoint and merge by concatenation. Memory
//! stays bounded by the blocks in flight plus the per-customer totals,
//! whatever the size of the files.

use super::decode::{
    cr_line_ends, cr_to_lf, decide, decode, not_readable_text, strip_bom, suspect_lines,
};
use super::header::{TITLE_LINES, find_text_header};
use super::line::{Cell, PlainReader, PlainScratch, ValueFormat, read_sales_line, total_line};
use super::overlap::InvoiceSample;
use super::schema::ColumnMap;
use super::shard::{LineBatch, shard_of};
use super::sniff::{Decided, decide_value_format};
use super::text::{Fields, lines_inclusive, split_line};
use super::{FileReport, IngestError, LineCounts, ReadOptions, Reject, SalesData};
use crate::config::dialect::{Encoding, OnBadRow, Setting};
use crate::config::project::SourceSpec;
use crate::ledger::{ColumnsSeen, Ledger};
use crate::model::fields::SalesField;
use crate::model::records::SalesLine;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};
use std::sync::{Arc, Mutex};

/// Size of the blocks handed to workers.
const BLOCK_SIZE: usize = 1 << 20;
/// Lines sampled at the top of a file to detect its dialect.
const SAMPLE_LINES: usize = 2000;

/// What workers need to know about a file.
struct FileContext {
    index: usize,
    path: PathBuf,
    delimiter: u8,
    encoding: Setting<Encoding>,
    header_line: String,
    map: ColumnMap<SalesField>,
    format: ValueFormat,
    /// How the decimal separator and the date format were decided.
    decided: (Decided, Decided),
    columns: ColumnsSeen,
    /// Set when a block was not valid UTF-8 and was read as Windows-1252.
    saw_windows_1252: AtomicBool,
    /// Non-empty lines above the header (a report title), passed over.
    title_lines: u64,
    ids: crate::model::ids::IdRule,
    /// Reads the lines whose values are all plain; `None` when the decimal was assumed.
    plain: Option<PlainReader>,
}

struct Block {
    file: Arc<FileContext>,
    first_line: u64,
    bytes: Vec<u8>,
    /// How to decode the block: decided once per file by the reader (see `send_file`).
    encoding: Encoding,
}

/// What one worker produced.
#[derive(Default)]
struct WorkerOutput {
    ledger: Ledger,
    counts: Vec<LineCounts>,
    rejects: Vec<Reject>,
    /// Per file, like `counts`.
    invoices: Vec<InvoiceSample>,
}

/// Reads delimited files as one data set.
pub fn read_files(
    paths: &[PathBuf],
    source: &SourceSpec<SalesField>,
    options: ReadOptions,
) -> Result<SalesData, IngestError> {
    let stop = AtomicBool::new(false);
    let (sender, receiver) = sync_channel::<Block>(options.workers.max(1) * 2);
    let receiver = Mutex::new(receiver);
    let (contexts, outputs) = std::thread::scope(|scope| {
        let workers: Vec<_> = mailboxes(options.workers.max(1))
            .into_iter()
            .map(|mailboxes| {
                let (receiver, stop) = (&receiver, &stop);
                scope.spawn(move || work(receiver, mailboxes, options, stop))
            })
            .collect();
        let mut contexts = Vec::new();
        let mut result = Ok(());
        for (index, path) in paths.iter().enumerate() {
            match send_file(index, path, source, &sender, &stop) {
                Ok(ctx) => contexts.push(ctx),
                Err(e) => {
                    result = Err(e);
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
        }
        drop(sender);
        let outputs: Vec<WorkerOutput> =
            workers.into_iter().map(|w| w.join().expect("worker panicked")).collect();
        (result.map(|()| contexts), outputs)
    });
    let contexts = contexts?;
    let mut data = SalesData::default();
    let mut counts = vec![LineCounts::default(); contexts.len()];
    let mut invoices = vec![InvoiceSample::default(); contexts.len()];
    for output in outputs {
        data.ledger.merge(output.ledger);
        for (total, part) in counts.iter_mut().zip(&output.counts) {
            total.merge(part);
        }
        for (total, part) in invoices.iter_mut().zip(output.invoices) {
            total.merge(part);
        }
        data.rejects.extend(output.rejects);
    }
    for ((ctx, counts), mut invoices) in contexts.iter().zip(counts).zip(invoices) {
        invoices.finish();
        data.files.push(report(ctx, counts, invoices, source));
    }
    if options.on_bad_row == OnBadRow::Fail {
        let first =
            data.rejects.iter().min_by_key(|r| (paths.iter().position(|p| *p == r.file), r.line));
        if let Some(first) = first {
            return Err(IngestError::BadRow { reject: Box::new(first.clone()) });
        }
    }
    Ok(data)
}

fn report(
    ctx: &FileContext,
    counts: LineCounts,
    invoices: InvoiceSample,
    source: &SourceSpec<SalesField>,
) -> FileReport {
    let encoding = match ctx.encoding {
        Setting::Given(e) => (e, Decided::Configured),
        Setting::Auto if ctx.saw_windows_1252.load(Ordering::Relaxed) => {
            (Encoding::Windows1252, Decided::Detected)
        }
        Setting::Auto => (Encoding::Utf8, Decided::Detected),
    };
    let delimiter = match source.dialect.delimiter {
        Setting::Given(d) => (d, Decided::Configured),
        Setting::Auto => (ctx.delimiter, Decided::Detected),
    };
    FileReport {
        path: ctx.path.clone(),
        encoding: Some(encoding),
        delimiter: Some(delimiter),
        sheet: None,
        decimal: (ctx.format.decimal, ctx.decided.0),
        date_format: (ctx.format.date, ctx.decided.1),
        title_lines: ctx.title_lines,
        columns: ctx.map.describe(),
        look_alikes: ctx.map.look_alikes(),
        counts,
        invoices,
        aggregate_rows: None,
        parquet_row_groups: None,
        instant_dates: 0,
    }
}

/// One set of mailboxes per worker, every worker able to write to every other.
fn mailboxes(workers: usize) -> Vec<Mailboxes> {
    let (senders, inboxes): (Vec<_>, Vec<_>) = (0..workers).map(|_| channel::<LineBatch>()).unzip();
    inboxes
        .into_iter()
        .enumerate()
        .map(|(me, inbox)| Mailboxes {
            me,
            inbox,
            peers: senders.iter().enumerate().map(|(i, s)| (i != me).then(|| s.clone())).collect(),
        })
        .collect()
}

/// Reads a file's header and dialect, then streams its blocks to the workers.
fn send_file(
    index: usize,
    path: &Path,
    source: &SourceSpec<SalesField>,
    sender: &std::sync::mpsc::SyncSender<Block>,
    stop: &AtomicBool,
) -> Result<Arc<FileContext>, IngestError> {
    let io = |source| IngestError::Io { path: path.to_path_buf(), source };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut block = Vec::new();
    let mut eof = read_block(&mut file, &mut block).map_err(io)? < BLOCK_SIZE;
    let (whole_lines, cr_only) = first_block(path, &mut block, eof)?;
    let (ctx, header_end, header_line_no) = prepare(index, path, &block[..whole_lines], source)?;
    // One encoding per file: given, or decided by the first block that is not
    // plain ASCII (see `decode::decide`). A later line that breaks the
    // decision is rejected, never re-decoded (see `decode::suspect_lines`).
    let mut decided = decide(&block[..whole_lines], source.dialect.encoding);
    let ctx = Arc::new(ctx);
    let mut next_line = header_line_no + 1;
    let mut pending: Vec<u8> = block.split_off(header_end);
    loop {
        if !eof {
            let before = pending.len();
            eof = read_block(&mut file, &mut pending).map_err(io)? < BLOCK_SIZE;
            if cr_only {
                cr_to_lf(&mut pending[before..]);
            }
        }
        let cut = if eof { pending.len() } else { last_line_end(&pending) };
        if cut == 0 && !eof {
            continue; // a line longer than a block: read on until it ends
        }
        let tail = pending.split_off(cut);
        let lines = memchr::memchr_iter(b'\n', &pending).count() as u64;
        if !pending.is_empty() {
            let encoding = match decided {
                Some(e) => e,
                None => {
                    let e = decide(&pending, source.dialect.encoding).unwrap_or(Encoding::Utf8);
                    if !pending.is_ascii() {
                        ctx.saw_windows_1252.store(e == Encoding::Windows1252, Ordering::Relaxed);
                        decided = Some(e);
                    }
                    e
                }
            };
            let block =
                Block { file: Arc::clone(&ctx), first_line: next_line, bytes: pending, encoding };
            if stop.load(Ordering::Relaxed) || sender.send(block).is_err() {
                break;
            }
        }
        next_line += lines;
        pending = tail;
        if eof {
            break;
        }
    }
    Ok(ctx)
}

/// Checks that a text file can be read (header, delimiter, formats) from its first block, without reading the rest.
pub fn inspect_file(
    path: &Path,
    source: &SourceSpec<SalesField>,
) -> Result<ColumnMap<SalesField>, IngestError> {
    let io = |source| IngestError::Io { path: path.to_path_buf(), source };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut block = Vec::new();
    let eof = read_block(&mut file, &mut block).map_err(io)? < BLOCK_SIZE;
    let (whole_lines, _) = first_block(path, &mut block, eof)?;
    prepare(0, path, &block[..whole_lines], source).map(|(ctx, ..)| ctx.map)
}

/// Makes the first block of a file ready for `prepare`: refuses what is not
/// text kamplan reads, drops a BOM, turns lone-CR line ends into LF. Returns
/// the length of its whole lines and whether the file ends lines with CR.
fn first_block(path: &Path, block: &mut Vec<u8>, eof: bool) -> Result<(usize, bool), IngestError> {
    let format = |message: String| IngestError::Format { path: path.to_path_buf(), message };
    if let Some(message) = not_readable_text(block) {
        return Err(format(message));
    }
    let bom = block.len() - strip_bom(block).len();
    block.drain(..bom);
    let cr_only = cr_line_ends(block);
    if cr_only {
        cr_to_lf(block);
    }
    let whole_lines = if eof { block.len() } else { last_line_end(block) };
    if whole_lines == 0 && !eof {
        return Err(format(format!(
            "no line end in the first {} MiB: the header line is longer than that, or the file is not a text export",
            BLOCK_SIZE >> 20
        )));
    }
    Ok((whole_lines, cr_only))
}

/// Appends up to `BLOCK_SIZE` bytes with up to `BLOCK_SIZE` bytes.
/// Appends up to `BLOCK_SIZE` bytes of the file to `buffer`; returns how many.
fn read_block(file: &mut std::fs::File, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    buffer.reserve(BLOCK_SIZE);
    file.take(BLOCK_SIZE as u64).read_to_end(buffer)
}

/// Index just past the last `\n` (0 if none).
fn last_line_end(bytes: &[u8]) -> usize {
    memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1)
}

/// Detects dialect and columns from the top of a file. Returns the context,
/// the byte offset just past the header line, and the header's line number.
fn prepare(
    index: usize,
    path: &Path,
    top: &[u8],
    source: &SourceSpec<SalesField>,
) -> Result<(FileContext, usize, u64), IngestError> {
    let (text, encoding) = decode(top, source.dialect.encoding);
    let lines: Vec<(u64, &str)> = text
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, raw)| (i as u64 + 1, trim_line_end(raw)))
        .filter(|(_, line)| !line.trim().is_empty())
        .take(TITLE_LINES + SAMPLE_LINES + 1)
        .collect();
    if lines.is_empty() {
        return Err(IngestError::Format {
            path: path.to_path_buf(),
            message: "the file is empty: no header line".into(),
        });
    }
    let (at, delimiter, map) = find_text_header::<SalesField>(path, &lines, source, "sales")?;
    let (header_line_no, header) = lines[at];
    let sample: Vec<&str> = lines[at + 1..].iter().take(SAMPLE_LINES).map(|(_, l)| *l).collect();
    let (numbers, dates) = sample_values(&sample, delimiter, &map);
    let choice = decide_value_format(
        &source.dialect,
        delimiter,
        numbers.iter().map(String::as_str),
        dates.iter().map(String::as_str),
        "sales",
    )
    .map_err(|m| IngestError::Format { path: path.to_path_buf(), message: m })?;
    // Found by counting line ends in the bytes: decoded text can be longer.
    let header_end = nth_line_end(top, header_line_no as usize).unwrap_or(top.len());
    let columns = ColumnsSeen {
        cost: map.column(SalesField::Cost).is_some(),
        quantity: map.column(SalesField::Quantity).is_some(),
        product: map.column(SalesField::ProductId).is_some(),
        invoice: map.column(SalesField::InvoiceId).is_some(),
    };
    let plain = PlainReader::new(&map, ValueFormat::new(&choice), delimiter);
    let ctx = FileContext {
        plain,
        index,
        path: path.to_path_buf(),
        delimiter,
        encoding: source.dialect.encoding,
        header_line: header.to_string(),
        map,
        format: ValueFormat::new(&choice),
        decided: (choice.decimal.1, choice.date.1),
        columns,
        saw_windows_1252: AtomicBool::new(encoding == Encoding::Windows1252),
        title_lines: at as u64,
        ids: source.ids.clone(),
    };
    Ok((ctx, header_end, header_line_no))
}

/// Byte offset just past the `n`-th line end (1-based).
fn nth_line_end(bytes: &[u8], n: usize) -> Option<usize> {
    memchr::memchr_iter(b'\n', bytes).nth(n.checked_sub(1)?).map(|i| i + 1)
}

/// Amount and date texts of the sample lines, for dialect detection.
fn sample_values(
    sample: &[&str],
    delimiter: u8,
    map: &ColumnMap<SalesField>,
) -> (Vec<String>, Vec<String>) {
    let mut fields = Fields::default();
    let (mut numbers, mut dates) = (Vec::new(), Vec::new());
    let amount_columns: Vec<usize> = [SalesField::Revenue, SalesField::Cost, SalesField::Quantity]
        .iter()
        .filter_map(|f| map.column(*f))
        .collect();
    let date_column = map.column(SalesField::Date);
    for line in sample {
        let Ok(fields) = split_line(line, delimiter, &mut fields) else { continue };
        numbers.extend(
            amount_columns.iter().filter_map(|&c| fields.get(c)).map(|v| v.trim().to_string()),
        );
        dates.extend(date_column.and_then(|c| fields.get(c)).map(|v| v.trim().to_string()));
    }
    (numbers, dates)
}

fn trim_line_end(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// A worker's ends of the channels between workers.
struct Mailboxes {
    me: usize,
    inbox: Receiver<LineBatch>,
    /// Senders to every worker but this one (`None` at `me`).
    peers: Vec<Option<Sender<LineBatch>>>,
}

/// A worker: parses blocks until the reader is done, keeping the lines of its
/// own customers and passing the others to their owners.
fn work(
    receiver: &Mutex<Receiver<Block>>,
    mailboxes: Mailboxes,
    options: ReadOptions,
    stop: &AtomicBool,
) -> WorkerOutput {
    let Mailboxes { me, inbox, mut peers } = mailboxes;
    let shards = peers.len();
    let WorkerOutput { mut ledger, mut counts, mut rejects, mut invoices } =
        WorkerOutput::default();
    let mut fields = Fields::default();
    let mut outboxes: Vec<LineBatch> = (0..shards).map(|_| LineBatch::default()).collect();
    loop {
        while let Ok(batch) = inbox.try_recv() {
            batch.add_to(&mut ledger);
        }
        let block = {
            let guard = receiver.lock().expect("block queue poisoned");
            guard.recv()
        };
        let Ok(block) = block else { break };
        if stop.load(Ordering::Relaxed) {
            continue;
        }
        let index = block.file.index;
        if counts.len() <= index {
            counts.resize(index + 1, LineCounts::default());
            invoices.resize(index + 1, InvoiceSample::default());
        }
        let rejected_before = rejects.len();
        let sample = &mut invoices[index];
        let mut keep = |line: &SalesLine<'_>, columns| {
            if let Some(invoice) = &line.invoice_id {
                sample.note(&line.customer_id, invoice);
            }
            match shard_of(&line.customer_id, shards) {
                owner if owner == me => ledger.add(line, columns),
                owner => outboxes[owner].push(line, columns),
            }
        };
        read_block_lines(&block, options, &mut fields, &mut counts[index], &mut rejects, &mut keep);
        for (owner, outbox) in outboxes.iter_mut().enumerate() {
            if let Some(peer) = &peers[owner]
                && !outbox.is_empty()
            {
                // A peer only hangs up after its own inbox is closed, which needs this sender gone.
                let _ = peer.send(std::mem::take(outbox));
            }
        }
        if options.on_bad_row == OnBadRow::Fail && rejects.len() > rejected_before {
            stop.store(true, Ordering::Relaxed);
        }
    }
    // No more lines to pass on: hang up, then take what the others still send.
    peers.clear();
    for batch in inbox {
        batch.add_to(&mut ledger);
    }
    WorkerOutput { ledger, counts, rejects, invoices }
}

/// Checks every line of a block, handing accepted ones to `keep`.
fn read_block_lines(
    block: &Block,
    options: ReadOptions,
    fields: &mut Fields,
    counts: &mut LineCounts,
    rejects: &mut Vec<Reject>,
    keep: &mut impl FnMut(&SalesLine<'_>, ColumnsSeen),
) {
    let ctx = &*block.file;
    let (text, _) = decode(&block.bytes, Setting::Given(block.encoding));
    // Lines that do not fit the file's encoding are rejected one by one.
    let suspects = suspect_lines(&block.bytes, block.encoding, ctx.encoding);
    let width = ctx.map.width();
    let date_column = ctx.map.column(SalesField::Date);
    let mut scratch = PlainScratch::default();
    let mut reject = |line_no: u64, line: &str, column, field, reason: String| {
        let content = super::reject_content(line);
        rejects.push(Reject {
            file: ctx.path.clone(),
            line: line_no,
            column,
            field,
            reason,
            content,
            lines: 1,
        });
    };
    for (i, raw) in lines_inclusive(&text).enumerate() {
        let line_no = block.first_line + i as u64;
        let line = trim_line_end(raw);
        // A line starting with a visible ASCII character is not blank: no need to trim it.
        let visible = line.as_bytes().first().is_some_and(u8::is_ascii_graphic);
        if !visible && line.trim().is_empty() {
            counts.blank += 1;
            continue;
        }
        let plain = match &ctx.plain {
            Some(plain) if suspects.is_empty() && line != ctx.header_line => {
                plain.read(line, &ctx.ids, &mut scratch)
            }
            _ => None,
        };
        let sale = match plain {
            Some(sale) => {
                counts.read += 1;
                sale
            }
            None => {
                if let Ok(at) = suspects.binary_search_by_key(&i, |s| s.0) {
                    counts.read += 1;
                    counts.rejected += 1;
                    reject(line_no, line, None, None, suspects[at].1.into());
                    continue;
                }
                let fields = match split_line(line, ctx.delimiter, fields) {
                    // A line of delimiters only (spreadsheets export them for empty rows) holds no data.
                    Ok(split) if split.iter().all(|f| f.trim().is_empty()) => {
                        counts.blank += 1;
                        continue;
                    }
                    Ok(split) => split,
                    Err(e) => {
                        counts.read += 1;
                        counts.rejected += 1;
                        reject(line_no, line, Some(e.column()), None, e.to_string());
                        continue;
                    }
                };
                counts.read += 1;
                if line == ctx.header_line {
                    counts.rejected += 1;
                    reject(line_no, line, None, None, "repeated header line".into());
                    continue;
                }
                if !fields.fits(width) {
                    counts.rejected += 1;
                    let reason = format!("{} fields where the header has {width}", fields.len());
                    reject(line_no, line, None, None, reason);
                    continue;
                }
                let cells = fields;
                let cell = |col: usize| cells.get(col).map_or(Cell::Empty, Cell::text);
                match read_sales_line(&ctx.map, ctx.format, &ctx.ids, cell) {
                    Ok(sale) => sale,
                    Err(defect) => {
                        match total_line(&ctx.map, ctx.format, cell) {
                            Some(total) => {
                                counts.read -= 1; // not a line of data after all
                                counts.add_total_line(line_no, total);
                            }
                            None => {
                                counts.rejected += 1;
                                reject(line_no, line, defect.column, defect.field, defect.reason);
                            }
                        }
                        continue;
                    }
                }
            }
        };
        if let Err(defect) = super::tally(&sale, date_column, options, ctx.columns, counts, keep) {
            counts.rejected += 1;
            reject(line_no, line, defect.column, defect.field, defect.reason);
        }
    }
}
