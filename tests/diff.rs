//! `kamplan diff`: a rule change and a change of analysis date on small
//! projects worked by hand, in text, JSON and CSV.

mod common;

use common::*;
use std::path::Path;

/// An ABC with A bound `a` (B 0.95), a matrix on the class, an alert on
/// large class B customers, and class A as the key accounts.
fn rules(a: &str) -> String {
    format!(
        r#"[classification.abc]
kind = "abc"
metric = "revenue"
method = "cumulative-share"
classes = ["A", "B", "C"]
bounds = [{a}, 0.95, 1.00]

[matrix.tier]
title = "Tier"
[matrix.tier.x]
metric = "abc"
categories = ["A", "B", "C"]
[matrix.tier.y]
metric = "revenue"
breaks = [1000]
labels = ["low", "high"]
[matrix.tier.cells]
high = ["top", "middle", "tail"]
low = ["top", "middle", "tail"]

[segment.top]
title = "Top"
[segment.middle]
title = "Middle"
[segment.tail]
title = "Tail"

[alert.large_b]
severity = "low"
when = 'abc == "B" and revenue >= 1000'
message = "A large class B customer."

[key_accounts]
when = 'abc == "A"'
"#
    )
}

fn write_rules(dir: &Path, a: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("rules.toml"), rules(a)).unwrap();
}

/// Five customers buying the same every month of 2025; over the year C1…C5
/// have 6,000, 2,400, 1,800, 1,200 and 600 (total 12,000), so the customers
/// ahead of them hold 0%, 50%, 70%, 85% and 95%. With the project's A bound
/// 0.80, C1–C3 are A, C4 B, C5 C; with 0.60, C3 (70%) is B.
fn five_customers(dir: &Path) {
    five_customers_in(dir, "");
}

/// The same project with `extra` in kamplan.toml (a language).
fn five_customers_in(dir: &Path, extra: &str) {
    let customers = [("C1", 500), ("C2", 200), ("C3", 150), ("C4", 100), ("C5", 50)];
    let mut sales = String::from("date,invoice_id,customer_id,revenue\n");
    for month in 1..=12 {
        for (id, amount) in customers {
            sales.push_str(&format!("2025-{month:02}-10,I-{id}-{month},{id},{amount}\n"));
        }
    }
    let master =
        "customer_id,name\nC1,Uno Srl\nC2,Due Srl\nC3,Tre Srl\nC4,Quattro Srl\nC5,Cinque Srl\n";
    write_project(
        dir,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        extra,
    );
    write_rules(&dir.join("rules"), "0.80");
}

fn stdout_of(args: &[&str]) -> String {
    let out = kamplan(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "kamplan {args:?} failed:\n{stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// The line of `text` starting (after indentation) with `start`.
fn line<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in\n{text}"))
}

#[test]
fn a_lower_a_bound_moves_one_customer_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    five_customers(&project);
    let other = tmp.path().join("other-rules");
    write_rules(&other, "0.60");
    let (p, o) = (project.to_str().unwrap(), other.to_str().unwrap());
    let csv = tmp.path().join("changes.csv");

    let text = stdout_of(&["diff", p, "--rules", o, "--csv", csv.to_str().unwrap()]);
    assert!(text.contains("5 in both portfolios, 1 with changes"), "{text}");
    // The from × to grid: C3 from A to B, nobody else moves.
    assert_eq!(line(&text, "A  ").split_whitespace().collect::<Vec<_>>(), ["A", "2", "1", "0"]);
    assert_eq!(line(&text, "B  ").split_whitespace().collect::<Vec<_>>(), ["B", "0", "1", "0"]);
    assert!(line(&text, "key accounts").contains("3 → 2"), "{text}");
    assert!(line(&text, "key accounts").contains("€10,200 (85.0%) → €8,400 (70.0%)"), "{text}");
    let abc = text.lines().skip_while(|l| *l != "abc").nth(1).unwrap();
    assert!(
        abc.starts_with("  C3  Tre Srl  A → B  before: revenue 1,800.00, rank 3 of 5"),
        "{abc}"
    );
    assert!(abc.contains("hold 70.00% of the total, below the A bound 80.00%; after:"), "{abc}");
    assert!(abc.ends_with("below the B bound 95.00%, not below the A bound 60.00%"), "{abc}");
    assert!(line(&text, "C3  Tre Srl  top → middle").contains("abc is A; after: abc is B"));
    assert!(line(&text, "C3  Tre Srl  yes → no").contains("`abc == \"A\"` is false"));
    assert!(line(&text, "C3  Tre Srl  no → fired").ends_with("after: A large class B customer"));
    assert_eq!(text.matches("C1 ").count(), 0, "only C3 changes:\n{text}");

    let (header, rows) = csv_records(&csv);
    assert_eq!(header, ["customer_id", "name", "variable", "before", "after", "reason"]);
    let cells: Vec<[&str; 5]> =
        rows.iter().map(|r| [&*r[0], &*r[1], &*r[2], &*r[3], &*r[4]]).collect();
    assert_eq!(
        cells,
        [
            ["C3", "Tre Srl", "abc", "A", "B"],
            ["C3", "Tre Srl", "tier", "top", "middle"],
            ["C3", "Tre Srl", "key_account", "yes", "no"],
            ["C3", "Tre Srl", "alert.large_b", "no", "fired"],
        ]
    );
    assert!(rows[0][5].contains("not below the A bound 60.00%"), "{}", rows[0][5]);

    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["diff", p, "--rules", o, "--format", "json"])).unwrap();
    assert_eq!(json["before"]["rules"], project.join("rules").display().to_string());
    assert_eq!(json["after"]["rules"], o);
    assert_eq!(json["before"]["window"], "2025-01-01 to 2025-12-31 (12 months)");
    assert_eq!((json["compared"].as_u64(), json["changed"].as_u64()), (Some(5), Some(1)));
    let abc = &json["tables"][0];
    assert_eq!((abc["id"].as_str(), abc["kind"].as_str()), (Some("abc"), Some("classification")));
    assert_eq!(abc["customers"], serde_json::json!([[2, 1, 0], [0, 1, 0], [0, 0, 1]]));
    assert_eq!(abc["revenue_after"][0][1], 1800.0);
    assert_eq!(json["tables"][1]["kind"], "matrix");
    let keys = &json["key_accounts"];
    assert_eq!((keys["before"].as_u64(), keys["after"].as_u64()), (Some(3), Some(2)));
    assert_eq!(
        (keys["revenue_before"].as_f64(), keys["revenue_after"].as_f64()),
        (Some(10200.0), Some(8400.0))
    );
    let change = &json["changes"][0];
    assert_eq!(
        (change["customer_id"].as_str(), change["variable"].as_str(), change["kind"].as_str()),
        (Some("C3"), Some("abc"), Some("classification"))
    );
    assert_eq!((change["before"].as_str(), change["after"].as_str()), (Some("A"), Some("B")));
    assert!(change["reason_after"].as_str().unwrap().ends_with("not below the A bound 60.00%"));
}

#[test]
fn the_same_rules_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    five_customers(&project);
    let rules = project.join("rules");
    let text = stdout_of(&["diff", project.to_str().unwrap(), "--rules", rules.to_str().unwrap()]);
    assert!(text.contains("0 with changes"), "{text}");
    assert!(text.contains("no customer moves in abc, tier"), "{text}");
    assert!(text.contains("no customer changes class, segment, key-account status or alerts"));
}

/// P, Q, R buy in March of 2024 and of 2025, the ranking reversed: P 100
/// then 1, Q 10 both years, R 1 then 100. N, not in the master, first buys
/// on 20 March 2025. The project's analysis date is 2025-12-31.
fn two_years(dir: &Path) {
    two_years_in(dir, "");
}

/// The same project with `extra` in its `[project]` table (a language).
fn two_years_in(dir: &Path, extra: &str) {
    let mut sales = String::from("date,invoice_id,customer_id,revenue\n");
    for (id, before, now) in [("P", 100, 1), ("Q", 10, 10), ("R", 1, 100)] {
        sales.push_str(&format!(
            "2024-03-10,I-{id}-1,{id},{before}\n2025-03-10,I-{id}-2,{id},{now}\n"
        ));
    }
    sales.push_str("2025-03-20,I-N-1,N,5\n");
    let master = "customer_id,name\nP,Pi Srl\nQ,Qu Srl\nR,Ro Srl\n";
    let extra = format!("[project]\nas_of = \"2025-12-31\"\n{extra}");
    write_project(
        dir,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        &extra,
    );
}

#[test]
fn an_earlier_date_is_before_and_classes_move_with_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    two_years(&project);
    let p = project.to_str().unwrap();
    // 2024: P 100, Q 10, R 1 (P holds 90%: A; before Q 90%: B; before R 99%: C); 2025 reversed.
    let text = stdout_of(&["diff", p, "--as-of", "2024-12-31"]);
    assert!(line(&text, "before").contains("window 2024-01-01 to 2024-12-31"), "{text}");
    assert!(line(&text, "after").contains("window 2025-01-01 to 2025-12-31"), "{text}");
    let p_line = line(&text, "P  Pi Srl  A → C");
    assert!(p_line.contains("before: revenue 100.00, rank 1 of 3"), "{p_line}");
    // 2025: R 100, Q 10, N 5, P 1 (total 116): the customers ahead of P hold 115/116.
    let after = "after: revenue 1.00, rank 4 of 4; the customers ahead hold 99.14% of the total, below the C bound 100.00%, not below the A bound 80.00%";
    assert!(p_line.contains(after), "{p_line}");
    assert!(
        line(&text, "R  Ro Srl  C → A").contains("after: revenue 100.00, rank 1 of 4"),
        "{text}"
    );
    assert!(!text.contains("Q  Qu Srl  B"), "Q stays B:\n{text}");
    let n = line(&text, "N  ");
    assert!(n.contains("no → yes  before: not in the portfolio at 2024-12-31"), "{n}");

    // The same pair of dates given the other way round, in JSON.
    let json = stdout_of(&[
        "diff",
        p,
        "--as-of",
        "2025-12-31",
        "--against-as-of",
        "2024-12-31",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (json["before"]["as_of"].as_str(), json["after"]["as_of"].as_str()),
        (Some("2024-12-31"), Some("2025-12-31"))
    );
    assert_eq!(
        json["tables"][0]["customers"],
        serde_json::json!([[0, 0, 1], [0, 1, 0], [1, 0, 0]])
    );
}

#[test]
fn a_date_in_the_middle_of_a_month_leaves_out_the_later_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    two_years(&project);
    let p = project.to_str().unwrap();
    let args =
        ["diff", p, "--as-of", "2025-03-15", "--against-as-of", "2025-03-31", "--format", "json"];
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&args)).unwrap();
    assert_eq!(
        (json["before"]["customers"].as_u64(), json["after"]["customers"].as_u64()),
        (Some(3), Some(4))
    );
    let n = json["changes"].as_array().unwrap().iter().find(|c| c["customer_id"] == "N").unwrap();
    assert_eq!(
        (n["variable"].as_str(), n["before"].as_str(), n["after"].as_str()),
        (Some("portfolio"), Some("no"), Some("yes"))
    );
}

#[test]
fn one_comparison_per_run_and_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    five_customers(&project);
    let p = project.to_str().unwrap();
    let rules = project.join("rules");
    let r = rules.to_str().unwrap();
    // Bounds out of order: A 0.99 above B 0.95.
    let broken = tmp.path().join("broken");
    write_rules(&broken, "0.99");
    let cases: [(&[&str], &str); 6] = [
        (&["diff", p], "--rules"),
        (&["diff", p, "--rules", r, "--as-of", "2025-06-30"], "cannot be used with"),
        (&["diff", p, "--against-as-of", "2025-06-30"], "--as-of"),
        (
            &["diff", p, "--as-of", "2025-02-30"],
            "--as-of 2025-02-30: there is no day 30 in February 2025",
        ),
        (&["diff", p, "--rules", "/nonexistent/rules"], "not a folder holding rule files"),
        (&["diff", p, "--rules", broken.to_str().unwrap()], "rules.toml"),
    ];
    for (args, expected) in cases {
        let out = kamplan(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}:\n{stderr}");
        assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in\n{stderr}");
    }
}

const ITALIAN: &str = "[project]\nlocale = \"it\"\n";

/// The rule change of [`a_lower_a_bound_moves_one_customer_and_says_why`] in
/// an Italian project: the report in Italian, its figures as the Italian
/// documents write them; the JSON keys and the CSV's header and values the
/// same as in English, only the reasons in Italian.
#[test]
fn an_italian_project_compares_rules_in_italian() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("progetto");
    five_customers_in(&project, ITALIAN);
    let other = tmp.path().join("altre-regole");
    write_rules(&other, "0.60");
    let (p, o) = (project.to_str().unwrap(), other.to_str().unwrap());
    let csv = tmp.path().join("cambiamenti.csv");

    let text = stdout_of(&["diff", p, "--rules", o, "--csv", csv.to_str().unwrap()]);
    assert_eq!(text.lines().next(), Some("kamplan diff: progetto, confronto tra regole"), "{text}");
    assert!(
        line(&text, "prima ")
            .contains("; finestra dal 2025-01-01 al 2025-12-31 (12 mesi); 5 clienti")
    );
    assert!(line(&text, "clienti ").ends_with("5 in entrambi i portafogli, 1 con cambiamenti"));
    assert!(text.contains("abc (classificazione): 1 cliente su 5 cambia classe"), "{text}");
    assert_eq!(line(&text, "prima \\ dopo").split_whitespace().last(), Some("C"), "{text}");
    assert_eq!(
        line(&text, "clienti chiave"),
        "clienti chiave  3 → 2; fatturato coperto 10.200\u{a0}€ (85,0%) → 8.400\u{a0}€ (70,0%)"
    );
    assert!(text.contains("\ncambiamenti (prima → dopo, con il motivo da ciascun lato)\n"));
    assert_eq!(
        line(&text, "C3  Tre Srl  A → B"),
        "  C3  Tre Srl  A → B  prima: fatturato 1.800,00, posizione 3 su 5; quota sul totale dei \
         clienti che precedono: 70,00%, sotto la soglia 80,00% della classe A; dopo: fatturato \
         1.800,00, posizione 3 su 5; quota sul totale dei clienti che precedono: 70,00%, sotto la \
         soglia 95,00% della classe B, non sotto la soglia 60,00% della classe A"
    );
    assert!(line(&text, "C3  Tre Srl  top → middle").ends_with("prima: abc è A; dopo: abc è B"));
    let key = text.lines().skip_while(|l| *l != "cliente chiave").nth(1).unwrap();
    assert!(key.starts_with("  C3  Tre Srl  sì → no  prima: `abc == \"A\"` è vera"), "{key}");
    let alert = text.lines().skip_while(|l| *l != "segnalazione large_b").nth(1).unwrap();
    assert!(alert.contains("no → scattata  prima: `abc == \"B\" and revenue >= 1000` è falsa"));

    let (header, rows) = csv_records(&csv);
    assert_eq!(header, ["customer_id", "name", "variable", "before", "after", "reason"]);
    let values: Vec<[&str; 3]> = rows.iter().map(|r| [&*r[2], &*r[3], &*r[4]]).collect();
    assert_eq!(
        values,
        [
            ["abc", "A", "B"],
            ["tier", "top", "middle"],
            ["key_account", "yes", "no"],
            ["alert.large_b", "no", "fired"],
        ]
    );
    assert!(
        rows[0][5].starts_with("prima: fatturato 1.800,00, posizione 3 su 5"),
        "{}",
        rows[0][5]
    );

    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["diff", p, "--rules", o, "--format", "json"])).unwrap();
    assert_eq!(json["before"]["window"], "dal 2025-01-01 al 2025-12-31 (12 mesi)");
    let keys = &json["key_accounts"];
    assert_eq!(
        (keys["revenue_before"].as_f64(), keys["share_before"].as_f64()),
        (Some(10200.0), Some(0.85))
    );
    let change = &json["changes"][2];
    assert_eq!(
        (change["variable"].as_str(), change["kind"].as_str(), change["before"].as_str()),
        (Some("key_account"), Some("key_account"), Some("yes"))
    );
    assert!(
        json["changes"][0]["reason_after"]
            .as_str()
            .unwrap()
            .ends_with("non sotto la soglia 60,00% della classe A")
    );
}

/// Two dates in an Italian project: a customer entering the portfolio is
/// said so in Italian, its revenue written the Italian way.
#[test]
fn an_italian_project_compares_dates_in_italian() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("progetto");
    two_years_in(&project, "locale = \"it\"\n");
    let text = stdout_of(&["diff", project.to_str().unwrap(), "--as-of", "2024-12-31"]);
    assert_eq!(text.lines().next(), Some("kamplan diff: progetto, confronto tra date"), "{text}");
    assert!(
        line(&text, "dopo ").contains("regole predefinite; finestra dal 2025-01-01 al 2025-12-31")
    );
    let after = "dopo: fatturato 1,00, posizione 4 su 4; quota sul totale dei clienti che precedono: \
                 99,14%, sotto la soglia 100,00% della classe C, non sotto la soglia 80,00% della classe A";
    assert!(line(&text, "P  Pi Srl  A → C").ends_with(after), "{text}");
    let portfolio = text.lines().skip_while(|l| *l != "nel portafoglio").nth(1).unwrap();
    let words = portfolio.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.starts_with(
            "N no → sì prima: non nel portafoglio al 2024-12-31: nessuna vendita fino a quella \
             data e assente dall'anagrafica; dopo: fatturato 5,00, abc B"
        ),
        "{portfolio}"
    );
}
