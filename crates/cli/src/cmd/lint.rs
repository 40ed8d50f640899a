//! `keyward lint PATH...`: lint key policies and IAM policies (raw JSON,
//! CloudFormation and SAM templates, Terraform plans and `.tf` modules) for CI.
//!
//! Exit codes: 0 no finding at error level, 1 findings at error level,
//! 2 invalid invocation, configuration or unreadable input.

mod baseline;
mod config;
mod files;
mod suppressions;
pub mod terraform;

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use keyward_lint::config::Resolved;
use keyward_lint::extract::InputFormat;
use keyward_lint::report::{self, FileReport, Format, RenderOptions, Report};
use keyward_lint::{lint_file, LintOptions, PolicyKind};
use keyward_policy::{Diagnostic, Severity, Source, Span};

use crate::walk::Target;

use crate::{input, out, render};

/// Output formats of `keyward lint`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum OutputFormat {
    /// Findings with source snippets, then a summary.
    #[default]
    Human,
    /// keyward's JSON: a summary and every finding with its location.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations (`::error file=…`).
    Github,
    /// JUnit XML, for CI systems' test reports.
    Junit,
    /// A Markdown summary, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

/// Policy kinds on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    /// KMS key policies.
    Key,
    /// IAM identity policies.
    Identity,
}

/// Input formats on the command line.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum InputArg {
    /// Detect from the file name and content.
    #[default]
    Auto,
    /// Policy documents.
    Policy,
    /// CloudFormation templates (JSON or YAML).
    Cloudformation,
    /// Terraform plans (`terraform show -json`).
    Terraform,
}

/// Arguments of `keyward lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to lint (directories recursively); `-` reads
    /// standard input. Default: the current directory.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
    /// Treat every policy as this kind instead of detecting it.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// What the inputs are.
    #[arg(long = "input", value_enum, default_value_t)]
    input_format: InputArg,
    /// Configuration file (default: `.keyward.json` in the current directory or above).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore any configuration file.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// An account that owns the keys (repeatable); others are reported as external.
    #[arg(long = "account", value_name = "ACCOUNT")]
    accounts: Vec<String>,
    /// Glob of files to lint inside directories (repeatable; default
    /// `*.json`, `*.yaml`, `*.yml`, `*.template`).
    #[arg(long = "include", value_name = "GLOB")]
    include: Vec<String>,
    /// Glob of files or directories to skip (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// Skip files that are neither a policy, a CloudFormation template nor a
    /// Terraform plan, even when named (as they are by pre-commit).
    #[arg(long)]
    ignore_unrecognized: bool,
    /// Largest input read, in bytes.
    #[arg(long, default_value_t = keyward_policy::ParseOptions::default().max_size)]
    max_size: usize,
    /// Display name of standard input in reports.
    #[arg(long, default_value = "<stdin>")]
    stdin_filename: String,
    /// Colour in the human format: auto, always or never.
    #[arg(long, default_value = "auto")]
    color: String,
    /// Report only the findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<String>,
    /// Record every finding in this baseline file (and report none of them).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<String>,
}

/// Run the command; returns the exit code.
pub fn run(args: &Args) -> u8 {
    let config = match config::load(args.config.as_deref(), args.no_config) {
        Ok(config) => config,
        Err(message) => {
            out::err(&message);
            return 2;
        }
    };
    let selection = match files::Selection::new(&args.include, &args.exclude, &config) {
        Ok(selection) => selection,
        Err(message) => {
            out::error(&message, "");
            return 2;
        }
    };
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let found = selection.collect(&paths);

    let base = LintOptions {
        format: match args.input_format {
            InputArg::Auto => InputFormat::Auto,
            InputArg::Policy => InputFormat::Policy,
            InputArg::Cloudformation => InputFormat::CloudFormation,
            InputArg::Terraform => InputFormat::Terraform,
        },
        ..LintOptions::default()
    };
    let shown = |target: &Target| {
        if input::is_stdin(&target.path) {
            args.stdin_filename.clone()
        } else {
            target.shown.clone()
        }
    };
    let options_for = |path: &Path| {
        let resolved: Resolved = config.resolve(path);
        LintOptions {
            kind: args.kind.map(kind).or(resolved.kind),
            levels: resolved.levels,
            accounts: if args.accounts.is_empty() {
                resolved.accounts
            } else {
                args.accounts.clone()
            },
            suppressions: resolved.suppressions,
            ..base.clone()
        }
    };
    type Linted = Option<(FileReport, suppressions::Tally)>;
    let lint_one = |target: &Target| -> Result<Linted, String> {
        let mut input = input::read(&target.path, args.max_size)?;
        input.source = Source::new(shown(target), input.source.text_arc().clone());
        let options = options_for(&target.path);
        let linted = match input.decode_error {
            // Too large to read: that is the only finding.
            Some(d) if input.source.text().is_empty() => keyward_lint::FileLint {
                diagnostics: vec![d],
                documents: 0,
                recognized: true,
                ..keyward_lint::FileLint::default()
            },
            Some(d) => {
                let mut linted = lint_file(&input.source, &options);
                linted.diagnostics.insert(0, d);
                linted
            }
            None => lint_file(&input.source, &options),
        };
        // Files found by walking a directory that are neither policies,
        // templates nor plans are not ours to judge.
        if (target.discovered || args.ignore_unrecognized) && !linted.recognized {
            return Ok(None);
        }
        let mut tally = suppressions::Tally::default();
        let mut linted = linted;
        tally.record(&input.source, &options, &mut linted);
        let file = FileReport {
            source: input.source,
            diagnostics: linted.diagnostics,
        };
        Ok(Some((file, tally)))
    };
    // `.tf` files are read module by module (a folder at a time).
    let (tf_targets, targets): (Vec<&Target>, Vec<&Target>) = found
        .iter()
        .filter_map(|f| f.as_ref().ok())
        .partition(|t| terraform::is_tf(t));
    let mut results = lint_all(&targets, |target| lint_one(target)).into_iter();

    let mut report = Report::default();
    let mut tally = suppressions::Tally::default();
    let mut failed = false;
    for item in &found {
        match item {
            // What the walk could not take in is a finding of its own.
            Err(e) => {
                report.files.push(unreadable(
                    e.shown.clone(),
                    e.code,
                    e.message.clone(),
                    e.help(),
                ));
                failed = true;
            }
            Ok(target) if terraform::is_tf(target) => {}
            Ok(target) => match results.next().flatten() {
                Some(Ok(Some((file, part)))) => {
                    report.files.push(file);
                    tally.merge(part);
                }
                Some(Ok(None)) => {}
                // An input that cannot be read is a finding of its own, in every
                // format, and the run fails: never a clean run that skipped it.
                Some(Err(message)) => {
                    let help =
                        "check the path and its permissions; nothing in this input was linted";
                    report.files.push(unreadable(
                        shown(target),
                        "input::unreadable",
                        message,
                        help,
                    ));
                    failed = true;
                }
                None => {
                    let message = format!(
                        "`{}` was not linted: the linter stopped on it",
                        shown(target)
                    );
                    report.files.push(unreadable(
                        shown(target),
                        "input::internal",
                        message,
                        "please report this input",
                    ));
                    failed = true;
                }
            },
        }
    }
    if !tf_targets.is_empty() {
        let modules = terraform::lint_modules(
            &tf_targets,
            args.max_size,
            |path| options_for(Path::new(path)),
            |path| config.is_ignored(Path::new(path)),
            &mut tally,
        );
        for result in modules {
            match result {
                Ok(file) => report.files.push(file),
                Err((dir, message)) => {
                    let help =
                        "check the path and its permissions; nothing in this module was linted";
                    report
                        .files
                        .push(unreadable(dir, "input::unreadable", message, help));
                    failed = true;
                }
            }
        }
    }
    terraform::merge_same_files(&mut report.files);
    tally.finish(&mut report, &config);
    if let Err(message) = baseline::apply(
        &mut report,
        args.baseline.as_deref(),
        args.write_baseline.as_deref(),
    ) {
        out::err(&format!("{message}\n"));
        return 2;
    }
    let format = match args.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
        OutputFormat::Junit => Format::Junit,
        OutputFormat::Markdown => Format::Markdown,
    };
    let options = RenderOptions {
        color: use_color(&args.color),
        width: terminal_width(),
    };
    let mut text = String::new();
    match format {
        Format::Human | Format::Github | Format::Junit | Format::Markdown => {
            report::reporter(format, options).render(&render::clean_report(&report), &mut text);
        }
        Format::Json | Format::Sarif => {
            report::reporter(format, options).render(&report, &mut text)
        }
    }
    match format {
        Format::Human | Format::Junit | Format::Markdown => out::text(&text),
        Format::Github => out::commands(&text),
        Format::Json | Format::Sarif => out::json_text(&text),
    }
    if failed {
        2
    } else if report
        .findings()
        .any(|(_, d)| d.severity == Severity::Error)
    {
        1
    } else {
        0
    }
}

/// The report of an input that could not be read or taken in.
fn unreadable(name: String, code: &'static str, message: String, help: &str) -> FileReport {
    let diagnostic = Diagnostic::error(code, message, Span::point(0))
        .with_label("not read")
        .with_help(help);
    FileReport {
        source: Source::new(name, ""),
        diagnostics: vec![diagnostic],
    }
}

fn kind(arg: KindArg) -> PolicyKind {
    match arg {
        KindArg::Key => PolicyKind::Key,
        KindArg::Identity => PolicyKind::Identity,
    }
}

/// Lint every target, on as many threads as there are cores, keeping order.
/// `None` for the targets of a thread that panicked: they were not linted,
/// and the caller says so (never a clean run that lost them).
fn lint_all<T: Sync, R: Send>(targets: &[T], lint: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(targets.len().max(1));
    if threads <= 1 || targets.len() < 8 {
        return targets.iter().map(|t| Some(lint(t))).collect();
    }
    let chunk = targets.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .chunks(chunk)
            .map(|part| {
                let lint = &lint;
                (
                    part.len(),
                    scope.spawn(move || part.iter().map(lint).collect::<Vec<R>>()),
                )
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(len, h)| match h.join() {
                Ok(results) => results.into_iter().map(Some).collect::<Vec<_>>(),
                Err(_) => (0..len).map(|_| None).collect(),
            })
            .collect()
    })
}

fn use_color(setting: &str) -> bool {
    match setting {
        "always" => true,
        "never" => false,
        _ => std::env::var_os("NO_COLOR").is_none() && out::stdout_is_terminal(),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}
