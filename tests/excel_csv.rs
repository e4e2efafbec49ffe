//! The CSV tables in the spreadsheet dialect of the project's language
//! (`[output] csv = "excel"`, `--csv excel`): the same figures as the
//! standard tables, which stay as documented.

mod common;

use common::*;
use std::path::Path;

const BOM: &str = "\u{feff}";

/// Classifies a copy of the sample project into `out` with `extra` options; returns stderr.
fn classify(project: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["classify", project.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    kamplan_ok(&args)
}

/// Header and rows of an Excel CSV of the Italian dialect: byte order mark, `;`.
fn italian_records(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = read(path);
    let text = text.strip_prefix(BOM).expect("the file starts with the byte order mark");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

#[test]
fn the_italian_excel_csv_holds_the_same_figures_as_the_standard_one() {
    let (tmp, dir) = sample_copy();
    let (standard, excel) = (tmp.path().join("standard"), tmp.path().join("excel"));
    classify(&dir, &standard, &["--locale", "it", "-q"]);
    classify(&dir, &excel, &["--locale", "it", "--csv", "excel", "-q"]);

    let bytes = std::fs::read(excel.join("portfolio.csv")).unwrap();
    assert!(bytes.starts_with(BOM.as_bytes()), "portfolio.csv starts with the BOM");
    let (header, rows) = csv_records(&standard.join("portfolio.csv"));
    let (excel_header, excel_rows) = italian_records(&excel.join("portfolio.csv"));
    assert_eq!(excel_header, header, "the same column ids");
    assert_eq!(excel_rows.len(), rows.len());
    let mut decimals = 0;
    for (row, excel_row) in rows.iter().zip(&excel_rows) {
        assert_eq!(excel_row.len(), row.len());
        for ((column, text), excel_text) in header.iter().zip(row).zip(excel_row) {
            let place = format!("{} {column}", row[0]);
            match text.parse::<f64>() {
                // A number: the same value, with a decimal comma and no point.
                Ok(value) if column != "name" => {
                    assert!(!excel_text.contains('.'), "{place}: {excel_text}");
                    let excel_value: f64 = excel_text.replace(',', ".").parse().unwrap();
                    assert_eq!(excel_value, value, "{place}: {excel_text} vs {text}");
                    decimals += usize::from(excel_text.contains(','));
                }
                // Texts, dates and empty cells as they are.
                _ => assert_eq!(excel_text, text, "{place}"),
            }
        }
    }
    assert!(decimals > rows.len(), "decimal commas were written ({decimals})");
    // Negative figures keep an ASCII minus, so that Excel reads them as numbers.
    assert!(excel_rows.iter().flatten().any(|c| c.starts_with('-') && c.contains(',')));

    let rejects = read(&excel.join("rejects.csv"));
    assert!(rejects.starts_with(&format!("{BOM}file;line;column;field;reason;content\n")));
}

#[test]
fn the_standard_csv_is_the_default_whatever_the_language() {
    let (tmp, dir) = sample_copy();
    let (default, italian) = (tmp.path().join("default"), tmp.path().join("italian"));
    classify(&dir, &default, &["-q"]);
    classify(&dir, &italian, &["--locale", "it", "--csv", "standard", "-q"]);
    for name in ["portfolio.csv", "rejects.csv"] {
        let (a, b) = (
            std::fs::read(default.join(name)).unwrap(),
            std::fs::read(italian.join(name)).unwrap(),
        );
        assert!(a == b, "{name} differs");
    }
    let text = read(&default.join("portfolio.csv"));
    assert!(text.starts_with("customer_id,name,revenue,cost,margin,margin_pct,"), "no BOM, commas");
    let (_, rows) = csv_records(&default.join("portfolio.csv"));
    assert!(rows.iter().any(|r| r[2].contains('.')), "decimal points");
}

#[test]
fn the_project_setting_chooses_the_dialect_and_the_command_line_overrides_it() {
    let (tmp, dir) = sample_copy();
    let toml = dir.join("kamplan.toml");
    let text = read(&toml).replacen("[project]\n", "[project]\nlocale = \"it\"\n", 1);
    std::fs::write(&toml, format!("{text}\n[output]\ncsv = \"excel\"\n")).unwrap();
    let (excel, standard) = (tmp.path().join("excel"), tmp.path().join("standard"));
    classify(&dir, &excel, &["-q"]);
    let text = read(&excel.join("portfolio.csv"));
    assert!(text.starts_with(&format!("{BOM}customer_id;name;revenue;")), "{}", &text[..40]);
    classify(&dir, &standard, &["--csv", "standard", "-q"]);
    assert!(read(&standard.join("portfolio.csv")).starts_with("customer_id,name,revenue,"));

    // `classify --format csv` prints the documented format for scripts.
    let out = kamplan(&[
        "classify",
        dir.to_str().unwrap(),
        "--out",
        excel.to_str().unwrap(),
        "--format",
        "csv",
        "-q",
    ]);
    assert!(out.status.success());
    assert_eq!(out.stdout, std::fs::read(standard.join("portfolio.csv")).unwrap());
}

#[test]
fn an_unknown_csv_form_is_refused_at_its_line() {
    let (tmp, dir) = sample_copy();
    let toml = dir.join("kamplan.toml");
    let text = format!("{}\n[output]\ncsv = \"xls\"\n", read(&toml).trim_end());
    let line = text.lines().count();
    std::fs::write(&toml, text).unwrap();
    let out = kamplan(&[
        "classify",
        dir.to_str().unwrap(),
        "--out",
        tmp.path().join("o").to_str().unwrap(),
    ]);
    let stderr = common::problems(&stderr_of(&out));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "kamplan.toml:{line}:7: csv is \"xls\"; expected \"standard\" (the documented format) or \"excel\""
        )),
        "{stderr}"
    );
    let out = kamplan(&["classify", dir.to_str().unwrap(), "--csv", "xls"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("possible values: standard, excel"), "{}", stderr_of(&out));
}

#[test]
fn a_plan_record_in_the_excel_dialect_is_judged_by_the_next_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init", project, "--with-sample"]);
    let first = tmp.path().join("first");
    let args =
        ["--account", "C0004", "--as-of", "2024-12-31", "--locale", "it", "--csv", "excel", "-q"];
    let mut build = vec!["build", project, "--out", first.to_str().unwrap()];
    build.extend(args);
    kamplan_ok(&build);
    let record = read(&first.join("plans.csv"));
    assert!(record.starts_with(&format!("{BOM}as_of;customer_id;")), "{}", &record[..40]);
    assert!(record.lines().nth(1).unwrap().starts_with("2024-12-31;"), "ISO dates");
    let plan = tmp.path().join("plans-2024-12-31.csv");
    std::fs::write(&plan, record).unwrap();
    let second = tmp.path().join("second");
    let stderr = kamplan_ok(&[
        "build",
        project,
        "--out",
        second.to_str().unwrap(),
        "--account",
        "C0004",
        "--previous-plan",
        plan.to_str().unwrap(),
    ]);
    assert!(stderr.contains("control    "), "{stderr}");
    assert!(stderr.contains("plan of 2024-12-31"), "{stderr}");
}
