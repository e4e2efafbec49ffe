//! What the documents and the commands say, on the bundled sample, kept as
//! snapshots (tests/snapshots/): a change to a view model, an explanation
//! or a comparison shows in review as a diff of these files. After an
//! intended change, `INSTA_UPDATE=always cargo test --release --test
//! snapshots` (or `cargo insta review`) rewrites them.

mod common;

use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// Standard output of a command that must succeed.
fn stdout_of(args: &[&str]) -> String {
    let out = common::kamplan(args);
    assert!(out.status.success(), "kamplan {args:?}: {}", common::stderr_of(&out));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn the_portfolio_report_view_model() {
    let sample = sample();
    let json = stdout_of(&["templates", "context", sample.to_str().unwrap()]);
    insta::assert_snapshot!("report_context", json);
}

#[test]
fn an_account_plan_view_model() {
    let sample = sample();
    let json = stdout_of(&["templates", "context", sample.to_str().unwrap(), "--account", "C0025"]);
    insta::assert_snapshot!("plan_context_c0025", json);
}

#[test]
fn explain_in_both_languages() {
    let sample = sample();
    let project = sample.to_str().unwrap();
    insta::assert_snapshot!("explain_c0025_en", stdout_of(&["explain", "C0025", project]));
    let italian = stdout_of(&["explain", "C0025", project, "--locale", "it"]);
    insta::assert_snapshot!("explain_c0025_it", italian);
}

#[test]
fn diff_in_both_languages() {
    let (_tmp, dir) = common::sample_copy();
    let project = dir.to_str().unwrap();
    let english = stdout_of(&["diff", project, "--as-of", "2025-03-31"]);
    insta::assert_snapshot!("diff_as_of_en", english);
    let toml = dir.join("kamplan.toml");
    let italian = common::read(&toml).replacen("[project]", "[project]\nlocale = \"it\"", 1);
    std::fs::write(&toml, italian).unwrap();
    let italian = stdout_of(&["diff", project, "--as-of", "2025-03-31"]);
    insta::assert_snapshot!("diff_as_of_it", italian);
}
