//! The sales aggregate (docs/aggregate.md): what a warehouse returns for
//! `kamplan sql` must give exactly the outputs of the lines it came from.
//!
//! The parity tests run the printed query on DuckDB (PyPI's `duckdb`, found
//! through `KAMPLAN_TEST_PYTHON` or `python3`), then build the project from
//! the lines and from the aggregate and compare every file byte for byte,
//! with the stamp's data hash set alike. Without DuckDB they say so and
//! pass, unless `KAMPLAN_REQUIRE_ENGINES` is set (as CI sets it).

mod common;

use common::{copy_dir, kamplan, python_with, run_query};
use kamplan::ingest::aggregate::COLUMNS;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const HEADER: &str =
    "date,invoice_id,customer_id,product_id,product_category,quantity,revenue,cost";

/// Runs `kamplan sql ARGS` on `engine` over the CSV files of `sales` and
/// writes the result to `out`.
fn aggregate(python: &Path, engine: &str, sql_args: &[&str], sales: &[PathBuf], out: &Path) {
    let printed = kamplan(&[&["sql"], sql_args].concat());
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    run_query(python, engine, &String::from_utf8(printed.stdout).unwrap(), sales, out, None);
}

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
}

/// A copy of `project` whose `[sales]` is the aggregate `file` (moved in).
fn aggregate_project(project: &Path, file: &Path, to: &Path) -> PathBuf {
    copy_dir(project, to);
    let sales = to.join("sales");
    if sales.exists() {
        fs::remove_dir_all(&sales).unwrap();
    }
    let name = format!("aggregate.{}", file.extension().unwrap().to_string_lossy());
    if file.is_dir() {
        copy_dir(file, &to.join(&name));
    } else {
        fs::copy(file, to.join(&name)).unwrap();
    }
    let toml = fs::read_to_string(to.join("kamplan.toml")).unwrap();
    let mut lines: Vec<String> = toml.lines().map(String::from).collect();
    let at = lines.iter().position(|l| l.starts_with("path = \"sales")).expect("a sales path");
    lines[at] = format!("path = \"{name}\"\nkind = \"aggregate\"");
    fs::write(to.join("kamplan.toml"), lines.join("\n") + "\n").unwrap();
    to.to_path_buf()
}

/// Builds `project` into `out` with the stamp's data hash fixed; returns its summary.
fn build(project: &Path, out: &Path) -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_kamplan"))
        .args(["build", &project.display().to_string(), "--out", &out.display().to_string()])
        .env("KAMPLAN_STAMP_DATA", "parity")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{stderr}");
    stderr
}

fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

/// Every file of the two builds, byte for byte.
fn assert_same_files(lines: &Path, aggregate: &Path) {
    let (a, b) = (files_under(lines), files_under(aggregate));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files");
    for (name, bytes) in &a {
        assert!(
            *bytes == b[name],
            "{} differs between the lines and the aggregate",
            name.display()
        );
    }
}

/// The summary lines that say what was read and what it holds.
fn reading(summary: &str) -> Vec<&str> {
    summary
        .lines()
        .filter(|l| l.trim_start().starts_with("lines") || l.trim_start().starts_with("revenue"))
        .collect()
}

#[test]
fn the_sample_built_from_its_aggregate_equals_the_build_from_its_lines() {
    let Some(python) = python_with("duckdb") else { return };
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let from_lines = build(&sample, &dir.path().join("out-lines"));
    assert!(
        files_under(&dir.path().join("out-lines")).keys().any(|k| k.ends_with("portfolio.pdf"))
    );
    // Saved as CSV and as Parquet, as a warehouse exports it.
    for form in ["csv", "parquet"] {
        let file = dir.path().join(format!("aggregate.{form}"));
        let sales = csv_files(&sample.join("sales"));
        aggregate(&python, "duckdb", &["--dialect", "duckdb"], &sales, &file);
        let project = aggregate_project(&sample, &file, &dir.path().join(format!("from-{form}")));
        let out = dir.path().join(format!("out-{form}"));
        let from_aggregate = build(&project, &out);
        assert_eq!(reading(&from_lines), reading(&from_aggregate));
        assert!(from_aggregate.contains("14974 read = 14974 accepted"), "{from_aggregate}");
        assert_same_files(&dir.path().join("out-lines"), &out);
    }
}

/// The sample (saved as `sample_form`) and the edge cases through 15
/// February (as CSV), aggregated by `engine`, build as from their lines.
fn assert_engine_parity(python: &Path, engine: &str, sample_form: &str) {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let edge = edge_project(dir.path(), Some("2025-02-15"));
    for (name, project, form) in [("sample", &sample, sample_form), ("edge", &edge, "csv")] {
        let file = dir.path().join(format!("{name}-{engine}.{form}"));
        let project_arg = project.display().to_string();
        let args = ["--dialect", engine, &project_arg];
        aggregate(python, engine, &args, &csv_files(&project.join("sales")), &file);
        let from =
            aggregate_project(project, &file, &dir.path().join(format!("{name}-from-{engine}")));
        let (a, b) = (
            dir.path().join(format!("{name}-out-lines")),
            dir.path().join(format!("{name}-out-{engine}")),
        );
        assert_eq!(reading(&build(project, &a)), reading(&build(&from, &b)), "{engine}, {name}");
        assert_same_files(&a, &b);
    }
}

#[test]
fn spark_in_local_mode_makes_an_aggregate_that_builds_as_the_lines() {
    let Some(python) = python_with("pyspark") else { return };
    // Spark saves Parquet as a folder of parts with marker files.
    assert_engine_parity(&python, "spark", "parquet");
}

/// Whether psql reaches a PostgreSQL server (through the PG* variables).
fn postgres_reachable() -> bool {
    let reached = Command::new("psql")
        .args(["-X", "-q", "-c", "SELECT 1"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        reached || std::env::var_os("KAMPLAN_REQUIRE_ENGINES").is_none(),
        "psql reaches no PostgreSQL server, and KAMPLAN_REQUIRE_ENGINES is set"
    );
    if !reached {
        eprintln!("skipped: psql reaches no PostgreSQL server (set PGHOST, PGPORT, PGUSER)");
    }
    reached
}

#[test]
fn postgresql_makes_an_aggregate_that_builds_as_the_lines() {
    let Some(python) = python_with("csv") else { return };
    if !postgres_reachable() {
        return;
    }
    assert_engine_parity(&python, "postgres", "csv");
}

#[test]
fn the_bigquery_snowflake_and_other_queries_parse_in_their_dialects() {
    let Some(python) = python_with("sqlglot") else { return };
    let dir = tempfile::tempdir().unwrap();
    for dialect in ["duckdb", "spark", "bigquery", "snowflake", "postgres"] {
        for extra in [&[][..], &["--through", "2025-06-30", "--without", "quantity,product_id"][..]]
        {
            let printed = kamplan(&[&["sql", "--dialect", dialect], extra].concat());
            assert!(printed.status.success());
            let file = dir.path().join(format!("{dialect}.sql"));
            fs::write(&file, &printed.stdout).unwrap();
            let check = format!(
                "import sqlglot; sqlglot.parse(open({:?}).read(), read={:?}, error_level=sqlglot.ErrorLevel.RAISE)",
                file.display().to_string(),
                dialect
            );
            let run = Command::new(&python).args(["-c", &check]).output().unwrap();
            assert!(
                run.status.success(),
                "{dialect} {extra:?}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
    }
    // The check can fail: a query cut short does not parse.
    let broken = dir.path().join("broken.sql");
    fs::write(&broken, "WITH src AS (SELECT date FROM sales_lines SELECT * FROM src").unwrap();
    let check = format!(
        "import sqlglot; sqlglot.parse(open({:?}).read(), read='bigquery', error_level=sqlglot.ErrorLevel.RAISE)",
        broken.display().to_string()
    );
    assert!(!Command::new(&python).args(["-c", &check]).output().unwrap().status.success());
}

/// Lines that try each thing an aggregate must carry exactly.
fn edge_lines() -> String {
    let mut lines = vec![HEADER.to_string()];
    let mut add = |l: &str| lines.push(l.to_string());
    // A: a credit note takes January's Tools revenue to 0; a line without cost.
    add("2025-01-10,I1,A,P1,Tools,2,100.00,60.00");
    add("2025-01-20,CN1,A,P1,Tools,-2,-100.00,-60.00");
    add("2025-03-05,I2,A,P2,Paint,1,50.5,");
    add("2025-04-11,I8,A,P2,Paint,1,12.3456,10");
    // B: one invoice on 31 January, 1 February and in April; a product without category.
    add("2025-01-31,I3,B,P1,Tools,1,10,5");
    add("2025-02-01,I3,B,P2,Paint,1,20,10");
    add("2025-02-15,I4,B,P3,,1,30,15");
    add("2025-04-02,I3,B,P1,Tools,1,5,2");
    // C: lines without invoice beside one with, and a category without product.
    add("2025-02-10,,C,,Services,,40,");
    add("2025-02-10,I5,C,P1,Tools,1,10,5");
    add("2025-02-10,,C,,Services,,15,");
    add("2025-04-30,,C,,Services,,-15,");
    // D: only in the previous window.
    add("2024-07-15,I6,D,P1,Tools,3,300,200");
    add("2024-09-20,I7,D,P4,Tools,1,99.99,80");
    // E: every month, the same product, an invoice a month (two in one).
    for month in 1..=16 {
        let (y, m) = if month <= 12 { (2024, month) } else { (2025, month - 12) };
        add(&format!(
            "{y}-{m:02}-0{},E{month},E,P1,Tools,5,{}.25,{}",
            month % 9 + 1,
            100 + month,
            70
        ));
        if month == 14 {
            add(&format!("{y}-{m:02}-28,E{month}b,E,P5,Paint,1,7,3"));
        }
    }
    lines.join("\n") + "\n"
}

fn edge_project(dir: &Path, as_of: Option<&str>) -> PathBuf {
    let project = dir.join("lines");
    fs::create_dir_all(project.join("sales")).unwrap();
    fs::write(project.join("sales/lines.csv"), edge_lines()).unwrap();
    let mut master = "customer_id,name,sector,potential\n".to_string();
    for id in ["A", "B", "C", "D", "E", "F"] {
        master.push_str(&format!("{id},Customer {id},Retail,{}\n", 5000));
    }
    fs::write(project.join("customers.csv"), master).unwrap();
    let as_of = as_of.map(|d| format!("as_of = \"{d}\"\n")).unwrap_or_default();
    fs::write(
        project.join("kamplan.toml"),
        format!(
            "[project]\nname = \"Edge\"\ncurrency = \"EUR\"\nmonths = 3\n{as_of}\n[sales]\npath = \"sales\"\n\n[customers]\npath = \"customers.csv\"\n"
        ),
    )
    .unwrap();
    project
}

#[test]
fn credit_notes_month_ends_and_missing_parts_come_out_the_same_from_the_aggregate() {
    let Some(python) = python_with("duckdb") else { return };
    // Without as_of the window ends with April; with it, it ends on 15
    // February, inside a month the data goes on in (the query stops there).
    for as_of in [None, Some("2025-02-15"), Some("2025-03-31")] {
        let dir = tempfile::tempdir().unwrap();
        let project = edge_project(dir.path(), as_of);
        let file = dir.path().join("aggregate.csv");
        let args = ["--dialect", "duckdb", &project.display().to_string()];
        aggregate(&python, "duckdb", &args, &csv_files(&project.join("sales")), &file);
        let from = aggregate_project(&project, &file, &dir.path().join("from-aggregate"));
        let lines = build(&project, &dir.path().join("out-lines"));
        let agg = build(&from, &dir.path().join("out-aggregate"));
        assert_eq!(reading(&lines), reading(&agg), "as_of {as_of:?}");
        assert_same_files(&dir.path().join("out-lines"), &dir.path().join("out-aggregate"));
    }
}

/// Runs `kamplan classify PROJECT` into `out`; returns its summary.
fn classify(project: &Path, out: &Path) -> String {
    let run =
        kamplan(&["classify", &project.display().to_string(), "--out", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{stderr}");
    stderr
}

#[test]
fn lines_the_query_leaves_out_are_counted_as_a_reading_of_the_lines_rejects_them() {
    let Some(python) = python_with("duckdb") else { return };
    let dir = tempfile::tempdir().unwrap();
    let project = edge_project(dir.path(), None);
    let mut lines = edge_lines();
    for bad in [
        ",I9,A,P1,Tools,1,10,5",                // no date
        "soon,I9,A,P1,Tools,1,10,5",            // not a date
        "2025-02-03,I9,,P1,Tools,1,10,5",       // no customer
        "2025-02-03,I9,A,P1,Tools,1,,5",        // no revenue
        "2025-02-03,I9,A,P1,Tools,1,ten,5",     // not a number
        "2025-02-03,I9,A,P1,Tools,1,1.00001,5", // more than 4 decimals
        "2025-02-03,I9,A,P1,Tools,1,10,n/a",    // a cost that is no number
        "2025-02-03,I9,A,P1,Tools,1.5x,10,5",   // a quantity that is no number
        "2099-02-03,I9,A,P1,Tools,1,10,5",      // in the future
        "2099-02-04,I9,A,P1,Tools,1,10,5",
        "1899-12-31,I9,A,P1,Tools,1,10,5", // before 1900
    ] {
        lines.push_str(bad);
        lines.push('\n');
    }
    fs::write(project.join("sales/lines.csv"), lines).unwrap();
    let file = dir.path().join("aggregate.csv");
    aggregate(
        &python,
        "duckdb",
        &["--dialect", "duckdb"],
        &csv_files(&project.join("sales")),
        &file,
    );
    let from = aggregate_project(&project, &file, &dir.path().join("from-aggregate"));
    let (a, b) = (dir.path().join("out-lines"), dir.path().join("out-aggregate"));
    let (from_lines, from_aggregate) = (classify(&project, &a), classify(&from, &b));
    assert_eq!(reading(&from_lines), reading(&from_aggregate));
    assert!(from_aggregate.contains("11 rejected"), "{from_aggregate}");
    assert_eq!(
        fs::read(a.join("portfolio.csv")).unwrap(),
        fs::read(b.join("portfolio.csv")).unwrap()
    );
    // The same kinds of reject, with the same counts, field by field.
    let by_reason = |summary: &str| {
        summary.lines().find(|l| l.contains("rejected lines by reason")).map(String::from)
    };
    assert!(by_reason(&from_lines).is_some(), "{from_lines}");
    assert_eq!(by_reason(&from_lines), by_reason(&from_aggregate));
}

/// One aggregate row: `kind` and the named columns, the others empty.
fn agg_row(kind: &str, values: &[(&str, &str)]) -> String {
    let cells: Vec<String> = COLUMNS
        .iter()
        .map(|c| match (*c, values.iter().find(|(name, _)| name == c)) {
            ("kind", _) => kind.to_string(),
            (_, Some((_, v))) if v.contains(',') => format!("\"{v}\""),
            (_, Some((_, v))) => v.to_string(),
            (_, None) => String::new(),
        })
        .collect();
    cells.join(",") + "\n"
}

/// Sums of a month row: revenue, cost, quantity, and the same as absolute sums.
fn sums<'a>(revenue: &'a str, cost: &'a str, abs: (&'a str, &'a str)) -> [(&'a str, &'a str); 6] {
    [
        ("revenue", revenue),
        ("cost", cost),
        ("quantity", "0"),
        ("revenue_abs", abs.0),
        ("cost_abs", abs.1),
        ("quantity_abs", "0"),
    ]
}

/// A small aggregate written by hand: A buys on 10 January (2 lines) and
/// has a credit note on 14 February; B buys on 3 February without cost or invoice.
fn tiny() -> String {
    let month = |id: &str, date: &str, lines: &str, days: &str, extra: &[(&str, &str)]| {
        let mut values =
            vec![("customer_id", id), ("date", date), ("lines", lines), ("days", days)];
        values.extend_from_slice(extra);
        agg_row("month", &values)
    };
    let mut text = COLUMNS.join(",") + "\n";
    text += &agg_row("format", &[("key", "version"), ("value", "3")]);
    text += &agg_row("format", &[("key", "columns"), ("value", "cost,invoice")]);
    text += &agg_row("format", &[("key", "through")]);
    let a_jan = sums("150.0000", "90.0000", ("150.0000", "90.0000"));
    text += &month(
        "A",
        "2025-01-01",
        "2",
        "512",
        &[&[("lines_without_cost", "0")][..], &a_jan].concat(),
    );
    text += &agg_row("invoice", &[("customer_id", "A"), ("date", "2025-01-01"), ("n", "1")]);
    text += &agg_row(
        "category",
        &[
            ("customer_id", "A"),
            ("date", "2025-01-01"),
            ("key", "Tools"),
            ("lines", "2"),
            ("revenue", "150.0000"),
        ],
    );
    let a_feb = sums("-20.0000", "-12.0000", ("20.0000", "12.0000"));
    text += &month(
        "A",
        "2025-02-01",
        "1",
        "8192",
        &[&[("lines_without_cost", "0")][..], &a_feb].concat(),
    );
    text += &agg_row("invoice", &[("customer_id", "A"), ("date", "2025-02-01"), ("n", "1")]);
    let b_feb = sums("75.5000", "0", ("75.5000", "0"));
    let b_extra = [("lines_without_cost", "1"), ("days_without_invoice", "4")];
    text += &month("B", "2025-02-01", "1", "4", &[&b_extra[..], &b_feb].concat());
    // Each customer's first day and its revenue.
    text += &agg_row("first", &[("customer_id", "A"), ("date", "2025-01-10"), ("revenue", "150")]);
    text += &agg_row("first", &[("customer_id", "B"), ("date", "2025-02-03"), ("revenue", "75.5")]);
    for (key, n, revenue) in [
        ("rows", "8", ""),
        ("lines", "4", "205.5000"),
        ("invoices", "2", ""),
        ("customers", "2", ""),
    ] {
        text += &agg_row("total", &[("key", key), ("n", n), ("revenue", revenue)]);
    }
    text
}

/// Classifies the aggregate `text` with `args`; returns whether it worked and what it said.
fn classify_aggregate(text: &str, args: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aggregate.csv");
    fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let (file, out) = (file.display().to_string(), out.display().to_string());
    let run = kamplan(&[&["classify", "--sales-aggregate", &file, "--out", &out], args].concat());
    (run.status.success(), String::from_utf8_lossy(&run.stderr).into_owned())
}

#[test]
fn an_aggregate_written_by_hand_is_read_with_its_totals() {
    let (ok, summary) = classify_aggregate(&tiny(), &[]);
    assert!(ok, "{summary}");
    assert!(summary.contains("4 read = 4 accepted + 0 rejected"), "{summary}");
    assert!(summary.contains("EUR 205.50 accepted"), "{summary}");
    assert!(summary.contains("customers  2"), "{summary}");
}

#[test]
fn a_row_lost_on_the_way_is_caught_by_the_control_totals() {
    let lost: String =
        tiny().lines().filter(|l| !l.starts_with("month,B")).map(|l| format!("{l}\n")).collect();
    let (ok, message) = classify_aggregate(&lost, &[]);
    assert!(!ok);
    assert!(
        message.contains(
            "the control totals do not add up: the rows hold 7 rows, the total row for rows says 8"
        ),
        "{message}"
    );
    // Amounts changed on the way (a column cast to a float, say).
    let changed = tiny().replace("75.5000,0,0,75.5000", "75.4999,0,0,75.4999");
    let (ok, message) = classify_aggregate(&changed, &[]);
    assert!(!ok);
    assert!(
        message.contains("a revenue of 205.4999, the total row for lines says 205.5"),
        "{message}"
    );
}

#[test]
fn an_aggregate_of_another_form_or_version_is_refused_with_what_was_expected() {
    let t = tiny();
    let cases = [
        (
            t.replace("format,,,,version,3", "format,,,,version,2"),
            "aggregate format version 2; this kamplan reads version 3",
        ),
        (
            t.lines().filter(|l| !l.contains(",version,")).map(|l| format!("{l}\n")).collect(),
            "no format row for version",
        ),
        (
            t.replace("quantity_abs", "qty_abs"),
            "column 17 is \"qty_abs\", which an aggregate does not have",
        ),
        (
            t.replace("month,B,2025-02-01", "month,B,01/02/2025"),
            "column 3 (date): expected a date yyyy-mm-dd, found \"01/02/2025\"\n  --> ",
        ),
        (
            t.replace("75.5000,0,0,75.5000", "75.50001,0,0,75.5000"),
            "column 12 (revenue): expected a decimal number",
        ),
        (
            t.replace("category,A,2025-01-01", "category,B,2025-01-01"),
            "customer B has category, invoice or product rows for 2025-01 but no month row for it",
        ),
        (
            t.replace("month,A,2025-01-01,,,,2,0,512", "month,A,2025-01-01,,,,2,0,4294967295"),
            "a month row needs lines, and days as the bits of its days",
        ),
        (
            t.replace("kind,customer", "kind,customer_id,customer")
                .replace("\nformat", ",\nformat"),
            "column \"customer_id\" appears twice",
        ),
    ];
    for (text, expected) in cases {
        let (ok, message) = classify_aggregate(&text, &[]);
        assert!(!ok, "{expected}");
        assert!(message.contains(expected), "expected {expected:?} in:\n{message}");
    }
}

#[test]
fn a_window_cut_inside_a_month_asks_for_the_query_through_that_date() {
    // A's January lines on the 10th and the 20th: as_of 15 January would cut the month.
    let split = tiny().replace("month,A,2025-01-01,,,,2,0,512", "month,A,2025-01-01,,,,2,0,524800");
    let (ok, summary) = classify_aggregate(&split, &[]);
    assert!(ok, "{summary}");
    let (ok, message) = classify_aggregate(&split, &["--as-of", "2025-01-15"]);
    assert!(!ok);
    assert!(
        message.contains("customer A has sales in 2025-01 on both sides of 2025-01-15"),
        "{message}"
    );
    assert!(message.contains("kamplan sql --through 2025-01-15"), "{message}");
    // A cut inside a month that holds no sales after it is fine.
    let (ok, summary) = classify_aggregate(&tiny(), &["--as-of", "2025-02-14"]);
    assert!(ok, "{summary}");
    // A query that stopped at 15 January left the later lines out and said so.
    let keep = |l: &&str| {
        !l.contains("2025-02-01") && !l.starts_with("first,B") && !l.contains(",through,")
    };
    let mut through: String = tiny().lines().filter(keep).map(|l| format!("{l}\n")).collect();
    through = through
        .replace("total,,,,rows,,,,,,8", "total,,,,rows,,,,,,5")
        .replace("total,,,,invoices,,,,,,2", "total,,,,invoices,,,,,,1")
        .replace("total,,,,customers,,,,,,2", "total,,,,customers,,,,,,1");
    through += &agg_row("format", &[("key", "through"), ("value", "2025-01-15")]);
    through += &agg_row(
        "excluded",
        &[("key", "date/after_through"), ("lines", "2"), ("revenue", "55.5000")],
    );
    let (ok, summary) = classify_aggregate(&through, &["--as-of", "2025-01-15"]);
    assert!(ok, "{summary}");
    assert!(summary.contains("4 read = 4 accepted + 0 rejected"), "{summary}");
    let (ok, message) = classify_aggregate(&through, &[]);
    assert!(!ok);
    assert!(message.contains("the query left out 2 lines dated after 2025-01-15"), "{message}");
}

#[test]
fn kind_in_kamplan_toml_is_checked_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("aggregate.csv"), tiny()).unwrap();
    let cases = [
        ("[sales]\npath = \"aggregate.csv\"\nkind = \"aggregate\"\n", None),
        (
            "[sales]\npath = \"aggregate.csv\"\nkind = \"agregate\"\n",
            Some("kind is \"agregate\"; expected \"lines\" or \"aggregate\""),
        ),
        (
            "[sales]\npath = \"aggregate.csv\"\nkind = \"aggregate\"\ndelimiter = \";\"\n",
            Some("delimiter does not apply to an aggregate, which has one format"),
        ),
        (
            "[sales]\npath = \"aggregate.csv\"\nkind = \"aggregate\"\n[customers]\npath = \"c.csv\"\nkind = \"aggregate\"\n",
            Some("kind applies to [sales] only"),
        ),
    ];
    for (toml, expected) in cases {
        fs::write(dir.path().join("kamplan.toml"), toml).unwrap();
        let out = dir.path().join("out").display().to_string();
        let run = kamplan(&["classify", &dir.path().display().to_string(), "--out", &out]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        match expected {
            None => assert!(run.status.success(), "{stderr}"),
            Some(message) => {
                assert!(!run.status.success());
                assert!(stderr.contains(message), "expected {message:?} in:\n{stderr}");
                assert!(stderr.contains("kamplan.toml:"), "the place is named:\n{stderr}");
            }
        }
    }
}

#[test]
fn ids_the_rule_makes_one_customer_of_are_flagged_when_they_count_invoices() {
    let dir = tempfile::tempdir().unwrap();
    // B's February invoice written under "b": upper_case makes it B's.
    let text = tiny().replace("month,B,2025-02-01", "month,b,2025-02-01")
        + &agg_row("invoice", &[("customer_id", "b"), ("date", "2025-02-01"), ("n", "1")])
        + &agg_row("invoice", &[("customer_id", "B"), ("date", "2025-02-01"), ("n", "1")]);
    let text = text
        .replace("total,,,,rows,,,,,,8", "total,,,,rows,,,,,,10")
        .replace("total,,,,invoices,,,,,,2", "total,,,,invoices,,,,,,4");
    fs::write(dir.path().join("aggregate.csv"), text).unwrap();
    let toml = "[sales]\npath = \"aggregate.csv\"\nkind = \"aggregate\"\n\n[customer_ids]\nupper_case = true\n";
    fs::write(dir.path().join("kamplan.toml"), toml).unwrap();
    let out = dir.path().join("out").display().to_string();
    let run = kamplan(&["classify", &dir.path().display().to_string(), "--out", &out]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("the [customer_ids] rule makes one customer of several ids of the aggregate for 1 customer (e.g. B)"),
        "{stderr}"
    );
}
