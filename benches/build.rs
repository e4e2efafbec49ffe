//! Benchmark of `build`: 1,000 account plans rendered in this process on
//! worker threads, beside the same documents made one process per document.
//!
//! `cargo bench --bench build` generates (once, cached under
//! `target/bench-data/`) a sample project of 5,000 customers × 24 months,
//! classifies it, then renders the account plans of its first 1,000 key
//! accounts (8 pages, 11 charts each) into a temporary folder, and prints
//! documents per second, time to the first PDF and peak memory. Then it
//! runs `kamplan build --account ID` as one process per document, two at a
//! time, over the first 40 accounts. `KAMPLAN_BENCH_DOSSIERS` changes the
//! number of documents.

use kamplan::config::project::load_project;
use kamplan::pipeline::run_classify_with;
use kamplan::render::batch::render_all;
use kamplan::render::pdf::{Renderer, Standard};
use kamplan::render::templates::Language;
use kamplan::report::Meta;
use kamplan::report::Sources;
use kamplan::report::plan::BuildPlan;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use support::{cpu_seconds, peak_rss_kb};

mod support;

fn main() {
    let start = Instant::now();
    let dossiers: usize =
        std::env::var("KAMPLAN_BENCH_DOSSIERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let dir = data_dir(5000);
    let workers = std::env::var("KAMPLAN_BENCH_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let project = load_project(&dir).expect("bench project");
    let classified = run_classify_with(&project, workers, true).expect("classify");
    let portfolio = &classified.portfolio;
    let language = Language { locale: project.locale, currency: project.currency.clone() };
    let (renderer, _) = Renderer::for_project(
        &dir,
        portfolio.period.as_of,
        Standard::Plain,
        &project.brand,
        &language,
    )
    .expect("templates");
    let meta =
        Meta::new(&project.name, &project.currency, &project.engagement, portfolio, project.locale);
    let previous = classified.previous.as_ref();
    let sources = Sources::new(portfolio, previous, &classified.rules, &classified.accounts);
    let plan = BuildPlan::new(sources, meta, &[]).expect("a plan");
    let mut keys = plan.account_rows().to_vec();
    // KAMPLAN_BENCH_ORDER=id renders in id order, to compare with the build's order.
    if std::env::var("KAMPLAN_BENCH_ORDER").is_ok_and(|o| o == "id") {
        keys.sort_unstable();
    }
    assert!(!keys.is_empty(), "the sample has key accounts");
    let out = tempfile::tempdir().expect("temporary folder");
    let prepared = start.elapsed().as_secs_f64();
    println!(
        "build: {} customers, {} key accounts, rendering {dossiers} account plans on {workers} threads",
        portfolio.rows.len(),
        keys.len()
    );
    // Accounts repeat when the sample has fewer key accounts than documents asked for.
    let make = |i: usize| {
        let mut document = plan.account(keys[i % keys.len()]);
        // Accounts repeat beyond the sample's key accounts: each document its own file.
        document.output = format!("accounts/{i:04}.pdf");
        document
    };
    let cpu_before = cpu_seconds();
    let render_start = Instant::now();
    let mut first: Option<f64> = None;
    let mut pages_bytes = 0usize;
    let outcomes = render_all(&renderer, dossiers, &make, out.path(), workers, &mut |o| {
        first.get_or_insert_with(|| start.elapsed().as_secs_f64());
        pages_bytes += o.result.as_ref().copied().unwrap_or(0);
    });
    let wall = render_start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    println!(
        "in process: {dossiers} documents in {wall:.2} s = {:.1} documents/s (cpu {cpu:.1} s, {:.0} ms cpu per document), {failed} failed, {:.0} kB per PDF",
        dossiers as f64 / wall,
        cpu * 1000.0 / dossiers as f64,
        pages_bytes as f64 / dossiers as f64 / 1000.0
    );
    println!(
        "first PDF {:.0} ms after start (classification and set-up {:.0} ms); peak RSS {:.0} MB",
        first.unwrap_or(0.0) * 1000.0,
        prepared * 1000.0,
        peak_rss_kb() as f64 / 1024.0
    );
    phases(&renderer, &make, keys.len().min(40));
    // KAMPLAN_BENCH_PROCESSES=0 leaves the one-process-per-document comparison out.
    let processes =
        std::env::var("KAMPLAN_BENCH_PROCESSES").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    per_process(&dir, portfolio, &keys[..processes.min(keys.len())], workers);
}

/// Where a document's time goes, on one thread, caches kept as in a batch:
/// view model and chart data, template, charts as SVG, Typst layout, PDF
/// export.
fn phases(renderer: &Renderer, make: &dyn Fn(usize) -> kamplan::render::Document, n: usize) {
    let mut sums = [0.0f64; 5];
    for i in 0..n {
        let mut lap = Instant::now();
        let mut next = |k: usize| {
            sums[k] += lap.elapsed().as_secs_f64();
            lap = Instant::now();
        };
        let document = make(i);
        next(0);
        let markup = renderer.markup(&document).expect("markup");
        next(1);
        let files: Vec<(String, Vec<u8>)> =
            document.charts.iter().map(|(p, c)| (p.clone(), c.svg().into_bytes())).collect();
        next(2);
        let world = renderer.base.document(markup, &files);
        let paged = typst::compile::<typst_layout::PagedDocument>(&world).output.expect("compiles");
        next(3);
        typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default()).expect("exports");
        next(4);
        typst::comemo::evict(kamplan::render::batch::KEEP_CACHED_DOCUMENTS);
    }
    let ms = |k: usize| sums[k] * 1000.0 / n as f64;
    println!(
        "per document on one thread (mean of {n}): view model {:.1} ms, template {:.1} ms, charts {:.1} ms, Typst layout {:.1} ms, PDF export {:.1} ms",
        ms(0),
        ms(1),
        ms(2),
        ms(3),
        ms(4)
    );
}

/// `kamplan build --account ID` as one process per document, `workers` at a time.
fn per_process(
    dir: &Path,
    portfolio: &kamplan::classify::Portfolio,
    keys: &[usize],
    workers: usize,
) {
    if keys.is_empty() {
        return;
    }
    let ids: Vec<&str> = keys.iter().map(|&r| portfolio.rows[r].customer_id.as_str()).collect();
    let out = tempfile::tempdir().expect("temporary folder");
    let start = Instant::now();
    for chunk in ids.chunks(workers) {
        let children: Vec<_> = chunk
            .iter()
            .map(|id| {
                // A folder per process: two runs never write one output folder at a time.
                Command::new(env!("CARGO_BIN_EXE_kamplan"))
                    .arg("build")
                    .arg(dir)
                    .args(["--account", id, "-q", "-j", "1", "--out"])
                    .arg(out.path().join(id))
                    .spawn()
                    .expect("run kamplan")
            })
            .collect();
        for mut child in children {
            assert!(child.wait().expect("kamplan runs").success(), "kamplan build failed");
        }
    }
    let wall = start.elapsed().as_secs_f64();
    println!(
        "one process per document: {} documents in {wall:.2} s = {:.1} documents/s ({workers} at a time)",
        ids.len(),
        ids.len() as f64 / wall
    );
}

/// The generated project, made with the release binary on first use.
fn data_dir(customers: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("build-{customers}"));
    if !dir.join("kamplan.toml").exists() {
        println!("generating {customers} customers into {} …", dir.display());
        let status = Command::new(env!("CARGO_BIN_EXE_kamplan"))
            .args([
                "sample",
                "--customers",
                &customers.to_string(),
                "--months",
                "24",
                "--seed",
                "11",
            ])
            .arg(&dir)
            .status()
            .expect("run kamplan sample");
        assert!(status.success(), "kamplan sample failed");
    }
    dir
}
