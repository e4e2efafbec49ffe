//! Splitting one line of delimited text into fields.
//!
//! Records are physical lines: a quote left open at the end of a line is a
//! defect of that line, not the start of a field that swallows the lines after
//! it. ERP exports do not put line breaks inside invoice-line fields, and this
//! way one broken line costs one rejected line.

use std::fmt;

/// The fields of one line, unescaped, stored back to back to avoid an allocation per field.
#[derive(Default, Debug)]
pub struct Fields {
    text: String,
    ends: Vec<usize>,
}

impl Fields {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i` (0-based), untrimmed.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn end_field(&mut self) {
        self.ends.push(self.text.len());
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

/// Splits `line` (without its line end) at `delimiter`, honouring `"` quoting
/// with `""` as an escaped quote.
pub fn split_line(line: &str, delimiter: u8, fields: &mut Fields) -> Result<(), SplitError> {
    fields.clear();
    let bytes = line.as_bytes();
    if memchr::memchr(b'"', bytes).is_none() {
        for part in line.split(delimiter as char) {
            fields.text.push_str(part);
            fields.end_field();
        }
        return Ok(());
    }
    let mut pos = 0;
    loop {
        let column = fields.len() + 1;
        let start = pos + leading_spaces(&bytes[pos..]);
        if bytes.get(start) == Some(&b'"') {
            pos = start + 1;
            loop {
                let Some(q) = memchr::memchr(b'"', &bytes[pos..]) else {
                    return Err(SplitError::UnclosedQuote { column });
                };
                fields.text.push_str(&line[pos..pos + q]);
                pos += q + 1;
                if bytes.get(pos) == Some(&b'"') {
                    fields.text.push('"');
                    pos += 1;
                } else {
                    break;
                }
            }
            pos += leading_spaces(&bytes[pos..]);
            fields.end_field();
            match bytes.get(pos) {
                None => return Ok(()),
                Some(&b) if b == delimiter => pos += 1,
                Some(_) => return Err(SplitError::TextAfterQuote { column }),
            }
        } else {
            let end = memchr::memchr(delimiter, &bytes[pos..]).map(|i| pos + i);
            fields.text.push_str(&line[pos..end.unwrap_or(bytes.len())]);
            fields.end_field();
            match end {
                None => return Ok(()),
                Some(e) => pos = e + 1,
            }
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
        split_line(line, d, &mut f).map(|()| f.iter().map(String::from).collect())
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
    fn reports_broken_quoting() {
        assert_eq!(split(r#"1;"Rossi;3"#, b';'), Err(SplitError::UnclosedQuote { column: 2 }));
        assert_eq!(split(r#"1;"Rossi"x;3"#, b';'), Err(SplitError::TextAfterQuote { column: 2 }));
    }
}
