//! One strategy per account: on the sample and on generated portfolios,
//! every customer has exactly one strategy, lost customers are won back
//! without growth targets, a missing potential never gives a strong label,
//! a plan never instructs two opposite directions, and `check` reports a
//! strategy rule that can never be chosen.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// portfolio.csv of a classified project, as maps from column to value.
fn portfolio(dir: &Path) -> Vec<BTreeMap<String, String>> {
    kamplan_ok(&["classify", dir.to_str().unwrap(), "-q"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    rows.into_iter().map(|r| header.iter().cloned().zip(r).collect()).collect()
}

/// The default strategy table.
fn strategies() -> toml::Table {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/strategies.toml")).parse().unwrap()
}

/// The strategies whose label rests on the customer's potential.
const NEED_POTENTIAL: [&str; 5] = [
    "strategic_investment",
    "selective_investment",
    "proactive_maintenance",
    "develop",
    "manage_for_cash",
];

#[test]
fn every_customer_has_exactly_one_strategy_and_lost_ones_are_won_back() {
    let table = strategies();
    let ids: Vec<&String> = table["strategy"].as_table().unwrap().keys().collect();
    for (customers, months, seed) in [(150, 30, 7), (80, 24, 3), (300, 36, 11)] {
        let (_tmp, dir) = sample_project(customers, months, seed);
        let rows = portfolio(&dir);
        assert!(rows.len() >= customers, "seed {seed}");
        for r in &rows {
            let s = &r["strategy"];
            assert!(ids.contains(&s), "seed {seed}: {} has strategy {s:?}", r["customer_id"]);
            if r["alerts"].split(';').any(|a| a == "lost_customer") {
                assert_eq!(s, "win_back", "seed {seed}: lost {} is not won back", r["customer_id"]);
                assert_eq!(r["key_account"], "0", "seed {seed}: lost {} is key", r["customer_id"]);
            }
            if r["last_purchase"].is_empty() {
                assert_eq!(s, "prospect", "seed {seed}: {} never bought", r["customer_id"]);
            }
        }
    }
}

#[test]
fn lost_and_never_buying_customers_get_no_growth_objective() {
    let (_tmp, dir) = sample_project(120, 30, 5);
    let rows = portfolio(&dir);
    let idle: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| r["strategy"] == "win_back" || r["strategy"] == "prospect")
        .collect();
    assert!(idle.len() >= 5, "the sample has lost customers and prospects");
    for r in idle {
        let out =
            kamplan(&["explain", &r["customer_id"], dir.to_str().unwrap(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for o in json["objectives"].as_array().unwrap() {
            let basis = o["basis"].as_str().unwrap();
            assert!(!basis.contains("on now"), "{}: a growth objective {o}", r["customer_id"]);
            assert!(
                !matches!(o["metric"].as_str(), Some("revenue" | "share_of_wallet")),
                "{}: {o}",
                r["customer_id"]
            );
        }
    }
}

#[test]
fn a_missing_potential_never_yields_a_strong_label() {
    let (_tmp, dir) = sample_project(150, 30, 9);
    // Take the potential away from every third customer of the master.
    let master = dir.join("customers.csv");
    let (header, rows) = csv_records(&master);
    let at = header.iter().position(|h| h == "potential").unwrap();
    let mut writer = csv::Writer::from_path(&master).unwrap();
    writer.write_record(&header).unwrap();
    for (i, mut row) in rows.into_iter().enumerate() {
        if i % 3 == 0 {
            row[at].clear();
        }
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
    let rows = portfolio(&dir);
    let without: Vec<_> = rows.iter().filter(|r| r["share_of_wallet"].is_empty()).collect();
    assert!(without.len() >= 40, "{}", without.len());
    let (header, master_rows) = csv_records(&master);
    let potential_of: BTreeMap<&str, &str> =
        master_rows.iter().map(|r| (r[0].as_str(), r[at].as_str())).collect();
    assert_eq!(header[0], "customer_id");
    for r in &rows {
        if potential_of.get(r["customer_id"].as_str()).is_some_and(|p| p.is_empty()) {
            assert!(
                !NEED_POTENTIAL.contains(&r["strategy"].as_str()),
                "{} has no potential and strategy {}",
                r["customer_id"],
                r["strategy"]
            );
            assert!(
                !matches!(r["kam"].as_str(), "strategic" | "star"),
                "{}: {}",
                r["customer_id"],
                r["kam"]
            );
        }
    }
    assert!(rows.iter().any(|r| r["strategy"] == "assess_and_maintain"), "the assessed ones");
}

/// No plan instructs two opposite directions: its instructions are its
/// strategy's actions; the playbooks of segments pointing the other way
/// appear only as points to discuss, never as actions.
#[test]
fn a_plan_carries_one_direction_and_lists_the_others_for_discussion() {
    let (tmp, dir) = sample_project(100, 30, 7);
    let out = tmp.path().join("out");
    kamplan_ok(&["build", dir.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    let segments: toml::Table =
        read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/segments.toml")).parse().unwrap();
    let strategies = strategies();
    let (header, rows) = csv_records(&out.join("portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut discussed = 0;
    let mut plans = 0;
    for r in rows.iter().filter(|r| r[col("key_account")] == "1") {
        let file = std::fs::read_dir(out.join("accounts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{}-", r[0].to_lowercase()))
            })
            .unwrap_or_else(|| panic!("no plan for {}", r[0]));
        let text = normalise(&pdf_text(&file, false));
        plans += 1;
        let strategy = &strategies["strategy"][r[col("strategy")].as_str()];
        for action in strategy["actions"].as_array().unwrap() {
            let literal: String =
                normalise(action["text"]["en"].as_str().unwrap()).chars().take(30).collect();
            assert!(text.contains(&literal), "{}: no action {literal:?}", r[0]);
        }
        // No segment playbook action is printed as an instruction.
        for (id, segment) in segments["segment"].as_table().unwrap() {
            let Some(actions) = segment.get("actions").and_then(|a| a.get("en")) else { continue };
            for action in actions.as_array().unwrap() {
                let literal = normalise(action.as_str().unwrap().split("{{").next().unwrap());
                if literal.len() >= 25 {
                    assert!(
                        !text.contains(&literal),
                        "{}: segment {id}'s action {literal:?}",
                        r[0]
                    );
                }
            }
        }
        if text.contains("Points to discuss") {
            discussed += 1;
            assert!(text.contains("where the strategy says to"), "{}", r[0]);
        }
    }
    assert!(plans >= 5 && discussed >= 1, "{plans} plans, {discussed} with points to discuss");

    // The portfolio report: customers per strategy as in portfolio.csv, and
    // the workload of every action of every customer's plan.
    let report = normalise(&pdf_text(&out.join("portfolio.pdf"), false));
    let mut expected_actions = 0;
    for (id, strategy) in strategies["strategy"].as_table().unwrap() {
        let customers = rows.iter().filter(|r| r[col("strategy")] == *id).count();
        expected_actions += customers * strategy["actions"].as_array().unwrap().len();
    }
    assert!(report.contains("Strategies") && report.contains("Workload of the action plans"));
    assert!(
        report.contains(&format!("over all customers ({expected_actions} in all)")),
        "{expected_actions} actions: {report}"
    );
}

/// A project of two customers, C1 large and C2 small, with an empty `rules/` folder.
fn two_customers() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let sales = b"date,customer_id,revenue\n2025-01-05,C1,100\n2025-03-06,C2,5\n";
    write_project(&dir, "sales.csv", sales, None, "");
    std::fs::create_dir(dir.join("rules")).unwrap();
    (tmp, dir)
}

#[test]
fn check_reports_a_strategy_rule_that_can_never_be_chosen() {
    let (_tmp, dir) = two_customers();
    let dir = dir.as_path();
    let rules = r#"
[classification.abc]
kind = "abc"
metric = "revenue"
[role]
kam = "Key account manager"
[strategy.big]
when = 'abc == "A"'
title = "Big"
resources = "invest"
review = "monthly"
service_level = "premium"
actions = [{ text = "Visit.", owner = "kam", due = "2 weeks" }]
[strategy.big_and_growing]
when = 'abc == "A" and revenue > 5'
title = "Big and growing"
resources = "invest"
review = "monthly"
service_level = "premium"
actions = [{ text = "Visit often.", owner = "kam", due = "1 month" }]
[strategy.others]
when = 'abc != "A"'
title = "Others"
resources = "reduce"
review = "yearly"
service_level = "basic"
actions = [{ text = "Serve online.", owner = "kma", due = "3 months" }]
"#;
    std::fs::write(dir.join("rules/r.toml"), rules).unwrap();
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    let stderr = common::problems(&stderr_of(&out));
    assert_eq!(out.status.code(), Some(2), "the unknown owner is a problem: {stderr}");
    assert!(stderr.contains("unknown owner role \"kma\"; did you mean \"kam\"?"), "{stderr}");
    assert!(
        stderr
            .contains("strategy \"big_and_growing\" is never chosen: the earlier strategy \"big\""),
        "{stderr}"
    );
    assert!(stderr.contains("r.toml:15:8"), "the warning points at the rule's condition: {stderr}");
    assert!(stderr.contains("the last strategy, \"others\", has a condition"), "{stderr}");

    // Fixed owner: the warnings stay warnings, and every customer still gets one strategy.
    std::fs::write(dir.join("rules/r.toml"), rules.replace("\"kma\"", "\"kam\"")).unwrap();
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let rows = portfolio(dir);
    let chosen: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["customer_id"].as_str(), r["strategy"].as_str())).collect();
    assert_eq!(chosen, [("C1", "big"), ("C2", "others")]);
}

#[test]
fn check_warns_when_a_strategy_points_against_the_segment_it_is_written_for() {
    let (_tmp, dir) = sample_project(40, 24, 2);
    let rules = dir.join("rules");
    std::fs::create_dir(&rules).unwrap();
    let defaults = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&defaults).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
    }
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(!stderr_of(&out).contains("warning: strategy"), "{}", stderr_of(&out));
    // Strategic investment told to withdraw, while the strategic segment invests.
    let path = rules.join("strategies.toml");
    let text = read(&path);
    let at = text.find("[strategy.strategic_investment]").unwrap();
    let resources = at + text[at..].find("resources = \"invest\"").unwrap();
    let changed =
        format!("{}resources = \"withdraw\"{}", &text[..resources], &text[resources + 20..]);
    std::fs::write(&path, changed).unwrap();
    let stderr = stderr_of(&kamplan(&["check", dir.to_str().unwrap()]));
    assert!(
        stderr.contains("strategy \"strategic_investment\" (withdraw resources) is written for segment \"strategic\" of matrix \"kam\", whose playbook says invest"),
        "{stderr}"
    );
}

#[test]
fn the_report_opens_with_findings_that_agree_with_the_tables() {
    let (_tmp, dir) = sample_copy();
    kamplan_ok(&["build", dir.to_str().unwrap(), "-q"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let revenue = |r: &Vec<String>| r[col("revenue")].parse::<f64>().unwrap();
    let total: f64 = rows.iter().map(revenue).sum();
    let keys: Vec<&Vec<String>> = rows.iter().filter(|r| r[col("key_account")] == "1").collect();
    let key_share = keys.iter().map(|r| revenue(r)).sum::<f64>() / total;

    let report = text_of(&dir.join("out/portfolio.pdf"));
    let start = report.find("Executive summary").expect("the report opens with a summary");
    let end = report.find("Key figures").unwrap();
    assert!(start < end);
    let summary = &report[start..end];
    let headlines = [
        "Revenue grew.",
        "Revenue fell.",
        "Revenue is concentrated.",
        "Revenue is spread widely.",
        "Key accounts.",
        "Customers lost.",
        "Customers buying less.",
        "Room to sell more.",
        "Cost to serve.",
        "Potential not estimated.",
        "Last plan.",
    ];
    let found = headlines.iter().filter(|h| summary.contains(*h)).count();
    assert!((5..=7).contains(&found), "{found} findings: {summary}");
    let expected =
        format!("The {} key accounts make {:.1}% of revenue.", keys.len(), key_share * 100.0);
    assert!(summary.contains(&expected), "{expected}: {summary}");
    // The recommendation per strategy: each strategy with customers, with
    // its count and its first step.
    assert!(summary.contains("What to do: one strategy per customer"), "{summary}");
    let table = strategies();
    for (id, strategy) in table["strategy"].as_table().unwrap() {
        let customers = rows.iter().filter(|r| r[col("strategy")] == *id).count();
        if customers == 0 {
            continue;
        }
        // A first step written for each customer has no one line to show.
        let first = strategy["actions"][0]["text"]["en"].as_str().unwrap();
        if !first.contains("{%") && !first.contains("{{") {
            assert!(summary.contains(first), "{id}: {first} missing from {summary}");
        }
        let actions = customers * strategy["actions"].as_array().unwrap().len();
        assert!(summary.contains(&format!("({actions} actions in all)")), "{id}: {summary}");
    }
}

/// A strategy that gives no review cadence, service level or description:
/// the plan prints none of their labels, rather than labels with nothing
/// after them.
#[test]
fn a_plan_leaves_out_the_labels_its_strategy_gives_no_value() {
    let (_tmp, dir) = two_customers();
    let dir = dir.as_path();
    let rules = r#"
[classification.abc]
kind = "abc"
metric = "revenue"
[key_accounts]
include = ["C1"]
[role]
kam = "Key account manager"
[strategy.all]
title = "Look after it"
resources = "maintain"
actions = [{ text = "Visit.", owner = "kam", due = "2 weeks" }]
"#;
    std::fs::write(dir.join("rules/rules.toml"), rules).unwrap();
    kamplan_ok(&["build", dir.to_str().unwrap(), "--account", "C1", "-q"]);
    let text = text_of(&only_plan(dir));
    assert!(text.contains("Look after it"), "{text}");
    assert!(text.contains("Resources: keep the effort as it is"), "{text}");
    for label in ["review", "Review", "service level", "Service level", "next review"] {
        assert!(!text.contains(label), "the plan prints \"{label}\":\n{text}");
    }
    assert!(!text.contains("· ·") && !text.contains(": ·"), "{text}");
}

/// The sample's key accounts: (portfolio.csv row, plan view model).
fn sample_plans() -> Vec<(BTreeMap<String, String>, serde_json::Value)> {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    portfolio(&dir)
        .into_iter()
        .filter(|r| r["key_account"] == "1")
        .map(|r| {
            let out = kamplan(&["templates", "context", project, "--account", &r["customer_id"]]);
            assert!(out.status.success(), "{}", stderr_of(&out));
            (r, serde_json::from_slice(&out.stdout).unwrap())
        })
        .collect()
}

/// What a reader of the sample's plans would check: one strategy, and every
/// figure and rating agreeing with it and with the others.
#[test]
fn each_sample_plan_speaks_with_one_voice() {
    use kamplan::model::{DISSATISFIED_BELOW, SATISFIED_FROM};
    let plans = sample_plans();
    assert!(plans.len() >= 20, "{} key accounts", plans.len());
    for (row, plan) in &plans {
        let id = &row["customer_id"];
        let strategy = &plan["strategy"];
        let segments: Vec<&str> = plan["matrices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["segment"].as_str().unwrap())
            .collect();
        // No "invest more" beside a divest verdict for an account outside
        // class A; a class A account keeps it only with the verdict listed
        // as a point to discuss.
        if strategy["resources"] == "invest" && segments.contains(&"divest") {
            assert_eq!(
                row["abc"], "A",
                "{id}: invest more, and divest, for a class {} account",
                row["abc"]
            );
            let discussed = plan["discuss"].to_string();
            assert!(
                discussed.contains("Divest"),
                "{id}: the divest verdict is not discussed: {discussed}"
            );
        }
        // No action rests on a contract expiry the plan reports as missing.
        if plan["soft"]["contract_expiry"].is_null() {
            for action in strategy["actions"].as_array().unwrap() {
                let text = action["text"].as_str().unwrap();
                assert!(!text.contains("before it expires"), "{id}: {text}");
                assert!(!text.contains("before the contract expires"), "{id}: {text}");
            }
        }
        // One satisfaction scale: the matrix band, the alert and the
        // retention strategy's "not satisfied" agree.
        if let Some(score) = plan["account"]["satisfaction"].as_f64() {
            let place = plan["matrices"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["id"] == "loyalty_satisfaction")
                .unwrap();
            let band = place["x"].as_str().unwrap();
            let expected = if score < DISSATISFIED_BELOW {
                "low"
            } else if score < SATISFIED_FROM {
                "medium"
            } else {
                "high"
            };
            assert_eq!(band, expected, "{id}: satisfaction {score}");
            let alert = row["alerts"].split(';').any(|a| a == "dissatisfied_class_a");
            assert_eq!(alert, row["abc"] == "A" && score < DISSATISFIED_BELOW, "{id}: {score}");
            if strategy["id"] == "retain" && score < DISSATISFIED_BELOW {
                assert!(
                    ["defection_risk", "terrorist", "hostage"]
                        .contains(&row["loyalty_satisfaction"].as_str()),
                    "{id}"
                );
            }
        }
        // Cross-sell gaps never add up to more than the potential left.
        let potential = plan["account"]["potential"].as_f64();
        let revenue = plan["kpis"][0]["value"].as_f64().unwrap();
        let gaps = plan["cross_sell"]["potential"].as_f64().unwrap_or(0.0);
        if let Some(potential) = potential.filter(|p| *p >= revenue) {
            assert!(
                gaps <= potential - revenue + 0.005,
                "{id}: gaps {gaps}, unused {}",
                potential - revenue
            );
        }
        // A band cut at the portfolio's quantiles reads as a rank, the same
        // in every matrix; a class reads as itself.
        for m in plan["matrices"].as_array().unwrap() {
            let position = m["position"].as_str().unwrap();
            for word in ["low", "medium", "high"] {
                assert!(!position.contains(&format!("ABC B: {word}")), "{id}: {position}");
                assert!(!position.contains(&format!("ABC A: {word}")), "{id}: {position}");
            }
            if position.starts_with("potential €") && !position.contains("not assessed") {
                assert!(position.contains("of the portfolio"), "{id}: {position}");
            }
        }
    }
    // The findings of the sample's first read, one by one.
    let plan = |id: &str| &plans.iter().find(|(r, _)| r["customer_id"] == id).unwrap().1;
    assert_eq!(plan("C0025")["strategy"]["id"], "retain");
    let alerts = plan("C0025")["alerts"].to_string();
    assert!(alerts.contains("dissatisfied_class_a"), "{alerts}");
    assert!(alerts.contains("renegotiate the cost to serve"), "{alerts}");
    assert_eq!(plan("C0007")["strategy"]["id"], "reassess");
    assert_ne!(plan("C0007")["strategy"]["resources"], "invest");
    let profile = plan("C0004")["strategy"]["profile"].to_string();
    assert!(!profile.contains("Limited support"), "{profile}");
}

/// A key account silent beyond its rhythm (or slipping below an 80% chance
/// of still buying) is called first: no plan invests in new categories or an
/// agreement while it does not order, the contradiction a reader of such a
/// plan would find.
#[test]
fn a_quiet_key_account_is_called_before_anything_is_invested() {
    let mut quiet = 0;
    let (_tmp, sample) = sample_copy();
    let mut projects = vec![sample];
    let mut keep = Vec::new();
    for (customers, months, seed) in [(150, 30, 7), (300, 36, 11)] {
        let (tmp, dir) = sample_project(customers, months, seed);
        projects.push(dir);
        keep.push(tmp);
    }
    for dir in &projects {
        for r in portfolio(dir) {
            let alerts: Vec<&str> = r["alerts"].split(';').collect();
            if r["key_account"] != "1"
                || !(alerts.contains(&"quiet_customer") || alerts.contains(&"key_account_at_risk"))
            {
                continue;
            }
            quiet += 1;
            // Earlier strategies that meet the customer first keep their place.
            assert!(
                ["reactivate", "retain", "reassess", "defend"].contains(&r["strategy"].as_str()),
                "{}: quiet key account with strategy {}",
                r["customer_id"],
                r["strategy"]
            );
        }
    }
    assert!(quiet > 0, "no quiet key account to check");
}
