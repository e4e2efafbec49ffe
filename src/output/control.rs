//! The workbook's "Control" sheet: one row per objective of the last plan,
//! with its target, the result now and how it came out.

use super::table::{ColumnKind, Table, Value, columns};
use crate::control::Control;

pub fn control_table(control: &Control) -> Table {
    let columns = columns(&[
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("strategy_then", ColumnKind::Text),
        ("strategy_now", ColumnKind::Text),
        ("kpi", ColumnKind::Text),
        ("comparison", ColumnKind::Text),
        ("target", ColumnKind::Number),
        ("value_then", ColumnKind::Number),
        ("actual", ColumnKind::Number),
        ("owner", ColumnKind::Text),
        ("due", ColumnKind::Date),
        ("status", ColumnKind::Text),
    ]);
    let number = |x: Option<f64>| x.map_or(Value::Null, Value::Number);
    let rows = control
        .objectives
        .iter()
        .map(|j| {
            vec![
                Value::Text(j.customer_id.clone()),
                Value::Text(j.name.clone()),
                Value::Text(j.strategy_then.clone()),
                j.strategy_now.clone().map_or(Value::Null, Value::Text),
                Value::Text(j.kpi.metric.clone()),
                Value::Text(j.kpi.comparison.name().into()),
                number(j.kpi.target),
                number(j.kpi.value),
                number(j.actual),
                Value::Text(j.kpi.owner.clone()),
                Value::Date(j.kpi.due),
                Value::Text(j.status.name().into()),
            ]
        })
        .collect();
    Table { columns, rows }
}
