//! `keyward diff OLD NEW` (or `keyward diff --base-ref GIT_REF NEW`): access
//! gained and lost, per principal class and key, with the conditions under
//! which each change holds and the statement behind it.
//!
//! Exit codes: 0 no change of access, 1 some change, 2 invalid input or
//! a diff that may be incomplete.

use clap::ValueEnum;
use keyward_analysis::diff::{diff, Change};
use serde_json::json;

use super::check::{kind_of, load_pair, pairs, Common, KindArg, Loaded, LoadedDoc, OutputFormat};
use crate::out;
use crate::render::escape;

/// Output formats of `keyward diff`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One block per change, for people.
    #[default]
    Human,
    /// `{"changes": […], …}`.
    Json,
}

/// Arguments of `keyward diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy (or template, or plan) before, then after; with
    /// `--base-ref`, only the one after.
    #[arg(num_args = 1..=2, required = true, value_name = "OLD NEW")]
    files: Vec<String>,
    /// Read the old version as the new file's path at this git revision.
    #[arg(long, value_name = "GIT_REF")]
    base_ref: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: DiffFormat,
    /// The policy kind (default: detected).
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// The key the key policy is for.
    #[arg(long, value_name = "KEY-ARN")]
    key: Option<String>,
}

/// Run: 0 no change, 1 changes, 2 invalid input or incomplete.
pub fn run(args: &Args) -> u8 {
    let common = Common {
        format: match args.format {
            DiffFormat::Human => OutputFormat::Human,
            DiffFormat::Json => OutputFormat::Json,
        },
        kind: args.kind,
        key: args.key.clone(),
        input_format: super::check::InputArg::Auto,
        max_witnesses: 1,
    };
    let (base, head) = match (args.files.as_slice(), &args.base_ref) {
        ([old, new], None) => (Some(old.as_str()), new.as_str()),
        ([new], Some(_)) => (None, new.as_str()),
        _ => {
            return super::check::emit_error(
                "give OLD and NEW, or --base-ref GIT_REF and NEW",
                common.format,
            )
        }
    };
    let (base, head, empties) = match load_pair(base, args.base_ref.as_deref(), head, &common) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut all: Vec<(&LoadedDoc, &LoadedDoc, Vec<Change>)> = Vec::new();
    let mut incomplete = Vec::new();
    for (b, h) in pairs(base.as_ref(), &head, &empties) {
        let d = diff(&b.doc, &h.doc, kind_of(h.kind), &common.options_for(h));
        if let Some(u) = d.unknown {
            incomplete.push(u);
        }
        all.push((b, h, d.changes));
    }
    let changed = all.iter().any(|(_, _, c)| !c.is_empty());
    match args.format {
        DiffFormat::Json => {
            let changes: Vec<serde_json::Value> = all
                .iter()
                .flat_map(|(_, doc, changes)| {
                    changes.iter().map(move |c| {
                        let mut j = c.to_json();
                        if let Some(label) = &doc.label {
                            j["resource"] = json!(label);
                        }
                        j
                    })
                })
                .collect();
            out::json(&json!({"changes": changes, "incomplete": incomplete}));
        }
        DiffFormat::Human => out::text(&human(base.as_ref(), &head, &all, &incomplete)),
    }
    if !incomplete.is_empty() {
        2
    } else if changed {
        1
    } else {
        0
    }
}

/// For people; every text from the inputs escaped ([`escape`]).
fn human(
    base: Option<&Loaded>,
    head: &Loaded,
    all: &[(&LoadedDoc, &LoadedDoc, Vec<Change>)],
    incomplete: &[String],
) -> String {
    let mut out = String::new();
    for (base_doc, doc, changes) in all {
        if let Some(label) = &doc.label {
            out.push_str(&format!("resource {}:\n", escape(label)));
        }
        for c in changes {
            let actions: Vec<&str> = c.actions.iter().map(|a| a.qualified_name()).collect();
            out.push_str(&format!(
                "{} {} {} {} on {}\n",
                if c.gained { "+" } else { "-" },
                c.principal_class,
                if c.gained {
                    "can now call"
                } else {
                    "can no longer call"
                },
                actions.join(", "),
                escape(&c.key)
            ));
            for alternative in &c.when {
                if alternative.is_empty() {
                    out.push_str("    always\n");
                } else {
                    out.push_str(&format!("    when {}\n", escape(&alternative.join("; "))));
                }
            }
            if let Some(s) = &c.example.statement {
                let s = match (c.gained, base) {
                    (true, _) => head.locate(doc, s),
                    (false, Some(base)) => base.locate(base_doc, s),
                    (false, None) => s.clone(),
                };
                out.push_str(&format!(
                    "    {} statement {} at {}:{}:{}\n",
                    if c.gained {
                        "granted by"
                    } else {
                        "was granted by"
                    },
                    escape(&s.statement),
                    escape(&s.file),
                    s.line,
                    s.column
                ));
            }
            out.push_str(&format!("    e.g. {}\n", escape(&c.example.principal)));
        }
    }
    if all.iter().all(|(_, _, c)| c.is_empty()) {
        out.push_str("no change of access\n");
    }
    for u in incomplete {
        out.push_str(&format!("incomplete: {}\n", escape(u)));
    }
    out
}
