//! Turning one row of cells into a sales line, or saying exactly what is wrong
//! with it. Shared by delimited text and workbooks.

use super::schema::ColumnMap;
use crate::config::dialect::{DateFormat, Decimal};
use crate::model::amount::{NumberError, parse_number};
use crate::model::fields::{CanonicalField, SalesField};
use crate::model::{Amount, Date};
use std::borrow::Cow;

/// One cell as a source hands it over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Date(Date),
    /// A cell the source itself could not read (a spreadsheet `#N/A`, say).
    Error(&'a str),
}

impl<'a> Cell<'a> {
    /// A text cell, trimmed; empty text is an empty cell, quoted or not.
    pub fn text(raw: &'a str) -> Cell<'a> {
        let t = raw.trim_ascii();
        if t.is_empty() { Cell::Empty } else { Cell::Text(t) }
    }
}

/// A sales line that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct SalesLine<'a> {
    pub date: Date,
    pub customer_id: Cow<'a, str>,
    pub revenue: Amount,
    pub invoice_id: Option<Cow<'a, str>>,
    pub product_id: Option<Cow<'a, str>>,
    pub product_category: Option<Cow<'a, str>>,
    pub quantity: Option<Amount>,
    pub cost: Option<Amount>,
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
}

/// Reads the canonical fields of a row; `cell(i)` gives the cell of column `i`.
pub fn read_sales_line<'a>(
    map: &ColumnMap<SalesField>,
    format: ValueFormat,
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
    let customer_id = read_id(value).map_err(|r| defect(col, SalesField::CustomerId, r))?;
    let (col, value) = required(SalesField::Revenue)?;
    let revenue =
        read_amount(value, format.decimal).map_err(|r| defect(col, SalesField::Revenue, r))?;
    let optional_id = |field| match get(field) {
        None | Some((_, Cell::Empty)) => Ok(None),
        Some((col, value)) => read_id(value).map(Some).map_err(|r| defect(col, field, r)),
    };
    let optional_amount = |field| match get(field) {
        None | Some((_, Cell::Empty)) => Ok(None),
        Some((col, value)) => {
            read_amount(value, format.decimal).map(Some).map_err(|r| defect(col, field, r))
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
        Cell::Error(e) => Err(format!("cell error {e}")),
        Cell::Empty => Err("missing date".into()),
    }
}

/// Reads an amount cell: text in the source's number format, or a spreadsheet number.
pub fn read_amount(cell: Cell<'_>, decimal: Decimal) -> Result<Amount, String> {
    match cell {
        Cell::Number(n) => {
            Amount::from_f64_rounded(n).ok_or_else(|| format!("{n} is out of range"))
        }
        Cell::Text(t) => {
            parse_number(t, decimal.separator(), Some(decimal.thousands())).map_err(|e| match e {
                NumberError::NotANumber => format!("\"{t}\" is not a number"),
                other => format!("\"{t}\": {other}"),
            })
        }
        Cell::Date(d) => Err(format!("{d} is a date where a number was expected")),
        Cell::Error(e) => Err(format!("cell error {e}")),
        Cell::Empty => Err("missing number".into()),
    }
}

/// Reads an identifier; a spreadsheet number such as 1042.0 becomes `1042`.
pub fn read_id(cell: Cell<'_>) -> Result<Cow<'_, str>, String> {
    match cell {
        Cell::Text(t) => Ok(Cow::Borrowed(t)),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Ok(Cow::Owned(format!("{}", n as i64)))
        }
        Cell::Number(n) => Ok(Cow::Owned(format!("{n}"))),
        Cell::Date(d) => Ok(Cow::Owned(d.to_string())),
        Cell::Error(e) => Err(format!("cell error {e}")),
        Cell::Empty => Err("empty".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::schema::map_columns;

    fn format() -> ValueFormat {
        ValueFormat { decimal: Decimal::Comma, date: DateFormat::from_name("dd/mm/yyyy").unwrap() }
    }

    fn read(cells: &[&str]) -> Result<SalesLine<'static>, Defect> {
        let map = map_columns::<SalesField>(&["data", "cliente", "importo", "costo"], &[]).unwrap();
        let owned: Vec<&'static str> =
            cells.iter().map(|c| &*Box::leak(c.to_string().into_boxed_str())).collect();
        read_sales_line(&map, format(), |i| owned.get(i).map_or(Cell::Empty, |c| Cell::text(c)))
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
    }
}
