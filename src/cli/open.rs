//! `--open`: shows a document the build wrote in the system's viewer.

use std::path::Path;
use std::process::{Command, Stdio};

/// Starts the system's viewer on `path` without waiting for it, its output
/// discarded; says so in a warning when it cannot be started. The viewer
/// is waited for on a thread of its own, so that a long `watch` leaves no
/// finished process behind.
pub fn open(path: &Path) {
    // Absolute, so that the viewer finds it whatever folder it starts in.
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut command = viewer(&path);
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!(
            "warning: could not open {}: {}: {e}",
            path.display(),
            command.get_program().to_string_lossy()
        ),
    }
}

/// The command that opens a file with its default application.
fn viewer(path: &Path) -> Command {
    if cfg!(target_os = "windows") {
        let mut command = Command::new("cmd");
        // `start` takes its first quoted argument as a window title: give it an empty one.
        command.args(["/C", "start", ""]).arg(path);
        command
    } else {
        let program = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        let mut command = Command::new(program);
        command.arg(path);
        command
    }
}
