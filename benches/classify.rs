//! End-to-end benchmark of `classify` on a large generated data set.
//!
//! `cargo bench --bench classify` generates (once, cached under
//! `target/bench-data/`) 20,000 customers × 36 months ≈ 10 million sales lines
//! in one CSV file, then runs the whole classification three times in this
//! process and prints wall time, CPU time and peak memory (Linux /proc).
//! Set `KAMPLAN_BENCH_LINES` to change the size, and `KAMPLAN_BENCH_CUSTOMERS`
//! the number of customers (1000 gives about 520 lines and 70 distinct
//! products per customer and month: the many-products case).

use kamplan::config::project::load_project;
use kamplan::output::table::portfolio_table;
use kamplan::output::{table_csv, xlsx};
use kamplan::pipeline::run_classify;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use support::{cpu_seconds, peak_rss_kb};

mod support;

fn main() {
    let lines: u64 = std::env::var("KAMPLAN_BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let customers: u64 = std::env::var("KAMPLAN_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dir = data_dir(lines, customers);
    let project = load_project(&dir).expect("bench project");
    let size = std::fs::metadata(dir.join("sales/sales.csv")).map(|m| m.len()).unwrap_or(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!("classify: {} ({:.0} MB CSV), {workers} threads", dir.display(), size as f64 / 1e6);
    for run in 1..=3 {
        let cpu_before = cpu_seconds();
        let start = Instant::now();
        let result = run_classify(&project, workers).expect("classify");
        let table = portfolio_table(&result.portfolio);
        let csv = table_csv(&table, kamplan::output::csv_dialect::CsvDialect::STANDARD);
        let rule_sheets = xlsx::RuleSheets::new(&result.portfolio, &result.rules);
        let mut sheets = vec![xlsx::Sheet::Table("Portfolio", &table)];
        sheets.extend(rule_sheets.sheets());
        let workbook = xlsx::workbook(&sheets, result.portfolio.period.as_of, result.rules.locale)
            .expect("xlsx");
        let wall = start.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu_before;
        let totals = result.sales.totals();
        println!(
            "run {run}: wall {wall:.2} s, cpu {cpu:.2} s, {:.0} MB/s, {} lines, {} customers, csv {} kB, xlsx {} kB",
            size as f64 / 1e6 / wall,
            totals.read,
            result.portfolio.rows.len(),
            csv.len() / 1000,
            workbook.len() / 1000
        );
    }
    println!("peak RSS: {:.0} MB", peak_rss_kb() as f64 / 1024.0);
}

/// The generated project, made with the release binary on first use.
fn data_dir(lines: u64, customers: u64) -> PathBuf {
    let name = match customers {
        20_000 => format!("lines-{lines}"),
        _ => format!("lines-{lines}-customers-{customers}"),
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data").join(name);
    if !dir.join("kamplan.toml").exists() {
        println!("generating {lines} lines into {} …", dir.display());
        let status = Command::new(env!("CARGO_BIN_EXE_kamplan"))
            .args([
                "sample",
                "--customers",
                &customers.to_string(),
                "--months",
                "36",
                "--seed",
                "7",
                "--single-file",
            ])
            .args(["--lines", &lines.to_string()])
            .arg(&dir)
            .status()
            .expect("run kamplan sample");
        assert!(status.success(), "kamplan sample failed");
    }
    dir
}
