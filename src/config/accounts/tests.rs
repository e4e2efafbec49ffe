use super::*;

fn parse(text: &str) -> (AccountBook, Vec<String>) {
    let (book, issues) =
        parse_accounts(&[(PathBuf::from("accounts/C0001.toml"), text.to_string())]);
    (book, issues.iter().map(ToString::to_string).collect())
}

const FULL: &str = r#"
[account]
potential = 120000
cost_to_serve = 8000.50
relationship_stage = "Mid-KAM"
key_client_type = "mainstay"
lost_reason = "  "
notes = "Met the new CFO in March."

[survey]
satisfaction = 4.5
loyalty = 80

[contract]
expiry = 2025-12-31
terms = "Framework agreement"

[[dmu]]
name = "Anna Rossi"
role = "Purchasing manager"
influence = "high"
attitude = "supporter"

[[dmu]]
name = "Luca Bianchi"
role = "Plant manager"

[[competitor]]
name = "Fixit SpA"
share = 0.3
price_position = "lower"

[[history]]
date = "2025-03-14"
kind = "proposal"
subject = "Safety equipment"
outcome = "lost"
reason = "Price"
value = 48000

[[history]]
date = 2024-11-02
kind = "delivery"
subject = "First anchors order"

[swot]
strengths = ["Technical support praised by the plant", ""]

[[objective]]
objective = "Sole supplier of fixings"
due = 2026-12-31
"#;

#[test]
fn a_full_file_is_read_with_its_values() {
    let (book, issues) = parse(FULL);
    assert!(issues.is_empty(), "{issues:?}");
    let file = book.get("C0001").expect("named after the file");
    let o = &file.overrides;
    assert_eq!(o.potential, Some(Amount::from_int(120_000)));
    assert_eq!(o.cost_to_serve, Amount::from_f64_rounded(8000.5));
    assert_eq!(o.relationship_stage, Some("mid-KAM"), "case-insensitive, canonical spelling");
    assert_eq!(o.key_client_type.as_deref(), Some("mainstay"));
    assert_eq!(o.satisfaction.map(|a| a.to_f64()), Some(4.5));
    assert_eq!(o.contract_expiry, Date::from_ymd(2025, 12, 31));
    assert_eq!(file.lost_reason, None, "blank text is no text");
    assert_eq!(file.dmu.len(), 2);
    assert_eq!(file.dmu[1].influence, None);
    assert_eq!(file.competitors[0].share, Some(0.3));
    // History is kept in date order whatever order it is written in.
    assert_eq!(file.history[0].subject, "First anchors order");
    assert_eq!(file.history[1].value, Some(Amount::from_int(48_000)));
    assert_eq!(file.swot.strengths, vec!["Technical support praised by the plant"]);
    assert_eq!(file.objectives[0].due, Date::from_ymd(2026, 12, 31));
}

#[test]
fn every_problem_is_reported_at_its_place() {
    let text = "[account]\nrelationship_stage = \"mid KAM\"\n\n[survey]\nsatisfaction = 7\n\n[[dmu]]\nname = \"A\"\n\n[[dmu]]\nname = \"B\"\nattitude = \"hostile\"\nrole_ = \"x\"\n\n[[competitor]]\nname = \"C\"\nshare = 30\n\n[[history]]\ndate = \"2025-02-30\"\nkind = \"proposal\"\nsubject = \"x\"\n";
    let (book, issues) = parse(text);
    assert!(book.is_empty(), "a file with problems is not used");
    let expected = [
        "accounts/C0001.toml:2:22: \"mid KAM\" is not one of pre-KAM, early-KAM, mid-KAM, partnership-KAM, synergistic-KAM; did you mean \"mid-KAM\"?",
        "accounts/C0001.toml:5:16: satisfaction 7 is outside 1–5",
        "accounts/C0001.toml:12:12: \"hostile\" is not one of champion, supporter, neutral, sceptic, opponent",
        "accounts/C0001.toml:13:1: unknown key \"role_\" in [dmu.1]; did you mean \"role\"?",
        "accounts/C0001.toml:17:9: share 30 is not a fraction between 0 and 1 (write 0.3 for 30%)",
    ];
    for e in expected {
        assert!(issues.iter().any(|i| i == e), "missing {e}\nin {issues:#?}");
    }
    assert!(issues.iter().any(|i| i.starts_with("accounts/C0001.toml:20:")), "{issues:#?}");
}

#[test]
fn a_syntax_error_names_the_line() {
    let (_, issues) = parse("[account]\npotential = = 3\n");
    assert_eq!(issues.len(), 1);
    assert!(issues[0].starts_with("accounts/C0001.toml:2:"), "{issues:?}");
}

#[test]
fn two_files_for_one_customer_are_refused() {
    let files = [
        (PathBuf::from("accounts/a.toml"), "[account]\ncustomer_id = \"C1\"\n".to_string()),
        (PathBuf::from("accounts/C1.toml"), String::new()),
    ];
    let (book, issues) = parse_accounts(&files);
    assert_eq!(book.accounts.len(), 1);
    assert_eq!(
        issues[0].to_string(),
        "accounts/C1.toml: customer \"C1\" already has an account file: accounts/a.toml"
    );
}

#[test]
fn files_override_the_master_and_add_missing_customers() {
    let (book, _) = parse(FULL);
    let mut master = Master::default();
    let mut known = Customer {
        id: "C0001".into(),
        potential: Some(Amount::from_int(5)),
        ..Customer::default()
    };
    known.name = Some("Edilnord".into());
    master.customers.insert("C0001".into(), known);
    book.apply_to(&mut master);
    let c = &master.customers["C0001"];
    assert_eq!(c.potential, Some(Amount::from_int(120_000)), "the file wins");
    assert_eq!(c.name.as_deref(), Some("Edilnord"), "what the file leaves out stays");
    let mut empty = Master::default();
    book.apply_to(&mut empty);
    assert_eq!(empty.customers["C0001"].loyalty, Some(Amount::from_int(80)));
    let unknown = book.unknown_customers(|id| id == "C9");
    assert_eq!(unknown.len(), 1);
    assert!(
        unknown[0]
            .to_string()
            .contains("customer \"C0001\" is neither in the customers master nor in the sales")
    );
}

#[test]
fn the_skeleton_is_a_valid_file_that_changes_nothing() {
    let customer = Customer {
        id: "C7".into(),
        name: Some("Rossi \"& Figli\"".into()),
        potential: Some(Amount::from_int(4300)),
        relationship_stage: Some("pre-KAM"),
        ..Customer::default()
    };
    let facts = vec![("Revenue".to_string(), "€12,000".to_string())];
    let text = skeleton("C7", Some(&customer), &facts);
    assert!(text.contains("# potential = 4300"), "{text}");
    assert!(text.contains("# relationship_stage = \"pre-KAM\"   # from the master"), "{text}");
    assert!(text.contains("#   Revenue  €12,000"), "{text}");
    let (book, issues) = parse_accounts(&[(PathBuf::from("accounts/C7.toml"), text)]);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(book.get("C7").unwrap().overrides, Overrides::default());
}

fn parse_in(text: &str, locale: Locale) -> (AccountFile, Vec<String>, Vec<String>) {
    let (book, issues) =
        parse_accounts_in(&[(PathBuf::from("accounts/C0001.toml"), text.to_string())], locale);
    let file = book.get("C0001").cloned().unwrap_or_default();
    let missing = book.missing_translations.iter().map(ToString::to_string).collect();
    (file, issues.iter().map(ToString::to_string).collect(), missing)
}

const BILINGUAL: &str = r#"
[contract]
terms.en = "Framework agreement"
terms.it = "Accordo quadro"

[[dmu]]
name = "Ada"
role = "Buyer"

[swot]
strengths.en = ["Trust"]
strengths.it = ["Fiducia"]

[[objective]]
objective.en = "Renew the agreement"
measure.it = "Accordo firmato"
"#;

#[test]
fn texts_are_chosen_in_the_documents_language() {
    let (it, issues, missing) = parse_in(BILINGUAL, Locale::It);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(it.contract_terms.as_deref(), Some("Accordo quadro"));
    assert_eq!(it.swot.strengths, ["Fiducia"]);
    assert_eq!(it.objectives[0].measure.as_deref(), Some("Accordo firmato"));
    // Written once: in the project's language, no warning.
    assert_eq!(it.dmu[0].role, "Buyer");
    // Only English: shown in English, with a warning at its line.
    assert_eq!(it.objectives[0].objective, "Renew the agreement");
    assert_eq!(
        missing,
        [
            "accounts/C0001.toml:15:1: no Italian version of this text (add `it` = …); the plan shows the English one"
        ]
    );

    let (en, _, missing) = parse_in(BILINGUAL, Locale::En);
    assert_eq!(en.contract_terms.as_deref(), Some("Framework agreement"));
    assert_eq!(en.swot.strengths, ["Trust"]);
    assert_eq!(en.objectives[0].measure.as_deref(), Some("Accordo firmato"));
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].contains(":16:1: no English version") && missing[0].ends_with("the Italian one")
    );
}

#[test]
fn a_declared_language_is_reported_once_and_bad_codes_are_errors() {
    let text = "language = \"en\"\n[account]\nnotes = \"A\"\nlost_reason = \"B\"\n";
    let (file, issues, missing) = parse_in(text, Locale::It);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(file.notes.as_deref(), Some("A"));
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains(":1:12: this file is written in English"), "{missing:?}");
    assert!(parse_in(text, Locale::En).2.is_empty());

    let (_, issues, _) = parse_in("language = \"de\"\n[contract]\nterms.fr = \"x\"\n", Locale::It);
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert!(issues[0].contains(":1:12: unknown language \"de\""), "{issues:?}");
    assert!(issues[1].contains(":3:1: unknown language \"fr\" in a text"), "{issues:?}");
}
