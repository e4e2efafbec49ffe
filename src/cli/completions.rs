//! `kamplan completions`: shell completion scripts, generated from the
//! command definitions so they never fall behind.

use clap::{Args, CommandFactory};
use clap_complete::Shell;
use kamplan::diagnostic::Diagnostics;

/// Print a shell completion script.
///
/// Examples:
///   kamplan completions bash > ~/.local/share/bash-completion/completions/kamplan
///   kamplan completions zsh > ~/.zfunc/_kamplan
///   kamplan completions fish > ~/.config/fish/completions/kamplan.fish
#[derive(Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    shell: Shell,
}

pub fn run(args: CompletionsArgs) -> Result<(), Diagnostics> {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "kamplan", &mut script);
    super::emit(&String::from_utf8_lossy(&script));
    Ok(())
}
