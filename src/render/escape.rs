//! Escaping values for Typst, so that data never becomes markup: a customer
//! called `Rossi & Figli #1 *best*` prints literally instead of starting
//! code (`#`) or bold text (`*`).

/// Characters that can start markup somewhere in Typst's markup mode:
/// code, strong/emph, raw, math, labels and references, content blocks,
/// shorthands (`~`, `--`, `...`, `-1` → minus sign), headings, lists, enums
/// (`1.`), term lists, comments (`//`), links (`http://`) and smart quotes.
const MARKUP_SPECIAL: &[char] = &[
    '\\', '/', '*', '_', '`', '$', '#', '<', '>', '@', '[', ']', '~', '-', '+', '=', '\'', '"',
    ':', '.',
];

/// Escapes `text` for Typst markup: every special character gets a
/// backslash, and control characters (line breaks, tabs) become spaces so a
/// value cannot end a paragraph or a list item.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if MARKUP_SPECIAL.contains(&c) {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes `text` for the inside of a Typst string literal (`"…"`).
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_every_special_character() {
        assert_eq!(markup("Rossi & Figli #1 *best*"), r"Rossi & Figli \#1 \*best\*");
        assert_eq!(markup("$50 @home <b>"), r"\$50 \@home \<b\>");
        assert_eq!(markup("a//b http://x"), r"a\/\/b http\:\/\/x");
        assert_eq!(markup("- 1. = +"), r"\- 1\. \= \+");
        assert_eq!(markup("line\nbreak\ttab"), "line break tab");
        assert_eq!(markup(r"back\slash"), r"back\\slash");
        assert_eq!(markup("Caffè Müller"), "Caffè Müller");
    }

    #[test]
    fn string_literal_escapes_quotes_and_backslashes() {
        assert_eq!(string_literal(r#"say "hi" \ now"#), r#"say \"hi\" \\ now"#);
        assert_eq!(string_literal("a\nb"), r"a\nb");
    }
}
