//! Problems shown the way compilers show them: the message, the place, the
//! line of the file with the offending text underlined, the hints, and the
//! problems that follow from it folded under it.
//!
//! ```text
//! error: unknown variable "revenu"
//!   --> rules/alerts.toml:4:8
//!    |
//!  4 | when = "revenu > 0"
//!    |         ^^^^^^
//!    = help: did you mean "revenue"?
//! ```

use super::{Diagnostic, Place};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The texts of the files problems point at: read from disk when first
/// needed, or given (the built-in rule files, which are not on disk).
#[derive(Default)]
pub struct Sources {
    given: Vec<(PathBuf, String)>,
    read: std::cell::RefCell<BTreeMap<PathBuf, Option<String>>>,
}

impl Sources {
    /// Sources that also know these files by their path.
    pub fn with(given: Vec<(PathBuf, String)>) -> Self {
        Sources { given, ..Default::default() }
    }

    fn text(&self, path: &Path) -> Option<String> {
        if let Some((_, text)) = self.given.iter().find(|(p, _)| p == path) {
            return Some(text.clone());
        }
        self.read
            .borrow_mut()
            .entry(path.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(path).ok())
            .clone()
    }
}

/// A problem with its place made exact against the file's text: the column
/// of its focus, and how many characters to underline (0: none).
struct Resolved<'a> {
    diagnostic: &'a Diagnostic,
    col: usize,
    width: usize,
    line_text: Option<String>,
}

fn resolve<'a>(diagnostic: &'a Diagnostic, sources: &Sources) -> Resolved<'a> {
    let Some((line, col)) = diagnostic.position else {
        return Resolved { diagnostic, col: 0, width: 0, line_text: None };
    };
    let line_text =
        sources.text(&diagnostic.file).and_then(|s| s.lines().nth(line - 1).map(str::to_string));
    let Some(text) = &line_text else {
        return Resolved { diagnostic, col, width: 0, line_text };
    };
    let (col, width) = match diagnostic.focus.as_deref() {
        _ if col == 0 => (0, 0),
        Some("") => (col, 0),
        Some(focus) => find_word(text, col, focus).map_or_else(
            || (col, token_width(&text.chars().skip(col - 1).collect::<String>())),
            |at| (at, focus.chars().count()),
        ),
        None => (col, token_width(&text.chars().skip(col - 1).collect::<String>())),
    };
    Resolved { diagnostic, col, width, line_text }
}

/// The 1-based column of `word` standing alone in `line`, at or after `from`.
fn find_word(line: &str, from: usize, word: &str) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    let target: Vec<char> = word.chars().collect();
    let is_name = |c: &char| c.is_alphanumeric() || *c == '_';
    (from.saturating_sub(1)..chars.len().saturating_sub(target.len()) + 1)
        .find(|&i| {
            chars[i..].starts_with(&target)
                && !chars.get(i.wrapping_sub(1)).is_some_and(is_name)
                && !chars.get(i + target.len()).is_some_and(is_name)
        })
        .map(|i| i + 1)
}

/// Renders one problem alone.
pub fn render(diagnostic: &Diagnostic, sources: &Sources) -> String {
    render_all(std::slice::from_ref(diagnostic), sources)
}

/// Renders problems in the order given, each followed by the problems that
/// follow from it (folded into one note), then a blank line.
pub fn render_all(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let (roots, followers) = fold(diagnostics);
    let mut out = String::new();
    for (i, root) in roots.iter().enumerate() {
        let resolved = resolve(root, sources);
        write_one(&mut out, &resolved);
        let mine: Vec<&Diagnostic> = followers.get(&i).cloned().unwrap_or_default();
        if !mine.is_empty() {
            write_followers(&mut out, &mine, gutter(root));
        }
        out.push('\n');
    }
    out
}

/// Splits problems into those shown in full and, by the index of their
/// cause among those, the ones that follow from it.
fn fold(diagnostics: &[Diagnostic]) -> (Vec<&Diagnostic>, BTreeMap<usize, Vec<&Diagnostic>>) {
    let is_root_of = |root: &Diagnostic, cause: &Place| {
        root.cause.is_none()
            && root.file == cause.file
            && root.position == Some((cause.line, cause.col))
    };
    let roots: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| match &d.cause {
            None => true,
            // A cause that is not among the problems (not expected) is shown alone.
            Some(cause) => !diagnostics.iter().any(|r| is_root_of(r, cause)),
        })
        .collect();
    let mut followers: BTreeMap<usize, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(cause) = &d.cause
            && let Some(i) = roots.iter().position(|r| is_root_of(r, cause))
        {
            followers.entry(i).or_default().push(d);
        }
    }
    (roots, followers)
}

fn write_one(out: &mut String, r: &Resolved) {
    let d = r.diagnostic;
    let mut message = d.message.lines();
    let _ = writeln!(out, "{}: {}", d.level.name(), message.next().unwrap_or(""));
    for more in message {
        let _ = writeln!(out, "  {}", more.trim_start());
    }
    let gutter = gutter(d);
    if !d.file.as_os_str().is_empty() {
        let file = shown(&d.file);
        let _ = match d.position {
            Some((line, 0)) => writeln!(out, "{:gutter$}--> {file}:{line}", ""),
            Some((line, _)) => writeln!(out, "{:gutter$}--> {file}:{line}:{}", "", r.col),
            None => writeln!(out, "{:gutter$}--> {file}", ""),
        };
    }
    if let (Some((line, _)), Some(text)) = (d.position, &r.line_text) {
        let (shown, col, width) = excerpt(text, r.col, r.width);
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{line} | {shown}");
        if width > 0 {
            let start: String =
                shown.chars().take(col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let _ = writeln!(out, "{:gutter$} | {start}{}", "", "^".repeat(width));
        }
    }
    for hint in &d.hints {
        let _ = writeln!(out, "{:gutter$} = help: {hint}", "");
    }
}

/// Width of the line-number column of a problem's display.
fn gutter(d: &Diagnostic) -> usize {
    d.position.map_or(1, |(line, _)| line.to_string().len())
}

/// Characters of a source line shown at most: a data line can hold a
/// whole export.
const SHOWN: usize = 100;

/// The part of a long line around the column, cut with `…`, with the
/// column and underline width within it.
fn excerpt(text: &str, col: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= SHOWN {
        return (text.to_string(), col, width);
    }
    let start = col.saturating_sub(21).min(chars.len() - SHOWN);
    let end = start + SHOWN;
    let mut shown: String = chars[start..end].iter().collect();
    let mut col = col.saturating_sub(start);
    if start > 0 {
        shown.insert(0, '…');
        col += 1;
    }
    shown.push('…');
    let width = width.min((SHOWN + 1).saturating_sub(col.saturating_sub(1)));
    (shown, col.max(1), width)
}

/// One note listing where the following problems are, by file.
fn write_followers(out: &mut String, followers: &[&Diagnostic], gutter: usize) {
    let n = followers.len();
    let mut names: Vec<&str> = followers.iter().filter_map(|d| d.focus.as_deref()).collect();
    names.sort_unstable();
    names.dedup();
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let places = format!("{n} more place{}", if n == 1 { "" } else { "s" });
    let _ = match quoted.as_slice() {
        [] => writeln!(
            out,
            "{:gutter$} = note: {places} depend on this; checked once it is mended:",
            ""
        ),
        _ => writeln!(
            out,
            "{:gutter$} = note: {} {} used in {places}; checked once this is mended:",
            "",
            quoted.join(" and "),
            if quoted.len() == 1 { "is" } else { "are" },
        ),
    };
    let mut by_file: BTreeMap<&Path, Vec<usize>> = BTreeMap::new();
    for d in followers {
        by_file.entry(&d.file).or_default().extend(d.position.map(|(line, _)| line));
    }
    for (file, mut lines) in by_file {
        lines.sort_unstable();
        lines.dedup();
        let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
        let which = if lines.len() == 1 { "line" } else { "lines" };
        let _ =
            writeln!(out, "{:gutter$}         {} {which} {}", "", shown(file), lines.join(", "));
    }
}

/// A path as the user would type it: without a leading `./`.
fn shown(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

/// Length in characters of the TOML token at the start of `rest`: a quoted
/// string, a bracketed array or table, or a bare word.
fn token_width(rest: &str) -> usize {
    let chars: Vec<char> = rest.chars().collect();
    let Some(&first) = chars.first() else { return 0 };
    let closing = match first {
        '"' | '\'' => Some(first),
        '[' => Some(']'),
        '{' => Some('}'),
        _ => None,
    };
    let width = match closing {
        Some(close) => {
            let mut depth = 0;
            let mut end = chars.len();
            for (i, &c) in chars.iter().enumerate() {
                if i > 0 && c == close && depth == 0 {
                    end = i + 1;
                    break;
                }
                if first != close && c == first && i > 0 {
                    depth += 1;
                } else if first != close && c == close {
                    depth -= 1;
                }
            }
            end
        }
        None => chars
            .iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '='))
            .count(),
    };
    width.max(1)
}

/// The problems as a JSON array, places made exact: for editors and CI.
/// Each has `level`, `file` (null for none), `line`, `column` and
/// `end_column` (null when unknown), `message`, `hints` and `follows` (the
/// place of the problem it follows from, or null).
pub fn to_json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let r = resolve(d, sources);
            let file = (!d.file.as_os_str().is_empty()).then(|| shown(&d.file));
            let (line, column, end) = match d.position {
                Some((line, _)) => (
                    Some(line),
                    (r.col > 0).then_some(r.col),
                    (r.width > 0).then_some(r.col + r.width),
                ),
                None => (None, None, None),
            };
            serde_json::json!({
                "level": d.level,
                "file": file,
                "line": line,
                "column": column,
                "end_column": end,
                "message": d.message,
                "hints": d.hints,
                "follows": d.cause.as_ref().map(|c| serde_json::json!({
                    "file": shown(&c.file), "line": c.line, "column": c.col,
                })),
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(path: &str, text: &str) -> Sources {
        Sources::with(vec![(PathBuf::from(path), text.to_string())])
    }

    #[test]
    fn underlines_the_name_the_problem_is_about() {
        let d = Diagnostic::error("rules/a.toml", Some((2, 8)), "unknown variable \"revenu\"")
            .with_focus("revenu")
            .with_hint("did you mean \"revenue\"?");
        let text = render(&d, &sources("rules/a.toml", "[alert.x]\nwhen = \"revenu > 0\"\n"));
        assert_eq!(
            text,
            "error: unknown variable \"revenu\"\n --> rules/a.toml:2:9\n  |\n2 | when = \"revenu > 0\"\n  |         ^^^^^^\n  = help: did you mean \"revenue\"?\n\n"
        );
    }

    #[test]
    fn underlines_the_value_without_a_focus() {
        let d = Diagnostic::error("a.toml", Some((1, 10)), "bounds must increase");
        let text = render(&d, &sources("a.toml", "bounds = [0.9, 0.8] # x\n"));
        assert!(text.contains("1 | bounds = [0.9, 0.8] # x\n  |          ^^^^^^^^^^\n"), "{text}");
    }

    #[test]
    fn folds_the_problems_that_follow_under_their_cause() {
        let root = Diagnostic::error("c.toml", Some((3, 10)), "bounds must increase");
        let cause = root.place().unwrap();
        let follow = |file: &str, line| {
            Diagnostic::error(file, Some((line, 8)), "unknown variable \"abc\"")
                .with_focus("abc")
                .following(&cause)
        };
        let all = vec![follow("a.toml", 9), root.clone(), follow("a.toml", 4), follow("m.toml", 2)];
        let text = render_all(&all, &Sources::default());
        assert!(text.starts_with("error: bounds must increase\n --> c.toml:3:10\n"), "{text}");
        assert!(
            text.contains("= note: \"abc\" is used in 3 more places; checked once this is mended:"),
            "{text}"
        );
        assert!(text.contains("a.toml lines 4, 9\n"), "{text}");
        assert!(text.contains("m.toml line 2\n"), "{text}");
        assert_eq!(text.matches("error:").count(), 1, "{text}");
    }

    #[test]
    fn shows_a_long_line_around_its_column() {
        let line = format!("{},bad,{}", "x".repeat(300), "y".repeat(300));
        let (shown, col, width) = excerpt(&line, 302, 3);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().skip(col - 1).take(width).collect::<String>(), "bad");
        assert!(shown.chars().count() <= SHOWN + 2);
    }

    #[test]
    fn measures_tokens() {
        assert_eq!(token_width("[0.8, [1, 2]], x"), 13);
        assert_eq!(token_width("revenue = 1"), 7);
        assert_eq!(token_width("'a \"b\"' x"), 7);
    }

    #[test]
    fn json_gives_exact_places() {
        let d = Diagnostic::error("rules/a.toml", Some((2, 8)), "unknown variable \"revenu\"")
            .with_focus("revenu");
        let json = to_json(&[d], &sources("rules/a.toml", "[alert.x]\nwhen = \"revenu > 0\"\n"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[0]["line"], 2);
        assert_eq!(v[0]["column"], 9);
        assert_eq!(v[0]["end_column"], 15);
        assert_eq!(v[0]["level"], "error");
    }
}
