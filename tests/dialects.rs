//! The same data exported in other dialects gives the same portfolio.

mod common;

use common::*;
use std::path::Path;

const SALES_IT: [&str; 8] = [
    "Data documento",
    "Numero fattura",
    "Codice cliente",
    "Codice articolo",
    "Categoria",
    "Quantità",
    "Importo netto",
    "Costo",
];
const MASTER_IT: [&str; 14] = [
    "Codice cliente",
    "Ragione sociale",
    "Settore",
    "Regione",
    "Agente",
    "Potenziale",
    "Soddisfazione",
    "Fedeltà",
    "Fase relazione",
    "Cliente dal",
    "Costo servizio",
    "Crescita attesa",
    "Attrattività",
    "Adattabilità",
];

/// All canonical sales lines of a project (header dropped), in file order.
fn canonical_sales(dir: &Path) -> Vec<Vec<String>> {
    let mut files: Vec<_> =
        std::fs::read_dir(dir.join("sales")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().flat_map(|f| csv_records(f).1).collect()
}

/// `1234.5` → `1.234,50`-style Italian number, keeping the decimals as written.
fn italian_number(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let (sign, digits) = value.strip_prefix('-').map_or(("", value), |d| ("-", d));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    if frac.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped},{frac}") }
}

/// `2025-06-02` → `02/06/2025`.
fn italian_date(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let parts: Vec<&str> = value.split('-').collect();
    format!("{}/{}/{}", parts[2], parts[1], parts[0])
}

/// Semicolon-delimited text with CRLF line ends and a BOM, quoting where needed.
fn semicolon_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let quote = |f: &str| {
        if f.contains([';', '"']) {
            format!("\"{}\"", f.replace('"', "\"\""))
        } else {
            f.to_string()
        }
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(";"));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|f| quote(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

fn italian_sales(dir: &Path) -> String {
    let rows: Vec<Vec<String>> = canonical_sales(dir)
        .into_iter()
        .map(|r| {
            vec![
                italian_date(&r[0]),
                r[1].clone(),
                r[2].clone(),
                r[3].clone(),
                r[4].clone(),
                italian_number(&r[5]),
                italian_number(&r[6]),
                italian_number(&r[7]),
            ]
        })
        .collect();
    semicolon_csv(&SALES_IT, &rows)
}

fn italian_master(dir: &Path) -> String {
    let rows: Vec<Vec<String>> = csv_records(&dir.join("customers.csv"))
        .1
        .into_iter()
        .map(|mut r| {
            for i in [5, 6, 7, 10, 11] {
                r[i] = italian_number(&r[i]);
            }
            r[9] = italian_date(&r[9]);
            r
        })
        .collect();
    semicolon_csv(&MASTER_IT, &rows)
}

fn portfolio_of(dir: &Path) -> String {
    kamplan_ok(&["classify", dir.to_str().unwrap(), "--quiet"]);
    read(&dir.join("out/portfolio.csv"))
}

#[test]
fn an_italian_export_gives_the_same_portfolio_as_its_canonical_twin() {
    let (tmp, canonical) = sample_project(40, 15, 11);
    let expected = portfolio_of(&canonical);
    let twin = tmp.path().join("italian");
    write_project(
        &twin,
        "vendite.csv",
        italian_sales(&canonical).as_bytes(),
        Some(("clienti.csv", italian_master(&canonical).as_bytes())),
        "",
    );
    assert_eq!(portfolio_of(&twin), expected);
    let stderr = kamplan_ok(&["classify", twin.to_str().unwrap()]);
    assert!(
        stderr.contains(
            "delimiter \";\" (detected), decimal comma (detected), dates dd/mm/yyyy (detected)"
        ),
        "{stderr}"
    );
}

#[test]
fn a_windows_1252_export_gives_the_same_portfolio() {
    let (tmp, canonical) = sample_project(40, 15, 12);
    let expected = portfolio_of(&canonical);
    let encode = |text: &str| {
        let text = text.trim_start_matches('\u{feff}');
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!unmappable, "test data must be representable in Windows-1252");
        bytes.into_owned()
    };
    let twin = tmp.path().join("cp1252");
    let sales = encode(&italian_sales(&canonical));
    let master = encode(&italian_master(&canonical));
    assert!(
        std::str::from_utf8(&master).is_err(),
        "the master has accented names, so it is not valid UTF-8"
    );
    write_project(&twin, "vendite.csv", &sales, Some(("clienti.csv", &master)), "");
    assert_eq!(portfolio_of(&twin), expected);
}

#[test]
fn an_xlsx_export_gives_the_same_portfolio() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (tmp, canonical) = sample_project(40, 15, 13);
    let expected = portfolio_of(&canonical);
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let write_sheet = |name: &str, header: &[&str], rows: &[Vec<String>], kinds: &[char]| {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).unwrap();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                match kinds[c as usize] {
                    _ if value.is_empty() => {}
                    'd' => {
                        let p: Vec<u16> = value.split('-').map(|x| x.parse().unwrap()).collect();
                        let date = ExcelDateTime::from_ymd(p[0], p[1] as u8, p[2] as u8).unwrap();
                        sheet.write_datetime_with_format(r, c, &date, &date_format).unwrap();
                    }
                    'n' => {
                        sheet.write_number(r, c, value.parse::<f64>().unwrap()).unwrap();
                    }
                    _ => {
                        sheet.write_string(r, c, value).unwrap();
                    }
                }
            }
        }
        workbook.save_to_buffer().unwrap()
    };
    let sales = write_sheet(
        "Vendite",
        &SALES_IT,
        &canonical_sales(&canonical),
        &['d', 's', 's', 's', 's', 'n', 'n', 'n'],
    );
    let master_rows = csv_records(&canonical.join("customers.csv")).1;
    let master = write_sheet(
        "Clienti",
        &MASTER_IT,
        &master_rows,
        &['s', 's', 's', 's', 's', 'n', 'n', 'n', 's', 'd', 'n', 'n', 'n', 'n'],
    );
    let twin = tmp.path().join("xlsx");
    write_project(
        &twin,
        "vendite.xlsx",
        &sales,
        Some(("clienti.xlsx", &master)),
        "sheet = \"Vendite\"",
    );
    assert_eq!(portfolio_of(&twin), expected);
}

#[test]
fn one_file_has_one_encoding_and_a_broken_line_is_rejected_not_redecoded() {
    let tmp = tempfile::tempdir().unwrap();
    // Several blocks of UTF-8 with accents, and one line with a cut-off UTF-8 sequence far in.
    let mut bytes = b"date,customer_id,product_id,revenue\n".to_vec();
    for i in 0..120_000 {
        if i == 100_000 {
            bytes.extend_from_slice(b"2025-01-15,M\xc3\xbcller,Schraube gro\xc3,1.00\n");
        } else {
            bytes.extend_from_slice(format!("2025-01-15,Müller,P{i},1.00\n").as_bytes());
        }
    }
    write_project(tmp.path(), "sales.csv", &bytes, None, "");
    let stderr = kamplan_ok(&["classify", tmp.path().to_str().unwrap()]);
    assert!(stderr.contains("UTF-8 (detected)"), "{stderr}");
    assert!(stderr.contains("120000 read = 119999 accepted + 1 rejected"), "{stderr}");
    let (_, rows) = csv_records(&tmp.path().join("out/portfolio.csv"));
    assert_eq!(rows.len(), 1, "one customer, not split by a mis-decoded block");
    let (_, rejects) = csv_records(&tmp.path().join("out/rejects.csv"));
    assert_eq!(
        (rejects[0][1].as_str(), rejects[0][4].as_str()),
        ("100002", "not valid UTF-8, though the rest of the file is")
    );
}
