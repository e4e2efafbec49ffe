//! `kamplan templates`: the built-in document templates.

use clap::{Args, Subcommand};
use kamplan::diagnostic::Diagnostics;
use kamplan::links;
use kamplan::render::templates::BUILT_IN;
use std::path::PathBuf;

/// The built-in document templates: list them, or copy them into a project
/// to change the documents.
///
/// Examples:
///   kamplan templates list
///   kamplan templates eject account_plan.typ sample-data
///   kamplan templates context sample-data --account C0042
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    command: TemplatesCommand,
}

#[derive(Subcommand)]
enum TemplatesCommand {
    /// List the built-in templates.
    List,
    /// Copy built-in templates into the project's templates/ folder, where
    /// they replace the built-in ones by name.
    ///
    /// Examples:
    ///   kamplan templates eject                       # all of them, into ./templates
    ///   kamplan templates eject account_plan.typ sample-data
    #[command(verbatim_doc_comment)]
    Eject {
        /// Template to copy [default: all].
        name: Option<String>,
        /// Project folder [default: current folder].
        project: Option<PathBuf>,
        /// Replace templates the project already has.
        #[arg(long)]
        force: bool,
    },
    /// Print, as JSON, the data a template sees: the portfolio report's, or
    /// with --account the account plan's (`{{ kpis }}`, `{{ meta.as_of }}`, …).
    ///
    /// Examples:
    ///   kamplan templates context sample-data
    ///   kamplan templates context sample-data --account C0042
    #[command(verbatim_doc_comment)]
    Context {
        /// Project folder [default: current folder].
        project: Option<PathBuf>,
        /// The account plan of this customer (id in any form, or name)
        /// instead of the portfolio report.
        #[arg(long, value_name = "ID")]
        account: Option<String>,
    },
}

pub fn run(args: TemplatesArgs) -> Result<(), Diagnostics> {
    match args.command {
        TemplatesCommand::List => {
            let names: Vec<&str> = BUILT_IN.iter().map(|(name, _)| *name).collect();
            super::emit(&format!("{}\n", names.join("\n")));
            Ok(())
        }
        TemplatesCommand::Eject { name, project, force } => {
            // `eject DIR`: a single argument that is a folder, not a template, is the project.
            let (name, project) = match (name, project) {
                (Some(only), None)
                    if built_in(&only).is_none() && std::path::Path::new(&only).is_dir() =>
                {
                    (None, Some(PathBuf::from(only)))
                }
                other => other,
            };
            eject(name.as_deref(), &project.unwrap_or_else(|| PathBuf::from(".")), force)
                .map_err(Diagnostics::from)
        }
        TemplatesCommand::Context { project, account } => {
            let dir = project.unwrap_or_else(|| PathBuf::from("."));
            let json = context(&dir, account.as_deref())?;
            super::emit(&format!("{json}\n"));
            Ok(())
        }
    }
}

/// The view model of one document of a build, as JSON: what `build` renders.
fn context(dir: &std::path::Path, account: Option<&str>) -> Result<String, Diagnostics> {
    use kamplan::report::plan::BuildPlan;
    use kamplan::report::{Meta, Sources};
    let project = kamplan::config::project::load_project(dir)?;
    let workers = super::input::workers(None, true);
    let classified = kamplan::pipeline::run_classify_with(&project, workers, true)?;
    let portfolio = &classified.portfolio;
    let mut meta =
        Meta::new(&project.name, &project.currency, &project.engagement, portfolio, project.locale);
    meta.stamp = Some(kamplan::stamp::stamp(&project));
    let sources = Sources::new(
        portfolio,
        classified.previous.as_ref(),
        &classified.rules,
        &classified.accounts,
    )
    .with_quality(&classified.quality)
    .with_control(classified.control.as_ref());
    let accounts = match account {
        Some(typed) => {
            let name = project.root.display().to_string();
            let row = kamplan::classify::lookup::find_customer(
                portfolio,
                typed,
                &project.sales.ids,
                &name,
            )?;
            vec![portfolio.rows[row].customer_id.clone()]
        }
        None => Vec::new(),
    };
    let plan = BuildPlan::new(sources, meta, &accounts)?;
    let document = plan.document(0);
    serde_json::to_string_pretty(&document.context).map_err(|e| Diagnostics::from(e.to_string()))
}

/// The built-in template named `name`, with or without `.typ`.
fn built_in(name: &str) -> Option<&'static (&'static str, &'static str)> {
    BUILT_IN.iter().find(|(n, _)| *n == name || n.trim_end_matches(".typ") == name)
}

fn eject(name: Option<&str>, project: &std::path::Path, force: bool) -> Result<(), String> {
    if !project.join("kamplan.toml").exists() {
        return Err(format!("{} is not a kamplan project (no kamplan.toml)", project.display()));
    }
    let chosen: Vec<&(&str, &str)> = match name {
        None => BUILT_IN.iter().collect(),
        Some(name) => {
            vec![built_in(name).ok_or_else(|| {
                let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
                format!("no built-in template \"{name}\"; there are {}", names.join(", "))
            })?]
        }
    };
    let dir = project.join("templates");
    // Every target is checked before anything is written: a link leading
    // out of the project stops the whole eject.
    for (name, _) in &chosen {
        links::resolve(&dir.join(name), project, &[project])?;
    }
    let existing: Vec<String> = chosen
        .iter()
        .map(|(n, _)| dir.join(n))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        return Err(format!(
            "{} already exist{}; pass --force to replace {}",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" }
        ));
    }
    for (name, text) in chosen {
        let path = dir.join(name);
        kamplan::output::write_in_project(&path, project, text.as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
