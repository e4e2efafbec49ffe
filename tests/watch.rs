//! `kamplan watch` rebuilds after an edit, reports a broken rule without
//! stopping, and rebuilds again once it is fixed.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Waits until `done` holds, for at most a minute (builds on a busy machine can be slow).
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(60), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn a_count(csv: &Path) -> usize {
    let (header, rows) = csv_records(csv);
    let abc = header.iter().position(|h| h == "abc").unwrap();
    rows.iter().filter(|r| r[abc] == "A").count()
}

#[test]
fn watch_rebuilds_after_a_changed_threshold_and_survives_a_broken_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init", project, "--with-sample"]);
    let log = tmp.path().join("watch.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kamplan"))
        .args(["watch", project, "--account", "C0004", "-q", "--max-builds", "3"])
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    let csv = dir.join("out/portfolio.csv");
    let watching = || read(&log).matches("watching").count();
    wait_for("the first build", || watching() >= 1);
    assert_eq!(a_count(&csv), 20);

    // A broken rule: reported, and the watch goes on.
    let rules = dir.join("rules/classification.toml");
    let original = read(&rules);
    std::fs::write(&rules, original.replacen("kind = \"abc\"", "kind = \"abd\"", 1)).unwrap();
    wait_for("the error", || read(&log).contains("error:") && watching() >= 2);
    assert!(read(&log).contains("classification.toml"), "{}", read(&log));
    assert!(child.try_wait().unwrap().is_none(), "still watching after an error");

    // Fixed, with a lower A bound: the third build has fewer A customers.
    let changed =
        original.replacen("bounds = [0.80, 0.95, 1.00]", "bounds = [0.50, 0.95, 1.00]", 1);
    std::fs::write(&rules, changed).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no rebuild after the fix");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success());
    assert_eq!(a_count(&csv), 4, "{}", read(&log));
}

#[test]
fn watch_names_the_changed_file_with_the_time_and_opens_the_document_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init", project, "--with-sample"]);
    let (bin, viewer_log) = fake_viewer(tmp.path());
    let log = tmp.path().join("watch.log");
    let mut child = viewer_command(
        &["watch", project, "--account", "C0004", "--open", "-q", "--max-builds", "2"],
        &bin,
    )
    .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
    .spawn()
    .unwrap();
    wait_for("the first build", || read(&log).contains("watching"));
    let plan = only_plan(&dir);
    assert_eq!(opened(&viewer_log, 1), [plan.display().to_string()]);

    let rules = dir.join("rules/classification.toml");
    std::fs::write(&rules, read(&rules).replacen("[0.80, 0.95, 1.00]", "[0.50, 0.95, 1.00]", 1))
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no rebuild after the change");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{}", read(&log));
    let text = read(&log);
    let line = text.lines().find(|l| l.contains("changed: rebuilding")).expect(&text);
    // `[HH:MM:SS] rules/classification.toml changed: rebuilding`
    let (time, rest) = line.strip_prefix('[').and_then(|l| l.split_once("] ")).expect(line);
    let fields: Vec<&str> = time.split(':').collect();
    assert!(
        fields.len() == 3 && fields.iter().all(|f| f.len() == 2 && f.parse::<u8>().is_ok()),
        "{line}"
    );
    assert!(rest.starts_with("rules/classification.toml"), "{line}");
    assert_eq!(opened(&viewer_log, 2).len(), 1, "opened once, not after the rebuild");
}
