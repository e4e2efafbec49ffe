//! The variables of every customer as a table: one column per variable
//! (metrics, attributes, classes, segments, …), one row per customer. Rule
//! expressions read a row through [`RowView`], a minijinja object, so no
//! per-customer map is ever built.

use crate::model::{Amount, Date};
use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// One value of one customer.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    Null,
    /// An exact amount (money, quantity).
    Amount(Amount),
    Count(i64),
    /// A fraction or other floating-point figure.
    Number(f64),
    Text(String),
    Date(Date),
    /// A list of texts, such as the ids of fired alerts.
    List(Vec<String>),
}

impl Fact {
    pub fn is_null(&self) -> bool {
        matches!(self, Fact::Null)
    }

    /// The value as a number, for comparisons that need not be exact.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Fact::Amount(a) => Some(a.to_f64()),
            Fact::Count(n) => Some(*n as f64),
            Fact::Number(x) => Some(*x),
            _ => None,
        }
    }

    /// The value as the text a category axis or a rule test compares.
    pub fn as_text(&self) -> Option<String> {
        self.text().map(std::borrow::Cow::into_owned)
    }

    /// `as_text`, borrowed when the value is a text.
    pub fn text(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow::{Borrowed, Owned};
        match self {
            Fact::Null => None,
            Fact::Text(t) => Some(Borrowed(t.as_str())),
            Fact::Amount(a) => Some(Owned(a.to_string())),
            Fact::Count(n) => Some(Owned(n.to_string())),
            Fact::Number(x) => Some(Owned(crate::locale::format::plain(*x))),
            Fact::Date(d) => Some(Owned(d.to_string())),
            Fact::List(items) => Some(Owned(items.join(";"))),
        }
    }

    /// The value for rule expressions: numbers as numbers, dates as ISO text.
    pub fn to_value(&self) -> Value {
        match self {
            Fact::Null => Value::from(()),
            Fact::Amount(a) => Value::from(a.to_f64()),
            Fact::Count(n) => Value::from(*n),
            Fact::Number(x) => Value::from(*x),
            Fact::Text(t) => Value::from(t.as_str()),
            Fact::Date(d) => Value::from(d.to_string()),
            Fact::List(items) => Value::from(items.clone()),
        }
    }

    /// A fact from an expression's result: numbers become exact amounts at four decimals.
    pub fn from_value(value: &Value) -> Fact {
        if value.is_none() || value.is_undefined() {
            return Fact::Null;
        }
        // Beyond the exact range a result is no value, as for a float below.
        if let Some(n) = value.as_i64() {
            return Amount::checked_from_int(n).map_or(Fact::Null, Fact::Amount);
        }
        if let Ok(x) = f64::try_from(value.clone()) {
            return Amount::from_f64_rounded(x).map_or(Fact::Null, Fact::Amount);
        }
        value.as_str().map_or_else(|| Fact::Text(value.to_string()), |s| Fact::Text(s.to_string()))
    }
}

/// The variables of all customers, column by column.
#[derive(Debug, Default)]
pub struct FactTable {
    index: FxHashMap<String, usize>,
    names: Vec<String>,
    columns: Vec<Vec<Fact>>,
    rows: usize,
}

impl FactTable {
    pub fn new(rows: usize) -> FactTable {
        FactTable { rows, ..FactTable::default() }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds (or replaces) a column.
    pub fn set(&mut self, name: &str, column: Vec<Fact>) {
        debug_assert_eq!(column.len(), self.rows);
        match self.index.get(name) {
            Some(&i) => self.columns[i] = column,
            None => {
                self.index.insert(name.to_string(), self.columns.len());
                self.names.push(name.to_string());
                self.columns.push(column);
            }
        }
    }

    pub fn column(&self, name: &str) -> Option<&[Fact]> {
        self.index.get(name).map(|&i| self.columns[i].as_slice())
    }

    pub fn get(&self, name: &str, row: usize) -> Option<&Fact> {
        self.column(name).map(|c| &c[row])
    }

    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// Variable names in the order they were added.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// One customer's row, as rule expressions see it.
#[derive(Debug)]
pub struct RowView {
    pub table: Arc<FactTable>,
    pub row: usize,
}

impl RowView {
    pub fn value(table: &Arc<FactTable>, row: usize) -> Value {
        Value::from_object(RowView { table: Arc::clone(table), row })
    }
}

impl Object for RowView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        self.table.get(name, self.row).map(Fact::to_value)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.table.names().iter().map(|n| Value::from(n.as_str())).collect())
    }
}
