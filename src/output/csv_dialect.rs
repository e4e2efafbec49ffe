//! The form of the CSV tables: the documented standard one that scripts
//! read (`,` between fields, decimal point, no byte order mark), or the
//! spreadsheet dialect of the project's language, which Excel opens in
//! columns with the accents right (byte order mark; in Italian `;` between
//! fields and decimal comma, as Italian Excel reads and writes CSV).

use crate::config::project::{CsvStyle, Project};
use crate::locale::Locale;

/// The UTF-8 byte order mark: without it Excel reads a CSV file in the
/// system's legacy code page, and `à` comes out as `Ã `.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// How a CSV table is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvDialect {
    /// Whether the file starts with [`BOM`].
    pub bom: bool,
    /// Between fields: `,` or `;`.
    pub separator: u8,
    /// Of numbers: `.` or `,`.
    pub decimal: char,
}

impl CsvDialect {
    /// The documented format, the same whatever the language.
    pub const STANDARD: CsvDialect = CsvDialect { bom: false, separator: b',', decimal: '.' };

    /// The dialect of `style` for documents in `locale`.
    pub fn new(style: CsvStyle, locale: Locale) -> CsvDialect {
        match style {
            CsvStyle::Standard => CsvDialect::STANDARD,
            CsvStyle::Excel => {
                let decimal = crate::locale::format::decimal_sign(locale);
                // Where the comma is the decimal sign, spreadsheets separate fields with `;`.
                let separator = if decimal == ',' { b';' } else { b',' };
                CsvDialect { bom: true, separator, decimal }
            }
        }
    }

    /// The project's dialect: its `[output] csv` in its language.
    pub fn of(project: &Project) -> CsvDialect {
        CsvDialect::new(project.csv, project.locale)
    }

    /// A CSV writer into memory with `\n` line ends, the byte order mark
    /// already written when the dialect has one. Fields holding the
    /// separator, quotes or line breaks are quoted.
    pub fn writer(self) -> csv::Writer<Vec<u8>> {
        let start = if self.bom { BOM.to_vec() } else { Vec::new() };
        csv::WriterBuilder::new()
            .delimiter(self.separator)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(start)
    }

    /// A number written plainly (`-1234.5`: no grouping, ASCII minus, so
    /// that spreadsheets read it as a number) with this dialect's decimal sign.
    pub fn number(self, plain: String) -> String {
        if self.decimal == '.' { plain } else { plain.replace('.', &self.decimal.to_string()) }
    }

    /// The dialect a CSV file kamplan wrote (or a spreadsheet saved again)
    /// is in, from its first line: `;` there means `;` between fields and
    /// decimal comma. Returns it with the text after the byte order mark.
    pub fn detect(bytes: &[u8]) -> (CsvDialect, &[u8]) {
        let (bom, text) = match bytes.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, bytes),
        };
        let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        let semicolons = first_line.iter().filter(|&&b| b == b';').count();
        let commas = first_line.iter().filter(|&&b| b == b',').count();
        let dialect = if semicolons > commas {
            CsvDialect { bom, separator: b';', decimal: ',' }
        } else {
            CsvDialect { bom, separator: b',', decimal: '.' }
        };
        (dialect, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_follows_the_language_and_standard_does_not() {
        for locale in Locale::ALL {
            assert_eq!(CsvDialect::new(CsvStyle::Standard, locale), CsvDialect::STANDARD);
        }
        let it = CsvDialect::new(CsvStyle::Excel, Locale::It);
        assert_eq!((it.bom, it.separator, it.decimal), (true, b';', ','));
        let en = CsvDialect::new(CsvStyle::Excel, Locale::En);
        assert_eq!((en.bom, en.separator, en.decimal), (true, b',', '.'));
        assert_eq!(it.number("-1234.56".into()), "-1234,56");
        assert_eq!(en.number("-1234.56".into()), "-1234.56");
    }

    #[test]
    fn the_writer_starts_with_the_mark_and_quotes_the_separator() {
        let mut writer = CsvDialect::new(CsvStyle::Excel, Locale::It).writer();
        writer.write_record(["Rossi; Figli", "a,b", "1,5"]).unwrap();
        let bytes = writer.into_inner().unwrap();
        assert_eq!(bytes, "\u{feff}\"Rossi; Figli\";a,b;1,5\n".as_bytes());
    }

    #[test]
    fn detects_what_it_writes() {
        for locale in Locale::ALL {
            for style in [CsvStyle::Standard, CsvStyle::Excel] {
                let dialect = CsvDialect::new(style, locale);
                let mut writer = dialect.writer();
                writer.write_record(["as_of", "customer_id", "target"]).unwrap();
                let bytes = writer.into_inner().unwrap();
                let (found, rest) = CsvDialect::detect(&bytes);
                assert_eq!(found, dialect, "{style:?} {locale:?}");
                assert!(rest.starts_with(b"as_of"));
            }
        }
    }
}
