use super::*;
use crate::model::Bound;

fn parse(text: &str) -> Result<Rules, Diagnostics> {
    parse_rules(
        &[(PathBuf::from("rules/r.toml"), text.to_string())],
        RulesSource::Folder("rules".into()),
        crate::locale::Locale::En,
    )
}

fn bounds(values: &[&str]) -> Vec<Bound> {
    values.iter().map(|v| Bound::parse(v).unwrap()).collect()
}

#[test]
fn the_defaults_are_the_spec_values() {
    let rules = load_rules(None, crate::locale::Locale::En).unwrap();
    let ids: Vec<&str> = rules.classifications.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["abc", "xyz", "abc_margin"]);
    let ClassRule::Abc(abc) = &rules.classifications[0].rule else { panic!("abc is ABC") };
    assert_eq!(abc.metric.value, "revenue");
    assert_eq!(abc.method, AbcMethod::CumulativeShare(bounds(&["0.8", "0.95", "1"])));
    let ClassRule::Xyz(xyz) = &rules.classifications[1].rule else { panic!("xyz is XYZ") };
    assert_eq!(xyz.method, XyzMethod::Cv(bounds(&["0.5", "1"])));
    assert_eq!(xyz.classes, ["X", "Y", "Z"]);
    assert_eq!(rules.derived[0].name, "net_contribution");
}

#[test]
fn reads_rank_share_and_frequency() {
    let rules = parse(
        "[classification.abc]\nkind = \"abc\"\nmetric = \"margin\"\nmethod = \"rank-share\"\nshares = [0.1, 0.2, 0.7]\n\
         [classification.xyz]\nkind = \"xyz\"\nmethod = \"frequency\"\nbounds = [0.75, 0.4]\n",
    )
    .unwrap();
    let ClassRule::Abc(abc) = &rules.classifications[0].rule else { panic!() };
    assert_eq!(abc.method, AbcMethod::RankShare(bounds(&["0.1", "0.3", "1"])));
    assert_eq!(abc.metric.value, "margin");
    let ClassRule::Xyz(xyz) = &rules.classifications[1].rule else { panic!() };
    assert_eq!(xyz.method, XyzMethod::Frequency(bounds(&["0.75", "0.4"])));
}

#[test]
fn reports_every_problem_with_its_place() {
    let err = parse(
        "[classification.abc]\nkind = \"abc\"\nbounds = [0.95, 0.8, 1.0]\n\
         [classification.xyz]\nkind = \"xyz\"\nbounds = [1.0, 0.5]\n\
         [classification.other]\nkind = \"pareto\"\n",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("r.toml:3:10: bounds must be positive and increasing"), "{text}");
    assert!(text.contains("r.toml:6:10: bounds must be increasing"), "{text}");
    assert!(text.contains("r.toml:8:8: unknown kind \"pareto\""), "{text}");
}

#[test]
fn the_last_bound_must_be_one() {
    let err =
        parse("[classification.abc]\nkind = \"abc\"\nbounds = [0.8, 0.9, 0.95]\n").unwrap_err();
    assert!(err.to_string().contains("must reach 1.0"), "{err}");
}

#[test]
fn matrices_need_consistent_cells_and_known_segments() {
    let text = r#"
[matrix.m]
title = "M"
[matrix.m.x]
metric = "revenue"
breaks = [100]
labels = ["low", "high"]
[matrix.m.y]
metric = "abc"
categories = ["A", "B"]
[matrix.m.cells]
A = ["keep", "grow"]
B = ["keep"]
C = ["keep", "keep"]

[segment.keep]
title = "Keep"
[segment.unused]
title = "Never reached"
"#;
    let err = parse(text).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("row \"B\" has 1 cells; the x axis has 2 bands (low, high)"), "{text}");
    assert!(text.contains("\"C\" is not a band of the y axis"), "{text}");
    // The matrix is rejected, so which segments it reaches is unknown: no cascade of "not reached".
    assert!(!text.contains("not reached"), "{text}");
}

#[test]
fn unknown_and_unreached_segments_are_reported() {
    let text = r#"
[matrix.m]
title = "M"
[matrix.m.x]
metric = "abc"
categories = ["A", "B"]
[matrix.m.y]
metric = "xyz"
categories = ["X"]
[matrix.m.cells]
X = ["keep", "kep"]

[segment.keep]
title = "Keep"
[segment.unused]
title = "Never reached"
"#;
    let text = parse(text).unwrap_err().to_string();
    assert!(
        text.contains("r.toml:11:14: unknown segment \"kep\"; did you mean \"keep\"?"),
        "{text}"
    );
    assert!(text.contains("segment \"unused\" is not reached by any matrix cell"), "{text}");
}

#[test]
fn a_valid_matrix_with_segments_alerts_and_tests() {
    let text = r#"
[matrix.m]
title = "M"
[matrix.m.x]
metric = "potential"
quantiles = [0.5]
labels = ["low", "high"]
[matrix.m.y]
metric = "revenue"
breaks = [1000]
labels = ["low", "high"]
[matrix.m.cells]
high = ["keep", "grow"]
low = ["keep", "grow"]

[segment.keep]
title = "Keep"
actions = ["Call {{ name }}."]
[segment.grow]
title = "Grow"
[segment.grow.treatment]
pricing = "value based"

[alert.negative_margin]
severity = "high"
when = "margin is not none and margin < 0"
message = "Margin is {{ margin | money }}."

[key_accounts]
when = 'm == "grow"'
include = ["C1"]

[[expect]]
customer = "C1"
m = "grow"
"#;
    let rules = parse(text).unwrap();
    let m = &rules.matrices[0];
    assert_eq!(m.cells[1][1].value, "grow");
    assert_eq!(m.y.bands, Bands::Breaks(vec![1000.0]));
    assert_eq!(rules.segment("grow").unwrap().treatment[0].0, "pricing");
    assert_eq!(rules.alerts[0].severity, Severity::High);
    assert_eq!(rules.key_accounts.include, ["C1"]);
    assert_eq!(rules.expectations[0].expected[0].1, "grow");
}

#[test]
fn ids_are_defined_once_across_files() {
    let files = vec![
        (PathBuf::from("rules/a.toml"), "[classification.abc]\nkind = \"abc\"\n".to_string()),
        (PathBuf::from("rules/b.toml"), "[classification.abc]\nkind = \"abc\"\n".to_string()),
    ];
    let err = parse_rules(&files, RulesSource::Folder("rules".into()), crate::locale::Locale::En)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("rules/b.toml:1:1: [classification.abc] is already defined in rules/a.toml"),
        "{err}"
    );
}

fn parse_in(locale: crate::locale::Locale, text: &str) -> Result<Rules, Diagnostics> {
    parse_rules(
        &[(PathBuf::from("rules/r.toml"), text.to_string())],
        RulesSource::Folder("rules".into()),
        locale,
    )
}

const BILINGUAL: &str = r#"
[matrix.m]
title.en = "Value × potential"
title.it = "Valore × potenziale"
[matrix.m.x]
metric = "potential"
breaks = [1000]
labels.en = ["low", "high"]
labels.it = ["basso", "alto"]
[matrix.m.y]
metric = "revenue"
breaks = [500]
labels = { en = ["small", "large"], it = ["piccolo", "grande"] }
[matrix.m.cells]
small = ["a", "a"]
large = ["a", "b"]

[segment.a]
title = { en = "Others", it = "Altri" }
actions.en = ["Call once a year."]
actions.it = ["Chiamare una volta l'anno."]

[segment.b]
title = "Stars"
description.en = "The best."
"#;

#[test]
fn texts_are_taken_in_the_rules_language_and_cells_keep_the_english_labels() {
    let rules = parse_in(crate::locale::Locale::It, BILINGUAL).unwrap();
    let m = &rules.matrices[0];
    assert_eq!(m.title, "Valore × potenziale");
    assert_eq!(m.x.labels, ["basso", "alto"]);
    assert_eq!(m.x.keys, ["low", "high"]);
    assert_eq!(m.y.labels, ["piccolo", "grande"]);
    assert_eq!(m.cells[1][1].value, "b", "the cells are named by the English labels");
    let a = rules.segment("a").unwrap();
    assert_eq!(a.title, "Altri");
    assert_eq!(a.actions[0].value, "Chiamare una volta l'anno.");
    // Segment b has no Italian title nor description: shown as written, and reported.
    let b = rules.segment("b").unwrap();
    assert_eq!((b.title.as_str(), b.description.value.as_str()), ("Stars", "The best."));
    let missing: Vec<String> = rules.missing_translations.iter().map(|i| i.to_string()).collect();
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(
        missing[0].starts_with("rules/r.toml:24:9: no Italian version of this text"),
        "{missing:?}"
    );
    assert!(missing[1].starts_with("rules/r.toml:25:1:"), "{missing:?}");

    let english = parse_in(crate::locale::Locale::En, BILINGUAL).unwrap();
    assert_eq!(english.matrices[0].x.labels, ["low", "high"]);
    assert_eq!(english.segment("a").unwrap().actions[0].value, "Call once a year.");
    assert!(english.missing_translations.is_empty(), "{:?}", english.missing_translations);
}

#[test]
fn rules_written_in_one_language_are_taken_as_written() {
    let text = r#"
[matrix.m]
title = "Valore"
[matrix.m.x]
metric = "revenue"
breaks = [1000]
labels = ["basso", "alto"]
[matrix.m.y]
metric = "revenue"
breaks = [500]
labels = ["piccolo", "grande"]
[matrix.m.cells]
piccolo = ["a", "a"]
grande = ["a", "a"]
[segment.a]
title = "Clienti marginali"
actions = ["Servire con procedure standard."]
"#;
    let rules = parse_in(crate::locale::Locale::It, text).unwrap();
    assert_eq!(rules.segment("a").unwrap().title, "Clienti marginali");
    assert!(rules.missing_translations.is_empty());
}

#[test]
fn an_unknown_language_or_a_label_count_that_differs_is_an_error_at_its_place() {
    let text = "[segment.a]\ntitle = { en = \"Others\", de = \"Andere\" }\n";
    let err = parse_in(crate::locale::Locale::It, text).unwrap_err().to_string();
    assert!(
        err.contains("r.toml:2:9: unknown language \"de\" in a text; the languages are en, it"),
        "{err}"
    );
    let text = BILINGUAL
        .replace(r#"labels.it = ["basso", "alto"]"#, r#"labels.it = ["basso", "medio", "alto"]"#);
    let err = parse_in(crate::locale::Locale::It, &text).unwrap_err().to_string();
    assert!(err.contains("3 labels for 2 bands"), "{err}");
}

#[test]
fn the_default_rules_are_complete_in_italian() {
    let rules = load_rules(None, crate::locale::Locale::It).unwrap();
    assert!(rules.missing_translations.is_empty(), "{:?}", rules.missing_translations);
    let english = load_rules(None, crate::locale::Locale::En).unwrap();
    assert_eq!(rules.matrices.len(), english.matrices.len());
    for (it, en) in rules.segments.iter().zip(&english.segments) {
        assert_ne!(it.description.value, en.description.value, "segment {}", it.id);
        assert_eq!(it.actions.len(), en.actions.len(), "segment {}", it.id);
    }
}

#[test]
fn a_strategy_table_is_checked_at_its_places() {
    let err = parse(
        "[role]\nkam = \"KAM\"\n[segment.s]\ntitle = \"S\"\nresources = \"grow\"\n[strategy.a]\ntitle = \"A\"\nresources = \"invest\"\nreview = \"weekly\"\nservice_level = \"gold\"\nactions = [{ text = \"x\", owner = \"kam\", due = \"soon\" }]\n[strategy.b]\ntitle = \"B\"\nresources = \"reduce\"\nreview = \"yearly\"\nservice_level = \"basic\"\nactions = []\n",
    )
    .unwrap_err();
    let messages: Vec<String> =
        err.0.iter().map(|i| format!("{}:{}", i.position.map_or(0, |p| p.0), i.message)).collect();
    let has = |line: usize, start: &str| {
        messages.iter().any(|m| m.starts_with(&format!("{line}:{start}")))
    };
    assert!(
        has(
            5,
            "unknown resource direction \"grow\"; expected one of invest, maintain, reduce, withdraw"
        ),
        "{messages:?}"
    );
    assert!(has(9, "unknown review \"weekly\""), "{messages:?}");
    assert!(has(10, "unknown service level \"gold\""), "{messages:?}");
    assert!(has(11, "\"soon\" is not a due time"), "{messages:?}");
    assert!(has(13, "a strategy needs 1 to 12 actions"), "{messages:?}");
}

/// The rules of several files, read for `locale`.
fn parse_files(locale: crate::locale::Locale, files: &[(&str, &str)]) -> Rules {
    let files: Vec<(PathBuf, String)> =
        files.iter().map(|(name, text)| (PathBuf::from(name), text.to_string())).collect();
    parse_rules(&files, RulesSource::Folder("rules".into()), locale).unwrap()
}

/// Segment b of BILINGUAL given its Italian description, so that the only
/// texts without an Italian version are those of the other file.
const TRANSLATED: &str = "description.it = \"I migliori.\"\n";

const ITALIAN_ONLY: &str = r#"language = "it"

[alert.thin]
title = "Margine sottile"
severity = "low"
when = 'margin_pct is not none and margin_pct < 0.1'
message = "Il margine è sottile."
"#;

#[test]
fn a_file_that_declares_its_language_is_taken_as_written_and_said_once() {
    let bilingual = format!(
        "{}{TRANSLATED}",
        BILINGUAL.replace("title = \"Stars\"", "title = { en = \"Stars\", it = \"Stelle\" }")
    );
    let italian = parse_files(
        crate::locale::Locale::It,
        &[("rules/a.toml", &bilingual), ("rules/b.toml", ITALIAN_ONLY)],
    );
    assert_eq!(italian.alerts[0].title, "Margine sottile");
    assert!(italian.missing_translations.is_empty(), "{:?}", italian.missing_translations);

    // Without the declaration each of its two texts would count as English.
    let undeclared = ITALIAN_ONLY.replace("language = \"it\"\n", "");
    let italian = parse_files(
        crate::locale::Locale::It,
        &[("rules/a.toml", &bilingual), ("rules/b.toml", &undeclared)],
    );
    assert_eq!(italian.missing_translations.len(), 2, "{:?}", italian.missing_translations);

    // In English: used as written, and one note for the whole file.
    let english = parse_files(
        crate::locale::Locale::En,
        &[("rules/a.toml", &bilingual), ("rules/b.toml", ITALIAN_ONLY)],
    );
    assert_eq!(english.alerts[0].title, "Margine sottile");
    assert_eq!(english.alerts[0].message.value, "Il margine è sottile.");
    assert!(english.missing_translations.is_empty(), "{:?}", english.missing_translations);
    let notes: Vec<String> = english
        .warnings
        .iter()
        .map(|i| i.to_string())
        .filter(|w| w.contains("Italian only"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("rules/b.toml:1:12: this file is written in Italian only"),
        "{notes:?}"
    );
    assert!(notes[0].contains("its 2 texts as written"), "{notes:?}");
}

#[test]
fn an_unknown_file_language_is_an_error_at_its_place() {
    let err = parse("language = \"de\"\n").unwrap_err().to_string();
    assert!(
        err.contains("r.toml:1:12: unknown language \"de\"; the languages are en, it"),
        "{err}"
    );
}

#[test]
fn an_alert_is_named_by_its_title_in_the_rules_language_or_by_its_id_in_words() {
    let text = r#"
[alert.thin_margin]
title.en = "Thin margin"
title.it = "Margine sottile"
severity = "low"
when = 'margin_pct is not none and margin_pct < 0.1'
message = { en = "Thin.", it = "Sottile." }

[alert.margine_basso_a]
severity = "low"
when = 'margin_pct is not none and margin_pct < 0.05'
message = { en = "Low.", it = "Basso." }
"#;
    let italian = parse_in(crate::locale::Locale::It, text).unwrap();
    let titles: Vec<&str> = italian.alerts.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Margine sottile", "Margine basso A"]);
    let english = parse_in(crate::locale::Locale::En, text).unwrap();
    assert_eq!(english.alerts[0].title, "Thin margin");
    // The title is a text like any other: an Italian project is told of a missing version.
    let text = text.replace("title.it = \"Margine sottile\"\n", "");
    let italian = parse_in(crate::locale::Locale::It, &text).unwrap();
    assert_eq!(italian.alerts[0].title, "Thin margin");
    assert_eq!(italian.missing_translations.len(), 1, "{:?}", italian.missing_translations);
}

#[test]
fn every_default_alert_has_a_title_in_both_languages() {
    let (_, file) = DEFAULT_RULES.iter().find(|(name, _)| *name == "alerts.toml").unwrap();
    let file: toml::Table = toml::from_str(file).unwrap();
    for (id, alert) in file["alert"].as_table().unwrap() {
        let title = alert.get("title").and_then(toml::Value::as_table);
        for code in ["en", "it"] {
            assert!(title.is_some_and(|t| t.contains_key(code)), "alert {id} has no {code} title");
        }
    }
}
