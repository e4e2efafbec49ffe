//! Bounded resources and clear refusals: numbers and dates given on the
//! command line or in a project stay within documented limits, a closed pipe
//! is not a crash, and a text that cannot be shown stops the run with a
//! message naming its place, its rule or its customer.

mod common;

use common::*;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The exit code, asserting the process was not killed by a signal (a stack
/// overflow aborts) and did not panic.
fn code_of(out: &std::process::Output) -> i32 {
    let stderr = stderr_of(out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    out.status.code().unwrap_or_else(|| panic!("killed by a signal: {:?}\n{stderr}", out.status))
}

/// A one-customer-per-line project: sales of C1 and C2 and a master naming them.
fn small_project(dir: &Path, names: (&str, &str), extra: &str) {
    let sales = "date,invoice_id,customer_id,revenue\n\
                 2025-03-03,F1,C1,1200.00\n2025-03-10,F2,C2,800.00\n2025-04-17,F3,C1,400.00\n";
    let master = format!("customer_id,name\nC1,{}\nC2,{}\n", names.0, names.1);
    write_project(
        dir,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        extra,
    );
}

/// Writes `rules/NAME` into the project, so its rules stand alone.
fn rule_file(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules").join(name), text).unwrap();
}

/// `FILE:LINE:COL` of the first occurrence of `needle` in a file.
fn place_of(file: &Path, needle: &str) -> String {
    let text = read(file);
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {}", file.display()));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{}:{line}:{col}", file.display())
}

#[test]
fn sample_refuses_too_many_months_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let started = Instant::now();
    let out = kamplan(&["sample", "--months", "5000", dir.to_str().unwrap()]);
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(code_of(&out), 2);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("--months 5000: at most 600 months"), "{stderr}");
    assert!(!dir.exists(), "nothing is written");
    // The largest allowed history is generated, ending at the default month.
    let out = kamplan(&["sample", "--months", "600", "--customers", "3", dir.to_str().unwrap()]);
    assert_eq!(code_of(&out), 0, "{}", stderr_of(&out));
    assert!(dir.join("sales/1975-07.csv").is_file());
    assert!(dir.join("sales/2025-06.csv").is_file());
    assert!(!dir.join("sales/1975-06.csv").exists());
}

#[test]
fn sample_dates_stay_in_the_supported_range() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let dir = dir.to_str().unwrap();
    for (args, message) in [
        (
            vec!["--last-month", "0001-01"],
            "--last-month 0001-01: expected a month from 1900-01 to 9999-12",
        ),
        (
            vec!["--last-month", "1901-06"],
            "--last-month 1901-06 with --months 30: the history would start in 1899-01, before 1900-01",
        ),
        (vec!["--last-month", "2025-13"], "--last-month 2025-13: there is no month 13"),
        (vec!["--last-month", "June"], "--last-month June: expected a month written YYYY-MM"),
        (vec!["--customers", "5000000"], "--customers 5000000: at most 1000000 customers"),
        (vec!["--lines", "1000000000"], "--lines 1000000000: at most 100000000 sales lines"),
    ] {
        let out = kamplan(&[&["sample"], args.as_slice(), &[dir]].concat());
        assert_eq!(code_of(&out), 2, "{args:?}");
        let stderr = stderr_of(&out);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // The edges of the range work: the first month is January 1900.
    let out =
        kamplan(&["sample", "--last-month", "1902-06", "--months", "30", "--customers", "3", dir]);
    assert_eq!(code_of(&out), 0, "{}", stderr_of(&out));
    assert!(Path::new(dir).join("sales/1900-01.csv").is_file());
}

#[test]
fn jobs_are_capped_at_four_per_core_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    small_project(tmp.path(), ("Rossi", "Bianchi"), "");
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let started = Instant::now();
    let out = kamplan(&["classify", tmp.path().to_str().unwrap(), "-j", "20000"]);
    assert_eq!(code_of(&out), 0, "{}", stderr_of(&out));
    assert!(started.elapsed() < Duration::from_secs(20));
    let note = format!(
        "note: -j 20000 is more than 4 × the {cores} cores of this machine; using {} worker threads",
        4 * cores
    );
    assert!(stderr_of(&out).contains(&note), "{}", stderr_of(&out));
    assert!(tmp.path().join("out/portfolio.xlsx").is_file());
    // Within the cap, no note.
    let out = kamplan(&["classify", tmp.path().to_str().unwrap(), "-j", "2"]);
    assert_eq!(code_of(&out), 0);
    assert!(!stderr_of(&out).contains("worker threads"), "{}", stderr_of(&out));
}

#[test]
fn a_huge_expression_is_refused_at_its_place_without_crashing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_project(dir, ("Rossi", "Bianchi"), "");
    let terms = vec!["revenue"; 20_000].join(" + ");
    rule_file(
        dir,
        "alerts.toml",
        &format!("[alert.busy]\nseverity = \"low\"\nwhen = \"{terms} > 0\"\nmessage = \"busy\"\n"),
    );
    let place = place_of(&dir.join("rules/alerts.toml"), "\"revenue + revenue");
    for command in ["check", "classify"] {
        let out = kamplan(&[command, dir.to_str().unwrap()]);
        assert_eq!(code_of(&out), 2, "{command}");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains("this expression has 20000 operators; at most 500 are allowed"),
            "{command}: {}",
            &stderr[..stderr.len().min(500)]
        );
        assert!(stderr.contains(&place), "{command}: no {place}");
    }
    // The same in a message's {{ }}.
    rule_file(
        dir,
        "alerts.toml",
        &format!(
            "[alert.busy]\nseverity = \"low\"\nwhen = \"revenue > 0\"\nmessage = \"busy {{{{ {terms} }}}}\"\n"
        ),
    );
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(code_of(&out), 2);
    assert!(stderr_of(&out).contains("an expression of this text has 19999 operators"));
}

/// Reads a few bytes of the child's `stream`, closes it, and waits: the
/// command meets a closed pipe on its next write.
fn close_early(mut command: Command, stdout: bool) -> (Option<i32>, String) {
    let mut child = if stdout {
        command.stdout(Stdio::piped()).stderr(Stdio::piped())
    } else {
        command.stdout(Stdio::null()).stderr(Stdio::piped())
    }
    .spawn()
    .unwrap();
    let mut first = [0u8; 16];
    if stdout {
        let mut pipe = child.stdout.take().unwrap();
        pipe.read_exact(&mut first).unwrap();
        drop(pipe);
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        (child.wait().unwrap().code(), stderr)
    } else {
        let mut pipe = child.stderr.take().unwrap();
        pipe.read_exact(&mut first).unwrap();
        drop(pipe);
        (child.wait().unwrap().code(), String::new())
    }
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_a_crash() {
    // Standard output: a table far larger than a pipe's buffer.
    let (_tmp, dir) = sample_project(1500, 12, 4);
    let mut classify = Command::new(env!("CARGO_BIN_EXE_kamplan"));
    classify.args(["classify", dir.to_str().unwrap(), "--format", "csv", "--quiet"]);
    let (code, stderr) = close_early(classify, true);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Standard error (`kamplan check 2>&1 | head -3`): far more problems than a pipe holds.
    let tmp = tempfile::tempdir().unwrap();
    small_project(tmp.path(), ("Rossi", "Bianchi"), "");
    let metrics: String = (0..3000).map(|i| format!("m{i} = \"revenu + {i}\"\n")).collect();
    rule_file(tmp.path(), "metrics.toml", &format!("[metrics]\n{metrics}"));
    let mut check = Command::new(env!("CARGO_BIN_EXE_kamplan"));
    check.args(["check", tmp.path().to_str().unwrap()]);
    let (code, _) = close_early(check, false);
    assert_eq!(code, Some(2), "the usual exit code of a check with problems, not a panic's 101");
}

#[test]
fn an_impossible_date_names_the_missing_day() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_project(dir, ("Rossi", "Bianchi"), "");
    let project = dir.to_str().unwrap();
    for (args, message) in [
        (
            vec!["classify", project, "--as-of", "2025-02-30"],
            "--as-of 2025-02-30: there is no day 30 in February 2025, which has 28 days",
        ),
        (
            vec!["classify", project, "--as-of", "2024-04-31"],
            "--as-of 2024-04-31: there is no day 31 in April 2024, which has 30 days",
        ),
        (
            vec!["classify", project, "--as-of", "2025-13-01"],
            "--as-of 2025-13-01: there is no month 13",
        ),
        (
            vec!["classify", project, "--as-of", "30/06/2025"],
            "--as-of 30/06/2025: expected a date written YYYY-MM-DD",
        ),
        (
            vec!["diff", project, "--as-of", "2025-02-29"],
            "--as-of 2025-02-29: there is no day 29 in February 2025, which has 28 days",
        ),
        (
            vec!["diff", project, "--as-of", "2025-06-30", "--against-as-of", "2023-02-29"],
            "--against-as-of 2023-02-29: there is no day 29 in February 2023",
        ),
    ] {
        let out = kamplan(&args);
        assert_eq!(code_of(&out), 2, "{args:?}");
        assert!(stderr_of(&out).contains(message), "{args:?}: {}", stderr_of(&out));
    }
    // Written in kamplan.toml, the same at its place.
    small_project(dir, ("Rossi", "Bianchi"), "[project]\nas_of = \"2025-02-30\"\n");
    let out = kamplan(&["check", project]);
    assert_eq!(code_of(&out), 2);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("error: as_of: there is no day 30 in February 2025, which has 28 days"),
        "{stderr}"
    );
    assert!(stderr.contains(&place_of(&dir.join("kamplan.toml"), "\"2025-02-30\"")), "{stderr}");
    // A valid but early date is computed, not a crash.
    small_project(dir, ("Rossi", "Bianchi"), "");
    let out = kamplan(&["classify", project, "--as-of", "0001-01-31", "--quiet"]);
    assert!([0, 2].contains(&code_of(&out)), "{}", stderr_of(&out));
}

#[test]
fn a_message_that_does_not_compile_is_reported_by_check_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_project(dir, ("Rossi", "Bianchi"), "");
    rule_file(
        dir,
        "alerts.toml",
        "[alert.big]\nseverity = \"low\"\nwhen = \"revenue > 0\"\nmessage = \"Sold {{ revenue | money }\"\n",
    );
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(code_of(&out), 2);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("error: text does not compile: syntax error"), "{stderr}");
    assert!(stderr.contains(&place_of(&dir.join("rules/alerts.toml"), "\"Sold")), "{stderr}");
    // Only the Italian version is broken: check in English finds it all the same.
    rule_file(
        dir,
        "alerts.toml",
        "[alert.big]\nseverity = \"low\"\nwhen = \"revenue > 0\"\nmessage.en = \"Sold {{ revenue | money }}\"\nmessage.it = \"Venduto {{ revenue | money }\"\n",
    );
    let out = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(code_of(&out), 2);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("error: in the Italian version: text does not compile: syntax error"),
        "{stderr}"
    );
    // A build in Italian stops before any document.
    let out = kamplan(&["classify", dir.to_str().unwrap(), "--locale", "it"]);
    assert_eq!(code_of(&out), 2);
    assert!(!dir.join("out/portfolio.xlsx").exists());
}

#[test]
fn a_message_that_fails_for_a_customer_stops_the_run_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_project(dir, ("Rossi", "Bianchi"), "");
    // No cost in the sales: `cost` has no value, and `round` cannot round nothing.
    rule_file(
        dir,
        "alerts.toml",
        "[alert.big]\nseverity = \"low\"\nwhen = \"revenue > 1000\"\nmessage = \"Cost {{ cost | round }}\"\n",
    );
    let out = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(code_of(&out), 2);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("the message of alert \"big\" fails for customer C1: "), "{stderr}");
    assert!(stderr.contains(&place_of(&dir.join("rules/alerts.toml"), "\"Cost")), "{stderr}");
    assert!(!dir.join("out/portfolio.xlsx").exists(), "no table shows the error as the message");
}

#[test]
fn a_name_too_long_for_a_cell_is_refused_where_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let long = "A".repeat(100_000);
    small_project(dir, ("Rossi", &long), "");
    let out = kamplan(&["classify", dir.to_str().unwrap()]);
    assert_eq!(code_of(&out), 2);
    let stderr = common::problems(&stderr_of(&out));
    assert!(
        stderr.contains("customers.csv:3:2: name: a text of 100000 characters (\"AAAA")
            && stderr.contains(
                "at most 32767 fit in a spreadsheet cell, so it is refused rather than cut"
            ),
        "{stderr}"
    );
}

const SVG_LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#1F4E79\"/></svg>\n";

#[cfg(unix)]
#[test]
fn a_linked_logo_inside_the_project_works_and_one_leading_out_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    std::fs::create_dir_all(dir.join("brand")).unwrap();
    std::fs::write(dir.join("brand/firm-2025.svg"), SVG_LOGO).unwrap();
    std::os::unix::fs::symlink("firm-2025.svg", dir.join("brand/firm.svg")).unwrap();
    small_project(&dir, ("Rossi", "Bianchi"), "[brand]\nfirm_logo = \"brand/firm.svg\"\n");
    let project = dir.to_str().unwrap();
    let out = kamplan(&["check", project]);
    assert_eq!(code_of(&out), 0, "{}", stderr_of(&out));
    let out = kamplan(&["build", project, "--account", "C1", "--quiet"]);
    assert_eq!(code_of(&out), 0, "{}", stderr_of(&out));
    assert!(only_plan(&dir).is_file());
    // A link to a file outside the project: check and build refuse it at its place.
    std::fs::write(tmp.path().join("elsewhere.svg"), SVG_LOGO).unwrap();
    std::fs::remove_file(dir.join("brand/firm.svg")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere.svg"), dir.join("brand/firm.svg"))
        .unwrap();
    let place = place_of(&dir.join("kamplan.toml"), "\"brand/firm.svg\"");
    for command in ["check", "build"] {
        let out = kamplan(&[command, project]);
        assert_eq!(code_of(&out), 2, "{command}");
        let stderr = stderr_of(&out);
        assert!(stderr.contains("brand/firm.svg is a symbolic link to "), "{command}: {stderr}");
        assert!(
            stderr.contains("elsewhere.svg, outside the project folder"),
            "{command}: {stderr}"
        );
        assert!(stderr.contains(&place), "{command}: {stderr}");
    }
}
