//! Bytes to text: UTF-8 (with or without BOM) or Windows-1252.

use crate::config::dialect::{Encoding, Setting};
use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Drops a UTF-8 byte-order mark at the start of a file.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

/// Decodes a block of whole lines. With `Auto`, text that is valid UTF-8 is
/// UTF-8, and anything else is read as Windows-1252 (the other encoding
/// Western European ERPs export); the encoding used is returned.
pub fn decode(bytes: &[u8], setting: Setting<Encoding>) -> (Cow<'_, str>, Encoding) {
    if setting != Setting::Given(Encoding::Windows1252)
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return (Cow::Borrowed(text), Encoding::Utf8);
    }
    if setting == Setting::Given(Encoding::Utf8) {
        return (String::from_utf8_lossy(bytes), Encoding::Utf8);
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    (text, Encoding::Windows1252)
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
}
