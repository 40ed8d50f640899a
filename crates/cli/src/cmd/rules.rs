//! `keyward rules [CODE]`: list every lint rule, or explain one.

mod terminal;

use clap::ValueEnum;
use keyward_lint::registry::{self, Rule};
use serde_json::{json, Value};

use crate::out;
use crate::render::escape;

/// Output formats of `keyward rules`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum Format {
    /// A table, or a rule's documentation as plain text.
    #[default]
    Human,
    /// The rules' metadata and documentation as JSON.
    Json,
    /// A rule's page as Markdown, as in `docs/rules/`.
    Markdown,
}

/// Arguments of `keyward rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A rule code (`KW201`), name (`wildcard-principal-without-condition`)
    /// or family (`json`, `policy`) to explain.
    rule: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command; returns the exit code (2 for an unknown rule).
pub fn run(args: &Args) -> u8 {
    let rules: Vec<&Rule> = match &args.rule {
        None => registry::rules().iter().collect(),
        Some(name) => match registry::find(name).or_else(|| registry::for_diagnostic(name)) {
            Some(rule) => vec![rule],
            None => {
                out::error(
                    &format!("unknown rule `{}`", escape(name)),
                    "run `keyward rules` for the list",
                );
                return 2;
            }
        },
    };
    let text = match (args.format, &args.rule) {
        (Format::Json, _) => {
            let values: Vec<Value> = rules.iter().map(|r| describe(r)).collect();
            out::json(&values);
            return 0;
        }
        (Format::Human, Some(_)) => rules
            .iter()
            .map(|r| terminal::render(&keyward_lint::docs::rule_page(r)))
            .collect(),
        (Format::Human, None) => table(&rules),
        (Format::Markdown, Some(_)) => rules
            .iter()
            .map(|r| keyward_lint::docs::rule_page(r))
            .collect(),
        (Format::Markdown, None) => keyward_lint::docs::index_page(),
    };
    out::text(&text);
    0
}

fn describe(rule: &Rule) -> Value {
    let meta = rule.meta();
    json!({
        "code": meta.code,
        "name": meta.name,
        "category": meta.category.as_str(),
        "default_level": meta.default_level.as_str(),
        "scope": meta.scope.describe(),
        "summary": meta.summary,
        "help_uri": rule.help_uri(),
        "docs": meta.docs,
    })
}

fn table(rules: &[&Rule]) -> String {
    let mut out = String::new();
    let width = rules.iter().map(|r| r.meta().name.len()).max().unwrap_or(0);
    for rule in rules {
        let meta = rule.meta();
        let level = if rule.is_family() {
            "-"
        } else {
            meta.default_level.as_str()
        };
        out.push_str(&format!(
            "{:<6} {:<width$}  {:<11} {:<5}  {}\n",
            meta.code,
            meta.name,
            meta.category.as_str(),
            level,
            meta.summary
        ));
    }
    out.push_str(&format!(
        "\n{} rules; `keyward rules CODE` explains one. Levels: off, info, warn, error (set them in .keyward.json).\n",
        rules.len()
    ));
    out
}
