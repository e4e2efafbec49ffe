//! `kamplan build`: the PDF deliverables, a portfolio report and an account
//! plan per key account, rendered in parallel.

use super::input::InputArgs;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kamplan::diagnostic::Diagnostics;
use kamplan::output::staging::{Scope, Staging};
use kamplan::output::summary::file_lines;
use kamplan::pipeline::run_classify_with;
use kamplan::render::batch::{Outcome, render_all};
use kamplan::render::pdf::{Renderer, Standard};
use kamplan::render::templates::Language;
use kamplan::report::Meta;
use kamplan::report::Sources;
use kamplan::report::plan::{BuildPlan, Shard};
use std::io::IsTerminal;
use std::time::Instant;

/// Build the deliverables: out/portfolio.pdf, out/accounts/<account>.pdf for every key account, and the tables classify writes.
///
/// Examples:
///   kamplan build sample-data
///   kamplan build sample-data --account C0042
///   kamplan build sample-data --pdf-standard a-2b
///   kamplan build sample-data --shard 2/4 --out out-2
///   kamplan build --sales export.csv --customers master.csv --out out
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Build only the account plan of this customer (repeatable); any customer may be named.
    #[arg(long = "account", value_name = "ID")]
    accounts: Vec<String>,
    /// Judge the objectives of an earlier build's plan record (its plans.csv) against this window [default: the project's [previous_plan] path].
    #[arg(long, value_name = "FILE")]
    previous_plan: Option<std::path::PathBuf>,
    /// Build only the K-th of N parts, to spread a batch over N machines: a fixed slice of the plans, and in part 1 also the portfolio report and the tables; together the N parts make the files of one build (docs/warehouse.md).
    #[arg(long, value_name = "K/N", conflicts_with = "accounts")]
    shard: Option<Shard>,
    /// PDF flavour: plain PDF 1.7, or PDF/A-2b for archiving.
    #[arg(long, value_enum, default_value_t = PdfStandardArg::Pdf17)]
    pdf_standard: PdfStandardArg,
    /// Then open the portfolio report (with --account, the plans built) in the system's viewer.
    #[arg(long)]
    pub open: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PdfStandardArg {
    #[value(name = "1.7")]
    Pdf17,
    #[value(name = "a-2b")]
    A2b,
}

/// How a build ended, for the exit code.
pub enum BuildOutcome {
    AllWritten,
    SomeFailed,
}

pub fn run(args: &BuildArgs) -> Result<BuildOutcome, Diagnostics> {
    run_opening(args, args.open).map(|(outcome, _)| outcome)
}

/// The build; with `open`, then the documents [`to_show`] in the system's
/// viewer. Also says whether a viewer was asked to show one.
pub fn run_opening(args: &BuildArgs, open: bool) -> Result<(BuildOutcome, bool), Diagnostics> {
    let started = Instant::now();
    let mut project = args.input.project()?;
    if let Some(path) = &args.previous_plan {
        project.previous_plan = Some(path.clone());
    }
    let lock = super::classify::lock_output(&project)?;
    let workers = args.input.workers();
    let quiet = args.input.quiet;
    let classified = run_classify_with(&project, workers, true)?;
    let portfolio = &classified.portfolio;
    let rules = &classified.rules;
    let control = classified.control.clone();

    let standard = match args.pdf_standard {
        PdfStandardArg::Pdf17 => Standard::Plain,
        PdfStandardArg::A2b => Standard::A2b,
    };
    let language = Language { locale: project.locale, currency: project.currency.clone() };
    let (renderer, font_problems) = Renderer::for_project(
        &project.root,
        portfolio.period.as_of,
        standard,
        &project.brand,
        &language,
    )?;
    let font_warnings = font_problems.iter().map(|problem| {
        kamplan::diagnostic::Diagnostic::error(&problem.path, None, &problem.message).warning()
    });
    super::report(&Diagnostics(font_warnings.collect()));

    let mut meta =
        Meta::new(&project.name, &project.currency, &project.engagement, portfolio, project.locale);
    meta.stamp = Some(kamplan::stamp::stamp(&project));
    let previous = classified.previous.as_ref();
    let sources = Sources::new(portfolio, previous, rules, &classified.accounts)
        .with_quality(&classified.quality)
        .with_control(control.as_ref());
    // Accounts named on the command line, by id in any form or by name.
    let accounts = args
        .accounts
        .iter()
        .map(|typed| {
            let name = project.root.display().to_string();
            kamplan::classify::lookup::find_customer(portfolio, typed, &project.sales.ids, &name)
                .map(|row| portfolio.rows[row].customer_id.clone())
        })
        .collect::<Result<Vec<String>, String>>()?;
    let plan = BuildPlan::new(sources, meta, &accounts)?;
    let planned = plan.account_rows().len();
    let plan = match args.shard {
        Some(shard) => plan.shard(shard),
        None => plan,
    };
    // Only the first part of a sharded build writes the tables.
    let with_tables = args.shard.is_none_or(|shard| shard.index == 1);
    let count = plan.len();
    let out_dir = &project.out_dir;
    let intelligence = &plan.sources().intelligence;
    let mut timings = classified.timings.clone();
    // Tables and documents go to temporary files, renamed into place
    // together at the end: a run that stops leaves the earlier outputs whole.
    let staging = Staging::new(out_dir, &project.root);
    let mut tables = Vec::new();
    if with_tables {
        tables = timings.time("tables", || {
            super::classify::write_tables(
                &project,
                &classified,
                Some(intelligence),
                control.as_ref(),
                &staging,
            )
        })?;
        // This build's plan, for the control of the next one.
        let record = kamplan::control::record::record(portfolio, rules);
        let dialect = kamplan::output::csv_dialect::CsvDialect::of(&project);
        staging.stage(
            kamplan::control::record::FILE,
            &kamplan::control::record::to_csv(&record, dialect),
        )?;
        tables.push(staging.path_of(kamplan::control::record::FILE).display().to_string());
    }
    kamplan::memory::give_back_freed();
    let rendering = Instant::now();

    let mut progress = Progress::new(count, quiet);
    let outcomes =
        render_all(&renderer, count, &|i| plan.document(i), &staging, workers, &mut |o| {
            progress.done(o)
        });
    progress.finish();
    timings.0.push(("documents", rendering.elapsed()));
    // A full build replaces the earlier set: plans it no longer makes go.
    // A part of a sharded build leaves the other parts' files alone.
    let scope =
        if args.accounts.is_empty() && args.shard.is_none() { Scope::Whole } else { Scope::Add };
    let committed = staging.commit(scope)?;
    drop(lock);

    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
    if !quiet {
        let mut text = super::classify::summary_text_for(&project, &classified, &tables, "build");
        if args.input.verbose {
            text.push_str(&file_lines(&classified.sales.files, &project.root));
        }
        if let Some(control) = &control {
            text.push_str(&control_line(control));
        }
        let written = outcomes.len() - failed.len();
        text.push_str(&format!(
            "  documents  {written} of {count} written to {} in {:.1} s ({} worker{})\n",
            out_dir.display(),
            started.elapsed().as_secs_f64(),
            workers,
            if workers == 1 { "" } else { "s" }
        ));
        if let Some(shard) = args.shard {
            let (start, end) = shard.slice(planned);
            let plans = match end - start {
                0 => format!("none of the {planned} plans"),
                _ => format!("plans {}–{end} of {planned} in the build's order", start + 1),
            };
            text.push_str(&format!(
                "  shard      {} of {}: {plans}{}\n",
                shard.index,
                shard.count,
                if shard.index == 1 {
                    ", the portfolio report and the tables"
                } else {
                    "; part 1 makes the portfolio report and the tables"
                }
            ));
        }
        text.push_str(&without_account_file(&plan, &project.root));
        if !committed.removed.is_empty() {
            text.push_str(&format!(
                "  removed    {} (written by an earlier build, not made by this one)\n",
                committed.removed.join(", ")
            ));
        }
        if args.input.verbose {
            text.push_str(&format!("  timings    {}\n", timings.line()));
        }
        eprint!("{text}");
    }
    super::classify::report_commit(&committed);
    super::report(&document_problems(&failed));
    let mut shown = false;
    if open {
        let documents = to_show(&outcomes, args.accounts.is_empty());
        if documents.is_empty() {
            eprintln!("note: nothing to open: the build wrote no document");
        }
        for path in documents {
            super::open::open(path);
            shown = true;
        }
    }
    let outcome =
        if failed.is_empty() { BuildOutcome::AllWritten } else { BuildOutcome::SomeFailed };
    Ok((outcome, shown))
}

/// The summary line naming the plans that have no account file; the plans
/// print what the data cannot tell from one, and the consultant, not the
/// client, is told which plans lack it.
fn without_account_file(plan: &BuildPlan, root: &std::path::Path) -> String {
    let sources = plan.sources();
    let without: Vec<&str> = plan
        .key_accounts()
        .into_iter()
        .map(|r| sources.portfolio.rows[r].customer_id.as_str())
        .filter(|id| sources.accounts.get(id).is_none())
        .collect();
    let Some(first) = without.first() else { return String::new() };
    format!(
        "  accounts   {} plan{} without an account file (e.g. {}): kamplan init-account {first} {} starts one\n",
        without.len(),
        if without.len() == 1 { "" } else { "s" },
        without.iter().take(3).copied().collect::<Vec<_>>().join(", "),
        root.display()
    )
}

/// One problem per distinct failure: a template error breaks every plan the
/// same way, and is shown once with the documents it stopped.
fn document_problems(failed: &[&Outcome]) -> Diagnostics {
    let mut groups: Vec<(&kamplan::diagnostic::Diagnostic, Vec<&str>)> = Vec::new();
    for outcome in failed {
        let Err(problem) = &outcome.result else { continue };
        let problem = &**problem;
        match groups.iter_mut().find(|(p, _)| *p == problem) {
            Some((_, subjects)) => subjects.push(&outcome.subject),
            None => groups.push((problem, vec![&outcome.subject])),
        }
    }
    let problems = groups.into_iter().map(|(problem, subjects)| {
        let mut problem = problem.clone();
        let whom = match subjects.as_slice() {
            [one] => one.to_string(),
            [first, second] => format!("{first} and {second}"),
            [first, rest @ ..] => format!("{first} and {} other documents", rest.len()),
            [] => unreachable!("a group has a document"),
        };
        problem.message = format!("{whom}: {}", problem.message);
        problem
    });
    Diagnostics(problems.collect())
}

/// What `--open` shows: the portfolio report of a whole build, or the plans
/// a build of named accounts made; only those written.
fn to_show(outcomes: &[Outcome], whole: bool) -> Vec<&std::path::Path> {
    // A whole build renders the report first; a part of one without the
    // report shows its first plan rather than opening hundreds.
    let wanted = if whole { &outcomes[..outcomes.len().min(1)] } else { outcomes };
    wanted.iter().filter(|o| o.result.is_ok()).map(|o| o.path.as_path()).collect()
}

/// `control    12 of 19 objectives due met (plan of 2024-12-31, 150 customers; 4 not yet due)`.
fn control_line(control: &kamplan::control::Control) -> String {
    let t = control.total();
    let mut notes =
        vec![format!("plan of {}, {} customers", control.plan_as_of, control.customers.len())];
    if t.not_due > 0 {
        notes.push(format!("{} not yet due", t.not_due));
    }
    if t.unmeasured > 0 {
        notes.push(format!("{} without a value or target", t.unmeasured));
    }
    format!(
        "  control    {} of {} objectives due met ({})\n",
        t.met,
        t.met + t.missed,
        notes.join("; ")
    )
}

/// A progress bar with ETA on a terminal; a line per document otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    done: usize,
    total: usize,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:32.cyan/blue} {pos}/{len} documents  {elapsed} elapsed, ETA {eta}  {msg}",
                )
                .expect("a valid template"),
            );
            bar
        });
        Progress { bar, quiet, done: 0, total }
    }

    fn done(&mut self, outcome: &Outcome) {
        self.done += 1;
        let status = match &outcome.result {
            Ok(_) => "ok",
            Err(_) => "FAILED",
        };
        match &self.bar {
            Some(bar) => {
                bar.set_message(outcome.subject.clone());
                bar.inc(1);
            }
            None if !self.quiet => eprintln!(
                "[{}/{}] {} {} ({:.2} s)",
                self.done,
                self.total,
                outcome.path.display(),
                status,
                outcome.elapsed.as_secs_f64()
            ),
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
