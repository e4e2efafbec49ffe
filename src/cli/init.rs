//! `kamplan init`: a new project folder, ready to edit.

use clap::Args;
use kamplan::config::scaffold::project_files;
use kamplan::diagnostic::Diagnostics;
use kamplan::links;
use kamplan::sample::{SampleSpec, write_sample_project};
use std::path::{Path, PathBuf};

/// Create a project: a commented kamplan.toml, the default rules copied in
/// (to edit), an example account file and a README for the client folder.
///
/// Examples:
///   kamplan init rossi-2025
///   kamplan init demo --with-sample && kamplan build demo
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct InitArgs {
    /// Folder to create (it may exist, but must not hold a kamplan.toml).
    dir: PathBuf,
    /// Project name [default: the folder's name].
    #[arg(long)]
    name: Option<String>,
    /// Add generated sales data and a customers master, so the project runs at once.
    #[arg(long)]
    with_sample: bool,
}

pub fn run(args: InitArgs) -> Result<(), Diagnostics> {
    let dir = &args.dir;
    if dir.join("kamplan.toml").exists() {
        return Err(format!("{} already holds a kamplan.toml", dir.display()).into());
    }
    let name = args.name.clone().unwrap_or_else(|| {
        dir.canonicalize()
            .ok()
            .or_else(|| Some(dir.clone()))
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "New project".to_string())
    });
    refuse_links_out(dir, args.with_sample)?;
    if args.with_sample {
        // The sample writes its own kamplan.toml; the commented one replaces it below.
        write_sample_project(&SampleSpec::new(150, 30, 7), dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    } else {
        std::fs::create_dir_all(dir.join("sales"))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    for (path, text) in project_files(&name) {
        kamplan::output::write_in_project(&dir.join(path), dir, text.as_bytes())?;
    }
    eprintln!("created {}", dir.display());
    if args.with_sample {
        eprintln!("next: kamplan build {}", dir.display());
    } else {
        eprintln!(
            "next: put the sales exports in {} and the customers master in {}, then run kamplan check {}",
            dir.join("sales").display(),
            dir.join("customers.csv").display(),
            dir.display()
        );
    }
    Ok(())
}

/// Stops before writing anything when a file or folder init would write
/// is a symbolic link leading out of the project folder (an existing folder
/// may hold such links).
fn refuse_links_out(dir: &Path, with_sample: bool) -> Result<(), String> {
    if with_sample {
        kamplan::sample::refuse_links_out(dir)?;
    }
    let paths: Vec<PathBuf> = project_files("").iter().map(|(p, _)| dir.join(p)).collect();
    for path in paths {
        links::resolve(&path, dir, &[dir])?;
    }
    Ok(())
}
