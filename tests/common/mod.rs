//! Helpers shared by the integration tests: running the binary and making projects.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `kamplan ARGS` and returns its output.
pub fn kamplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kamplan")).args(args).output().expect("kamplan runs")
}

/// Runs `kamplan ARGS`, asserting success; returns stderr.
pub fn kamplan_ok(args: &[&str]) -> String {
    let out = kamplan(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "kamplan {args:?} failed:\n{stderr}");
    stderr
}

/// A generated sample project in a fresh temporary folder.
pub fn sample_project(customers: usize, months: u32, seed: u64) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    kamplan_ok(&[
        "sample",
        "--customers",
        &customers.to_string(),
        "--months",
        &months.to_string(),
        "--seed",
        &seed.to_string(),
        dir.to_str().unwrap(),
    ]);
    (tmp, dir)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads a CSV file into header and records.
pub fn csv_records(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

/// Writes a project with a single sales file and optional master, with the given kamplan.toml extra lines.
pub fn write_project(
    dir: &Path,
    sales_name: &str,
    sales: &[u8],
    master: Option<(&str, &[u8])>,
    extra: &str,
) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(sales_name), sales).unwrap();
    let mut toml = format!("[sales]\npath = \"{sales_name}\"\n{extra}\n");
    if let Some((name, bytes)) = master {
        std::fs::write(dir.join(name), bytes).unwrap();
        toml.push_str(&format!("[customers]\npath = \"{name}\"\n"));
    }
    std::fs::write(dir.join("kamplan.toml"), toml).unwrap();
}

/// Runs `pdftotext` on a PDF, in reading order or with `-layout`.
pub fn pdf_text(pdf: &Path, layout: bool) -> String {
    let mut command = Command::new("pdftotext");
    if layout {
        command.arg("-layout");
    }
    let out = match command.arg(pdf).arg("-").output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("pdftotext (poppler-utils) is needed to check the PDFs: {e}")
        }
        Err(e) => panic!("pdftotext (poppler-utils) is needed; running it failed: {e}"),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pdftotext {} failed: {stderr}", pdf.display());
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}

/// Every run of white space as one space: pdftotext breaks lines where the PDF does.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The normalised text of a PDF.
pub fn text_of(pdf: &Path) -> String {
    normalise(&pdf_text(pdf, false))
}

pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The one account plan a `build --account ID` wrote into `DIR/out/accounts`.
pub fn only_plan(dir: &Path) -> PathBuf {
    let mut plans: Vec<PathBuf> =
        std::fs::read_dir(dir.join("out/accounts")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(plans.len(), 1, "{plans:?}");
    plans.pop().unwrap()
}

/// A copy of the bundled sample project in a temporary folder.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&source).unwrap();
        if relative.starts_with("out") {
            continue;
        }
        let target = dir.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    (tmp, dir)
}

/// The rows of a worksheet as text (numbers as Rust prints them: `100`, `0.5`).
pub fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    range.rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect()
}

/// The names of a workbook's sheets, in order.
pub fn sheet_names(path: &Path) -> Vec<String> {
    use calamine::{Reader, Xlsx, open_workbook};
    let workbook: Xlsx<_> = open_workbook(path).unwrap();
    workbook.sheet_names()
}
