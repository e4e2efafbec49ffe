//! The data-quality checks end to end: a sales file copied twice and a
//! potential estimate below a customer's revenue are named in the summary,
//! listed in the workbook's "Data quality" sheet and on the portfolio
//! report's "Data quality" page, and the doubtful share of wallet sets no
//! objective.

mod common;

use common::{csv_records, kamplan, kamplan_ok, sample_project, stderr_of, text_of};
use std::path::Path;

/// The rows of a worksheet as text.
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    range.rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect()
}

/// Sets the `potential` of customer `id` in the master at `path`.
fn set_potential(path: &Path, id: &str, potential: f64) {
    let (header, rows) = csv_records(path);
    let at = header.iter().position(|h| h == "potential").expect("a potential column");
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(&header).unwrap();
    for mut row in rows {
        if row[0] == id {
            row[at] = format!("{potential:.2}");
        }
        writer.write_record(&row).unwrap();
    }
    writer.flush().unwrap();
}

#[test]
fn doubtful_values_and_copied_files_are_reported_everywhere() {
    let (tmp, project) = sample_project(40, 24, 17);
    let dir = project.to_str().unwrap();
    // The same monthly export saved twice under another name.
    let sales = project.join("sales");
    let mut files: Vec<_> =
        std::fs::read_dir(&sales).unwrap().map(|e| e.unwrap().file_name()).collect();
    files.sort();
    let original = files.last().unwrap().to_string_lossy().into_owned();
    std::fs::copy(sales.join(&original), sales.join("copy of last month.csv")).unwrap();
    // An export of the month before, re-run so that it ran into the last one:
    // not the same bytes, but the same invoices of the same customers.
    let before = files[files.len() - 2].to_string_lossy().into_owned();
    let mut overlapping = std::fs::read_to_string(sales.join(&before)).unwrap();
    let last = std::fs::read_to_string(sales.join(&original)).unwrap();
    overlapping.push_str(last.split_once('\n').unwrap().1);
    std::fs::write(sales.join("re-run.csv"), overlapping).unwrap();
    let checked = stderr_of(&kamplan(&["check", dir]));
    let warning = checked
        .lines()
        .find(|l| l.starts_with("warning:") && l.contains("re-run.csv") && l.contains(&before))
        .unwrap_or_else(|| panic!("check does not name the overlap:\n{checked}"));
    assert!(warning.contains("same invoice ids") && warning.contains("count twice"), "{warning}");

    // The largest strategic account (its strategy sets a share-of-wallet
    // target), whose potential estimate becomes half its revenue.
    kamplan_ok(&["classify", dir, "-q"]);
    let (header, rows) = csv_records(&project.join("out/portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let revenue_of = |r: &Vec<String>| r[col("revenue")].parse::<f64>().unwrap();
    let b = rows
        .iter()
        .filter(|r| r[col("strategy")] == "strategic_investment")
        .max_by(|a, b| revenue_of(a).total_cmp(&revenue_of(b)))
        .expect("a strategic account");
    let id = b[col("customer_id")].clone();
    let revenue: f64 = b[col("revenue")].parse().unwrap();
    set_potential(&project.join("customers.csv"), &id, revenue / 2.0);

    let out = kamplan(&["classify", dir]);
    let summary = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{summary}");
    let flag_line = summary
        .lines()
        .find(|l| l.contains(&id) && l.contains("share of wallet above 100%"))
        .unwrap_or_else(|| panic!("no flag for {id} in the summary:\n{summary}"));
    assert!(flag_line.contains("200.0%"), "{flag_line}");
    assert!(flag_line.contains("is above the potential estimate"), "{flag_line}");
    let copy_line = summary
        .lines()
        .find(|l| l.contains("same content"))
        .unwrap_or_else(|| panic!("no copied file in the summary:\n{summary}"));
    assert!(
        copy_line.contains(&original) && copy_line.contains("copy of last month.csv"),
        "{copy_line}"
    );
    assert!(summary.contains("  coverage   "), "{summary}");

    let quality = sheet_rows(&project.join("out/portfolio.xlsx"), "Data quality");
    assert_eq!(quality[0], ["customer_id", "name", "flag", "value", "reason"]);
    let flagged = quality
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("{id} not in the Data quality sheet: {quality:?}"));
    assert_eq!((flagged[2].as_str(), flagged[3].as_str()), ("share_of_wallet_above_100", "200.0%"));
    let copied = quality.iter().find(|r| r[2] == "file_read_twice").expect("a copied file row");
    assert!(copied[4].contains("copy of last month.csv"), "{copied:?}");
    let shared: Vec<&Vec<String>> =
        quality.iter().filter(|r| r[2] == "invoices_in_two_files").collect();
    assert!(
        shared.iter().any(|r| r[4].contains("re-run.csv") && r[4].contains(&before)),
        "{shared:?}"
    );
    // The byte-identical copy is reported once, as a copy, not also as an overlap.
    assert!(
        !shared.iter().any(|r| r[4].contains(&original) && r[4].contains("copy of last month")),
        "{shared:?}"
    );

    // A doubtful potential gives no strong label and no share-of-wallet
    // target: the strategy is to keep the account and estimate the potential.
    let out = kamplan(&["explain", &id, dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let explained: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let strategy = &explained["strategy"];
    assert_eq!(strategy["id"], "assess_and_maintain", "{strategy}");
    assert!(
        strategy["reason"].as_str().unwrap().contains("below what it already buys"),
        "{strategy}"
    );
    let objectives = explained["objectives"].as_array().expect("objectives");
    assert!(!objectives.iter().any(|o| o["metric"] == "share_of_wallet"), "{objectives:?}");
    // The matrix on share of wallet says why the customer is placed apart.
    let penetration = explained["matrices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["x"]["id"] == "share_of_wallet")
        .expect("a matrix on share of wallet");
    let reason = penetration["x"]["reason"].as_str().unwrap();
    assert!(reason.contains("200.0% is above 100%") && reason.contains("doubtful"), "{reason}");
    for o in objectives.iter().filter(|o| o["format"] == "pct") {
        assert!(o["target"].as_f64().is_none_or(|t| t <= 1.0), "a target above 100%: {o}");
    }

    // The portfolio report's last section lists both.
    let out_dir = tmp.path().join("built");
    let built = kamplan(&["build", dir, "--out", out_dir.to_str().unwrap(), "-q"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
    let text = text_of(&out_dir.join("portfolio.pdf"));
    let page = &text[text.rfind("Data quality").expect("a Data quality section")..];
    assert!(page.contains("Coverage") && page.contains("Totals reconciled"), "{page}");
    assert!(page.contains(&id) && page.contains("Share of wallet above 100%"), "{page}");
    assert!(page.contains("copy of last month.csv"), "{page}");
    assert!(page.contains("Same invoices of the same customers in") && page.contains("re-run.csv"));
    assert!(text.contains("Data to check"), "the summary page points to the section");
}
