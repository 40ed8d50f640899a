//! `keyward scenario run FILE|DIR...` and `keyward scenario matrix FILE|DIR...`.

mod loader;
mod matrix;

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use keyward_eval::Decision;
use keyward_policy::{Diagnostic, DiagnosticJson, Severity, Span};
use keyward_scenario::{load, problems_json, run, Problem, RunJson, Scenario};

pub use self::loader::FsLoader;
pub(crate) use self::matrix::parse_actions;
use crate::render::escape;
use crate::walk::{self, Extension, WalkError};
use crate::{input, out, render};

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: checks with their reasons and source snippets.
    #[default]
    Human,
    /// For machines.
    Json,
}

/// What scenario commands read from a directory.
pub const SCENARIO_FILES: Extension = Extension {
    extension: "json",
    inputs: "`*.json` scenario file",
};

/// `keyward scenario …`
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every expectation of scenario files (directories: every `*.json` in them).
    /// Exit 0 when all pass, 1 when any fails, 2 on invalid input (a scenario
    /// with no expectations, a directory with no scenario, a link that leads
    /// nowhere…).
    Run {
        /// Scenario files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// A folder `{"file": …}` references may also read from (repeatable;
        /// by default only the scenario's own folder and those below it).
        #[arg(long, value_name = "DIR")]
        allow_path: Vec<PathBuf>,
    },
    /// Print the principal × key table of what each principal may do, and why
    /// (directories: one table per `*.json` in them).
    Matrix {
        /// Scenario files or directories.
        #[arg(required_unless_present = "snapshot")]
        paths: Vec<PathBuf>,
        /// An account snapshot directory instead of a scenario (docs/snapshot-format.md).
        #[arg(long, conflicts_with_all = ["paths", "allow_path"])]
        snapshot: Option<String>,
        /// Actions to ask about, comma-separated (default: kms:Encrypt,kms:Decrypt).
        #[arg(long, value_delimiter = ',')]
        actions: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// A folder `{"file": …}` references may also read from (repeatable).
        #[arg(long, value_name = "DIR")]
        allow_path: Vec<PathBuf>,
    },
}

/// Run the command; returns the exit code.
pub fn run_command(cmd: &Command) -> u8 {
    match cmd {
        Command::Run {
            paths,
            format,
            allow_path,
        } => run_files(paths, *format, allow_path),
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
            paths,
            actions,
            format,
            allow_path,
            ..
        } => matrix::run(paths, actions, *format, allow_path),
    }
}

/// Load one scenario file, its references read within its folder tree and
/// `allowed`; prints its problems (human) or returns them (JSON).
pub fn load_file(
    path: &Path,
    format: Format,
    allowed: &[PathBuf],
) -> Result<Scenario, Vec<DiagnosticJson>> {
    let input =
        input::read(path, keyward_policy::ParseOptions::default().max_size).map_err(|message| {
            if format == Format::Human {
                out::error(&message, "");
            }
            vec![unreadable(
                &input::name(path),
                "input::unreadable",
                message,
                None,
            )]
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
    match load(input.source, &FsLoader::new(path, allowed)) {
        Ok(s) => {
            if format == Format::Human {
                report(&s.warnings, format);
            }
            Ok(s)
        }
        Err(problems) => Err(report(&problems, format)),
    }
}

/// A problem without a place in a file (a file that could not be read, a
/// directory entry that could not be taken in), as a JSON diagnostic.
pub fn unreadable(file: &str, code: &str, message: String, help: Option<&str>) -> DiagnosticJson {
    DiagnosticJson {
        file: file.to_string(),
        code: code.to_string(),
        severity: Severity::Error,
        message,
        help: help.map(str::to_string),
        pointer: None,
        start: None,
        end: None,
        labels: Vec::new(),
    }
}

/// Report what a walk could not take in: printed (human), returned as JSON.
pub fn walk_error(e: &WalkError, format: Format) -> DiagnosticJson {
    if format == Format::Human {
        out::error(&e.message, e.help());
    }
    unreadable(&e.shown, e.code, e.message.clone(), Some(e.help()))
}

/// Print problems (human) and turn them into JSON diagnostics.
pub fn report(problems: &[Problem], format: Format) -> Vec<DiagnosticJson> {
    if format == Format::Human {
        // One drawing per run of problems in the same file: its source is
        // cleaned for the terminal once.
        let mut rest = problems;
        while let Some(first) = rest.first() {
            let same = rest
                .iter()
                .take_while(|p| {
                    std::sync::Arc::ptr_eq(p.source.text_arc(), first.source.text_arc())
                        && p.source.name() == first.source.name()
                })
                .count();
            let diagnostics: Vec<Diagnostic> =
                rest[..same].iter().map(|p| p.diagnostic.clone()).collect();
            out::err(&render::human(&first.source, &diagnostics));
            rest = &rest[same..];
        }
    }
    problems_json(problems)
}

/// The error of a scenario that checks nothing.
fn no_expectations(s: &Scenario) -> Problem {
    let diagnostic = Diagnostic::error(
        "scenario::no-expectations",
        format!(
            "`{}` has no expectations (`expect` is missing or empty): nothing was checked",
            s.source.name()
        ),
        Span::point(0),
    )
    .with_help("add an `expect` list; `keyward scenario matrix` shows what the scenario allows");
    Problem {
        source: s.source.clone(),
        diagnostic,
    }
}

fn run_files(paths: &[PathBuf], format: Format, allowed: &[PathBuf]) -> u8 {
    let mut invalid = false;
    let mut out = RunJson::default();
    for found in walk::walk(paths, &SCENARIO_FILES) {
        let target = match found {
            Ok(target) => target,
            Err(e) => {
                invalid = true;
                out.errors.push(walk_error(&e, format));
                continue;
            }
        };
        let scenario = match load_file(&target.path, format, allowed) {
            Ok(s) => s,
            Err(problems) => {
                invalid = true;
                out.errors.extend(problems);
                continue;
            }
        };
        if scenario.checks.is_empty() {
            invalid = true;
            out.errors
                .extend(report(&[no_expectations(&scenario)], format));
            continue;
        }
        let name = scenario.source.name().to_string();
        let results = run(&scenario);
        match format {
            Format::Human => {
                crate::out::text(&human_results(&name, &scenario, &results));
                out.passed += results.iter().filter(|r| r.pass).count();
                out.failed += results.iter().filter(|r| !r.pass).count();
            }
            Format::Json => out.add(&name, &results),
        }
    }
    match format {
        Format::Human => {
            crate::out::text(&format!("{} passed, {} failed\n", out.passed, out.failed))
        }
        Format::Json => crate::out::json(&out),
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
        out.push_str(&format!("  {}\n", escape(d)));
    }
    out.push('\n');
    let principals: Vec<String> = results
        .iter()
        .map(|r| escape(&r.check.principal).into_owned())
        .collect();
    let keys: Vec<String> = results
        .iter()
        .map(|r| escape(&r.check.key).into_owned())
        .collect();
    let width = |names: &[String]| names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let (pw, kw) = (width(&principals), width(&keys));
    let aw = results
        .iter()
        .map(|r| r.check.action.qualified_name().len())
        .max()
        .unwrap_or(0);
    for ((r, principal), key) in results.iter().zip(&principals).zip(&keys) {
        let c = r.check;
        let actual = match r.response.error() {
            Some(e) => format!("{} → {}", decision_words(r.response.decision()), e.kind()),
            None => decision_words(r.response.decision()).to_string(),
        };
        out.push_str(&format!(
            "  {} {principal:pw$}  {:aw$}  {key:kw$}  {actual}\n",
            if r.pass { "✓" } else { "✗" },
            c.action.qualified_name(),
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
