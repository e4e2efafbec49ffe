//! One shape for every problem kamplan reports, from a rule file, the
//! project file, the data or the command line: its level, file and place,
//! message, hints, and the problem it follows from. Every command shows
//! them through [`render`], so the same problem reads the same everywhere;
//! `check --format json` writes them for editors and CI.

mod render;

pub use render::{Sources, render, render_all, to_json};

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// How serious a problem is: an error stops the run, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// Where something was written: file, 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Place {
    /// An error at this place.
    pub fn issue(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file.clone(), Some((self.line, self.col)), message)
    }
}

/// The hint for a name that is not known: the known name closest to it.
/// The one wording of every such hint.
pub fn did_you_mean(closest: &str) -> String {
    format!("did you mean \"{closest}\"?")
}

/// The hint for a name that is not known: the closest known name, or else
/// the known names as `known()` lists them.
pub fn name_hint(closest: Option<&str>, known: impl FnOnce() -> String) -> String {
    closest.map_or_else(known, did_you_mean)
}

/// One problem, at its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// The file at fault; empty for a problem of no file (a command-line option).
    pub file: PathBuf,
    /// 1-based line and column, when the place is known; column 0 when
    /// the whole line is at fault.
    pub position: Option<(usize, usize)>,
    /// The text the problem is about (a name inside an expression): the
    /// display underlines it where it occurs from the position on, instead
    /// of the whole value there. Empty: underline nothing, as in a data
    /// file, whose columns count fields, not characters.
    pub focus: Option<String>,
    pub message: String,
    /// What to try, such as `did you mean "revenue"?`.
    pub hints: Vec<String>,
    /// The place of the problem this one follows from: an expression that
    /// uses a classification whose definition is wrong. Shown folded under it.
    pub cause: Option<Place>,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<PathBuf>,
        position: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level: Level::Error,
            file: file.into(),
            position,
            focus: None,
            message: message.into(),
            hints: Vec::new(),
            cause: None,
        }
    }

    /// A problem of no file, such as a command-line option.
    pub fn plain(message: impl Into<String>) -> Self {
        Self::error(PathBuf::new(), None, message)
    }

    /// The same problem as a warning.
    pub fn warning(mut self) -> Self {
        self.level = Level::Warning;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// A hint when there is one.
    pub fn with_hint_opt(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.with_hint(h),
            None => self,
        }
    }

    /// The hint `did you mean "…"?` for the closest known name, when one is close.
    pub fn suggesting(self, closest: Option<&str>) -> Self {
        self.with_hint_opt(closest.map(did_you_mean))
    }

    pub fn with_focus(mut self, focus: impl Into<String>) -> Self {
        self.focus = Some(focus.into());
        self
    }

    /// Marks this problem as following from the one at `cause`.
    pub fn following(mut self, cause: &Place) -> Self {
        self.cause = Some(cause.clone());
        self.hints.clear();
        self
    }

    /// The place as a [`Place`], when the problem has one.
    pub fn place(&self) -> Option<Place> {
        self.position.map(|(line, col)| Place { file: self.file.clone(), line, col })
    }

    /// The same problem in a data file: its column counts fields, so the
    /// display shows the line without underlining characters.
    pub fn in_data(mut self) -> Self {
        self.focus = Some(String::new());
        self
    }
}

/// The short form, `file:line:col: message; hint`, for logs and tests.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.as_os_str().is_empty(), self.position) {
            (true, _) => {}
            (false, Some((line, 0))) => write!(f, "{}:{line}: ", self.file.display())?,
            (false, Some((line, col))) => write!(f, "{}:{line}:{col}: ", self.file.display())?,
            (false, None) => write!(f, "{}: ", self.file.display())?,
        }
        write!(f, "{}", self.message)?;
        for hint in &self.hints {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// The problems that stopped a step, all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl From<Box<Diagnostic>> for Diagnostics {
    fn from(problem: Box<Diagnostic>) -> Self {
        Diagnostics(vec![*problem])
    }
}

/// A message without a place: every located problem is built as a
/// [`Diagnostic`] where it arises, so no text is parsed back for its place.
impl From<String> for Diagnostics {
    fn from(text: String) -> Self {
        Diagnostics(vec![Diagnostic::plain(text)])
    }
}

impl From<&str> for Diagnostics {
    fn from(text: &str) -> Self {
        Self::from(text.to_string())
    }
}

#[cfg(test)]
mod tests;
