//! Movements since the previous window, as the documents show them: a from
//! × to table per classification and matrix in the portfolio report, and
//! the account's own moves, with the reasons then and now, in its plan.

use super::charts::short_title;
use crate::classify::Portfolio;
use crate::config::rules::Rules;
use crate::explain::{Explanation, explain};
use crate::migration::{Migration, movements};
use serde::Serialize;

/// Accounts named among those that moved up or down.
const NAMED: usize = 8;

/// One classification's or matrix's movements.
#[derive(Debug, Serialize)]
pub struct MigrationTable {
    pub id: String,
    pub title: String,
    /// Whether the classes are ranked (then `up` and `down` are filled).
    pub ranked: bool,
    /// Labels of the rows (before) and columns (now).
    pub labels: Vec<String>,
    pub rows: Vec<MigrationRow>,
    /// Customers in both windows, and those that kept their class or segment.
    pub customers: usize,
    pub stayed: usize,
    /// Whether every customer kept its class or segment (data that did not
    /// change, such as survey scores): the report names it instead of a table.
    pub all_stayed: bool,
    /// The largest accounts by revenue that moved to a better or worse class.
    pub up: Vec<String>,
    pub up_count: usize,
    pub down: Vec<String>,
    pub down_count: usize,
}

#[derive(Debug, Serialize)]
pub struct MigrationRow {
    pub label: String,
    pub cells: Vec<MigrationCell>,
}

#[derive(Debug, Serialize)]
pub struct MigrationCell {
    pub customers: usize,
    /// This window's revenue of those customers.
    pub revenue: f64,
}

/// The tables of every classification and matrix, in rule order.
pub fn migration_tables(
    current: &Portfolio,
    migrations: &[Migration],
    rules: &Rules,
) -> Vec<MigrationTable> {
    let titles = super::classification_titles(rules);
    let title_of = |id: &str| {
        titles
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.title.clone())
            .or_else(|| rules.matrices.iter().find(|m| m.id == id).map(|m| m.title.clone()))
            .unwrap_or_else(|| id.to_string())
    };
    let label_of = |label: &str, ranked: bool| {
        if ranked {
            label.to_string()
        } else {
            // Short titles: a segment table has up to one column per segment.
            rules.segment(label).map_or_else(|| label.to_string(), |s| short_title(&s.title))
        }
    };
    let named = |rows: &[usize]| -> Vec<String> {
        let mut sorted = rows.to_vec();
        let revenue = |r: usize| current.rows[r].metrics.revenue;
        sorted.sort_by(|&a, &b| revenue(b).cmp(&revenue(a)).then(a.cmp(&b)));
        sorted.iter().take(NAMED).map(|&r| current.rows[r].display_name().to_string()).collect()
    };
    migrations
        .iter()
        .map(|m| MigrationTable {
            id: m.id.clone(),
            title: title_of(&m.id),
            ranked: m.ranked,
            labels: m.labels.iter().map(|l| label_of(l, m.ranked)).collect(),
            rows: m
                .labels
                .iter()
                .enumerate()
                .map(|(from, label)| MigrationRow {
                    label: label_of(label, m.ranked),
                    cells: (0..m.labels.len())
                        .map(|to| MigrationCell {
                            customers: m.customers[from][to],
                            revenue: m.revenue[from][to] as f64
                                / crate::model::amount::SCALE as f64,
                        })
                        .collect(),
                })
                .collect(),
            customers: m.customers.iter().flatten().sum(),
            stayed: m.stayed(),
            all_stayed: m.stayed() == m.customers.iter().flatten().sum::<usize>(),
            up: named(&m.up),
            up_count: m.up.len(),
            down: named(&m.down),
            down_count: m.down.len(),
        })
        .collect()
}

/// One of the account's classes or segments, before and now.
#[derive(Debug, Serialize)]
pub struct AccountMove {
    pub title: String,
    pub before: Option<String>,
    pub now: Option<String>,
    pub changed: bool,
    /// For a classification: the reason for the class in each window.
    pub reason_before: Option<String>,
    pub reason_now: Option<String>,
}

/// The account's classes and segments in the previous window and now.
/// `now` is the account's explanation in the current window, which the plan
/// has worked out already.
pub fn account_moves(
    current: &Portfolio,
    previous: &Portfolio,
    rules: &Rules,
    row: usize,
    now: &Explanation,
) -> Vec<AccountMove> {
    let now = Some(now);
    let before = explain(previous, rules, &current.rows[row].customer_id);
    let before = before.as_ref();
    let titles = super::classification_titles(rules);
    let reason = |e: Option<&Explanation>, class: &str| {
        e?.classifications.iter().find(|s| s.id == class).map(|s| s.reason.clone())
    };
    // The reasons in words, as the plan's classification table gives them
    // (`the monthly revenue varies by 17%…`), rather than the rule's figures.
    let plain = |portfolio: &Portfolio, class: &str| {
        let classification = rules.classifications.iter().find(|c| c.id == class)?;
        let row = portfolio.row_of(&current.rows[row].customer_id)?;
        Some(super::humanize(&crate::explain::plain_class_reason(
            portfolio,
            classification,
            row,
            rules.locale,
            &rules.currency,
        )))
    };
    let segment_title =
        |s: &str| rules.segment(s).map_or_else(|| s.to_string(), |seg| seg.title.clone());
    movements(current, previous, row)
        .into_iter()
        .map(|m| {
            let classification = titles.iter().find(|t| t.id == m.id);
            let (title, before_label, now_label) = match classification {
                Some(t) => (t.title.clone(), m.before.clone(), m.now.clone()),
                None => (
                    rules
                        .matrices
                        .iter()
                        .find(|x| x.id == m.id)
                        .map_or(m.id.clone(), |x| x.title.clone()),
                    m.before.as_deref().map(segment_title),
                    m.now.as_deref().map(segment_title),
                ),
            };
            AccountMove {
                title,
                changed: m.before != m.now,
                reason_before: classification
                    .and_then(|_| before.and(plain(previous, &m.id)))
                    .or_else(|| classification.and_then(|_| reason(before, &m.id))),
                reason_now: classification
                    .and_then(|_| plain(current, &m.id))
                    .or_else(|| classification.and_then(|_| reason(now, &m.id))),
                before: before_label,
                now: now_label,
            }
        })
        .collect()
}
