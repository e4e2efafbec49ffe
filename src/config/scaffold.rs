//! The files of a new project, as `kamplan init` writes them: a commented
//! `kamplan.toml`, the default rules to edit, an example account file and a
//! README for the client folder. Pure text; the command writes them.

use super::rules::DEFAULT_RULES;
use std::path::PathBuf;

/// Name of the example account file: names starting with `_` are not read.
pub const EXAMPLE_ACCOUNT: &str = "_example.toml";

/// Every file of a new project named `name`, as (path in the project, text).
pub fn project_files(name: &str) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        (PathBuf::from("kamplan.toml"), project_toml(name)),
        (PathBuf::from("README.md"), client_readme(name)),
        (PathBuf::from("accounts").join(EXAMPLE_ACCOUNT), example_account()),
    ];
    for (file, text) in DEFAULT_RULES {
        files.push((PathBuf::from("rules").join(file), text.to_string()));
    }
    files
}

/// A commented `kamplan.toml`: every setting shown with its default.
pub fn project_toml(name: &str) -> String {
    let name = name.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"# A kamplan project: where the data is, how to read it, and who the
# documents are for. Paths are relative to this file. Commented lines show
# the defaults; `kamplan check` reports any mistake with its line.

[project]
name = "{name}"
currency = "EUR"
locale = "en"                # language of the documents: "en" or "it" (or --locale)
months = 12                  # length of the analysis window
# as_of = "2025-06-30"       # default: last day of the month of the latest sale

[sales]
path = "sales"               # a file, or a folder of exports read as one data set
# delimiter = ";"            # "," ";" "\t" "|" or "auto" (default)
# decimal = ","              # "," or "." or "auto" (default)
# date_format = "dd/mm/yyyy" # or "auto" (default)
# encoding = "auto"          # "utf-8", "windows-1252" or "auto" (default)
# sheet = "Vendite"          # worksheet of a workbook (default: the first)
# on_bad_row = "reject"      # or "fail": stop at the first unreadable line

# Headers kamplan does not recognise, mapped to its fields:
# [sales.columns]
# "Importo riga" = "revenue"

[customers]                  # the customers master (optional: delete the table if there is none)
path = "customers.csv"

# [output]
# dir = "out"
# csv = "excel"        # CSV tables as Excel opens them in the locale's language; default "standard"

# The plan record (out/plans.csv) of an earlier build, kept outside out/:
# build then checks each of its objectives against the new results.
# [previous_plan]
# path = "plans/2024-12-31.csv"

# Who the documents are for and by whom (their covers and footers).
# [engagement]
# client = "Rossi S.p.A."
# title = "Key account review 2025"
# consultant = "Anna Bianchi"
# firm = "Bianchi Consulting"
# confidentiality = "Confidential: prepared for the management of Rossi S.p.A."
"#
    )
}

fn client_readme(name: &str) -> String {
    format!(
        r#"# {name}

A kamplan project.

- `kamplan.toml`: where the data is and how to read it.
- `sales/`: the invoice-line exports (CSV or Excel, any number of files; every
  file below the folder is read). Required columns: date, customer id and
  net revenue; invoice, product, category, quantity and cost add analyses.
- `customers.csv`: the customers master (name, sector, region, account
  manager, potential, satisfaction, loyalty, relationship stage, customer
  since, cost to serve).
- `rules/`: the rules (classes, matrices, playbooks, alerts, analyses) —
  edit them freely; `kamplan check` validates them.
- `accounts/`: one file per key account with what the data cannot tell
  (`kamplan init-account CUSTOMER` starts one; `{example}` shows every key).
- `out/`: what `kamplan build` writes (tables, workbook, PDFs).

Commands, run in this folder:

```
kamplan check          # validate everything without computing
kamplan build          # tables, portfolio report and account plans in out/
kamplan explain C0042  # why a customer has its classes, segments and alerts
```
"#,
        example = EXAMPLE_ACCOUNT
    )
}

fn example_account() -> String {
    let intro = "# An example account file. Files whose name starts with _ are not read: copy\n# this one to accounts/<customer id>.toml, or run `kamplan init-account ID`.\n";
    let body = super::accounts::skeleton("C0042", None, &[]);
    format!("{intro}{}", body.split_once('\n').map_or(body.as_str(), |(_, rest)| rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_of_a_new_project_are_valid() {
        let files = project_files("Rossi \"2025\"");
        let toml = &files[0].1;
        let parsed: toml::Table = toml.parse().expect("kamplan.toml parses");
        assert_eq!(parsed["project"]["name"].as_str(), Some("Rossi \"2025\""));
        let rules: Vec<(PathBuf, String)> =
            files.iter().filter(|(p, _)| p.starts_with("rules")).cloned().collect();
        assert_eq!(rules.len(), DEFAULT_RULES.len());
        crate::config::rules::parse_rules(
            &rules,
            crate::config::rules::RulesSource::Defaults,
            crate::locale::Locale::En,
        )
        .expect("the copied rules are valid");
        let example = files.iter().find(|(p, _)| p.ends_with(EXAMPLE_ACCOUNT)).unwrap();
        let (_, issues) = crate::config::accounts::parse_accounts(&[(
            PathBuf::from("accounts/C0042.toml"),
            example.1.clone(),
        )]);
        assert!(issues.is_empty(), "{issues:?}");
    }
}
