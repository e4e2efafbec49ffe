//! `kamplan build`: the portfolio report and the account plans as PDFs, read
//! back with `pdftotext` (poppler-utils) the way a user would check them.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A customer name made of characters that are markup in Typst, ending with a
/// literal backslash and `n` (not a line break).
const META_NAME: &str = r"Rossi & Figli #1 *best* $50 @home <b> \n";

/// Runs `kamplan build PROJECT --out OUT EXTRA…`.
fn build(project: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", project.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    kamplan(&args)
}

/// Runs `kamplan build`, asserting exit code 0; returns stderr.
fn build_ok(project: &Path, out: &Path, extra: &[&str]) -> String {
    let output = build(project, out, extra);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(0), "kamplan build {extra:?} failed:\n{stderr}");
    stderr
}

/// The value after `label` on the summary line starting with it (`  key        13 key accounts`).
fn summary_value(stderr: &str, label: &str) -> usize {
    let line = stderr
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{label} ")))
        .unwrap_or_else(|| panic!("no {label:?} line in the summary:\n{stderr}"));
    let value = line.split_whitespace().nth(1).unwrap();
    value.parse().unwrap_or_else(|_| panic!("{value:?} in {line:?} is not a count"))
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// File names in `out/accounts`, sorted; none when the folder is absent.
fn account_files(out: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(out.join("accounts")) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The `error: SUBJECT: …` line of a build's stderr.
/// The one problem reported for the document of `subject`, in short form
/// without the subject: `templates/account_plan.typ:4: syntax error …`.
fn error_line(stderr: &str, subject: &str) -> String {
    let problems = common::problems(stderr);
    let tag = format!(": {subject}: ");
    let mut lines = problems.lines().filter(|l| l.contains(&tag) || l.starts_with(&tag[2..]));
    let line = lines.next().unwrap_or_else(|| panic!("no problem of {subject} in:\n{stderr}"));
    assert!(lines.next().is_none(), "{subject} reported twice:\n{stderr}");
    line.replacen(&tag, ": ", 1)
}

/// A small project: five customers over 24 months (2024–2025), C1 the
/// largest and named `META_NAME`, C5 the smallest.
fn tiny_project(dir: &Path) {
    let customers = [("C1", 1000), ("C2", 300), ("C3", 50), ("C4", 40), ("C5", 30)];
    let mut sales = String::from("date,invoice_id,customer_id,revenue\n");
    for year in [2024, 2025] {
        for month in 1..=12 {
            for (id, amount) in customers {
                sales.push_str(&format!(
                    "{year}-{month:02}-10,INV-{id}-{year}{month:02},{id},{}.50\n",
                    amount + month
                ));
            }
        }
    }
    let master = format!(
        "customer_id,name\nC1,\"{META_NAME}\"\nC2,Beta Srl\nC3,Gamma\nC4,Delta\nC5,Epsilon\n"
    );
    write_project(
        dir,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        "",
    );
}

/// A tiny project in a fresh temporary folder, with `templates/account_plan.typ` when given.
fn tiny_project_with_plan(template: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    tiny_project(&dir);
    if let Some(template) = template {
        std::fs::create_dir_all(dir.join("templates")).unwrap();
        std::fs::write(dir.join("templates/account_plan.typ"), template).unwrap();
    }
    (tmp, dir)
}

/// The 1-based line of `source` holding `needle`, which must be on exactly one line.
fn line_of(source: &str, needle: &str) -> usize {
    let lines: Vec<usize> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{needle:?} must be on exactly one line of the template");
    lines[0]
}

/// The files a build delivers under `dir`: every file but its own
/// bookkeeping (`.kamplan.manifest`), by path relative to `dir`.
fn delivered(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = files_under(dir);
    files.retain(|path, _| !path.file_name().unwrap().to_string_lossy().starts_with('.'));
    files
}

#[test]
fn the_shards_of_a_build_make_between_them_exactly_the_files_of_one_build() {
    let (tmp, project) = sample_project(60, 24, 7);
    let whole = delivered(&{
        let out = tmp.path().join("whole");
        build_ok(&project, &out, &[]);
        out
    });
    let mut union: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    let mut plans_per_shard = Vec::new();
    for k in 1..=3 {
        let out = tmp.path().join(format!("shard-{k}"));
        let shard = format!("{k}/3");
        let stderr = build_ok(&project, &out, &["--shard", &shard]);
        assert!(stderr.contains(&format!("shard      {k} of 3: plans ")), "{stderr}");
        let files = delivered(&out);
        let has = |name: &str| files.contains_key(Path::new(name));
        assert_eq!(has("portfolio.pdf"), k == 1, "the report in part 1 only");
        assert_eq!(has("portfolio.csv"), k == 1, "the tables in part 1 only");
        plans_per_shard.push(files.keys().filter(|f| f.starts_with("accounts")).count());
        for (name, bytes) in files {
            let shown = name.display().to_string();
            assert!(union.insert(name, bytes).is_none(), "{shown} made by two shards");
        }
    }
    assert_eq!(union.keys().collect::<Vec<_>>(), whole.keys().collect::<Vec<_>>());
    for (name, bytes) in &whole {
        assert!(union[name] == *bytes, "{} differs from the one-run build's", name.display());
    }
    let (min, max) = (plans_per_shard.iter().min(), plans_per_shard.iter().max());
    assert!(max.unwrap() - min.unwrap() <= 1, "{plans_per_shard:?}");
}

#[test]
fn a_shard_is_refused_when_it_is_no_part_of_n_or_beside_named_accounts() {
    let (_tmp, project) = tiny_project_with_plan(None);
    for (args, expected) in [
        (vec!["--shard", "4/3"], "expected K/N with 1 ≤ K ≤ N"),
        (vec!["--shard", "0/3"], "expected K/N with 1 ≤ K ≤ N"),
        (vec!["--shard", "1/3", "--account", "C1"], "cannot be used with"),
    ] {
        let out = project.join("out");
        let output = build(&project, &out, &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = stderr_of(&output);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn the_report_lists_the_largest_key_accounts_and_says_where_the_others_are() {
    let (tmp, project) = sample_project(400, 24, 7);
    let classified = tmp.path().join("classified");
    let project_arg = project.to_str().unwrap();
    kamplan_ok(&["classify", project_arg, "--out", classified.to_str().unwrap(), "-q"]);
    let (header, rows) = csv_records(&classified.join("portfolio.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, revenue, key) = (col("customer_id"), col("revenue"), col("key_account"));
    let mut keys: Vec<(f64, &str)> = rows
        .iter()
        .filter(|r| r[key] == "1")
        .map(|r| (r[revenue].parse::<f64>().unwrap(), r[id].as_str()))
        .collect();
    assert!(keys.len() > 50, "the project needs more key accounts than the report lists");
    keys.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));

    let out = kamplan(&["templates", "context", project_arg]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let context: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed: Vec<&str> = context["key_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    let largest: Vec<&str> = keys.iter().take(50).map(|k| k.1).collect();
    assert_eq!(listed, largest, "the 50 largest, largest first");
    assert_eq!(context["key_accounts_more"], keys.len() - 50);
    let rest: f64 = keys[50..].iter().map(|k| k.0).sum();
    let said = context["key_accounts_more_revenue"].as_f64().unwrap();
    assert!((said - rest).abs() < 0.01, "{said} against {rest}");
    assert_eq!(context["key_accounts_sheet"], "Portfolio");
    assert_eq!(context["key_accounts_column"], "key_account");
}

#[test]
fn sample_project_gives_a_portfolio_report_and_a_plan_per_key_account() {
    let (tmp, project) = sample_project(60, 24, 7);
    let out = tmp.path().join("out");
    let stderr = build_ok(&project, &out, &[]);
    assert!(stderr.contains("kamplan build: "), "{stderr}");

    // What the same data classifies into, to check the documents against.
    let classified = tmp.path().join("classified");
    kamplan_ok(&[
        "classify",
        project.to_str().unwrap(),
        "--out",
        classified.to_str().unwrap(),
        "-q",
    ]);
    let (header, rows) = csv_records(&classified.join("portfolio.csv"));
    let col = |name: &str| {
        header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} column"))
    };
    let (id, name, abc, key_account, strategy, alerts) = (
        col("customer_id"),
        col("name"),
        col("abc"),
        col("key_account"),
        col("strategy"),
        col("alerts"),
    );
    // One definition of a key account: the key_account column of portfolio.csv.
    let key: Vec<&Vec<String>> = rows.iter().filter(|r| r[key_account] == "1").collect();
    assert!(
        key.iter().all(|r| !r[alerts].contains("lost_customer")),
        "a lost customer is no key account"
    );
    assert!(key.len() >= 3, "the sample has several key accounts");

    // The summary counts match the table and the files.
    let customers = summary_value(&stderr, "customers");
    assert_eq!(customers, rows.len(), "{stderr}");
    assert_eq!(summary_value(&stderr, "key"), key.len(), "{stderr}");
    assert!(
        stderr.contains(&format!("documents  {} of {} written", key.len() + 1, key.len() + 1)),
        "{stderr}"
    );
    assert!(out.join("rejects.csv").is_file());
    let files = account_files(&out);
    assert_eq!(files.len(), key.len(), "one plan per key account: {files:?}");
    assert!(files.iter().all(|f| f.ends_with(".pdf") && !f.starts_with('.')), "{files:?}");

    // The portfolio report: customer count under its label, the key accounts section.
    let portfolio = out.join("portfolio.pdf");
    let layout = pdf_text(&portfolio, true);
    let lines: Vec<&str> = layout.lines().collect();
    let label = lines
        .iter()
        .position(|l| l.trim_start().starts_with("CUSTOMERS"))
        .expect("a Customers figure");
    let figure = lines[label + 1..].iter().find(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(
        figure.split_whitespace().next(),
        Some(customers.to_string().as_str()),
        "{figure:?}"
    );
    let raw = pdf_text(&portfolio, false);
    assert!(
        raw.lines()
            .any(|l| l.trim().trim_start_matches(|c: char| c.is_ascii_digit()).trim()
                == "Key accounts"),
        "no Key accounts heading in the portfolio report"
    );
    let text = normalise(&raw);
    assert!(text.contains(&format!("{} key accounts, largest first", key.len())), "{text}");
    for r in &key {
        assert!(
            text.contains(&format!("{} {}", r[id], normalise(&r[name]))),
            "{} not listed",
            r[id]
        );
    }

    // Every plan: the account's name, its ABC class, and its one strategy with
    // the first action of its action plan.
    let strategies: toml::Table =
        read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/strategies.toml")).parse().unwrap();
    for r in &key {
        let prefix = format!("{}-", r[id].to_lowercase());
        let file = files
            .iter()
            .find(|f| f.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no plan for {}", r[id]));
        let text = text_of(&out.join("accounts").join(file));
        assert!(text.contains(&normalise(&r[name])), "{file}: no name {:?}", r[name]);
        assert!(text.contains(&format!("Customer {}", r[id])), "{file}");
        assert!(
            text.contains(&format!("ABC by revenue: {}", r[abc])),
            "{file}: no ABC class {}",
            r[abc]
        );
        let entry = &strategies["strategy"][r[strategy].as_str()];
        let title = entry["title"]["en"].as_str().unwrap();
        assert!(text.contains(&normalise(title)), "{file}: no strategy title {title:?}");
        let action = entry["actions"][0]["text"]["en"].as_str().unwrap();
        // The fixed words before any part written for each customer.
        let fixed = action.split("{%").next().unwrap().split("{{").next().unwrap();
        let literal: String = normalise(fixed).chars().take(40).collect();
        assert!(text.contains(&literal), "{file}: no first action {literal:?}");
        assert!(text.contains("Action plan") && text.contains("Why this strategy"), "{file}");
    }
}

#[test]
fn names_with_typst_markup_characters_print_literally_in_safe_file_names() {
    let (tmp, project) = tiny_project_with_plan(None);
    let out = tmp.path().join("out");
    build_ok(&project, &out, &[]);
    let slug = "c1-rossi-figli-1-best-50-home-b-n.pdf";
    let files = account_files(&out);
    assert!(files.contains(&slug.to_string()), "{files:?}");
    for f in &files {
        let stem = f.strip_suffix(".pdf").unwrap_or_else(|| panic!("{f}"));
        assert!(
            !stem.is_empty()
                && stem.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{f}"
        );
    }
    let plan = out.join("accounts").join(slug);
    let text = text_of(&plan);
    assert!(text.contains(META_NAME), "the name is not printed literally:\n{text}");
    assert!(text.contains("Customer C1"), "{text}");
    // The document title (a Typst string, escaped differently) is literal too.
    let bytes = std::fs::read(&plan).unwrap();
    let title = b"Account plan: Rossi &amp; Figli #1 *best* $50 @home &lt;b&gt; \\n<";
    assert!(
        bytes.windows(title.len()).any(|w| w == title),
        "the XMP title is not the literal name"
    );
    assert!(text_of(&out.join("portfolio.pdf")).contains(META_NAME));

    // --account builds any customer, key account or not, under the same file name.
    let only = tmp.path().join("only");
    build_ok(&project, &only, &["--account", "C1", "--account", "C3"]);
    assert!(!only.join("portfolio.pdf").exists(), "no portfolio report with --account");
    assert_eq!(account_files(&only), [slug, "c3-gamma.pdf"]);
    assert!(std::fs::read(only.join("accounts").join(slug)).unwrap() == bytes, "the plan differs");
    assert!(text_of(&only.join("accounts/c3-gamma.pdf")).contains("Customer C3"));
}

#[test]
fn reruns_give_byte_identical_pdfs_whatever_the_worker_count() {
    let (tmp, project) = sample_project(60, 24, 11);
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    build_ok(&project, &a, &["-j", "2", "-q"]);
    build_ok(&project, &b, &["-j", "1", "-q"]);
    let (first, second) = (files_under(&a), files_under(&b));
    assert!(
        first.len() > 3 && first.contains_key(Path::new("portfolio.pdf")),
        "{:?}",
        first.keys()
    );
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(*bytes == second[path], "{} differs between -j 2 and -j 1", path.display());
    }
    // One account alone gives the same file as in the full build.
    let plan = first.keys().find(|p| p.starts_with("accounts")).unwrap();
    let stem = plan.file_name().unwrap().to_str().unwrap();
    let id = stem.split('-').next().unwrap().to_uppercase();
    build_ok(&project, &c, &["--account", &id, "-q"]);
    let alone = files_under(&c);
    assert!(
        alone.get(plan) == Some(&first[plan]),
        "--account {id} did not give {} as the full build",
        plan.display()
    );
}

#[test]
fn pdf_a_2b_declares_its_conformance_in_the_xmp_metadata() {
    let contains =
        |bytes: &[u8], needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    let (tmp, project) = sample_project(60, 24, 5);
    let archive = tmp.path().join("archive");
    build_ok(&project, &archive, &["--pdf-standard", "a-2b", "-q"]);
    let pdfs: Vec<(PathBuf, Vec<u8>)> = files_under(&archive)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert!(pdfs.len() >= 2, "portfolio and plans");
    for (path, bytes) in &pdfs {
        assert!(contains(bytes, "<pdfaid:part>2</pdfaid:part>"), "{}", path.display());
        assert!(
            contains(bytes, "<pdfaid:conformance>B</pdfaid:conformance>"),
            "{}",
            path.display()
        );
    }
    // The same plan as plain PDF has XMP metadata, without a PDF/A claim.
    let (plan, _) = pdfs.iter().find(|(p, _)| p.starts_with("accounts")).unwrap();
    let id = plan.file_name().unwrap().to_str().unwrap().split('-').next().unwrap().to_uppercase();
    let plain = tmp.path().join("plain");
    build_ok(&project, &plain, &["--account", &id, "--pdf-standard", "1.7", "-q"]);
    let bytes = std::fs::read(plain.join(plan)).unwrap();
    assert!(contains(&bytes, "<x:xmpmeta"), "plain PDFs carry XMP metadata too");
    assert!(!contains(&bytes, "pdfaid:part") && !contains(&bytes, "pdfaid:conformance"));
}

#[test]
fn a_template_syntax_error_fails_its_documents_only_and_names_the_line() {
    let template = "= Plan of {{ account.title }}\n\nSome text.\n{{ account.id }\nMore text.\n";
    let (tmp, project) = tiny_project_with_plan(Some(template));
    let out = tmp.path().join("out");
    let output = build(&project, &out, &[]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let key = summary_value(&stderr, "key");
    assert!(key >= 1, "{stderr}");
    assert!(stderr.contains(&format!("documents  1 of {} written", key + 1)), "{stderr}");
    // The same error in every plan is shown once, naming the plans it stopped.
    let whom = match key {
        1 => "C1".to_string(),
        2 => "C1 and C2".to_string(),
        _ => format!("C1 and {} other documents", key - 1),
    };
    let line = error_line(&stderr, &whom);
    assert!(line.contains("templates/account_plan.typ:4: syntax error"), "{line}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error: ")).count(),
        1,
        "one error for all plans:\n{stderr}"
    );
    // The portfolio report is still written; no plan, whole or partial, and no temporary file.
    assert!(out.join("portfolio.pdf").is_file(), "{stderr}");
    assert!(account_files(&out).is_empty(), "{:?}", account_files(&out));
    let leftovers: Vec<PathBuf> =
        files_under(&out).into_keys().filter(|p| p.to_string_lossy().contains(".tmp")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_typst_error_names_the_template_line_it_comes_from() {
    // A copy of the built-in plan with a call to an unknown function before its first heading.
    let built_in = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/account_plan.typ"));
    let mut lines: Vec<&str> = built_in.lines().collect();
    let heading = lines.iter().position(|l| l.starts_with("= ")).expect("a level-1 heading");
    lines.insert(heading, "#undefined-function()");
    let (tmp, project) = tiny_project_with_plan(Some(&lines.join("\n")));
    let output = build(&project, &tmp.path().join("out"), &["--account", "C1"]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let line = error_line(&stderr, "C1");
    let place =
        format!("{}:{}: ", project.join("templates/account_plan.typ").display(), heading + 1);
    assert!(line.contains(&place), "{place} not in {line}");
    assert!(line.contains("undefined-function"), "{line}");
    assert!(account_files(&tmp.path().join("out")).is_empty());

    // Text on two template lines cannot be placed: the message shows the markup line instead.
    let (tmp, project) = tiny_project_with_plan(Some("= Plan\n#nope()\ntext\n#nope()\n"));
    let output = build(&project, &tmp.path().join("out"), &["--account", "C1"]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let line = error_line(&stderr, "C1");
    assert!(line.contains("templates/account_plan.typ: "), "{line}");
    assert!(line.contains("(in the markup account_plan.typ made, line 2: `nope`)"), "{line}");
}

#[test]
fn documents_read_files_inside_the_project_only() {
    let template = "= Reading files\n\
                    {% if account.id == \"C1\" %}\n\
                    #read(\"../outside.txt\")\n\
                    {% elif account.id == \"C2\" %}\n\
                    #read(\"/../outside.txt\")\n\
                    {% elif account.id == \"C3\" %}\n\
                    #read(\"link-to-outside.txt\")\n\
                    {% elif account.id == \"C4\" %}\n\
                    #read(\"linked-folder/outside.txt\")\n\
                    {% else %}\n\
                    Notes: #read(\"notes.txt\")\n\
                    {% endif %}\n";
    let (tmp, project) = tiny_project_with_plan(Some(template));
    std::fs::write(tmp.path().join("outside.txt"), "TOP SECRET outside the project").unwrap();
    std::fs::write(project.join("notes.txt"), "inside notes 12345").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            tmp.path().join("outside.txt"),
            project.join("link-to-outside.txt"),
        )
        .unwrap();
        std::os::unix::fs::symlink(tmp.path(), project.join("linked-folder")).unwrap();
    }
    let out = tmp.path().join("out");
    let accounts = ["C1", "C2", "C3", "C4", "C5"].map(|id| ["--account", id]).concat();
    let output = build(&project, &out, &accounts);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("documents  1 of 5 written"), "{stderr}");
    assert!(!stderr.contains("TOP SECRET"), "{stderr}");
    let place =
        |needle: &str| format!("templates/account_plan.typ:{}: ", line_of(template, needle));
    for (id, needle) in [("C1", "\"../outside.txt\""), ("C2", "\"/../outside.txt\"")] {
        let line = error_line(&stderr, id);
        assert!(line.contains(&place(needle)), "{line}");
        assert!(line.contains("would escape the project root"), "{line}");
    }
    for (id, needle) in [("C3", "link-to-outside"), ("C4", "linked-folder")] {
        let line = error_line(&stderr, id);
        assert!(line.contains(&place(needle)), "{line}");
        #[cfg(unix)]
        assert!(line.contains("access denied"), "{line}");
    }
    // Only C5's plan is written, with the file it read from inside the project.
    assert_eq!(account_files(&out), ["c5-epsilon.pdf"]);
    let text = text_of(&out.join("accounts/c5-epsilon.pdf"));
    assert!(text.contains("Notes: inside notes 12345"), "{text}");
}

#[test]
fn an_unknown_account_stops_the_run_with_exit_code_2() {
    let (tmp, project) = tiny_project_with_plan(None);
    for extra in [&["--account", "NOPE"][..], &["--account", "C1", "--account", "NOPE"]] {
        let out = tmp.path().join("out");
        let output = build(&project, &out, extra);
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {stderr}");
        assert!(
            stderr.contains("error: customer \"NOPE\" is not in the portfolio of ")
                && stderr.contains(", as an id or a name"),
            "{stderr}"
        );
        assert!(!out.exists(), "nothing is written when the run stops");
    }
}

#[test]
fn bare_files_build_without_a_project_folder() {
    let (tmp, project) = tiny_project_with_plan(None);
    let out = tmp.path().join("bare-out");
    // Run from an empty folder, so nothing of the current folder (templates/) is used.
    let cwd = tmp.path().join("elsewhere");
    std::fs::create_dir(&cwd).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kamplan"))
        .current_dir(&cwd)
        .args(["build", "--sales"])
        .arg(project.join("sales.csv"))
        .arg("--customers")
        .arg(project.join("customers.csv"))
        .arg("--out")
        .arg(&out)
        .args(["--account", "C2"])
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(account_files(&out), ["c2-beta-srl.pdf"]);
    let text = text_of(&out.join("accounts/c2-beta-srl.pdf"));
    assert!(text.contains("Beta Srl") && text.contains("Customer C2"), "{text}");
    assert!(out.join("rejects.csv").is_file());
}

/// A syntax error in an included template names the partial and its line,
/// not "template not found".
#[test]
fn a_syntax_error_in_an_included_template_names_the_partial() {
    let (tmp, project) = tiny_project_with_plan(Some("= Plan\n\n{% include \"part.typ\" %}\n"));
    std::fs::write(project.join("templates/part.typ"), "ok\n{{ account.title }\n").unwrap();
    let output = build(&project, &tmp.path().join("out"), &["--account", "C1"]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let line = error_line(&stderr, "C1");
    assert!(
        line.contains("templates/part.typ:2: syntax error"),
        "the partial's error is not shown: {line}"
    );
}

/// File names are decided over every customer in id order: when two
/// customers give the same slug, the second gets `-2` in every run, so
/// `--account` never writes one customer's plan under another's file name.
#[test]
fn file_names_do_not_depend_on_which_accounts_a_run_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    let mut sales = String::from("date,invoice_id,customer_id,revenue\n");
    for month in 1..=12 {
        for (id, amount) in [("A+1", 10), ("A-1", 5000), ("B1", 20), ("B2", 30)] {
            sales.push_str(&format!("2025-{month:02}-10,INV-{id}-{month},{id},{amount}\n"));
        }
    }
    let master = "customer_id,name\nA+1,Same Name\nA-1,Same Name\nB1,Other\nB2,Third\n";
    write_project(
        &project,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        "",
    );
    let full = tmp.path().join("full");
    build_ok(&project, &full, &["-q"]);
    // A+1 sorts first, so it owns the plain slug even though only A-1 is a key account.
    assert_eq!(account_files(&full), ["a-1-same-name-2.pdf"], "A-1 is the only key account");
    assert!(text_of(&full.join("accounts/a-1-same-name-2.pdf")).contains("Customer A-1"));

    let one = tmp.path().join("one");
    build_ok(&project, &one, &["--account", "A+1", "-q"]);
    assert_eq!(account_files(&one), ["a-1-same-name.pdf"]);
    assert!(text_of(&one.join("accounts/a-1-same-name.pdf")).contains("Customer A+1"));

    let both = tmp.path().join("both");
    build_ok(&project, &both, &["--account", "A+1", "--account", "A-1", "-q"]);
    assert_eq!(account_files(&both), ["a-1-same-name-2.pdf", "a-1-same-name.pdf"]);
    assert!(text_of(&both.join("accounts/a-1-same-name-2.pdf")).contains("Customer A-1"));
}

/// Reading outside the project is refused with a hint that fits kamplan
/// (Typst's own hint names a `--root` option kamplan does not have).
#[test]
fn the_sandbox_error_gives_a_hint_that_fits_kamplan() {
    let (tmp, project) = tiny_project_with_plan(Some("#read(\"../outside.txt\")\n"));
    std::fs::write(tmp.path().join("outside.txt"), "outside").unwrap();
    let output = build(&project, &tmp.path().join("out"), &["--account", "C1"]);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let line = error_line(&stderr, "C1");
    assert!(line.contains("would escape the project root"), "{line}");
    assert!(
        !line.contains("--root"),
        "the message suggests an option kamplan does not have: {line}"
    );
}

/// `kamplan check` reports a template's syntax error, with its file and line,
/// before anything is built.
#[test]
fn check_reports_a_broken_template() {
    let template = "= Plan\n{{ account.title }\n";
    let (_tmp, project) = tiny_project_with_plan(Some(template));
    let output = kamplan(&["check", project.to_str().unwrap()]);
    let stderr = common::problems(&stderr_of(&output));
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("templates/account_plan.typ:2: syntax error"), "{stderr}");
}

/// Worked by hand: in 2024 P bought 100, Q 10, R 1 (ABC: P A, Q B, R C);
/// in 2025 the ranking is reversed (R A, Q B, P C). The report's ABC
/// movements name R as moved up and P as moved down, and P's plan shows
/// A in the previous period and C now, with the reason it was A.
/// P, Q and R buy once in 2024 and once in 2025, the ranking reversed (P
/// 100 then 1, Q 10 both years, R 1 then 100): by revenue P moves from A to
/// C, R from C to A, Q stays B. The analysis date is 2025-12-31.
fn reversed_ranking_project(project: &Path) {
    let mut sales = String::from("date,invoice_id,customer_id,revenue\n");
    for (id, before, now) in [("P", 100, 1), ("Q", 10, 10), ("R", 1, 100)] {
        sales.push_str(&format!(
            "2024-03-10,I-{id}-1,{id},{before}\n2025-03-10,I-{id}-2,{id},{now}\n"
        ));
    }
    let master = "customer_id,name\nP,Pi Srl\nQ,Qu Srl\nR,Ro Srl\n";
    let extra = "[project]\nas_of = \"2025-12-31\"\n";
    write_project(
        project,
        "sales.csv",
        sales.as_bytes(),
        Some(("customers.csv", master.as_bytes())),
        extra,
    );
}

#[test]
fn movements_since_the_previous_period_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    reversed_ranking_project(&project);
    let out = tmp.path().join("out");
    build_ok(&project, &out, &["-q"]);
    let report = text_of(&out.join("portfolio.pdf"));
    assert!(report.contains("Movements since the previous period"), "{report}");
    assert!(report.contains("Moved up (1): Ro Srl."), "{report}");
    assert!(report.contains("Moved down (1): Pi Srl."), "{report}");
    build_ok(&project, &out, &["-q", "--account", "P"]);
    let plan = pdf_text(&out.join("accounts/p-pi-srl.pdf"), true);
    let line = plan
        .lines()
        .find(|l| {
            // Not the summary's "ABC by revenue: C" beside an alert that says "before:".
            l.contains("ABC by revenue") && l.contains("before:") && !l.contains("revenue:")
        })
        .unwrap_or_else(|| panic!("no ABC movement line in\n{plan}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "revenue").unwrap();
    assert_eq!(&words[at + 1..at + 3], ["A", "C"], "{line}");

    // `explain` tells the same.
    let out = kamplan(&["explain", "P", project.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let abc = &json["movements"][0];
    assert_eq!(
        (abc["id"].as_str(), abc["before"].as_str(), abc["now"].as_str()),
        (Some("abc"), Some("A"), Some("C"))
    );
}

#[test]
fn the_workbook_of_a_build_shows_migrations_and_movements() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    reversed_ranking_project(&project);
    let out = tmp.path().join("out");
    build_ok(&project, &out, &["-q"]);
    let xlsx = out.join("portfolio.xlsx");
    let names = sheet_names(&xlsx);
    let migrations_at = names.iter().position(|n| n == "Migrations").expect("Migrations");
    assert_eq!(names[0], "Portfolio");
    assert_eq!(
        names[migrations_at - 2..migrations_at + 2],
        ["Alerts", "Data quality", "Migrations", "Movements"]
    );
    // The analysis sheets follow; three customers are too few peers for a
    // cross-sell gap, and the sheet keeps its header.
    let gaps = sheet_rows(&xlsx, "Cross-sell gaps");
    assert_eq!((gaps.len(), gaps[0][0].as_str()), (1, "customer_id"));

    let migrations = sheet_rows(&xlsx, "Migrations");
    assert_eq!(
        migrations[0],
        [
            "classification",
            "kind",
            "from",
            "to",
            "direction",
            "customers",
            "revenue",
            "revenue_prev"
        ]
    );
    let abc: Vec<&[String]> =
        migrations.iter().filter(|r| r[0] == "abc").map(Vec::as_slice).collect();
    assert_eq!(
        abc,
        [
            ["abc", "classification", "A", "C", "down", "1", "1", "100"],
            ["abc", "classification", "B", "B", "same", "1", "10", "10"],
            ["abc", "classification", "C", "A", "up", "1", "100", "1"],
        ]
    );
    assert!(migrations.iter().any(|r| r[1] == "matrix"), "matrices too: {migrations:?}");

    let movements = sheet_rows(&xlsx, "Movements");
    assert_eq!(
        movements[0],
        ["customer_id", "name", "variable", "from", "to", "direction", "revenue", "revenue_prev"]
    );
    let abc: Vec<&[String]> =
        movements.iter().filter(|r| r[2] == "abc").map(Vec::as_slice).collect();
    assert_eq!(
        abc,
        [
            ["P", "Pi Srl", "abc", "A", "C", "down", "1", "100"],
            ["R", "Ro Srl", "abc", "C", "A", "up", "100", "1"],
        ]
    );
    let matrix = movements.iter().find(|r| r[2] == "abc_xyz").expect("abc_xyz moves");
    assert_eq!(matrix[5], "changed", "{matrix:?}");
    assert!(movements.iter().all(|r| r[3] != r[4]), "only customers that moved");

    // classify has no previous window: the portfolio, the matrices and the alerts only.
    let classified = tmp.path().join("classified");
    kamplan_ok(&[
        "classify",
        project.to_str().unwrap(),
        "--out",
        classified.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(sheet_names(&classified.join("portfolio.xlsx")), names[..migrations_at]);
}

/// The bundled sample project (`sample-data`).
fn bundled_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

/// The rows of a sheet, header excluded, whose cells at `at` are `key`.
fn rows_with<'a>(rows: &'a [Vec<String>], at: usize, key: &[&str]) -> Vec<&'a [String]> {
    rows[1..].iter().filter(|r| r[at..at + key.len()] == *key).map(Vec::as_slice).collect()
}

#[test]
fn the_workbook_of_a_build_shows_the_analyses() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_ok(&bundled_sample(), &out, &["-q"]);
    let xlsx = out.join("portfolio.xlsx");
    assert_eq!(
        sheet_names(&xlsx),
        [
            "Portfolio",
            "abc_xyz",
            "revenue_potential",
            "clusters",
            "development_penetration",
            "revenue_quality",
            "importance_attractiveness",
            "kam",
            "loyalty_satisfaction",
            "profitability_relationship",
            "contribution",
            "attractiveness_adaptability",
            "profitability",
            "Alerts",
            "Data quality",
            "Migrations",
            "Movements",
            "Cross-sell gaps",
            "Lost customers",
            "Partial churn",
            "Resource balance",
            "Flagged accounts"
        ]
    );
    let name = "Ferramenta D'Angelo & Figli S.r.l.";

    // C0025 (segment ax) does not buy safety equipment, which 7 of its 10 peers
    // buy for a median of 11,520.22.
    let gaps = sheet_rows(&xlsx, "Cross-sell gaps");
    assert_eq!(
        gaps[0],
        [
            "customer_id",
            "name",
            "peer_group",
            "category",
            "peers_buying",
            "peers",
            "peer_share",
            "potential"
        ]
    );
    assert_eq!(
        rows_with(&gaps, 0, &["C0025"]),
        [
            ["C0025", name, "ax", "Safety equipment", "7", "10", "0.7", "11520.22"],
            ["C0025", name, "ax", "Power tools", "6", "10", "0.6", "9715.71"],
        ]
    );

    // C0047 is the largest loss, with the reason from its account file and
    // the first action of its former segment in the clusters matrix; the
    // purchase model gives it no chance of buying again, so nothing to
    // recover, and it comes after every lost customer with something to recover.
    let mut lost = sheet_rows(&xlsx, "Lost customers");
    assert_eq!(
        lost[0],
        [
            "customer_id",
            "name",
            "last_purchase",
            "days_since_last",
            "revenue_lost",
            "p_alive",
            "recoverable",
            "reason",
            "segment_before",
            "suggested_action"
        ]
    );
    let c0047 = lost.iter().position(|r| r[0] == "C0047").unwrap();
    assert!(lost[c0047][5].parse::<f64>().unwrap() < 1e-6, "{:?}", lost[c0047]);
    lost[c0047][5] = "p_alive".into();
    assert_eq!(
        lost[c0047],
        [
            "C0047",
            "Eisenwaren Richter GmbH",
            "45440", // 28 May 2024 as a spreadsheet date
            "398",
            "136763.17",
            "p_alive",
            "0",
            "Bought by a group with a central supply contract (Hagebau)",
            "Core customer",
            "Call the customer and record the reason it stopped buying."
        ]
    );
    let recoverable: Vec<f64> = lost[1..].iter().map(|r| r[6].parse().unwrap()).collect();
    assert!(recoverable.windows(2).all(|w| w[0] >= w[1]), "{recoverable:?}");
    assert!(recoverable[0] > 0.0);

    let churn = sheet_rows(&xlsx, "Partial churn");
    assert_eq!(
        churn[0],
        ["customer_id", "name", "revenue", "revenue_prev", "categories", "categories_prev"]
    );
    assert!(churn.len() > 1, "the sample has churning customers");

    // Class A holds 80% of the margin of the customers with a cost to serve and
    // 61% of their cost to serve.
    let balance = sheet_rows(&xlsx, "Resource balance");
    assert_eq!(
        balance[0],
        [
            "by",
            "group",
            "customers",
            "revenue",
            "margin",
            "cost_to_serve",
            "net_contribution",
            "share_of_margin",
            "share_of_cost_to_serve"
        ]
    );
    let a = rows_with(&balance, 0, &["abc", "A"]);
    assert_eq!(a.len(), 1, "{balance:?}");
    assert_eq!(a[0][2..7], ["20", "1345937.96", "374639.97", "104508.9", "270131.07"]);
    assert!(rows_with(&balance, 0, &["kam", "strategic"]).len() == 1, "{balance:?}");

    // C0025: a cost to serve of 78,006.50 leaves 5,065 of a margin of 83,071.50.
    let flagged = sheet_rows(&xlsx, "Flagged accounts");
    assert_eq!(
        flagged[0],
        [
            "flag",
            "customer_id",
            "name",
            "revenue",
            "margin",
            "cost_to_serve",
            "net_contribution",
            "share_of_wallet"
        ]
    );
    let over = rows_with(&flagged, 0, &["over-invested"]);
    assert_eq!(over.len(), 1, "{flagged:?}");
    assert_eq!(
        over[0][..7],
        ["over-invested", "C0025", name, "296959.62", "83071.5", "78006.5", "5065"]
    );
    let share: f64 = over[0][7].parse().unwrap();
    assert!((share - 296_959.62 / 907_800.0).abs() < 1e-12, "{share}");
    assert!(flagged[1..].iter().all(|r| r[0] == "over-invested" || r[0] == "under-served"));
}

#[test]
fn build_open_shows_the_report_in_the_systems_viewer() {
    let (tmp, dir) = tiny_project_with_plan(None);
    let (bin, log) = fake_viewer(tmp.path());
    let project = dir.to_str().unwrap();
    let output = kamplan_with_viewer(&["build", project, "--open", "-q"], &bin);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let report = dir.join("out/portfolio.pdf");
    assert!(report.is_file());
    assert_eq!(opened(&log, 1), [report.display().to_string()]);

    // With --account, the plan it built; a build without --open opens nothing.
    let output = kamplan_with_viewer(&["build", project, "--account", "C2", "--open"], &bin);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let plan = dir.join("out/accounts/c2-beta-srl.pdf");
    assert!(plan.is_file(), "{:?}", std::fs::read_dir(dir.join("out/accounts")).unwrap());
    let output = kamplan_with_viewer(&["build", project, "-q"], &bin);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(opened(&log, 2), [report.display().to_string(), plan.display().to_string()]);
}

#[test]
fn a_viewer_that_cannot_start_is_a_warning_and_the_build_succeeds() {
    let (tmp, dir) = tiny_project_with_plan(None);
    // A PATH without xdg-open.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kamplan"))
        .args(["build", dir.to_str().unwrap(), "--open", "-q"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let report = dir.join("out/portfolio.pdf");
    assert!(
        stderr.contains(&format!("warning: could not open {}: xdg-open:", report.display())),
        "{stderr}"
    );
}

/// The pages of a PDF as pdftotext lays them out, running header and footer
/// included.
fn pages_of(pdf: &Path) -> Vec<String> {
    pdf_text(pdf, true).split('\u{c}').map(str::to_string).collect()
}

/// The lines of a page below its running header.
fn body_lines(page: &str) -> Vec<&str> {
    page.lines().skip_while(|l| l.trim().is_empty()).skip(1).collect()
}

/// Pages that open with the repeated header row of a table begun on the page
/// before, and how many lines of rows follow it there.
fn table_continuations(pages: &[String]) -> Vec<(usize, String, usize)> {
    let mut found = Vec::new();
    for (i, pair) in pages.windows(2).enumerate() {
        let body = body_lines(&pair[1]);
        let mut lines = body.iter().skip_while(|l| l.trim().is_empty());
        let Some(first) = lines.next() else { continue };
        let columns = first.split("  ").filter(|c| !c.trim().is_empty()).count();
        let repeated = pair[0].lines().any(|l| l.trim() == first.trim());
        if columns >= 3 && repeated {
            let rows = lines.take_while(|l| !l.trim().is_empty()).count();
            found.push((i + 2, first.trim().to_string(), rows));
        }
    }
    found
}

/// The page holding `needle`, counted from 1.
fn page_with(pages: &[String], needle: &str) -> Option<usize> {
    pages.iter().position(|p| normalise(p).contains(needle)).map(|i| i + 1)
}

#[test]
fn the_sample_documents_keep_tables_headings_and_their_text_together() {
    let (tmp, project) = sample_copy();
    let en = tmp.path().join("en");
    build_ok(&project, &en, &[]);
    let toml =
        read(&project.join("kamplan.toml")).replace("[project]", "[project]\nlocale = \"it\"");
    std::fs::write(project.join("kamplan.toml"), toml).unwrap();
    let it = tmp.path().join("it");
    build_ok(&project, &it, &[]);

    for (out, summary, what_to_do, relationship, terms, gaps, peers) in [
        (
            &en,
            "Executive summary",
            "What to do: one strategy per customer",
            "Relationship stage",
            "Contract terms:",
            "Cross-sell gaps",
            "Share of peers",
        ),
        (
            &it,
            "Sintesi per la direzione",
            "Cosa fare: una strategia per cliente",
            "Fase della relazione",
            "Condizioni contrattuali:",
            "Opportunità di cross-selling",
            "Quota dei comparabili",
        ),
    ] {
        let mut pdfs = vec![out.join("portfolio.pdf")];
        pdfs.extend(account_files(out).iter().map(|f| out.join("accounts").join(f)));
        for pdf in &pdfs {
            let pages = pages_of(pdf);
            let name = pdf.file_name().unwrap().to_string_lossy();
            // Every placeholder of a text is filled: no `{share}` reaches the reader.
            for (page, text) in pages.iter().enumerate() {
                let left = text.split('{').skip(1).find(|rest| {
                    rest.split_once('}').is_some_and(|(name, _)| {
                        !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    })
                });
                assert!(
                    left.is_none(),
                    "{name} p.{}: unfilled placeholder {{{}",
                    page + 1,
                    left.unwrap_or("")
                );
            }
            // A table carried over to a page brings at least four lines of rows.
            for (page, header, rows) in table_continuations(&pages) {
                assert!(rows >= 4, "{name} p.{page}: {rows} lines of rows under {header:?}");
            }
            if let Some(at) = page_with(&pages, terms) {
                assert_eq!(page_with(&pages, relationship), Some(at), "{name}: {terms}");
            }
            if let Some(at) = page_with(&pages, gaps) {
                let table = page_with(&pages, peers);
                assert!(table.is_none() || table == Some(at), "{name}: {gaps} on p.{at}");
            }
        }
        // The first-steps table shares the summary's page.
        let pages = pages_of(&out.join("portfolio.pdf"));
        assert_eq!(page_with(&pages, what_to_do), page_with(&pages, summary), "{}", out.display());
    }
}
