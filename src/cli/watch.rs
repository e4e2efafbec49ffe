//! `kamplan watch`: rebuild when the rules, templates, account files or data
//! change, so a consultant sees the effect of an edit in seconds.

use super::build::{BuildArgs, BuildOutcome};
use clap::Args;
use kamplan::diagnostic::Diagnostics;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

/// How long the files must stay quiet before a rebuild: editors and exports
/// write in several steps.
const QUIET: Duration = Duration::from_millis(400);

/// Build, then rebuild whenever a file of the project changes (rules,
/// templates, account files, fonts, kamplan.toml, the data). Errors are
/// reported and the watch goes on; stop it with Ctrl-C.
///
/// Examples:
///   kamplan watch sample-data --account C0042
///   kamplan watch                               # the project in the current folder
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct WatchArgs {
    #[command(flatten)]
    build: BuildArgs,
    /// Stop after this many builds (for scripts and tests).
    #[arg(long, hide = true)]
    max_builds: Option<usize>,
}

pub fn run(args: WatchArgs) -> Result<(), Diagnostics> {
    // The folders to watch come from the project as it is now; the output
    // folder is left out so that a build does not trigger the next.
    let project = args.build.input.project()?;
    // Compared in absolute form: the watcher reports paths as it was given them.
    let absolute = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let root = absolute(&project.root);
    let mut watched: Vec<PathBuf> = vec![root.clone()];
    let data =
        std::iter::once(&project.sales.path).chain(project.customers.as_ref().map(|c| &c.path));
    for path in data.map(|p| absolute(p)) {
        if !path.starts_with(&root) {
            watched.push(path);
        }
    }
    kamplan::output::lock::prepare_folder(&project.out_dir)?;
    let out_dir = absolute(&project.out_dir);
    let (sender, events) = channel();
    let mut watcher = notify::recommended_watcher(sender).map_err(|e| e.to_string())?;
    for path in &watched {
        watcher
            .watch(path, RecursiveMode::Recursive)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let mut builds = 0;
    loop {
        build_once(&args.build);
        builds += 1;
        if args.max_builds.is_some_and(|max| builds >= max) {
            return Ok(());
        }
        eprintln!("watching {} for changes (Ctrl-C to stop)", watched_list(&watched));
        // Wait for a relevant change, then for the files to go quiet.
        loop {
            let event = events.recv().map_err(|e| e.to_string())?;
            if relevant(&event, &out_dir) {
                break;
            }
        }
        loop {
            match events.recv_timeout(QUIET) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }
}

fn build_once(args: &BuildArgs) {
    match super::build::run(args) {
        Ok(BuildOutcome::AllWritten) => {}
        Ok(BuildOutcome::SomeFailed) => eprintln!("some documents failed; fix them and save again"),
        Err(problems) => super::report(&problems),
    }
}

/// A change outside the output folder, to a file that is not hidden or a
/// temporary copy.
fn relevant(event: &notify::Result<notify::Event>, out_dir: &Path) -> bool {
    let Ok(event) = event else { return false };
    if event.kind.is_access() {
        return false;
    }
    event.paths.iter().any(|p| {
        let hidden = p.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.starts_with('.') || n.ends_with('~')
        });
        !p.starts_with(out_dir) && !hidden
    })
}

fn watched_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
