//! Account files through the command line: `init-account` writes a file the
//! build reads, its values reach the documents, and a broken file stops the
//! run naming the place.

mod common;
use common::*;

#[test]
fn init_account_writes_a_skeleton_that_refuses_to_be_overwritten() {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    kamplan_ok(&["init-account", "C0004", project]);
    let path = dir.join("accounts/C0004.toml");
    let text = read(&path);
    assert!(text.starts_with("# Account file of "), "{text}");
    assert!(text.contains("customer_id = \"C0004\""));
    assert!(text.contains("#   Key account "), "the header shows the account's figures:\n{text}");
    // The skeleton is valid and changes nothing: check passes.
    kamplan_ok(&["check", project]);

    let again = kamplan(&["init-account", "C0004", project]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr_of(&again).contains("already exists"), "{}", stderr_of(&again));
    std::fs::write(&path, "edited").unwrap();
    kamplan_ok(&["init-account", "C0004", project, "--force"]);
    assert_ne!(read(&path), "edited");

    let unknown = kamplan(&["init-account", "C9999", project]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr_of(&unknown).contains("customer \"C9999\" is not in the portfolio"));
}

#[test]
fn a_broken_account_file_stops_the_run_naming_the_place() {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    let file = dir.join("accounts/C0004.toml");
    std::fs::write(&file, "[account]\nkey_client_type = \"mainstey\"\n\n[[dmu]]\nname = \"Ada\"\ninfluense = \"high\"\n").unwrap();
    // (place, message): both commands show the same problems at their places.
    let expected = [
        (
            "accounts/C0004.toml:2:19",
            "\"mainstey\" is not one of mainstay, prospect, image-maker, expert; did you mean \"mainstay\"?",
        ),
        (
            "accounts/C0004.toml:6:1",
            "unknown key \"influense\" in [dmu.0]; did you mean \"influence\"?",
        ),
    ];
    for command in ["build", "check"] {
        let out = kamplan(&[command, project]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = common::problems(&stderr_of(&out));
        for (place, message) in expected {
            assert!(
                err.contains(place) && err.contains(message),
                "{command}: missing {place} {message} in\n{err}"
            );
        }
    }
    assert!(!dir.join("out/portfolio.pdf").exists(), "nothing is written");

    std::fs::write(dir.join("accounts/C9999.toml"), "").unwrap();
    std::fs::remove_file(&file).unwrap();
    let out = kamplan(&["build", project]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::problems(&stderr_of(&out)).contains(
            "C9999.toml: customer \"C9999\" is neither in the customers master nor in the sales"
        ),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn account_file_values_override_the_master_and_reach_the_plan() {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    // C0004's master potential is 16,200 (share of wallet 89.7%); the file raises it.
    std::fs::write(
        dir.join("accounts/C0004.toml"),
        "[account]\npotential = 100000\nkey_client_type = \"expert\"\n\n[[competitor]]\nname = \"Rivale SpA\"\nshare = 0.45\nprice_position = \"lower\"\n",
    )
    .unwrap();
    kamplan_ok(&["classify", project, "-q"]);
    let (header, rows) = csv_records(&dir.join("out/portfolio.csv"));
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let c0004 = rows.iter().find(|r| r[0] == "C0004").unwrap();
    let revenue: f64 = c0004[at("revenue")].parse().unwrap();
    let share: f64 = c0004[at("share_of_wallet")].parse().unwrap();
    assert!(
        (share - revenue / 100_000.0).abs() < 1e-6,
        "share of wallet uses the file's potential"
    );

    kamplan_ok(&["build", project, "-q", "--account", "C0004"]);
    let text = text_of(&only_plan(&dir)).replace(['\u{2019}'], "'");
    assert!(
        text.contains(
            "Rivale SpA holds an estimated 45% of the account, at prices lower than ours."
        ),
        "{text}"
    );
    assert!(text.contains("Key-account role expert"), "{text}");
}

/// The project set to Italian, as `locale = "it"` in kamplan.toml.
fn in_italian(dir: &std::path::Path) {
    let path = dir.join("kamplan.toml");
    let text = read(&path).replace("[project]\n", "[project]\nlocale = \"it\"\n");
    std::fs::write(&path, text).unwrap();
}

#[test]
fn an_italian_build_shows_the_italian_texts_of_bilingual_account_files() {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    in_italian(&dir);
    kamplan_ok(&["build", project, "-q"]);
    let plan = std::fs::read_dir(dir.join("out/accounts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("c0025-"))
        .expect("C0025 has a plan");
    let plan = text_of(&plan).replace(['\u{2019}'], "'");
    let report = text_of(&dir.join("out/portfolio.pdf"));
    // One text of each kind: terms, notes, DMU role and criteria, competitor
    // products, history subject, SWOT, objective and its measure.
    for italian in [
        "Accordo quadro sui prezzi di listino scontati del 18%",
        "Catena familiare di undici ferramenta",
        "Amministratrice delegata",
        "Prezzo, condizioni di pagamento, ordini via EDI",
        "Fissaggi, ancoranti chimici",
        "Ordini elettronici (EDI) con riassortimento settimanale",
        "Con gli acquisti accentrati a Caserta",
        "Rinnovare l'accordo quadro per tre anni",
        "Accordo firmato",
    ] {
        assert!(plan.contains(italian), "missing {italian:?} in\n{plan}");
    }
    for english in [
        "Framework agreement",
        "Family-owned chain",
        "Managing director",
        "Price, payment terms",
        "chemical anchors",
        "Electronic ordering",
        "Centralised purchasing",
        "Renew the framework agreement",
        "Signed agreement",
    ] {
        assert!(!plan.contains(english), "English {english:?} in the Italian plan:\n{plan}");
    }
    assert!(
        report.contains("Acquisito da un gruppo con un contratto di fornitura centralizzato"),
        "{report}"
    );
    assert!(!report.contains("Bought by a group"), "{report}");
    // The English build of the same files shows the English texts.
    let english = dir.join("kamplan.toml");
    std::fs::write(&english, read(&english).replace("locale = \"it\"\n", "")).unwrap();
    std::fs::remove_dir_all(dir.join("out")).unwrap();
    kamplan_ok(&["build", project, "-q", "--account", "C0025"]);
    let plan = text_of(&only_plan(&dir));
    assert!(plan.contains("Framework agreement on list prices less 18%"), "{plan}");
    assert!(!plan.contains("Accordo quadro"), "{plan}");
}

#[test]
fn check_warns_at_a_text_without_the_project_language_naming_the_one_shown() {
    let (_tmp, dir) = sample_copy();
    let project = dir.to_str().unwrap();
    in_italian(&dir);
    let file = dir.join("accounts/C0025.toml");
    let text = read(&file).replace("products.it = \"Fissaggi, ancoranti chimici\"\n", "");
    let line = text.lines().position(|l| l.starts_with("products.en = \"Fixings,")).unwrap() + 1;
    std::fs::write(&file, text).unwrap();
    let out = kamplan(&["check", project]);
    assert_eq!(out.status.code(), Some(0), "a missing translation is a warning");
    let problems = common::problems(&stderr_of(&out));
    assert!(
        problems.contains(&format!(
            "accounts/C0025.toml:{line}:1: no Italian version of this text (add `it` = …); the plan shows the English one"
        )),
        "{problems}"
    );
    kamplan_ok(&["build", project, "-q", "--account", "C0025"]);
    assert!(text_of(&only_plan(&dir)).contains("Fixings, chemical anchors"));

    // A file declaring English: one warning for the file, at the declaration.
    std::fs::write(
        dir.join("accounts/C0004.toml"),
        "language = \"en\"\n\n[account]\nnotes = \"Met the new CFO in March.\"\n",
    )
    .unwrap();
    let problems = common::problems(&stderr_of(&kamplan(&["check", project])));
    assert!(
        problems.contains("accounts/C0004.toml:1:12: this file is written in English (`language = \"en\"`): the Italian plan shows its 1 text in English"),
        "{problems}"
    );
}
