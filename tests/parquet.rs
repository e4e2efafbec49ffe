//! Sales lines and the customers master as Parquet files.
//!
//! The twins are made by the engines a client's IT would use (DuckDB and
//! Spark, found as for tests/aggregate.rs): the sample's CSV files cast to
//! typed columns and written as Parquet must give the same portfolio as the
//! CSV files. The edge cases are written here with the `parquet` crate's own
//! writer, so each physical form (INT96, an instant with a time zone, a
//! DECIMAL with six places) is exactly the one meant.

mod common;

use common::*;
use parquet::data_type::Int96;
use std::fs;
use std::path::{Path, PathBuf};

/// The sales lines typed and renamed as an Italian ERP's warehouse table
/// would have them (the names are synonyms kamplan knows).
const SALES_AS_ITALIAN: &str = r#"SELECT
  CAST(date AS DATE) AS `Data documento`,
  invoice_id AS `Numero fattura`,
  customer_id AS `Codice cliente`,
  product_id AS `Codice articolo`,
  product_category AS `Categoria`,
  CAST(quantity AS DECIMAL(18, 4)) AS `Quantità`,
  CAST(revenue AS DECIMAL(18, 2)) AS `Importo netto`,
  CAST(cost AS DECIMAL(38, 4)) AS `Costo`
FROM sales_lines"#;

/// The master with every numeric and date column typed.
const MASTER_TYPED: &str = r#"SELECT
  customer_id AS `Codice cliente`,
  name AS `Ragione sociale`,
  sector AS `Settore`,
  region AS `Regione`,
  account_manager AS `Agente`,
  CAST(potential AS DECIMAL(18, 2)) AS `Potenziale`,
  CAST(satisfaction AS DOUBLE) AS `Soddisfazione`,
  CAST(loyalty AS INTEGER) AS `Fedeltà`,
  relationship_stage AS `Fase relazione`,
  CAST(customer_since AS DATE) AS `Cliente dal`,
  CAST(cost_to_serve AS DECIMAL(18, 2)) AS `Costo servizio`,
  CAST(market_growth AS DECIMAL(9, 4)) AS `Crescita attesa`,
  CAST(attractiveness AS SMALLINT) AS `Attrattività`,
  CAST(adaptability AS BIGINT) AS `Adattabilità`
FROM customers"#;

fn sales_files(project: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        fs::read_dir(project.join("sales")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// A project whose sales and master are the given Parquet file or folder.
fn parquet_project(dir: &Path, sales: &Path, master: &Path, extra: &str) {
    fs::create_dir_all(dir).unwrap();
    let toml = format!(
        "[sales]\npath = \"{}\"\n{extra}\n[customers]\npath = \"{}\"\n",
        sales.display(),
        master.display()
    );
    fs::write(dir.join("kamplan.toml"), toml).unwrap();
}

/// Asserts two portfolios are equal, showing the first row that differs.
fn assert_same(got: &str, expected: &str) {
    let first = got.lines().zip(expected.lines()).find(|(g, e)| g != e);
    assert!(
        first.is_none(),
        "first difference:\n  got      {:?}\n  expected {:?}",
        first.unwrap().0,
        first.unwrap().1
    );
    assert_eq!(got.lines().count(), expected.lines().count());
}

fn portfolio_of(dir: &Path, extra: &[&str]) -> String {
    kamplan_ok(&[&["classify", dir.to_str().unwrap(), "--quiet"], extra].concat());
    read(&dir.join("out/portfolio.csv"))
}

/// Makes the typed twin of `canonical` on `engine`; returns its folder.
fn typed_twin(python: &Path, engine: &str, canonical: &Path, to: &Path) -> PathBuf {
    let sales = to.join("data/sales.parquet");
    let master = to.join("data/customers.parquet");
    fs::create_dir_all(to.join("data")).unwrap();
    let query = |sql: &str| match engine {
        "duckdb" => sql.replace('`', "\""),
        _ => sql.to_string(),
    };
    run_query(python, engine, &query(SALES_AS_ITALIAN), &sales_files(canonical), &sales, None);
    let customers = [canonical.join("customers.csv")];
    run_query(python, engine, &query(MASTER_TYPED), &customers, &master, Some("customers"));
    parquet_project(to, Path::new("data/sales.parquet"), Path::new("data/customers.parquet"), "");
    to.to_path_buf()
}

#[test]
fn a_duckdb_parquet_export_gives_the_same_portfolio_as_its_csv_twin() {
    let Some(python) = python_with("duckdb") else { return };
    let (tmp, canonical) = sample_project(40, 15, 21);
    let expected = portfolio_of(&canonical, &[]);
    let twin = typed_twin(&python, "duckdb", &canonical, &tmp.path().join("duckdb"));
    assert_same(&portfolio_of(&twin, &[]), &expected);
    // Row groups read on one thread or several give the same bytes.
    assert_same(&portfolio_of(&twin, &["-j", "1"]), &expected);
    assert_same(&portfolio_of(&twin, &["-j", "3"]), &expected);
    let stderr = kamplan_ok(&["classify", twin.to_str().unwrap()]);
    assert!(stderr.contains("Parquet, "), "{stderr}");
    assert!(stderr.contains(" row groups, types from the schema"), "{stderr}");
    assert!(stderr.contains(" 0 rejected"), "{stderr}");
}

#[test]
fn a_spark_folder_of_parts_gives_the_same_portfolio_as_its_csv_twin() {
    let Some(python) = python_with("pyspark") else { return };
    let (tmp, canonical) = sample_project(40, 15, 22);
    let expected = portfolio_of(&canonical, &[]);
    let twin = typed_twin(&python, "spark", &canonical, &tmp.path().join("spark"));
    // Spark writes a folder of parts with its marker files beside them.
    let parts = fs::read_dir(twin.join("data/sales.parquet")).unwrap();
    let names: Vec<String> =
        parts.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n == "_SUCCESS"), "{names:?}");
    assert!(names.iter().filter(|n| n.ends_with(".parquet")).count() >= 2, "{names:?}");
    assert_same(&portfolio_of(&twin, &[]), &expected);
    // Spark writes a checksum with each page, so a damaged part is refused
    // rather than read as other figures; the last outputs stay as they were.
    let mut parts: Vec<PathBuf> = fs::read_dir(twin.join("data/sales.parquet"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    parts.sort_by_key(|p| std::cmp::Reverse(fs::metadata(p).unwrap().len()));
    let mut bytes = fs::read(&parts[0]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    fs::write(&parts[0], bytes).unwrap();
    let damaged = kamplan(&["classify", twin.to_str().unwrap()]);
    assert!(!damaged.status.success());
    let message = stderr_of(&damaged);
    assert!(
        message.contains("cannot be read as Parquet (a damaged or incomplete copy?)"),
        "{message}"
    );
    assert!(
        message.contains(&parts[0].file_name().unwrap().to_string_lossy().to_string()),
        "{message}"
    );
    assert_same(&read(&twin.join("out/portfolio.csv")), &expected);
}

#[test]
fn a_file_cut_short_is_refused_with_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("cut");
    edge_case_sales(&project.join("sales"));
    let path = project.join("sales/a-dates.parquet");
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..bytes.len() - 20]).unwrap();
    fs::write(project.join("kamplan.toml"), "[sales]\npath = \"sales\"\n").unwrap();
    let out = kamplan(&["classify", project.to_str().unwrap()]);
    assert!(!out.status.success());
    let message = stderr_of(&out);
    assert!(message.contains("a-dates.parquet"), "{message}");
    assert!(
        message.contains("cannot be read as Parquet (a damaged or incomplete copy?)"),
        "{message}"
    );
}

/// Days since 1970-01-01 of an ISO date.
fn days(iso: &str) -> i32 {
    kamplan::model::Date::parse_iso(iso).expect("an ISO date").days()
}

/// The data set of the edge cases: the same lines as DATE, as instants and
/// as INT96, each in its own file.
fn edge_case_sales(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    // Revenue is DECIMAL(18, 6): exact with 6 places, of which kamplan keeps 4.
    write_parquet(
        &dir.join("a-dates.parquet"),
        "message lines {
            optional int32 Data (DATE);
            optional binary Cliente (STRING);
            optional int64 Fattura;
            optional int64 Importo (DECIMAL(18, 6));
            optional int64 Costo (DECIMAL(18, 2));
            optional double Quantita;
        }",
        vec![
            Values::I32(vec![
                Some(days("2025-03-03")),
                Some(days("2025-03-04")),
                Some(days("2025-03-05")),
                None,
                Some(days("1850-01-01")),
                Some(days("2025-04-01")),
            ]),
            Values::Text(vec![Some("C1"), Some("C1"), None, Some("C2"), Some("C2"), Some(" C2 ")]),
            Values::I64(vec![Some(1001), Some(1002), Some(1003), Some(1004), Some(1005), None]),
            Values::I64(vec![
                Some(100_500_000),
                Some(12_345_678),
                Some(5_000_000),
                Some(5_000_000),
                Some(5_000_000),
                Some(-20_000_000),
            ]),
            Values::I64(vec![Some(8_000), Some(1_000), None, None, None, Some(-1_500)]),
            Values::F64(vec![Some(2.0), Some(1.0), Some(1.0), Some(1.0), Some(1.0), Some(-0.1)]),
        ],
    );
    // Dates as instants: 23:30 UTC on 31 May is 1 June in Rome, and is read
    // as its UTC day, 31 May, with a note.
    let micros =
        |iso: &str, minutes: i64| i64::from(days(iso)) * 86_400_000_000 + minutes * 60_000_000;
    write_parquet(
        &dir.join("b-instants.parquet"),
        "message lines {
            optional int64 Data (TIMESTAMP(MICROS, true));
            optional binary Cliente (STRING);
            optional int64 Importo (DECIMAL(18, 2));
        }",
        vec![
            Values::I64(vec![
                Some(micros("2025-05-31", 23 * 60 + 30)),
                Some(micros("2025-05-02", 0)),
            ]),
            Values::Text(vec![Some("C3"), Some("C3")]),
            Values::I64(vec![Some(7_000), Some(3_000)]),
        ],
    );
    // INT96, as Spark, Hive and Impala write timestamps: nanoseconds of the
    // day, then the Julian day.
    let int96 = |iso: &str| {
        let mut value = Int96::new();
        let nanos: u64 = 10 * 3_600 * 1_000_000_000;
        let julian = (days(iso) + 2_440_588) as u32;
        value.set_data(nanos as u32, (nanos >> 32) as u32, julian);
        value
    };
    write_parquet(
        &dir.join("c-int96.parquet"),
        "message lines {
            optional int96 Data;
            optional int64 Cliente;
            optional int32 Importo (DECIMAL(9, 2));
        }",
        vec![
            Values::I96(vec![Some(int96("2025-06-30")), None]),
            Values::I64(vec![Some(42), Some(42)]),
            Values::I32(vec![Some(1_234), Some(99)]),
        ],
    );
}

fn revenue_of(portfolio: &str, customer: &str) -> String {
    let mut rows = csv::Reader::from_reader(portfolio.as_bytes());
    let header = rows.headers().unwrap().clone();
    let at = header.iter().position(|h| h == "revenue").unwrap();
    let row = rows.records().map(Result::unwrap).find(|r| &r[0] == customer);
    row.unwrap_or_else(|| panic!("{customer} not in {portfolio}"))[at].to_string()
}

#[test]
fn typed_values_are_read_exactly_and_bad_ones_rejected_like_csv_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("edge");
    edge_case_sales(&project.join("sales"));
    fs::write(
        project.join("kamplan.toml"),
        "[project]\nas_of = \"2025-06-30\"\nmonths = 12\n[sales]\npath = \"sales\"\n",
    )
    .unwrap();
    let stderr = kamplan_ok(&["classify", project.to_str().unwrap()]);
    let portfolio = read(&project.join("out/portfolio.csv"));
    // 100.5 − 20 (a credit note; " C2 " is C2), exact to the cent.
    assert_eq!(revenue_of(&portfolio, "C1"), "100.50");
    assert_eq!(revenue_of(&portfolio, "C2"), "-20.00");
    assert_eq!(revenue_of(&portfolio, "C3"), "100.00");
    // An integer id reads as its digits; the INT96 line has no date.
    assert_eq!(revenue_of(&portfolio, "42"), "12.34");
    let rejects = read(&project.join("out/rejects.csv"));
    let rows: Vec<&str> = rejects.lines().skip(1).collect();
    assert_eq!(rows.len(), 5, "{rejects}");
    let has = |needle: &str| rows.iter().any(|r| r.contains(needle));
    assert!(has("a-dates.parquet,2,4,revenue,"), "{rejects}");
    assert!(has("12.345678: more than 4 decimal places"), "{rejects}");
    assert!(has("a-dates.parquet,3,2,customer_id,missing customer id"), "{rejects}");
    assert!(has("a-dates.parquet,4,1,date,missing date"), "{rejects}");
    assert!(has("a-dates.parquet,5,1,date,"), "{rejects}");
    assert!(has("before 1900"), "{rejects}");
    assert!(has("c-int96.parquet,2,1,date,missing date"), "{rejects}");
    assert!(stderr.contains("10 read = 5 accepted + 5 rejected"), "{stderr}");
    assert!(
        stderr.contains("b-instants.parquet: the dates of 1 line are instants with a time of day"),
        "{stderr}"
    );
}

#[test]
fn float_money_is_refused_with_the_reason_unless_rounding_is_set() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("floats");
    fs::create_dir_all(project.join("sales")).unwrap();
    write_parquet(
        &project.join("sales/lines.parquet"),
        "message lines {
            optional int32 date (DATE);
            optional binary customer_id (STRING);
            optional double revenue;
        }",
        vec![
            Values::I32(vec![Some(days("2025-03-03")), Some(days("2025-03-04"))]),
            Values::Text(vec![Some("C1"), Some("C1")]),
            // 12.3 as a spreadsheet or a computation leaves it.
            Values::F64(vec![Some(0.1), Some(12.1 + 0.2)]),
        ],
    );
    let toml = "[project]\nas_of = \"2025-06-30\"\n[sales]\npath = \"sales\"\n";
    fs::write(project.join("kamplan.toml"), toml).unwrap();
    let refused = kamplan(&["classify", project.to_str().unwrap()]);
    assert!(!refused.status.success());
    let message = stderr_of(&refused);
    assert!(message.contains("lines.parquet"), "{message}");
    assert!(message.contains("column \"revenue\" is DOUBLE"), "{message}");
    assert!(message.contains("float_amounts = \"round\" in [sales]"), "{message}");
    assert!(!project.join("out/portfolio.csv").exists());
    fs::write(project.join("kamplan.toml"), format!("{toml}float_amounts = \"round\"\n")).unwrap();
    let portfolio = portfolio_of(&project, &[]);
    assert_eq!(revenue_of(&portfolio, "C1"), "12.40");
}

#[test]
fn a_column_of_the_wrong_type_names_the_file_the_column_and_what_was_expected() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("types");
    fs::create_dir_all(project.join("sales")).unwrap();
    write_parquet(
        &project.join("sales/lines.parquet"),
        "message lines {
            optional int64 date;
            optional binary customer_id (STRING);
            optional int64 revenue (DECIMAL(18, 2));
        }",
        vec![
            Values::I64(vec![Some(20250303)]),
            Values::Text(vec![Some("C1")]),
            Values::I64(vec![Some(100)]),
        ],
    );
    fs::write(project.join("kamplan.toml"), "[sales]\npath = \"sales\"\n").unwrap();
    let out = kamplan(&["check", project.to_str().unwrap()]);
    assert!(!out.status.success());
    let message = stderr_of(&out);
    assert!(message.contains("lines.parquet"), "{message}");
    assert!(
        message.contains(
            "column \"date\" is mapped to date but is BIGINT; expected a DATE, a TIMESTAMP or text"
        ),
        "{message}"
    );
}

#[test]
fn a_master_in_parts_is_one_table_and_its_bad_values_are_placed() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("master");
    edge_case_sales(&project.join("sales"));
    let master = project.join("customers");
    fs::create_dir_all(&master).unwrap();
    let schema = "message customers {
        optional binary customer_id (STRING);
        optional binary name (STRING);
        optional double satisfaction;
        optional int64 potential (DECIMAL(18, 2));
    }";
    write_parquet(
        &master.join("part-0.parquet"),
        schema,
        vec![
            Values::Text(vec![Some("C1"), Some("C2")]),
            Values::Text(vec![Some("Uno S.p.A."), Some("Due S.r.l.")]),
            Values::F64(vec![Some(4.0), None]),
            Values::I64(vec![Some(1_000_000), Some(250_000)]),
        ],
    );
    write_parquet(
        &master.join("part-1.parquet"),
        schema,
        vec![
            Values::Text(vec![Some("C3"), Some("C1")]),
            Values::Text(vec![Some("Tre S.a.s."), Some("Uno again")]),
            Values::F64(vec![Some(7.0), Some(3.0)]),
            Values::I64(vec![None, None]),
        ],
    );
    let toml = "[project]\nas_of = \"2025-06-30\"\n[sales]\npath = \"sales\"\n[customers]\npath = \"customers\"\n";
    fs::write(project.join("kamplan.toml"), toml).unwrap();
    let out = kamplan(&["classify", project.to_str().unwrap()]);
    assert!(!out.status.success());
    let message = stderr_of(&out);
    assert!(message.contains("satisfaction: 7.00 is outside 1–5"), "{message}");
    assert!(message.contains("part-1.parquet:1:3"), "{message}");
    assert!(
        message.contains("customer id \"C1\" appears twice in the master: first at "),
        "{message}"
    );
    assert!(message.contains("part-0.parquet:1\n --> "), "{message}");
    assert!(message.contains("part-1.parquet:2"), "{message}");
    // Without the two faults, both parts make one master of three customers.
    write_parquet(
        &master.join("part-1.parquet"),
        schema,
        vec![
            Values::Text(vec![Some("C3")]),
            Values::Text(vec![Some("Tre S.a.s.")]),
            Values::F64(vec![Some(5.0)]),
            Values::I64(vec![None]),
        ],
    );
    let stderr = kamplan_ok(&["classify", project.to_str().unwrap()]);
    assert!(stderr.contains("3 in the master"), "{stderr}");
    let portfolio = read(&project.join("out/portfolio.csv"));
    assert!(portfolio.contains("C1,Uno S.p.A.,100.50"), "{portfolio}");
}

#[test]
fn a_damaged_file_that_trips_the_parquet_library_is_an_error_not_a_crash() {
    // Forty lines written by DuckDB, with bytes changed so that a column
    // chunk's length reads negative, on which the parquet crate panics.
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parquet/damaged-footer.parquet");
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("damaged");
    fs::create_dir_all(project.join("sales")).unwrap();
    fs::copy(&fixture, project.join("sales/lines.parquet")).unwrap();
    fs::write(project.join("kamplan.toml"), "[sales]\npath = \"sales\"\n").unwrap();
    for workers in ["1", "2"] {
        let out = kamplan(&["classify", project.to_str().unwrap(), "-j", workers]);
        assert_eq!(out.status.code(), Some(2));
        let message = stderr_of(&out);
        assert!(message.contains("lines.parquet"), "{message}");
        assert!(message.contains("the data does not decode"), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}
