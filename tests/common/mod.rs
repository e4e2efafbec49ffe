//! Helpers shared by the integration tests: running the binary and making projects.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `kamplan ARGS` and returns its output.
pub fn kamplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kamplan")).args(args).output().expect("kamplan runs")
}

/// Runs `kamplan ARGS` with the system's viewer replaced by the fake one
/// of [`fake_viewer`] in `bin` (which comes first on `PATH`).
pub fn kamplan_with_viewer(args: &[&str], bin: &Path) -> Output {
    viewer_command(args, bin).output().expect("kamplan runs")
}

/// The command `kamplan ARGS` with `bin` first on `PATH`.
pub fn viewer_command(args: &[&str], bin: &Path) -> Command {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(
        std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&path)),
    )
    .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kamplan"));
    command.args(args).env("PATH", path);
    command
}

/// A folder `DIR/bin` holding a fake `xdg-open` that writes its arguments,
/// one line per call, to the file it returns (`DIR/opened.log`), and that
/// file's path. Kamplan does not wait for the viewer: use [`opened`].
pub fn fake_viewer(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    let log = dir.join("opened.log");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("xdg-open");
    let text = format!("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n", log.display());
    std::fs::write(&script, text).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, log)
}

/// The lines of a fake viewer's log once it has `calls` of them (waiting
/// up to 30 s, as the viewer runs on its own), then a moment more for a late extra call.
pub fn opened(log: &Path, calls: usize) -> Vec<String> {
    let lines = || {
        std::fs::read_to_string(log)
            .map(|t| t.lines().map(String::from).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let start = std::time::Instant::now();
    while lines().len() < calls && start.elapsed() < std::time::Duration::from_secs(30) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    lines()
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

/// The problems a command printed, one per line in their short form
/// `file:line:col: message; hint` (the form `Diagnostic` displays), the
/// lines of each message joined by a space: a test looks for a problem at
/// its place without depending on the drawing around it.
pub fn problems(stderr: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<(String, String, Vec<String>)> = None; // (place, message, hints)
    let flush = |current: &mut Option<(String, String, Vec<String>)>, out: &mut Vec<String>| {
        if let Some((place, message, hints)) = current.take() {
            let mut line = if place.is_empty() { message } else { format!("{place}: {message}") };
            for hint in hints {
                line.push_str(&format!("; {hint}"));
            }
            out.push(line);
        }
    };
    for line in stderr.lines() {
        let trimmed = line.trim_start();
        if let Some(message) = line.strip_prefix("error: ").or(line.strip_prefix("warning: ")) {
            flush(&mut current, &mut out);
            current = Some((String::new(), message.to_string(), Vec::new()));
        } else if let Some((place, message, hints)) = current.as_mut() {
            if let Some(at) = trimmed.strip_prefix("--> ") {
                *place = at.to_string();
            } else if let Some(hint) = trimmed.strip_prefix("= help: ") {
                hints.push(hint.to_string());
            } else if line.starts_with("  ") && place.is_empty() && !trimmed.starts_with('|') {
                message.push(' ');
                message.push_str(trimmed);
            } else if line.is_empty() {
                flush(&mut current, &mut out);
            }
        }
    }
    flush(&mut current, &mut out);
    out.join("\n")
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

/// Copies a project folder, without its `out` folders.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "out" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A Python that can import `module`, or `None` (after saying so) when the
/// tests may go without it: `KAMPLAN_TEST_PYTHON`, else `python3`. With
/// `KAMPLAN_REQUIRE_ENGINES` set (as CI sets it) a missing module fails.
pub fn python_with(module: &str) -> Option<PathBuf> {
    let python = std::env::var_os("KAMPLAN_TEST_PYTHON").map_or("python3".into(), PathBuf::from);
    let found = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(python);
    }
    assert!(
        std::env::var_os("KAMPLAN_REQUIRE_ENGINES").is_none(),
        "{} cannot import {module}, and KAMPLAN_REQUIRE_ENGINES is set",
        python.display()
    );
    eprintln!("skipped: {} cannot import {module} (pip install {module})", python.display());
    None
}

/// Runs `query` on `engine` (duckdb, spark or postgres) over the CSV files
/// `inputs`, loaded as text into `table` (default `sales_lines`), and saves
/// the result to `out` (`.csv`, or `.parquet`: a file, or Spark's folder of
/// parts); see tests/engines/run_query.py.
pub fn run_query(
    python: &Path,
    engine: &str,
    query: &str,
    inputs: &[PathBuf],
    out: &Path,
    table: Option<&str>,
) {
    let file = out.with_extension("sql");
    std::fs::write(&file, query).unwrap();
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engines/run_query.py");
    let run = Command::new(python)
        .arg(script)
        .args([engine, &file.display().to_string(), &inputs.join(","), &out.display().to_string()])
        .args(table)
        .output()
        .expect("python runs");
    assert!(run.status.success(), "{engine}: {}", String::from_utf8_lossy(&run.stderr));
}

/// One column of a Parquet file written by [`write_parquet`], in the order
/// of its schema: each value, or `None` for a null.
pub enum Values {
    I32(Vec<Option<i32>>),
    I64(Vec<Option<i64>>),
    F64(Vec<Option<f64>>),
    Text(Vec<Option<&'static str>>),
    I96(Vec<Option<parquet::data_type::Int96>>),
}

/// Writes one row group of the given columns with the `parquet` crate's own
/// writer, so each physical form is exactly the one meant.
pub fn write_parquet(path: &Path, schema: &str, columns: Vec<Values>) {
    fn split<T: Clone>(values: &[Option<T>]) -> (Vec<T>, Vec<i16>) {
        let defs = values.iter().map(|v| i16::from(v.is_some())).collect();
        (values.iter().flatten().cloned().collect(), defs)
    }
    use parquet::data_type::Int96Type;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
    use parquet::file::writer::SerializedFileWriter;
    let schema = std::sync::Arc::new(parquet::schema::parser::parse_message_type(schema).unwrap());
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, Default::default()).unwrap();
    let mut group = writer.next_row_group().unwrap();
    for values in columns {
        let mut column = group.next_column().unwrap().expect("a column per schema field");
        match values {
            Values::I32(v) => {
                let (values, defs) = split(&v);
                column.typed::<Int32Type>().write_batch(&values, Some(&defs), None).unwrap();
            }
            Values::I64(v) => {
                let (values, defs) = split(&v);
                column.typed::<Int64Type>().write_batch(&values, Some(&defs), None).unwrap();
            }
            Values::F64(v) => {
                let (values, defs) = split(&v);
                column.typed::<DoubleType>().write_batch(&values, Some(&defs), None).unwrap();
            }
            Values::Text(v) => {
                let v: Vec<Option<ByteArray>> = v.iter().map(|t| t.map(ByteArray::from)).collect();
                let (values, defs) = split(&v);
                column.typed::<ByteArrayType>().write_batch(&values, Some(&defs), None).unwrap();
            }
            Values::I96(v) => {
                let (values, defs) = split(&v);
                column.typed::<Int96Type>().write_batch(&values, Some(&defs), None).unwrap();
            }
        }
        column.close().unwrap();
    }
    group.close().unwrap();
    writer.close().unwrap();
}
