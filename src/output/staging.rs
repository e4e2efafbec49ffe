//! The outputs of a run, written as a whole. Every table and document goes
//! to a temporary file next to its place first; only when all were written
//! are they renamed into place, so a run that stops with an error leaves the
//! previous outputs as they were. The folder's manifest (`.kamplan.manifest`)
//! lists the files kamplan wrote there: a full build removes those it no
//! longer makes (the plan of an account that is no longer a key account) and
//! never touches any other file.

use super::{temp_path, write_atomically, write_new};
use crate::links;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The manifest's name in the output folder.
pub const MANIFEST_FILE: &str = ".kamplan.manifest";

/// Whether a run's files replace the previous set or add to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A full build: files of earlier runs it did not make are removed.
    Whole,
    /// `classify`, `build --account`: other files of earlier runs stay.
    Add,
}

/// One file waiting to be renamed into place.
#[derive(Debug)]
struct Staged {
    /// Path in the output folder, `/`-separated: the manifest's entry.
    name: String,
    /// Where it goes (links inside the project resolved).
    target: PathBuf,
    temp: PathBuf,
}

/// A set of output files, written to temporary names until [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    out_dir: PathBuf,
    root: PathBuf,
    staged: Mutex<Vec<Staged>>,
    /// Files whose earlier version must go (a document that failed this time).
    dropped: Mutex<Vec<String>>,
}

/// What a commit did besides renaming.
#[derive(Debug, Default)]
pub struct Committed {
    /// Earlier files removed, by name in the output folder.
    pub removed: Vec<String>,
    /// Problems that did not stop the run (a stale file that could not be removed).
    pub warnings: Vec<String>,
}

impl Staging {
    /// Outputs under `out_dir` of the project at `root`: links may lead inside either.
    pub fn new(out_dir: &Path, root: &Path) -> Staging {
        Staging {
            out_dir: out_dir.to_path_buf(),
            root: root.to_path_buf(),
            staged: Mutex::new(Vec::new()),
            dropped: Mutex::new(Vec::new()),
        }
    }

    /// The path of `name` in the output folder, as shown to the user.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.out_dir.join(name)
    }

    fn resolve(&self, name: &str) -> Result<PathBuf, String> {
        links::resolve(&self.path_of(name), &self.out_dir, &[&self.root, &self.out_dir])
    }

    /// Writes `bytes` for `name` (`portfolio.csv`, `accounts/c1.pdf`) to a
    /// temporary file beside its place. Fails naming the file when it
    /// cannot be written, when a folder stands where it goes, or when a link
    /// on the way leads outside the project and output folders.
    pub fn stage(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.path_of(name);
        let target = self.resolve(name)?;
        if target.is_dir() {
            return Err(format!("{}: a folder stands where the file goes", path.display()));
        }
        let temp = temp_path(&target, None);
        if let Err(e) = write_new(&temp, bytes) {
            let _ = std::fs::remove_file(&temp);
            return Err(format!("{}: cannot write: {e}", path.display()));
        }
        let mut staged = self.staged.lock().unwrap_or_else(|e| e.into_inner());
        // Staged twice: the later bytes win.
        if let Some(i) = staged.iter().position(|s| s.name == name) {
            let _ = std::fs::remove_file(&staged.remove(i).temp);
        }
        staged.push(Staged { name: name.to_string(), target, temp });
        Ok(())
    }

    /// Marks `name` as not made by this run: its earlier version, if any, is
    /// removed at the commit (it would pass for this run's).
    pub fn drop_earlier(&self, name: &str) {
        self.dropped.lock().unwrap_or_else(|e| e.into_inner()).push(name.to_string());
    }

    /// Renames every staged file into place, then removes what the run
    /// replaces: files marked with [`Staging::drop_earlier`], and with
    /// [`Scope::Whole`] the files of the manifest the run did not make; and
    /// temporary files of earlier runs that were stopped. When a rename
    /// fails, the files already renamed are put back as they were and the
    /// error names the file.
    pub fn commit(self, scope: Scope) -> Result<Committed, String> {
        let staged = std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()));
        let dropped = std::mem::take(&mut *self.dropped.lock().unwrap_or_else(|e| e.into_inner()));
        let manifest = self.out_dir.join(MANIFEST_FILE);
        let earlier_manifest = std::fs::read(&manifest).ok();
        let previous = read_manifest(&self.out_dir);
        let made: BTreeSet<String> = staged.iter().map(|s| s.name.clone()).collect();
        // Listed first, so files renamed into place are known as kamplan's
        // even if the run is stopped before the end.
        let listed: BTreeSet<String> = previous.union(&made).cloned().collect();
        if let Err(e) = write_manifest(&self.out_dir, &listed) {
            discard(&staged);
            return Err(e);
        }
        if let Err(e) = rename_all(&staged, &self.out_dir) {
            discard(&staged);
            let _ = match earlier_manifest {
                Some(bytes) => write_atomically(&manifest, &bytes),
                None => std::fs::remove_file(&manifest),
            };
            return Err(e);
        }
        let mut committed = Committed::default();
        let stale: Vec<&String> = match scope {
            Scope::Whole => previous.difference(&made).collect(),
            Scope::Add => Vec::new(),
        };
        for name in stale.into_iter().chain(dropped.iter().filter(|n| !made.contains(*n))) {
            match self.remove(name) {
                Ok(true) => committed.removed.push(name.clone()),
                Ok(false) => {}
                Err(e) => committed.warnings.push(e),
            }
        }
        committed.removed.sort();
        committed.removed.dedup();
        let kept: BTreeSet<String> = listed
            .into_iter()
            .filter(|n| made.contains(n) || self.path_of(n).exists())
            .filter(|n| !committed.removed.contains(n))
            .collect();
        if let Err(e) = write_manifest(&self.out_dir, &kept) {
            committed.warnings.push(e);
        }
        let mut folders: BTreeSet<PathBuf> = BTreeSet::from([self.out_dir.clone()]);
        folders.extend(staged.iter().filter_map(|s| s.target.parent().map(Path::to_path_buf)));
        for folder in folders {
            committed.warnings.extend(remove_stale_temporaries(&folder));
        }
        Ok(committed)
    }

    /// Removes the earlier file `name`: only a file (or a link) kamplan may
    /// write, never a folder. Returns whether there was one.
    fn remove(&self, name: &str) -> Result<bool, String> {
        if !is_plain_name(name) {
            return Ok(false);
        }
        let path = self.path_of(name);
        let target = self.resolve(name)?;
        match std::fs::symlink_metadata(&target) {
            Ok(m) if !m.is_dir() => std::fs::remove_file(&target)
                .map(|()| true)
                .map_err(|e| format!("{}: cannot remove: {e}", path.display())),
            _ => Ok(false),
        }
    }
}

impl Drop for Staging {
    /// A run that stopped before the commit leaves no temporary file behind.
    fn drop(&mut self) {
        discard(self.staged.get_mut().unwrap_or_else(|e| e.into_inner()));
    }
}

fn discard(staged: &[Staged]) {
    for s in staged {
        let _ = std::fs::remove_file(&s.temp);
    }
}

/// Renames every temporary file onto its target; on a failure puts back the
/// targets already replaced (from a second name kept of each until the end)
/// and removes those that are new.
fn rename_all(staged: &[Staged], out_dir: &Path) -> Result<(), String> {
    // For each file renamed so far: its target and the copy of the earlier file.
    let mut done: Vec<(&Path, Option<PathBuf>)> = Vec::new();
    let mut failure = None;
    for s in staged {
        let backup = if s.target.is_file() {
            let backup = temp_path(&s.target, Some("old"));
            let kept = std::fs::hard_link(&s.target, &backup)
                .or_else(|_| std::fs::copy(&s.target, &backup).map(|_| ()));
            if let Err(e) = kept {
                failure =
                    Some(format!("{}: cannot keep the earlier file: {e}", s.target.display()));
                break;
            }
            Some(backup)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&s.temp, &s.target) {
            if let Some(backup) = backup {
                let _ = std::fs::remove_file(backup);
            }
            failure = Some(format!("{}: cannot replace: {e}", s.target.display()));
            break;
        }
        done.push((&s.target, backup));
    }
    match failure {
        None => {
            for (_, backup) in done {
                if let Some(backup) = backup {
                    let _ = std::fs::remove_file(backup);
                }
            }
            Ok(())
        }
        Some(error) => {
            for (target, backup) in done.into_iter().rev() {
                let _ = match backup {
                    Some(backup) => std::fs::rename(backup, target),
                    None => std::fs::remove_file(target),
                };
            }
            Err(format!(
                "{error}; the earlier outputs in {} are kept as they were",
                out_dir.display()
            ))
        }
    }
}

/// The names the manifest of `out_dir` lists; none when there is no manifest.
pub fn read_manifest(out_dir: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(out_dir.join(MANIFEST_FILE)) else {
        return BTreeSet::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| is_plain_name(l))
        .map(String::from)
        .collect()
}

fn write_manifest(out_dir: &Path, names: &BTreeSet<String>) -> Result<(), String> {
    let mut text = String::from(
        "# Files kamplan wrote in this folder. A full `kamplan build` removes those\n\
         # it no longer makes; files not listed here are never touched.\n",
    );
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    let path = out_dir.join(MANIFEST_FILE);
    write_atomically(&path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

/// A relative path going down only: what kamplan writes, and all a manifest
/// may name (an edited manifest cannot point elsewhere).
fn is_plain_name(name: &str) -> bool {
    use std::path::Component;
    !name.is_empty() && Path::new(name).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether `file_name` is a temporary file of kamplan's pattern
/// (`.NAME.PID.tmp`, `.NAME.old.PID.tmp`) made by another process.
pub fn is_stale_temporary(file_name: &str) -> bool {
    let Some(inner) = file_name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    match inner.rsplit_once('.') {
        Some((stem, pid)) => {
            !stem.is_empty()
                && !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && pid != std::process::id().to_string()
        }
        None => false,
    }
}

/// Removes the temporary files other runs left in `folder` (a run that was
/// killed). Called under the folder's lock, so no other run is writing them.
fn remove_stale_temporaries(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut warnings = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file
            && is_stale_temporary(&name.to_string_lossy())
            && let Err(e) = std::fs::remove_file(entry.path())
        {
            warnings.push(format!("{}: cannot remove: {e}", entry.path().display()));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn temporaries_of_other_runs_are_recognised_and_others_not() {
        assert!(is_stale_temporary(".x.pdf.123.tmp"));
        assert!(is_stale_temporary(".portfolio.csv.old.77.tmp"));
        assert!(!is_stale_temporary(&format!(".x.pdf.{}.tmp", std::process::id())));
        for name in ["x.pdf.123.tmp", ".x.pdf.tmp", ".123.tmp", ".x.pdf.12a.tmp", "notes.tmp"] {
            assert!(!is_stale_temporary(name), "{name}");
        }
    }

    #[test]
    fn nothing_moves_before_the_commit_and_a_dropped_staging_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::write(out.join("portfolio.csv"), "old").unwrap();
        let staging = Staging::new(out, out);
        staging.stage("portfolio.csv", b"new").unwrap();
        staging.stage("accounts/a.pdf", b"pdf").unwrap();
        assert_eq!(std::fs::read_to_string(out.join("portfolio.csv")).unwrap(), "old");
        drop(staging);
        assert_eq!(files(out), ["portfolio.csv"]);
    }

    #[test]
    fn a_whole_run_removes_the_files_it_no_longer_makes_and_only_those() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let first = Staging::new(out, out);
        first.stage("portfolio.csv", b"1").unwrap();
        first.stage("accounts/a.pdf", b"a").unwrap();
        first.stage("accounts/b.pdf", b"b").unwrap();
        first.commit(Scope::Whole).unwrap();
        std::fs::write(out.join("accounts/notes.pdf"), "mine").unwrap();
        std::fs::write(out.join("accounts/.b.pdf.123.tmp"), "half").unwrap();

        let partial = Staging::new(out, out);
        partial.stage("accounts/a.pdf", b"a2").unwrap();
        partial.commit(Scope::Add).unwrap();
        assert!(out.join("accounts/b.pdf").exists(), "an --account run keeps the other plans");

        let second = Staging::new(out, out);
        second.stage("portfolio.csv", b"2").unwrap();
        second.stage("accounts/a.pdf", b"a3").unwrap();
        let committed = second.commit(Scope::Whole).unwrap();
        assert_eq!(committed.removed, ["accounts/b.pdf"]);
        assert_eq!(
            files(out),
            [MANIFEST_FILE, "accounts/a.pdf", "accounts/notes.pdf", "portfolio.csv"]
        );
        assert_eq!(
            read_manifest(out),
            BTreeSet::from(["accounts/a.pdf".into(), "portfolio.csv".into()])
        );
    }

    #[test]
    fn a_failed_rename_puts_back_the_files_already_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::write(out.join("a.csv"), "old a").unwrap();
        let staging = Staging::new(out, out);
        staging.stage("a.csv", b"new a").unwrap();
        staging.stage("b.xlsx", b"new b").unwrap();
        // A folder appears where b goes after it was staged.
        std::fs::create_dir_all(out.join("b.xlsx/inside")).unwrap();
        let error = staging.commit(Scope::Add).unwrap_err();
        assert!(error.contains("b.xlsx") && error.contains("kept as they were"), "{error}");
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "old a");
        let leftovers: Vec<String> =
            files(out).into_iter().filter(|f| f.ends_with(".tmp")).collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_manifest_naming_paths_outside_the_folder_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        std::fs::write(out.join(MANIFEST_FILE), "../precious.txt\n/etc/hostname\n").unwrap();
        Staging::new(&out, &out).commit(Scope::Whole).unwrap();
        assert!(tmp.path().join("precious.txt").exists());
    }
}
