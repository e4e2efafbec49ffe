//! The project file (`kamplan.toml`) and the rule files, each read in two steps:
//! a raw serde layer that mirrors the TOML (unknown keys rejected), then a
//! validated layer of domain values. Every problem found is reported, not just
//! the first.

pub mod accounts;
pub mod brand;
pub mod dialect;
pub mod project;
pub mod rules;
pub mod scaffold;

pub use crate::diagnostic::{Diagnostic, Diagnostics, Place};
use std::path::PathBuf;

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
    pub issues: Vec<Diagnostic>,
}

impl<'a> IssueSink<'a> {
    pub fn new(file: PathBuf, text: &'a str) -> Self {
        IssueSink { file, text, issues: Vec::new() }
    }

    /// Records an issue at a byte offset of the file (or nowhere in particular).
    pub fn at(&mut self, offset: Option<usize>, message: impl Into<String>) {
        let position = offset.map(|o| line_col(self.text, o));
        self.issues.push(Diagnostic::error(self.file.clone(), position, message));
    }

    /// Records an issue with a hint (`did you mean …?`), when there is one.
    pub fn hinted(
        &mut self,
        offset: Option<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.at(offset, message);
        if let (Some(hint), Some(issue)) = (hint, self.issues.last_mut()) {
            issue.hints.push(hint);
        }
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

/// Parses a TOML file into `T`, returning the paths of the keys `T` does not
/// have instead of failing on the first, so they are reported with the
/// file's other problems.
pub fn parse_collecting_unknown<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<(T, Vec<Vec<String>>), toml::de::Error> {
    let mut unknown = Vec::new();
    let deserializer = toml::Deserializer::parse(text)?;
    let file = serde_ignored::deserialize(deserializer, |path| unknown.push(path_parts(&path)))?;
    Ok((file, unknown))
}

fn path_parts(path: &serde_ignored::Path<'_>) -> Vec<String> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Map { parent, key } => {
            let mut parts = path_parts(parent);
            // Spanned<T> wraps values in an internal map; it is not a key of the file.
            if !key.starts_with("$__serde_spanned") {
                parts.push(key.clone());
            }
            parts
        }
        Path::Seq { parent, index } => {
            let mut parts = path_parts(parent);
            parts.push(index.to_string());
            parts
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => path_parts(parent),
    }
}

/// Reports a key the format does not have, at its line, with a suggestion.
pub(crate) fn report_unknown_key(sink: &mut IssueSink, path: &[String], known: &[&str]) {
    let Some((key, table)) = path.split_last() else { return };
    let closest = crate::model::fields::closest(key, known.iter().copied());
    let expected = match (closest, known.is_empty()) {
        (None, false) => format!("; expected one of {}", known.join(", ")),
        _ => String::new(),
    };
    let where_ = if table.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in [{}]", table.join("."))
    };
    let offset = find_key(sink.text, table, key).or_else(|| find_table(sink.text, table, key));
    let position = offset.map(|o| line_col(sink.text, o));
    let issue = Diagnostic::error(
        sink.file.clone(),
        position,
        format!("unknown key \"{key}\" {where_}{expected}"),
    );
    sink.issues.push(issue.suggesting(closest));
}

/// Byte offset of the header of the table `key` inside `table`: `[key]`,
/// `[[key]]` or a sub-table `[key.…]` of a key written only that way.
fn find_table(text: &str, table: &[String], key: &str) -> Option<usize> {
    let path: Vec<&str> = table.iter().map(String::as_str).chain([key]).collect();
    let path = path.join(".");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let inner = trimmed.trim_start_matches('[').trim_start();
        if trimmed.starts_with('[')
            && inner.starts_with(&path)
            && inner[path.len()..].trim_start().starts_with([']', '.'])
        {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// Byte offset of `key = …` inside the table `[table…]` (or its dotted
/// form), or inside the n-th `[[table]]` when the path ends with an index.
fn find_key(text: &str, table: &[String], key: &str) -> Option<usize> {
    let (header, mut nth) = match table.split_last() {
        Some((last, parent)) if !parent.is_empty() && last.parse::<usize>().is_ok() => {
            (format!("[[{}]]", parent.join(".")), last.parse::<usize>().ok())
        }
        _ => (format!("[{}]", table.join(".")), None),
    };
    let mut in_table = table.is_empty();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_table = trimmed.starts_with(&header);
            if in_table && let Some(n) = nth.as_mut() {
                in_table = *n == 0;
                *n = n.wrapping_sub(1);
            }
        } else if in_table {
            let name = trimmed.split(['=', ' ']).next().unwrap_or("").trim_matches('"');
            if name == key {
                return Some(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    None
}
