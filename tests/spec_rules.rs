//! The metric rules of docs/metrics.md, checked on small hand-made projects whose right
//! answers can be worked out by hand.

mod common;

use common::*;
use std::collections::BTreeMap;

/// Classifies a project of one sales file (and optional master); returns rows by customer id, as column → value.
fn classify(
    sales: &str,
    master: Option<&str>,
    extra: &str,
    args: &[&str],
) -> BTreeMap<String, BTreeMap<String, String>> {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(
        dir,
        "sales.csv",
        sales.as_bytes(),
        master.map(|m| ("customers.csv", m.as_bytes())),
        extra,
    );
    let mut all = vec!["classify", dir.to_str().unwrap(), "--quiet"];
    all.extend_from_slice(args);
    kamplan_ok(&all);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    rows.into_iter().map(|r| (r[0].clone(), header.iter().cloned().zip(r).collect())).collect()
}

fn get<'a>(
    rows: &'a BTreeMap<String, BTreeMap<String, String>>,
    id: &str,
    column: &str,
) -> &'a str {
    rows[id].get(column).unwrap_or_else(|| panic!("no column {column}"))
}

#[test]
fn columns_follow_the_spec_order() {
    let tmp = tempfile::tempdir().unwrap();
    write_project(tmp.path(), "s.csv", b"date,customer_id,revenue\n2025-01-05,C1,10\n", None, "");
    kamplan_ok(&["classify", tmp.path().to_str().unwrap(), "--quiet"]);
    let (header, _) = csv_records(&tmp.path().join("out/portfolio.csv"));
    // The metric columns, the default rules' derived metrics, classifications (abc
    // and xyz first), one column per matrix, then alerts, key account, strategy.
    assert_eq!(
        header.join(","),
        "customer_id,name,revenue,cost,margin,margin_pct,quantity,orders,products,revenue_prev,growth,\
         last_purchase,days_since_last,share_of_wallet,active_months,cv,p_alive,expected_purchases_12m,\
         expected_revenue_12m,clv,price_effect,volume_effect,mix_effect,new_products_effect,\
         dropped_products_effect,net_contribution,net_contribution_pct,\
         potential_margin,abc,xyz,abc_margin,abc_xyz,revenue_potential,clusters,development_penetration,\
         revenue_quality,importance_attractiveness,kam,loyalty_satisfaction,profitability_relationship,\
         contribution,attractiveness_adaptability,profitability,alerts,key_account,strategy"
    );
}

#[test]
fn credit_notes_count_with_their_sign() {
    let sales = "date,invoice_id,customer_id,product_id,quantity,revenue,cost\n\
        2025-01-10,I1,C1,P1,2,100.00,60.00\n\
        2025-01-20,I2,C1,P2,-2,-100.00,-60.00\n\
        2025-02-05,I3,C1,P1,1,50.00,30.00\n";
    let rows = classify(sales, None, "", &[]);
    // January is fully reversed: not active. The credit note is an order and a product.
    assert_eq!(get(&rows, "C1", "revenue"), "50.00");
    assert_eq!(get(&rows, "C1", "margin"), "20.00");
    assert_eq!(get(&rows, "C1", "margin_pct"), "0.4");
    assert_eq!(get(&rows, "C1", "quantity"), "1.00");
    assert_eq!(get(&rows, "C1", "orders"), "3");
    assert_eq!(get(&rows, "C1", "products"), "2");
    assert_eq!(get(&rows, "C1", "active_months"), "1");
    assert_eq!(get(&rows, "C1", "last_purchase"), "2025-02-05");
    assert_eq!(get(&rows, "C1", "days_since_last"), "23");
}

#[test]
fn a_credit_note_is_the_last_purchase_when_it_is_the_latest_line() {
    let sales = "date,customer_id,revenue\n2025-01-10,C1,100\n2025-01-25,C1,-10\n";
    let rows = classify(sales, None, "", &[]);
    assert_eq!(get(&rows, "C1", "last_purchase"), "2025-01-25");
}

#[test]
fn missing_optional_columns_give_null_metrics() {
    let sales = "date,customer_id,revenue\n2025-03-01,C1,10\n2025-03-01,C1,5\n2025-03-02,C1,5\n";
    let rows = classify(sales, None, "", &[]);
    for column in
        ["cost", "margin", "margin_pct", "quantity", "products", "growth", "share_of_wallet"]
    {
        assert_eq!(get(&rows, "C1", column), "", "{column}");
    }
    // Without invoice ids, orders are distinct dates.
    assert_eq!(get(&rows, "C1", "orders"), "2");
}

#[test]
fn customers_without_sales_in_the_window_stay_with_zero_revenue() {
    let sales = "date,customer_id,revenue\n2023-05-10,OLD,400\n2025-06-10,NEW,100\n";
    let master =
        "customer_id,name,potential\nOLD,Old One,1000\nNEW,New One,0\nNONE,Never Bought,500\n";
    let rows = classify(sales, Some(master), "", &[]);
    assert_eq!(rows.keys().collect::<Vec<_>>(), ["NEW", "NONE", "OLD"]);
    let old = &rows["OLD"];
    assert_eq!(
        (old["revenue"].as_str(), old["orders"].as_str(), old["active_months"].as_str()),
        ("0.00", "0", "0")
    );
    assert_eq!((old["cv"].as_str(), old["abc"].as_str(), old["xyz"].as_str()), ("", "C", "Z"));
    assert_eq!(
        (old["last_purchase"].as_str(), old["days_since_last"].as_str()),
        ("2023-05-10", "782")
    );
    assert_eq!(old["share_of_wallet"], "0");
    // Potential 0 gives no share of wallet; a customer who never bought has no last purchase.
    assert_eq!(get(&rows, "NEW", "share_of_wallet"), "");
    assert_eq!(get(&rows, "NEW", "abc"), "A");
    assert_eq!(
        (get(&rows, "NONE", "last_purchase"), get(&rows, "NONE", "days_since_last")),
        ("", "")
    );
    assert_eq!(get(&rows, "NONE", "name"), "Never Bought");
}

#[test]
fn a_mid_month_as_of_cuts_the_window_and_ignores_later_lines() {
    let sales = "date,customer_id,revenue\n\
        2024-03-31,C1,1000\n\
        2024-04-01,C1,10\n\
        2025-03-15,C1,20\n\
        2025-03-16,C1,40\n\
        2025-03-16,C2,40\n";
    let rows = classify(sales, None, "[project]\nas_of = \"2025-03-15\"", &[]);
    // Window 2024-04-01 … 2025-03-15; March 2024 is the previous window; C2 bought only after as_of.
    assert_eq!(rows.keys().collect::<Vec<_>>(), ["C1"]);
    assert_eq!(get(&rows, "C1", "revenue"), "30.00");
    assert_eq!(get(&rows, "C1", "revenue_prev"), "1000.00");
    assert_eq!(get(&rows, "C1", "growth"), "-0.97");
    assert_eq!(get(&rows, "C1", "last_purchase"), "2025-03-15");
    assert_eq!(get(&rows, "C1", "days_since_last"), "0");
    // The same from the command line.
    let again = classify(sales, None, "", &["--as-of", "2025-03-15"]);
    assert_eq!(again, rows);
}

#[test]
fn the_default_as_of_is_the_end_of_the_latest_month() {
    let rows =
        classify("date,customer_id,revenue\n2025-02-03,C1,10\n", None, "", &["--months", "1"]);
    assert_eq!(get(&rows, "C1", "days_since_last"), "25");
    assert_eq!(get(&rows, "C1", "cv"), "0");
    assert_eq!(get(&rows, "C1", "xyz"), "X");
}

#[test]
fn zero_and_negative_revenue_customers_are_last_class() {
    let sales =
        "date,customer_id,revenue\n2025-01-05,POS,10\n2025-01-05,ZERO,0\n2025-01-05,NEG,-3\n";
    let rows = classify(sales, None, "", &[]);
    assert_eq!(get(&rows, "POS", "abc"), "A");
    assert_eq!((get(&rows, "ZERO", "abc"), get(&rows, "ZERO", "xyz")), ("C", "Z"));
    assert_eq!(
        (get(&rows, "NEG", "abc"), get(&rows, "NEG", "margin_pct"), get(&rows, "NEG", "cv")),
        ("C", "", "")
    );
}

#[test]
fn exact_money_puts_customers_exactly_on_the_bounds() {
    // A is forty lines of 0.10: exactly 4.00 (summed in floating point it is
    // 3.9999999999999996). B then starts at exactly 4.00/5.00 = 80% → B, and
    // C at exactly 4.75/5.00 = 95% → C.
    let mut sales = String::from("date,customer_id,revenue\n");
    for _ in 0..40 {
        sales.push_str("2025-01-05,A,0.10\n");
    }
    sales.push_str("2025-01-05,B,0.75\n2025-01-05,C,0.25\n");
    let rows = classify(&sales, None, "", &[]);
    assert_eq!(get(&rows, "A", "revenue"), "4.00");
    assert_eq!(
        (get(&rows, "A", "abc"), get(&rows, "B", "abc"), get(&rows, "C", "abc")),
        ("A", "B", "C")
    );
}

#[test]
fn a_customer_exactly_at_cv_one_is_y() {
    // Two months: 0 and 2 → mean 1, population sd 1, cv exactly 1.0.
    let sales = "date,customer_id,revenue\n2025-02-10,C1,2.00\n2025-01-10,C2,1\n";
    let rows = classify(sales, None, "", &["--months", "2"]);
    assert_eq!(get(&rows, "C1", "cv"), "1");
    assert_eq!(get(&rows, "C1", "xyz"), "Y");
}

#[test]
fn rank_share_and_frequency_methods_come_from_the_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut sales = String::from("date,customer_id,revenue\n");
    // 11 customers, values 11..1: A = ceil(1.1) = 2 customers, B up to ceil(3.3) = 4.
    for i in 1..=11 {
        sales.push_str(&format!("2025-01-05,K{i:02},{}\n", 12 - i));
    }
    sales.push_str("2024-12-05,K01,1\n2024-11-05,K01,1\n");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    std::fs::create_dir(dir.join("rules")).unwrap();
    std::fs::write(
        dir.join("rules/classes.toml"),
        "[classification.abc]\nkind = \"abc\"\nmethod = \"rank-share\"\nshares = [0.10, 0.20, 0.70]\n\
         [classification.xyz]\nkind = \"xyz\"\nmethod = \"frequency\"\nbounds = [0.75, 0.25]\n",
    )
    .unwrap();
    kamplan_ok(&["classify", dir.to_str().unwrap(), "--quiet", "--months", "4"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (abc_column, xyz_column) = (column("abc"), column("xyz"));
    let abc: String = rows.iter().map(|r| r[abc_column].as_str()).collect();
    assert_eq!(abc, "AABBCCCCCCC");
    // K01 bought in 3 of 4 months (0.75 → X); the others in 1 of 4 (0.25 → Y).
    assert_eq!(rows[0][xyz_column], "X");
    assert_eq!(rows[1][xyz_column], "Y");
}
