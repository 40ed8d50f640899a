//! `suppress` in `.keyward.json`: findings accepted in the statements with
//! a given `Sid`.
//!
//! ```json
//! "suppress": [
//!   { "sid": "AuditRead", "code": "KW208", "reason": "the audit account reads every key" }
//! ]
//! ```
//!
//! A missing `reason` is not a configuration error: the suppression is
//! kept, suppresses nothing, and is reported as a finding in the
//! configuration file (`suppression::missing-reason`).

use keyward_policy::json::JsonValue;
use keyward_policy::Diagnostic;

use super::parse::{type_error, unknown_field};
use crate::suppress::{named_rule, SidSuppression};

const FIELDS: &str = "`sid`, `code`, `reason`";

/// Read a `suppress` list.
pub(super) fn suppressions(value: &JsonValue, errors: &mut Vec<Diagnostic>) -> Vec<SidSuppression> {
    let Some(items) = value.as_array() else {
        errors.push(type_error(value, "`suppress`", "an array of objects"));
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| entry(item, errors))
        .collect()
}

fn entry(item: &JsonValue, errors: &mut Vec<Diagnostic>) -> Option<SidSuppression> {
    let Some(members) = item.as_object() else {
        errors.push(type_error(item, "a suppression", "an object"));
        return None;
    };
    let mut sid = None;
    let mut rule = None;
    let mut reason = None;
    let mut complete = true;
    for member in members {
        let value = &member.value;
        let text = value.as_str();
        match (&*member.key, text) {
            ("sid", Some(text)) if !text.is_empty() => sid = Some(text.to_string()),
            ("code", Some(text)) => match named_rule(text) {
                Some(found) => rule = Some(found.code()),
                None => {
                    complete = false;
                    errors.push(
                        Diagnostic::error(
                            "config::unknown-rule",
                            format!("`{text}` names no rule that can be suppressed"),
                            value.span,
                        )
                        .with_help("run `keyward rules` for the codes and names"),
                    );
                }
            },
            ("reason", Some(text)) => {
                reason = Some(text.trim().to_string()).filter(|r| !r.is_empty());
            }
            ("sid" | "code" | "reason", _) => {
                complete = false;
                errors.push(type_error(
                    value,
                    &format!("`{}`", member.key),
                    "a non-empty string",
                ));
            }
            (key, _) => {
                complete = false;
                errors.push(unknown_field(key, member.key_span, FIELDS));
            }
        }
    }
    for (missing, what) in [(sid.is_none(), "sid"), (rule.is_none(), "code")] {
        if missing && complete {
            errors.push(
                Diagnostic::error(
                    "config::missing-field",
                    format!("suppression without `{what}`"),
                    item.span,
                )
                .with_help("a suppression names the statement (`sid`), the rule (`code`) and why (`reason`)"),
            );
        }
    }
    Some(SidSuppression {
        sid: sid?,
        rule: rule?,
        reason,
        at: item.span,
    })
}
