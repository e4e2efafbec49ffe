//! The portfolio as a table of typed values, shared by the CSV, XLSX and JSON writers.

use crate::classify::Portfolio;
use crate::classify::facts::Fact;
use crate::classify::variables::{self, Kind, Subject};
use crate::config::rules::Rules;
use crate::explain::{FiredAlert, fired_alerts};
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
            Value::Ratio(x) | Value::Number(x) => crate::locale::format::plain(*x),
            Value::Date(d) => d.to_string(),
        }
    }
}

/// A column and how spreadsheets should show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
    /// The values of a `Class` column, best first, for the workbook's
    /// colours; empty for other columns.
    pub levels: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// A short class label such as `A` or `X`, coloured by rank in the
    /// workbook when the column lists its `levels`.
    Class,
    /// An alert severity (`high`, `medium`, `low`, `info`), coloured by severity.
    Severity,
    /// Ids of fired alerts joined by `;`, highlighted when not empty.
    Alerts,
    Money,
    Quantity,
    Count,
    Percent,
    Number,
    Date,
}

/// Columns from `(name, kind)` pairs.
pub fn columns(spec: &[(&str, ColumnKind)]) -> Vec<Column> {
    spec.iter()
        .map(|(name, kind)| Column { name: name.to_string(), kind: *kind, levels: Vec::new() })
        .collect()
}

/// How a spreadsheet shows a base variable of each kind.
fn column_kind(kind: Kind) -> ColumnKind {
    match kind {
        Kind::Text => ColumnKind::Text,
        Kind::Money => ColumnKind::Money,
        Kind::Quantity => ColumnKind::Quantity,
        Kind::Count | Kind::Days | Kind::Years | Kind::Points | Kind::Flag => ColumnKind::Count,
        Kind::Ratio => ColumnKind::Percent,
        Kind::Decimal => ColumnKind::Number,
        Kind::Date => ColumnKind::Date,
    }
}

/// The metric columns of `portfolio.csv`: the catalogue's columns, in its
/// order (docs/metrics.md#the-columns-of-portfoliocsv).
pub fn metric_columns() -> Vec<Column> {
    variables::columns()
        .map(|v| Column { name: v.name.to_string(), kind: column_kind(v.kind), levels: Vec::new() })
        .collect()
}

/// A table with named, typed columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

/// The portfolio, one row per customer, in customer-id order: the metric
/// columns (docs/metrics.md#the-columns-of-portfoliocsv), then derived metrics, classifications, one column per matrix
/// (the segment), the fired alerts joined by `;`, whether the customer is a
/// key account (1 or 0) and its strategy's id.
pub fn portfolio_table(portfolio: &Portfolio) -> Table {
    let mut columns = metric_columns();
    let metric_count = columns.len();
    let rule_columns: Vec<(&str, ColumnKind)> = portfolio
        .derived
        .iter()
        .map(|d| (d.as_str(), ColumnKind::Money))
        .chain(portfolio.classifications.iter().map(|c| (c.id.as_str(), ColumnKind::Class)))
        .chain(portfolio.matrices.iter().map(|m| (m.as_str(), ColumnKind::Text)))
        .chain([
            ("alerts", ColumnKind::Alerts),
            ("key_account", ColumnKind::Count),
            ("strategy", ColumnKind::Text),
        ])
        .collect();
    columns.extend(self::columns(&rule_columns));
    let first_class = metric_count + portfolio.derived.len();
    for (column, c) in columns[first_class..].iter_mut().zip(&portfolio.classifications) {
        column.levels = c.classes.clone();
    }
    let rows = portfolio
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let subject = Subject::new(row, portfolio.period.as_of);
            // The measured value, doubtful or not: the sheet shows what the data says.
            let mut values: Vec<Value> = variables::columns()
                .map(|v| match ((v.value)(&subject), v.kind) {
                    (Fact::Number(x), Kind::Ratio) => Value::Ratio(x),
                    (fact, _) => fact_value(Some(&fact)),
                })
                .collect();
            values.extend(
                rule_columns.iter().map(|(name, _)| fact_value(portfolio.facts.get(name, r))),
            );
            values
        })
        .collect();
    Table { columns, rows }
}

/// The fired alerts, one row per customer and alert: most severe first,
/// then largest revenue, then customer id and rule order. `alert` is the
/// alert's id, `title` its title, `message` its message rendered for the customer.
pub fn alerts_table(portfolio: &Portfolio, rules: &Rules) -> Table {
    let columns = self::columns(&[
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("alert", ColumnKind::Text),
        ("title", ColumnKind::Text),
        ("severity", ColumnKind::Severity),
        ("message", ColumnKind::Text),
        ("revenue", ColumnKind::Money),
    ]);
    let mut fired = fired_alerts(portfolio, rules);
    let severity = |f: &FiredAlert| rules.alerts[f.alert].severity;
    let revenue = |f: &FiredAlert| portfolio.rows[f.row].metrics.revenue;
    fired.sort_by(|a, b| {
        severity(b)
            .cmp(&severity(a))
            .then(revenue(b).cmp(&revenue(a)))
            .then(a.row.cmp(&b.row))
            .then(a.alert.cmp(&b.alert))
    });
    let rows = fired
        .into_iter()
        .map(|f| {
            let row = &portfolio.rows[f.row];
            let alert = &rules.alerts[f.alert];
            vec![
                Value::Text(row.customer_id.clone()),
                Value::opt(row.name(), |n| Value::Text(n.to_string())),
                Value::Text(alert.id.clone()),
                Value::Text(alert.title.clone()),
                Value::Text(alert.severity.name().to_string()),
                Value::Text(f.message),
                Value::Amount(row.metrics.revenue),
            ]
        })
        .collect();
    Table { columns, rows }
}

/// A rule result as a table value.
fn fact_value(fact: Option<&Fact>) -> Value {
    match fact {
        None | Some(Fact::Null) => Value::Null,
        Some(Fact::Amount(a)) => Value::Amount(*a),
        Some(Fact::Count(n)) => Value::Count((*n).max(0) as u64),
        Some(Fact::Number(x)) => Value::Number(*x),
        Some(Fact::Date(d)) => Value::Date(*d),
        Some(Fact::Text(t)) => Value::Text(t.clone()),
        Some(Fact::List(items)) if items.is_empty() => Value::Null,
        Some(Fact::List(items)) => Value::Text(items.join(";")),
    }
}
