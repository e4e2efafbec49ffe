//! The project file (`kamplan.toml`) and the rule files, each read in two steps:
//! a raw serde layer that mirrors the TOML (unknown keys rejected), then a
//! validated layer of domain values. Every problem found is reported, not just
//! the first.

pub mod dialect;
pub mod project;
pub mod rules;

use std::fmt;
use std::path::PathBuf;

/// One problem in a configuration file, pointing at the place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigIssue {
    pub file: PathBuf,
    /// 1-based line and column, when the place is known.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => {
                write!(f, "{}:{line}:{col}: {}", self.file.display(), self.message)
            }
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// All problems found in the configuration.
#[derive(Debug)]
pub struct ConfigError(pub Vec<ConfigIssue>);

impl fmt::Display for ConfigError {
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

impl std::error::Error for ConfigError {}

/// Where something was written: file, 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Place {
    /// An issue at this place.
    pub fn issue(&self, message: impl Into<String>) -> ConfigIssue {
        ConfigIssue {
            file: self.file.clone(),
            position: Some((self.line, self.col)),
            message: message.into(),
        }
    }
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub place: Place,
}

/// Collects issues for one file, turning byte offsets into line:column.
pub(crate) struct IssueSink<'a> {
    pub file: PathBuf,
    pub text: &'a str,
    pub issues: Vec<ConfigIssue>,
}

impl<'a> IssueSink<'a> {
    pub fn new(file: PathBuf, text: &'a str) -> Self {
        IssueSink { file, text, issues: Vec::new() }
    }

    /// Records an issue at a byte offset of the file (or nowhere in particular).
    pub fn at(&mut self, offset: Option<usize>, message: impl Into<String>) {
        let position = offset.map(|o| line_col(self.text, o));
        self.issues.push(ConfigIssue {
            file: self.file.clone(),
            position,
            message: message.into(),
        });
    }

    /// The place of a byte offset of the file (the file's start when unknown).
    pub fn place(&self, offset: Option<usize>) -> Place {
        let (line, col) = offset.map_or((1, 1), |o| line_col(self.text, o));
        Place { file: self.file.clone(), line, col }
    }

    /// Records a TOML syntax or shape error.
    pub fn toml(&mut self, error: &toml::de::Error) {
        let message = error.message().trim_end().to_string();
        self.at(error.span().map(|s| s.start), message);
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
