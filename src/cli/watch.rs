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
    // `--open` shows the document once: viewers reload it after each rebuild.
    let mut open = args.build.open;
    loop {
        if build_once(&args.build, open) {
            open = false;
        }
        builds += 1;
        if args.max_builds.is_some_and(|max| builds >= max) {
            return Ok(());
        }
        eprintln!("watching {} for changes (Ctrl-C to stop)", watched_list(&watched));
        // Wait for a relevant change, then for the files to go quiet,
        // noting every file changed meanwhile.
        let mut changed: Vec<PathBuf> = Vec::new();
        while changed.is_empty() {
            let event = events.recv().map_err(|e| e.to_string())?;
            note_changes(&event, &out_dir, &mut changed);
        }
        loop {
            match events.recv_timeout(QUIET) {
                Ok(event) => note_changes(&event, &out_dir, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        eprintln!("{}", rebuild_line(&changed, &root, &clock()));
    }
}

/// Builds, reporting what went wrong; returns whether a document was opened.
fn build_once(args: &BuildArgs, open: bool) -> bool {
    match super::build::run_opening(args, open) {
        Ok((BuildOutcome::AllWritten, opened)) => opened,
        Ok((BuildOutcome::SomeFailed, opened)) => {
            eprintln!("some documents failed; fix them and save again");
            opened
        }
        Err(problems) => {
            super::report(&problems);
            false
        }
    }
}

/// Adds to `changed` the files of `event` that matter, each once: changes
/// outside the output folder to files that are not hidden or temporary copies.
fn note_changes(event: &notify::Result<notify::Event>, out_dir: &Path, changed: &mut Vec<PathBuf>) {
    let Ok(event) = event else { return };
    if event.kind.is_access() {
        return;
    }
    for path in &event.paths {
        let hidden = path.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.starts_with('.') || n.ends_with('~')
        });
        if !path.starts_with(out_dir) && !hidden && !changed.contains(path) {
            changed.push(path.clone());
        }
    }
}

/// `[14:03:27] rules/classification.toml changed: rebuilding`, or with
/// several files `… rules/a.toml and 2 more changed …`; paths relative to
/// the project folder where they are inside it.
fn rebuild_line(changed: &[PathBuf], root: &Path, time: &str) -> String {
    let first = changed
        .first()
        .map_or_else(String::new, |p| p.strip_prefix(root).unwrap_or(p).display().to_string());
    let more = match changed.len() {
        0 | 1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    format!("[{time}] {first}{more} changed: rebuilding")
}

/// The time of day on this computer's clock, `HH:MM:SS` (UTC where the
/// time zone cannot be found).
fn clock() -> String {
    jiff::ZonedDateTime::now().strftime("%H:%M:%S").to_string()
}

fn watched_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rebuild_line_names_the_first_file_and_counts_the_others() {
        let root = Path::new("/p");
        let one = [PathBuf::from("/p/rules/classification.toml")];
        assert_eq!(
            rebuild_line(&one, root, "14:03:27"),
            "[14:03:27] rules/classification.toml changed: rebuilding"
        );
        let three = [
            PathBuf::from("/p/accounts/C0042.toml"),
            PathBuf::from("/data/sales.csv"),
            PathBuf::from("/p/kamplan.toml"),
        ];
        assert_eq!(
            rebuild_line(&three, root, "09:00:05"),
            "[09:00:05] accounts/C0042.toml and 2 more changed: rebuilding"
        );
        assert_eq!(
            rebuild_line(&three[1..2], root, "t"),
            "[t] /data/sales.csv changed: rebuilding"
        );
    }

    #[test]
    fn the_clock_shows_hours_minutes_and_seconds() {
        let time = clock();
        let digits: Vec<&str> = time.split(':').collect();
        assert_eq!(digits.len(), 3, "{time}");
        assert!(digits.iter().all(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit())));
    }
}
