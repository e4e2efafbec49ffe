//! The default rule set on customers built to trigger each alert.

mod common;

use common::*;
use std::collections::BTreeMap;

/// Monthly lines (day 10) for a customer: (first month, last month inclusive, revenue, cost), months as YYYY-MM.
fn lines(out: &mut String, id: &str, from: (i32, u32), to: (i32, u32), revenue: &str, cost: &str) {
    let (mut y, mut m) = from;
    while (y, m) <= to {
        out.push_str(&format!("{y}-{m:02}-10,{id}-{y}{m:02},{id},{revenue},{cost}\n"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
}

#[test]
fn each_default_alert_fires_for_the_customer_built_for_it() {
    let mut sales = String::from("date,invoice_id,customer_id,revenue,cost\n");
    // Previous window 2023-07 … 2024-06, window 2024-07 … 2025-06.
    lines(&mut sales, "BIG", (2023, 7), (2024, 6), "2000", "1200");
    lines(&mut sales, "BIG", (2024, 7), (2025, 6), "1000", "600");
    lines(&mut sales, "OVER", (2023, 7), (2025, 6), "900", "800");
    lines(&mut sales, "UNHAPPY", (2023, 7), (2025, 6), "800", "400");
    lines(&mut sales, "NEG", (2023, 7), (2025, 6), "100", "150");
    lines(&mut sales, "LOST", (2023, 7), (2024, 12), "50", "30");
    lines(&mut sales, "CONTRACT", (2023, 7), (2025, 6), "60", "30");
    let master = "customer_id,name,potential,satisfaction,loyalty,cost_to_serve,contract_expiry\n\
        BIG,Big One,30000,4,80,100,\n\
        OVER,Over Served,12000,4,80,5000,\n\
        UNHAPPY,Unhappy Ltd,12000,1,80,100,\n\
        NEG,Below Cost,2000,3,50,10,\n\
        LOST,Gone Away,1000,3,50,10,\n\
        CONTRACT,Renewal Due,1000,4,60,10,2025-08-15\n";
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(
        dir,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        "",
    );
    kamplan_ok(&["classify", dir.to_str().unwrap(), "-q"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let by_id: BTreeMap<&str, &Vec<String>> = rows.iter().map(|r| (r[0].as_str(), r)).collect();
    let alerts =
        |id: &str| by_id[id][col("alerts")].split(';').map(String::from).collect::<Vec<_>>();
    for id in ["BIG", "OVER", "UNHAPPY"] {
        assert_eq!(by_id[id][col("abc")], "A", "{id}");
    }
    let expected = [
        ("BIG", "declining_class_a"),
        ("OVER", "over_investment"),
        ("UNHAPPY", "dissatisfied_class_a"),
        ("NEG", "negative_margin"),
        ("LOST", "lost_customer"),
        ("CONTRACT", "contract_expiring"),
    ];
    for (id, alert) in expected {
        assert!(
            alerts(id).iter().any(|a| a == alert),
            "{id} should fire {alert}, fired {:?}",
            alerts(id)
        );
    }
    // And only where they apply.
    for (id, alert) in expected {
        for (other, _) in expected.iter().filter(|(o, _)| *o != id) {
            assert!(!alerts(other).iter().any(|a| a == alert), "{other} should not fire {alert}");
        }
    }
    // The KAM matrix puts the largest, highest-potential customer among strategic accounts.
    assert_eq!(by_id["BIG"][col("kam")], "strategic");
    let explain = kamplan(&["explain", "LOST", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(text.contains("FIRED lost_customer"), "{text}");
    assert!(text.contains("No purchase for"), "{text}");
}

/// One meaning of "dissatisfied" and "satisfied": the default matrix's
/// satisfaction bands, the dissatisfied alert and the SWOT share the same
/// scores.
#[test]
fn the_default_rules_share_one_definition_of_dissatisfied() {
    use kamplan::model::{DISSATISFIED_BELOW, SATISFIED_FROM};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let matrices: toml::Table =
        std::fs::read_to_string(root.join("rules/matrices.toml")).unwrap().parse().unwrap();
    let x = &matrices["matrix"]["loyalty_satisfaction"]["x"];
    assert_eq!(x["metric"].as_str(), Some("satisfaction"));
    let breaks: Vec<f64> =
        x["breaks"].as_array().unwrap().iter().map(|b| b.as_float().unwrap()).collect();
    assert_eq!(breaks, [DISSATISFIED_BELOW, SATISFIED_FROM]);
    let alerts: toml::Table =
        std::fs::read_to_string(root.join("rules/alerts.toml")).unwrap().parse().unwrap();
    let when = alerts["alert"]["dissatisfied_class_a"]["when"].as_str().unwrap();
    assert!(when.contains(&format!("satisfaction < {DISSATISFIED_BELOW}")), "{when}");
}
