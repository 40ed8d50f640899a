//! `keyward snapshot check DIR` and `keyward snapshot to-scenario DIR`:
//! what an account snapshot holds, and the slice of it that decides some
//! requests, as a scenario file.

use clap::Subcommand;
use keyward_eval::KmsAction;
use keyward_snapshot::{load, Gap, LoadOptions, Problem, Snapshot, ToScenarioError};
use serde_json::{json, Value};

use super::scenario::{parse_actions, Format};
use crate::out;
use crate::render::{self, escape};
use crate::snapshot_fs::DirFiles;

/// `keyward snapshot …`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// What a snapshot holds (accounts, principals, keys per Region, aliases,
    /// grants, SCP/RCP levels) and every problem found reading it.
    /// Exit 0 when it reads cleanly, 2 when any file has an error.
    Check {
        /// The snapshot directory (see docs/snapshot-format.md).
        dir: String,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = keyward_snapshot::DEFAULT_MAX_FILE_SIZE)]
        max_file_size: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Write the slice of a snapshot that decides the requests of some
    /// principals on some keys as a scenario file, with the snapshot's
    /// answers as expectations. Exit 2 when the slice depends on data the
    /// snapshot lacks (unless --allow-incomplete).
    ToScenario {
        /// The snapshot directory.
        dir: String,
        /// A key: key ARN, key id, alias name or alias ARN (repeatable).
        #[arg(long, required = true)]
        key: Vec<String>,
        /// A principal: ARN, `user/NAME`, `role/NAME` or a unique name
        /// (repeatable; default: every principal of the snapshot).
        #[arg(long)]
        principal: Vec<String>,
        /// Actions of the expectations, comma-separated (default: kms:Encrypt,kms:Decrypt).
        #[arg(long, value_delimiter = ',')]
        actions: Vec<String>,
        /// Write the data present even when the slice depends on missing
        /// data (its description says what is left out).
        #[arg(long)]
        allow_incomplete: bool,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<String>,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = keyward_snapshot::DEFAULT_MAX_FILE_SIZE)]
        max_file_size: usize,
    },
}

/// Run the command; returns the exit code.
pub fn run_command(cmd: &Command) -> u8 {
    match cmd {
        Command::Check {
            dir,
            max_file_size,
            format,
        } => check(dir, *max_file_size, *format),
        Command::ToScenario {
            dir,
            key,
            principal,
            actions,
            allow_incomplete,
            output,
            max_file_size,
        } => to_scenario(
            dir,
            key,
            principal,
            actions,
            *allow_incomplete,
            output.as_deref(),
            *max_file_size,
        ),
    }
}

/// Load `dir`; `Err` is an exit code (the reason is printed).
pub fn load_dir(dir: &str, max_file_size: usize) -> Result<Snapshot, u8> {
    let files = DirFiles::open(dir, max_file_size).map_err(|message| {
        out::error(
            &escape(&message),
            "give the directory scripts/collect-snapshot.sh wrote",
        );
        2u8
    })?;
    Ok(load(&files, &LoadOptions { max_file_size }))
}

/// A problem as JSON: the diagnostic shape of every command, with the
/// account and subject it concerns.
pub fn problem_json(p: &Problem) -> Value {
    let mut v = render::json(&p.source, &p.diagnostic);
    v["account"] = json!(p.account);
    v["subject"] = json!(p.subject);
    v
}

/// A gap as JSON.
pub fn gap_json(g: &Gap) -> Value {
    json!({
        "kind": g.kind.code(),
        "what": g.what,
        "file": g.place.as_ref().map(|p| p.file.clone()),
        "line": g.place.as_ref().filter(|p| p.line > 0).map(|p| p.line),
        "column": g.place.as_ref().filter(|p| p.line > 0).map(|p| p.column),
    })
}

/// Print every problem for people (miette snippets, to standard error).
pub fn print_problems(problems: &[Problem]) {
    for p in problems {
        out::err(&render::human(
            &p.source,
            std::slice::from_ref(&p.diagnostic),
        ));
    }
}

/// Multi-line text built from a snapshot's data, each line escaped.
fn escaped_lines(text: &str) -> String {
    text.lines().map(|l| format!("{}\n", escape(l))).collect()
}

/// One line to standard error when a snapshot has problems.
pub fn note_problems(snapshot: &Snapshot, dir: &str) {
    let n = snapshot.problems().len();
    if n > 0 {
        out::err(&format!("note: the snapshot has {n} problem{} (`keyward snapshot check {}` lists them); answers that depend on what they lost are incomplete\n", if n == 1 { "" } else { "s" }, escape(dir)));
    }
}

fn check(dir: &str, max_file_size: usize, format: Format) -> u8 {
    let snapshot = match load_dir(dir, max_file_size) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match format {
        Format::Human => {
            out::text(&escaped_lines(&snapshot.summary().to_string()));
            print_problems(snapshot.problems());
            let errors = snapshot
                .problems()
                .iter()
                .filter(|p| p.diagnostic.is_error())
                .count();
            let warnings = snapshot.problems().len() - errors;
            out::text(&format!("{errors} errors, {warnings} warnings\n"));
        }
        Format::Json => {
            let out = json!({
                "summary": snapshot.summary().to_json(),
                "problems": snapshot.problems().iter().map(problem_json).collect::<Vec<_>>(),
            });
            out::json(&out);
        }
    }
    let code = if snapshot.has_errors() { 2 } else { 0 };
    // The process ends next: freeing a large snapshot's millions of small
    // blocks one by one was 9 % of `snapshot check` (callgrind), for
    // nothing. The memory goes back to the system with the process.
    std::mem::forget(snapshot);
    code
}

fn to_scenario(
    dir: &str,
    keys: &[String],
    principals: &[String],
    actions: &[String],
    allow_incomplete: bool,
    output: Option<&str>,
    max_file_size: usize,
) -> u8 {
    let actions: Vec<KmsAction> = match parse_actions(actions) {
        Ok(a) => a,
        Err(message) => {
            out::error(
                &message,
                "name KMS actions that take a key, e.g. `--actions kms:Encrypt,kms:Decrypt`",
            );
            return 2;
        }
    };
    let snapshot = match load_dir(dir, max_file_size) {
        Ok(s) => s,
        Err(code) => return code,
    };
    note_problems(&snapshot, dir);
    let slice = match snapshot.to_scenario(keys, principals, &actions, allow_incomplete) {
        Ok(s) => s,
        Err(ToScenarioError::Ask(e)) => {
            out::error(&escape(&e.message), &escape(&e.help));
            return 2;
        }
        Err(ToScenarioError::Incomplete(gaps)) => {
            let mut text = String::from("error: the slice depends on data the snapshot lacks:\n");
            for g in &gaps {
                text.push_str(&format!("  - {}\n", escape(&g.to_string())));
            }
            text.push_str("  help: collect the missing data, or pass --allow-incomplete to write what is present\n");
            out::err(&text);
            return 2;
        }
    };
    for g in &slice.missing {
        out::err(&format!("warning: left out: {}\n", escape(&g.to_string())));
    }
    if slice.incomplete > 0 {
        out::err(&format!(
            "note: {} requests have incomplete answers and no expectation\n",
            slice.incomplete
        ));
    }
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &slice.text) {
                out::error(&format!("cannot write `{}`: {e}", escape(path)), "");
                return 2;
            }
            out::err(&format!(
                "wrote {}: {} expectations\n",
                escape(path),
                slice.expectations
            ));
        }
        // A scenario file: JSON.
        None => out::json_text(&slice.text),
    }
    0
}
