//! `.keyward.json` text → [`Config`], with a located diagnostic for every mistake.

use keyward_policy::json::{self, JsonKind, JsonValue};
use keyward_policy::{Diagnostic, ParseOptions};

use super::levels::{RuleSetting, SettingError};
use super::suppress::suppressions;
use super::{Config, Override, Settings};
use crate::PolicyKind;

/// Parse a configuration file. `Err` holds every problem found, located in `text`.
///
/// ```
/// let config = keyward_lint::config::parse_config(r#"{"rules": {"security": "error"}}"#).unwrap();
/// assert_eq!(config.base.rules.len(), 1);
/// ```
pub fn parse_config(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let parsed = json::parse(text, &ParseOptions::default());
    let mut errors = parsed.diagnostics;
    let Some(root) = parsed.value else {
        return Err(errors);
    };
    let mut config = Config::default();
    match root.as_object() {
        None => errors.push(type_error(&root, "the configuration", "an object")),
        Some(members) => {
            for member in members {
                let value = &member.value;
                match &*member.key {
                    "$schema" => {}
                    "ignore" => config.ignore = strings(value, "ignore", &mut errors),
                    "overrides" => config.overrides = overrides(value, &mut errors),
                    key => {
                        if !settings_member(key, value, &mut config.base, &mut errors) {
                            errors.push(unknown_field(key, member.key_span, TOP_FIELDS));
                        }
                    }
                }
            }
        }
    }
    if errors.iter().any(Diagnostic::is_error) {
        Err(errors)
    } else {
        Ok(config)
    }
}

const TOP_FIELDS: &str = "`rules`, `kind`, `accounts`, `suppress`, `ignore`, `overrides`";
const OVERRIDE_FIELDS: &str = "`files`, `rules`, `kind`, `accounts`, `suppress`";

/// Read a member shared by the top level and overrides; false if `key` is not one.
fn settings_member(
    key: &str,
    value: &JsonValue,
    settings: &mut Settings,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    match key {
        "rules" => settings.rules = rules(value, errors),
        "kind" => settings.kind = kind(value, errors),
        "accounts" => settings.accounts = strings(value, "accounts", errors),
        "suppress" => settings.suppress = suppressions(value, errors),
        _ => return false,
    }
    true
}

fn rules(value: &JsonValue, errors: &mut Vec<Diagnostic>) -> Vec<RuleSetting> {
    let Some(members) = value.as_object() else {
        errors.push(type_error(value, "`rules`", "an object of rule → level"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for member in members {
        let Some(level) = member.value.as_str() else {
            errors.push(type_error(&member.value, "a rule level", "a string"));
            continue;
        };
        match RuleSetting::parse(&member.key, level) {
            Ok(setting) => out.push(setting),
            Err(SettingError::UnknownRule) => errors.push(
                Diagnostic::error(
                    "config::unknown-rule",
                    format!("unknown rule or category `{}`", member.key),
                    member.key_span,
                )
                .with_help("run `keyward rules` for the codes and names; categories are `correctness`, `security`, `suspicious`, `style`"),
            ),
            Err(SettingError::UnknownLevel) => errors.push(
                Diagnostic::error(
                    "config::unknown-level",
                    format!("unknown level `{level}`"),
                    member.value.span,
                )
                .with_help("use `off`, `info`, `warn` or `error`"),
            ),
        }
    }
    out
}

fn kind(value: &JsonValue, errors: &mut Vec<Diagnostic>) -> Option<PolicyKind> {
    let parsed = value.as_str().and_then(PolicyKind::parse);
    if parsed.is_none() {
        errors.push(
            Diagnostic::error(
                "config::unknown-kind",
                format!("`kind` must be `key` or `identity`, not {}", describe(value)),
                value.span,
            )
            .with_help("use `key` for KMS key policies, `identity` for IAM policies, or leave it out to detect the kind"),
        );
    }
    parsed
}

fn overrides(value: &JsonValue, errors: &mut Vec<Diagnostic>) -> Vec<Override> {
    let Some(items) = value.as_array() else {
        errors.push(type_error(value, "`overrides`", "an array of objects"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(members) = item.as_object() else {
            errors.push(type_error(item, "an override", "an object"));
            continue;
        };
        let mut entry = Override::default();
        let mut has_files = false;
        for member in members {
            if &*member.key == "files" {
                entry.files = strings(&member.value, "files", errors);
                has_files = true;
            } else if !settings_member(&member.key, &member.value, &mut entry.settings, errors) {
                errors.push(unknown_field(&member.key, member.key_span, OVERRIDE_FIELDS));
            }
        }
        if !has_files {
            errors.push(
                Diagnostic::error(
                    "config::missing-files",
                    "override without `files`",
                    item.span,
                )
                .with_help("add `\"files\": [\"glob/**\"]` naming the paths it applies to"),
            );
        }
        out.push(entry);
    }
    out
}

fn strings(value: &JsonValue, what: &str, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    match &value.kind {
        JsonKind::String(s) => vec![s.to_string()],
        JsonKind::Array(items) => items
            .iter()
            .filter_map(|item| match item.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    errors.push(type_error(
                        item,
                        &format!("an entry of `{what}`"),
                        "a string",
                    ));
                    None
                }
            })
            .collect(),
        _ => {
            errors.push(type_error(
                value,
                &format!("`{what}`"),
                "an array of strings",
            ));
            Vec::new()
        }
    }
}

fn describe(value: &JsonValue) -> String {
    match value.as_str() {
        Some(s) => format!("`{s}`"),
        None => value.kind_name().to_string(),
    }
}

pub(super) fn type_error(value: &JsonValue, what: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(
        "config::wrong-type",
        format!("{what} must be {expected}, not {}", value.kind_name()),
        value.span,
    )
    .with_help(format!(
        "write {what} as {expected}; see docs/config-schema.json"
    ))
}

pub(super) fn unknown_field(key: &str, span: keyward_policy::Span, fields: &str) -> Diagnostic {
    Diagnostic::error(
        "config::unknown-field",
        format!("unknown field `{key}`"),
        span,
    )
    .with_help(format!("the fields are {fields}"))
}
