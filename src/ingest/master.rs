//! The customers master: one row per customer with its attributes.
//! It is small and authoritative, so a bad value is an error (all of them are
//! reported at once), not a rejected row.

use super::decode::{cr_line_ends, cr_to_lf, decode, not_readable_text, strip_bom, suspect_lines};
use super::header::find_text_header;
use super::line::{Cell, read_amount, read_date, read_id, read_text};
use super::schema::ColumnMap;
use super::sniff::decide_value_format;
use super::text::{Fields, split_line};
use super::workbook::sheet_header;
use super::workbook::{cell, open_sheet, sample_texts};
use super::{IngestError, is_parquet, is_workbook};
use crate::config::project::SourceSpec;
use crate::diagnostic::Diagnostic;
use crate::model::Amount;
use crate::model::fields::{CanonicalField, MasterField};
use crate::model::records::{Customer, Master, RELATIONSHIP_STAGES};
use std::collections::BTreeMap;
use std::path::Path;

/// Reads and validates the customers master: a file, or a folder of files
/// read as one table (a warehouse's export in parts).
pub fn read_master(source: &SourceSpec<MasterField>) -> Result<Master, IngestError> {
    let files = super::discover_files(&source.path, &source.root).map_err(|e| match e {
        IngestError::NoFiles { path } => IngestError::Format {
            path,
            message: format!("no customers files found (looked for {})", super::extensions()),
        },
        other => other,
    })?;
    let mut errors = Vec::new();
    let mut customers: BTreeMap<String, Customer> = BTreeMap::new();
    // Where each id was first seen: the file's index and the line.
    let mut first_seen: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for (index, path) in files.iter().enumerate() {
        let mut table = read_table(path, source)?;
        let rows = std::mem::take(&mut table.rows);
        let cells: Vec<(u64, Vec<Cell<'_>>)> =
            rows.iter().map(|(n, r)| (*n, r.iter().map(|c| c.as_cell()).collect())).collect();
        for (line, row) in &cells {
            let mut problem = |col: usize, field: &str, reason: String| {
                let place = Some((*line as usize, col + 1));
                errors.push(Diagnostic::error(path, place, format!("{field}: {reason}")).in_data())
            };
            let customer = read_customer(&table.map, table.format, row, &source.ids, &mut problem);
            let Some(customer) = customer else { continue };
            if let Some(&(first_file, first)) = first_seen.get(&customer.id) {
                let at = if first_file == index {
                    format!(", on lines {first} and {line}")
                } else {
                    format!(": first at {}:{first}", files[first_file].display())
                };
                errors.push(Diagnostic::error(
                    path,
                    Some((*line as usize, 0)),
                    format!("customer id \"{}\" appears twice in the master{at}", customer.id),
                ));
                continue;
            }
            first_seen.insert(customer.id.clone(), (index, *line));
            customers.insert(customer.id.clone(), customer);
        }
    }
    if !errors.is_empty() {
        return Err(IngestError::Master(errors));
    }
    Ok(Master { path: Some(source.path.clone()), customers })
}

/// One file of the master as a table of owned cells.
fn read_table(path: &Path, source: &SourceSpec<MasterField>) -> Result<Table, IngestError> {
    if is_workbook(path) {
        workbook_table(path, source)
    } else if is_parquet(path) {
        let (map, format, rows) = super::columnar::read_master_file(path, source)?;
        let rows = rows.into_iter().map(|(n, r)| (n, r.into_iter().map(Value::Typed).collect()));
        Ok(Table { map, format, rows: rows.collect() })
    } else {
        text_table(path, source)
    }
}

/// A cell value owned by the table (text, sheet and Parquet rows alike).
enum Value {
    Text(String),
    Sheet(calamine::Data),
    Typed(super::parquet::Cell),
}

impl Value {
    fn as_cell(&self) -> Cell<'_> {
        match self {
            Value::Text(t) => Cell::text(t),
            Value::Sheet(d) => cell(d),
            Value::Typed(v) => super::columnar::cell(v),
        }
    }
}

struct Table {
    map: ColumnMap<MasterField>,
    format: super::line::ValueFormat,
    rows: Vec<(u64, Vec<Value>)>,
}

fn numeric_fields() -> [MasterField; 4] {
    [
        MasterField::Potential,
        MasterField::CostToServe,
        MasterField::Satisfaction,
        MasterField::Loyalty,
    ]
}

fn text_table(path: &Path, source: &SourceSpec<MasterField>) -> Result<Table, IngestError> {
    let mut bytes =
        std::fs::read(path).map_err(|e| IngestError::Io { path: path.to_path_buf(), source: e })?;
    if let Some(message) = not_readable_text(&bytes) {
        return Err(IngestError::Format { path: path.to_path_buf(), message });
    }
    if cr_line_ends(&bytes) {
        cr_to_lf(&mut bytes);
    }
    let bytes = strip_bom(&bytes);
    let (text, encoding) = decode(bytes, source.dialect.encoding);
    let mut errors: Vec<Diagnostic> = suspect_lines(bytes, encoding, source.dialect.encoding)
        .into_iter()
        .map(|(i, reason)| Diagnostic::error(path, Some((i + 1, 0)), reason))
        .collect();
    let lines: Vec<(u64, &str)> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return Err(IngestError::Format {
            path: path.to_path_buf(),
            message: "the file is empty: no header line".into(),
        });
    }
    let (at, delimiter, map) = find_text_header(path, &lines, source, "customers")?;
    let body = &lines[at + 1..];
    let mut fields = Fields::default();
    let mut rows: Vec<(u64, Vec<Value>)> = Vec::new();
    let width = map.width();
    for &(line, text) in body {
        match split_line(text, delimiter, &mut fields) {
            // A row of delimiters only (an empty spreadsheet row) holds no data.
            Ok(split) if split.iter().all(|f| f.trim().is_empty()) => {}
            Ok(split) if !split.fits(width) => errors.push(Diagnostic::error(
                path,
                Some((line as usize, 0)),
                format!(
                    "{} fields where the header has {width} (a cut or shifted row: \"{}\")",
                    split.len(),
                    text.chars().take(80).collect::<String>()
                ),
            )),
            Ok(split) => {
                rows.push((line, split.iter().map(|f| Value::Text(f.to_string())).collect()))
            }
            Err(e) => errors.push(
                Diagnostic::error(path, Some((line as usize, e.column())), e.to_string()).in_data(),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(IngestError::Master(errors));
    }
    let column_texts = |fields: &[MasterField]| -> Vec<String> {
        let cols: Vec<usize> = fields.iter().filter_map(|f| map.column(*f)).collect();
        rows.iter()
            .flat_map(|(_, r)| cols.iter().filter_map(|&c| r.get(c)))
            .filter_map(|v| if let Value::Text(t) = v { Some(t.trim().to_string()) } else { None })
            .collect()
    };
    let format = value_format(
        path,
        source,
        delimiter,
        column_texts(&numeric_fields()),
        column_texts(&[MasterField::CustomerSince]),
    )?;
    Ok(Table { map, format, rows })
}

fn workbook_table(path: &Path, source: &SourceSpec<MasterField>) -> Result<Table, IngestError> {
    let sheet = open_sheet(path, source.dialect.sheet.as_deref())?;
    let (header_no, map) = sheet_header(path, &sheet, source)?;
    let cols =
        |fields: &[MasterField]| fields.iter().filter_map(|f| map.column(*f)).collect::<Vec<_>>();
    let numbers = sample_texts(&sheet, header_no, &cols(&numeric_fields()));
    let dates = sample_texts(&sheet, header_no, &cols(&[MasterField::CustomerSince]));
    let format = value_format(path, source, b',', numbers, dates)?;
    let rows = sheet
        .rows()
        .filter(|(n, _)| *n > header_no)
        .map(|(n, r)| (n, r.iter().cloned().map(Value::Sheet).collect()))
        .collect();
    Ok(Table { map, format, rows })
}

fn value_format(
    path: &Path,
    source: &SourceSpec<MasterField>,
    delimiter: u8,
    numbers: Vec<String>,
    dates: Vec<String>,
) -> Result<super::line::ValueFormat, IngestError> {
    let choice = decide_value_format(
        &source.dialect,
        delimiter,
        numbers.iter().map(String::as_str),
        dates.iter().map(String::as_str),
        "customers",
    )
    .map_err(|message| IngestError::Format { path: path.to_path_buf(), message })?;
    Ok(super::line::ValueFormat::new(&choice))
}

/// Reads one master row; problems go to `problem(column, field name, reason)`.
fn read_customer(
    map: &ColumnMap<MasterField>,
    format: super::line::ValueFormat,
    row: &[Cell<'_>],
    ids: &crate::model::ids::IdRule,
    problem: &mut impl FnMut(usize, &str, String),
) -> Option<Customer> {
    let id_col = map.column(MasterField::CustomerId).expect("required");
    let id = match row.get(id_col).copied().unwrap_or(Cell::Empty) {
        Cell::Empty => {
            problem(id_col, MasterField::CustomerId.name(), "empty customer id".into());
            return None;
        }
        other => ids
            .apply(
                read_id(other)
                    .map_err(|r| problem(id_col, MasterField::CustomerId.name(), r))
                    .ok()?,
            )
            .into_owned(),
    };
    let mut cells = RowCells { map, format, row, problem };
    // Read in this order, so a row's problems are reported in it.
    let (name, sector, region, account_manager) = (
        cells.text(MasterField::Name),
        cells.text(MasterField::Sector),
        cells.text(MasterField::Region),
        cells.text(MasterField::AccountManager),
    );
    let stage_text = cells.text(MasterField::RelationshipStage);
    let potential = cells.amount(MasterField::Potential, None);
    let satisfaction = cells.amount(MasterField::Satisfaction, Some((1, 5)));
    let loyalty = cells.amount(MasterField::Loyalty, Some((0, 100)));
    let cost_to_serve = cells.amount(MasterField::CostToServe, None);
    let market_growth = cells.amount(MasterField::MarketGrowth, Some((-1, 1)));
    let attractiveness = cells.amount(MasterField::Attractiveness, Some((1, 5)));
    let adaptability = cells.amount(MasterField::Adaptability, Some((1, 5)));
    let customer_since = cells.date(MasterField::CustomerSince);
    let relationship_stage = stage_text.and_then(|text| cells.relationship_stage(&text));
    Some(Customer {
        id,
        name,
        sector,
        region,
        account_manager,
        potential,
        satisfaction,
        loyalty,
        relationship_stage,
        customer_since,
        cost_to_serve,
        market_growth,
        attractiveness,
        adaptability,
        contract_expiry: None,
        key_client_type: None,
        attributes: cells.attributes(),
    })
}

/// The cells of one master row, read field by field; a value that cannot be
/// read is reported and left out.
struct RowCells<'a, 'c, P> {
    map: &'a ColumnMap<MasterField>,
    format: super::line::ValueFormat,
    row: &'a [Cell<'c>],
    problem: &'a mut P,
}

impl<P: FnMut(usize, &str, String)> RowCells<'_, '_, P> {
    /// The field's column and cell, when the field is mapped and the cell not empty.
    fn get(&self, field: MasterField) -> Option<(usize, Cell<'_>)> {
        let col = self.map.column(field)?;
        match self.row.get(col).copied().unwrap_or(Cell::Empty) {
            Cell::Empty => None,
            cell => Some((col, cell)),
        }
    }

    fn text(&mut self, field: MasterField) -> Option<String> {
        let (col, value) = self.get(field)?;
        read_text(value)
            .map(|t| t.into_owned())
            .map_err(|r| (self.problem)(col, field.name(), r))
            .ok()
    }

    /// An amount, refused outside `range` (inclusive) when one is given.
    fn amount(&mut self, field: MasterField, range: Option<(i64, i64)>) -> Option<Amount> {
        let (col, value) = self.get(field)?;
        let a = read_amount(value, self.format)
            .map_err(|r| (self.problem)(col, field.name(), r))
            .ok()?;
        if let Some((lo, hi)) = range
            && (a < Amount::from_int(lo) || a > Amount::from_int(hi))
        {
            let mut why = format!("{a} is outside {lo}–{hi}");
            if field == MasterField::MarketGrowth {
                why.push_str(": write the growth as a ratio, 12% as 0.12");
            }
            (self.problem)(col, field.name(), why);
            return None;
        }
        Some(a)
    }

    fn date(&mut self, field: MasterField) -> Option<crate::model::Date> {
        let (col, value) = self.get(field)?;
        read_date(value, self.format.date).map_err(|r| (self.problem)(col, field.name(), r)).ok()
    }

    /// One of [`RELATIONSHIP_STAGES`], in any case.
    fn relationship_stage(&mut self, text: &str) -> Option<&'static str> {
        let field = MasterField::RelationshipStage;
        let found =
            RELATIONSHIP_STAGES.iter().find(|k| k.eq_ignore_ascii_case(text.trim())).copied();
        if found.is_none() {
            let col = self.map.column(field).expect("read from it");
            let why = format!("\"{text}\" is not one of {}", RELATIONSHIP_STAGES.join(", "));
            (self.problem)(col, field.name(), why);
        }
        found
    }

    /// The values of the columns no field is mapped to, by header.
    fn attributes(&mut self) -> BTreeMap<String, String> {
        let mut found = BTreeMap::new();
        for (col, header) in self.map.unmapped() {
            match self.row.get(col).copied() {
                Some(Cell::Empty) | None => {}
                Some(c) => match read_text(c) {
                    Ok(v) => {
                        found.insert(header.to_string(), v.into_owned());
                    }
                    Err(reason) => (self.problem)(col, header, reason),
                },
            }
        }
        found
    }
}
