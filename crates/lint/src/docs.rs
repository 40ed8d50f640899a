//! Documentation generated from the registry: one page per rule
//! (`docs/rules/CODE.md`), the index (`docs/rules/README.md`) and the config
//! schema (`docs/config-schema.json`). A test keeps the files in the
//! repository up to date (`KEYWARD_BLESS=1` rewrites them).

use serde_json::{json, Value};

use crate::registry::{self, Category, Level, Rule};

const GENERATED: &str =
    "<!-- Generated from the rule registry (crates/lint/src/rules/). Do not edit: run `KEYWARD_BLESS=1 cargo test -p keyward-lint --test docs`. -->";

/// The page of one rule.
pub fn rule_page(rule: &Rule) -> String {
    let meta = rule.meta();
    let level = if rule.is_family() {
        "as reported (errors, some warnings)".to_string()
    } else {
        meta.default_level.to_string()
    };
    let codes = if rule.is_family() {
        format!("`{}::…`", meta.code)
    } else {
        format!("`{}`", meta.code)
    };
    format!(
        "{GENERATED}\n\n# {code}: {name}\n\n{summary}\n\n| | |\n|---|---|\n| Code | {codes} |\n| Category | {category} |\n| Default level | {level} |\n| Checks | {scope} |\n\n{docs}\n## Configuration\n```json\n{{ \"rules\": {{ \"{code}\": \"off\" }} }}\n```\nUse `off`, `info`, `warn` or `error`; the name `{name}` works too.\n",
        code = meta.code,
        name = meta.name,
        summary = capitalize(meta.summary),
        category = meta.category,
        scope = meta.scope.describe(),
        docs = meta.docs.trim_end().to_string() + "\n",
    )
}

/// The index of all rules.
pub fn index_page() -> String {
    let mut out = format!(
        "{GENERATED}\n\n# Lint rules\n\nEvery rule has a stable code, a category and a default level; the\nconfiguration file (`.keyward.json`, see [../lint.md](../lint.md)) can set a\nrule, a family or a whole category to `off`, `info`, `warn` or `error`.\n\n"
    );
    for category in Category::ALL {
        let rules: Vec<&Rule> = registry::rules()
            .iter()
            .filter(|r| r.meta().category == category)
            .collect();
        if rules.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "## {}\n\n| Code | Name | Default | Checks | Finds |\n|---|---|---|---|---|\n",
            capitalize(category.as_str())
        ));
        for rule in rules {
            let meta = rule.meta();
            let level = if rule.is_family() {
                "as reported"
            } else {
                meta.default_level.as_str()
            };
            out.push_str(&format!(
                "| [{code}]({code}.md) | {name} | {level} | {scope} | {summary} |\n",
                code = meta.code,
                name = meta.name,
                scope = meta.scope.describe(),
                summary = meta.summary,
            ));
        }
        out.push('\n');
    }
    out
}

/// The JSON schema of `.keyward.json`.
pub fn config_schema() -> String {
    let mut names: Vec<String> = Vec::new();
    for rule in registry::rules() {
        names.push(rule.meta().code.to_string());
        names.push(rule.meta().name.to_string());
    }
    names.extend(Category::ALL.iter().map(|c| c.as_str().to_string()));
    let levels: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
    let rules = json!({
        "type": "object",
        "description": "Rule code, rule name, family (`json`, `policy`) or category → level. A rule setting wins over a category setting.",
        "propertyNames": { "enum": names },
        "additionalProperties": { "enum": levels },
    });
    let kind = json!({
        "enum": ["key", "identity"],
        "description": "Treat every policy as a KMS key policy or an IAM identity policy instead of detecting the kind.",
    });
    let accounts = json!({
        "type": "array",
        "items": { "type": "string", "pattern": "^[0-9]{12}$" },
        "description": "The accounts that own the keys; access for any other account is reported by KW208.",
    });
    let globs = |description: &str| json!({ "type": "array", "items": { "type": "string" }, "description": description });
    let suppressible: Vec<String> = registry::rules()
        .iter()
        .filter(|r| crate::suppress::named_rule(r.code()).is_some())
        .flat_map(|r| [r.code().to_string(), r.meta().name.to_string()])
        .collect();
    let suppress = json!({
        "type": "array",
        "description": "Findings accepted on purpose: those of rule `code` in the statements with Sid `sid`. A suppression without a `reason` suppresses nothing and is reported (suppression::missing-reason); one that covers nothing is reported at info level (suppression::unused).",
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["sid", "code", "reason"],
            "properties": {
                "sid": { "type": "string", "minLength": 1, "description": "The Sid of the statements whose findings are accepted." },
                "code": { "enum": suppressible, "description": "The rule (code or name) whose findings are accepted." },
                "reason": { "type": "string", "minLength": 1, "description": "Why the findings are accepted, for the next reviewer." },
            },
        },
    });
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/keyward/keyward/blob/main/docs/config-schema.json",
        "title": "keyward configuration (.keyward.json)",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "$schema": { "type": "string" },
            "rules": rules,
            "kind": kind,
            "accounts": accounts,
            "suppress": suppress,
            "ignore": globs("Glob patterns (relative to the config file) of paths never linted."),
            "overrides": {
                "type": "array",
                "description": "Settings for some paths, applied in order after the top-level ones.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["files"],
                    "properties": {
                        "files": globs("Glob patterns (relative to the config file) the override applies to."),
                        "rules": rules,
                        "kind": kind,
                        "accounts": accounts,
                        "suppress": suppress,
                    },
                },
            },
        },
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The examples in a rule's docs: `(valid, fence info, code)` for each
/// fenced block under `### Invalid` or `### Valid`.
pub fn examples(docs: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut section: Option<bool> = None;
    let mut block: Option<(String, String)> = None;
    for line in docs.lines() {
        if let Some((info, mut code)) = block.take() {
            if line.trim_start().starts_with("```") {
                if let Some(valid) = section {
                    out.push(Example { valid, info, code });
                }
            } else {
                code.push_str(line);
                code.push('\n');
                block = Some((info, code));
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            section = match trimmed.trim_start_matches('#').trim() {
                "Invalid" => Some(false),
                "Valid" => Some(true),
                _ if trimmed.starts_with("###") => None,
                _ => None,
            };
        } else if let Some(info) = trimmed.strip_prefix("```") {
            block = Some((info.to_string(), String::new()));
        }
    }
    out
}

/// One example from a rule's docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// True under `### Valid`, false under `### Invalid`.
    pub valid: bool,
    /// The fence's info string, e.g. `json` or `json identity`.
    pub info: String,
    /// The example's text.
    pub code: String,
}

impl Example {
    /// The policy kind the fence names (`json key` / `json identity`), if any.
    pub fn kind(&self) -> Option<crate::PolicyKind> {
        self.info
            .split_whitespace()
            .find_map(crate::PolicyKind::parse)
    }

    /// The file name the fence names (`yaml file=template.yaml`), if any.
    pub fn file_name(&self) -> Option<&str> {
        self.info
            .split_whitespace()
            .find_map(|w| w.strip_prefix("file="))
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// JSON value of the schema, for tests.
pub fn config_schema_value() -> Value {
    serde_json::from_str(&config_schema()).unwrap_or(Value::Null)
}
