//! `keyward scenario run FILE|DIR...` and `keyward scenario matrix FILE`.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use keyward_eval::{Decision, KmsAction};
use keyward_policy::{Diagnostic, DiagnosticJson, Severity};
use keyward_scenario::{
    load, matrix, problems_json, run, Loader, Matrix, MatrixJson, Problem, RunJson, Scenario,
};
use serde_json::json;

use crate::{input, render};

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: checks with their reasons and source snippets.
    #[default]
    Human,
    /// For machines.
    Json,
}

/// `keyward scenario …`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every expectation of scenario files (directories: every `*.json` in them).
    /// Exit 0 when all pass, 1 when any fails, 2 on invalid input.
    Run {
        /// Scenario files or directories.
        #[arg(required = true)]
        paths: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Print the principal × key table of what each principal may do, and why.
    Matrix {
        /// The scenario file.
        #[arg(required_unless_present = "snapshot")]
        file: Option<String>,
        /// An account snapshot directory instead of a scenario (docs/snapshot-format.md).
        #[arg(long, conflicts_with = "file")]
        snapshot: Option<String>,
        /// Actions to ask about, comma-separated (default: kms:Encrypt,kms:Decrypt).
        #[arg(long, value_delimiter = ',')]
        actions: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// Reads `{"file": …}` policies from disk, relative to the scenario.
#[derive(Debug)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn resolve(&self, base: &str, path: &str) -> String {
        let joined = Path::new(base).parent().unwrap_or(Path::new("")).join(path);
        joined.to_string_lossy().into_owned()
    }

    /// Reads with the same size limit and UTF-8 check as every other input.
    fn read(&self, name: &str) -> Result<String, String> {
        input::read_text(name).map(|source| source.text().to_string())
    }
}

/// Run the command; returns the exit code.
pub fn run_command(cmd: &Command) -> u8 {
    match cmd {
        Command::Run { paths, format } => run_files(paths, *format),
        Command::Matrix {
            snapshot: Some(dir),
            actions,
            format,
            ..
        } => super::snapshot_matrix::run(
            dir,
            actions,
            *format,
            keyward_snapshot::DEFAULT_MAX_FILE_SIZE,
        ),
        Command::Matrix {
            file,
            actions,
            format,
            ..
        } => run_matrix(file.as_deref().unwrap_or_default(), actions, *format),
    }
}

/// Load one scenario file, printing its problems (human) or returning
/// them (JSON).
pub fn load_file(path: &str, format: Format) -> Result<Scenario, Vec<DiagnosticJson>> {
    let input =
        input::read(path, keyward_policy::ParseOptions::default().max_size).map_err(|message| {
            eprintln!("error: {message}");
            vec![unreadable(path, message)]
        })?;
    if let Some(d) = &input.decode_error {
        return Err(report(
            &[Problem {
                source: input.source.clone(),
                diagnostic: d.clone(),
            }],
            format,
        ));
    }
    match load(input.source, &FsLoader) {
        Ok(s) => {
            if format == Format::Human {
                report(&s.warnings, format);
            }
            Ok(s)
        }
        Err(problems) => Err(report(&problems, format)),
    }
}

/// A file that could not be read, as a diagnostic without a place.
fn unreadable(path: &str, message: String) -> DiagnosticJson {
    DiagnosticJson {
        file: path.to_string(),
        code: "input::unreadable".to_string(),
        severity: Severity::Error,
        message,
        help: None,
        pointer: None,
        start: None,
        end: None,
        labels: Vec::new(),
    }
}

/// Print problems (human) and turn them into JSON diagnostics.
pub fn report(problems: &[Problem], format: Format) -> Vec<DiagnosticJson> {
    if format == Format::Human {
        for p in problems {
            eprint!(
                "{}",
                render::human(&p.source, std::slice::from_ref(&p.diagnostic))
            );
        }
    }
    problems_json(problems)
}

/// Files named directly, and every `.json` file under directories named
/// (recursively, sorted, so `fixtures/scenarios/` includes `stories/`).
fn expand(paths: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in paths {
        let path = PathBuf::from(p);
        if !path.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found = Vec::new();
        let mut pending = vec![path];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let f = entry.path();
                // `file_type` does not follow symbolic links, so a link cycle cannot loop.
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    pending.push(f);
                } else if f.extension().is_some_and(|x| x == "json") && f.is_file() {
                    found.push(f.to_string_lossy().into_owned());
                }
            }
        }
        found.sort();
        out.extend(found);
    }
    out
}

fn run_files(paths: &[String], format: Format) -> u8 {
    let mut invalid = false;
    let mut out = RunJson::default();
    for path in expand(paths) {
        let scenario = match load_file(&path, format) {
            Ok(s) => s,
            Err(problems) => {
                invalid = true;
                out.errors.extend(problems);
                continue;
            }
        };
        let results = run(&scenario);
        match format {
            Format::Human => print!("{}", human_results(&path, &scenario, &results)),
            Format::Json => out.add(&path, &results),
        }
        if format == Format::Human {
            out.passed += results.iter().filter(|r| r.pass).count();
            out.failed += results.iter().filter(|r| !r.pass).count();
        }
    }
    match format {
        Format::Human => println!("{} passed, {} failed", out.passed, out.failed),
        Format::Json => render::print_json(&out),
    }
    if invalid {
        2
    } else if out.failed > 0 {
        1
    } else {
        0
    }
}

/// `allow`, `explicit deny`, `implicit deny`.
pub fn decision_words(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::ExplicitDeny => "explicit deny",
        Decision::ImplicitDeny => "implicit deny",
    }
}

fn human_results(
    path: &str,
    s: &Scenario,
    results: &[keyward_scenario::CheckResult<'_>],
) -> String {
    let mut out = format!("{path}\n");
    if let Some(d) = &s.description {
        out.push_str(&format!("  {d}\n"));
    }
    out.push('\n');
    let pw = results
        .iter()
        .map(|r| r.check.principal.len())
        .max()
        .unwrap_or(0);
    let aw = results
        .iter()
        .map(|r| r.check.action.qualified_name().len())
        .max()
        .unwrap_or(0);
    let kw = results.iter().map(|r| r.check.key.len()).max().unwrap_or(0);
    for r in results {
        let c = r.check;
        let actual = match r.response.error() {
            Some(e) => format!("{} → {}", decision_words(r.response.decision()), e.kind()),
            None => decision_words(r.response.decision()).to_string(),
        };
        out.push_str(&format!(
            "  {} {:pw$}  {:aw$}  {:kw$}  {actual}\n",
            if r.pass { "✓" } else { "✗" },
            c.principal,
            c.action.qualified_name(),
            c.key,
        ));
        out.push_str(&render::reason_lines(&r.response, "      "));
        if !r.pass {
            let expected = match c.expected.error {
                Some(e) => format!("{} with {e}", c.expected.decision.as_str()),
                None => c.expected.decision.as_str().to_string(),
            };
            let d = Diagnostic::error(
                "scenario::check-failed",
                format!("expected {expected}, got {actual}"),
                c.span,
            )
            .with_label("this expectation")
            .with_help(
                "the reasons above say which statements decided; fix the policy or the expectation",
            );
            out.push_str(&render::human(&s.source, &[d]));
            out.push_str(&render::snippets(&r.response));
        }
    }
    out.push('\n');
    out
}

pub(crate) fn parse_actions(list: &[String]) -> Result<Vec<KmsAction>, String> {
    if list.is_empty() {
        return Ok(vec![KmsAction::Encrypt, KmsAction::Decrypt]);
    }
    list.iter()
        .map(|a| {
            let a = a.trim();
            KmsAction::parse(a)
                .filter(|x| x.targets_key())
                .ok_or_else(|| format!("`{a}` is not a KMS action on a key"))
        })
        .collect()
}

fn run_matrix(file: &str, actions: &[String], format: Format) -> u8 {
    let actions = match parse_actions(actions) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("error: {message}\n  help: name KMS actions that take a key, e.g. `--actions kms:Encrypt,kms:Decrypt`");
            return 2;
        }
    };
    let scenario = match load_file(file, format) {
        Ok(s) => s,
        Err(problems) => {
            if format == Format::Json {
                render::print_json(&json!({ "errors": problems }));
            }
            return 2;
        }
    };
    let m = matrix(&scenario, &actions);
    match format {
        Format::Human => print!("{}", human_matrix(file, &scenario, &m)),
        Format::Json => render::print_json(&MatrixJson::new(&m)),
    }
    0
}

fn cell_word(c: &keyward_scenario::MatrixCell) -> String {
    match &c.error {
        Some(e) if c.decision == Decision::Allow => format!("allow → {}", e.kind()),
        _ => decision_words(c.decision).to_string(),
    }
}

fn human_matrix(file: &str, s: &Scenario, m: &Matrix) -> String {
    let mut out = format!("{file}\n");
    if let Some(d) = &s.description {
        out.push_str(&format!("  {d}\n"));
    }
    let first = m
        .principals
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .max(4)
        + 2;
    let width = m
        .cells
        .iter()
        .flatten()
        .flatten()
        .map(|c| cell_word(c).chars().count())
        .chain(m.keys.iter().map(String::len))
        .max()
        .unwrap_or(0)
        + 3;
    for (a, action) in m.actions.iter().enumerate() {
        out.push_str(&format!("\n{}\n  {:first$}", action.qualified_name(), ""));
        for k in &m.keys {
            out.push_str(&format!("{k:width$}"));
        }
        let trimmed = out.trim_end_matches(' ').len();
        out.truncate(trimmed);
        out.push('\n');
        for (p, name) in m.principals.iter().enumerate() {
            out.push_str(&format!("  {name:first$}"));
            for k in 0..m.keys.len() {
                let word = m.cells[p][k].get(a).map(cell_word).unwrap_or_default();
                out.push_str(&format!("{word:width$}"));
            }
            let trimmed = out.trim_end_matches(' ').len();
            out.truncate(trimmed);
            out.push('\n');
        }
    }
    out.push_str("\nWhy\n");
    for (p, name) in m.principals.iter().enumerate() {
        for (k, key) in m.keys.iter().enumerate() {
            out.push_str(&format!("  {name} × {key}\n"));
            // Group actions with the same answer and reason.
            let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
            for c in &m.cells[p][k] {
                let line = format!("{} — {}", cell_word(c), c.short);
                match groups.iter_mut().find(|(l, _)| *l == line) {
                    Some((_, names)) => names.push(c.action.qualified_name()),
                    None => groups.push((line, vec![c.action.qualified_name()])),
                }
            }
            for (line, names) in groups {
                out.push_str(&format!("    {}: {line}\n", names.join(", ")));
            }
        }
    }
    out
}
