//! The command line: one file per subcommand. Exit codes are an interface:
//! 0 done, 2 a usage, configuration or data error that stopped the run.

// Every message of the commands goes to standard error through these two,
// which replace the standard macros in this module and the subcommands':
// those panic when standard error is a pipe its reader closed
// (`kamplan check 2>&1 | head -3`); these drop the message instead.
macro_rules! eprintln {
    () => {
        $crate::cli::to_stderr(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::to_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::cli::to_stderr(format_args!($($arg)*))
    };
}

mod build;
mod check;
mod classify;
mod completions;
mod diff;
mod explain;
mod init;
mod init_account;
mod input;
mod open;
mod sample;
mod sql;
mod templates;
mod variables;
mod watch;

use clap::{Parser, Subcommand};
use kamplan::diagnostic::{Diagnostics, Sources};
use std::process::ExitCode;

/// Turns sales exports and rule files into a classified customer portfolio and its PDF deliverables.
#[derive(Parser)]
#[command(
    name = "kamplan",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 when the outputs were written (rejected lines are reported, not fatal);\n1 when `check` found a failing rule test, or `build` could not make some documents (the others are written);\n2 when a usage, configuration, rule, template or data error stopped the run."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Build(build::BuildArgs),
    Classify(classify::ClassifyArgs),
    Check(check::CheckArgs),
    Diff(diff::DiffArgs),
    Explain(explain::ExplainArgs),
    Init(init::InitArgs),
    InitAccount(init_account::InitAccountArgs),
    Sample(sample::SampleArgs),
    Sql(sql::SqlArgs),
    Templates(templates::TemplatesArgs),
    Variables(variables::VariablesArgs),
    Completions(completions::CompletionsArgs),
    Watch(watch::WatchArgs),
}

/// Writes to standard output; a reader that closed the pipe early (`| head`) is not an error.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: writing to standard output: {e}");
    }
}

/// Writes a message to standard error; one that cannot be written (the
/// reader closed the pipe) is dropped, as there is nowhere left to say so.
pub fn to_stderr(message: std::fmt::Arguments) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(message);
}

/// Exit code for errors that stopped the run.
pub const EXIT_ERROR: u8 = 2;

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => {
            return match check::run(args) {
                check::CheckOutcome::Clean => ExitCode::SUCCESS,
                check::CheckOutcome::TestsFailed => ExitCode::from(1),
                check::CheckOutcome::Problems => ExitCode::from(EXIT_ERROR),
            };
        }
        Command::Build(args) => {
            return match build::run(&args) {
                Ok(build::BuildOutcome::AllWritten) => ExitCode::SUCCESS,
                Ok(build::BuildOutcome::SomeFailed) => ExitCode::from(1),
                Err(problems) => {
                    report(&problems);
                    ExitCode::from(EXIT_ERROR)
                }
            };
        }
        Command::Classify(args) => classify::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Explain(args) => explain::run(args),
        Command::InitAccount(args) => init_account::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Sql(args) => sql::run(args),
        Command::Init(args) => init::run(args),
        Command::Templates(args) => templates::run(args),
        Command::Variables(args) => variables::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Watch(args) => watch::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            report(&problems);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Shows problems on standard error, the one way every command shows them.
pub fn report(problems: &Diagnostics) {
    eprint!("{}", kamplan::diagnostic::render_all(&problems.0, &sources()));
}

/// Where the problems' files are read from: the disk, and the built-in
/// rule files under the name `rules/…` they are reported with.
pub fn sources() -> Sources {
    let built_in = kamplan::config::rules::DEFAULT_RULES
        .iter()
        .map(|(name, text)| (std::path::Path::new("rules").join(name), text.to_string()))
        .collect();
    Sources::with(built_in)
}
