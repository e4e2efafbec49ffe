//! One way to show a problem: every command shows the same broken rule file
//! the same way, the root cause first with what follows from it folded
//! under it, every problem at its line; `check --format json` for tools.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A project made by `kamplan init --with-sample`, its rules copied in.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tour");
    common::kamplan_ok(&["init", dir.to_str().unwrap(), "--with-sample"]);
    (tmp, dir)
}

/// Runs kamplan inside the project (so places read `rules/…`): exit code and stderr.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kamplan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("kamplan runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), common::stderr_of(&out), stdout)
}

/// Replaces the first line of `file` that equals `old`; returns its 1-based number.
fn replace_line(file: &Path, old: &str, new: &str) -> usize {
    let text = common::read(file);
    let at = text.lines().position(|l| l.trim() == old).expect("the line is in the file");
    let lines: Vec<&str> =
        text.lines().enumerate().map(|(i, l)| if i == at { new } else { l }).collect();
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
    at + 1
}

/// The problems of a `check` output, without the column mapping it prints
/// first and the count it prints last.
fn problems_of_check(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("columns of ")).collect();
    let (last, rest) = lines.split_last().unwrap();
    assert!(last.contains("problem"), "{stderr}");
    rest.join("\n") + "\n"
}

#[test]
fn a_broken_bound_is_shown_first_and_the_same_by_every_command() {
    let (_tmp, dir) = project();
    let file = dir.join("rules/classification.toml");
    let line = replace_line(&file, "bounds = [0.80, 0.95, 1.00]", "bounds = [0.95, 0.80, 1.00]");
    let (code, stderr, _) = run_in(&dir, &["check"]);
    assert_eq!(code, Some(2), "{stderr}");
    let shown = problems_of_check(&stderr);
    // The bound's error comes first and alone; the uses of "abc" it breaks
    // are folded under it, with no unrelated suggestions.
    assert!(
        shown.starts_with(&format!(
            "error: bounds must be positive and increasing\n  --> rules/classification.toml:{line}:10\n"
        )),
        "{shown}"
    );
    assert_eq!(shown.matches("error:").count(), 1, "{shown}");
    assert!(shown.contains("= note: \"abc\" and \"abc_distance\" are used in "), "{shown}");
    assert!(shown.contains("rules/alerts.toml lines "), "{shown}");
    assert!(!shown.contains("did you mean"), "{shown}");
    assert!(stderr.contains("\n1 problem found (and "), "{stderr}");
    assert!(stderr.trim_end().ends_with("that follow from it)"), "{stderr}");
    // The whole display, so a change to it is seen in review.
    insta::assert_snapshot!("broken_bound", shown);
    let commands: [&[&str]; 5] = [
        &["classify"],
        &["build"],
        &["explain", "C0001"],
        &["diff", "--rules", "rules"],
        &["watch", "--max-builds", "1"],
    ];
    for args in commands {
        let (code, stderr, _) = run_in(&dir, args);
        let expected = if args[0] == "watch" { Some(0) } else { Some(2) };
        assert_eq!(code, expected, "kamplan {args:?}: {stderr}");
        assert!(
            stderr.contains(&shown),
            "kamplan {args:?} shows it otherwise:\n{stderr}\n---\n{shown}"
        );
    }
}

#[test]
fn an_unknown_table_is_shown_at_its_line() {
    let (_tmp, dir) = project();
    let file = dir.join("rules/alerts.toml");
    let line = common::read(&file).lines().count() + 2;
    let mut text = common::read(&file);
    text.push_str("\n[kamplan_bogus_table]\nx = 1\n");
    std::fs::write(&file, text).unwrap();
    let (code, stderr, _) = run_in(&dir, &["check"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: unknown key \"kamplan_bogus_table\" at the top level; expected one of "
        ),
        "{stderr}"
    );
    assert!(stderr.contains(&format!(" --> rules/alerts.toml:{line}:1\n")), "{stderr}");
}

#[test]
fn a_misspelt_name_is_underlined_with_a_suggestion() {
    let (_tmp, dir) = project();
    let file = dir.join("rules/key_accounts.toml");
    let text = common::read(&file);
    let original = text.lines().find(|l| l.starts_with("when = ")).unwrap().to_string();
    let line = replace_line(&file, &original, "when = 'revenu > 0'");
    let (code, stderr, _) = run_in(&dir, &["check"]);
    assert_eq!(code, Some(2), "{stderr}");
    let expected = format!(
        "error: unknown variable \"revenu\"\n --> rules/key_accounts.toml:{line}:9\n  |\n{line} | when = 'revenu > 0'\n  |         ^^^^^^\n  = help: did you mean \"revenue\"?\n"
    );
    assert!(stderr.contains(&expected), "{stderr}\n---\n{expected}");
    // A build shows it the same way.
    let (code, build, _) = run_in(&dir, &["build"]);
    assert_eq!(code, Some(2));
    assert!(build.contains(&expected), "{build}");
}

#[test]
fn check_writes_the_problems_as_json_for_tools() {
    let (_tmp, dir) = project();
    let file = dir.join("rules/classification.toml");
    let line = replace_line(&file, "bounds = [0.80, 0.95, 1.00]", "bounds = [0.95, 0.80, 1.00]");
    let (code, stderr, stdout) = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(code, Some(2), "{stderr}");
    let problems: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let problems = problems.as_array().unwrap();
    let errors: Vec<&serde_json::Value> =
        problems.iter().filter(|p| p["level"] == "error").collect();
    let roots: Vec<&&serde_json::Value> =
        errors.iter().filter(|p| p["follows"].is_null()).collect();
    assert_eq!(roots.len(), 1, "{stdout}");
    assert_eq!(roots[0]["file"], "rules/classification.toml");
    assert_eq!(roots[0]["line"], line);
    assert_eq!(roots[0]["message"], "bounds must be positive and increasing");
    let follower = errors.iter().find(|p| p["file"] == "rules/alerts.toml").expect("a use of abc");
    assert_eq!(follower["follows"]["line"], line);
    assert_eq!(follower["end_column"].as_u64().unwrap() - follower["column"].as_u64().unwrap(), 3);
    // A clean project gives an empty list and exit code 0.
    replace_line(&file, "bounds = [0.95, 0.80, 1.00]", "bounds = [0.80, 0.95, 1.00]");
    let (code, stderr, stdout) = run_in(&dir, &["check", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let problems: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(problems.as_array().unwrap().iter().all(|p| p["level"] == "warning"), "{stdout}");
}
