//! The portfolio as a table of typed values, shared by the CSV, XLSX and JSON writers.

use crate::classify::Portfolio;
use crate::model::{Amount, Date};

/// A typed cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Amount(Amount),
    Count(u64),
    /// A ratio such as 0.253 (25.3%).
    Ratio(f64),
    /// A plain decimal number such as a coefficient of variation.
    Number(f64),
    Date(Date),
}

impl Value {
    fn opt<T>(value: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
        value.map_or(Value::Null, f)
    }

    /// The plain text form of `portfolio.csv`: `.` decimal separator, no
    /// grouping, ISO dates, empty for null. Ratios keep six decimals.
    pub fn plain(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(t) => t.clone(),
            Value::Amount(a) => a.to_string(),
            Value::Count(n) => n.to_string(),
            Value::Ratio(x) | Value::Number(x) => plain_float(*x),
            Value::Date(d) => d.to_string(),
        }
    }
}

/// `x` rounded to six decimals, trailing zeros dropped: `0.25`, `-1.5`, `0`.
pub fn plain_float(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

/// A column and how spreadsheets should show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// A short class label such as `A` or `X`.
    Class,
    Money,
    Quantity,
    Count,
    Percent,
    Number,
    Date,
}

const fn col(name: &'static str, kind: ColumnKind) -> Column {
    Column { name, kind }
}

/// The columns of `portfolio.csv`, in SPEC.md order.
pub const PORTFOLIO_COLUMNS: &[Column] = &[
    col("customer_id", ColumnKind::Text),
    col("name", ColumnKind::Text),
    col("revenue", ColumnKind::Money),
    col("cost", ColumnKind::Money),
    col("margin", ColumnKind::Money),
    col("margin_pct", ColumnKind::Percent),
    col("quantity", ColumnKind::Quantity),
    col("orders", ColumnKind::Count),
    col("products", ColumnKind::Count),
    col("revenue_prev", ColumnKind::Money),
    col("growth", ColumnKind::Percent),
    col("last_purchase", ColumnKind::Date),
    col("days_since_last", ColumnKind::Count),
    col("share_of_wallet", ColumnKind::Percent),
    col("active_months", ColumnKind::Count),
    col("cv", ColumnKind::Number),
    col("abc", ColumnKind::Class),
    col("xyz", ColumnKind::Class),
    col("alerts", ColumnKind::Text),
];

/// A table with named, typed columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

/// The portfolio, one row per customer, in customer-id order.
pub fn portfolio_table(portfolio: &Portfolio) -> Table {
    let rows = portfolio
        .rows
        .iter()
        .map(|row| {
            let m = &row.metrics;
            vec![
                Value::Text(row.customer_id.clone()),
                Value::opt(row.name(), |n| Value::Text(n.to_string())),
                Value::Amount(m.revenue),
                Value::opt(m.cost, Value::Amount),
                Value::opt(m.margin, Value::Amount),
                Value::opt(m.margin_pct, Value::Ratio),
                Value::opt(m.quantity, Value::Amount),
                Value::Count(m.orders),
                Value::opt(m.products, Value::Count),
                Value::Amount(m.revenue_prev),
                Value::opt(m.growth, Value::Ratio),
                Value::opt(m.last_purchase, Value::Date),
                Value::opt(m.days_since_last, |d| Value::Count(d.max(0) as u64)),
                Value::opt(m.share_of_wallet, Value::Ratio),
                Value::Count(u64::from(m.active_months)),
                Value::opt(m.cv, Value::Number),
                Value::Text(row.abc.clone()),
                Value::Text(row.xyz.clone()),
                // No alert rules yet: the column is part of the file's contract.
                Value::Null,
            ]
        })
        .collect();
    Table { columns: PORTFOLIO_COLUMNS.to_vec(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_plain() {
        assert_eq!(plain_float(0.25), "0.25");
        assert_eq!(plain_float(1.0), "1");
        assert_eq!(plain_float(-0.0000001), "0");
        assert_eq!(plain_float(1.0 / 3.0), "0.333333");
        assert_eq!(plain_float(-12.5), "-12.5");
    }
}
