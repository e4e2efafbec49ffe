//! `kamplan init-account`: writes a commented account file for one customer,
//! its header filled with what the data says about the account.

use clap::Args;
use kamplan::classify::Portfolio;
use kamplan::config::accounts::{load_accounts, skeleton};
use kamplan::config::project::load_project;
use kamplan::diagnostic::Diagnostics;
use kamplan::locale::{Locale, format};
use kamplan::pipeline::run_classify;

/// The skeleton's header is a note to the consultant in English, like the file's keys.
fn money(x: f64) -> String {
    format::money(Locale::En, x)
}

fn long_date(date: kamplan::model::Date) -> String {
    format::long_date(Locale::En, date)
}
use std::path::PathBuf;

/// Write `accounts/<CUSTOMER>.toml`: a commented account file for the soft
/// data (decision-making unit, competitors, contract, survey, history, SWOT,
/// objectives), its header showing the account's figures.
///
/// Example:
///   kamplan init-account C0042 sample-data
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct InitAccountArgs {
    /// Customer id.
    customer: String,
    /// Project folder holding kamplan.toml [default: current folder].
    project: Option<PathBuf>,
    /// Replace an existing account file.
    #[arg(long)]
    force: bool,
}

pub fn run(args: InitAccountArgs) -> Result<(), Diagnostics> {
    let dir = args.project.unwrap_or_else(|| PathBuf::from("."));
    let mut project = load_project(&dir)?;
    // The account files stay out of the figures: the skeleton shows the
    // master's values, and a broken file can still be replaced with --force.
    let accounts_dir = project.accounts_dir.take();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let classified = run_classify(&project, workers)?;
    let portfolio = &classified.portfolio;
    let row = portfolio.row_of(&args.customer).ok_or_else(|| {
        format!("customer \"{}\" is not in the portfolio of {}", args.customer, dir.display())
    })?;
    // A file for this customer under another name is the one to replace.
    let existing = accounts_dir
        .and_then(|d| load_accounts(&d, project.locale).ok())
        .and_then(|book| book.get(&args.customer).map(|f| f.path.clone()));
    let path =
        existing.unwrap_or_else(|| project.root.join("accounts").join(file_name(&args.customer)));
    if path.exists() && !args.force {
        return Err(format!(
            "{} already exists; edit it, or pass --force to replace it with a new skeleton",
            path.display()
        )
        .into());
    }
    let customer = portfolio.rows[row].customer.as_ref();
    let text = skeleton(&args.customer, customer, &hard_facts(portfolio, row));
    kamplan::output::write_in_project(&path, &project.root, text.as_bytes())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// A file name for the customer id: the id itself when it is a safe name
/// (the file's `customer_id` line keeps the exact id either way).
fn file_name(id: &str) -> String {
    let safe =
        id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) && !id.starts_with('.');
    if safe {
        format!("{id}.toml")
    } else {
        format!("{}.toml", kamplan::report::slug::slug(id, None))
    }
}

/// What the data says about the account, for the file's header.
fn hard_facts(portfolio: &Portfolio, row: usize) -> Vec<(String, String)> {
    let metrics = &portfolio.rows[row].metrics;
    let period = &portfolio.period;
    let mut facts = vec![
        (
            format!("Revenue, {} months to {}", period.months, long_date(period.as_of)),
            money(metrics.revenue.to_f64()),
        ),
        ("Previous period".to_string(), money(metrics.revenue_prev.to_f64())),
    ];
    if let Some(margin) = metrics.margin {
        facts.push(("Margin".to_string(), money(margin.to_f64())));
    }
    let classes: Vec<String> = portfolio
        .classifications
        .iter()
        .filter_map(|c| Some(format!("{} {}", c.id, portfolio.text(&c.id, row)?)))
        .collect();
    facts.push(("Classes".to_string(), classes.join(", ")));
    for matrix in &portfolio.matrices {
        if let Some(segment) = portfolio.text(matrix, row) {
            facts.push((format!("Segment in {matrix}"), segment));
        }
    }
    let key = if portfolio.is_key_account(row) { "yes" } else { "no" };
    facts.push(("Key account".to_string(), key.to_string()));
    if let Some(last) = metrics.last_purchase {
        facts.push(("Last purchase".to_string(), long_date(last)));
    }
    let mut categories: Vec<_> =
        metrics.categories.iter().filter(|c| c.current.is_positive()).collect();
    categories.sort_by(|a, b| b.current.cmp(&a.current).then(a.category.cmp(&b.category)));
    if !categories.is_empty() {
        let top: Vec<&str> = categories.iter().take(5).map(|c| &*c.category).collect();
        facts.push(("Top categories".to_string(), top.join(", ")));
    }
    facts
}
