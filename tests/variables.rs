//! The catalogue of base variables is the one place a metric is declared:
//! every entry reaches portfolio.csv (when it is a column), explain, check's
//! name checks and `kamplan variables`, in the project's language.

mod common;

use common::{csv_records, kamplan, kamplan_ok, sample_copy, write_project};
use kamplan::classify::variables::CATALOGUE;

#[test]
fn every_catalogued_variable_reaches_the_table_explain_and_check() {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    kamplan_ok(&["classify", project, "--quiet"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let columns: Vec<&str> = CATALOGUE.iter().filter(|v| v.column).map(|v| v.name).collect();
    assert_eq!(header[..columns.len()], columns[..], "portfolio.csv starts with the catalogue");
    assert!(columns.len() >= 16 && rows.len() > 100);

    let out = kamplan(&["explain", &rows[0][0], project]);
    assert!(out.status.success());
    let explained = String::from_utf8_lossy(&out.stdout);
    let metrics = explained.split("\n\n").nth(1).expect("a metrics section");
    for v in CATALOGUE.iter().filter(|v| !matches!(v.name, "customer_id" | "name")) {
        assert!(
            metrics.lines().any(|l| l.split_whitespace().next() == Some(v.name)),
            "explain does not list {}:\n{metrics}",
            v.name
        );
    }

    // A rule may use every catalogued name; a misspelt one is refused.
    let tmp = tempfile::tempdir().unwrap();
    write_project(tmp.path(), "s.csv", b"date,customer_id,revenue\n2025-01-05,C1,10\n", None, "");
    std::fs::create_dir_all(tmp.path().join("rules")).unwrap();
    let probes: String =
        CATALOGUE.iter().map(|v| format!("probe_{} = \"{}\"\n", v.name, v.name)).collect();
    let rules = tmp.path().join("rules/metrics.toml");
    std::fs::write(&rules, format!("[metrics]\n{probes}")).unwrap();
    let out = kamplan(&["check", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "check refused a catalogued name:\n{stderr}");
    std::fs::write(&rules, format!("[metrics]\n{probes}probe_typo = \"revenu\"\n")).unwrap();
    let out = kamplan(&["check", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("unknown variable \"revenu\""), "{stderr}");
}

#[test]
fn variables_lists_every_name_in_the_project_language() {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    let out = kamplan(&["variables", project]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let listed = |name: &str| text.lines().any(|l| l.split_whitespace().next() == Some(name));
    for v in CATALOGUE {
        assert!(listed(v.name), "{} is not listed:\n{text}", v.name);
    }
    // What the default rules add: a derived metric, a class with its distance,
    // a matrix, and the last three names.
    for name in ["net_contribution", "abc", "abc_distance", "clusters", "alerts", "key_account"] {
        assert!(listed(name), "{name} is not listed:\n{text}");
    }
    assert!(text.contains("net revenue of the window, credit notes included"));

    let toml = dir.join("kamplan.toml");
    let edited = common::read(&toml).replacen("[project]", "[project]\nlocale = \"it\"", 1);
    std::fs::write(&toml, edited).unwrap();
    let out = kamplan(&["variables", project]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("fatturato netto del periodo, note di credito comprese"), "{text}");
    assert!(text.contains("Aggiunte dalle regole"), "{text}");
    for english in
        ["net revenue", "Added by the rules", "whole number", "from the customers master"]
    {
        assert!(!text.contains(english), "English {english:?} in an Italian listing:\n{text}");
    }
}
