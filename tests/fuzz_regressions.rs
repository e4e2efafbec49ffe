//! Replays the committed fuzz inputs (fuzz/corpus and fuzz/regressions)
//! through the fuzz targets' own code: no input a user could write makes
//! kamplan panic. See docs/fuzzing.md.

#[path = "../fuzz/src/targets.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of a folder, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

/// Runs `target` on each file; fails naming every input that panicked.
fn replay(files: &[PathBuf], target: fn(&[u8])) {
    let panicked: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| target(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(panicked.is_empty(), "inputs that panic:\n{}", panicked.join("\n"));
}

/// The corpus of a target: every input must pass.
fn replay_corpus(target: &str, run: fn(&[u8])) {
    let files = inputs(&fuzz_dir().join("corpus").join(target));
    assert!(!files.is_empty(), "no corpus for {target}");
    replay(&files, run);
}

/// One input found by fuzzing, kept under fuzz/regressions/TARGET/NAME.
fn replay_regression(target: &str, name: &str, run: fn(&[u8])) {
    let path = fuzz_dir().join("regressions").join(target).join(name);
    assert!(path.is_file(), "missing {}", path.display());
    replay(&[path], run);
}

#[test]
fn sales_line_corpus() {
    replay_corpus("sales_line", targets::sales_line);
}

#[test]
fn sales_file_corpus() {
    replay_corpus("sales_file", targets::sales_file);
}

#[test]
fn header_corpus() {
    replay_corpus("header", targets::header);
}

#[test]
fn rules_corpus() {
    replay_corpus("rules", targets::rules);
}

#[test]
fn accounts_corpus() {
    replay_corpus("accounts", targets::accounts);
}

#[test]
fn expression_corpus() {
    replay_corpus("expression", targets::expression);
}

/// Every file under fuzz/regressions has a test of its own below.
#[test]
fn every_regression_input_is_replayed() {
    let source = include_str!("fuzz_regressions.rs");
    let loose = inputs(&fuzz_dir().join("regressions"));
    assert!(loose.is_empty(), "files outside a target's folder: {loose:?}");
    let targets = std::fs::read_dir(fuzz_dir().join("regressions")).into_iter().flatten();
    for dir in targets.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()) {
        let target = dir.file_name().unwrap().to_string_lossy().to_string();
        for file in inputs(&dir) {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let call = format!("replay_regression(\"{target}\", \"{name}\"");
            assert!(source.contains(&call), "no test replays {}", file.display());
        }
    }
}

#[test]
fn expression_derived_integer_overflow() {
    replay_regression("expression", "derived-integer-overflow", targets::expression);
}

/// `{{ x | num(10000000000000000) }}` asked the formatter for more decimals than it takes.
#[test]
fn expression_num_decimals_out_of_range() {
    replay_regression("expression", "num-decimals-out-of-range", targets::expression);
}
