//! How customers moved between the previous window and this one: for each
//! classification and each matrix, a from × to table of customers and
//! revenue, and, for classifications, who moved up and who moved down.
//! Pure: two classified portfolios in, tables out.

use crate::classify::Portfolio;

/// The movements of one classification or matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Migration {
    /// The classification's or matrix's id.
    pub id: String,
    /// Whether the labels are ranked (a classification: the first class is
    /// the best) or not (a matrix's segments).
    pub ranked: bool,
    /// Class or segment labels, in rule order; the same for both windows.
    pub labels: Vec<String>,
    /// Customers, `[from][to]`, among those present in both portfolios.
    pub customers: Vec<Vec<usize>>,
    /// This window's revenue of those customers, in units of 1/10,000, `[from][to]`.
    pub revenue: Vec<Vec<i128>>,
    /// Their revenue in the previous portfolio (the window before), likewise.
    pub revenue_before: Vec<Vec<i128>>,
    /// Rows (of the current portfolio) of customers in a better class than
    /// before, and in a worse one; empty for matrices.
    pub up: Vec<usize>,
    pub down: Vec<usize>,
}

impl Migration {
    /// Customers that kept their class or segment.
    pub fn stayed(&self) -> usize {
        (0..self.labels.len()).map(|i| self.customers[i][i]).sum()
    }
}

/// The movements of every classification and matrix of `current`, against
/// the same rules applied to the previous window (`previous`). A customer
/// counts when it is in both portfolios (the master's customers always are).
pub fn migrations(current: &Portfolio, previous: &Portfolio) -> Vec<Migration> {
    let mut out = Vec::new();
    for c in &current.classifications {
        out.push(migration_of(current, previous, &c.id, &c.classes, true));
    }
    for id in &current.matrices {
        let labels = segment_labels(current, previous, id);
        out.push(migration_of(current, previous, id, &labels, false));
    }
    out
}

/// The segments a matrix's customers fall in, in either window, sorted.
pub fn segment_labels(current: &Portfolio, previous: &Portfolio, id: &str) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for p in [current, previous] {
        for row in 0..p.rows.len() {
            if let Some(segment) = p.text(id, row)
                && !labels.contains(&segment)
            {
                labels.push(segment);
            }
        }
    }
    labels.sort();
    labels
}

/// The movements of the classification or matrix `id` over `labels` (in
/// rank order when `ranked`). Customers whose label in either portfolio is
/// not among `labels` are left out.
pub fn migration_of(
    current: &Portfolio,
    previous: &Portfolio,
    id: &str,
    labels: &[String],
    ranked: bool,
) -> Migration {
    let n = labels.len();
    let mut m = Migration {
        id: id.to_string(),
        ranked,
        labels: labels.to_vec(),
        customers: vec![vec![0; n]; n],
        revenue: vec![vec![0; n]; n],
        revenue_before: vec![vec![0; n]; n],
        up: Vec::new(),
        down: Vec::new(),
    };
    let index = |label: Option<String>| label.and_then(|l| labels.iter().position(|x| *x == l));
    for (row, r) in current.rows.iter().enumerate() {
        let Some(before) = previous.row_of(&r.customer_id) else { continue };
        let (Some(from), Some(to)) =
            (index(previous.text(id, before)), index(current.text(id, row)))
        else {
            continue;
        };
        m.customers[from][to] += 1;
        m.revenue[from][to] += i128::from(r.metrics.revenue.units());
        m.revenue_before[from][to] += i128::from(previous.rows[before].metrics.revenue.units());
        if ranked && to < from {
            m.up.push(row);
        } else if ranked && to > from {
            m.down.push(row);
        }
    }
    m
}

/// A customer's class or segment in the previous window and now.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Movement {
    pub id: String,
    pub before: Option<String>,
    pub now: Option<String>,
}

/// The movements of one customer, in the order of `migrations`.
pub fn movements(current: &Portfolio, previous: &Portfolio, row: usize) -> Vec<Movement> {
    let before = previous.row_of(&current.rows[row].customer_id);
    current
        .classifications
        .iter()
        .map(|c| c.id.as_str())
        .chain(current.matrices.iter().map(String::as_str))
        .map(|id| Movement {
            id: id.to_string(),
            before: before.and_then(|b| previous.text(id, b)),
            now: current.text(id, row),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::classify;
    use crate::config::rules::{RulesSource, parse_rules};
    use crate::ledger::{ColumnsSeen, Ledger};
    use crate::metrics::Period;
    use crate::model::records::Master;
    use crate::model::records::SalesLine;
    use crate::model::{Amount, Date};
    use std::borrow::Cow;

    const RULES: &str = r#"
[classification.abc]
kind = "abc"
metric = "revenue"
method = "cumulative-share"
classes = ["A", "B", "C"]
bounds = [0.80, 0.95, 1.00]
"#;

    /// Worked by hand. 2024: P 100, Q 10, R 1 (total 111): P holds 90% → A;
    /// before Q 90%, below 95% → B; before R 99% → C. 2025 reverses P and R:
    /// R A, Q B, P C. So R moved up (C → A), P down (A → C), Q stayed.
    #[test]
    fn a_reversed_ranking_moves_one_customer_up_and_one_down() {
        let mut ledger = Ledger::default();
        let line = |date: &str, customer: &'static str, revenue: i64| SalesLine {
            date: Date::parse_iso(date).unwrap(),
            customer_id: Cow::Borrowed(customer),
            revenue: Amount::from_int(revenue),
            invoice_id: None,
            product_id: None,
            product_category: None,
            quantity: None,
            cost: None,
        };
        for (customer, before, now) in [("P", 100, 1), ("Q", 10, 10), ("R", 1, 100)] {
            ledger.add(&line("2024-03-10", customer, before), ColumnsSeen::default());
            ledger.add(&line("2025-03-10", customer, now), ColumnsSeen::default());
        }
        let rules = parse_rules(
            &[("abc.toml".into(), RULES.into())],
            RulesSource::Defaults,
            crate::locale::Locale::En,
        )
        .unwrap();
        let period = Period::resolve(Date::parse_iso("2025-12-31"), 12, None).unwrap();
        let master = Master::default();
        let current = classify(&ledger, &master, &rules, period).unwrap();
        let previous = classify(&ledger, &master, &rules, period.preceding()).unwrap();
        assert_eq!(period.preceding().as_of, Date::parse_iso("2024-12-31").unwrap());

        let abc = &migrations(&current, &previous)[0];
        assert_eq!(abc.labels, ["A", "B", "C"]);
        // Rows: before; columns: now.
        assert_eq!(abc.customers, vec![vec![0, 0, 1], vec![0, 1, 0], vec![1, 0, 0]]);
        assert_eq!(abc.revenue[2][0], i128::from(Amount::from_int(100).units()), "R's revenue now");
        assert_eq!(abc.revenue_before[2][0], i128::from(Amount::from_int(1).units()), "R's before");
        let id = |rows: &[usize]| {
            rows.iter().map(|&r| current.rows[r].customer_id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(id(&abc.up), ["R"]);
        assert_eq!(id(&abc.down), ["P"]);
        assert_eq!(abc.stayed(), 1);

        let p = current.row_of("P").unwrap();
        let moves = movements(&current, &previous, p);
        assert_eq!(
            moves[0],
            Movement { id: "abc".into(), before: Some("A".into()), now: Some("C".into()) }
        );
    }
}
