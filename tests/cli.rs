//! The command line on the bundled sample project, as the README runs it.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// Classifies the bundled sample project into a temporary output folder.
fn classify_sample(out: &Path, extra: &[&str]) -> String {
    let project = sample_data();
    let mut args = vec!["classify", project.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    kamplan_ok(&args)
}

#[test]
fn classifies_the_sample_project_and_reconciles() {
    let tmp = tempfile::tempdir().unwrap();
    let stderr = classify_sample(tmp.path(), &[]);
    assert!(stderr.contains("kamplan classify: Sample wholesale"), "{stderr}");
    assert!(stderr.contains("period     2024-07-01 to 2025-06-30 (12 months)"), "{stderr}");
    let (header, rows) = csv_records(&tmp.path().join("portfolio.csv"));
    let spec = "customer_id,name,revenue,cost,margin,margin_pct,quantity,orders,products,revenue_prev,growth,\
                last_purchase,days_since_last,share_of_wallet,active_months,cv";
    assert!(header.join(",").starts_with(spec), "{header:?}");
    let tail: Vec<&str> = header[header.len() - 3..].iter().map(String::as_str).collect();
    assert_eq!(tail, ["alerts", "key_account", "strategy"]);
    let abc = header.iter().position(|h| h == "abc").unwrap();
    // Every customer of the master and of the sales is there once, sorted by id.
    let master = csv_records(&sample_data().join("customers.csv")).1;
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(master.iter().all(|m| ids.contains(&m[0].as_str())));
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    // Lines read = accepted + rejected, and the summary says so.
    let read: usize = std::fs::read_dir(sample_data().join("sales"))
        .unwrap()
        .map(|f| csv_records(&f.unwrap().path()).1.len())
        .sum();
    assert!(
        stderr.contains(&format!("lines      {read} read = {read} accepted + 0 rejected")),
        "{stderr}"
    );
    // The summary's class counts match the table.
    let count = |class: &str| rows.iter().filter(|r| r[abc] == class).count();
    assert!(stderr.contains(&format!("ABC        A {} (", count("A"))), "{stderr}");
    // Window revenue in the table adds up to the summary's figure.
    let cents: i64 = rows.iter().map(|r| r[2].replace('.', "").parse::<i64>().unwrap()).sum();
    let grouped = kamplan::output::summary::grouped(i128::from(cents) * 100);
    assert!(stderr.contains(&format!("EUR {grouped} in the window")), "{grouped} not in {stderr}");
    let (_, rejects) = csv_records(&tmp.path().join("rejects.csv"));
    assert!(rejects.is_empty());
}

#[test]
fn two_runs_give_identical_files() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    classify_sample(a.path(), &["--jobs", "1"]);
    classify_sample(b.path(), &["--jobs", "3"]);
    for name in ["portfolio.csv", "portfolio.xlsx", "rejects.csv"] {
        let (x, y) = (
            std::fs::read(a.path().join(name)).unwrap(),
            std::fs::read(b.path().join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between runs");
    }
}

#[test]
fn json_output_holds_the_same_records() {
    let tmp = tempfile::tempdir().unwrap();
    let out = kamplan(&[
        "classify",
        sample_data().to_str().unwrap(),
        "--out",
        tmp.path().to_str().unwrap(),
        "--format",
        "json",
        "-q",
    ]);
    assert!(out.status.success());
    let records: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&out.stdout).unwrap();
    let (header, rows) = csv_records(&tmp.path().join("portfolio.csv"));
    assert_eq!(records.len(), rows.len());
    for (record, row) in records.iter().zip(&rows) {
        assert_eq!(record.keys().collect::<Vec<_>>(), header.iter().collect::<Vec<_>>());
        for (key, text) in header.iter().zip(row) {
            let value = &record[key];
            let same = match value {
                serde_json::Value::Null => text.is_empty(),
                serde_json::Value::String(s) => s == text,
                serde_json::Value::Number(n) => n.as_f64().unwrap() == text.parse::<f64>().unwrap(),
                _ => false,
            };
            assert!(same, "{key}: json {value} vs csv {text:?}");
        }
    }
}

#[test]
fn the_workbook_has_typed_cells_a_frozen_header_and_a_filter() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let tmp = tempfile::tempdir().unwrap();
    classify_sample(tmp.path(), &["-q"]);
    let path = tmp.path().join("portfolio.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let range = workbook.worksheet_range("Portfolio").unwrap();
    let (_, rows) = csv_records(&tmp.path().join("portfolio.csv"));
    assert_eq!(range.height(), rows.len() + 1);
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header[0], "customer_id");
    let first = range.rows().nth(1).unwrap();
    assert!(matches!(first[2], Data::Float(_)), "revenue is a number: {:?}", first[2]);
    assert!(matches!(first[11], Data::DateTime(_)), "last_purchase is a date: {:?}", first[11]);
    assert_eq!(first[2], Data::Float(rows[0][2].parse().unwrap()));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains("state=\"frozen\""), "frozen header");
    assert!(sheet.contains("<autoFilter"), "autofilter");
}

/// Every sheet listing customers (id and name first) keeps those two columns
/// and the header in view; other tables keep their header only.
#[test]
fn sheets_of_customers_freeze_the_id_and_name_columns_with_the_header() {
    use calamine::{Reader, Xlsx, open_workbook};
    let tmp = tempfile::tempdir().unwrap();
    classify_sample(tmp.path(), &["-q"]);
    let path = tmp.path().join("portfolio.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let mut customer_sheets = Vec::new();
    for (i, name) in workbook.sheet_names().into_iter().enumerate() {
        let range = workbook.worksheet_range(&name).unwrap();
        let first: Vec<String> =
            range.rows().next().unwrap().iter().take(2).map(|c| c.to_string()).collect();
        let xml = sheet_xml(&path, i + 1);
        let pane = xml.split("<pane ").nth(1).map(|rest| &rest[..rest.find("/>").unwrap()]);
        if first == ["customer_id", "name"] {
            let pane = pane.unwrap_or_else(|| panic!("{name}: no frozen pane"));
            for attribute in
                [r#"xSplit="2""#, r#"ySplit="1""#, r#"topLeftCell="C2""#, r#"state="frozen""#]
            {
                assert!(pane.contains(attribute), "{name}: <pane {pane}/> lacks {attribute}");
            }
            customer_sheets.push(name);
        } else if let Some(pane) = pane {
            assert!(!pane.contains("xSplit"), "{name}: <pane {pane}/>");
        }
    }
    assert!(customer_sheets.len() >= 3, "{customer_sheets:?}");
    for name in ["Portfolio", "Alerts", "Data quality"] {
        assert!(customer_sheets.iter().any(|s| s == name), "{name} in {customer_sheets:?}");
    }
}

/// The text of a worksheet's XML inside the workbook.
fn sheet_xml(path: &Path, sheet: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    let name = format!("xl/worksheets/sheet{sheet}.xml");
    std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut xml).unwrap();
    xml
}

/// The spreadsheet name of the 0-based column `index`: 0 → A, 27 → AB.
fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

/// Sum of `portfolio.csv` revenues (plain decimals) in cents.
fn cents(revenues: &[&String]) -> i64 {
    revenues
        .iter()
        .map(|r| {
            let (units, decimals) = r.split_once('.').unwrap_or((r, ""));
            let sign = if units.starts_with('-') { -1 } else { 1 };
            let decimals = format!("{decimals:0<2}");
            units.parse::<i64>().unwrap() * 100 + sign * decimals[..2].parse::<i64>().unwrap()
        })
        .sum()
}

#[test]
fn the_workbook_has_a_sheet_per_matrix_the_alerts_and_colours_by_class() {
    use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
    let tmp = tempfile::tempdir().unwrap();
    classify_sample(tmp.path(), &["-q"]);
    let path = tmp.path().join("portfolio.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Portfolio",
            "abc_xyz",
            "revenue_potential",
            "clusters",
            "development_penetration",
            "revenue_quality",
            "importance_attractiveness",
            "kam",
            "loyalty_satisfaction",
            "profitability_relationship",
            "contribution",
            "attractiveness_adaptability",
            "profitability",
            "Alerts",
            "Data quality"
        ]
    );
    let (header, rows) = csv_records(&tmp.path().join("portfolio.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let members = |matrix: &str, segment: &str| -> Vec<&Vec<String>> {
        rows.iter().filter(|r| r[at(matrix)] == segment).collect()
    };
    let revenue_of = |rows: &[&Vec<String>]| {
        cents(&rows.iter().map(|r| &r[at("revenue")]).collect::<Vec<_>>()) as f64 / 100.0
    };

    // The ABC × XYZ grid: axis titles, x bands left to right, y bands with
    // the highest (A, the last of the rules' C, B, A) on top; in the AX cell
    // its segment's title, id, 11 customers and their revenue.
    let grid = workbook.worksheet_range("abc_xyz").unwrap();
    let text = |r: usize, c: usize| grid.get((r, c)).map(|d| d.to_string()).unwrap_or_default();
    let find = |wanted: &str| grid.cells().find(|(_, _, d)| *d == wanted).map(|(r, c, _)| (r, c));
    assert_eq!(text(0, 0), "ABC × XYZ");
    let (x_title_row, x_title_col) = find("XYZ: regularity of monthly revenue").expect("x title");
    let bands: Vec<String> = (0..3).map(|c| text(x_title_row + 1, x_title_col + c)).collect();
    assert_eq!(bands, ["X", "Y", "Z"]);
    let (r, c) = find("AX: high value, steady demand").expect("the AX cell");
    assert_eq!(c, x_title_col, "AX is in the X column");
    assert_eq!(text(r, c - 1), "segment");
    assert_eq!(text(r, c - 2), "A", "the band label of the AX block");
    assert!(find("CX: low value, steady demand").unwrap().0 > r, "A is above C");
    let ax = members("abc_xyz", "ax");
    assert_eq!(ax.len(), 11);
    assert_eq!(text(r + 1, c), "ax");
    assert_eq!(grid.get((r + 2, c)), Some(&Data::Float(11.0)));
    let Some(Data::Float(revenue)) = grid.get((r + 3, c)) else { panic!("revenue is a number") };
    assert!((revenue - revenue_of(&ax)).abs() < 0.005, "{revenue} vs {}", revenue_of(&ax));
    let (r_bz, c_bz) = find("BZ: mid value, irregular demand").unwrap();
    assert_eq!(grid.get((r_bz + 2, c_bz)), Some(&Data::Float(19.0)));

    // A matrix with a missing-data segment shows it under the grid.
    let grid = workbook.worksheet_range("development_penetration").unwrap();
    let (r, c) = grid
        .cells()
        .find(|(_, _, d)| *d == "missing data")
        .map(|(r, c, _)| (r, c))
        .expect("the missing-data block");
    let without_history = members("development_penetration", "development_not_assessed");
    assert_eq!(grid.get((r, c + 2)).unwrap().to_string(), "Development not assessed");
    assert_eq!(grid.get((r + 2, c + 2)), Some(&Data::Float(without_history.len() as f64)));
    // Each cell counts its own customers, also where a segment spans several
    // cells (invest, maintain, harvest): the grid and the block add up to the portfolio.
    let counted: f64 = grid
        .rows()
        .filter(|row| row.get(2).is_some_and(|m| *m == "customers"))
        .flat_map(|row| row[3..].iter().filter_map(Data::as_f64))
        .sum();
    assert_eq!(counted, rows.len() as f64);

    // The alerts: one row per customer and fired alert, most severe first,
    // then largest revenue, with the message explain renders.
    let alerts: Vec<Vec<Data>> =
        workbook.worksheet_range("Alerts").unwrap().rows().map(<[Data]>::to_vec).collect();
    let cell = |row: &[Data], i: usize| row[i].to_string();
    assert_eq!(
        alerts[0].iter().map(Data::to_string).collect::<Vec<_>>(),
        ["customer_id", "name", "alert", "title", "severity", "message", "revenue"]
    );
    let fired: usize =
        rows.iter().map(|r| r[at("alerts")].split(';').filter(|a| !a.is_empty()).count()).sum();
    assert_eq!(alerts.len() - 1, fired);
    let explained: serde_json::Value =
        serde_json::from_str(&explain_sample("C0025", &["--format", "json"])).unwrap();
    let message = explained["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "over_investment")
        .and_then(|a| a["message"].as_str())
        .expect("over_investment fires for C0025");
    let row = alerts
        .iter()
        .find(|r| cell(r, 0) == "C0025" && cell(r, 2) == "over_investment")
        .expect("C0025's over_investment row");
    assert_eq!(cell(row, 1), "Ferramenta D'Angelo & Figli S.r.l.");
    assert_eq!(cell(row, 3), "Over-investment");
    assert_eq!(cell(row, 4), "medium");
    assert_eq!(cell(row, 5), message);
    assert!(message.starts_with("After a cost to serve of"), "{message}");
    let severity =
        |r: &[Data]| ["info", "low", "medium", "high"].iter().position(|s| cell(r, 4) == *s);
    for pair in alerts[1..].windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(severity(a) >= severity(b), "{a:?} before {b:?}");
        if severity(a) == severity(b) {
            assert!(a[6].as_f64() >= b[6].as_f64(), "{a:?} before {b:?}");
        }
    }

    // Conditional formats: a fill per class on the abc column, per severity
    // on the Alerts sheet, and a highlight on non-empty alerts cells.
    let portfolio = sheet_xml(&path, 1);
    let rows_range = |column: &str| {
        let letters = column_letters(at(column));
        format!("<conditionalFormatting sqref=\"{letters}2:{letters}{}\">", rows.len() + 1)
    };
    let abc = portfolio.find(&rows_range("abc")).expect("conditional formats on abc");
    let rules = &portfolio[abc..portfolio[abc..].find("</conditionalFormatting>").unwrap() + abc];
    for class in ["A", "B", "C"] {
        assert!(rules.contains(&format!("<formula>\"{class}\"</formula>")), "{rules}");
    }
    assert!(portfolio.contains(&rows_range("xyz")), "conditional formats on xyz");
    assert!(portfolio.contains(&rows_range("alerts")), "conditional formats on alerts");
    let alerts_sheet = sheet_xml(&path, 14);
    assert!(alerts_sheet.contains("<formula>\"high\"</formula>"), "severity colours");
}

#[test]
fn bare_files_need_no_project() {
    let tmp = tempfile::tempdir().unwrap();
    let sales = tmp.path().join("export.csv");
    std::fs::write(
        &sales,
        "Data;Codice cliente;Importo netto;Note\n15/01/2025;C1;1.200,50;x\n16/02/2025;C2;300,00;\n",
    )
    .unwrap();
    let out = tmp.path().join("result");
    let stderr = kamplan_ok(&[
        "classify",
        "--sales",
        sales.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stderr.contains("rules      default rules"), "{stderr}");
    let (_, rows) = csv_records(&out.join("portfolio.csv"));
    assert_eq!(
        rows.iter().map(|r| (r[0].as_str(), r[2].as_str())).collect::<Vec<_>>(),
        [("C1", "1200.50"), ("C2", "300.00")]
    );
    // An unusual header is mapped on the command line.
    std::fs::write(&sales, "Giorno;Conto;Totale\n2025-01-15;C1;10\n").unwrap();
    let args =
        ["classify", "--sales", sales.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"];
    let maps = ["--map", "Giorno=date", "--map", "Conto=customer_id", "--map", "Totale=revenue"];
    kamplan_ok(&[&args[..], &maps[..]].concat());
    assert_eq!(csv_records(&out.join("portfolio.csv")).1[0][2], "10.00");
    // A misspelt field gets a hint.
    let bad = kamplan(&[&args[..], &["--map", "Totale=revenu"][..]].concat());
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean \"revenue\"?"));
}

#[test]
fn a_folder_without_a_project_file_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = kamplan(&["classify", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::problems(&String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("kamplan.toml: not a kamplan project"), "{stderr}");
}

#[test]
fn the_sample_generator_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("again");
    kamplan_ok(&[
        "sample",
        "--customers",
        "150",
        "--months",
        "30",
        "--seed",
        "7",
        dir.to_str().unwrap(),
    ]);
    for file in ["customers.csv", "kamplan.toml", "sales/2025-06.csv", "sales/2023-01.csv"] {
        assert_eq!(
            read(&dir.join(file)),
            read(&sample_data().join(file)),
            "{file} differs from the committed sample"
        );
    }
}

#[test]
fn the_readme_shows_the_summary_as_it_is() {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let start =
        readme.find("```\nkamplan classify: Sample wholesale").expect("summary block in README")
            + 4;
    let end = start + readme[start..].find("```").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let stderr = classify_sample(tmp.path(), &[]);
    let summary: String =
        stderr.lines().filter(|l| !l.starts_with("  wrote")).map(|l| format!("{l}\n")).collect();
    assert_eq!(&readme[start..end], summary, "update the README's summary block");
}

/// Runs `kamplan explain ID sample-data ARGS…`, returning standard output.
fn explain_sample(id: &str, extra: &[&str]) -> String {
    let project = sample_data();
    let mut args = vec!["explain", id, project.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = kamplan(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn explain_adds_the_account_analyses() {
    let json: serde_json::Value =
        serde_json::from_str(&explain_sample("C0025", &["--format", "json"])).unwrap();
    // The explanation's own fields are still there, the analyses after them.
    assert_eq!(json["customer_id"], "C0025");
    let gaps = json["cross_sell"]["gaps"].as_array().unwrap();
    let safety = gaps.iter().find(|g| g["category"] == "Safety equipment").expect("a gap");
    assert_eq!((safety["buyers"].as_u64(), safety["peers"].as_u64()), (Some(7), Some(10)));
    assert_eq!(json["cross_sell"]["peers"], "abc_xyz");
    assert!(json["lost"].is_null() && json["churning"].is_null(), "{json}");
    let threats = json["swot"]["threats"].as_array().unwrap();
    let competitor = threats
        .iter()
        .find(|t| t["text"].as_str().unwrap().starts_with("Utensileria Meridionale"))
        .expect("a competitor threat");
    assert_eq!(competitor["basis"], "competitor share (account file)");
    // Over-invested, but dissatisfied with its contract expiring: it is
    // retained, not told to cut the effort; the objectives lead to the renewal.
    assert_eq!(json["strategy"]["id"], "retain");
    let objectives = json["objectives"].as_array().unwrap();
    let metrics: Vec<_> = objectives.iter().map(|o| o["metric"].as_str().unwrap()).collect();
    assert_eq!(metrics, ["satisfaction", "days_to_contract_expiry"], "{objectives:?}");
    let renewal = &objectives[1];
    assert_eq!(
        (renewal["current"].as_f64(), renewal["target"].as_f64()),
        (Some(92.0), Some(365.0))
    );

    let text = explain_sample("C0025", &[]);
    for needle in [
        "\ncross-sell gaps (peers: customers with the same abc_xyz, ax)\n",
        "Safety equipment",
        "\nswot ",
        "Utensileria Meridionale holds an estimated 30% of the account",
        "[competitor share (account file)]",
        "\nobjectives\n",
        "92 days → 365 days  at least 365 days (strategy: Retain: secure the renewal of a key account at risk)",
        "  CHOSEN retain                      key_account and days_to_contract_expiry is not none",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
    assert!(text.contains("\nlost or churning\n  neither\n"), "{text}");

    // A lost customer: what was lost, why, and how to win it back.
    let json: serde_json::Value =
        serde_json::from_str(&explain_sample("C0047", &["--format", "json"])).unwrap();
    let lost = &json["lost"];
    assert_eq!(lost["last_purchase"], "2024-05-28");
    assert!((lost["revenue_lost"].as_f64().unwrap() - 136_763.17).abs() < 1e-6, "{lost}");
    assert_eq!(lost["reason"], "Bought by a group with a central supply contract (Hagebau)");
    assert_eq!(lost["segment_before"], "Core customer");
    assert_eq!(json["strategy"]["id"], "win_back");
    assert_eq!(lost["win_back"], "Call the customer and record the reason it stopped buying.");
    let text = explain_sample("C0047", &[]);
    assert!(text.contains("lost: last purchase 2024-05-28 (398 days ago), revenue lost 136,763"));
    assert!(text.contains("reason: Bought by a group with a central supply contract (Hagebau)"));
}

#[test]
fn verbose_lists_every_file_read_and_the_time_of_each_step() {
    let (_tmp, dir) = sample_project(40, 14, 5);
    let project = dir.to_str().unwrap();
    let out = kamplan(&["classify", project, "--verbose"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = stderr_of(&out);
    let files = std::fs::read_dir(dir.join("sales")).unwrap().count();
    let listed = stderr.lines().filter(|l| l.starts_with("  file       sales")).count();
    assert_eq!(listed, files, "{stderr}");
    let timings = stderr.lines().find(|l| l.starts_with("  timings")).expect("a timings line");
    for step in ["rules", "reading", "classifying", "workbook"] {
        assert!(timings.contains(step), "{timings}");
    }
    let quiet = kamplan(&["classify", project, "-q"]);
    assert!(stderr_of(&quiet).is_empty());
    let both = kamplan(&["classify", project, "-q", "-v"]);
    assert_eq!(both.status.code(), Some(2), "--quiet and --verbose exclude each other");
}

#[test]
fn explain_gives_its_reasons_in_the_chosen_language() {
    let english = explain_sample("C0025", &[]);
    assert!(english.contains("ax (AX: high value, steady demand)"), "{english}");
    assert!(english.contains("revenue 296,959.62, rank 2 of 136"), "{english}");
    let italian = explain_sample("C0025", &["--locale", "it"]);
    assert!(italian.contains("ax (AX: alto valore, domanda stabile)"), "{italian}");
    assert!(
        italian.contains("fatturato 296.959,62, posizione 2 su 136; quota sul totale dei clienti che precedono: 19,04%"),
        "{italian}"
    );
    assert!(italian.contains("(soglie per quantili 501,25; 1.929,48; 5.637,79)"), "{italian}");
    // Ratios read as percentages.
    assert!(
        italian.contains("crescita attesa 12,00% è almeno 10,00% (soglie 0,00%; 10,00%)"),
        "{italian}"
    );
    assert!(italian.starts_with("C0025 — "), "{italian}");
    assert!(italian.contains("\nmetriche\n"), "{italian}");
    // Alert messages format their dates and numbers in the language too.
    let lost = explain_sample("C0047", &["--locale", "it"]);
    assert!(lost.contains("Nessun acquisto da 398 giorni, dal 28 maggio 2024"), "{lost}");
}
