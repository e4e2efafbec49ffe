//! Many documents at once, on plain worker threads. Not a rayon loop: the
//! PDF export uses rayon inside, and inside a rayon loop one document's
//! export would wait on whole other documents. Each document is built,
//! rendered and written by one worker; a failure is recorded and the batch
//! goes on. Where the PDFs go is a [`Destination`]: a build stages them
//! with the run's other files ([`Staging`]), to be renamed into place
//! together; a plain folder takes each as it is made (atomically).

use super::Document;
use super::pdf::Renderer;
use crate::diagnostic::Diagnostic;
use crate::output::staging::Staging;
use crate::output::write_atomically;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Documents after which a memoized result nobody used is dropped.
pub const KEEP_CACHED_DOCUMENTS: usize = 2;

/// What became of one document.
#[derive(Debug)]
pub struct Outcome {
    /// `portfolio` or the account id.
    pub subject: String,
    pub path: PathBuf,
    pub result: Result<usize, Box<Diagnostic>>,
    pub elapsed: Duration,
}

/// Where rendered documents are written, by their output path (`accounts/c1.pdf`).
pub trait Destination: Sync {
    /// The path shown for `name`.
    fn path_of(&self, name: &str) -> PathBuf;
    /// Writes the document `name`; an error names the file.
    fn put(&self, name: &str, bytes: &[u8]) -> Result<(), String>;
    /// The document `name` could not be made this time: an earlier file of
    /// that name would pass for this run's, so it goes.
    fn failed(&self, name: &str);
}

impl Destination for Path {
    fn path_of(&self, name: &str) -> PathBuf {
        self.join(name)
    }

    fn put(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.join(name);
        write_atomically(&path, bytes).map_err(|e| format!("{}: cannot write: {e}", path.display()))
    }

    fn failed(&self, name: &str) {
        let _ = std::fs::remove_file(self.join(name));
    }
}

impl Destination for Staging {
    fn path_of(&self, name: &str) -> PathBuf {
        Staging::path_of(self, name)
    }

    fn put(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        self.stage(name, bytes)
    }

    fn failed(&self, name: &str) {
        self.drop_earlier(name);
    }
}

/// Renders `count` documents, the `i`-th made by `make(i)`, on `workers`
/// threads, writing each to `out`. `progress` sees every outcome as it
/// arrives (on the calling thread). Returns the outcomes in job order.
pub fn render_all<D: Destination + ?Sized>(
    renderer: &Renderer,
    count: usize,
    make: &(dyn Fn(usize) -> Document + Sync),
    out: &D,
    workers: usize,
    progress: &mut dyn FnMut(&Outcome),
) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, Outcome)>();
    let mut outcomes: Vec<Option<Outcome>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, count.max(1)) {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let outcome = render_one(renderer, make, i, out);
                    // Typst's caches would otherwise grow with every document.
                    // What the last documents used is kept: the theme and the
                    // charts every plan shares are then laid out only once.
                    typst::comemo::evict(KEEP_CACHED_DOCUMENTS);
                    if sender.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for (i, outcome) in receiver {
            progress(&outcome);
            outcomes[i] = Some(outcome);
        }
    });
    outcomes.into_iter().map(|o| o.expect("every job reports")).collect()
}

fn render_one<D: Destination + ?Sized>(
    renderer: &Renderer,
    make: &(dyn Fn(usize) -> Document + Sync),
    i: usize,
    out: &D,
) -> Outcome {
    let start = Instant::now();
    // A panic in one document (a bug in a library) must not take the batch down.
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let document = make(i);
        let path = out.path_of(&document.output);
        let result = renderer.pdf(&document).and_then(|bytes| {
            out.put(&document.output, &bytes)
                .map(|()| bytes.len())
                .map_err(|message| Box::new(Diagnostic::plain(message)))
        });
        if result.is_err() {
            out.failed(&document.output);
        }
        (document.subject, path, result)
    }));
    let (subject, path, result) = attempt.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown error".into());
        (
            format!("document {}", i + 1),
            PathBuf::new(),
            Err(Box::new(Diagnostic::plain(format!("internal error: {message}")))),
        )
    });
    Outcome { subject, path, result, elapsed: start.elapsed() }
}
