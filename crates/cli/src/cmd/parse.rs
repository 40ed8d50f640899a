//! `keyward parse FILE...`: print each policy normalized, or its diagnostics.

use std::path::PathBuf;

use clap::ValueEnum;
use keyward_policy::{model, parse_policy_with, ParseOptions};
use serde_json::{json, Value};

use crate::walk::{self, Extension};
use crate::{input, out, render};

/// What `parse` reads from a directory.
const POLICY_FILES: Extension = Extension {
    extension: "json",
    inputs: "`*.json` policy file",
};

/// Output formats of `keyward parse`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum Format {
    /// Normalized policies, or diagnostics with source snippets.
    #[default]
    Human,
    /// One JSON array: `[{"path", "valid", "policy", "diagnostics"}]`.
    Json,
}

/// Arguments of `keyward parse`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Policy files or directories (every `*.json` in them); `-` for
    /// standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Deepest JSON nesting accepted.
    #[arg(long, default_value_t = ParseOptions::default().max_depth)]
    max_depth: usize,
    /// Largest input accepted, in bytes.
    #[arg(long, default_value_t = ParseOptions::default().max_size)]
    max_size: usize,
}

/// Run the command; returns the exit code (0 all valid, 2 any invalid).
pub fn run(args: &Args) -> u8 {
    let options = ParseOptions {
        max_depth: args.max_depth,
        max_size: args.max_size,
        ..ParseOptions::default()
    };
    let mut all_valid = true;
    let mut results = Vec::new();
    for found in walk::walk(&args.files, &POLICY_FILES) {
        let (path, name) = match found {
            Ok(target) => (target.path.clone(), input::name(&target.path)),
            Err(e) => {
                out::error(&e.message, e.help());
                all_valid = false;
                results.push(json!({"path": e.shown, "valid": false, "policy": null, "diagnostics": [], "error": e.message}));
                continue;
            }
        };
        let input = match input::read(&path, options.max_size) {
            Ok(input) => input,
            Err(message) => {
                out::error(&message, "");
                all_valid = false;
                results.push(json!({"path": name, "valid": false, "policy": null, "diagnostics": [], "error": message}));
                continue;
            }
        };
        let mut parse = match &input.decode_error {
            Some(d) => keyward_policy::PolicyParse {
                policy: None,
                diagnostics: vec![d.clone()],
            },
            None => parse_policy_with(input.source.text(), &options),
        };
        all_valid &= parse.policy.is_some();
        parse.diagnostics.sort_by_key(|d| d.span().start);
        match args.format {
            Format::Human => {
                out::err(&render::human(&input.source, &parse.diagnostics));
                if let Some(policy) = &parse.policy {
                    // The normalized policy is JSON (its strings escaped).
                    out::json_text(&model::to_json_string(policy));
                }
            }
            Format::Json => {
                let policy = parse
                    .policy
                    .as_ref()
                    .and_then(|p| serde_json::from_str::<Value>(&model::to_json_string(p)).ok());
                let diagnostics: Vec<Value> = parse
                    .diagnostics
                    .iter()
                    .map(|d| render::json(&input.source, d))
                    .collect();
                results.push(json!({
                    "path": name,
                    "valid": parse.policy.is_some(),
                    "policy": policy,
                    "diagnostics": diagnostics,
                }));
            }
        }
    }
    if matches!(args.format, Format::Json) {
        out::json(&Value::Array(results));
    }
    if all_valid {
        0
    } else {
        2
    }
}
