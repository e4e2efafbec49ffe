//! Computed ABC limits against the reference implementation: R's
//! `ABCanalysis` 1.2.1 (Ultsch & Lötsch) run on the data sets of
//! tests/fixtures/abc gave the points and every item's class.

mod common;

use common::{csv_records, kamplan_ok, pdf_text, sample_copy};
use kamplan::classify::computed::limits;
use std::path::Path;

fn fixture(name: &str) -> csv::Reader<std::fs::File> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/abc").join(name);
    csv::Reader::from_path(path).unwrap()
}

#[test]
fn the_limits_and_every_class_are_those_of_the_reference() {
    let mut checked = 0;
    for row in fixture("results_R.csv").records() {
        let row = row.unwrap();
        let set = &row[0];
        let values: Vec<f64> = fixture(&format!("input_{set}.csv"))
            .records()
            .map(|r| r.unwrap()[0].parse().unwrap())
            .collect();
        assert_eq!(values.len(), row[1].parse::<usize>().unwrap(), "{set}");
        let found = limits(&values).unwrap();
        let number = |i: usize| row[i].parse::<f64>().unwrap();
        for (name, ours, theirs) in [
            ("A", found.a_effort, number(3)),
            ("B", found.b_effort, number(5)),
            ("C", found.c_effort, number(7)),
        ] {
            assert!((ours - theirs).abs() < 1e-9, "{set}: point {name} at {ours}, R {theirs}");
        }
        assert_eq!(found.exchanged, &row[9] == "TRUE", "{set}");
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let (ab, bc) = (sorted[found.ab_rank], sorted[found.bc_rank]);
        assert!((ab - number(12)).abs() < 1e-9 && (bc - number(13)).abs() < 1e-9, "{set}");
        // Every item's class: A above the A|B limit, C below the B|C limit.
        for item in fixture(&format!("R_classes_{set}.csv")).records() {
            let item = item.unwrap();
            let value: f64 = item[1].parse().unwrap();
            let class = if value > ab {
                "A"
            } else if value < bc {
                "C"
            } else {
                "B"
            };
            assert_eq!(class, &item[2], "{set}: item {} of value {value}", &item[0]);
            checked += 1;
        }
    }
    assert_eq!(checked, 2357 + 500 + 60 + 1000 + 11 + 152);
}

/// Values, the points A, B and C, whether exchanged, the A|B and B|C limit values.
type Case = (Vec<f64>, [f64; 3], bool, [f64; 2]);

#[test]
fn small_and_tied_cases_are_those_of_the_reference() {
    // (values, points A B C, exchanged, A|B and B|C limit values) as R gave them.
    let mut big_zeros = vec![100.0];
    big_zeros.extend([0.0; 99]);
    let mut big_ones = vec![100.0];
    big_ones.extend([1.0; 99]);
    let mut two = vec![10.0; 10];
    two.extend([1.0; 90]);
    let cases: [Case; 5] = [
        (vec![1.0, 2.0, 3.0], [0.43, 0.49, 0.64], false, [3.0, 2.0]),
        (big_zeros, [0.01, 0.04, 0.04], false, [100.0, 0.0]),
        (big_ones, [0.04, 0.20, 0.36], true, [1.0, 1.0]),
        (two, [0.11, 0.22, 0.39], true, [1.0, 1.0]),
        // Negative and missing values count as 0.
        (vec![10.0, 5.0, -3.0, f64::NAN, 2.0, 1.0, 8.0], [0.34, 0.40, 0.46], false, [8.0, 5.0]),
    ];
    for (values, points, exchanged, [ab, bc]) in cases {
        let found = limits(&values).unwrap();
        let ours = [found.a_effort, found.b_effort, found.c_effort];
        assert!(ours.iter().zip(points).all(|(a, b)| (a - b).abs() < 1e-9), "{values:?}: {ours:?}");
        assert_eq!(found.exchanged, exchanged, "{values:?}");
        let mut sorted: Vec<f64> = values.iter().map(|v| v.max(0.0)).collect();
        sorted.sort_by(|a, b| b.total_cmp(a));
        assert_eq!([sorted[found.ab_rank], sorted[found.bc_rank]], [ab, bc], "{values:?}");
    }
    // All equal: the curve is a straight line and gives no limits (R: no class at all).
    assert_eq!(limits(&[5.0; 50]), None);
}

/// The bundled sample's ABC classification rule switched to the computed
/// method, in a copy of the project.
fn sample_with_computed_abc() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, dir) = sample_copy();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"), &dir.join("rules"));
    let path = dir.join("rules/classification.toml");
    let rules = std::fs::read_to_string(&path).unwrap();
    let cut = "method = \"cumulative-share\"\nclasses = [\"A\", \"B\", \"C\"]\nbounds = [0.80, 0.95, 1.00]\n";
    assert!(rules.contains(cut), "the default ABC rule changed");
    std::fs::write(&path, rules.replacen(cut, "method = \"computed\"\n", 1)).unwrap();
    (tmp, dir)
}

#[test]
fn the_sample_classified_by_computed_limits_has_the_reference_classes() {
    let (_tmp, dir) = sample_with_computed_abc();
    let project = dir.to_str().unwrap();
    let summary = kamplan_ok(&["classify", project]);
    // R's ABCanalysis on the same revenues (tests/fixtures/abc): limits
    // 11,242.89 and 6,719.56, points at 14.3% and 22.6% of the customers.
    assert!(
        summary.contains(
            "limits computed from the ABC curve of revenue: A above EUR 11,242.89, C below EUR 6,719.56 (points at 14% and 23% of the customers)"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("ABC        A 21 (81.1% of revenue)   B 13 (6.5% of revenue)   C 118"),
        "{summary}"
    );
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (abc, revenue) = (column("abc"), column("revenue"));
    let reference: Vec<csv::StringRecord> =
        fixture("R_classes_kamplan_sample_revenue.csv").records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), reference.len());
    for (row, r) in rows.iter().zip(&reference) {
        let value: f64 = row[revenue].parse().unwrap_or(0.0);
        assert_eq!(value.max(0.0), r[1].parse::<f64>().unwrap(), "{row:?}");
        assert_eq!(row[abc], r[2], "customer {}", row[0]);
    }
    // explain gives the limits, the report states them, the plan reasons with them.
    let out = common::kamplan(&["explain", "C0004", project]);
    assert!(out.status.success());
    let explained = String::from_utf8_lossy(&out.stdout);
    assert!(
        explained.contains("the ABC curve's limits: A above 11,242.89, C below 6,719.56"),
        "{explained}"
    );
    kamplan_ok(&["build", project]);
    let report = common::normalise(&pdf_text(&dir.join("out/portfolio.pdf"), false));
    assert!(
        report.contains("Class limits set where the revenue curve bends (computed ABC analysis, Ultsch and Lötsch): A above €11,243, B from €6,720 to €11,243, C below €6,720."),
        "{report}"
    );
    let plan = common::normalise(&pdf_text(
        &dir.join("out/accounts/c0004-serra-costruzioni-s-p-a.pdf"),
        false,
    ));
    assert!(
        plan.contains(
            "above €11,243, the class A threshold computed from the distribution of all customers."
        ),
        "{plan}"
    );
}

#[test]
fn a_computed_rule_with_bounds_or_four_classes_is_refused_at_its_place() {
    let (_tmp, dir) = sample_with_computed_abc();
    let path = dir.join("rules/classification.toml");
    let rules = std::fs::read_to_string(&path).unwrap();
    let broken = rules.replacen(
        "method = \"computed\"\n",
        "method = \"computed\"\nclasses = [\"A\", \"B\", \"C\", \"D\"]\nbounds = [0.5, 0.8, 0.95, 1.0]\n",
        1,
    );
    std::fs::write(&path, broken).unwrap();
    let out = common::kamplan(&["classify", dir.to_str().unwrap()]);
    assert!(!out.status.success());
    let problems = common::problems(&common::stderr_of(&out));
    assert!(problems.contains("rules/classification.toml:17:10: method = \"computed\" finds the limits itself; it takes no bounds"), "{problems}");
    assert!(problems.contains("rules/classification.toml:16:11: method = \"computed\" finds two limits, so it makes exactly 3 classes; found 4"), "{problems}");
}

/// A project of `sales` lines whose only rule is a computed ABC on revenue.
fn classify_with_computed_rule(sales: &str) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    common::write_project(
        dir.path(),
        "sales.csv",
        sales.as_bytes(),
        None,
        "[project]\nas_of = \"2025-06-30\"\n",
    );
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/classification.toml"),
        "[classification.abc]\nkind = \"abc\"\nmethod = \"computed\"\n",
    )
    .unwrap();
    let summary = kamplan_ok(&["classify", dir.path().to_str().unwrap()]);
    let (header, rows) = csv_records(&dir.path().join("out/portfolio.csv"));
    let abc = header.iter().position(|h| h == "abc").unwrap();
    (summary, rows.iter().map(|r| r[abc].clone()).collect())
}

#[test]
fn a_curve_without_limits_or_an_empty_class_a_is_told() {
    // Equal revenue: the curve is a straight line.
    let sales: String = std::iter::once("date,customer_id,revenue\n".to_string())
        .chain((0..8).map(|i| format!("2025-03-{:02},C{i},250\n", i + 1)))
        .collect();
    let (summary, classes) = classify_with_computed_rule(&sales);
    assert!(
        summary.contains("warning    abc: the ABC curve of revenue gives no limits (fewer than two customers, or the values are too even): every customer with a positive value is B"),
        "{summary}"
    );
    assert!(classes.iter().all(|c| c == "B"), "{classes:?}");
    // One customer with all the revenue and 99 that bought only in the
    // previous window: R's ABCanalysis puts the A|B limit on that customer
    // itself (A empty, the customer B).
    let sales: String =
        std::iter::once("date,customer_id,revenue\nC000,2025-03-01,1000\n".to_string())
            .chain((1..100).map(|i| format!("C{i:03},2024-03-01,5\n")))
            .collect();
    let sales = sales.replacen("date,customer_id", "customer_id,date", 1);
    let (summary, classes) = classify_with_computed_rule(&sales);
    assert!(
        summary.contains("note       abc: the curve's A|B limit is the largest value itself, and A takes the values above it: class A is empty"),
        "{summary}"
    );
    assert_eq!(classes[0], "B");
    assert!(classes[1..].iter().all(|c| c == "C"));
}
