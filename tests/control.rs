//! Control of the last plan on a hand-worked pair of periods: a build
//! records its plan in plans.csv; a build half a year later, pointed at that
//! record, judges one objective met, one missed and two not yet due, and
//! says which account changed strategy.

mod common;

use common::*;
use std::path::Path;

const RULES: &str = r#"
[classification.abc]
kind = "abc"
metric = "revenue"
[key_accounts]
when = "revenue > 0"
[role]
kam = "Key account manager"
inside_sales = "Inside sales"
[strategy.grow]
when = "revenue > 0"
title = "Grow"
resources = "invest"
review = "quarterly"
service_level = "premium"
actions = [
  { text = "Sell more.", owner = "kam", due = "3 months", kpi = { metric = "revenue", grow = 0.10 } },
  { text = "Ask for an order every month.", owner = "inside_sales", due = "12 months", kpi = { metric = "orders", at_least = 12 } },
]
[strategy.wait]
title = "Wait"
resources = "maintain"
review = "yearly"
service_level = "basic"
actions = [{ text = "Call once.", owner = "inside_sales", due = "1 month" }]
"#;

/// C1 and C2 bought 1,000 in the second half of 2024, C3 nothing. Revenue
/// targets (1,100) fall due on 31 March 2025 and are judged on the six
/// months to then: C1 bought 1,200 in February (met), C2 900 (missed; its
/// 500 in May come after the due date and do not count), and C3 started
/// buying.
const SALES: &str = "date,customer_id,revenue\n\
2024-07-10,C1,1000\n\
2024-07-12,C2,600\n\
2024-08-12,C2,400\n\
2025-02-03,C1,1200\n\
2025-02-04,C2,900\n\
2025-03-05,C3,50\n\
2025-05-10,C2,500\n";

const MASTER: &str = "customer_id,name\nC1,Alfa Srl\nC2,Beta Spa\nC3,Gamma Snc\n";

fn project(dir: &Path) {
    write_project(
        dir,
        "sales.csv",
        SALES.as_bytes(),
        Some(("customers.csv", MASTER.as_bytes())),
        "[project]\nmonths = 6\ncurrency = \"EUR\"\n",
    );
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/rules.toml"), RULES).unwrap();
}

#[test]
fn a_later_build_judges_the_last_plan_one_objective_met_one_missed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    project(dir);
    let d = dir.to_str().unwrap();

    // The plan at the end of 2024.
    kamplan_ok(&["build", d, "--as-of", "2024-12-31", "-q"]);
    let (header, rows) = csv_records(&dir.join("out/plans.csv"));
    assert_eq!(
        header,
        [
            "as_of",
            "customer_id",
            "name",
            "key_account",
            "strategy",
            "strategy_title",
            "kpi",
            "label",
            "comparison",
            "target",
            "value",
            "owner",
            "due"
        ]
    );
    let short: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| [1, 3, 4, 6, 8, 9, 10, 11, 12].iter().map(|&c| r[c].as_str()).collect())
        .collect();
    assert_eq!(
        short,
        [
            ["C1", "1", "grow", "revenue", "at_least", "1100", "1000", "kam", "2025-03-31"],
            ["C1", "1", "grow", "orders", "at_least", "12", "1", "inside_sales", "2025-12-31"],
            ["C2", "1", "grow", "revenue", "at_least", "1100", "1000", "kam", "2025-03-31"],
            ["C2", "1", "grow", "orders", "at_least", "12", "2", "inside_sales", "2025-12-31"],
            ["C3", "0", "wait", "", "", "", "", "", ""],
        ]
    );
    assert!(rows.iter().all(|r| r[0] == "2024-12-31"));
    std::fs::copy(dir.join("out/plans.csv"), dir.join("plan-2024-12.csv")).unwrap();

    // Half a year later, pointed at that plan from kamplan.toml.
    let toml = read(&dir.join("kamplan.toml")) + "[previous_plan]\npath = \"plan-2024-12.csv\"\n";
    std::fs::write(dir.join("kamplan.toml"), toml).unwrap();
    let out = kamplan(&["build", d, "--as-of", "2025-06-30"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "control    1 of 2 objectives due met (plan of 2024-12-31, 3 customers; 2 not yet due)"
        ),
        "{stderr}"
    );

    let plan = |id: &str| {
        let name = std::fs::read_dir(dir.join("out/accounts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(id))
            .unwrap_or_else(|| panic!("no plan for {id}"));
        normalise(&pdf_text(&name, true))
    };
    let c1 = plan("c1-");
    assert!(c1.contains("Last plan against results"), "{c1}");
    assert!(c1.contains("Plan of 31 December 2024: strategy Grow, unchanged."), "{c1}");
    assert!(
        c1.contains("Revenue (Key account manager) €1,000 ≥ €1,100 €1,200 31 March 2025 met"),
        "{c1}"
    );
    assert!(c1.contains("Orders (Inside sales) 1 ≥ 12 1 31 December 2025 not yet due"), "{c1}");
    let c2 = plan("c2-");
    // Measured at its due date: the 500 bought in May do not make it met.
    assert!(
        c2.contains("Revenue (Key account manager) €1,000 ≥ €1,100 €900 31 March 2025 missed"),
        "{c2}"
    );
    let c3 = plan("c3-");
    assert!(
        c3.contains("Plan of 31 December 2024: strategy Wait; the strategy now is Grow."),
        "{c3}"
    );
    assert!(c3.contains("The strategy of that plan set no measurable objective."), "{c3}");

    let report = normalise(&pdf_text(&dir.join("out/portfolio.pdf"), false));
    assert!(
        report.contains(
            "The plan of 31 December 2024 covered 3 customers, 2 of them key accounts; 1 of them follow a different strategy now."
        ),
        "{report}"
    );
    assert!(report.contains("Of its objectives due by now, 1 of 2 were met (50%)."), "{report}");
    // By owner: the key account manager's two revenue objectives were
    // judged, inside sales' two order objectives are not due yet.
    let layout = normalise(&pdf_text(&dir.join("out/portfolio.pdf"), true));
    assert!(layout.contains("Key account manager 2 1 1 0 50%"), "{layout}");
    assert!(layout.contains("Inside sales 2 0 0 2 –"), "{layout}");
    assert!(layout.contains("Grow 4 1 1 2 50%"), "{layout}");
}

#[test]
fn a_plan_that_cannot_serve_is_refused_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    project(dir);
    let d = dir.to_str().unwrap();
    kamplan_ok(&["build", d, "--as-of", "2024-12-31", "-q"]);
    let record = read(&dir.join("out/plans.csv"));
    std::fs::write(dir.join("old.csv"), &record).unwrap();
    let before = std::fs::read(dir.join("out/portfolio.pdf")).unwrap();
    let old = dir.join("old.csv");
    let old = old.to_str().unwrap();

    // The same analysis date: nothing to judge yet.
    let out = kamplan(&["build", d, "--as-of", "2024-12-31", "--previous-plan", old]);
    let stderr = stderr_of(&out);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("not earlier than this analysis date (2024-12-31)"), "{stderr}");

    // A target that is not a number: named by line and column.
    let broken = record.replacen(",1100,", ",11OO,", 1);
    std::fs::write(dir.join("old.csv"), broken).unwrap();
    let out = kamplan(&["build", d, "--as-of", "2025-06-30", "--previous-plan", old]);
    let stderr = common::problems(&stderr_of(&out));
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("old.csv:2:10: target: expected a number such as 1234.5, found \"11OO\""),
        "{stderr}"
    );
    // A refused run leaves the earlier outputs whole.
    assert_eq!(std::fs::read(dir.join("out/portfolio.pdf")).unwrap(), before);
}
