use super::format::*;
use super::*;
use crate::model::Date;
use crate::model::amount::{Amount, parse_number};
use proptest::prelude::*;

const EN: Locale = Locale::En;
const IT: Locale = Locale::It;

#[test]
fn numbers_group_thousands_in_each_language() {
    assert_eq!(number(EN, 1_234_567.891, 2), "1,234,567.89");
    assert_eq!(number(IT, 1_234_567.891, 2), "1.234.567,89");
    // Four digits are grouped too, in both languages.
    assert_eq!(number(EN, 1234.0, 0), "1,234");
    assert_eq!(number(IT, 1234.0, 0), "1.234");
    assert_eq!(number(EN, -1234.0, 0), "\u{2212}1,234");
    assert_eq!(number(IT, -0.004, 2), "0,00");
    assert_eq!(number(EN, 999.5, 0), "1,000");
    assert_eq!(number(IT, 12.0, 0), "12");
}

#[test]
fn money_carries_the_currency_where_each_language_puts_it() {
    assert_eq!(money_with_currency(EN, 1_234_567.89, 2, "EUR"), "€1,234,567.89");
    assert_eq!(money_with_currency(IT, 1_234_567.89, 2, "EUR"), "1.234.567,89\u{a0}€");
    assert_eq!(money_with_currency(EN, -1234.567, 2, "EUR"), "\u{2212}€1,234.57");
    assert_eq!(money_with_currency(IT, -1234.567, 2, "EUR"), "\u{2212}1.234,57\u{a0}€");
    assert_eq!(money_with_currency(EN, 1200.0, 0, "CHF"), "CHF\u{a0}1,200");
    assert_eq!(money_with_currency(IT, 1200.0, 0, "CHF"), "1.200\u{a0}CHF");
    assert_eq!(money_with_currency(EN, 5.0, 2, "usd"), "$5.00");
    assert_eq!(money(IT, 1_234_567.6), "1.234.568");
}

#[test]
fn money_is_abbreviated_for_tiles() {
    assert_eq!(money_short(EN, 1_234_567.0), "1.23M");
    assert_eq!(money_short(IT, 1_234_567.0), "1,23\u{a0}Mln");
    assert_eq!(money_short(EN, 456_000.0), "456k");
    assert_eq!(money_short(IT, 456_000.0), "456\u{a0}mila");
    assert_eq!(money_short(EN, 45_600.0), "45.6k");
    assert_eq!(money_short(EN, 9_800.0), "9,800");
    assert_eq!(money_short(IT, 9_800.0), "9.800");
    assert_eq!(money_short(EN, -2_500_000.0), "\u{2212}2.50M");
    assert_eq!(money_short(EN, 3.2e9), "3.20bn");
    assert_eq!(money_short(IT, 3.2e9), "3,20\u{a0}Mrd");
}

#[test]
fn percentages_and_changes_carry_their_sign() {
    assert_eq!(percent(EN, 0.1234, 1), "12.3%");
    assert_eq!(percent(IT, 0.1234, 1), "12,3%");
    assert_eq!(change(EN, 0.05), "+5.0%");
    assert_eq!(change(IT, 0.05), "+5,0%");
    assert_eq!(change(IT, -0.2), "\u{2212}20,0%");
    assert_eq!(change(EN, 0.0), "0.0%");
    assert_eq!(change(IT, 0.00001), "0,0%");
}

#[test]
fn dates_read_in_each_language() {
    let d = Date::from_ymd(2025, 6, 30).unwrap();
    assert_eq!(long_date(EN, d), "30 June 2025");
    assert_eq!(long_date(IT, d), "30 giugno 2025");
    assert_eq!(month_year(IT, d.month_index()), "giugno 2025");
    assert_eq!(short_month(EN, d.month_index()), "Jun 25");
    assert_eq!(short_month(IT, d.month_index()), "giu 25");
}

#[test]
fn days_are_counted_in_words() {
    assert_eq!(days(EN, 1.0), "1 day");
    assert_eq!(days(EN, 1234.0), "1,234 days");
    assert_eq!(days(IT, 1.0), "1 giorno");
    assert_eq!(days(IT, 30.0), "30 giorni");
}

#[test]
fn placeholders_are_filled_after_translation() {
    assert_eq!(Locale::It.fill("{n} days", &[("n", &12)]), "12 giorni");
    assert_eq!(Locale::En.fill("{a} of {b}", &[("a", &1), ("b", &"two")]), "1 of two");
    // Braces that are not placeholders stay as written.
    assert_eq!(fill("{x} { y} {}", |_| None), "{x} { y} {}");
    assert_eq!(placeholders("a {n} b {n} {x y} {m_2}"), ["n", "n", "m_2"]);
    // A text without a translation reads in English.
    assert_eq!(Locale::It.text("no such label, surely"), "no such label, surely");
}

#[test]
fn every_translation_keeps_the_placeholders_of_its_english_text() {
    for (english, italian) in catalogue::entries(Locale::It) {
        let mut a = placeholders(&english);
        let mut b = placeholders(&italian);
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "placeholders differ: {english:?} = {italian:?}");
        assert!(!italian.trim().is_empty(), "empty translation of {english:?}");
    }
}

/// Reads a figure back as the data reader does for a file in that locale's
/// dialect: what kamplan prints is what a spreadsheet in that language holds.
fn read_back(locale: Locale, text: &str) -> Amount {
    let text = text.replace(MINUS, "-");
    let (decimal, thousands) = match locale {
        Locale::En => (b'.', b','),
        Locale::It => (b',', b'.'),
    };
    parse_number(&text, decimal, Some(thousands)).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn locales() -> impl Strategy<Value = Locale> {
    prop_oneof![Just(Locale::En), Just(Locale::It)]
}

proptest! {
    #[test]
    fn numbers_read_back_as_the_same_amount(cents in -10_000_000_000_000i64..10_000_000_000_000, locale in locales()) {
        let value = cents as f64 / 100.0;
        let printed = number(locale, value, 2);
        prop_assert_eq!(read_back(locale, &printed), Amount::from_units(cents * 100), "{}", printed);
    }

    #[test]
    fn money_reads_back_with_its_currency(cents in -1_000_000_000_000i64..1_000_000_000_000, locale in locales()) {
        let printed = money_with_currency(locale, cents as f64 / 100.0, 2, "EUR");
        prop_assert_eq!(read_back(locale, &printed), Amount::from_units(cents * 100), "{}", printed);
    }

    #[test]
    fn grouping_puts_a_separator_every_three_digits(whole in 0u64..10_000_000_000_000, locale in locales()) {
        let printed = number(locale, whole as f64, 0);
        let group = if locale == Locale::En { ',' } else { '.' };
        let groups: Vec<&str> = printed.split(group).collect();
        prop_assert!(groups[0].len() <= 3 && !groups[0].is_empty(), "{}", printed);
        prop_assert!(groups[1..].iter().all(|g| g.len() == 3), "{}", printed);
        prop_assert_eq!(printed.replace(group, ""), whole.to_string());
    }

    #[test]
    fn long_dates_name_day_month_and_year(days in 0i32..60_000, locale in locales()) {
        let date = Date::from_days(days);
        let text = long_date(locale, date);
        let parts: Vec<&str> = text.split(' ').collect();
        let (y, m, d) = date.ymd();
        prop_assert_eq!(parts.len(), 3);
        prop_assert_eq!(parts[0].parse::<u32>().ok(), Some(d));
        prop_assert_eq!(parts[1], month_name(locale, m));
        prop_assert_eq!(parts[2].parse::<i32>().ok(), Some(y));
    }
}

#[test]
fn no_text_is_translated_twice() {
    let mut seen = std::collections::HashMap::new();
    for (file, text) in catalogue::ITALIAN {
        let table: toml::Table = toml::from_str(text).unwrap();
        for english in table.keys() {
            if let Some(other) = seen.insert(english.clone(), *file) {
                panic!("{english:?} is translated in both {other} and {file}");
            }
        }
    }
}

#[test]
fn every_label_of_the_built_in_templates_has_an_italian_translation() {
    let mut missing = Vec::new();
    for (name, source) in crate::render::templates::BUILT_IN {
        for (line, _, text) in crate::render::templates::labels(source) {
            if !Locale::It.has(&text) {
                missing.push(format!("templates/{name}:{line}: {text:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "labels without an Italian translation:\n{}", missing.join("\n"));
}

/// The English texts the program passes to `text` and `fill` as literals.
fn literal_texts(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for call in [".text(\"", ".fill(\"", ".fill(\n"] {
        let mut rest = source;
        while let Some(at) = rest.find(call) {
            // Only the language's own methods: `l.text(`, `locale.text(`.
            let receiver: String = rest[..at]
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
                .chars()
                .rev()
                .collect();
            rest = &rest[at + call.len()..];
            if !(receiver == "l" || receiver.ends_with("locale")) {
                continue;
            }
            let body = if call.ends_with('\n') {
                let trimmed = rest.trim_start();
                match trimmed.strip_prefix('"') {
                    Some(body) => body,
                    None => continue,
                }
            } else {
                rest
            };
            if let Some(end) = body.find('"') {
                found.push(body[..end].replace("\\\"", "\""));
            }
        }
    }
    found
}

#[test]
fn every_sentence_the_program_writes_has_an_italian_translation() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("locale/tests.rs") {
            continue;
        }
        let source = std::fs::read_to_string(path).unwrap();
        for text in literal_texts(&source) {
            if !Locale::It.has(&text) {
                missing.push(format!("{}: {text:?}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "texts without an Italian translation:\n{}", missing.join("\n"));
}

#[test]
fn italian_articles_elide_before_numbers_read_with_a_vowel() {
    use super::format::italian_article as art;
    assert_eq!(art("il", "28,0%"), "il 28,0%");
    assert_eq!(art("il", "8,8%"), "l'8,8%");
    assert_eq!(art("il", "89,6%"), "l'89,6%");
    assert_eq!(art("il", "11,1%"), "l'11,1%");
    assert_eq!(art("il", "1,5%"), "l'1,5%");
    assert_eq!(art("il", "10,0%"), "il 10,0%");
    assert_eq!(art("il", "1.000 €"), "il 1.000 €");
    assert_eq!(art("del", "80%"), "dell'80%");
    assert_eq!(art("al", "5%"), "al 5%");
    assert_eq!(art("di", "8%"), "di 8%");
}

#[test]
fn plain_numbers_are_the_same_in_every_language() {
    use crate::locale::format::plain;
    assert_eq!(plain(0.25), "0.25");
    assert_eq!(plain(1.0), "1");
    assert_eq!(plain(-0.0000001), "0");
    assert_eq!(plain(1.0 / 3.0), "0.333333");
    assert_eq!(plain(-12.5), "-12.5");
}

#[test]
fn rule_ids_read_as_words() {
    use crate::locale::format::id_in_words;
    assert_eq!(id_in_words("declining_class_a"), "Declining class A");
    assert_eq!(id_in_words("lost_customer"), "Lost customer");
}
