//! Movements since the previous window as tables for the workbook: the from
//! × to cells of every classification and matrix ("Migrations"), and one row
//! per customer and class or segment that changed ("Movements").

use super::table::{ColumnKind, Table, Value, columns};
use crate::classify::Portfolio;
use crate::migration::{Migration, movements};
use crate::model::Amount;
use crate::model::amount::SCALE;

/// A sum of amounts; beyond the exact range (never for real data) as a float.
fn money(units: i128) -> Value {
    i64::try_from(units).map_or_else(
        |_| Value::Number(units as f64 / SCALE as f64),
        |u| Value::Amount(Amount::from_units(u)),
    )
}

/// Where a customer went: for a classification, whose first class is the
/// best, `up` or `down`; for a matrix, `changed`; `same` when it stayed.
fn direction(ranked: bool, from: usize, to: usize) -> &'static str {
    match (ranked, from.cmp(&to)) {
        (_, std::cmp::Ordering::Equal) => "same",
        (false, _) => "changed",
        (true, std::cmp::Ordering::Greater) => "up",
        (true, std::cmp::Ordering::Less) => "down",
    }
}

/// One row per non-empty from × to cell of each classification and matrix,
/// in rule and label order: how many customers, with their revenue in this
/// window and in the previous one.
pub fn migrations_table(migrations: &[Migration]) -> Table {
    let columns = columns(&[
        ("classification", ColumnKind::Text),
        ("kind", ColumnKind::Text),
        ("from", ColumnKind::Text),
        ("to", ColumnKind::Text),
        ("direction", ColumnKind::Text),
        ("customers", ColumnKind::Count),
        ("revenue", ColumnKind::Money),
        ("revenue_prev", ColumnKind::Money),
    ]);
    let mut rows = Vec::new();
    for m in migrations {
        let kind = if m.ranked { "classification" } else { "matrix" };
        for (from, from_label) in m.labels.iter().enumerate() {
            for (to, to_label) in m.labels.iter().enumerate() {
                let customers = m.customers[from][to];
                if customers == 0 {
                    continue;
                }
                rows.push(vec![
                    Value::Text(m.id.clone()),
                    Value::Text(kind.into()),
                    Value::Text(from_label.clone()),
                    Value::Text(to_label.clone()),
                    Value::Text(direction(m.ranked, from, to).into()),
                    Value::Count(customers as u64),
                    money(m.revenue[from][to]),
                    money(m.revenue_before[from][to]),
                ]);
            }
        }
    }
    Table { columns, rows }
}

/// One row per customer and classification or matrix whose class or
/// segment changed since the previous window, by variable (in rule order)
/// then customer id.
pub fn movements_table(current: &Portfolio, previous: &Portfolio) -> Table {
    let columns = columns(&[
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("variable", ColumnKind::Text),
        ("from", ColumnKind::Text),
        ("to", ColumnKind::Text),
        ("direction", ColumnKind::Text),
        ("revenue", ColumnKind::Money),
        ("revenue_prev", ColumnKind::Money),
    ]);
    let per_customer: Vec<_> =
        (0..current.rows.len()).map(|row| movements(current, previous, row)).collect();
    let variables = per_customer.first().map_or(0, Vec::len);
    let mut rows = Vec::new();
    for v in 0..variables {
        for (row, moves) in per_customer.iter().enumerate() {
            let m = &moves[v];
            let (Some(from), Some(to)) = (&m.before, &m.now) else { continue };
            if from == to {
                continue;
            }
            let classes = current.classifications.iter().find(|c| c.id == m.id);
            let rank =
                |label: &str| classes.and_then(|c| c.classes.iter().position(|x| x == label));
            let direction = match (rank(from), rank(to)) {
                (Some(f), Some(t)) => direction(true, f, t),
                _ => "changed",
            };
            let r = &current.rows[row];
            rows.push(vec![
                Value::Text(r.customer_id.clone()),
                r.name().map_or(Value::Null, |n| Value::Text(n.to_string())),
                Value::Text(m.id.clone()),
                Value::Text(from.clone()),
                Value::Text(to.clone()),
                Value::Text(direction.into()),
                Value::Amount(r.metrics.revenue),
                Value::Amount(r.metrics.revenue_prev),
            ]);
        }
    }
    Table { columns, rows }
}
