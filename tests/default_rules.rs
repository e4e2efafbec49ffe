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
    // The retention strategy speaks of a customer that is not satisfied:
    // below the satisfied band, as the matrix and the SWOT draw it.
    let strategies: toml::Table =
        std::fs::read_to_string(root.join("rules/strategies.toml")).unwrap().parse().unwrap();
    let retain = &strategies["strategy"]["retain"];
    let when = retain["when"].as_str().unwrap();
    assert!(when.contains(&format!("satisfaction < {SATISFIED_FROM}")), "{when}");
    let reason = retain["reason"]["en"].as_str().unwrap();
    assert!(reason.contains(&format!("satisfaction < {SATISFIED_FROM}")), "{reason}");
}

/// Hand-made customers, one for each cell the seeds describe, in a small
/// portfolio of ordinary customers; (customer, segment) of each matrix.
fn placed_customers() -> (BTreeMap<String, BTreeMap<String, String>>, toml::Table) {
    let mut sales = String::from("date,invoice_id,customer_id,revenue,cost\n");
    // The window is 2024-07 … 2025-06 (as_of 2025-06-30).
    let window = |out: &mut String, id: &str, revenue: &str, cost: &str| {
        lines(out, id, (2024, 7), (2025, 6), revenue, cost)
    };
    window(&mut sales, "BIG", "5000", "3000");
    window(&mut sales, "NOPOT", "3000", "1800");
    window(&mut sales, "NOGROW", "200", "140");
    window(&mut sales, "GROWER", "300", "200");
    window(&mut sales, "NEWBIE", "400", "250");
    window(&mut sales, "BARNACLE", "300", "250");
    window(&mut sales, "SMALLPOT", "100", "90");
    window(&mut sales, "HARDFIT", "100", "70");
    let mut master = String::from(
        "customer_id,name,potential,cost_to_serve,customer_since,market_growth,attractiveness,adaptability\n\
         BIG,Big One,80000,1000,2010-03-01,0.15,5,5\n\
         NOPOT,No Estimate,,500,2012-05-01,0.20,4,4\n\
         NOGROW,No Outlook,20000,50,2015-01-01,,,\n\
         GROWER,Growing Fast,40000,50,2016-01-01,0.12,,\n\
         NEWBIE,Recent Win,6000,100,2023-01-01,0.03,,\n\
         BARNACLE,Old Habits,4000,2000,2000-01-01,-0.05,,\n\
         SMALLPOT,Small Budget,5000,10,2011-01-01,0.01,,\n\
         HARDFIT,Hard To Fit,3000,50,2014-01-01,0.05,5,2\n",
    );
    for i in 1..=8 {
        window(&mut sales, &format!("F{i}"), "100", "70");
        master.push_str(&format!("F{i},Filler {i},3000,50,2010-01-01,0.02,2,4\n"));
    }
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
    let table = rows
        .iter()
        .map(|r| (r[0].clone(), header.iter().cloned().zip(r.iter().cloned()).collect()))
        .collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let matrices: toml::Table =
        std::fs::read_to_string(root.join("rules/matrices.toml")).unwrap().parse().unwrap();
    (table, matrices)
}

/// A customer without a potential estimate is never "saturated", "status"
/// or "marginal": every default matrix that reads the potential, directly or
/// through the share of wallet or the profit potential, shows it apart.
#[test]
fn a_customer_without_a_potential_estimate_is_not_assessed_in_every_potential_matrix() {
    let (rows, matrices) = placed_customers();
    let nopot = &rows["NOPOT"];
    assert_eq!(nopot["abc"], "A", "a large customer, so a strong label would be tempting");
    let potential_based = ["potential", "share_of_wallet", "potential_margin"];
    let mut checked = Vec::new();
    for (id, matrix) in matrices["matrix"].as_table().unwrap() {
        let reads_potential = ["x", "y"]
            .iter()
            .any(|axis| potential_based.contains(&matrix[*axis]["metric"].as_str().unwrap()));
        if !reads_potential {
            continue;
        }
        let missing = matrix.get("missing").and_then(|m| m.as_str());
        let missing = missing.unwrap_or_else(|| {
            panic!("matrix {id} reads the potential but has no missing segment")
        });
        assert_eq!(nopot[id], missing, "matrix {id}");
        checked.push(id.as_str());
    }
    checked.sort_unstable();
    assert_eq!(
        checked,
        [
            "clusters",
            "contribution",
            "development_penetration",
            "importance_attractiveness",
            "kam",
            "profitability",
            "revenue_potential"
        ]
    );
    assert_eq!(nopot["kam"], "potential_not_assessed");
    assert_eq!(nopot["revenue_potential"], "potential_not_assessed");
}

/// Development is the customer's own expected growth (`market_growth`), not
/// our revenue trend: without it the customer is not assessed.
#[test]
fn development_is_the_customers_own_growth() {
    let (rows, matrices) = placed_customers();
    let y = &matrices["matrix"]["development_penetration"]["y"];
    assert_eq!(y["metric"].as_str(), Some("market_growth"));
    assert_eq!(rows["NOGROW"]["development_penetration"], "development_not_assessed");
    // Growing 12% a year, of which we hold 9%: invest.
    assert_eq!(rows["GROWER"]["development_penetration"], "invest");
    // Growing 15% a year, of which we hold 75%: maintain.
    assert_eq!(rows["BIG"]["development_penetration"], "maintain");
    // Shrinking, with 90% of it ours: harvest.
    assert_eq!(rows["BARNACLE"]["development_penetration"], "harvest");
}

/// The seeds' matrices place each hand-made customer where they say.
#[test]
fn the_seeds_matrices_place_each_customer_where_the_seeds_say() {
    let (rows, _) = placed_customers();
    let at = |id: &str, matrix: &str| rows[id][matrix].as_str();
    // Profitability × length of relationship.
    assert_eq!(rows["BIG"]["net_contribution"], "23000.00");
    assert_eq!(at("BIG", "profitability_relationship"), "profitable_long_term");
    assert_eq!(at("NEWBIE", "profitability_relationship"), "profitable_newcomer");
    assert_eq!(at("BARNACLE", "profitability_relationship"), "unprofitable_long_term");
    // Current × potential contribution: potential_margin = potential × margin_pct.
    assert_eq!(rows["BIG"]["potential_margin"], "32000.00");
    assert_eq!(at("BIG", "contribution"), "cornerstone_contributor");
    assert_eq!(at("GROWER", "contribution"), "contribution_to_build");
    assert_eq!(at("SMALLPOT", "contribution"), "small_contributor");
    assert_eq!(at("NOPOT", "contribution"), "profit_potential_not_assessed");
    // Attractiveness × adaptability, from the master's scores.
    assert_eq!(at("BIG", "attractiveness_adaptability"), "attractive_good_fit");
    assert_eq!(at("HARDFIT", "attractiveness_adaptability"), "attractive_hard_to_fit");
    assert_eq!(at("F1", "attractiveness_adaptability"), "unattractive_good_fit");
    assert_eq!(at("GROWER", "attractiveness_adaptability"), "fit_not_assessed");
    // Profitability: developed, undeveloped, undesirable.
    assert_eq!(at("BIG", "profitability"), "developed");
    assert_eq!(at("GROWER", "profitability"), "undeveloped");
    assert_eq!(at("SMALLPOT", "profitability"), "undesirable");
    assert_eq!(at("NOPOT", "profitability"), "profit_potential_not_assessed");
}
