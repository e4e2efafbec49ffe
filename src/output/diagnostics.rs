//! Problems shown the way compilers show them: the message, the place, the
//! line of the file with the offending text underlined.
//!
//! ```text
//! error: unknown variable "revenu"; did you mean "revenue"?
//!   --> rules/alerts.toml:4:8
//!    |
//!  4 | when = "revenu > 0"
//!    |        ^^^^^^^^^^^^
//! ```

use crate::config::ConfigIssue;
use std::fmt::Write;

/// Renders an issue; `source` is the text of the issue's file, when available.
pub fn render(issue: &ConfigIssue, source: Option<&str>) -> String {
    render_as("error", issue, source)
}

/// An issue that does not stop the run, such as a missing translation.
pub fn render_warning(issue: &ConfigIssue, source: Option<&str>) -> String {
    render_as("warning", issue, source)
}

fn render_as(level: &str, issue: &ConfigIssue, source: Option<&str>) -> String {
    let mut out = format!("{level}: {}\n", issue.message);
    let Some((line, col)) = issue.position else {
        let _ = writeln!(out, "  --> {}", issue.file.display());
        return out;
    };
    let _ = writeln!(out, "  --> {}:{line}:{col}", issue.file.display());
    let Some(text) = source.and_then(|s| s.lines().nth(line - 1)) else {
        return out;
    };
    let gutter = line.to_string().len();
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{line} | {text}");
    let start: String =
        text.chars().take(col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    let width = token_width(&text.chars().skip(col - 1).collect::<String>()).max(1);
    let _ = writeln!(out, "{:gutter$} | {start}{}", "", "^".repeat(width));
    out
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
    match closing {
        Some(close) => {
            let mut depth = 0;
            for (i, &c) in chars.iter().enumerate() {
                if i > 0 && c == close && depth == 0 {
                    return i + 1;
                }
                if first != close && c == first && i > 0 {
                    depth += 1;
                } else if first != close && c == close {
                    depth -= 1;
                }
            }
            chars.len()
        }
        None => chars
            .iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '='))
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn underlines_the_offending_value() {
        let issue = ConfigIssue {
            file: PathBuf::from("rules/a.toml"),
            position: Some((2, 8)),
            message: "unknown variable \"revenu\"".into(),
        };
        let text = render(&issue, Some("[alert.x]\nwhen = \"revenu > 0\"\n"));
        assert_eq!(
            text,
            "error: unknown variable \"revenu\"\n  --> rules/a.toml:2:8\n  |\n2 | when = \"revenu > 0\"\n  |        ^^^^^^^^^^^^\n"
        );
    }

    #[test]
    fn measures_tokens() {
        assert_eq!(token_width("[0.8, [1, 2]], x"), 13);
        assert_eq!(token_width("revenue = 1"), 7);
        assert_eq!(token_width("'a \"b\"' x"), 7);
    }
}
