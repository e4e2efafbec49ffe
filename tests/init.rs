//! A new project from `kamplan init`, built at once; templates ejected and
//! edited; shell completions.

mod common;
use common::*;

#[test]
fn a_new_project_with_sample_data_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("rossi-2025");
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init", project, "--with-sample"]);
    let toml = read(&dir.join("kamplan.toml"));
    assert!(toml.contains("name = \"rossi-2025\""), "{toml}");
    assert!(toml.contains("# [engagement]"), "the settings are shown commented:\n{toml}");
    for rule in [
        "alerts.toml",
        "analysis.toml",
        "classification.toml",
        "key_accounts.toml",
        "matrices.toml",
        "segments.toml",
    ] {
        assert!(dir.join("rules").join(rule).is_file(), "rules/{rule} copied");
    }
    assert!(dir.join("accounts/_example.toml").is_file());
    assert!(read(&dir.join("README.md")).starts_with("# rossi-2025"));
    kamplan_ok(&["check", project]);
    kamplan_ok(&["build", project, "-q"]);
    assert!(dir.join("out/portfolio.pdf").is_file());
    assert!(std::fs::read_dir(dir.join("out/accounts")).unwrap().count() > 0);

    // The copied rules are the project's: a changed threshold changes the classes.
    let classification = dir.join("rules/classification.toml");
    let text = read(&classification).replacen(
        "bounds = [0.80, 0.95, 1.00]",
        "bounds = [0.50, 0.95, 1.00]",
        1,
    );
    std::fs::write(&classification, text).unwrap();
    let (header, before) = csv_records(&dir.join("out/portfolio.csv"));
    kamplan_ok(&["classify", project, "-q"]);
    let after = csv_records(&dir.join("out/portfolio.csv")).1;
    let abc = header.iter().position(|h| h == "abc").unwrap();
    let a_count = |rows: &[Vec<String>]| rows.iter().filter(|r| r[abc] == "A").count();
    assert_eq!((a_count(&before), a_count(&after)), (20, 4), "fewer A customers with a 50% bound");

    let again = kamplan(&["init", project]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr_of(&again).contains("already holds a kamplan.toml"));
}

#[test]
fn a_new_project_without_data_says_what_to_add() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("empty");
    let out = kamplan(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(stderr_of(&out).contains("put the sales exports in"), "{}", stderr_of(&out));
    let check = kamplan(&["check", dir.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(2));
    assert!(stderr_of(&check).contains("no sales files found"), "{}", stderr_of(&check));
}

#[test]
fn an_ejected_template_changes_the_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init", project, "--with-sample"]);
    kamplan_ok(&["templates", "eject", "account_plan", project]);
    let path = dir.join("templates/account_plan.typ");
    let text = read(&path);
    assert!(text.contains("= {{ t(\"At a glance\") }}"));
    std::fs::write(&path, text.replace("= {{ t(\"At a glance\") }}", "= The account in one page"))
        .unwrap();
    let refused = kamplan(&["templates", "eject", project]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr_of(&refused).contains("already exists; pass --force"),
        "{}",
        stderr_of(&refused)
    );

    kamplan_ok(&["build", project, "-q", "--account", "C0004"]);
    let text = text_of(&only_plan(&dir));
    assert!(text.contains("The account in one page"), "{text}");
    assert!(!text.contains("At a glance"));

    let unknown = kamplan(&["templates", "eject", "cover", project]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr_of(&unknown).contains("no built-in template \"cover\""));
}

#[test]
fn completions_cover_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = kamplan(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for command in ["build", "init-account", "templates", "diff"] {
            assert!(script.contains(command), "{shell} completion lacks {command}");
        }
    }
}

#[test]
fn the_brand_dresses_the_documents_and_its_mistakes_are_located() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init", project, "--with-sample"]);
    std::fs::create_dir_all(dir.join("brand")).unwrap();
    std::fs::write(
        dir.join("brand/firm.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><rect width="80" height="80" fill="#0B6E4F"/></svg>"##,
    )
    .unwrap();
    let toml = dir.join("kamplan.toml");
    let plain = read(&toml);
    std::fs::write(
        &toml,
        format!("{plain}\n[brand]\nprimary = \"green\"\nclient_logo = \"brand/client.png\"\n"),
    )
    .unwrap();
    let out = kamplan(&["check", project]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("\"green\" is not a colour; write it as #RRGGBB"), "{err}");
    assert!(err.contains("brand/client.png not found in the project folder"), "{err}");
    assert!(err.contains("kamplan.toml:"), "located: {err}");

    std::fs::write(&toml, &plain).unwrap();
    kamplan_ok(&["build", project, "-q", "--account", "C0004"]);
    let pdf = || only_plan(&dir);
    let unbranded = std::fs::read(pdf()).unwrap();
    let brand = "[brand]\nprimary = \"#0B6E4F\"\naccent = \"#F2A541\"\nfirm_logo = \"brand/firm.svg\"\nfooter = \"Bianchi Consulting, confidential\"\n";
    std::fs::write(&toml, format!("{plain}\n{brand}")).unwrap();
    kamplan_ok(&["build", project, "-q", "--account", "C0004"]);
    let branded = std::fs::read(pdf()).unwrap();
    assert_ne!(branded, unbranded);
    let text = text_of(&pdf());
    assert!(text.contains("Bianchi Consulting, confidential"), "the footer line: {text}");
}

/// The stamp line at the end of a plan: "kamplan V · rules H · data H · as of D".
fn stamp_of(dir: &std::path::Path) -> String {
    let text = pdf_text(&only_plan(dir), false);
    text.lines()
        .find(|l| l.starts_with("kamplan "))
        .unwrap_or_else(|| panic!("no stamp in {text}"))
        .to_string()
}

#[test]
fn the_stamp_names_the_version_and_changes_with_the_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init", project, "--with-sample"]);
    kamplan_ok(&["build", project, "-q", "--account", "C0004"]);
    let first = stamp_of(&dir);
    let words: Vec<&str> = first.split_whitespace().collect();
    assert_eq!(words[1], env!("CARGO_PKG_VERSION"), "{first}");
    assert!(first.ends_with("as of 30 June 2025"), "{first}");
    kamplan_ok(&["build", project, "-q", "--account", "C0004"]);
    assert_eq!(stamp_of(&dir), first, "the same inputs, the same stamp");

    let alerts = dir.join("rules/alerts.toml");
    std::fs::write(&alerts, read(&alerts) + "\n# a comment\n").unwrap();
    kamplan_ok(&["build", project, "-q", "--account", "C0004"]);
    let second = stamp_of(&dir);
    let part =
        |s: &str, key: &str| s.split(" · ").find(|p| p.starts_with(key)).unwrap().to_string();
    assert_ne!(
        part(&second, "rules"),
        part(&first, "rules"),
        "an edited rule file changes the rules hash"
    );
    assert_eq!(part(&second, "data"), part(&first, "data"));
}
