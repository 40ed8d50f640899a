//! `keyward`: can principal X do action Y on KMS key Z — and why?
//!
//! A thin shell over the library crates: argument parsing, file reading,
//! output. Exit codes (like grep): 0 yes/clean, 1 no/findings, 2 invalid input.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod input;
mod render;

#[derive(Debug, Parser)]
#[command(
    name = "keyward",
    version,
    about = "Answers offline, exactly as AWS would, whether a principal may use a KMS key, and why."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse policies: print them normalized, or their diagnostics.
    Parse(cmd::parse::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Parse(args) => cmd::parse::run(&args),
    };
    ExitCode::from(code)
}
