//! `kamplan check` and rule tests, and rules changing results end to end.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A small project with the default rules copied into its `rules/` folder.
fn project_with_default_rules() -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = sample_project(60, 24, 3);
    std::fs::create_dir(dir.join("rules")).unwrap();
    for entry in std::fs::read_dir(repo("rules")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("rules").join(path.file_name().unwrap())).unwrap();
    }
    (tmp, dir)
}

#[test]
fn the_sample_project_checks_clean() {
    let out = kamplan(&["check", repo("sample-data").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_broken_rule_set_gets_every_problem_reported_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(dir, "sales.csv", b"date,customer_id,revenue\n2025-01-05,C1,10\n", None, "");
    std::fs::create_dir(dir.join("rules")).unwrap();
    std::fs::copy(repo("tests/fixtures/broken_rules.toml"), dir.join("rules/broken.toml")).unwrap();
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr).replace(dir.to_str().unwrap(), "PROJECT");
    let snapshot = repo("tests/fixtures/broken_rules.check.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, stderr.as_bytes()).unwrap();
    }
    assert_eq!(
        stderr,
        read(&snapshot),
        "run with UPDATE_SNAPSHOTS=1 to accept a deliberate change"
    );
    let kinds = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    assert!(kinds >= 12, "{stderr}");
    // classify refuses the same rules with the same messages.
    let classify = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(classify.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&classify.stderr).contains("unknown kind \"xyzz\""));
}

#[test]
fn rule_tests_pass_and_fail() {
    let (_tmp, dir) = project_with_default_rules();
    kamplan_ok(&["classify", dir.to_str().unwrap(), "-q"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let top = rows.iter().find(|r| r[col("abc")] == "A").unwrap();
    let expect = format!(
        "[[expect]]\ncustomer = \"{}\"\nabc = \"A\"\nkam = \"{}\"\n\n[[expect]]\ncustomer = \"{}\"\nabc = \"C\"\n",
        top[0],
        top[col("kam")],
        top[0]
    );
    std::fs::write(dir.join("rules/tests.toml"), expect).unwrap();
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("pass ") && stderr.contains(&format!("{} abc = \"A\"", top[0])),
        "{stderr}"
    );
    assert!(stderr.contains("FAIL ") && stderr.contains("abc = \"C\", got \"A\""), "{stderr}");
    assert!(stderr.contains("rule tests: 2 passed, 1 failed"), "{stderr}");
}

#[test]
fn an_edited_threshold_changes_the_classes() {
    let (_tmp, dir) = project_with_default_rules();
    let count_a = |dir: &Path| {
        kamplan_ok(&["classify", dir.to_str().unwrap(), "-q"]);
        let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
        let abc = header.iter().position(|h| h == "abc").unwrap();
        rows.iter().filter(|r| r[abc] == "A").count()
    };
    let before = count_a(&dir);
    let path = dir.join("rules/classification.toml");
    let edited =
        read(&path).replacen("bounds = [0.80, 0.95, 1.00]", "bounds = [0.50, 0.95, 1.00]", 1);
    std::fs::write(&path, edited).unwrap();
    let after = count_a(&dir);
    assert!(after < before, "A customers: {before} before, {after} after lowering the A bound");
}

#[test]
fn alerts_and_segments_follow_the_rules() {
    let (_tmp, dir) = project_with_default_rules();
    std::fs::write(
        dir.join("rules/extra.toml"),
        "[alert.big_buyer]\nseverity = \"info\"\nwhen = \"revenue > 0 and abc == 'A'\"\nmessage = \"Top customer: {{ revenue | money }}.\"\n",
    )
    .unwrap();
    kamplan_ok(&["classify", dir.to_str().unwrap(), "-q"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &rows {
        let fired = row[col("alerts")].split(';').any(|a| a == "big_buyer");
        assert_eq!(fired, row[col("abc")] == "A", "{row:?}");
        // ABC × XYZ cells name the classes: AX → ax.
        assert_eq!(
            row[col("abc_xyz")],
            format!("{}{}", row[col("abc")], row[col("xyz")]).to_lowercase()
        );
    }
}

#[test]
fn explain_agrees_with_the_portfolio() {
    let tmp = tempfile::tempdir().unwrap();
    let project = repo("sample-data");
    kamplan_ok(&[
        "classify",
        project.to_str().unwrap(),
        "--out",
        tmp.path().to_str().unwrap(),
        "-q",
    ]);
    let (header, rows) = csv_records(&tmp.path().join("portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in rows.iter().filter(|r| !r[col("alerts")].is_empty()).take(3) {
        let out = kamplan(&["explain", &row[0], project.to_str().unwrap(), "--format", "json"]);
        assert!(out.status.success());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["metrics"]["revenue"], row[col("revenue")]);
        for c in json["classifications"].as_array().unwrap() {
            assert_eq!(c["result"], row[col(c["id"].as_str().unwrap())]);
            assert!(!c["reason"].as_str().unwrap().is_empty());
        }
        for m in json["matrices"].as_array().unwrap() {
            assert_eq!(m["segment"], row[col(m["id"].as_str().unwrap())]);
        }
        let fired: Vec<&str> = json["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["fired"] == true)
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert_eq!(fired.join(";"), row[col("alerts")]);
        assert!(
            json["alerts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["fired"] == true)
                .all(|a| a["message"].is_string())
        );
    }
    let text = kamplan_ok(&["explain", &rows[0][0], project.to_str().unwrap()]);
    assert!(text.is_empty(), "the text goes to stdout");
    let missing = kamplan(&["explain", "NOPE", project.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("customer \"NOPE\" is not in the portfolio")
    );
}

/// A one-customer project with the given rule file; returns check's exit code and output.
fn check_rules_text(rules: &str) -> (Option<i32>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let master = "customer_id,name,satisfaction,Orders\nC1,Alfa,4,many\nC2,Beta,,few\n";
    let sales = b"date,customer_id,revenue,cost\n2025-01-05,C1,10,4\n2025-01-06,C2,5,6\n";
    write_project(dir, "sales.csv", sales, Some(("customers.csv", master.as_bytes())), "");
    std::fs::create_dir(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/r.toml"), rules).unwrap();
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.code() != Some(2) {
        kamplan_ok(&["classify", dir.to_str().unwrap(), "-q"]);
        text.push_str(&read(&dir.join("out/portfolio.csv")));
    }
    (out.status.code(), text)
}

#[test]
fn rules_see_only_earlier_stages_and_keep_existing_names() {
    let (code, text) = check_rules_text(
        "[classification.probe]\nkind = \"abc\"\nmetric = \"key_account\"\n[metrics]\nrevenue = \"revenue * 2\"\nlater = \"probe\"\n",
    );
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("unknown metric \"key_account\""), "{text}");
    assert!(
        text.contains("the metric \"revenue\" takes the name of an existing variable"),
        "{text}"
    );
    assert!(text.contains("unknown variable \"probe\""), "{text}");
}

#[test]
fn unknown_filters_are_caught_before_running() {
    let (code, text) = check_rules_text(
        "[alert.a]\nseverity = \"low\"\nwhen = \"revenue | mony > 0\"\nmessage = \"{{ revenue | moneyy }}\"\n",
    );
    assert_eq!(code, Some(2), "{text}");
    assert_eq!(text.matches("unknown filter").count(), 2, "{text}");
}

#[test]
fn derived_metrics_may_default_missing_values_and_numbers_match_numeric_categories() {
    let rules = r#"
[metrics]
sat = "satisfaction if satisfaction is not none else 3"
gap = "margin - satisfaction"
[matrix.m]
title = "M"
[matrix.m.x]
metric = "satisfaction"
categories = ["3", "4"]
labels = ["three", "four"]
[matrix.m.y]
metric = "orders"
categories = ["1"]
[matrix.m.cells]
1 = ["low", "high"]
[segment.low]
title = "Low"
[segment.high]
title = "High"

[[expect]]
customer = "C1"
alerts = ""
m = "high"
"#;
    let (code, text) = check_rules_text(rules);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("rule tests: 2 passed, 0 failed"), "{text}");
    let rows: Vec<&str> =
        text.lines().filter(|l| l.starts_with("C1,") || l.starts_with("C2,")).collect();
    // C1: satisfaction 4 → sat 4, gap 6 - 4 = 2, band "four"; the master's "Orders" column does not hide orders = 1.
    // (Then no alerts, not a key account, no strategy table.)
    assert!(rows[0].ends_with(",4.00,2.00,high,,0,"), "{}", rows[0]);
    // C2: no satisfaction → sat defaults to 3, gap unknown, lowest band.
    assert!(rows[1].ends_with(",3.00,,low,,0,"), "{}", rows[1]);
}

#[test]
fn a_matrix_can_give_customers_without_a_value_their_own_segment() {
    let rules = r#"
[matrix.m]
title = "M"
missing = "not_surveyed"
[matrix.m.x]
metric = "satisfaction"
breaks = [3]
labels = ["low", "high"]
[matrix.m.y]
metric = "revenue"
breaks = [1000]
labels = ["low", "high"]
[matrix.m.cells]
high = ["low_sat", "high_sat"]
low = ["low_sat", "high_sat"]
[segment.low_sat]
title = "Low"
[segment.high_sat]
title = "High"
[segment.not_surveyed]
title = "Not surveyed"
"#;
    let (code, text) = check_rules_text(rules);
    assert_eq!(code, Some(0), "{text}");
    let rows: Vec<&str> =
        text.lines().filter(|l| l.starts_with("C1,") || l.starts_with("C2,")).collect();
    assert!(rows[0].ends_with(",high_sat,,0,"), "{}", rows[0]);
    assert!(rows[1].ends_with(",not_surveyed,,0,"), "{}", rows[1]);
}

#[test]
fn check_lists_rule_texts_without_a_translation_for_the_chosen_language() {
    let (_tmp, dir) = project_with_default_rules();
    let project = dir.to_str().unwrap();
    // A new segment title written in English only, in rules translated into Italian.
    let path = dir.join("rules/segments.toml");
    let text = read(&path).replacen(
        "title.en = \"AX: high value, steady demand\"\ntitle.it = \"AX: alto valore, domanda stabile\"",
        "title = \"AX: top customers\"",
        1,
    );
    assert_ne!(text, read(&path), "the default AX title is where the test expects it");
    std::fs::write(&path, text).unwrap();

    let out = kamplan(&["check", project, "--locale", "it"]);
    let stderr = stderr_of(&out).replace(project, "PROJECT");
    assert_eq!(out.status.code(), Some(0), "a missing translation is not an error: {stderr}");
    assert!(
        stderr.contains("warning: no Italian version of this text (add `it` = …); the documents show it as written\n  --> PROJECT/rules/segments.toml:"),
        "{stderr}"
    );
    assert!(stderr.contains("title = \"AX: top customers\""), "the line is quoted: {stderr}");
    assert!(stderr.contains("1 text without an Italian version"), "{stderr}");

    // In English the plain title is the English text: nothing to report.
    let out = kamplan(&["check", project]);
    assert!(!stderr_of(&out).contains("warning"), "{}", stderr_of(&out));

    let out = kamplan(&["check", project, "--locale", "de"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("--locale de: expected one of en, it"));
}
