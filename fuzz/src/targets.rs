//! The fuzz targets' bodies: each takes the fuzzer's bytes and runs them
//! through kamplan's public API the way a user's files reach it. Shared by
//! the libFuzzer binaries (`fuzz_targets/`) and by the replay of the
//! committed corpus in `tests/fuzz_regressions.rs`, so both run the same code.
//! A target passes an input when nothing panics and the checked invariants hold.

use kamplan::config::dialect::{DateFormat, Decimal, DialectSpec, Encoding, OnBadRow, Setting};
use kamplan::config::project::SourceSpec;
use kamplan::config::rules::{RulesSource, parse_rules_collecting};
use kamplan::ingest::dates::DateBounds;
use kamplan::ingest::line::{Cell, ValueFormat, read_amount, read_date, read_sales_line};
use kamplan::ingest::schema::map_columns;
use kamplan::ingest::text::{Fields, split_line};
use kamplan::ingest::{ReadOptions, read_sales};
use kamplan::locale::Locale;
use kamplan::model::amount::parse_number;
use kamplan::model::fields::{CanonicalField, MasterField, SalesField};
use kamplan::model::ids::IdRule;
use kamplan::model::{Amount, Date};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The delimiters kamplan detects, plus one it does not.
const DELIMITERS: [u8; 5] = [b';', b',', b'\t', b'|', b':'];
const DECIMALS: [Decimal; 2] = [Decimal::Dot, Decimal::Comma];

/// Every date format `date_format` accepts.
fn date_formats() -> Vec<DateFormat> {
    DateFormat::NAMES.iter().map(|n| DateFormat::from_name(n).expect("a listed name")).collect()
}

/// A scratch folder for the targets that read files, one per process.
fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder")).path()
}

/// Splits `data` at its first byte into a selector and the rest.
fn selector(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&first, rest)) => (first, rest),
        None => (0, data),
    }
}

/// One sales line: the selector picks the delimiter and the value format, the
/// rest is the line. The line is split and read against the canonical header
/// in every decimal and date dialect; each field also goes through the amount
/// and date parsers on its own. Parsed values must survive a round trip
/// through their canonical text.
pub fn sales_line(data: &[u8]) {
    let (sel, rest) = selector(data);
    let Ok(line) = std::str::from_utf8(rest) else { return };
    let delimiter = DELIMITERS[usize::from(sel) % DELIMITERS.len()];
    let headers: Vec<&str> = SalesField::ALL.iter().map(|f| f.name()).collect();
    let map = map_columns::<SalesField>(&headers, &[]).expect("the canonical header maps");
    let mut fields = Fields::default();
    let Ok(split) = split_line(line, delimiter, &mut fields) else { return };
    let cells: Vec<&str> = split.iter().collect();
    assert_eq!(cells.len(), split.len());
    for decimal in DECIMALS {
        for date in date_formats() {
            for decimal_sure in [true, false] {
                let format = ValueFormat { decimal, date, decimal_sure };
                let cell = |i: usize| cells.get(i).map_or(Cell::Empty, |t| Cell::text(t));
                if let Ok(sale) = read_sales_line(&map, format, &IdRule::default(), cell) {
                    assert_eq!(Date::parse_iso(&sale.date.to_string()), Some(sale.date));
                }
            }
        }
    }
    for text in &cells {
        for decimal in DECIMALS {
            let format = ValueFormat { decimal, date: DateFormat::ISO, decimal_sure: false };
            if let Ok(amount) = read_amount(Cell::text(text), format) {
                let canonical = amount.to_string();
                assert_eq!(parse_number(&canonical, b'.', None), Ok(amount), "{text:?}");
            }
        }
        for format in date_formats() {
            if let Ok(date) = read_date(Cell::text(text), format) {
                let (y, m, d) = date.ymd();
                assert_eq!(Date::from_ymd(y, m, d), Some(date), "{text:?}");
                assert_eq!(DateFormat::ISO.parse(&date.to_string()), Some(date), "{text:?}");
            }
        }
        let _ = Amount::parse_plain(text);
        let _ = parse_number(text, b',', None);
    }
}

/// The dialect settings picked by a selector byte: each of delimiter, decimal,
/// date format and encoding is detected or given.
fn dialect(sel: u8) -> DialectSpec {
    let formats = date_formats();
    DialectSpec {
        encoding: match sel & 0b11 {
            1 => Setting::Given(Encoding::Utf8),
            2 => Setting::Given(Encoding::Windows1252),
            _ => Setting::Auto,
        },
        delimiter: match (sel >> 2) & 0b111 {
            d @ 1..=5 => Setting::Given(DELIMITERS[usize::from(d) - 1]),
            _ => Setting::Auto,
        },
        decimal: match (sel >> 5) & 0b11 {
            1 => Setting::Given(Decimal::Dot),
            2 => Setting::Given(Decimal::Comma),
            _ => Setting::Auto,
        },
        date_format: if sel & 0x80 == 0 {
            Setting::Auto
        } else {
            Setting::Given(formats[usize::from(sel) % formats.len()])
        },
        sheet: None,
        header_row: None,
        round_float_amounts: false,
    }
}

/// A whole sales file: the selector picks the dialect settings (each detected
/// or given), the rest is the file's bytes, read from disk as `read_sales`
/// reads a client's export, with bad lines collected. Every line read is
/// either accepted or rejected, and each reject names a line of the file.
pub fn sales_file(data: &[u8]) {
    let (sel, rest) = selector(data);
    let path = scratch().join("sales.csv");
    std::fs::write(&path, rest).expect("writing the scratch file");
    let source = SourceSpec { dialect: dialect(sel), ..SourceSpec::detected(path) };
    let _ = kamplan::ingest::inspect_sales(&source);
    let options = ReadOptions {
        as_of: Date::from_ymd(2025, 6, 30),
        dates: DateBounds::up_to(Date::from_ymd(2030, 1, 1).expect("a date")),
        on_bad_row: OnBadRow::Reject,
        workers: 1,
    };
    if let Ok(data) = read_sales(&source, options) {
        let totals = data.totals();
        assert_eq!(totals.read, totals.accepted + totals.rejected);
        assert_eq!(data.rejects.len() as u64, totals.rejected);
        let lines = rest.split(|&b| b == b'\n').count() as u64;
        for reject in &data.rejects {
            assert!(reject.line >= 1 && reject.line <= lines, "{reject}");
        }
    }
    let fail = ReadOptions { on_bad_row: OnBadRow::Fail, ..options };
    let _ = read_sales(&source, fail);
}

/// A header and sample lines: the first line is the header, the lines after
/// it the sample. The delimiter is detected as for a file, then the header is
/// mapped to the sales and the master fields, with lines written
/// `=header=field` taken as explicit mappings. The mapping never points past
/// the header, and a detected delimiter splits the header into columns.
pub fn header(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut explicit_sales = Vec::new();
    let mut explicit_master = Vec::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        match line.strip_prefix('=').and_then(|m| m.rsplit_once('=')) {
            Some((header, field)) => {
                if let Some(f) = SalesField::from_name(field) {
                    explicit_sales.push((header.to_string(), f));
                }
                if let Some(f) = MasterField::from_name(field) {
                    explicit_master.push((header.to_string(), f));
                }
            }
            None => lines.push(line),
        }
    }
    let Some((&head, sample)) = lines.split_first() else { return };
    if let Some(d) = kamplan::ingest::sniff::detect_delimiter(head, sample) {
        let mut fields = Fields::default();
        let split = split_line(head, d, &mut fields).expect("a detected delimiter splits");
        assert!(split.len() >= 2);
    }
    let path = Path::new("sales.csv");
    for delimiter in [Setting::Auto, Setting::Given(b';'), Setting::Given(b',')] {
        let dialect = DialectSpec { delimiter, ..DialectSpec::default() };
        let sales = SourceSpec {
            dialect: dialect.clone(),
            columns: explicit_sales.clone(),
            ..SourceSpec::detected(path.into())
        };
        if let Ok((_, map)) =
            kamplan::ingest::header::text_header(path, head, 1, sample, &sales, "sales")
        {
            for field in SalesField::ALL {
                assert!(map.column(*field).is_none_or(|c| c < map.headers.len()));
            }
            let _ = map.unmapped().count();
        }
        let master = SourceSpec {
            dialect,
            columns: explicit_master.clone(),
            ..SourceSpec::detected(path.into())
        };
        if let Ok((_, map)) =
            kamplan::ingest::header::text_header(path, head, 1, sample, &master, "customers")
        {
            for field in MasterField::ALL {
                assert!(map.column(*field).is_none_or(|c| c < map.headers.len()));
            }
        }
    }
    let cells: Vec<&str> = head.split([';', ',', '\t', '|']).collect();
    let _ = map_columns::<SalesField>(&cells, &explicit_sales).map_err(|e| e.to_string());
    let _ = map_columns::<MasterField>(&cells, &explicit_master).map_err(|e| e.to_string());
}

/// Splits a text into files at lines `#--- name`; the first file is `first`.
/// A name already taken gets its position in front, so paths are unique.
fn files(text: &str, folder: &str, first: &str) -> Vec<(PathBuf, String)> {
    let mut files = vec![(PathBuf::from(folder).join(first), String::new())];
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("#--- ") {
            let mut path = PathBuf::from(folder).join(name.trim());
            let mut n = files.len();
            while files.iter().any(|(p, _)| *p == path) {
                path = PathBuf::from(folder).join(format!("{n}-{}", name.trim()));
                n += 1;
            }
            files.push((path, String::new()));
        } else {
            files.last_mut().expect("one file at least").1.push_str(line);
        }
    }
    files
}

/// The names every customer has before any rule runs.
fn base_names() -> std::collections::BTreeSet<String> {
    let master = kamplan::model::records::Master::default();
    kamplan::classify::engine::base_names(&kamplan::classify::base_variables(&master))
}

/// A rules folder: files separated by `#--- name` lines, validated as
/// `check` validates them (in both languages, the selector bit picks), then
/// every expression is checked as `check` checks it. Every problem found
/// names a line of its file (or the end of the file).
pub fn rules(data: &[u8]) {
    let (sel, rest) = selector(data);
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let files = files(text, "rules", "rules.toml");
    let locale = Locale::ALL[usize::from(sel & 1)];
    let source = RulesSource::Folder(PathBuf::from("rules"));
    let (rules, mut issues) = parse_rules_collecting(&files, source, locale);
    let env = kamplan::classify::engine::rule_environment(rules.locale, &rules.currency);
    issues.extend(kamplan::classify::engine::check_rules(&rules, &base_names(), &env));
    for issue in &issues {
        let _ = issue.to_string();
        if let Some(text) = files.iter().find(|(p, _)| *p == issue.file).map(|(_, t)| t)
            && let Some((line, _)) = issue.position
        {
            // The end of the text counts: an unclosed table is reported there.
            assert!(line >= 1 && line <= text.lines().count() + 1, "{issue}");
        }
    }
}

/// Account files, separated by `#--- name` lines (the first is
/// `accounts/C1.toml`), validated as `check` validates them; the accounts
/// read are then applied to a master that knows one customer.
pub fn accounts(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = files(text, "accounts", "C1.toml");
    let (book, issues) = kamplan::config::accounts::parse_accounts(&files);
    for issue in &issues {
        let _ = issue.to_string();
    }
    if !issues.is_empty() {
        return;
    }
    let mut master = kamplan::model::records::Master::default();
    book.apply_to(&mut master);
    let unknown = book.unknown_customers(|id| id == "C1");
    for issue in &unknown {
        let _ = issue.to_string();
    }
}

/// A small portfolio's sales, read once: three customers over two years.
fn sample_sales() -> &'static kamplan::ingest::SalesData {
    static DATA: OnceLock<kamplan::ingest::SalesData> = OnceLock::new();
    DATA.get_or_init(|| {
        let path = scratch().join("portfolio.csv");
        let mut csv = String::from("date;customer_id;revenue;cost;product_id;quantity\n");
        for (i, (customer, revenue)) in
            [("C1", "1200,50"), ("C2", "80,00"), ("C3", "-15,25"), ("C1", "990,00"), ("C2", "0")]
                .iter()
                .enumerate()
        {
            let month = i % 12 + 1;
            csv.push_str(&format!("2024-{month:02}-15;{customer};{revenue};10,00;P{i};2\n"));
            csv.push_str(&format!("2025-{month:02}-10;{customer};{revenue};12,00;P{i};3\n"));
        }
        std::fs::write(&path, csv).expect("writing the sample sales");
        let source = SourceSpec::<SalesField>::detected(path);
        let options = ReadOptions {
            as_of: None,
            dates: DateBounds::up_to(Date::from_ymd(2030, 1, 1).expect("a date")),
            on_bad_row: OnBadRow::Fail,
            workers: 1,
        };
        read_sales(&source, options).expect("the sample sales read")
    })
}

/// Writes `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Rule expressions: the first line of the input is a derived metric, the
/// second an alert's condition, the rest the alert's message. They are put
/// into a rules file, checked as `check` checks them and, when the check
/// passes, run over a small portfolio (with the fuel limit that stops
/// endless expressions) and the alert's message rendered as `explain` and
/// the account plans render it. A checked rule set classifies without error,
/// and the derived metric holds the value its expression gives.
pub fn expression(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let metric = parts.next().unwrap_or_default();
    let when = parts.next().unwrap_or("true");
    let message = parts.next().unwrap_or_default();
    let file = format!(
        "[metrics]\nfuzzed = {}\n\n[alert.fuzzed]\nseverity = \"low\"\nwhen = {}\nmessage = {}\n",
        toml_string(metric),
        toml_string(when),
        toml_string(message)
    );
    let files = vec![(PathBuf::from("rules/fuzzed.toml"), file)];
    let source = RulesSource::Folder(PathBuf::from("rules"));
    let (rules, mut issues) = parse_rules_collecting(&files, source, Locale::En);
    let env = kamplan::classify::engine::rule_environment(rules.locale, &rules.currency);
    issues.extend(kamplan::classify::engine::check_rules(&rules, &base_names(), &env));
    if !issues.is_empty() {
        return;
    }
    let sales = sample_sales();
    let master = kamplan::model::records::Master::default();
    let latest = Date::from_ymd(2025, 12, 31);
    let period = kamplan::metrics::Period::resolve(None, 12, latest).expect("a period");
    // A message that passes the check can still fail on some customer's
    // figures: classify then stops with that text's place, never panics.
    let portfolio = match kamplan::classify::classify(&sales.ledger, &master, &rules, period) {
        Ok(portfolio) => portfolio,
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains("rules/fuzzed.toml:") && text.contains(" fails for "), "{text}");
            return;
        }
    };
    // A derived metric holds the number its expression gives, or nothing
    // when that number is out of an amount's range: never another number.
    let compiled = env.compile_expression(metric).expect("checked");
    for row in 0..portfolio.rows.len() {
        let _ = portfolio.text("fuzzed", row);
        let context = kamplan::classify::facts::RowView::value(&portfolio.facts, row);
        let Ok(value) = compiled.eval(context) else { continue };
        let Some(x) = value.as_i64().map(|n| n as f64).or_else(|| f64::try_from(value).ok()) else {
            continue;
        };
        let kept = portfolio.facts.get("fuzzed", row).and_then(|f| f.as_f64());
        if let Some(kept) = kept {
            let tolerance = (x.abs() * 1e-9).max(1e-4);
            assert!((kept - x).abs() <= tolerance, "{metric:?} gives {x}, kept as {kept}");
        }
    }
    // The alert's message, rendered for each customer it fired for.
    let _ = kamplan::explain::fired_alerts(&portfolio, &rules);
    let _ = kamplan::explain::explain(&portfolio, &rules, "C1");
}
