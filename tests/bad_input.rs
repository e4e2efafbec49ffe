//! Bad input: every defect is reported where it is, nothing is lost silently.

mod common;

use common::*;

const SALES: &str = "\
Data;Cliente;Fattura;Importo
01/03/2025;C1;F1;100,00
02/03/2025;C2;F2
03/03/2025;C1;F3;12a
31/02/2025;C2;F4;5,00
04/03/2025;;F5;7,00
Data;Cliente;Fattura;Importo
05/03/2025;\"C3;F6;8,00

06/03/2025;C3;F7;1.000,50
07/03/2025;C3;F8;9,00;extra
08/03/2025;C1;F9;-20,00
";

fn rejects(dir: &std::path::Path) -> Vec<Vec<String>> {
    let (header, rows) = csv_records(&dir.join("out/rejects.csv"));
    assert_eq!(header, ["file", "line", "column", "field", "reason", "content"]);
    rows
}

#[test]
fn each_defect_is_rejected_with_its_line_column_and_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(dir, "sales.csv", SALES.as_bytes(), None, "date_format = \"dd/mm/yyyy\"");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    let rows = rejects(dir);
    let brief: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[1].as_str(), r[2].as_str(), r[3].as_str(), r[4].as_str())).collect();
    assert_eq!(
        brief,
        [
            ("3", "", "", "3 fields where the header has 4"),
            ("4", "4", "revenue", "\"12a\" is not a number"),
            ("5", "1", "date", "impossible date \"31/02/2025\" (no such day)"),
            ("6", "2", "customer_id", "missing customer id"),
            ("7", "", "", "repeated header line"),
            ("8", "2", "", "unclosed quote: the quoted field does not end on this line"),
            ("11", "", "", "5 fields where the header has 4"),
        ]
    );
    assert!(rows.iter().all(|r| r[0] == "sales.csv"), "paths are relative to the project");
    assert_eq!(rows[0][5], "02/03/2025;C2;F2", "the line's content is kept");
    // 10 data lines (the blank one is not a record): 3 accepted + 7 rejected.
    assert!(stderr.contains("lines      10 read = 3 accepted + 7 rejected"), "{stderr}");
    assert!(stderr.contains("EUR 1,080.50 accepted"), "{stderr}");
    let (_, portfolio) = csv_records(&dir.join("out/portfolio.csv"));
    let revenue: Vec<(&str, &str)> =
        portfolio.iter().map(|r| (r[0].as_str(), r[2].as_str())).collect();
    assert_eq!(revenue, [("C1", "80.00"), ("C3", "1000.50")]);
}

#[test]
fn fail_mode_stops_at_the_first_bad_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(
        dir,
        "sales.csv",
        SALES.as_bytes(),
        None,
        "date_format = \"dd/mm/yyyy\"\non_bad_row = \"fail\"",
    );
    let out = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::problems(&String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("sales.csv:3: 3 fields where the header has 4"), "{stderr}");
    assert!(!dir.join("out/portfolio.csv").exists(), "nothing is written when the run stops");
}

#[test]
fn a_missing_required_column_lists_the_headers_found() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(dir, "sales.csv", b"Data;Cliente;Totale riga\n13/03/2025;C1;5\n", None, "");
    let out = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::problems(&String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("sales.csv:1: no column for required field revenue"), "{stderr}");
    assert!(stderr.contains("headers found: \"Data\", \"Cliente\", \"Totale riga\""), "{stderr}");
    // The mapping the error suggests makes it work.
    let ok =
        kamplan_ok(&["classify", dir.to_str().unwrap(), "--map", "Totale riga=revenue", "--quiet"]);
    assert!(ok.is_empty());
}

/// Runs classify on a one-line sales file and the given master; the run must stop with exit code 2.
fn stopped_by_master(master: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sales = b"date,customer_id,revenue\n2025-03-01,C1,5\n";
    write_project(dir, "sales.csv", sales, Some(("customers.csv", master.as_bytes())), "");
    let out = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("out").exists(), "nothing is written");
    common::problems(&String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_duplicated_master_id_names_both_lines() {
    let stderr = stopped_by_master("customer_id,name\nC1,Alfa\nC2,Beta\nC1,Gamma\n");
    let expected =
        "customers.csv:4: customer id \"C1\" appears twice in the master, on lines 2 and 4";
    assert!(stderr.contains(expected), "{stderr}");
}

#[test]
fn bad_master_values_are_all_reported() {
    let stderr = stopped_by_master(
        "customer_id,potential,satisfaction,relationship_stage\nC1,abc,3,mid-KAM\nC2,10,9,\n,5,,\nC4,1,2,late-KAM\n",
    );
    for expected in [
        "customers.csv:2:2: potential: \"abc\" is not a number",
        "customers.csv:3:3: satisfaction: 9.00 is outside 1–5",
        "customers.csv:4:1: customer_id: empty customer id",
        "customers.csv:5:4: relationship_stage: \"late-KAM\" is not one of",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}

#[test]
fn an_ambiguous_date_format_asks_to_be_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(
        dir,
        "sales.csv",
        b"date;customer_id;revenue\n01/03/2025;C1;5\n02/03/2025;C1;5\n",
        None,
        "",
    );
    let out = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read both day-first and month-first"), "{stderr}");
    assert!(stderr.contains("date_format = \"dd/mm/yyyy\""), "{stderr}");
}

#[test]
fn config_errors_point_at_the_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("kamplan.toml"), "[project]\nmonths = 12\n[sales]\npath = \"s.csv\"\ndecimal = \";\"\n[sales.columns]\n\"Importo\" = \"revenu\"\n").unwrap();
    let out = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::problems(&String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("kamplan.toml:5:11: unknown decimal separator"), "{stderr}");
    assert!(stderr.contains("kamplan.toml:7:13: unknown field \"revenu\" for column \"Importo\"; did you mean \"revenue\"?"), "{stderr}");
}

#[test]
fn awkward_but_readable_exports_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A header ending in a delimiter, a row of delimiters only, a date Excel cannot show.
    let sales = "Data;Cliente;Importo;\n15/01/2025;C1;1,00\n;;;\n1899-12-30;C2;2,00\n";
    write_project(dir, "sales.csv", sales.as_bytes(), None, "date_format = \"dd/mm/yyyy\"");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    // 1899-12-30 is not dd/mm/yyyy: rejected; the delimiter-only row is blank, not a record.
    assert!(stderr.contains("lines      2 read = 1 accepted + 1 rejected"), "{stderr}");
    let iso = tmp.path().join("iso");
    write_project(
        &iso,
        "sales.csv",
        b"date,customer_id,revenue\n1899-12-30,C1,1\n2025-01-31,C2,1\n",
        None,
        "",
    );
    // 1899-12-30 is Excel's day 0, an empty date cell exported as a date: no sale.
    kamplan_ok(&["classify", iso.to_str().unwrap(), "-q"]);
    let (_, rejected) = csv_records(&iso.join("out/rejects.csv"));
    assert_eq!(rejected[0][4], "dated 1899-12-30, before 1900: not a plausible sale date");
    assert!(!read(&iso.join("out/portfolio.csv")).contains("C1,"));
}

#[test]
fn mapping_two_headers_to_one_field_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let sales = tmp.path().join("e.csv");
    std::fs::write(&sales, "Giorno;Conto;Totale riga;Pezzi\n15/01/2025;C1;10,00;3\n").unwrap();
    let out = kamplan(&[
        "classify",
        "--sales",
        sales.to_str().unwrap(),
        "--out",
        tmp.path().join("o").to_str().unwrap(),
        "--map",
        "Giorno=date",
        "--map",
        "Conto=customer_id",
        "--map",
        "Totale riga=revenue",
        "--map",
        "Pezzi=revenue",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("columns \"Totale riga\" and \"Pezzi\" both look like revenue"),
        "{stderr}"
    );
}

#[test]
fn when_every_line_is_rejected_the_error_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    write_project(
        tmp.path(),
        "sales.csv",
        b"date;customer_id;revenue\n2025-01-15;C1;abc\n",
        None,
        "",
    );
    let out = kamplan(&["classify", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("all 1 lines were rejected; the first: "), "{stderr}");
    assert!(stderr.contains("\"abc\" is not a number"), "{stderr}");
}

#[test]
fn sums_beyond_the_exact_range_stop_the_run_instead_of_wrapping() {
    let tmp = tempfile::tempdir().unwrap();
    let sales =
        b"date,customer_id,revenue\n2025-01-15,C1,900000000000000\n2025-01-16,C1,900000000000000\n";
    write_project(tmp.path(), "sales.csv", sales, None, "");
    let out = kamplan(&["classify", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "the amounts of customer \"C1\" (revenue and cost, or quantities) add up to more than"
    ));
}

#[test]
fn lines_without_cost_beside_lines_with_cost_are_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("sales")).unwrap();
    std::fs::write(
        dir.join("sales/2025-01.csv"),
        "date,customer_id,revenue,cost\n2025-01-15,C1,100,80\n",
    )
    .unwrap();
    std::fs::write(dir.join("sales/2025-02.csv"), "date,customer_id,revenue\n2025-02-15,C1,100\n")
        .unwrap();
    std::fs::write(dir.join("kamplan.toml"), "[sales]\npath = \"sales\"\n").unwrap();
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(stderr.contains("1 window lines have no cost"), "{stderr}");
    assert!(stderr.contains("C1: lines without a cost (1)"), "{stderr}");
    // The table shows the margin as measured; the rules see it as missing.
    let (header, rows) = common::csv_records(&dir.join("out/portfolio.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][at("margin")], "120.00");
    assert_eq!(rows[0][at("revenue_quality")], "margin_not_assessed");
    let out = common::kamplan(&["explain", "C1", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("120.00 (doubtful: set aside)"), "{text}");
    assert!(text.contains("counts lines without a cost as 0, so it is doubtful and set aside"));
}

#[test]
fn an_empty_monthly_file_is_skipped_and_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("sales")).unwrap();
    std::fs::write(dir.join("sales/2025-01.csv"), "date,customer_id,revenue\n2025-01-15,C1,100\n")
        .unwrap();
    std::fs::write(dir.join("sales/2025-02.csv"), "").unwrap();
    std::fs::write(dir.join("kamplan.toml"), "[sales]\npath = \"sales\"\n").unwrap();
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(
        stderr.contains("1 empty files skipped:") && stderr.contains("2025-02.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("lines      1 read = 1 accepted + 0 rejected"), "{stderr}");
}
