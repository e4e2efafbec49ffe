//! The portfolio-wide analyses as tables for the workbook: cross-sell gaps,
//! lost customers, partial churn, the resource balance and the accounts it
//! flags. Every table keeps its header when it has no rows, so the sheets of
//! a build do not depend on the data.

use super::table::{ColumnKind, Table, Value, columns};
use crate::analysis::Intelligence;
use crate::analysis::resources::Flagged;
use crate::classify::Portfolio;
use crate::model::Amount;

/// Money the analyses sum as floats, back to the exact decimal they stand for.
fn money(x: f64) -> Value {
    Amount::from_f64_rounded(x).map_or(Value::Number(x), Value::Amount)
}

fn text(t: Option<&str>) -> Value {
    t.map_or(Value::Null, |t| Value::Text(t.to_string()))
}

fn count(n: Option<i64>) -> Value {
    n.map_or(Value::Null, |n| Value::Count(n.max(0) as u64))
}

/// One row per customer and gap, by customer id then largest potential: the
/// peer group is the customer's value of the variable that makes peers.
pub fn cross_sell_table(intelligence: &Intelligence, portfolio: &Portfolio) -> Table {
    let cross_sell = &intelligence.cross_sell;
    let columns = columns(&[
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("peer_group", ColumnKind::Text),
        ("category", ColumnKind::Text),
        ("peers_buying", ColumnKind::Count),
        ("peers", ColumnKind::Count),
        ("peer_share", ColumnKind::Percent),
        ("potential", ColumnKind::Money),
    ]);
    let mut rows = Vec::new();
    for (row, r) in portfolio.rows.iter().enumerate() {
        let group = cross_sell.peers.as_ref().and_then(|p| portfolio.text(p, row));
        for gap in cross_sell.gaps(row) {
            rows.push(vec![
                Value::Text(r.customer_id.clone()),
                text(r.name()),
                text(group.as_deref()),
                Value::Text(gap.category.clone()),
                Value::Count(gap.buyers as u64),
                Value::Count(gap.peers as u64),
                Value::Ratio(gap.share),
                money(gap.potential),
            ]);
        }
    }
    Table { columns, rows }
}

/// The win-back list: one row per lost customer, largest loss first.
pub fn lost_table(intelligence: &Intelligence) -> Table {
    let columns = columns(&[
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("last_purchase", ColumnKind::Date),
        ("days_since_last", ColumnKind::Count),
        ("revenue_lost", ColumnKind::Money),
        ("reason", ColumnKind::Text),
        ("segment_before", ColumnKind::Text),
        ("suggested_action", ColumnKind::Text),
    ]);
    let rows = intelligence
        .lost
        .lost
        .iter()
        .map(|l| {
            vec![
                Value::Text(l.customer_id.clone()),
                text(l.name.as_deref()),
                Value::Date(l.last_purchase),
                count(Some(l.days_since_last)),
                money(l.revenue_lost),
                text(l.reason.as_deref()),
                text(l.segment_before.as_deref()),
                text(l.treatment.as_deref()),
            ]
        })
        .collect();
    Table { columns, rows }
}

/// Customers still buying but less, largest previous revenue first.
pub fn churn_table(intelligence: &Intelligence) -> Table {
    let columns = columns(&[
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("revenue", ColumnKind::Money),
        ("revenue_prev", ColumnKind::Money),
        ("categories", ColumnKind::Count),
        ("categories_prev", ColumnKind::Count),
    ]);
    let rows = intelligence
        .lost
        .churning
        .iter()
        .map(|c| {
            vec![
                Value::Text(c.customer_id.clone()),
                text(c.name.as_deref()),
                money(c.revenue),
                money(c.revenue_prev),
                count(c.categories),
                count(c.categories_prev),
            ]
        })
        .collect();
    Table { columns, rows }
}

/// One row per breakdown (in rule order) and group (in value order), over
/// the customers with both a margin and a cost to serve.
pub fn balance_table(intelligence: &Intelligence) -> Table {
    let columns = columns(&[
        ("by", ColumnKind::Text),
        ("group", ColumnKind::Text),
        ("customers", ColumnKind::Count),
        ("revenue", ColumnKind::Money),
        ("margin", ColumnKind::Money),
        ("cost_to_serve", ColumnKind::Money),
        ("net_contribution", ColumnKind::Money),
        ("share_of_margin", ColumnKind::Percent),
        ("share_of_cost_to_serve", ColumnKind::Percent),
    ]);
    let ratio = |x: Option<f64>| x.map_or(Value::Null, Value::Ratio);
    let mut rows = Vec::new();
    for breakdown in &intelligence.resources.breakdowns {
        for b in &breakdown.rows {
            rows.push(vec![
                Value::Text(breakdown.by.clone()),
                Value::Text(b.group.clone()),
                Value::Count(b.customers as u64),
                money(b.revenue),
                money(b.margin),
                money(b.cost_to_serve),
                money(b.net_contribution),
                ratio(b.margin_share),
                ratio(b.cost_share),
            ]);
        }
    }
    Table { columns, rows }
}

/// The over-invested accounts, then the under-served ones, each largest
/// revenue first.
pub fn flagged_table(intelligence: &Intelligence) -> Table {
    let columns = columns(&[
        ("flag", ColumnKind::Text),
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("revenue", ColumnKind::Money),
        ("margin", ColumnKind::Money),
        ("cost_to_serve", ColumnKind::Money),
        ("net_contribution", ColumnKind::Money),
        ("share_of_wallet", ColumnKind::Percent),
    ]);
    let balance = &intelligence.resources;
    let flagged = |flag: &str, f: &Flagged| {
        let optional = |x: Option<f64>| x.map_or(Value::Null, money);
        vec![
            Value::Text(flag.to_string()),
            Value::Text(f.customer_id.clone()),
            text(f.name.as_deref()),
            money(f.revenue),
            optional(f.margin),
            optional(f.cost_to_serve),
            optional(f.net_contribution),
            f.share_of_wallet.map_or(Value::Null, Value::Ratio),
        ]
    };
    let rows = (balance.over_invested.iter().map(|f| flagged("over-invested", f)))
        .chain(balance.under_served.iter().map(|f| flagged("under-served", f)))
        .collect();
    Table { columns, rows }
}

/// The analysis sheets of the workbook, by name, in the order they are shown.
pub fn analysis_sheets(
    intelligence: &Intelligence,
    portfolio: &Portfolio,
) -> Vec<(&'static str, Table)> {
    vec![
        ("Cross-sell gaps", cross_sell_table(intelligence, portfolio)),
        ("Lost customers", lost_table(intelligence)),
        ("Partial churn", churn_table(intelligence)),
        ("Resource balance", balance_table(intelligence)),
        ("Flagged accounts", flagged_table(intelligence)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;

    #[test]
    fn each_analysis_line_is_a_row() {
        let (portfolio, rules) = fixture();
        let intelligence = Intelligence::new(&portfolio, None, &rules, &Default::default());
        let gaps = cross_sell_table(&intelligence, &portfolio);
        // S4 alone misses Paint, which its three Retail peers buy (median 200).
        assert_eq!(
            gaps.rows,
            [vec![
                Value::Text("S4".into()),
                Value::Null,
                Value::Text("Retail".into()),
                Value::Text("Paint".into()),
                Value::Count(3),
                Value::Count(3),
                Value::Ratio(1.0),
                Value::Amount(Amount::from_int(200)),
            ]]
        );
        let flagged = flagged_table(&intelligence);
        assert_eq!(flagged.rows.len(), 1);
        assert_eq!(
            flagged.rows[0][..2],
            [Value::Text("over-invested".into()), Value::Text("Big".into())]
        );
        assert_eq!(flagged.rows[0][6], Value::Amount(Amount::from_int(2_000)));
        let lost = lost_table(&intelligence);
        let l1 = lost.rows.iter().find(|r| r[0] == Value::Text("L1".into())).unwrap();
        assert_eq!(l1[4], Value::Amount(Amount::from_int(30)));
        // No partial-churn alert in these rules: the table is its header.
        let churn = churn_table(&intelligence);
        assert!(churn.rows.is_empty() && churn.columns.len() == 6);
        for (_, table) in analysis_sheets(&intelligence, &portfolio) {
            assert!(table.rows.iter().all(|r| r.len() == table.columns.len()));
        }
    }
}
