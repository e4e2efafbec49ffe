//! Turning one row of cells into a sales line, or saying exactly what is wrong
//! with it. Shared by delimited text, workbooks and Parquet files.

use super::schema::ColumnMap;
use super::sniff::{Decided, ValueFormatChoice};
use crate::config::dialect::{DateFormat, Decimal};
use crate::model::amount::{NumberError, decimal_text, parse_number};
use crate::model::fields::{CanonicalField, SalesField};
use crate::model::ids::IdRule;
use crate::model::records::SalesLine;
use crate::model::{Amount, Date};
use std::borrow::Cow;

/// One cell as a source hands it over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// An exact decimal, `unscaled / 10^scale` (a typed column's DECIMAL or
    /// integer): read as an amount without any rounding.
    Decimal {
        unscaled: i128,
        scale: u32,
    },
    Date(Date),
    /// A cell the source itself could not read (a spreadsheet `#N/A`, or a
    /// date serial outside the calendar), with the reason.
    Error(&'static str),
}

impl<'a> Cell<'a> {
    /// A text cell, trimmed; empty text is an empty cell, quoted or not.
    pub fn text(raw: &'a str) -> Cell<'a> {
        let t = raw.trim_ascii();
        if t.is_empty() { Cell::Empty } else { Cell::Text(t) }
    }
}

/// What is wrong with a line: the 1-based column, the field and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defect {
    pub column: Option<usize>,
    pub field: Option<&'static str>,
    pub reason: String,
}

impl Defect {
    pub fn whole_line(reason: impl Into<String>) -> Defect {
        Defect { column: None, field: None, reason: reason.into() }
    }
}

/// How the text cells of a source are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueFormat {
    pub decimal: Decimal,
    pub date: DateFormat,
    /// Whether the decimal separator was configured or seen in the data.
    /// When it was only assumed, a value that reads both ways (`20.000`,
    /// `1,250`) is refused rather than read a thousand times off.
    pub decimal_sure: bool,
}

impl ValueFormat {
    pub fn new(choice: &ValueFormatChoice) -> ValueFormat {
        ValueFormat {
            decimal: choice.decimal.0,
            date: choice.date.0,
            decimal_sure: choice.decimal.1 != Decided::Assumed,
        }
    }
}

/// Reads the canonical fields of a row; `cell(i)` gives the cell of column `i`.
pub fn read_sales_line<'a>(
    map: &ColumnMap<SalesField>,
    format: ValueFormat,
    ids: &IdRule,
    cell: impl Fn(usize) -> Cell<'a>,
) -> Result<SalesLine<'a>, Defect> {
    let get = |field: SalesField| map.column(field).map(|col| (col, cell(col)));
    let required = |field: SalesField| {
        let (col, value) = get(field).expect("required fields are mapped");
        match value {
            Cell::Empty => Err(defect(col, field, format!("missing {}", describe(field)))),
            other => Ok((col, other)),
        }
    };
    let (col, value) = required(SalesField::Date)?;
    let date = read_date(value, format.date).map_err(|r| defect(col, SalesField::Date, r))?;
    let (col, value) = required(SalesField::CustomerId)?;
    let customer_id =
        ids.apply(read_id(value).map_err(|r| defect(col, SalesField::CustomerId, r))?);
    let (col, value) = required(SalesField::Revenue)?;
    let revenue = read_amount(value, format).map_err(|r| defect(col, SalesField::Revenue, r))?;
    let optional_id = |field| match get(field) {
        None | Some((_, Cell::Empty)) => Ok(None),
        Some((col, value)) => read_id(value).map(Some).map_err(|r| defect(col, field, r)),
    };
    let optional_amount = |field| match get(field) {
        None | Some((_, Cell::Empty)) => Ok(None),
        Some((col, value)) => {
            read_amount(value, format).map(Some).map_err(|r| defect(col, field, r))
        }
    };
    Ok(SalesLine {
        date,
        customer_id,
        revenue,
        invoice_id: optional_id(SalesField::InvoiceId)?,
        product_id: optional_id(SalesField::ProductId)?,
        product_category: optional_id(SalesField::ProductCategory)?,
        quantity: optional_amount(SalesField::Quantity)?,
        cost: optional_amount(SalesField::Cost)?,
    })
}

/// What `PlainReader` does with a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Skip,
    Field(SalesField),
}

/// Reads, in one pass over its bytes, a line whose values are all written
/// in their plain form (no quotes, ids without control characters, numbers and dates
/// the file's formats read): most lines of most files. Any other line is
/// left to splitting and `read_sales_line`, which read it the same way or
/// say what is wrong with it; `PlainReader` is only the faster road to the
/// same result (a property test below compares the two on generated lines).
#[derive(Clone, Debug)]
pub struct PlainReader {
    /// The role of each column up to the last mapped one.
    roles: Vec<Role>,
    /// Columns of the header: a line with fewer fields, or with text past them, is not plain.
    width: usize,
    delimiter: u8,
    format: ValueFormat,
}

impl PlainReader {
    /// `None` when the decimal separator was only assumed: every number then
    /// needs the check for values that read both ways.
    pub fn new(
        map: &ColumnMap<SalesField>,
        format: ValueFormat,
        delimiter: u8,
    ) -> Option<PlainReader> {
        if !format.decimal_sure || matches!(delimiter, b'"' | b' ') || !delimiter.is_ascii() {
            return None;
        }
        let mapped: Vec<(usize, SalesField)> =
            SalesField::ALL.iter().filter_map(|&f| map.column(f).map(|c| (c, f))).collect();
        let last = mapped.iter().map(|(c, _)| *c).max()?;
        let mut roles = vec![Role::Skip; last + 1];
        for (column, field) in mapped {
            roles[column] = Role::Field(field);
        }
        Some(PlainReader { roles, width: map.width(), delimiter, format })
    }

    /// The sales line, if every value of `line` is plain; `None` otherwise.
    pub fn read<'a>(
        &self,
        line: &'a str,
        ids: &IdRule,
        scratch: &mut PlainScratch,
    ) -> Option<SalesLine<'a>> {
        let ends = &mut scratch.ends;
        let printable = scan_plain(line.as_bytes(), self.delimiter, ends)?;
        if ends.len() < self.width.max(self.roles.len())
            || line.len() > crate::model::MAX_TEXT_UNITS
        {
            return None; // too few fields; an overlong line is left to the general checks
        }
        // Past the header's width only blanks: a shifted row is not plain.
        let past = ends.get(self.width.wrapping_sub(1)).map_or(0, |&e| e as usize + 1);
        if self.width < ends.len()
            && !line[past..].bytes().all(|b| b == self.delimiter || b.is_ascii_whitespace())
        {
            return None;
        }
        let id = |value: &'a str| (printable || plain_id(value)).then_some(value);
        let mut sale = SalesLine {
            date: Date::from_days(0),
            customer_id: Cow::Borrowed(""),
            revenue: Amount::ZERO,
            invoice_id: None,
            product_id: None,
            product_category: None,
            quantity: None,
            cost: None,
        };
        let (mut date, mut customer, mut revenue) = (false, false, false);
        let mut start = 0;
        for (role, &end) in self.roles.iter().zip(ends.iter()) {
            let value = line[start..end as usize].trim_ascii();
            start = end as usize + 1;
            let Role::Field(kind) = *role else { continue };
            if value.is_empty() {
                continue; // required fields are checked below
            }
            match kind {
                SalesField::Date => {
                    sale.date = scratch.last_date.read(value, self.format.date)?;
                    date = true;
                }
                SalesField::CustomerId => {
                    let value = id(value)?;
                    sale.customer_id = match ids.is_identity() {
                        true => Cow::Borrowed(value),
                        false => ids.apply(Cow::Borrowed(value)),
                    };
                    customer = true;
                }
                SalesField::Revenue => {
                    sale.revenue = self.amount(value)?;
                    revenue = true;
                }
                SalesField::InvoiceId => sale.invoice_id = Some(Cow::Borrowed(id(value)?)),
                SalesField::ProductId => sale.product_id = Some(Cow::Borrowed(id(value)?)),
                SalesField::ProductCategory => {
                    sale.product_category = Some(Cow::Borrowed(id(value)?));
                }
                SalesField::Quantity => sale.quantity = Some(self.amount(value)?),
                SalesField::Cost => sale.cost = Some(self.amount(value)?),
            }
        }
        (date && customer && revenue).then_some(sale)
    }

    fn amount(&self, value: &str) -> Option<Amount> {
        let decimal = self.format.decimal;
        parse_number(value, decimal.separator(), Some(decimal.thousands())).ok()
    }
}

/// A worker's scratch space for `PlainReader`, reused from line to line.
#[derive(Debug, Default)]
pub struct PlainScratch {
    /// The field ends of the current line.
    ends: Vec<u32>,
    last_date: LastDate,
}

/// The last date text read and its date: lines mostly come in date order,
/// thousands sharing one date, which is then read once.
#[derive(Debug, Default)]
struct LastDate {
    text: [u8; 10],
    len: usize,
    date: Option<Date>,
}

impl LastDate {
    fn read(&mut self, text: &str, format: DateFormat) -> Option<Date> {
        if let Some(date) = self.date
            && text.as_bytes() == &self.text[..self.len]
        {
            return Some(date);
        }
        let date = format.parse(text)?;
        if text.len() <= self.text.len() {
            self.text[..text.len()].copy_from_slice(text.as_bytes());
            self.len = text.len();
            self.date = Some(date);
        }
        Some(date)
    }
}

/// Finds the field ends of a line without quotes, eight bytes at a time:
/// the offset of every delimiter, then the line's length, into `ends`.
/// `None` at a quote; otherwise whether every byte is printable ASCII (then
/// every id of the line is one `read_id` takes as it is).
fn scan_plain(bytes: &[u8], delimiter: u8, ends: &mut Vec<u32>) -> Option<bool> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (delimiters, quotes, erase) = (LOW * u64::from(delimiter), LOW * 0x22, LOW * 0x7f);
    ends.clear();
    let mut unusual = 0u64;
    let mut scan_word = |word: u64, at: usize, ends: &mut Vec<u32>| {
        // Quotes, bytes below space, DEL and non-ASCII bytes, anywhere.
        unusual |= zero_bytes(word ^ quotes)
            | (word.wrapping_sub(LOW * 0x20) & !word)
            | zero_bytes(word ^ erase)
            | word;
        let mut found = zero_bytes(word ^ delimiters);
        while found != 0 {
            ends.push((at + found.trailing_zeros() as usize / 8) as u32);
            found &= found - 1;
        }
    };
    let mut chunks = bytes.chunks_exact(8);
    for (i, chunk) in chunks.by_ref().enumerate() {
        scan_word(u64::from_le_bytes(chunk.try_into().expect("eight bytes")), i * 8, ends);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut padded = [b' '; 8]; // spaces: printable, and never the delimiter here
        padded[..tail.len()].copy_from_slice(tail);
        scan_word(u64::from_le_bytes(padded), bytes.len() - tail.len(), ends);
    }
    ends.push(bytes.len() as u32);
    if unusual & HIGH == 0 {
        return Some(true);
    }
    // Something unusual: a quote ends the plain reading; anything else only
    // means that the ids are checked one by one.
    (!bytes.contains(&b'"')).then_some(false)
}

/// The high bit of every byte of `word` that is zero, and no other bit.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    const HIGH_CLEAR: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((word & HIGH_CLEAR) + HIGH_CLEAR) | word | HIGH_CLEAR)
}

/// Whether `read_id` takes an id as it is.
fn plain_id(value: &str) -> bool {
    matches!(read_id(Cell::Text(value)), Ok(Cow::Borrowed(_)))
}

/// Words that label a total line in the date or customer column.
const TOTAL_WORDS: &[&str] = &["total", "summe", "gesamt", "somma", "sum", "som", "totaal"];

/// The amount of a footer or subtotal line, which ERP exports append: no
/// date and no customer (or a "Total"-like label in their place), and an
/// amount in the revenue column. `None` for any other line.
pub fn total_line<'a>(
    map: &ColumnMap<SalesField>,
    format: ValueFormat,
    cell: impl Fn(usize) -> Cell<'a>,
) -> Option<Amount> {
    let blank_or_label = |field: SalesField| match map.column(field).map(&cell) {
        None | Some(Cell::Empty) => true,
        Some(Cell::Text(t)) => {
            let t = t.trim_end_matches([':', '.']).to_lowercase();
            TOTAL_WORDS
                .iter()
                .any(|w| t == *w || t.starts_with(&format!("{w} ")) || t.starts_with("total"))
        }
        Some(_) => false,
    };
    if !blank_or_label(SalesField::Date) || !blank_or_label(SalesField::CustomerId) {
        return None;
    }
    read_amount(cell(map.column(SalesField::Revenue)?), format).ok()
}

fn describe(field: SalesField) -> &'static str {
    match field {
        SalesField::CustomerId => "customer id",
        other => other.name(),
    }
}

fn defect(column: usize, field: SalesField, reason: String) -> Defect {
    Defect { column: Some(column + 1), field: Some(field.name()), reason }
}

/// Reads a date cell.
pub fn read_date(cell: Cell<'_>, format: DateFormat) -> Result<Date, String> {
    match cell {
        Cell::Date(d) => Ok(d),
        Cell::Text(t) => format.parse(t).ok_or_else(|| {
            if DateFormat::ISO.parse(t).is_some() || format.parse_parts(t).is_some() {
                format!("impossible date \"{t}\" (no such day)")
            } else {
                format!("\"{t}\" is not a date in the format {format}")
            }
        }),
        Cell::Number(n) => Err(format!("{n} is a number where a date was expected")),
        Cell::Decimal { unscaled, scale } => {
            Err(format!("{} is a number where a date was expected", decimal_text(unscaled, scale)))
        }
        Cell::Error(e) => Err(e.to_string()),
        Cell::Empty => Err("missing date".into()),
    }
}

/// Reads an amount cell: text in the source's number format, or a spreadsheet number.
pub fn read_amount(cell: Cell<'_>, format: ValueFormat) -> Result<Amount, String> {
    let decimal = format.decimal;
    match cell {
        Cell::Number(n) => {
            Amount::from_f64_rounded(n).ok_or_else(|| format!("{n} is out of range"))
        }
        Cell::Decimal { unscaled, scale } => Amount::from_decimal(unscaled, scale)
            .map_err(|e| format!("{}: {e}", decimal_text(unscaled, scale))),
        Cell::Text(t) if !format.decimal_sure && reads_both_ways(t) => {
            let other = match decimal {
                Decimal::Dot => Decimal::Comma,
                Decimal::Comma => Decimal::Dot,
            };
            let read = |d: Decimal| {
                parse_number(t, d.separator(), Some(d.thousands()))
                    .map_or_else(|_| "?".into(), |a| a.to_string())
            };
            Err(format!(
                "\"{t}\" reads as {} or as {}, and nothing in the file tells which separator is the decimal one: set decimal = \",\" or \".\" for this source in kamplan.toml",
                read(decimal),
                read(other)
            ))
        }
        Cell::Text(t) => {
            parse_number(t, decimal.separator(), Some(decimal.thousands())).map_err(|e| match e {
                NumberError::NotANumber => format!("\"{t}\" is not a number"),
                other => format!("\"{t}\": {other}"),
            })
        }
        Cell::Date(d) => Err(format!("{d} is a date where a number was expected")),
        Cell::Error(e) => Err(e.to_string()),
        Cell::Empty => Err("missing number".into()),
    }
}

/// Whether a number text has exactly one `.` or `,`, followed by exactly
/// three digits (`20.000`, `-1,250`): a decimal or a thousands separator.
fn reads_both_ways(text: &str) -> bool {
    let separators: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'.' | b','))
        .map(|(i, _)| i)
        .collect();
    let [at] = separators[..] else { return false };
    let after = &text.as_bytes()[at + 1..];
    let digits_after = after.iter().take_while(|b| b.is_ascii_digit()).count();
    let digits_before =
        text.as_bytes()[..at].iter().rev().take_while(|b| b.is_ascii_digit()).count();
    digits_after == 3
        && !after.get(3).is_some_and(u8::is_ascii_digit)
        && (1..=3).contains(&digits_before)
}

/// Reads an identifier or a name; a spreadsheet number such as 1042.0
/// becomes `1042`. Control characters (a NUL from a broken export, say) are
/// refused: invisible, they would make a second customer of the same id.
pub fn read_id(cell: Cell<'_>) -> Result<Cow<'_, str>, String> {
    match cell {
        Cell::Text(t) if t.len() > crate::model::MAX_TEXT_UNITS => {
            let units = t.encode_utf16().count();
            if units > crate::model::MAX_TEXT_UNITS {
                let start: String = t.chars().take(40).collect();
                return Err(format!(
                    "a text of {units} characters (\"{start}…\"); at most {} fit in a spreadsheet cell, so it is refused rather than cut",
                    crate::model::MAX_TEXT_UNITS
                ));
            }
            read_id(Cell::Text(t))
        }
        // Printable ASCII, what ids almost always are, has no control character.
        Cell::Text(t) if t.bytes().all(|b| (0x20..0x7f).contains(&b)) => Ok(Cow::Borrowed(t)),
        Cell::Text(t) => match t.chars().find(|c| c.is_control()) {
            Some(c) => {
                Err(format!("control character U+{:04X} in \"{}\"", u32::from(c), t.escape_debug()))
            }
            None => Ok(Cow::Borrowed(t)),
        },
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Ok(Cow::Owned(format!("{}", n as i64)))
        }
        Cell::Number(n) => Ok(Cow::Owned(format!("{n}"))),
        // An integer-valued decimal (an Oracle NUMBER id) reads as the integer.
        Cell::Decimal { unscaled, scale } => {
            let whole = 10i128.checked_pow(scale).filter(|d| unscaled % d == 0);
            Ok(Cow::Owned(
                whole.map_or_else(|| decimal_text(unscaled, scale), |d| (unscaled / d).to_string()),
            ))
        }
        Cell::Date(d) => Ok(Cow::Owned(d.to_string())),
        Cell::Error(e) => Err(e.to_string()),
        Cell::Empty => Err("empty".into()),
    }
}

/// Reads a free-text cell (a name, a region, a master column kept as an
/// attribute): the line breaks and tabs a quoted cell may hold become
/// spaces; other control characters and over-long texts are refused as in
/// `read_id`.
pub fn read_text(cell: Cell<'_>) -> Result<Cow<'_, str>, String> {
    match cell {
        Cell::Text(t) if t.contains(['\t', '\r', '\n']) => {
            let flat = t.split(['\t', '\r', '\n']).filter(|p| !p.is_empty()).collect::<Vec<_>>();
            let flat = flat.join(" ");
            read_id(Cell::Text(&flat)).map(|t| Cow::Owned(t.into_owned()))
        }
        other => read_id(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::schema::map_columns;

    fn format() -> ValueFormat {
        ValueFormat {
            decimal: Decimal::Comma,
            date: DateFormat::from_name("dd/mm/yyyy").unwrap(),
            decimal_sure: true,
        }
    }

    fn read(cells: &[&str]) -> Result<SalesLine<'static>, Defect> {
        let map = map_columns::<SalesField>(&["data", "cliente", "importo", "costo"], &[]).unwrap();
        let owned: Vec<&'static str> =
            cells.iter().map(|c| &*Box::leak(c.to_string().into_boxed_str())).collect();
        read_sales_line(&map, format(), &IdRule::default(), |i| {
            owned.get(i).map_or(Cell::Empty, |c| Cell::text(c))
        })
    }

    #[test]
    fn a_typed_decimal_id_reads_as_its_digits() {
        let id = |unscaled, scale| read_id(Cell::Decimal { unscaled, scale }).unwrap().into_owned();
        assert_eq!(id(1042, 0), "1042");
        assert_eq!(id(104_200, 2), "1042");
        assert_eq!(id(104_250, 2), "1042.50");
        assert_eq!(id(123_456_789_012_345_678_900, 2), "1234567890123456789");
    }

    #[test]
    fn reads_a_good_line() {
        let line = read(&["31/01/2025", " C1 ", "1.234,56", ""]).unwrap();
        assert_eq!(line.date.to_string(), "2025-01-31");
        assert_eq!(line.customer_id, "C1");
        assert_eq!(line.revenue, Amount(12_345_600));
        assert_eq!(line.cost, None);
    }

    #[test]
    fn names_the_column_and_the_reason() {
        let d = read(&["31/02/2025", "C1", "1", ""]).unwrap_err();
        assert_eq!((d.column, d.field), (Some(1), Some("date")));
        assert!(d.reason.contains("impossible date \"31/02/2025\""), "{}", d.reason);
        let d = read(&["01/02/2025", "", "1", ""]).unwrap_err();
        assert_eq!((d.column, d.reason.as_str()), (Some(2), "missing customer id"));
        let d = read(&["01/02/2025", "C1", "12a", ""]).unwrap_err();
        assert_eq!((d.column, d.reason.as_str()), (Some(3), "\"12a\" is not a number"));
        let d = read(&["01/02/2025", "C1", "1", "x"]).unwrap_err();
        assert_eq!(d.field, Some("cost"));
        let d = read(&["01/02/2025", "C\u{0}1", "1", ""]).unwrap_err();
        assert_eq!((d.column, d.field), (Some(2), Some("customer_id")));
        assert_eq!(d.reason, r#"control character U+0000 in "C\01""#);
    }

    /// The general reading of a whole line: split, width check, fields.
    fn general<'a>(
        line: &'a str,
        map: &ColumnMap<SalesField>,
        format: ValueFormat,
        delimiter: u8,
        fields: &'a mut crate::ingest::text::Fields,
    ) -> Option<SalesLine<'a>> {
        let split = crate::ingest::text::split_line(line, delimiter, fields).ok()?;
        if !split.fits(map.width()) {
            return None;
        }
        read_sales_line(map, format, &IdRule::default(), |i| {
            split.get(i).map_or(Cell::Empty, Cell::text)
        })
        .ok()
    }

    /// Cells of the forms exports write, plain and not: dates, ids, numbers,
    /// blanks, quotes, control and accented characters, stray delimiters.
    fn cell() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::prop_oneof![
            "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]",
            "[0-3][0-9]/[01][0-9]/20[0-9]{2}",
            "-?[0-9]{1,16}([.,][0-9]{1,5})?",
            "[0-9]{1,3}([.,][0-9]{3}){1,2}([.,][0-9]{2})?-?",
            "[A-Za-z0-9 _-]{0,12}",
            "[ \\t]{0,2}[A-Z]{1,3}[ \\t]{0,2}",
            "[A-Za-z\"é\u{1}\u{7f};,\t ]{0,6}",
            "",
        ]
    }

    proptest::proptest! {
        /// Whatever the plain reader reads, the general reading reads the same.
        #[test]
        fn the_plain_reader_reads_what_the_general_reading_reads(
            cells in proptest::collection::vec(cell(), 1..10),
            header in proptest::strategy::Strategy::prop_shuffle(
                proptest::strategy::Strategy::prop_map(
                    proptest::sample::subsequence(
                        vec!["invoice", "product", "category", "quantity", "cost", "note"], 0..6),
                    |mut h: Vec<&'static str>| { h.extend(["date", "customer", "revenue"]); h },
                )),
            comma in proptest::bool::ANY,
            semicolon in proptest::bool::ANY,
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            let map = map_columns::<SalesField>(&header, &[]).unwrap();
            let format = ValueFormat {
                decimal: if comma { Decimal::Comma } else { Decimal::Dot },
                date: if cells[0].contains('/') { DateFormat::from_name("dd/mm/yyyy").unwrap() } else { DateFormat::ISO },
                decimal_sure: true,
            };
            let line = cells.join(&(delimiter as char).to_string());
            let Some(reader) = PlainReader::new(&map, format, delimiter) else { return Ok(()) };
            // Twice with one scratch space: the second reading uses what the first kept.
            let mut scratch = PlainScratch::default();
            for _ in 0..2 {
                if let Some(plain) = reader.read(&line, &IdRule::default(), &mut scratch) {
                    let mut fields = crate::ingest::text::Fields::default();
                    let general = general(&line, &map, format, delimiter, &mut fields);
                    proptest::prop_assert_eq!(Some(plain), general, "{}", line);
                }
            }
        }
    }

    #[test]
    fn the_plain_reader_reads_plain_lines_and_leaves_the_others() {
        let map =
            map_columns::<SalesField>(&["date", "customer", "revenue", "cost", "x"], &[]).unwrap();
        let format = ValueFormat { date: DateFormat::ISO, ..format() };
        let reader = PlainReader::new(&map, format, b';').unwrap();
        fn read<'a>(reader: &PlainReader, line: &'a str) -> Option<SalesLine<'a>> {
            reader.read(line, &IdRule::default(), &mut PlainScratch::default())
        }
        let read = |line| read(&reader, line);
        let line = read("2025-01-31; C1 ;1.234,5;;anything é").unwrap();
        assert_eq!(
            (line.customer_id.as_ref(), line.revenue, line.cost),
            ("C1", Amount(12_345_000), None)
        );
        assert_eq!(read("2025-01-31;Società;1;;").unwrap().customer_id, "Società");
        for other in [
            "2025-01-31;\"C1\";1;;",   // quoted: split first
            "2025-02-30;C1;1;;",       // impossible date: the general reading says so
            "2025-01-31;C\u{1}1;1;;",  // a control character in an id
            "2025-01-31;;1;;",         // no customer
            "2025-01-31;C1;1;",        // a field short
            "2025-01-31;C1;1;;;x",     // text past the header
            "2025-01-31;C1;1,23456;;", // more decimals than kept
        ] {
            assert!(read(other).is_none(), "{other}");
        }
        assert!(
            PlainReader::new(&map, ValueFormat { decimal_sure: false, ..format }, b';').is_none()
        );
    }

    #[test]
    fn refuses_values_that_read_both_ways_when_the_decimal_was_assumed() {
        let assumed = ValueFormat { decimal_sure: false, ..format() };
        let err = read_amount(Cell::Text("20.000"), assumed).unwrap_err();
        assert!(err.starts_with("\"20.000\" reads as 20000.00 or as 20.00,"), "{err}");
        assert!(err.contains("set decimal"), "{err}");
        assert!(read_amount(Cell::Text("-1,250"), assumed).is_err());
        // Decided by the value itself, or by a sure format: read.
        assert_eq!(read_amount(Cell::Text("20.000,5"), assumed), Ok(Amount(200_005_000)));
        assert_eq!(read_amount(Cell::Text("1.234.567"), assumed), Ok(Amount(12_345_670_000)));
        assert_eq!(read_amount(Cell::Text("12,50"), assumed), Ok(Amount(125_000)));
        assert_eq!(read_amount(Cell::Text("20.000"), format()), Ok(Amount(200_000_000)));
    }
}
