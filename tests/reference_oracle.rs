//! Differential test: `kamplan classify` against an independent Python implementation of
//! the metrics and classes of docs/metrics.md (`tests/reference/spec_reference.py`).
//!
//! Each case builds a project (with `kamplan sample` or by hand for edge cases), runs the
//! binary and the oracle with the same period and rules, and compares `portfolio.csv` row by
//! row: every column byte for byte, except the reported ratios which may differ by one unit
//! in the sixth decimal.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const KAMPLAN: &str = env!("CARGO_BIN_EXE_kamplan");

/// Ratio columns are reported rounded to 6 decimals: both sides may round a tie differently.
const RATIO_COLUMNS: [&str; 4] = ["margin_pct", "growth", "share_of_wallet", "cv"];
const RATIO_TOLERANCE: f64 = 1e-6 + 1e-9;

const RANK_FREQUENCY_RULES: &str = r#"[classification.abc]
kind = "abc"
method = "rank-share"
shares = [0.10, 0.20, 0.70]

[classification.xyz]
kind = "xyz"
method = "frequency"
bounds = [0.75, 0.40]
"#;

const SALES_HEADER: &str =
    "date,invoice_id,customer_id,product_id,product_category,quantity,revenue,cost";
const CUSTOMERS_HEADER: &str = "customer_id,name,sector,region,account_manager,potential,satisfaction,loyalty,relationship_stage,customer_since,cost_to_serve";

/// Rules for a run, passed to kamplan as `rules/classification.toml` and to the oracle as flags.
#[derive(Clone, Copy)]
enum Rules {
    Default,
    RankFrequency,
}

/// One run of both implementations over a project folder.
struct Run<'a> {
    label: &'a str,
    project: &'a Path,
    sales: PathBuf,
    customers: Option<PathBuf>,
    months: u32,
    as_of: Option<&'a str>,
    rules: Rules,
}

impl Run<'_> {
    /// Runs both sides, compares them and returns the oracle's portfolio.
    fn check(&self) -> String {
        let rules_dir = self.project.join("rules");
        let _ = fs::remove_dir_all(&rules_dir);
        if let Rules::RankFrequency = self.rules {
            fs::create_dir_all(&rules_dir).unwrap();
            fs::write(rules_dir.join("classification.toml"), RANK_FREQUENCY_RULES).unwrap();
        }

        let mut classify: Vec<String> =
            vec!["classify".into(), self.project.display().to_string(), "--quiet".into()];
        classify.extend(["--months".into(), self.months.to_string()]);
        let mut oracle: Vec<String> = vec![
            oracle_script().display().to_string(),
            "--sales".into(),
            self.sales.display().to_string(),
            "--months".into(),
            self.months.to_string(),
        ];
        if let Some(customers) = &self.customers {
            oracle.extend(["--customers".into(), customers.display().to_string()]);
        }
        if let Some(as_of) = self.as_of {
            classify.extend(["--as-of".into(), as_of.into()]);
            oracle.extend(["--as-of".into(), as_of.into()]);
        }
        if let Rules::RankFrequency = self.rules {
            oracle.extend(
                ["--abc-method", "rank-share", "--xyz-method", "frequency"].map(Into::into),
            );
        }

        run(KAMPLAN, &classify);
        let actual = fs::read_to_string(self.project.join("out").join("portfolio.csv")).unwrap();
        let expected = run("python3", &oracle);
        compare(self.label, &expected, &actual);
        expected
    }
}

/// Pins a few hand-computed values so that the oracle itself is checked on the edge cases.
fn assert_cells(label: &str, portfolio: &str, cells: &[(&str, &str, &str)]) {
    let (header, rows) = parse(portfolio);
    for &(id, column, value) in cells {
        let col = header.iter().position(|h| h == column).unwrap();
        let row = rows.iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("{label}: no {id}"));
        assert_eq!(row[col], value, "{label}: oracle's {column} of {id}");
    }
}

fn oracle_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("reference").join("spec_reference.py")
}

/// Runs a program, panicking with its stderr unless it succeeds; returns its stdout.
fn run(program: &str, args: &[String]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {} failed ({}):\n{}{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

fn sample(dir: &Path, args: &[&str]) {
    let mut all: Vec<String> = vec!["sample".into()];
    all.extend(args.iter().map(|a| a.to_string()));
    all.push(dir.display().to_string());
    run(KAMPLAN, &all);
}

fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    (header, rows)
}

fn ratio_matches(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    match (expected.parse::<f64>(), actual.parse::<f64>()) {
        (Ok(e), Ok(a)) => (e - a).abs() <= RATIO_TOLERANCE,
        _ => false,
    }
}

/// Compares the oracle's portfolio with kamplan's; panics with a readable diff.
fn compare(label: &str, expected: &str, actual: &str) {
    let (header, rows) = parse(expected);
    let (actual_header, actual_rows) = parse(actual);
    // kamplan adds the rules' own columns (derived metrics, more
    // classifications, matrices); the metric columns must be there, in order.
    let positions: Vec<usize> = header
        .iter()
        .map(|h| {
            actual_header
                .iter()
                .position(|a| a == h)
                .unwrap_or_else(|| panic!("{label}: no column {h}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{label}: SPEC columns out of order: {actual_header:?}"
    );
    let actual_rows: Vec<Vec<String>> =
        actual_rows.iter().map(|r| positions.iter().map(|&p| r[p].clone()).collect()).collect();
    assert!(!actual.contains('\r'), "{label}: portfolio.csv must use \\n line ends");

    let mut report = String::new();
    let mut mismatched_rows = 0;
    if rows.len() != actual_rows.len() {
        let ids = |rows: &[Vec<String>]| rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>();
        let _ = writeln!(
            report,
            "row count: expected {}, kamplan printed {}\n  expected ids: {:?}\n  kamplan ids:  {:?}",
            rows.len(),
            actual_rows.len(),
            ids(&rows),
            ids(&actual_rows)
        );
    }
    for (e, a) in rows.iter().zip(&actual_rows) {
        let diffs: Vec<String> = header
            .iter()
            .zip(e.iter().zip(a))
            .filter(|(name, (e, a))| {
                if name.as_str() == "alerts" {
                    false // the oracle implements the metrics and classes, not the alert rules
                } else if RATIO_COLUMNS.contains(&name.as_str()) {
                    !ratio_matches(e, a)
                } else {
                    e != a
                }
            })
            .map(|(name, (e, a))| format!("{name}: expected {e:?}, kamplan {a:?}"))
            .collect();
        if diffs.is_empty() {
            continue;
        }
        mismatched_rows += 1;
        if mismatched_rows <= 8 {
            let _ = writeln!(report, "customer {}:\n    {}", e[0], diffs.join("\n    "));
            let _ = writeln!(report, "  expected: {}\n  kamplan:  {}", e.join(","), a.join(","));
        }
    }
    if !report.is_empty() {
        panic!(
            "{label}: kamplan disagrees with the SPEC oracle ({mismatched_rows} of {} rows differ)\n{report}",
            rows.len()
        );
    }
}

fn sample_run<'a>(label: &'a str, dir: &'a Path, months: u32, as_of: Option<&'a str>) -> Run<'a> {
    Run {
        label,
        project: dir,
        sales: dir.join("sales"),
        customers: Some(dir.join("customers.csv")),
        months,
        as_of,
        rules: Rules::Default,
    }
}

#[test]
fn sample_default_period() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    sample(&dir, &["--customers", "120", "--months", "30", "--seed", "7"]);
    sample_run("sample seed 7, 12 months", &dir, 12, None).check();
}

#[test]
fn sample_six_months() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    sample(&dir, &["--customers", "150", "--months", "20", "--seed", "21", "--lines", "6000"]);
    sample_run("sample seed 21, 6 months", &dir, 6, None).check();
}

#[test]
fn sample_mid_month_as_of() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    sample(&dir, &["--customers", "100", "--months", "30", "--seed", "5"]);
    sample_run("sample seed 5, as of 2025-03-15", &dir, 12, Some("2025-03-15")).check();
    sample_run("sample seed 5, 5 months as of 2024-11-30", &dir, 5, Some("2024-11-30")).check();
}

#[test]
fn sample_rank_share_and_frequency() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    sample(&dir, &["--customers", "130", "--months", "26", "--seed", "9"]);
    let mut run = sample_run("sample seed 9, rank-share + frequency", &dir, 12, None);
    run.rules = Rules::RankFrequency;
    run.check();
    run.label = "sample seed 9, rank-share + frequency, 8 months as of 2025-05-20";
    run.months = 8;
    run.as_of = Some("2025-05-20");
    run.check();
}

#[test]
fn sample_single_file_leap_year() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    sample(
        &dir,
        &[
            "--customers",
            "40",
            "--months",
            "26",
            "--seed",
            "13",
            "--single-file",
            "--last-month",
            "2024-02",
        ],
    );
    let mut run = sample_run("single file ending 2024-02, 24 months", &dir, 24, None);
    run.sales = dir.join("sales").join("sales.csv");
    run.check();
}

// ---------------------------------------------------------------------------------------------
// Hand-made edge cases, canonical format.

const PROJECT_TOML: &str = r#"[project]
name = "Oracle edge cases"
currency = "EUR"
months = 12

[sales]
path = "sales"

[customers]
path = "customers.csv"
"#;

/// Window 2025-01-01..=2025-04-15 with `--months 4 --as-of 2025-04-15`; previous window
/// 2024-09-01..=2024-12-31. Positive revenue totals 2.00 so that cumulative shares land
/// exactly on the 0.80 and 0.95 bounds (T9 and cvx), behind a tie (T10 before T9 by bytes).
/// cvx has cv exactly 0.5 and cvy exactly 1.0.
const EDGE_SALES_A: &str = r#"2024-08-31,I12,T10,P1,Fasteners,1,5.00,1.00
2024-09-01,I11,T10,P1,Fasteners,1,0.40,0.10
2024-10-05,I50,old,P1,Fasteners,1,0.25,0.20
2024-12-31,I0,big,P9,Fasteners,1,0.70,0.10
2025-01-01,I1,big,P1,Fasteners,1,0.10,0.05
2025-01-01,I1,big,P2,Fasteners,2.5,0.30,0.20
2025-02-10,,big,P1,Fasteners,1,0.10,0.08
2025-02-10,"",big,P3,Fasteners,1,0.30,0.31
2025-03-05,,big,P1,Fasteners,1.2345,0.40,0.40
2025-04-15,I2,big,P4,Fasteners,1,0.20,0.25
2025-04-16,I3,big,P4,Fasteners,1,99.00,1.00
2023-01-10,I60,ancient,P1,Fasteners,1,7.00,1.00
"#;

const EDGE_SALES_B: &str = r#"2025-03-01,I10,T10,P1,"Hand tools, misc",3,0.20,0.25
2025-02-28,I20,T9,P2,Hand tools,1,0.20,0.10
2025-04-20,I21,T9,P2,Hand tools,1,3.00,0.10
2025-04-01,I30,M,P5,Hand tools,1,0.10,0.10
2025-01-31,I80,cvx,P1,Hand tools,1,0.03,0.01
2025-02-01,I81,cvx,P1,Hand tools,1,0.01,0.01
2025-03-15,I82,cvx,P1,Hand tools,1,0.02,0.01
2025-03-16,I83,cvx,P2,Hand tools,1,0.01,0.01
2025-04-02,I84,cvx,P1,Hand tools,1,0.01,0.01
2025-01-02,I90,cvy,P1,Hand tools,1,0.01,0.01
2025-03-02,I91,cvy,P1,Hand tools,1,0.01,0.01
2025-03-10,CN1,neg,P1,Hand tools,-1,-0.50,-0.30
2025-01-15,I40,rev,P1,Hand tools,2,0.30,0.20
2025-01-20,CN2,rev,P1,Hand tools,-2,-0.30,-0.20
2025-04-30,I70,late,P1,Hand tools,1,1.00,0.50
"#;

const EDGE_CUSTOMERS: &str = r#"big,"Big ""Boss"", Inc",Retail,Nord,Anna,5.60,4,50,mid-KAM,2010-01-01,10.00
T10,Ten,,,,0,,,,,
T9,Nine,,,,,,,,,
M,Em,,,,0.30,,,,,
cvx,Regular,,,,1.00,,,,,
cvy,Irregular,,,,"1.00",,,,,
neg,Credit only,,,,10.00,,,,,
idle,No sales,,,,100.00,,,,,
Émile,Émile Zola,,,,,,,,,
"#;

fn write_edge_project(dir: &Path) {
    fs::create_dir_all(dir.join("sales")).unwrap();
    fs::write(dir.join("kamplan.toml"), PROJECT_TOML).unwrap();
    fs::write(dir.join("sales").join("a.csv"), format!("{SALES_HEADER}\n{EDGE_SALES_A}")).unwrap();
    fs::write(dir.join("sales").join("b.csv"), format!("{SALES_HEADER}\n{EDGE_SALES_B}")).unwrap();
    fs::write(dir.join("customers.csv"), format!("{CUSTOMERS_HEADER}\n{EDGE_CUSTOMERS}")).unwrap();
}

#[test]
fn edge_cases_exact_bounds_and_period() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("edge");
    write_edge_project(&dir);
    let mut run = sample_run("edge cases, 4 months as of 2025-04-15", &dir, 4, Some("2025-04-15"));
    let portfolio = run.check();
    assert_cells(
        run.label,
        &portfolio,
        &[
            ("T10", "abc", "A"),
            ("T9", "abc", "B"),
            ("cvx", "abc", "C"),
            ("cvx", "cv", "0.5"),
            ("cvx", "xyz", "X"),
            ("cvy", "cv", "1"),
            ("cvy", "xyz", "Y"),
            ("big", "orders", "4"),
            ("big", "quantity", "7.7345"),
            ("big", "growth", "1"),
            ("T10", "margin", "-0.05"),
            ("neg", "share_of_wallet", "-0.05"),
            ("rev", "active_months", "0"),
            ("old", "growth", "-1"),
        ],
    );
    assert!(!portfolio.contains("\nlate,"), "late buys only after as_of");
    run.label = "edge cases, rank-share + frequency, 4 months as of 2025-04-15";
    run.rules = Rules::RankFrequency;
    let portfolio = run.check();
    assert_cells(
        run.label,
        &portfolio,
        &[("T10", "abc", "A"), ("M", "abc", "B"), ("cvx", "abc", "C")],
    );
    run.label = "edge cases, default period";
    run.rules = Rules::Default;
    run.months = 12;
    run.as_of = None;
    run.check();
}

/// Sales without the optional `invoice_id`, `product_id` and `cost` columns, over a 20-month
/// window ending 2024-02 (leap year): 10 customers, so the rank-share quotas are exactly
/// ceil(0.1·10) = 1 and ceil(0.3·10) = 3, and active-month shares hit 0.75 and 0.40 exactly.
fn write_minimal_project(dir: &Path) {
    // (customer, active months counted from the window's first month, revenue per month)
    let plan: [(&str, u32, &str); 8] = [
        ("R01", 15, "10.00"),
        ("R02", 8, "12.00"),
        ("R03", 14, "5.00"),
        ("R04", 7, "9.00"),
        ("R05", 20, "3.00"),
        ("R06", 1, "50.00"),
        ("R07", 2, "20.00"),
        ("R08", 3, "1.00"),
    ];
    let mut sales = String::from("date,customer_id,quantity,revenue\n");
    // Window: 2022-07 ..= 2024-02; previous window: 2020-11 ..= 2022-06.
    let month = |k: u32| {
        let index = 2022 * 12 + 6 + k;
        (index / 12, index % 12 + 1)
    };
    for (id, active, amount) in plan {
        for k in 0..active {
            let (y, m) = month(k);
            let day = 1 + (k * 7) % 28;
            let _ = writeln!(sales, "{y}-{m:02}-{day:02},{id},1,{amount}");
            if id == "R05" {
                // A second line on the same date: still one order (distinct dates).
                let _ = writeln!(sales, "{y}-{m:02}-{day:02},{id},0.5,0.01");
            }
        }
    }
    sales.push_str(
        "2022-06-30,R01,1,100.00\n\
         2020-11-01,R02,1,48.00\n\
         2020-10-31,R02,1,500.00\n\
         2023-05-10,R09,1,5.00\n\
         2023-05-20,R09,-1,-5.00\n\
         2021-03-03,R09,1,7.50\n\
         2024-02-29,R10,-2,-4.00\n",
    );
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("kamplan.toml"), PROJECT_TOML.replace("\"sales\"", "\"sales.csv\""))
        .unwrap();
    fs::write(dir.join("sales.csv"), sales).unwrap();
    let customers = format!(
        "{CUSTOMERS_HEADER}\n\
         R01,One,,,,300.00,,,,,\n\
         R02,Two,,,,,,,,,\n\
         R03,Three,,,,-5,,,,,\n\
         R04,Four,,,,63,,,,,\n\
         R05,Five,,,,,,,,,\n\
         R06,Six,,,,,,,,,\n\
         R07,Seven,,,,,,,,,\n\
         R08,Eight,,,,,,,,,\n\
         R09,Nine,,,,,,,,,\n"
    );
    fs::write(dir.join("customers.csv"), customers).unwrap();
}

#[test]
fn edge_cases_without_optional_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("minimal");
    write_minimal_project(&dir);
    let mut run = Run {
        label: "no invoice/product/cost columns, 20 months",
        project: &dir,
        sales: dir.join("sales.csv"),
        customers: Some(dir.join("customers.csv")),
        months: 20,
        as_of: None,
        rules: Rules::Default,
    };
    let portfolio = run.check();
    assert_cells(
        run.label,
        &portfolio,
        &[
            ("R05", "orders", "20"),
            ("R01", "cost", ""),
            ("R01", "products", ""),
            ("R02", "growth", "1"),
        ],
    );
    run.label = "no invoice/product/cost columns, 20 months, rank-share + frequency";
    run.rules = Rules::RankFrequency;
    let portfolio = run.check();
    assert_cells(
        run.label,
        &portfolio,
        &[
            ("R01", "abc", "A"),
            ("R03", "abc", "B"),
            ("R04", "abc", "C"),
            ("R01", "xyz", "X"),
            ("R02", "xyz", "Y"),
            ("R04", "xyz", "Z"),
        ],
    );
}
