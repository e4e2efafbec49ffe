//! One run at a time in an output folder. `build` and `classify` hold
//! `.kamplan.lock` in the folder while they run: created exclusively, it
//! names the process, host, command and start time, and is removed when the
//! run ends. A second run into the same folder names the holder and stops
//! before writing anything; a lock left by a process that is gone (killed,
//! crashed) is taken over, with a note.

use crate::model::Date;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file's name in the output folder.
pub const LOCK_FILE: &str = ".kamplan.lock";

/// The output folder, held by this run until dropped.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    /// What was written into the lock, to remove only our own.
    content: String,
    /// A note for the user: the lock of a run that is gone was taken over.
    pub took_over: Option<String>,
    /// The output folder, when this run created it: removed again if the
    /// run ends with nothing in it (a run that stopped writes nothing).
    created: Option<PathBuf>,
}

/// Who holds a lock, as its file says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    pub host: String,
    pub command: String,
    pub since: String,
}

impl Holder {
    fn parse(text: &str) -> Holder {
        let mut holder = Holder::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            let value = value.trim().to_string();
            match key.trim() {
                "pid" => holder.pid = value.parse().ok(),
                "host" => holder.host = value,
                "command" => holder.command = value,
                "since" => holder.since = value,
                _ => {}
            }
        }
        holder
    }

    fn describe(&self) -> String {
        let pid = self.pid.map_or_else(|| "an unknown process".into(), |p| format!("process {p}"));
        let host = if self.host.is_empty() { String::new() } else { format!(" on {}", self.host) };
        let command =
            if self.command.is_empty() { String::new() } else { format!(" ({})", self.command) };
        let since =
            if self.since.is_empty() { String::new() } else { format!(" since {}", self.since) };
        format!("{pid}{host}{command}{since}")
    }

    /// Whether the holder is known to be gone: a process of this host that no longer runs.
    fn is_gone(&self) -> bool {
        match self.pid {
            Some(pid) => self.host == host_name() && !process_runs(pid),
            None => false,
        }
    }
}

impl OutputLock {
    /// Takes the lock of `out_dir` (created if needed) for this process.
    /// Fails, naming the holder, when another run that still runs holds it.
    pub fn acquire(out_dir: &Path) -> Result<OutputLock, String> {
        let created = (!out_dir.exists()).then(|| out_dir.to_path_buf());
        prepare_folder(out_dir)?;
        let path = out_dir.join(LOCK_FILE);
        let content = format!(
            "pid = {}\nhost = {}\ncommand = {}\nsince = {}\n",
            std::process::id(),
            host_name(),
            command_line(),
            now_utc()
        );
        let mut took_over = None;
        // Twice at most: a lock whose process is gone is removed, then taken.
        for _ in 0..2 {
            match create_whole(&path, &content) {
                Ok(()) => return Ok(OutputLock { path, content, took_over, created }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let holder = Holder::parse(&text);
                    if !holder.is_gone() {
                        return Err(format!(
                            "{} is in use by another kamplan run: {}; wait for it to end, \
                             or remove {} if that run is no longer there",
                            out_dir.display(),
                            holder.describe(),
                            path.display()
                        ));
                    }
                    // Removed only if it is still the lock judged stale.
                    if std::fs::read_to_string(&path).is_ok_and(|now| now == text) {
                        let _ = std::fs::remove_file(&path);
                    }
                    took_over = Some(format!(
                        "took over the lock of {} left by {}, which is no longer running",
                        out_dir.display(),
                        holder.describe()
                    ));
                }
                Err(e) => return Err(format!("{}: cannot create the lock: {e}", path.display())),
            }
        }
        Err(format!("{}: the lock changed hands while being taken; run again", path.display()))
    }
}

/// Creates `path` holding `content`, failing if it exists. The content is
/// written to a temporary file first and linked into place, so that another
/// run never reads a lock that is still empty.
fn create_whole(path: &Path, content: &str) -> std::io::Result<()> {
    let temp = super::temp_path(path, None);
    let written = std::fs::File::create(&temp).and_then(|mut file| {
        file.write_all(content.as_bytes())?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&temp, path));
    let _ = std::fs::remove_file(&temp);
    match linked {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            // A file system without hard links: created exclusively, then written.
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
            file.write_all(content.as_bytes())?;
            file.sync_all()
        }
        other => other,
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        if std::fs::read_to_string(&self.path).is_ok_and(|now| now == self.content) {
            let _ = std::fs::remove_file(&self.path);
        }
        if let Some(dir) = &self.created {
            // Fails, as it should, when the run wrote something there.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Makes sure `out_dir` is a folder, creating it; says so plainly when the
/// path, or a folder on the way, is a file.
pub fn prepare_folder(out_dir: &Path) -> Result<(), String> {
    let not_a_folder = |p: &Path| {
        if p == out_dir {
            format!(
                "the output path {} is a file, not a folder; remove it or choose another \
                 output folder (--out, or [output] dir in kamplan.toml)",
                out_dir.display()
            )
        } else {
            format!(
                "the output path {}: {} is a file, not a folder",
                out_dir.display(),
                p.display()
            )
        }
    };
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(not_a_folder(out_dir));
    }
    std::fs::create_dir_all(out_dir).map_err(|e| {
        match out_dir.ancestors().find(|a| a.exists() && !a.is_dir() && !a.as_os_str().is_empty()) {
            Some(file) => not_a_folder(file),
            None => format!("{}: cannot create the output folder: {e}", out_dir.display()),
        }
    })
}

/// The command as typed, for the lock file: `kamplan build sample-data`.
fn command_line() -> String {
    let mut words = std::env::args();
    let first = words
        .next()
        .map(|p| Path::new(&p).file_name().map_or(p.clone(), |n| n.to_string_lossy().into_owned()));
    first.into_iter().chain(words).collect::<Vec<_>>().join(" ").replace('\n', " ")
}

/// This machine's name, as far as it can be told.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// Whether process `pid` runs on this machine. Where this cannot be told,
/// it is taken to run: a lock is then never taken over, only reported.
pub fn process_runs(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        std::process::Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .map_or(true, |s| s.success())
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// The time now, `2025-06-30 14:05:09 UTC`.
fn now_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let date = Date::from_days((seconds / 86_400) as i32);
    let time = seconds % 86_400;
    format!("{date} {:02}:{:02}:{:02} UTC", time / 3600, time / 60 % 60, time % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_holder_and_the_first_is_released_on_drop() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = OutputLock::acquire(&out).unwrap();
        assert!(first.took_over.is_none());
        let error = OutputLock::acquire(&out).unwrap_err();
        assert!(error.contains(&format!("process {}", std::process::id())), "{error}");
        assert!(error.contains(LOCK_FILE), "{error}");
        drop(first);
        assert!(!out.exists(), "the folder the run created, empty, goes with the lock");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("kept.csv"), "").unwrap();
        drop(OutputLock::acquire(&out).unwrap());
        assert!(!out.join(LOCK_FILE).exists() && out.join("kept.csv").exists());
    }

    #[test]
    fn a_lock_left_by_a_process_that_is_gone_is_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        // Above the largest process id Linux hands out.
        let lock = format!(
            "pid = 4194999\nhost = {}\ncommand = kamplan build x\nsince = 2025-01-01 00:00:00 UTC\n",
            host_name()
        );
        std::fs::write(tmp.path().join(LOCK_FILE), lock).unwrap();
        let taken = OutputLock::acquire(tmp.path()).unwrap();
        let note = taken.took_over.clone().unwrap();
        assert!(note.contains("process 4194999") && note.contains("kamplan build x"), "{note}");
    }

    #[test]
    fn a_lock_of_another_host_is_never_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(LOCK_FILE), "pid = 4194999\nhost = elsewhere-42\n").unwrap();
        let error = OutputLock::acquire(tmp.path()).unwrap_err();
        assert!(error.contains("on elsewhere-42"), "{error}");
    }

    #[test]
    fn an_output_path_that_is_a_file_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::write(&out, "").unwrap();
        let error = prepare_folder(&out).unwrap_err();
        assert!(error.contains("is a file, not a folder") && error.contains("out"), "{error}");
        let below = out.join("sub");
        let error = prepare_folder(&below).unwrap_err();
        assert!(error.contains(&format!("{} is a file", out.display())), "{error}");
    }
}
