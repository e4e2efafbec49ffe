use super::*;
use crate::model::Bound;

fn parse(text: &str) -> Result<Rules, ConfigError> {
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
