//! The traps a real client file sets: each one reproduced with files built
//! here, and the behaviour a user can check (the message names the file,
//! line and cause; the figures that reach portfolio.csv are right, or the
//! value is refused).

mod common;

use common::*;
use std::path::Path;

const SALES: &str = "\
date;customer_id;revenue;cost
2025-01-10;C1;100,00;60,00
2025-02-11;C2;250,50;100,00
2025-03-12;C1;40,00;10,00
2025-06-13;C3;19,99;9,99
";

fn revenues(dir: &Path) -> Vec<(String, String)> {
    let (_, rows) = csv_records(&dir.join("out/portfolio.csv"));
    rows.iter().map(|r| (r[0].clone(), r[2].clone())).collect()
}

fn rejects(dir: &Path) -> Vec<Vec<String>> {
    csv_records(&dir.join("out/rejects.csv")).1
}

fn classify(dir: &Path) -> std::process::Output {
    kamplan(&["classify", dir.to_str().unwrap()])
}

fn failing(dir: &Path) -> String {
    let out = classify(dir);
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    common::problems(&stderr_of(&out))
}

#[test]
fn trap_01_ids_written_differently_are_said_and_one_setting_joins_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sales =
        SALES.replace(";C1;", ";000135;").replace(";C2;", ";000136;").replace(";C3;", ";000137;");
    let master = "customer_id;name\n135;Rossi\n136;Bianchi\n137;Verdi\n";
    write_project(dir, "sales.csv", sales.as_bytes(), Some(("m.csv", master.as_bytes())), "");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(
        stderr.contains("the sales and the master write customer ids differently: 3 sales ids have no master row and 3 master ids no sales; 3 of them match as without leading zeros (e.g. 000135 ↔ 135"),
        "{stderr}"
    );
    assert!(stderr.contains("set [customer_ids] strip_leading_zeros = true in kamplan.toml"));
    // `check` says it too, before anything is computed or written.
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    let checked = stderr_of(&out);
    assert!(
        checked.contains("warning: the sales and the master write customer ids differently")
            && checked.contains("set [customer_ids] strip_leading_zeros = true"),
        "{checked}"
    );
    let toml = read(&dir.join("kamplan.toml")) + "[customer_ids]\nstrip_leading_zeros = true\n";
    std::fs::write(dir.join("kamplan.toml"), toml).unwrap();
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(!stderr.contains("write customer ids differently"), "{stderr}");
    let (_, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let named: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(
        named,
        [("135", "Rossi", "140.00"), ("136", "Bianchi", "250.50"), ("137", "Verdi", "19.99")]
    );
    // An account file named in the sales' form is the account of the same customer.
    std::fs::create_dir_all(dir.join("accounts")).unwrap();
    std::fs::write(dir.join("accounts/000136.toml"), "[survey]\nsatisfaction = 2.5\n").unwrap();
    let out = kamplan(&["explain", "000136", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(text.starts_with("136 — Bianchi"), "{text}");
    let satisfaction = text.lines().find(|l| l.trim_start().starts_with("satisfaction "));
    assert!(
        satisfaction.is_some_and(|l| l.trim_end().ends_with(" 2.5")),
        "the account file's survey reaches customer 136: {text}"
    );
}

#[test]
fn trap_02_an_ambiguous_text_amount_in_a_workbook_master_is_refused_not_read_as_20() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in ["customer_id", "name", "potential"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "C1").unwrap();
    sheet.write_string(1, 1, "Rossi").unwrap();
    sheet.write_string(1, 2, "20.000").unwrap();
    sheet.write_string(2, 0, "C2").unwrap();
    sheet.write_string(2, 1, "Bianchi").unwrap();
    sheet.write_number(2, 2, 5000.0).unwrap();
    let master = workbook.save_to_buffer().unwrap();
    write_project(dir, "sales.csv", SALES.as_bytes(), Some(("master.xlsx", &master)), "");
    let stderr = failing(dir);
    assert!(stderr.contains("master.xlsx:2:3: potential: \"20.000\" reads as 20.00 or as 20000.00, and nothing in the file tells"), "{stderr}");
    // Said once, the value is read as meant.
    let toml = read(&dir.join("kamplan.toml")).replace(
        "[customers]\npath = \"master.xlsx\"\n",
        "[customers]\npath = \"master.xlsx\"\ndecimal = \",\"\n",
    );
    std::fs::write(dir.join("kamplan.toml"), toml).unwrap();
    kamplan_ok(&["classify", dir.to_str().unwrap()]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let share = header.iter().position(|h| h == "share_of_wallet").unwrap();
    // C1 bought 140.00 against a potential of 20,000 (not 20).
    assert_eq!(rows[0][share], "0.007");
}

#[test]
fn trap_03_a_mapping_to_an_absent_header_is_an_error_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_project(
        dir,
        "sales.csv",
        SALES.as_bytes(),
        None,
        "[sales.columns]\n\"Costo std\" = \"cost\"",
    );
    let stderr = failing(dir);
    assert!(
        stderr
            .contains("kamplan.toml:4:15: column \"Costo std\" is mapped to cost, but no file of"),
        "{stderr}"
    );
    assert!(stderr.contains("the headers are \"date\", \"customer_id\", \"revenue\", \"cost\""));
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "check sees it too");
    let said = stderr_of(&out);
    assert!(said.contains("\"Costo std\" is mapped to cost"), "{said}");
    assert!(
        said.contains("columns of sales.csv: date → date, customer_id → customer_id"),
        "{said}"
    );
    // --map is located as the option.
    write_project(dir, "sales.csv", SALES.as_bytes(), None, "");
    let out = kamplan(&["classify", dir.to_str().unwrap(), "--map", "Costo=cost"]);
    assert!(stderr_of(&out).contains("--map \"Costo=cost\": column \"Costo\" is mapped to cost"));
}

#[test]
fn trap_03_a_cost_like_column_left_unmapped_is_said_and_margins_are_said_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sales = SALES.replace(";cost\n", ";Costo std\n");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(
        stderr.contains("column \"Costo std\" looks like cost but is not mapped, so it is ignored"),
        "{stderr}"
    );
    assert!(stderr.contains("no cost column in the sales files: margins cannot be computed"));
}

#[test]
fn trap_04_old_mac_line_ends_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (lf, cr) = (tmp.path().join("lf"), tmp.path().join("cr"));
    let master = "customer_id;name\nC1;Rossi\nC2;Bianchi\nC3;Verdi\n";
    write_project(&lf, "sales.csv", SALES.as_bytes(), Some(("m.csv", master.as_bytes())), "");
    let to_cr = |s: &str| s.replace('\n', "\r");
    write_project(
        &cr,
        "sales.csv",
        to_cr(SALES).as_bytes(),
        Some(("m.csv", to_cr(master).as_bytes())),
        "",
    );
    kamplan_ok(&["classify", lf.to_str().unwrap()]);
    kamplan_ok(&["classify", cr.to_str().unwrap()]);
    assert_eq!(revenues(&cr).len(), 3);
    assert_eq!(read(&cr.join("out/portfolio.csv")), read(&lf.join("out/portfolio.csv")));
}

#[cfg(unix)]
#[test]
fn trap_05_links_are_followed_inside_the_project_and_refused_out_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    let outside = tmp.path().join("elsewhere");
    std::fs::create_dir_all(dir.join("sales")).unwrap();
    std::fs::create_dir_all(dir.join("archive")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(dir.join("archive/2025.csv"), SALES).unwrap();
    std::os::unix::fs::symlink(dir.join("archive/2025.csv"), dir.join("sales/2025.csv")).unwrap();
    std::fs::write(dir.join("kamplan.toml"), "[sales]\npath = \"sales\"\n").unwrap();
    kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert_eq!(revenues(&dir).len(), 3, "the linked file inside the project is read");
    std::fs::write(outside.join("2024.csv"), SALES).unwrap();
    std::os::unix::fs::symlink(outside.join("2024.csv"), dir.join("sales/2024.csv")).unwrap();
    let stderr = failing(&dir);
    assert!(stderr.contains("sales/2024.csv: a symbolic link to"), "{stderr}");
    assert!(stderr.contains("outside the project folder"), "{stderr}");
    // Rule files too.
    std::fs::remove_file(dir.join("sales/2024.csv")).unwrap();
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(outside.join("alerts.toml"), "").unwrap();
    std::os::unix::fs::symlink(outside.join("alerts.toml"), dir.join("rules/alerts.toml")).unwrap();
    let stderr = failing(&dir);
    assert!(stderr.contains("rules/alerts.toml: a symbolic link to"), "{stderr}");
}

#[test]
fn trap_06_one_mistyped_year_does_not_move_the_window() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut sales = String::from("date;customer_id;revenue\n");
    for month in 1..=12 {
        for c in 1..=12 {
            sales.push_str(&format!("2024-{month:02}-10;C{c};100,00\n"));
        }
    }
    sales.push_str("2052-06-02;C1;137,90\n");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(stderr.contains("period     2024-01-01 to 2024-12-31"), "{stderr}");
    let rows = rejects(dir);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0][1].as_str(), rows[0][3].as_str()), ("146", "date"));
    assert!(rows[0][4].starts_with("dated 2052-06-02, after today"), "{}", rows[0][4]);
    assert!(revenues(dir).iter().all(|(_, r)| r == "1200.00"), "{:?}", revenues(dir));
}

#[test]
fn trap_06_a_small_group_of_lines_cut_off_from_the_data_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut sales = String::from("date;customer_id;revenue\n");
    for month in 1..=12 {
        for c in 1..=12 {
            sales.push_str(&format!("2023-{month:02}-10;C{c};100,00\n"));
        }
    }
    // 2025 typed for 2023: in the past, but a year after the rest.
    sales.push_str("2025-02-10;C1;50,00\n");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(stderr.contains("period     2023-01-01 to 2023-12-31"), "{stderr}");
    let rows = rejects(dir);
    assert!(rows[0][4].contains("after the rest of the data (which ends in 2023-12)"));
    assert!(rows[0][4].contains("set as_of"), "{}", rows[0][4]);
}

#[test]
fn trap_06_workbook_date_serials_outside_the_calendar_are_rejected() {
    use rust_xlsxwriter::{Format, Workbook};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in ["date", "customer_id", "revenue"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, serial) in [45_700.0, 1e9, -5.0, 45_701.0].iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_number_with_format(r, 0, *serial, &date).unwrap();
        sheet.write_string(r, 1, "C1").unwrap();
        sheet.write_number(r, 2, 10.0).unwrap();
    }
    write_project(dir, "sales.xlsx", &workbook.save_to_buffer().unwrap(), None, "");
    kamplan_ok(&["classify", dir.to_str().unwrap()]);
    let rows = rejects(dir);
    let lines: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(lines, ["3", "4"]);
    assert!(rows.iter().all(|r| r[4].contains("outside Excel's calendar")), "{rows:?}");
    assert_eq!(revenues(dir), [("C1".to_string(), "20.00".to_string())]);
}

#[test]
fn trap_07_one_windows_1252_line_does_not_garble_a_utf8_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut sales = "date;customer_id;revenue\n2025-01-10;CÈUTF;100,00\n".as_bytes().to_vec();
    sales.extend_from_slice(b"2025-01-11;Caf\xe9;5,00\n2025-01-12;C2;7,00\n");
    let master = "customer_id;name\nCÈUTF;Società Uno\nC2;Due\n";
    write_project(dir, "sales.csv", &sales, Some(("m.csv", master.as_bytes())), "");
    kamplan_ok(&["classify", dir.to_str().unwrap()]);
    let (_, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let row = rows.iter().find(|r| r[0] == "CÈUTF").expect("the id is read as written");
    assert_eq!((row[1].as_str(), row[2].as_str()), ("Società Uno", "100.00"));
    assert_eq!(rows.len(), 2, "no garbled second customer: {rows:?}");
    let rejected = rejects(dir);
    assert_eq!(rejected[0][1], "3");
    assert_eq!(rejected[0][4], "not valid UTF-8, though the rest of the file is");
}

#[test]
fn trap_08_a_margin_beyond_the_exact_range_stops_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sales =
        "date;customer_id;revenue;cost\n2025-01-10;C1;600000000000000,00;-600000000000000,00\n";
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    let stderr = failing(dir);
    assert!(
        stderr.contains("the amounts of customer \"C1\" (revenue and cost, or quantities) add up to more than 922,337,203,685,477"),
        "{stderr}"
    );
    assert!(!dir.join("out/portfolio.csv").exists());
}

#[test]
fn trap_09_master_rows_of_the_wrong_width_are_refused_with_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let master = "customer_id,name,sector,region\nC1,Rossi,Retail,Nord\nC2,Eisenwaren R\nC3,Verdi,Retail,Sud,extra\n";
    write_project(dir, "sales.csv", SALES.as_bytes(), Some(("m.csv", master.as_bytes())), "");
    let stderr = failing(dir);
    assert!(
        stderr.contains(
            "m.csv:3: 2 fields where the header has 4 (a cut or shifted row: \"C2,Eisenwaren R\")"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("m.csv:4: 5 fields where the header has 4"), "{stderr}");
}

#[test]
fn trap_10_a_nul_in_an_id_is_refused_and_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sales = SALES.replace("2025-03-12;C1;", "2025-03-12;C\u{0}1;");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(!read(&dir.join("out/portfolio.csv")).contains('\0'));
    assert_eq!(revenues(dir).len(), 3, "no phantom customer");
    let rows = rejects(dir);
    assert_eq!((rows[0][1].as_str(), rows[0][3].as_str()), ("4", "customer_id"));
    assert!(rows[0][4].starts_with("control character U+0000"), "{}", rows[0][4]);
}

#[test]
fn an_over_long_master_text_is_refused_at_its_place_and_line_breaks_become_spaces() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let master = |name: &str| {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let rows =
            [["customer_id", "name", "notes"], ["C1", name, ""], ["C2", "Bianchi", "two\nlines"]];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
        workbook.save_to_buffer().unwrap()
    };
    // A workbook cannot hold such a text; a CSV master can.
    let long = format!("customer_id;name\nC1;{}\nC2;Bianchi\n", "X".repeat(40_000));
    write_project(dir, "sales.csv", SALES.as_bytes(), Some(("m.csv", long.as_bytes())), "");
    let stderr = failing(dir);
    assert!(
        stderr.contains("m.csv:2:2: name: a text of 40000 characters")
            && stderr.contains("at most 32767 fit in a spreadsheet cell"),
        "{stderr}"
    );
    assert!(!dir.join("out/portfolio.csv").exists(), "nothing written");
    // A line break typed in a workbook cell is kept as a space.
    write_project(dir, "sales.csv", SALES.as_bytes(), Some(("m.xlsx", &master("Rossi"))), "");
    let out = kamplan(&["explain", "C2", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let notes = text.lines().find(|l| l.trim_start().starts_with("notes "));
    assert!(notes.is_some_and(|l| l.trim_end().ends_with("two lines")), "{text}");
}

#[test]
fn trap_11_title_lines_are_passed_over_and_total_lines_reconciled() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sales = format!("Vendite per cliente\nEstratto il 01/07/2025\n\n{SALES};;410,49;\n");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(stderr.contains("sales.csv: 2 title lines above the header passed over"), "{stderr}");
    assert!(
        stderr.contains(
            "sales.csv: 1 total line left out of the figures; file total 410.49 = sum of its lines"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("lines      4 read = 4 accepted + 0 rejected"), "{stderr}");
    assert!(!dir.join("out/rejects.csv").exists() || rejects(dir).is_empty());
    // A total that does not match is said.
    let sales = format!("{SALES};;999,00;\n");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "");
    let stderr = kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert!(stderr.contains("file total 999.00 (line 6), but its accepted lines add up to 410.49"));
}

#[test]
fn trap_11_header_row_says_where_the_header_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A title line that splits like the header: detection would stop at it.
    let sales = format!("report;customer_id;date;revenue\n{SALES}");
    write_project(dir, "sales.csv", sales.as_bytes(), None, "header_row = 2");
    kamplan_ok(&["classify", dir.to_str().unwrap()]);
    assert_eq!(revenues(dir).len(), 3);
}

#[test]
fn utf16_and_a_first_line_without_end_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let utf16: Vec<u8> =
        format!("\u{feff}{SALES}").encode_utf16().flat_map(u16::to_le_bytes).collect();
    write_project(dir, "sales.csv", &utf16, None, "");
    assert!(failing(dir).contains("sales.csv: the file is UTF-16 encoded"));
    let long = "x".repeat(1 << 21);
    write_project(dir, "sales.csv", long.as_bytes(), None, "");
    assert!(failing(dir).contains("no line end in the first 1 MiB"));
}

mod line_ends_and_encodings {
    use kamplan::config::dialect::OnBadRow;
    use kamplan::config::project::SourceSpec;
    use kamplan::ingest::dates::DateBounds;
    use kamplan::ingest::{ReadOptions, read_sales};
    use kamplan::model::Date;
    use proptest::prelude::*;

    /// Per customer: its id and revenue units per month, sorted.
    type Figures = Vec<(String, Vec<(i32, i64)>)>;

    /// The figures of a file, and its accepted and rejected line counts.
    fn read(bytes: &[u8]) -> (Figures, u64, u64) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("sales.csv");
        std::fs::write(&path, bytes).unwrap();
        let options = ReadOptions {
            as_of: None,
            dates: DateBounds::up_to(Date::from_ymd(2030, 1, 1).unwrap()),
            on_bad_row: OnBadRow::Reject,
            workers: 2,
        };
        let data = read_sales(&SourceSpec::detected(path), options).unwrap();
        let mut customers: Figures = data
            .ledger
            .customer_ids()
            .map(|id| {
                let mut months: Vec<(i32, i64)> = data
                    .ledger
                    .customer(id)
                    .unwrap()
                    .months
                    .iter()
                    .map(|m| (m.month, m.revenue.units()))
                    .collect();
                months.sort_unstable();
                (id.to_string(), months)
            })
            .collect();
        customers.sort();
        let totals = data.totals();
        (customers, totals.accepted, totals.rejected)
    }

    fn windows_1252(text: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn line_ends_and_encodings_never_change_the_figures(
            lines in proptest::collection::vec(
                (1u32..=12, 1u32..=28, "[A-Za-zÀÈÉÌÒÙàèéìòùç ]{1,8}", 0u32..100_000),
                1..40,
            ),
            ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
            encoding in 0usize..3,
        ) {
            let mut text = String::from("date;customer_id;revenue\n");
            for (month, day, customer, cents) in &lines {
                let id = customer.trim();
                let id = if id.is_empty() { "X" } else { id };
                text.push_str(&format!("2025-{month:02}-{day:02};{id};{},{:02}\n", cents / 100, cents % 100));
            }
            let reference = read(text.as_bytes());
            let text = text.replace('\n', ending);
            let bytes = match encoding {
                0 => text.into_bytes(),
                1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                _ => windows_1252(&text),
            };
            prop_assert_eq!(read(&bytes), reference);
        }
    }
}
