//! The documentation's examples, run: every message docs/troubleshooting.md
//! quotes is what kamplan prints for the broken input it describes (and each
//! documented fix makes it go away), every rule file of the cookbook in
//! docs/rules.md checks clean, every command and option that
//! docs/guide.md and docs/troubleshooting.md name exists, and docs/metrics.md
//! states every column of `portfolio.csv` and every base variable, with a
//! section for each place in the code that points at it.
//!
//! In docs/troubleshooting.md a message is a fenced block whose info string
//! carries an id and the exit code, such as ```` ```text id=bad-date exit=2 ````.
//! Its first line is the command (`$ kamplan …`), run in a temporary folder
//! holding the broken project `my-project` that [`setup`] makes for that id;
//! the other lines must appear in the command's output (standard output, then
//! standard error), in order. A line `…` stands for any number of lines, and
//! `…` inside a line for any text. A block with `fix=ID` is the documented
//! fix: either commands (`$ kamplan …` lines, each must succeed) or the new
//! text of a file of the project (`file=PATH`), after which the problem's
//! command must succeed; either way the problem's message must be gone.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A fenced code block of a markdown file.
#[derive(Debug)]
struct Block {
    /// The first word of the info string, such as `text` or `toml`.
    lang: String,
    /// The `key=value` words of the info string.
    attrs: BTreeMap<String, String>,
    text: String,
    /// Line of the opening fence, for messages.
    line: usize,
}

/// The fenced blocks of a markdown file whose fences start a line.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                let mut words = info.split_whitespace();
                let lang = words.next().unwrap_or_default().to_string();
                let attrs = words
                    .filter_map(|w| w.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                open = Some(Block { lang, attrs, text: String::new(), line: i + 1 });
            }
            (Some(_), Some("")) => found.push(open.take().unwrap()),
            (Some(block), _) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    found
}

/// The words of a command line, with double quotes grouping.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
            word.get_or_insert_with(String::new);
        } else if c.is_whitespace() && !quoted {
            words.extend(word.take());
        } else {
            word.get_or_insert_with(String::new).push(c);
        }
    }
    words.extend(word);
    words
}

/// Runs a documented `kamplan …` command line in `cwd`: its exit code and
/// output, standard output first.
fn run(cwd: &Path, line: &str) -> (Option<i32>, String) {
    let words = words(line);
    assert_eq!(words.first().map(String::as_str), Some("kamplan"), "not a kamplan command: {line}");
    let out = Command::new(env!("CARGO_BIN_EXE_kamplan"))
        .args(&words[1..])
        .current_dir(cwd)
        .output()
        .expect("kamplan runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

/// Whether an output line matches a documented line, where `…` stands for any text.
fn line_matches(expected: &str, actual: &str) -> bool {
    let (expected, actual) = (expected.trim_end(), actual.trim_end());
    let parts: Vec<&str> = expected.split('…').collect();
    if parts.len() == 1 {
        return expected == actual;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !actual.starts_with(first) || actual.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &actual[first.len()..];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Whether the documented excerpt appears in the output: its runs of lines
/// between `…` lines each appear as consecutive lines, in order.
fn excerpt_in(expected: &[&str], output: &str) -> bool {
    let output: Vec<&str> = output.lines().collect();
    let mut from = 0;
    for run in expected.split(|l| l.trim() == "…").filter(|run| !run.is_empty()) {
        let found = (from..output.len().saturating_sub(run.len() - 1))
            .find(|&start| run.iter().zip(&output[start..]).all(|(e, a)| line_matches(e, a)));
        match found {
            Some(start) => from = start + run.len(),
            None => return false,
        }
    }
    true
}

/// A documented message: the command and the lines expected from it.
fn command_and_excerpt(block: &Block) -> (&str, Vec<&str>) {
    let mut lines = block.text.lines();
    let command = lines.next().and_then(|l| l.strip_prefix("$ ")).unwrap_or_else(|| {
        panic!("block at line {}: the first line is not `$ kamplan …`", block.line)
    });
    (command, lines.collect())
}

const SVG_LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#1F4E79\"/></svg>\n";

/// Writes `text` to `DIR/path`, making folders as needed.
fn write(dir: &Path, path: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs a `kamplan …` command line in `cwd`, asserting success (for setting projects up).
fn setup_run(cwd: &Path, line: &str) {
    let (code, output) = run(cwd, line);
    assert_eq!(code, Some(0), "{line}: {output}");
}

/// Replaces the first `from` in a file of the project with `to`.
fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let path = dir.join(path);
    let text = common::read(&path);
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

const SALES_TOML: &str = "[sales]\npath = \"sales.csv\"\n";

/// A small project made with `kamplan init`: the default rules in rules/,
/// two customers in the master and a month of their sales.
fn init_project(cwd: &Path, dir: &Path) {
    setup_run(cwd, "kamplan init my-project");
    write(dir, "customers.csv", "customer_id,name\nC1,Rossi S.p.A.\nC2,Bianchi S.r.l.\n");
    write(
        dir,
        "sales/2025-03.csv",
        "date,customer_id,revenue\n2025-03-03,C1,1200.00\n2025-03-10,C2,800.00\n2025-03-17,C1,400.00\n",
    );
}

/// The ids of the troubleshooting cases, each made by [`setup`].
const CASES: &[&str] = &[
    "missing-column",
    "title-line",
    "two-columns",
    "wrong-delimiter",
    "wrong-encoding",
    "ambiguous-date",
    "unknown-date-format",
    "rejected-dates",
    "decimal-assumed",
    "rejected-lines",
    "all-rejected",
    "fail-on-bad-row",
    "wrong-sheet",
    "float-money",
    "missing-file",
    "no-sales-files",
    "not-a-project",
    "master-problems",
    "id-mismatch",
    "account-unknown-customer",
    "explain-unknown",
    "toml-typo",
    "csv-typo",
    "rule-typo",
    "broken-account",
    "broken-template",
    "document-failed",
    "after-as-of",
    "no-key-accounts",
    "impossible-date",
    "failing-message",
    "text-too-long",
    "logo-outside",
];

/// Makes the broken project `cwd/my-project` of a troubleshooting case.
fn setup(id: &str, cwd: &Path) {
    let dir = &cwd.join("my-project");
    std::fs::create_dir_all(dir).unwrap();
    match id {
        "missing-column" => {
            write(
                dir,
                "sales.csv",
                "Data;Cliente;Totale riga\n13/03/2025;C1;5,00\n14/03/2025;C2;7,50\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "title-line" => {
            write(
                dir,
                "sales.csv",
                "Sales report March 2025\nData;Cliente;Importo\n13/03/2025;C1;5,00\n14/03/2025;C2;7,50\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "two-columns" => {
            write(
                dir,
                "sales.csv",
                "Data;Cliente;Importo;Importo netto\n13/03/2025;C1;6,10;5,00\n14/03/2025;C2;9,15;7,50\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "wrong-delimiter" => {
            write(
                dir,
                "sales.csv",
                "Data;Cliente;Importo\n13/03/2025;C1;5,00\n14/03/2025;C2;7,50\n",
            );
            write(dir, "kamplan.toml", "[sales]\npath = \"sales.csv\"\ndelimiter = \",\"\n");
        }
        "wrong-encoding" => {
            // Windows-1252: è is the single byte E8.
            let sales = b"Data;Cliente;Prodotto;Importo\n13/03/2025;C1;Caff\xe8 in grani;12,50\n14/03/2025;C2;T\xe8 verde;7,00\n17/03/2025;C2;Zucchero;3,20\n";
            write(dir, "sales.csv", sales);
            write(dir, "kamplan.toml", "[sales]\npath = \"sales.csv\"\nencoding = \"utf-8\"\n");
        }
        "ambiguous-date" => {
            write(
                dir,
                "sales.csv",
                "Data;Cliente;Importo\n03/02/2025;C1;5,00\n04/02/2025;C2;7,50\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "unknown-date-format" => {
            write(dir, "sales.csv", "Data;Cliente;Importo\n13/03/25;C1;5,00\n14/03/25;C2;7,50\n");
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "rejected-dates" => {
            write(
                dir,
                "sales.csv",
                "date,customer_id,revenue\n2025-03-03,C1,120.00\n2025-03-04,C2,80.00\n05/03/2025,C1,40.00\n2025-02-30,C2,10.00\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "decimal-assumed" => {
            write(
                dir,
                "sales.csv",
                "date\tcustomer_id\trevenue\n2025-03-03\tC1\t1,250\n2025-03-04\tC2\t2,500\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "rejected-lines" => {
            write(
                dir,
                "sales.csv",
                "Data;Cliente;Fattura;Importo\n03/03/2025;C1;F1;100,00\n04/03/2025;C2;F2\n05/03/2025;C1;F3;12a\n06/03/2025;;F4;7,00\n31/03/2025;C2;F5;5,00\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "all-rejected" => {
            write(
                dir,
                "sales.csv",
                "date;customer_id;revenue\n2025-01-15;C1;n/a\n2025-01-16;C2;n/a\n",
            );
            write(dir, "kamplan.toml", SALES_TOML);
        }
        "fail-on-bad-row" => {
            write(
                dir,
                "sales.csv",
                "Data;Cliente;Fattura;Importo\n03/03/2025;C1;F1;100,00\n04/03/2025;C2;F2\n31/03/2025;C2;F5;5,00\n",
            );
            write(dir, "kamplan.toml", "[sales]\npath = \"sales.csv\"\non_bad_row = \"fail\"\n");
        }
        "wrong-sheet" => {
            let mut workbook = rust_xlsxwriter::Workbook::new();
            let sheet = workbook.add_worksheet();
            sheet.set_name("Foglio1").unwrap();
            for (c, h) in ["Data", "Cliente", "Importo"].iter().enumerate() {
                sheet.write_string(0, c as u16, *h).unwrap();
            }
            sheet.write_string(1, 0, "2025-03-13").unwrap();
            sheet.write_string(1, 1, "C1").unwrap();
            sheet.write_number(1, 2, 5.0).unwrap();
            write(dir, "vendite.xlsx", workbook.save_to_buffer().unwrap());
            write(dir, "kamplan.toml", "[sales]\npath = \"vendite.xlsx\"\nsheet = \"Vendite\"\n");
        }
        "float-money" => {
            use common::Values;
            std::fs::create_dir_all(dir.join("sales")).unwrap();
            common::write_parquet(
                &dir.join("sales/2025.parquet"),
                "message lines {
                    optional int32 Data (DATE);
                    optional binary Cliente (STRING);
                    optional double Importo;
                }",
                vec![
                    Values::I32(vec![Some(20_160), Some(20_161)]),
                    Values::Text(vec![Some("C1"), Some("C2")]),
                    Values::F64(vec![Some(5.0), Some(12.1 + 0.2)]),
                ],
            );
            write(dir, "kamplan.toml", "[sales]\npath = \"sales\"\n");
        }
        "missing-file" => {
            write(dir, "sales.csv", "date,customer_id,revenue\n2025-03-13,C1,5.00\n");
            write(
                dir,
                "kamplan.toml",
                "[sales]\npath = \"sales.csv\"\n\n[customers]\npath = \"customers.csv\"\n",
            );
        }
        "no-sales-files" => {
            setup_run(cwd, "kamplan init my-project");
            write(dir, "customers.csv", "customer_id,name\nC1,Rossi S.p.A.\n");
        }
        "not-a-project" => {}
        "master-problems" => {
            write(dir, "sales.csv", "date,customer_id,revenue\n2025-03-13,C1,5.00\n");
            write(
                dir,
                "customers.csv",
                "customer_id,name,potential,satisfaction\nC1,Rossi S.p.A.,12000,4\nC2,Bianchi S.r.l.,n.d.,3\nC3,Verdi S.n.c.,5000,8\nC1,Rossi Spa,12000,4\n",
            );
            write(
                dir,
                "kamplan.toml",
                "[sales]\npath = \"sales.csv\"\n\n[customers]\npath = \"customers.csv\"\n",
            );
        }
        "id-mismatch" => {
            write(
                dir,
                "sales.csv",
                "date,customer_id,revenue\n2025-03-13,1042,100.00\n2025-03-14,1043,50.00\n",
            );
            write(
                dir,
                "customers.csv",
                "customer_id,name\n01042,Rossi S.p.A.\n01043,Bianchi S.r.l.\n",
            );
            write(
                dir,
                "kamplan.toml",
                "[sales]\npath = \"sales.csv\"\n\n[customers]\npath = \"customers.csv\"\n",
            );
        }
        "account-unknown-customer" => {
            init_project(cwd, dir);
            write(dir, "accounts/C0002.toml", "[account]\nnotes = \"Met the buyer in March.\"\n");
        }
        "explain-unknown" => init_project(cwd, dir),
        "toml-typo" => {
            write(dir, "sales.csv", "Data;Cliente;Totale riga\n13/03/2025;C1;5,00\n");
            write(
                dir,
                "kamplan.toml",
                "[project]\nname = \"Rossi 2025\"\n\n[sales]\npath = \"sales.csv\"\ndate_fromat = \"dd/mm/yyyy\"\n\n[sales.columns]\n\"Totale riga\" = \"revenu\"\n",
            );
        }
        "csv-typo" => {
            init_project(cwd, dir);
            edit(dir, "kamplan.toml", "# [output]", "[output]");
            edit(dir, "kamplan.toml", "# csv = \"excel\"", "csv = \"xls\" #");
        }
        "rule-typo" => {
            init_project(cwd, dir);
            edit(
                dir,
                "rules/classification.toml",
                "\"margin - cost_to_serve\"",
                "\"margin - cost_to_serv\"",
            );
        }
        "broken-account" => {
            init_project(cwd, dir);
            write(
                dir,
                "accounts/C1.toml",
                "[account]\nkey_client_type = \"mainstey\"\n\n[survey]\nsatisfaction = 7\n\n[[dmu]]\nname = \"Anna Ferri\"\ninfluense = \"high\"\n",
            );
        }
        "broken-template" => {
            init_project(cwd, dir);
            setup_run(cwd, "kamplan templates eject account_plan.typ my-project");
            edit(dir, "templates/account_plan.typ", "{{ account.title }}]", "{{ account.title }]");
        }
        "document-failed" => {
            init_project(cwd, dir);
            setup_run(cwd, "kamplan templates eject account_plan.typ my-project");
            // A logo per account, and one account without its logo.
            edit(
                dir,
                "templates/account_plan.typ",
                "#import \"/theme.typ\": *\n",
                "#import \"/theme.typ\": *\n#image(\"/logos/{{ account.id }}.svg\", width: 3cm)\n",
            );
            write(dir, "logos/C1.svg", SVG_LOGO);
        }
        "after-as-of" => {
            init_project(cwd, dir);
            edit(dir, "kamplan.toml", "# as_of = \"2025-06-30\"", "as_of = \"2024-12-31\"");
        }
        "no-key-accounts" => {
            init_project(cwd, dir);
            edit(
                dir,
                "rules/key_accounts.toml",
                "when = ",
                "when = 'abc == \"A\" and revenue > 100000'\n# was: when = ",
            );
        }
        "impossible-date" => init_project(cwd, dir),
        "failing-message" => {
            init_project(cwd, dir);
            edit(
                dir,
                "rules/alerts.toml",
                "{{ days_since_last }} days,",
                "{{ (days_since_last / median_gap) | round }} usual intervals,",
            );
        }
        "text-too-long" => {
            init_project(cwd, dir);
            let name = "x".repeat(40_000);
            write(dir, "customers.csv", format!("customer_id,name\nC1,Rossi S.p.A.\nC2,{name}\n"));
        }
        "logo-outside" => {
            init_project(cwd, dir);
            write(cwd, "elsewhere/firm.svg", SVG_LOGO);
            std::fs::create_dir_all(dir.join("brand")).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink("../../elsewhere/firm.svg", dir.join("brand/firm.svg"))
                .unwrap();
            let toml = common::read(&dir.join("kamplan.toml"));
            write(
                dir,
                "kamplan.toml",
                format!("{toml}\n[brand]\nfirm_logo = \"brand/firm.svg\"\n"),
            );
        }
        other => {
            panic!("no setup for the troubleshooting case {other:?}; add one to CASES and setup")
        }
    }
}

#[test]
fn troubleshooting_messages_are_what_kamplan_prints() {
    let doc = common::read(&repo("docs/troubleshooting.md"));
    let all = blocks(&doc);
    let problems: Vec<&Block> = all.iter().filter(|b| b.attrs.contains_key("id")).collect();
    let ids: BTreeSet<&str> = problems.iter().map(|b| b.attrs["id"].as_str()).collect();
    assert_eq!(ids.len(), problems.len(), "each id is documented once");
    let cases: BTreeSet<&str> = problems
        .iter()
        .filter(|b| !b.attrs.contains_key("from"))
        .map(|b| b.attrs["id"].as_str())
        .collect();
    assert_eq!(cases, CASES.iter().copied().collect(), "documented cases and test cases differ");
    for block in all.iter().filter(|b| b.text.starts_with("$ kamplan")) {
        assert!(
            block.attrs.contains_key("id") || block.attrs.contains_key("fix"),
            "the command at line {} is not tested: give its block an id or fix",
            block.line
        );
    }
    let show = std::env::var_os("DOCS_SHOW").is_some();
    let mut failures = Vec::new();
    for block in &problems {
        let id = &block.attrs["id"];
        // A block `from=CASE` shows what the command of CASE writes to a file.
        let (case, command, excerpt) = match block.attrs.get("from") {
            Some(from) => {
                let source = problems
                    .iter()
                    .find(|b| b.attrs["id"] == *from)
                    .unwrap_or_else(|| panic!("{id}: no case {from}"));
                (from, command_and_excerpt(source).0, block.text.lines().collect())
            }
            None => {
                let (command, excerpt) = command_and_excerpt(block);
                (id, command, excerpt)
            }
        };
        let tmp = tempfile::tempdir().unwrap();
        setup(case, tmp.path());
        let (code, output) = run(tmp.path(), command);
        if show {
            eprintln!("=== {id}: exit {code:?}\n$ {command}\n{output}");
        }
        if let Some(expected) = block.attrs.get("file") {
            // The excerpt is a file the command writes.
            let written = common::read(&tmp.path().join(expected));
            if !excerpt_in(&excerpt, &written) {
                failures.push(format!("{id} (line {}): {expected} is\n{written}", block.line));
            }
        } else if !excerpt_in(&excerpt, &output) {
            failures.push(format!("{id} (line {}): `{command}` printed\n{output}", block.line));
        }
        // Every case documents its exit code; a file shown `from` a case may repeat it.
        let exit = block.attrs.get("exit").map(|e| e.parse::<i32>().unwrap());
        assert!(exit.is_some() || block.attrs.contains_key("from"), "{id}: no exit=N");
        if exit.is_some() && code != exit {
            failures.push(format!("{id}: `{command}` exited with {code:?}, documented {exit:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "docs/troubleshooting.md is out of date:\n\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn troubleshooting_fixes_work() {
    let doc = common::read(&repo("docs/troubleshooting.md"));
    let all = blocks(&doc);
    let fixes: Vec<&Block> = all.iter().filter(|b| b.attrs.contains_key("fix")).collect();
    assert!(fixes.len() >= 8, "only {} fixes found", fixes.len());
    let mut failures = Vec::new();
    for fix in fixes {
        let id = &fix.attrs["fix"];
        let problem = all
            .iter()
            .find(|b| b.attrs.get("id") == Some(id))
            .unwrap_or_else(|| panic!("fix at line {} names no documented case", fix.line));
        let (problem_command, excerpt) = command_and_excerpt(problem);
        let tmp = tempfile::tempdir().unwrap();
        setup(id, tmp.path());
        let commands: Vec<&str> = match fix.attrs.get("file") {
            Some(path) => {
                write(&tmp.path().join("my-project"), path, &fix.text);
                vec![problem_command]
            }
            None => fix
                .text
                .lines()
                .map(|l| {
                    l.strip_prefix("$ ").unwrap_or_else(|| {
                        panic!("fix at line {}: {l:?} is not a `$ kamplan` line", fix.line)
                    })
                })
                .collect(),
        };
        for command in commands {
            let (code, output) = run(tmp.path(), command);
            if code != Some(0) {
                failures.push(format!(
                    "fix for {id} (line {}): `{command}` failed:\n{output}",
                    fix.line
                ));
            } else if excerpt_in(&excerpt, &output) {
                failures.push(format!(
                    "fix for {id} (line {}): `{command}` still prints the problem:\n{output}",
                    fix.line
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_excerpt_matcher_can_fail() {
    let output = "a\nsummary 12 of 13 in 0.4 s\nerror: x\nlast\n";
    assert!(excerpt_in(&["summary … of 13 in … s", "error: x"], output));
    assert!(excerpt_in(&["a", "…", "last"], output));
    assert!(
        !excerpt_in(&["a", "error: x"], output),
        "lines without … between them are consecutive"
    );
    assert!(!excerpt_in(&["last", "…", "a"], output), "in order");
    assert!(!excerpt_in(&["summary … of 14 in … s"], output));
    assert_eq!(words(r#"kamplan classify my-project --map "Totale riga=revenue""#).len(), 5);
}

/// The top-level tables a rule file may hold.
const RULE_TABLES: &[&str] = kamplan::config::rules::TABLES;

/// The default rule files with every definition `block` makes removed, so
/// that the block replaces them (as the cookbook's "replace" recipes say).
fn defaults_without(block: &toml::Table) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(repo("rules")).unwrap() {
        let path = entry.unwrap().path();
        let mut rules: toml::Table = common::read(&path).parse().unwrap();
        for (table, value) in block {
            match (table.as_str(), value) {
                ("expect", _) => {}
                ("key_accounts" | "analysis" | "cross_sell", _) => {
                    rules.remove(table);
                }
                (_, toml::Value::Table(ids)) => {
                    if let Some(toml::Value::Table(defined)) = rules.get_mut(table) {
                        for id in ids.keys() {
                            defined.remove(id);
                        }
                    }
                }
                _ => {}
            }
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.push((name, toml::to_string(&rules).unwrap()));
    }
    files
}

#[test]
fn the_cookbook_rule_files_check_clean() {
    let doc = common::read(&repo("docs/rules.md"));
    let start = doc.find("\n## 7. Cookbook").expect("docs/rules.md has its cookbook");
    let cookbook = &doc[start + 1..];
    let end = cookbook[3..].find("\n## ").map_or(cookbook.len(), |e| e + 3);
    let tmp = tempfile::tempdir().unwrap();
    let sample = repo("sample-data");
    let mut checked = 0;
    for block in blocks(&cookbook[..end]).iter().filter(|b| b.lang == "toml") {
        let Ok(rules) = block.text.parse::<toml::Table>() else { continue };
        if !rules.keys().all(|k| RULE_TABLES.contains(&k.as_str())) {
            continue;
        }
        let dir = tmp.path().join(format!("recipe-{}", block.line));
        write(
            &dir,
            "kamplan.toml",
            format!(
                "[sales]\npath = {:?}\n\n[customers]\npath = {:?}\n",
                sample.join("sales"),
                sample.join("customers.csv")
            ),
        );
        for (name, text) in defaults_without(&rules) {
            write(&dir, &format!("rules/{name}"), text);
        }
        write(&dir, "rules/zz_recipe.toml", &block.text);
        let out = common::kamplan(&["check", dir.to_str().unwrap()]);
        let stderr = common::stderr_of(&out);
        // A recipe with rule tests may see them fail (exit 1), as the cookbook shows.
        let allowed = if rules.contains_key("expect") { [0, 1] } else { [0, 0] };
        assert!(
            out.status.code().is_some_and(|c| allowed.contains(&c))
                && stderr.contains("project, rules, templates and data: no problems"),
            "the cookbook's rule file at docs/rules.md line {} does not check clean:\n{}\n{stderr}",
            doc[..=start].matches('\n').count() + block.line,
            block.text
        );
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} cookbook rule files found");
}

/// The commands of `kamplan --help` (or of `kamplan COMMAND --help`) and the
/// options each accepts.
fn commands_and_options(prefix: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let help = |args: &[&str]| {
        let out = common::kamplan(args);
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let mut top = prefix.to_vec();
    top.push("--help");
    let text = help(&top);
    let section = text.split("Commands:\n").nth(1).expect("a Commands section");
    let names: Vec<String> = section
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|n| n != "help")
        .collect();
    let mut found = BTreeMap::new();
    for name in names {
        let mut args = prefix.to_vec();
        args.extend([name.as_str(), "--help"]);
        let text = help(&args);
        let options = text
            .split_whitespace()
            .map(|w| w.trim_end_matches(','))
            .filter(|w| w.starts_with('-') && w.len() > 1 && !w.contains('<'))
            .map(String::from)
            .collect();
        found.insert(name, options);
    }
    found
}

/// `kamplan …` command lines of a markdown file: in code blocks, lines that
/// start with `$ kamplan ` and, in shell blocks (`sh`), with `kamplan `; in
/// the text, inline code that starts with `kamplan `.
fn documented_commands(markdown: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut block: Option<&str> = None;
    for (i, line) in markdown.lines().enumerate() {
        if let Some(info) = line.strip_prefix("```") {
            block = if block.is_some() {
                None
            } else {
                Some(info.split_whitespace().next().unwrap_or(""))
            };
            continue;
        }
        match block {
            Some(lang) => {
                let command = match line.trim_start().strip_prefix("$ ") {
                    Some(command) => Some(command),
                    None if lang == "sh" => Some(line.trim_start()),
                    None => None,
                };
                if let Some(command) = command.filter(|c| c.starts_with("kamplan ")) {
                    found.push((i + 1, command.to_string()));
                }
            }
            None => {
                for (n, span) in line.split('`').enumerate() {
                    if n % 2 == 1 && span.starts_with("kamplan ") {
                        found.push((i + 1, span.to_string()));
                    }
                }
            }
        }
    }
    found
}

/// Problems with one command line: an unknown command, subcommand or option.
fn check_command(
    line: &str,
    commands: &BTreeMap<String, BTreeSet<String>>,
    templates: &BTreeMap<String, BTreeSet<String>>,
) -> Option<String> {
    let line = line.split(" #").next().unwrap();
    let line = line.split(['|', '>', ';']).next().unwrap();
    let line = line.split("&&").next().unwrap();
    let words: Vec<&str> = line.split_whitespace().collect();
    let command = *words.get(1)?;
    if command.starts_with(['<', '[', '-']) || command.contains('…') {
        return None;
    }
    let Some(mut options) = commands.get(command) else {
        return Some(format!("no command `{command}`"));
    };
    let mut rest = &words[2..];
    if command == "templates"
        && let Some(sub) = rest.first().filter(|s| !s.starts_with(['-', '[', '<']))
    {
        match templates.get(*sub) {
            Some(sub_options) => options = sub_options,
            None => return Some(format!("no command `templates {sub}`")),
        }
        rest = &rest[1..];
    }
    for word in rest {
        let option = word.trim_start_matches('[').trim_end_matches(']');
        let option = option.split('=').next().unwrap();
        if option.starts_with('-') && option.len() > 1 && !options.contains(option) {
            return Some(format!("`{command}` has no option `{option}`"));
        }
    }
    None
}

#[test]
fn every_command_the_guides_name_exists() {
    let commands = commands_and_options(&[]);
    let templates = commands_and_options(&["templates"]);
    assert!(commands.contains_key("build") && templates.contains_key("eject"), "{commands:?}");
    // The checker itself must be able to fail.
    assert!(check_command("kamplan buidl my-project", &commands, &templates).is_some());
    assert!(check_command("kamplan build --acount C1", &commands, &templates).is_some());
    assert!(check_command("kamplan templates ejec", &commands, &templates).is_some());
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for doc in ["docs/guide.md", "docs/troubleshooting.md", "docs/metrics.md", "docs/rules.md"] {
        for (line, command) in documented_commands(&common::read(&repo(doc))) {
            if let Some(word) = command.split_whitespace().nth(1) {
                seen.insert(word.to_string());
            }
            if let Some(problem) = check_command(&command, &commands, &templates) {
                problems.push(format!("{doc}:{line}: {problem} in `{command}`"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let undocumented: Vec<&String> = commands.keys().filter(|c| !seen.contains(*c)).collect();
    assert!(undocumented.is_empty(), "docs/guide.md shows no example of {undocumented:?}");
}

#[test]
fn the_guide_lists_exactly_the_headers_kamplan_recognises() {
    use kamplan::model::fields::{CanonicalField, MasterField, SalesField, normalize_header};
    let guide = common::read(&repo("docs/guide.md"));
    let section = guide.split("### Headers kamplan recognises").nth(1).expect("the section");
    let section = section.split("\n### ").next().unwrap();
    let mut listed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let field = cells[1].trim_matches('`').to_string();
        let headers = cells[2].split(", ").map(normalize_header).collect();
        listed.insert(field, headers);
    }
    let mut problems = Vec::new();
    let mut compare = |name: &str, synonyms: &[&str], recognised: &dyn Fn(&str) -> bool| {
        let wanted: BTreeSet<String> = synonyms.iter().map(|s| s.to_string()).collect();
        let shown = listed.get(name).cloned().unwrap_or_default();
        for header in &shown {
            if !recognised(header) {
                problems.push(format!("{name}: the guide lists {header:?}, not recognised"));
            }
        }
        let name = normalize_header(name);
        for missing in wanted.iter().filter(|w| !shown.contains(*w) && **w != name) {
            problems.push(format!("{name}: {missing:?} is recognised but not in the guide"));
        }
    };
    for field in SalesField::ALL {
        compare(field.name(), field.synonyms(), &|h| SalesField::recognise(h) == Some(*field));
    }
    for field in MasterField::ALL.iter().filter(|f| **f != MasterField::CustomerId) {
        compare(field.name(), field.synonyms(), &|h| MasterField::recognise(h) == Some(*field));
    }
    assert!(
        problems.is_empty(),
        "docs/guide.md, Headers kamplan recognises:\n{}",
        problems.join("\n")
    );
}

/// The anchors GitHub gives the headings of a markdown file.
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut found = BTreeSet::new();
    let mut in_block = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
        }
        let Some(heading) = line.strip_prefix('#').filter(|_| !in_block) else { continue };
        let text = heading.trim_start_matches('#').trim();
        let slug: String = text
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .flat_map(char::to_lowercase)
            .collect();
        let n = seen.entry(slug.clone()).or_default();
        found.insert(if *n == 0 { slug.clone() } else { format!("{slug}-{n}") });
        *n += 1;
    }
    found
}

#[test]
fn links_between_the_documents_lead_somewhere() {
    let mut problems = Vec::new();
    for doc in ["docs/guide.md", "docs/troubleshooting.md", "docs/metrics.md", "docs/rules.md"] {
        let text = common::read(&repo(doc));
        for (i, line) in text.lines().enumerate() {
            for link in line.split("](").skip(1).filter_map(|rest| rest.split(')').next()) {
                if link.starts_with("http") {
                    continue;
                }
                let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
                let target = if file.is_empty() { repo(doc) } else { repo("docs").join(file) };
                if !target.exists() {
                    problems.push(format!("{doc}:{}: {link}: no such file", i + 1));
                } else if !anchor.is_empty() && !anchors(&common::read(&target)).contains(anchor) {
                    problems.push(format!("{doc}:{}: {link}: no such heading", i + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The names a markdown file describes: those in backticks in a heading or
/// in the first cell of a table row (`` | `margin`, `margin_pct` | … ``).
fn described_names(markdown: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut in_block = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
        }
        let place = match line {
            _ if in_block => continue,
            l if l.starts_with('#') => l,
            l if l.starts_with('|') => l.split('|').nth(1).unwrap_or_default(),
            _ => continue,
        };
        names.extend(place.split('`').skip(1).step_by(2).map(str::to_string));
    }
    names
}

#[test]
fn the_metrics_document_describes_every_column_and_variable() {
    use kamplan::classify::{base_variables, classify};
    use kamplan::model::records::Master;
    let doc = common::read(&repo("docs/metrics.md"));
    let described = described_names(&doc);
    // The header of the portfolio.csv the default rules make, from an empty portfolio.
    let rules = kamplan::config::rules::load_rules(None, kamplan::locale::Locale::En)
        .expect("the default rules load");
    let as_of = kamplan::model::Date::parse_iso("2025-06-30");
    let period = kamplan::metrics::Period::resolve(as_of, 12, None).expect("a period");
    let master = Master::default();
    let portfolio = classify(&kamplan::ledger::Ledger::default(), &master, &rules, period)
        .expect("the default rules classify an empty portfolio");
    let columns = kamplan::output::table::portfolio_table(&portfolio).columns;
    let mut problems = Vec::new();
    for column in &columns {
        if !described.contains(&column.name) {
            problems.push(format!("the portfolio.csv column `{}`", column.name));
        }
    }
    for name in base_variables(&master).names() {
        if !described.contains(name) {
            problems.push(format!("the base variable `{name}`"));
        }
    }
    assert!(
        columns.len() > 16 && !base_variables(&master).names().is_empty(),
        "the lists to check are empty"
    );
    assert!(
        problems.is_empty(),
        "docs/metrics.md describes (in a heading or a table's first cell) none of:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_code_points_at_sections_of_the_metrics_document() {
    fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let headings = anchors(&common::read(&repo("docs/metrics.md")));
    let mut files = Vec::new();
    sources(&repo("src"), &mut files);
    files.sort();
    let (mut problems, mut pointers) = (Vec::new(), 0);
    for file in &files {
        let text = common::read(file);
        for (i, line) in text.lines().enumerate() {
            for rest in line.split("docs/metrics.md#").skip(1) {
                let anchor: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                pointers += 1;
                if !headings.contains(&anchor) {
                    let shown = file.strip_prefix(repo("")).unwrap_or(file).display();
                    problems.push(format!("{shown}:{}: no heading #{anchor}", i + 1));
                }
            }
        }
    }
    assert!(pointers > 0, "no comment points at docs/metrics.md");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_rules_guide_shows_the_catalogue_of_base_variables() {
    let doc = common::read(&repo("docs/rules.md"));
    let begin = "<!-- variables:begin (kamplan variables --format markdown) -->\n";
    let start = doc.find(begin).expect("the table's start marker") + begin.len();
    let end = start + doc[start..].find("<!-- variables:end -->").expect("the end marker");
    let out = common::kamplan(&["variables", "--format", "markdown"]);
    assert!(out.status.success());
    assert_eq!(
        &doc[start..end],
        String::from_utf8_lossy(&out.stdout),
        "docs/rules.md's table of base variables differs from `kamplan variables --format markdown`"
    );
}
