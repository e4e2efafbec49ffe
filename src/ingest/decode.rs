//! Bytes to text: UTF-8 (with or without BOM) or Windows-1252, line ends,
//! and the files that are not text kamplan can read (UTF-16, binary).

use crate::config::dialect::{Encoding, Setting};
use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Drops a UTF-8 byte-order mark at the start of a file.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

/// Says why the start of a file is not text in an encoding kamplan reads:
/// a UTF-16 or UTF-32 byte-order mark, or NUL bytes between most characters
/// (UTF-16 without a mark, or a binary file). A stray NUL in one line is
/// that line's defect, not the file's.
pub fn not_readable_text(top: &[u8]) -> Option<String> {
    let hint = "save or export it as UTF-8 (\"CSV UTF-8\" in Excel) or Windows-1252";
    if top.starts_with(b"\xFF\xFE\0\0") || top.starts_with(b"\0\0\xFE\xFF") {
        return Some(format!(
            "the file is UTF-32 encoded (it starts with a UTF-32 byte-order mark); {hint}"
        ));
    }
    if top.starts_with(b"\xFF\xFE") || top.starts_with(b"\xFE\xFF") {
        return Some(format!(
            "the file is UTF-16 encoded (it starts with a UTF-16 byte-order mark, as Excel's \"Unicode text\" does); {hint}"
        ));
    }
    let head = &top[..top.len().min(4096)];
    let nuls = head.iter().filter(|b| **b == 0).count();
    if head.len() >= 16 && nuls * 4 > head.len() {
        return Some(format!(
            "{nuls} of the first {} bytes are NUL: the file is UTF-16 without a byte-order mark, or not text at all; {hint}",
            head.len()
        ));
    }
    None
}

/// Whether the file ends its lines with a lone CR (classic Mac OS): no LF
/// anywhere in its first block, but CRs.
pub fn cr_line_ends(top: &[u8]) -> bool {
    memchr::memchr(b'\n', top).is_none() && memchr::memchr(b'\r', top).is_some()
}

/// Turns lone-CR line ends into LF, in place: the length stays, so byte
/// offsets and line numbers keep their meaning.
pub fn cr_to_lf(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b == b'\r') {
        *b = b'\n';
    }
}

/// What the non-ASCII lines of a block say about its encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Evidence {
    /// Lines with non-ASCII bytes that are valid UTF-8.
    utf8: usize,
    /// Lines with bytes that are not valid UTF-8.
    invalid: usize,
}

fn evidence(bytes: &[u8]) -> Evidence {
    let mut seen = Evidence::default();
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_ascii()) {
        match std::str::from_utf8(line) {
            Ok(_) => seen.utf8 += 1,
            Err(_) => seen.invalid += 1,
        }
    }
    seen
}

/// The encoding a block of whole lines shows, or `None` while it is plain
/// ASCII. A single line of accented letters that is valid UTF-8 decides for
/// UTF-8: Windows-1252 text almost never forms valid UTF-8 sequences, so
/// the odd Windows-1252 line in a UTF-8 file is that line's defect, and the
/// file is not misread whole.
pub fn decide(bytes: &[u8], setting: Setting<Encoding>) -> Option<Encoding> {
    match setting {
        Setting::Given(e) => Some(e),
        Setting::Auto if bytes.is_ascii() => None,
        Setting::Auto if evidence(bytes).utf8 > 0 => Some(Encoding::Utf8),
        Setting::Auto => Some(Encoding::Windows1252),
    }
}

/// Decodes a block of whole lines, deciding the encoding as `decide` does
/// (plain ASCII is UTF-8); the encoding used is returned. Lines that do not
/// fit it come out lossily: `suspect_lines` names them.
pub fn decode(bytes: &[u8], setting: Setting<Encoding>) -> (Cow<'_, str>, Encoding) {
    match decide(bytes, setting).unwrap_or(Encoding::Utf8) {
        // Valid UTF-8 is borrowed after one fast check; only a block with a
        // bad line goes through the slower lossy decoding.
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), Encoding::Utf8),
            Err(_) => (String::from_utf8_lossy(bytes), Encoding::Utf8),
        },
        Encoding::Windows1252 => {
            (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0, Encoding::Windows1252)
        }
    }
}

/// The 0-based indices of the lines of `bytes` that do not fit `encoding`,
/// with the reason: in UTF-8, a line that is not valid UTF-8; in a file
/// whose encoding was detected as Windows-1252, a line that is valid UTF-8
/// with accented letters (read as Windows-1252 it would be garbled). A
/// configured Windows-1252 is taken at its word.
pub fn suspect_lines(
    bytes: &[u8],
    encoding: Encoding,
    setting: Setting<Encoding>,
) -> Vec<(usize, &'static str)> {
    let check_utf8 = encoding == Encoding::Utf8;
    let check_1252 = encoding == Encoding::Windows1252 && setting == Setting::Auto;
    if bytes.is_ascii() || (check_utf8 && std::str::from_utf8(bytes).is_ok()) {
        return Vec::new();
    }
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| !l.is_ascii())
        .filter_map(|(i, line)| match std::str::from_utf8(line) {
            Err(_) if check_utf8 => Some((i, "not valid UTF-8, though the rest of the file is")),
            Ok(_) if check_1252 => Some((
                i,
                "valid UTF-8 in a file read as Windows-1252 (its other accented lines are not UTF-8): set encoding in kamplan.toml if this file is one or the other",
            )),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_windows_1252_when_not_utf8() {
        let (text, enc) = decode(b"Soci\xe9t\xe9 \x80", Setting::Auto);
        assert_eq!((text.as_ref(), enc), ("Société €", Encoding::Windows1252));
        let (text, enc) = decode("Società".as_bytes(), Setting::Auto);
        assert_eq!((text.as_ref(), enc), ("Società", Encoding::Utf8));
        assert_eq!(strip_bom(b"\xEF\xBB\xBFa"), b"a");
    }

    #[test]
    fn one_windows_1252_line_does_not_make_a_utf8_file_windows_1252() {
        let block = "id;name\nC1;CÈUTF\nC2;Soci\u{e9}t\u{e9}\n".as_bytes().to_vec();
        let mut mixed = block.clone();
        mixed.extend_from_slice(b"C3;Caf\xe9\n");
        assert_eq!(decide(&mixed, Setting::Auto), Some(Encoding::Utf8));
        assert_eq!(decode(&mixed, Setting::Auto).0.lines().nth(1), Some("C1;CÈUTF"));
        assert_eq!(
            suspect_lines(&mixed, Encoding::Utf8, Setting::Auto),
            [(3, "not valid UTF-8, though the rest of the file is")]
        );
    }

    #[test]
    fn a_utf8_line_in_a_windows_1252_file_is_suspect() {
        let mut bytes = b"C1;Caf\xe9\n".to_vec();
        assert_eq!(decide(&bytes, Setting::Auto), Some(Encoding::Windows1252));
        bytes.extend_from_slice("C2;CÈUTF\n".as_bytes());
        // Decided earlier as Windows-1252 (by a block without UTF-8 lines).
        assert_eq!(suspect_lines(&bytes, Encoding::Windows1252, Setting::Auto).len(), 1);
        let given = Setting::Given(Encoding::Windows1252);
        assert!(suspect_lines(&bytes, Encoding::Windows1252, given).is_empty());
    }

    #[test]
    fn names_files_that_are_not_readable_text() {
        let utf16: Vec<u8> =
            "\u{feff}Data;Cliente\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(not_readable_text(&utf16).unwrap().contains("UTF-16"));
        let no_bom: Vec<u8> = "Data;Cliente;Importo\r\n01/02/2025;C1;12\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(not_readable_text(&no_bom).unwrap().contains("NUL"));
        assert_eq!(not_readable_text(b"Data;Cliente\nx;C\0\n"), None);
    }

    #[test]
    fn cr_line_ends_become_lf() {
        let mut bytes = b"a;b\r1;2\r".to_vec();
        assert!(cr_line_ends(&bytes));
        cr_to_lf(&mut bytes);
        assert_eq!(bytes, b"a;b\n1;2\n");
        assert!(!cr_line_ends(b"a;b\r\n1;2\r\n"));
    }
}
