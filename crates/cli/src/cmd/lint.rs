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

use std::io::Write;

use clap::ValueEnum;
use keyward_lint::config::Resolved;
use keyward_lint::extract::InputFormat;
use keyward_lint::report::{self, FileReport, Format, RenderOptions, Report};
use keyward_lint::{lint_file, LintOptions, PolicyKind};
use keyward_policy::{Diagnostic, Severity, Source, Span};

use crate::input;

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
    paths: Vec<String>,
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
    config: Option<String>,
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
            eprintln!("{message}");
            return 2;
        }
    };
    let selection = match files::Selection::new(&args.include, &args.exclude, &config) {
        Ok(selection) => selection,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    let paths: Vec<String> = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let targets = selection.collect(&paths);

    let base = LintOptions {
        format: match args.input_format {
            InputArg::Auto => InputFormat::Auto,
            InputArg::Policy => InputFormat::Policy,
            InputArg::Cloudformation => InputFormat::CloudFormation,
            InputArg::Terraform => InputFormat::Terraform,
        },
        ..LintOptions::default()
    };
    let shown = |path: &str| {
        if path == "-" {
            args.stdin_filename.clone()
        } else {
            path.to_string()
        }
    };
    let options_for = |path: &str| {
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
    // `.tf` files are read module by module (a folder at a time).
    let (tf_targets, targets): (Vec<_>, Vec<_>) = targets.into_iter().partition(terraform::is_tf);
    let tf_targets: Vec<&files::Target> = tf_targets.iter().collect();
    type Linted = Option<(FileReport, suppressions::Tally)>;
    let results = lint_all(&targets, |target| -> Result<Linted, String> {
        let mut input = input::read(&target.path, args.max_size)?;
        input.source = Source::new(shown(&target.path), input.source.text_arc().clone());
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
    });

    let mut report = Report::default();
    let mut tally = suppressions::Tally::default();
    let mut failed = false;
    for (target, result) in targets.iter().zip(results) {
        match result {
            Ok(Some((file, part))) => {
                report.files.push(file);
                tally.merge(part);
            }
            Ok(None) => {}
            // An input that cannot be read is a finding of its own, in every
            // format, and the run fails: never a clean run that skipped it.
            Err(message) => {
                report.files.push(unreadable(shown(&target.path), message));
                failed = true;
            }
        }
    }
    if !tf_targets.is_empty() {
        let modules = terraform::lint_modules(
            &tf_targets,
            args.max_size,
            options_for,
            |path| config.is_ignored(path),
            &mut tally,
        );
        for result in modules {
            match result {
                Ok(file) => report.files.push(file),
                Err((dir, message)) => {
                    report.files.push(unreadable(dir, message));
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
        eprintln!("{message}");
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
    let mut out = String::new();
    report::reporter(format, options).render(&report, &mut out);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return 2;
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

/// The report of an input that could not be read.
fn unreadable(name: String, message: String) -> FileReport {
    let diagnostic = Diagnostic::error("input::unreadable", message, Span::point(0))
        .with_label("not read")
        .with_help("check the path and its permissions; nothing in this input was linted");
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
fn lint_all<T: Sync, R: Send>(targets: &[T], lint: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(targets.len().max(1));
    if threads <= 1 || targets.len() < 8 {
        return targets.iter().map(&lint).collect();
    }
    let chunk = targets.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .chunks(chunk)
            .map(|part| {
                let lint = &lint;
                scope.spawn(move || part.iter().map(lint).collect::<Vec<R>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn use_color(setting: &str) -> bool {
    match setting {
        "always" => true,
        "never" => false,
        _ => {
            std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w: &usize| *w >= 40)
        .unwrap_or(100)
}
