//! Splitting one line of delimited text into fields.
//!
//! Records are physical lines: a quote left open at the end of a line is a
//! defect of that line, not the start of a field that swallows the lines after
//! it. ERP exports do not put line breaks inside invoice-line fields, and this
//! way one broken line costs one rejected line.

use std::fmt;

/// Scratch space for splitting lines: field positions, and the unescaped
/// text of quoted fields. Reused from line to line, so splitting allocates
/// nothing in the steady state.
#[derive(Default, Debug)]
pub struct Fields {
    scratch: String,
    /// Per field: start, end, and whether the range is in `scratch` (else in the line).
    spans: Vec<(u32, u32, bool)>,
}

/// The fields of one split line.
#[derive(Clone, Copy, Debug)]
pub struct Split<'a> {
    line: &'a str,
    fields: &'a Fields,
}

impl<'a> Split<'a> {
    pub fn len(&self) -> usize {
        self.fields.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.spans.is_empty()
    }

    /// Field `i` (0-based), untrimmed.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let &(start, end, in_scratch) = self.fields.spans.get(i)?;
        let text = if in_scratch { self.fields.scratch.as_str() } else { self.line };
        Some(&text[start as usize..end as usize])
    }

    /// Whether the line has the `width` fields a header asks for, any
    /// beyond them empty: too few or too many is a cut or shifted row.
    pub fn fits(&self, width: usize) -> bool {
        self.len() >= width
            && (width..self.len()).all(|i| self.get(i).is_some_and(|f| f.trim().is_empty()))
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let this = *self;
        (0..this.len()).filter_map(move |i| this.get(i))
    }
}

/// Why a line could not be split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitError {
    /// A quoted field that is not closed before the end of the line; the column is 1-based.
    UnclosedQuote { column: usize },
    /// Text between a closing quote and the next delimiter.
    TextAfterQuote { column: usize },
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::UnclosedQuote { .. } => {
                f.write_str("unclosed quote: the quoted field does not end on this line")
            }
            SplitError::TextAfterQuote { .. } => {
                f.write_str("text after the closing quote of a field")
            }
        }
    }
}

impl SplitError {
    pub fn column(self) -> usize {
        match self {
            SplitError::UnclosedQuote { column } | SplitError::TextAfterQuote { column } => column,
        }
    }
}

/// The lines of `text`, each with its `\n` (the last one may have none):
/// `str::split_inclusive` with the memchr crate's search, which is faster on
/// lines of a few dozen bytes.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
    ends.chain(std::iter::once(text.len())).filter_map(move |end| {
        let line = (end > start).then(|| &text[start..end]);
        start = end;
        line
    })
}

/// Splits `line` (without its line end) at `delimiter`, honouring `"` quoting
/// with `""` as an escaped quote.
pub fn split_line<'a>(
    line: &'a str,
    delimiter: u8,
    fields: &'a mut Fields,
) -> Result<Split<'a>, SplitError> {
    fields.scratch.clear();
    fields.spans.clear();
    let bytes = line.as_bytes();
    // Fast path, one scan: plain fields until a quote shows up.
    let mut start = 0u32;
    let mut quoted = false;
    for at in memchr::memchr2_iter(delimiter, b'"', bytes) {
        if bytes[at] == b'"' {
            quoted = true;
            break;
        }
        fields.spans.push((start, at as u32, false));
        start = at as u32 + 1;
    }
    if !quoted {
        fields.spans.push((start, bytes.len() as u32, false));
        return Ok(Split { line, fields });
    }
    fields.spans.clear();
    let mut pos = 0;
    loop {
        let column = fields.spans.len() + 1;
        let start = pos + leading_spaces(&bytes[pos..]);
        if bytes.get(start) == Some(&b'"') {
            let field_start = fields.scratch.len() as u32;
            pos = start + 1;
            loop {
                let Some(q) = memchr::memchr(b'"', &bytes[pos..]) else {
                    return Err(SplitError::UnclosedQuote { column });
                };
                fields.scratch.push_str(&line[pos..pos + q]);
                pos += q + 1;
                if bytes.get(pos) == Some(&b'"') {
                    fields.scratch.push('"');
                    pos += 1;
                } else {
                    break;
                }
            }
            pos += leading_spaces(&bytes[pos..]);
            fields.spans.push((field_start, fields.scratch.len() as u32, true));
            match bytes.get(pos) {
                None => return Ok(Split { line, fields }),
                Some(&b) if b == delimiter => pos += 1,
                Some(_) => return Err(SplitError::TextAfterQuote { column }),
            }
        } else {
            let end = memchr::memchr(delimiter, &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            fields.spans.push((pos as u32, end as u32, false));
            if end == bytes.len() {
                return Ok(Split { line, fields });
            }
            pos = end + 1;
        }
    }
}

fn leading_spaces(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|&&b| b == b' ').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str, d: u8) -> Result<Vec<String>, SplitError> {
        let mut f = Fields::default();
        split_line(line, d, &mut f).map(|s| s.iter().map(String::from).collect())
    }

    #[test]
    fn splits_plain_and_quoted_fields() {
        assert_eq!(split("a;b;;c", b';').unwrap(), ["a", "b", "", "c"]);
        assert_eq!(
            split(r#"1,"Rossi, ""Figli""",3"#, b',').unwrap(),
            ["1", r#"Rossi, "Figli""#, "3"]
        );
        assert_eq!(split(r#""a";"";x"#, b';').unwrap(), ["a", "", "x"]);
        assert_eq!(split("a\tb", b'\t').unwrap(), ["a", "b"]);
        assert_eq!(split(r#"a, "b" ,c"#, b',').unwrap(), ["a", "b", "c"]);
        assert_eq!(split("", b',').unwrap(), [""]);
    }

    #[test]
    fn lines_are_cut_as_split_inclusive_cuts_them() {
        for text in ["", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "é\r\nü"] {
            let ours: Vec<&str> = lines_inclusive(text).collect();
            assert_eq!(ours, text.split_inclusive('\n').collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn reports_broken_quoting() {
        assert_eq!(split(r#"1;"Rossi;3"#, b';'), Err(SplitError::UnclosedQuote { column: 2 }));
        assert_eq!(split(r#"1;"Rossi"x;3"#, b';'), Err(SplitError::TextAfterQuote { column: 2 }));
    }
}
