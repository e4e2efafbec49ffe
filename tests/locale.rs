//! The documents in Italian: `build --locale it` writes the portfolio report
//! and the account plans with Italian headings and Italian number and date
//! formats, and the English build keeps its English words.

mod common;

use common::*;
use std::path::Path;

/// Builds the project into `out` with `extra` arguments; returns the text of
/// the portfolio report and of the account plan of C0025 (the sample
/// customer with an account file).
fn build_texts(project: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec!["build", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"];
    args.extend_from_slice(extra);
    kamplan_ok(&args);
    let plan = std::fs::read_dir(out.join("accounts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("c0025-")))
        .expect("an account plan for C0025");
    (text_of(&out.join("portfolio.pdf")), text_of(&plan))
}

/// Whether `text` holds a number whose thousands are grouped by `separator`
/// in at least `groups` groups after the first: `1.345.938` for `.` and 2.
fn has_grouped_number(text: &str, separator: char, groups: usize) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == separator)).any(|token| {
        let token = token.trim_matches(separator);
        let mut parts = token.split(separator);
        let first = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        (1..=3).contains(&first.len())
            && rest.len() >= groups
            && rest.iter().all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
    })
}

/// Whether `text` holds a decimal number written with `mark`: `13,2`.
fn has_decimal(text: &str, mark: char) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == mark && w[2].is_ascii_digit())
}

fn assert_contains_all(what: &str, text: &str, expected: &[&str]) {
    let missing: Vec<&&str> = expected.iter().filter(|e| !text.contains(**e)).collect();
    assert!(missing.is_empty(), "{what} lacks {missing:?}:\n{text}");
}

fn assert_contains_none(what: &str, text: &str, unexpected: &[&str]) {
    let found: Vec<&&str> = unexpected.iter().filter(|e| text.contains(**e)).collect();
    assert!(found.is_empty(), "{what} still has {found:?}:\n{text}");
}

/// Headings and labels of the portfolio report, in English and in Italian.
const PORTFOLIO: &[(&str, &str)] = &[
    ("Customer portfolio analysis", "Analisi del portafoglio clienti"),
    ("Executive summary", "Sintesi per la direzione"),
    ("Key figures", "Cifre chiave"),
    ("Classifications", "Classificazioni"),
    ("Portfolio matrices", "Matrici di portafoglio"),
    ("Largest customers", "Clienti maggiori"),
    ("Movements since the previous period", "Movimenti rispetto al periodo precedente"),
    ("Cross-sell potential", "Potenziale di cross-selling"),
    ("Lost customers and win-back", "Clienti persi e recupero"),
    ("Win-back list", "Lista di recupero"),
    ("Resource balance", "Equilibrio delle risorse"),
    ("Net contribution (EUR)", "Contributo netto (EUR)"),
];

/// Headings, labels and values of the account plan of C0025.
const PLAN: &[(&str, &str)] = &[
    ("At a glance", "In sintesi"),
    ("Where the account stands", "Posizionamento del cliente"),
    ("Audit of hard data", "Analisi dei dati"),
    ("Revenue by month", "Fatturato per mese"),
    ("Relationship stage", "Fase della relazione"),
    ("Product categories", "Categorie di prodotto"),
    ("Cross-sell gaps", "Opportunità di cross-selling"),
    (
        "Diagnosis: the account in each portfolio matrix",
        "Diagnosi: il cliente nelle matrici di portafoglio",
    ),
    ("Objectives and control", "Obiettivi e controllo"),
    ("Strengths", "Punti di forza"),
    ("Decision-making unit", "Centro decisionale"),
    // Values of the account file, which the plan shows in the language.
    ("synergistic KAM", "sinergica"),
    ("lower than ours", "più bassi dei nostri"),
    ("Expected return", "Ritorno atteso"),
];

fn english(pairs: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    pairs.iter().map(|p| p.0).collect()
}

fn italian(pairs: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    pairs.iter().map(|p| p.1).collect()
}

#[test]
fn the_italian_documents_read_in_italian_and_the_english_ones_in_english() {
    let (tmp, project) = sample_copy();

    let (portfolio, plan) = build_texts(&project, &tmp.path().join("it"), &["--locale", "it"]);
    let (it_portfolio, it_plan) = (italian(PORTFOLIO), italian(PLAN));
    assert_contains_all("the Italian portfolio report", &portfolio, &it_portfolio);
    assert_contains_all("the Italian account plan", &plan, &it_plan);
    assert_contains_none("the Italian portfolio report", &portfolio, &english(PORTFOLIO));
    assert_contains_none("the Italian account plan", &plan, &english(PLAN));
    for (what, text) in [("portfolio report", &portfolio), ("account plan", &plan)] {
        assert!(has_grouped_number(text, '.', 1), "no 1.234 in the Italian {what}:\n{text}");
        assert!(has_decimal(text, ','), "no 12,3 in the Italian {what}:\n{text}");
        assert!(text.contains("giugno 2025"), "no Italian date in the {what}:\n{text}");
        assert!(!has_grouped_number(text, ',', 2), "1,234,567 in the Italian {what}:\n{text}");
    }

    let (portfolio, plan) = build_texts(&project, &tmp.path().join("en"), &[]);
    let (en_portfolio, en_plan) = (english(PORTFOLIO), english(PLAN));
    assert_contains_all("the English portfolio report", &portfolio, &en_portfolio);
    assert_contains_all("the English account plan", &plan, &en_plan);
    assert_contains_none("the English portfolio report", &portfolio, &it_portfolio);
    assert_contains_none("the English account plan", &plan, &it_plan);
    for (what, text) in [("portfolio report", &portfolio), ("account plan", &plan)] {
        assert!(has_grouped_number(text, ',', 1), "no 1,234 in the English {what}:\n{text}");
        assert!(text.contains("June 2025"), "no English date in the {what}:\n{text}");
        assert!(!has_grouped_number(text, '.', 2), "1.234.567 in the English {what}:\n{text}");
    }
}

/// English labels the built-in templates and the program print (section
/// headings, table headers, key figures, workbook headers), and English words
/// once left in Italian documents: none of them may appear, as a word, in an
/// Italian build.
const ENGLISH_ONLY: &[&str] = &[
    "Revenue",
    "Strategy",
    "Key figures",
    "Key accounts",
    "Last plan",
    "Alerts",
    "Alert",
    "Owner",
    "Due",
    "Severity",
    "Customers",
    "Segment",
    "Largest customers",
    "Executive summary",
    "Action plan",
    "Treatment profile",
    "Why this strategy",
    "Resources",
    "service level",
    "review",
    "Control measures",
    "Measure",
    "Current",
    "Previous period",
    "This period",
    "Share of wallet",
    "Strengths",
    "Weaknesses",
    "Opportunities",
    "Threats",
    "At a glance",
    "Relationship stage",
    "Key-client type",
    "Key-account role",
    "Cost to serve",
    "Net contribution",
    "Prospect",
    "prospect",
    "buyer",
    "target",
    "Target",
    "pre-KAM",
    "synergistic-KAM",
    "Lost customer",
    "Negative margin",
    "as of",
    "Breakdown",
];

/// Italian wordings once printed and since replaced: a grammar slip, or a
/// second word for a term the documents name one way ("cliente", not
/// "account"; "account manager" for the role; "relazione", not "rapporto").
const REPLACED_ITALIAN: &[&str] = &[
    "piano di account",
    "piani di account",
    "team di account",
    "Responsabile del cliente",
    "Cliente star",
    "account plan",
    "costano da servire",
    "Non ogni",
    "aggiungerle",
    "durata del rapporto",
    "di 4 (1 la più alta)",
];

/// Whether `text` holds `phrase` as whole words.
fn has_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn assert_no_english(what: &str, text: &str) {
    let found: Vec<&&str> = ENGLISH_ONLY.iter().filter(|w| has_phrase(text, w)).collect();
    assert!(found.is_empty(), "{what} has the English {found:?}:\n{text}");
    let replaced: Vec<&&str> = REPLACED_ITALIAN.iter().filter(|w| text.contains(**w)).collect();
    assert!(replaced.is_empty(), "{what} has {replaced:?}:\n{text}");
}

#[test]
fn an_italian_build_prints_no_english_label_in_its_documents_nor_its_workbook() {
    let (tmp, project) = sample_copy();
    let toml =
        read(&project.join("kamplan.toml")).replace("[project]", "[project]\nlocale = \"it\"");
    std::fs::write(project.join("kamplan.toml"), toml).unwrap();
    let out = tmp.path().join("out");
    kamplan_ok(&["build", project.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);

    assert_no_english("the Italian portfolio report", &text_of(&out.join("portfolio.pdf")));
    // The account files of the sample are written in English: their own
    // texts (notes, roles, objectives) are shown as written, so the plans of
    // the accounts without one are read in full.
    let with_file: Vec<String> = std::fs::read_dir(project.join("accounts"))
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().to_lowercase())
        .collect();
    let mut plans = 0;
    for plan in std::fs::read_dir(out.join("accounts")).unwrap().map(|e| e.unwrap().path()) {
        let name = plan.file_name().unwrap().to_string_lossy().into_owned();
        if with_file.iter().any(|id| name.starts_with(&format!("{id}-"))) {
            continue;
        }
        assert_no_english(&format!("the Italian plan {name}"), &text_of(&plan));
        plans += 1;
    }
    assert!(plans > 10, "{plans} plans read");

    let workbook = out.join("portfolio.xlsx");
    let names = sheet_names(&workbook);
    assert!(names.contains(&"Segnalazioni".to_string()), "{names:?}");
    for name in &names {
        assert_no_english("a sheet name of the Italian workbook", name);
        let header = sheet_rows(&workbook, name).into_iter().next().unwrap_or_default();
        // Columns named after a rule (a classification, a matrix) keep its id.
        for id in ["customer_id", "name", "revenue", "severity", "message", "alert"] {
            assert!(!header.iter().any(|h| h == id), "the sheet {name} has the column {id}");
        }
        assert_no_english(&format!("the header of the sheet {name}"), &header.join(" | "));
    }
}

/// English words of the `kamplan diff` report (headings, labels, values and
/// the words around the reasons), on top of [`ENGLISH_ONLY`].
const DIFF_ENGLISH: &[&str] = &[
    "rules compared",
    "dates compared",
    "before",
    "after",
    "only before",
    "only after",
    "default rules",
    "window",
    "months",
    "customers",
    "customer",
    "in both portfolios",
    "with changes",
    "not compared",
    "classification",
    "matrix",
    "change class",
    "change segment",
    "revenue",
    "revenue after",
    "revenue covered",
    "key accounts",
    "key account",
    "no customer moves",
    "changes",
    "with the reason on each side",
    "yes",
    "fired",
    "none",
    "alert",
    "portfolio",
    "rank",
    "of the total",
    "bound",
    "not below",
    "is true",
    "is false",
    "cell",
    "the rules put",
    "not in the portfolio",
    "EUR",
];

/// The text a reader is given in words: the conditions the rules write
/// (between backquotes) and the rule ids (`abc_xyz`, `lost_customer`,
/// segment ids), shown as the rules write them, left out.
fn words_of_report(text: &str) -> String {
    let prose: String =
        text.split('`').enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, s)| s).collect();
    prose
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':')
        .filter(|w| !w.contains('_'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The English words of [`ENGLISH_ONLY`] and [`DIFF_ENGLISH`] in a diff report.
fn english_in_report(text: &str) -> Vec<&'static str> {
    let words = words_of_report(text);
    ENGLISH_ONLY.iter().chain(DIFF_ENGLISH).copied().filter(|w| has_phrase(&words, w)).collect()
}

#[test]
fn an_italian_diff_prints_no_english_label() {
    let (tmp, project) = sample_copy();
    // The default rules with the ABC bounds of the cookbook (70% and 90%).
    let other = tmp.path().join("regole-70-90");
    std::fs::create_dir_all(&other).unwrap();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(&rules).unwrap().map(|e| e.unwrap().path()) {
        let text =
            read(&entry).replacen("bounds = [0.80, 0.95, 1.00]", "bounds = [0.70, 0.90, 1.00]", 1);
        std::fs::write(other.join(entry.file_name().unwrap()), text).unwrap();
    }
    let p = project.to_str().unwrap();
    let forms =
        [["diff", p, "--rules", other.to_str().unwrap()], ["diff", p, "--as-of", "2025-03-31"]];
    // The check finds the English report's words.
    let english = english_in_report(&String::from_utf8(kamplan(&forms[0]).stdout).unwrap());
    for word in ["before", "customers", "key accounts", "not below", "is true", "fired"] {
        assert!(english.contains(&word), "{word:?} not found in the English report");
    }

    let toml =
        read(&project.join("kamplan.toml")).replace("[project]", "[project]\nlocale = \"it\"");
    std::fs::write(project.join("kamplan.toml"), toml).unwrap();
    for args in forms {
        let out = kamplan(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        // Enough of the report to be worth reading: changes of every kind.
        for heading in ["cambiamenti (prima → dopo", "\ncliente chiave\n", "\nsegnalazione "] {
            assert!(text.contains(heading), "{args:?} has no {heading:?}:\n{text}");
        }
        let found = english_in_report(&text);
        assert!(found.is_empty(), "the Italian diff {args:?} has the English {found:?}:\n{text}");
    }
}

#[test]
fn money_reads_one_way_in_each_language() {
    use kamplan::locale::{Locale, format};
    let nb = '\u{a0}';
    let it = |x: f64| format::money_short_with(Locale::It, x, "EUR");
    let en = |x: f64| format::money_short_with(Locale::En, x, "EUR");
    // Italian: the sign always after a no-break space, zero and compact forms too.
    assert_eq!(it(0.0), format!("0{nb}€"));
    assert_eq!(it(9_575.0), format!("9.575{nb}€"));
    assert_eq!(it(468_000.0), format!("468{nb}mila{nb}€"));
    assert_eq!(it(30_900.0), format!("30,9{nb}mila{nb}€"));
    assert_eq!(it(1_670_000.0), format!("1,67{nb}Mln{nb}€"));
    assert_eq!(format::money_with_currency(Locale::It, 0.0, 0, "EUR"), format!("0{nb}€"));
    assert_eq!(format::money_with_currency(Locale::It, -1234.5, 0, "EUR"), format!("−1.235{nb}€"));
    // English: the sign before the figure, no space.
    assert_eq!(en(0.0), "€0");
    assert_eq!(en(468_000.0), "€468k");
    assert_eq!(en(1_670_000.0), "€1.67M");
    assert_eq!(format::money_with_currency(Locale::En, -1234.5, 0, "EUR"), "−€1,235");
    assert_eq!(format::percent(Locale::En, 0.28, 1), "28.0%");
    assert_eq!(format::percent(Locale::It, 0.28, 1), "28,0%");
}

/// The whole-unit amounts written `€12,345` in a line of English text.
fn euros(line: &str) -> Vec<i64> {
    line.split_whitespace()
        .filter_map(|w| w.strip_prefix('€'))
        .filter_map(|w| w.trim_end_matches(['.', ',']).replace(',', "").parse().ok())
        .collect()
}

#[test]
fn the_report_totals_equal_the_sum_of_the_rows_shown() {
    let (_tmp, dir) = sample_copy();
    kamplan_ok(&["build", dir.to_str().unwrap(), "-q"]);
    let text = pdf_text(&dir.join("out/portfolio.pdf"), true);
    let lines: Vec<&str> = text.lines().collect();
    let after = |from: &str| lines.iter().position(|l| l.contains(from)).unwrap();

    // Cross-sell: the paragraph's total and the peer groups' potentials.
    let flat = normalise(&text);
    let said = flat.split("have gaps worth an estimated ").nth(1).unwrap();
    let total = euros(said.split_whitespace().next().unwrap())[0];
    let header = after("Potential (EUR)");
    let rows: i64 = lines[header + 1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().last().unwrap().replace(',', "").parse::<i64>().unwrap())
        .sum();
    assert_eq!(total, rows, "cross-sell total against its rows");

    // Customers buying less: the finding's fall and the table's two columns.
    let finding = lines[after("still buy but buy much less:")];
    let fall = euros(finding)[0];
    let (start, end) = (after("still buy, but less:"), after("Resource balance"));
    let rows: i64 = lines[start..end]
        .iter()
        .filter(|l| l.trim_start().starts_with('C') && l.contains("(was"))
        .map(|l| {
            let amounts = euros(l);
            amounts[1] - amounts[0]
        })
        .sum();
    assert_eq!(fall, rows, "fall of the customers buying less against its rows");
}
