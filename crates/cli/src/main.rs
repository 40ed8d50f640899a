//! `keyward`: can principal X do action Y on KMS key Z — and why?
//!
//! A thin shell over the library crates: argument parsing, file reading,
//! output. Exit codes (like grep): 0 yes/clean, 1 no/findings, 2 invalid input.
//!
//! Shared by every subcommand: [`out`] writes all output (a closed pipe ends
//! quietly, a failed write is one error line and exit 2), [`walk`] expands
//! paths and directories, [`input`] reads files within the size limit, and
//! [`render::escape`] makes text from inputs safe to print.

// Output goes through `out`: these macros panic when a write fails.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod input;
mod out;
mod render;
mod snapshot_fs;
mod walk;

#[derive(Debug, Parser)]
#[command(
    name = "keyward",
    version = version(),
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
    /// Lint key policies and IAM policies (JSON, CloudFormation, Terraform plans).
    Lint(cmd::lint::Args),
    /// List the lint rules, or explain one.
    Rules(cmd::rules::Args),
    /// Check scenario files, or print their principal × key matrix.
    #[command(subcommand)]
    Scenario(cmd::scenario::Command),
    /// Decide one request: may this principal do this action on this key, and why?
    /// Exit 0 allowed, 1 denied or a KMS error, 2 invalid input.
    Query(Box<cmd::query::Args>),
    /// Offline policy checks for CI, over every request: no new access,
    /// access not granted, no public access. Exit 0 pass, 1 fail, 2 unknown or invalid input.
    #[command(subcommand)]
    Check(cmd::check::Command),
    /// Access gained and lost between two policies, per principal class and action.
    Diff(cmd::diff::Args),
    /// Account snapshots: what one holds, and slices of it as scenarios.
    #[command(subcommand)]
    Snapshot(cmd::snapshot::Command),
    /// Who can use this key: every principal (and class of principals) that
    /// can be allowed each action, how and under which conditions.
    /// Exit 0 someone can, 1 nobody can, 2 invalid input or incomplete.
    WhoCan(Box<cmd::who_can::Args>),
    /// What can this principal do: every key and action it can be allowed,
    /// how and under which conditions. Exit 0 something, 1 nothing, 2 invalid or incomplete.
    WhatCan(Box<cmd::what_can::Args>),
    /// Run the language server over stdio, for editors (see docs/editor.md).
    Lsp(cmd::lsp::Args),
}

/// The version, with the date of the action and condition-key catalog.
fn version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{} (catalog {} of {})",
            env!("CARGO_PKG_VERSION"),
            keyward_lint::CATALOG_VERSION,
            keyward_lint::CATALOG_DATE
        )
    });
    VERSION.as_str()
}

fn main() -> ExitCode {
    let code = match Cli::try_parse() {
        Ok(cli) => match cli.command {
            Command::Parse(args) => cmd::parse::run(&args),
            Command::Lint(args) => cmd::lint::run(&args),
            Command::Rules(args) => cmd::rules::run(&args),
            Command::Scenario(command) => cmd::scenario::run_command(&command),
            Command::Query(args) => cmd::query::run(&args),
            Command::Check(command) => cmd::check::run(&command),
            Command::Diff(args) => cmd::diff::run(&args),
            Command::Snapshot(command) => cmd::snapshot::run_command(&command),
            Command::Lsp(args) => cmd::lsp::run(&args),
            Command::WhoCan(args) => cmd::who_can::run(&args),
            Command::WhatCan(args) => cmd::what_can::run(&args),
        },
        Err(e) => usage(&e),
    };
    ExitCode::from(out::finish(code))
}

/// Help, the version, or a usage error, written as clap would but through
/// [`out`]: its exit code (0 for help and the version, 2 for an error).
fn usage(e: &clap::Error) -> u8 {
    let terminal = if e.use_stderr() {
        out::stderr_is_terminal()
    } else {
        out::stdout_is_terminal()
    };
    let text = if terminal && std::env::var_os("NO_COLOR").is_none() {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    if e.use_stderr() {
        out::err(&text);
    } else {
        out::text(&text);
    }
    u8::try_from(e.exit_code()).unwrap_or(2)
}
