//! How figures and dates read in the documents, per language.
//!
//! English: `1,234,567.89`, `€1,234,567.89`, `12.3%`, `30 June 2025`.
//! Italian: `1.234.567,89`, `1.234.567,89 €`, `12,3%`, `30 giugno 2025`.
//! Decided for both: four-digit numbers are grouped too (`1,234`, `1.234`),
//! so the figures of a column line up; a negative figure takes the
//! typographic minus before everything, the currency sign included
//! (`−€1,234.57`, `−1.234,57 €`).

use super::Locale;
use crate::model::date::split_month;
use crate::model::{Date, MonthIndex};

const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// The typographic minus sign, which lines up with the digits in tables.
pub const MINUS: char = '\u{2212}';

/// `1,234,567.89`: an amount given in units of 1/10 000, with grouped
/// thousands and two decimals (rounded half away from zero).
pub fn grouped(units: i128) -> String {
    let cents = (units + units.signum() * 50) / 100;
    let (sign, cents) = (if cents < 0 { "-" } else { "" }, cents.unsigned_abs());
    let whole = (cents / 100).to_string();
    let mut digits = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            digits.push(',');
        }
        digits.push(ch);
    }
    format!("{sign}{digits}.{:02}", cents % 100)
}

/// The name of a month (1–12) in the language.
pub fn month_name(locale: Locale, month: u32) -> &'static str {
    let names = match locale {
        Locale::En => &crate::model::date::MONTH_NAMES,
        Locale::It => &MONTHS_IT,
    };
    names[(month as usize).clamp(1, 12) - 1]
}

/// Separators of a language: (thousands, decimal).
fn separators(locale: Locale) -> (char, char) {
    match locale {
        Locale::En => (',', '.'),
        Locale::It => ('.', ','),
    }
}

/// The language's decimal sign: `.` or `,`.
pub fn decimal_sign(locale: Locale) -> char {
    separators(locale).1
}

/// A figure written the English way (`1,234.50`, `12.3%`) with the
/// language's separators instead (`1.234,50`, `12,3%`), for figures whose
/// digits come from an exact or fixed English formatting.
pub fn from_english(locale: Locale, english: &str) -> String {
    let (group, point) = separators(locale);
    english
        .chars()
        .map(|c| match c {
            ',' => group,
            '.' => point,
            c => c,
        })
        .collect()
}

/// `30 June 2025`, `30 giugno 2025`.
pub fn long_date(locale: Locale, date: Date) -> String {
    let (y, m, d) = date.ymd();
    format!("{d} {} {y}", month_name(locale, m))
}

/// `June 2025`, `giugno 2025`.
pub fn month_year(locale: Locale, month: MonthIndex) -> String {
    let (y, m) = split_month(month);
    format!("{} {y}", month_name(locale, m))
}

/// `Jun 25`, `giu 25`, for chart axes.
pub fn short_month(locale: Locale, month: MonthIndex) -> String {
    let (y, m) = split_month(month);
    let name: String = month_name(locale, m).chars().take(3).collect();
    format!("{name} {:02}", y.rem_euclid(100))
}

/// A number rounded to `decimals` with grouped thousands: `1,234,567.9`,
/// `1.234.567,9`, `−42`.
pub fn number(locale: Locale, value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    // A text may ask for any number of decimals (`num(1000000)`); past 20
    // an f64 has no more digits to show, and the formatter panics past 65535.
    let decimals = decimals.min(20);
    let (group, point) = separators(locale);
    // Halves round away from zero, as in accounting (1,234.5 → 1,235);
    // the formatter alone would round them to even.
    let scale = 10f64.powi(decimals as i32);
    let rounded = (value.abs() * scale).round() / scale;
    let shown = if rounded.is_finite() { rounded } else { value.abs() };
    let text = format!("{:.*}", decimals, shown);
    let (whole, fraction) =
        text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 3);
    // "-0" after rounding is zero, not negative.
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push(MINUS);
    }
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(ch);
    }
    if let Some(fraction) = fraction {
        out.push(point);
        out.push_str(fraction);
    }
    out
}

/// Money as a table figure, without decimals or currency: `1,234,568`.
pub fn money(locale: Locale, value: f64) -> String {
    number(locale, value, 0)
}

/// The sign of a currency code, when it has a common one.
fn currency_sign(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        _ => return None,
    })
}

/// Money with its currency: `€1,234,567.89`, `−€12.50`, `CHF 1,200.00` in
/// English; `1.234.567,89 €`, `−12,50 €`, `1.200,00 CHF` in Italian.
pub fn money_with_currency(locale: Locale, value: f64, decimals: usize, currency: &str) -> String {
    with_currency(locale, number(locale, value, decimals), currency)
}

/// A figure written with the currency's sign or code where the language puts it.
fn with_currency(locale: Locale, figure: String, currency: &str) -> String {
    let (minus, digits) = match figure.strip_prefix(MINUS) {
        Some(digits) => (MINUS.to_string(), digits),
        None => (String::new(), figure.as_str()),
    };
    let code = currency.trim();
    match (locale, currency_sign(code)) {
        (_, None) if code.is_empty() => figure.clone(),
        (Locale::En, Some(sign)) => format!("{minus}{sign}{digits}"),
        (Locale::En, None) => format!("{minus}{code}\u{a0}{digits}"),
        (Locale::It, sign) => format!("{minus}{digits}\u{a0}{}", sign.unwrap_or(code)),
    }
}

/// The suffix of an amount shortened to thousands (1), millions (2) or
/// billions (3), the same in tiles and charts: `k`, `M`, `bn` in English;
/// ` mila`, ` Mln`, ` Mrd` (after a no-break space) in Italian. Empty for 0.
pub fn short_suffix(locale: Locale, thousands: usize) -> &'static str {
    match (locale, thousands) {
        (_, 0) => "",
        (Locale::It, 1) => "\u{a0}mila",
        (Locale::It, 2) => "\u{a0}Mln",
        (Locale::It, _) => "\u{a0}Mrd",
        (Locale::En, 1) => "k",
        (Locale::En, 2) => "M",
        (Locale::En, _) => "bn",
    }
}

/// Money abbreviated for tiles and charts: `1.23M`, `456k`, `3.20bn` in
/// English; `1,23 Mln`, `456 mila`, `3,20 Mrd` in Italian.
pub fn money_short(locale: Locale, value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (value / 1e9, short_suffix(locale, 3))
    } else if magnitude >= 1e6 {
        (value / 1e6, short_suffix(locale, 2))
    } else if magnitude >= 1e4 {
        (value / 1e3, short_suffix(locale, 1))
    } else {
        return number(locale, value, 0);
    };
    let decimals = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{}{suffix}", number(locale, scaled, decimals))
}

/// Money abbreviated with its currency, for tiles: `€456k`, `456 mila €`.
pub fn money_short_with(locale: Locale, value: f64, currency: &str) -> String {
    with_currency(locale, money_short(locale, value), currency)
}

/// A value of a kind the data gives (`money`, `pct`, `days`, `years`,
/// `decimal`, else a whole number), as a table shows it.
pub fn figure(locale: Locale, kind: &str, x: f64) -> String {
    match kind {
        "money" => money(locale, x),
        "pct" => percent(locale, x, 1),
        "days" => days(locale, x),
        "years" => years(locale, x),
        "decimal" => number(locale, x, 2),
        _ => number(locale, x, 0),
    }
}

/// A number as the tables for scripts write it, in any language: `.` as
/// decimal point, no grouping, at most six decimals, no trailing zeros,
/// ASCII minus (`1234.5`, `-0.25`).
pub fn plain(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

/// A ratio as a percentage: 0.1234 → `12.3%`, `12,3%`.
pub fn percent(locale: Locale, ratio: f64, decimals: usize) -> String {
    format!("{}%", number(locale, ratio * 100.0, decimals))
}

/// A change as a signed percentage: 0.05 → `+5.0%`, −0.2 → `−20.0%`.
pub fn change(locale: Locale, ratio: f64) -> String {
    let text = percent(locale, ratio, 1);
    let zero = percent(locale, 0.0, 1);
    if ratio > 0.0 && !text.starts_with(MINUS) && text != zero { format!("+{text}") } else { text }
}

/// A number of days: `12 days`, `12 giorni`, `1 day`, `1 giorno`.
pub fn days(locale: Locale, value: f64) -> String {
    let n = number(locale, value, 0);
    if n == "1" {
        locale.fill("{n} day", &[("n", &n)])
    } else {
        locale.fill("{n} days", &[("n", &n)])
    }
}

/// A number of whole years: `6 years`, `6 anni`, `1 year`, `1 anno`.
pub fn years(locale: Locale, value: f64) -> String {
    let n = number(locale, value, 0);
    if n == "1" {
        locale.fill("{n} year", &[("n", &n)])
    } else {
        locale.fill("{n} years", &[("n", &n)])
    }
}

/// An Italian article or articled preposition before a figure, elided where
/// the number is read starting with a vowel: `il 28%` but `l'8%`, `l'11%`,
/// `l'1,5%`; `del 5%` but `dell'80%`. Other words are kept as they are.
pub fn italian_article(article: &str, figure: &str) -> String {
    let digits: String = figure.chars().skip_while(|c| !c.is_ascii_digit()).collect();
    let integer: String = digits.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let integer = integer.replace('.', "");
    // otto, ottanta, ottocento…; uno, undici (but not dieci, cento, mille).
    let vowel = integer.starts_with('8') || integer == "1" || integer == "11";
    let elided = match article {
        "il" | "lo" => Some("l'"),
        "del" => Some("dell'"),
        "al" => Some("all'"),
        "dal" => Some("dall'"),
        "nel" => Some("nell'"),
        "sul" => Some("sull'"),
        _ => None,
    };
    match elided {
        Some(short) if vowel => format!("{short}{figure}"),
        _ => format!("{article} {figure}"),
    }
}

/// A rule id in words: `declining_class_a` → "Declining class A" (a
/// one-letter word is a class, written in capitals).
pub fn id_in_words(id: &str) -> String {
    let words: Vec<String> = id
        .split('_')
        .map(|w| if w.len() == 1 { w.to_uppercase() } else { w.to_string() })
        .collect();
    humanize(&words.join(" "))
}

/// A variable name as a heading: `days_since_last` → `Days since last`.
pub fn humanize(name: &str) -> String {
    let text = name.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}
