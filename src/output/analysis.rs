//! The portfolio-wide analyses as tables for the workbook: cross-sell gaps,
//! lost customers, partial churn, the resource balance and the accounts it
//! flags. Every table keeps its header when it has no rows, so the sheets of
//! a build do not depend on the data.

use super::table::{ColumnKind, Table, Value, columns};
use crate::analysis::Intelligence;
use crate::analysis::quality::DataQuality;
use crate::analysis::resources::Flagged;
use crate::classify::Portfolio;
use crate::locale::{Locale, format};
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
        ("p_alive", ColumnKind::Percent),
        ("recoverable", ColumnKind::Money),
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
                l.p_alive.map_or(Value::Null, Value::Ratio),
                l.recoverable.map_or(Value::Null, money),
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

/// The data-quality findings, one row per finding: the doubtful values by
/// customer, the sales files read twice, then the customers in the sales but
/// not in the master and those of the master without sales. `value` and
/// `reason` read as in the documents (in English), money in `currency`.
pub fn quality_table(q: &DataQuality, currency: &str) -> Table {
    let columns = columns(&[
        ("customer_id", ColumnKind::Text),
        ("name", ColumnKind::Text),
        ("flag", ColumnKind::Text),
        ("value", ColumnKind::Text),
        ("reason", ColumnKind::Text),
    ]);
    let l = Locale::En;
    let money = |x: f64| Value::Text(format::money_with_currency(l, x, 2, currency));
    let flag = |id: &str| Value::Text(id.to_string());
    let mut rows: Vec<Vec<Value>> = q
        .flags
        .iter()
        .map(|f| {
            vec![
                Value::Text(f.customer_id.clone()),
                text(f.name.as_deref()),
                flag(f.kind.id()),
                Value::Text(f.value_text(l, currency)),
                Value::Text(f.reason(l, currency)),
            ]
        })
        .collect();
    for copy in &q.copies {
        let files: Vec<String> = copy.files.iter().map(|f| f.display().to_string()).collect();
        let revenue = copy.revenue as f64 / crate::model::amount::SCALE as f64;
        rows.push(vec![
            Value::Null,
            Value::Null,
            flag("file_read_twice"),
            money(revenue),
            Value::Text(format!(
                "same content: {}; each extra copy counts its {} lines and this revenue again",
                files.join(", "),
                copy.lines
            )),
        ]);
    }
    for (files, invoices) in &q.shared_invoices {
        let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        rows.push(vec![
            Value::Null,
            Value::Null,
            flag("invoices_in_two_files"),
            Value::Null,
            Value::Text(format!(
                "same invoices of the same customers in {} (about {invoices}): if one export repeats part of the other, its sales count twice",
                files.join(", ")
            )),
        ]);
    }
    for (id, revenue) in &q.sources.not_in_master {
        rows.push(vec![
            Value::Text(id.clone()),
            Value::Null,
            flag("not_in_master"),
            money(*revenue),
            Value::Text(
                "sales without a record in the customers master: no name, potential or survey scores"
                    .into(),
            ),
        ]);
    }
    for (id, name) in &q.sources.not_in_sales {
        rows.push(vec![
            Value::Text(id.clone()),
            text(name.as_deref()),
            flag("no_sales"),
            Value::Null,
            Value::Text("in the customers master without a sales line up to as_of".into()),
        ]);
    }
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

    #[test]
    fn each_quality_finding_is_a_row() {
        use crate::analysis::quality::{CopiedFiles, Flag, FlagKind, SourceMatch};
        let q = DataQuality {
            flags: vec![Flag {
                customer_id: "C1".into(),
                name: Some("Rossi".into()),
                kind: FlagKind::ShareOfWalletAbove100,
                value: 1.339,
                revenue: 1_339.0,
                potential: Some(1_000.0),
            }],
            copies: vec![CopiedFiles {
                files: vec!["sales/jan.csv".into(), "sales/jan (1).csv".into()],
                lines: 12,
                revenue: 5_000 * 10_000,
            }],
            sources: SourceMatch {
                master_given: true,
                not_in_master: vec![("X9".into(), 250.0)],
                not_in_master_revenue: 250.0,
                not_in_sales: vec![("P1".into(), None)],
            },
            ..Default::default()
        };
        let table = quality_table(&q, "EUR");
        let text = |v: &Value| v.plain();
        let rows: Vec<Vec<String>> =
            table.rows.iter().map(|r| r.iter().map(text).collect()).collect();
        assert_eq!(
            rows[0],
            [
                "C1",
                "Rossi",
                "share_of_wallet_above_100",
                "133.9%",
                "revenue €1,339 is above the potential estimate €1,000: update the estimate"
            ]
        );
        assert_eq!(rows[1][2..4], ["file_read_twice", "€5,000.00"]);
        assert!(rows[1][4].contains("sales/jan.csv, sales/jan (1).csv"), "{}", rows[1][4]);
        assert_eq!(rows[2][..4], ["X9", "", "not_in_master", "€250.00"]);
        assert_eq!(rows[3][..3], ["P1", "", "no_sales"]);
        // Nothing found: the sheet keeps its header.
        let empty = quality_table(&DataQuality::default(), "EUR");
        assert!(empty.rows.is_empty() && empty.columns.len() == 5);
    }
}
