//! Suppressions in a CloudFormation resource's `Metadata`:
//!
//! ```yaml
//! MyKey:
//!   Type: AWS::KMS::Key
//!   Metadata:
//!     keyward:
//!       suppress:
//!         - code: KW208
//!           reason: the audit account reads every key
//! ```
//!
//! (cfn-lint, cfn_nag and checkov read their own keys of `Metadata` the
//! same way; keyward reads only `keyward`.)

use keyward_policy::json::{JsonMember, JsonValue};
use keyward_policy::{Diagnostic, Span};

use super::{named_rule, Suppression};

const ENTRY_FIELDS: &str = "`code` and `reason`";

/// Read the suppressions of one resource (`Resources.<name>`), if its
/// `Metadata` has a `keyward` member. Mistakes are diagnostics.
pub(crate) fn read(
    resource: &JsonMember,
    pointer: &str,
    out: &mut Vec<Suppression>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(keyward) = resource
        .value
        .get("Metadata")
        .and_then(|metadata| metadata.get("keyward"))
    else {
        return;
    };
    let pointer = format!("{pointer}/Metadata/keyward");
    let Some(members) = keyward.as_object() else {
        diagnostics.push(invalid(
            keyward,
            "`keyward` in `Metadata` must be an object with `suppress`",
            &pointer,
        ));
        return;
    };
    for member in members {
        if &*member.key != "suppress" {
            diagnostics.push(
                Diagnostic::error(
                    "suppression::invalid",
                    format!("unknown field `{}` in `Metadata.keyward`", member.key),
                    member.key_span,
                )
                .with_help("the only field is `suppress`: a list of `{code, reason}`")
                .with_pointer(pointer.clone()),
            );
            continue;
        }
        let pointer = format!("{pointer}/suppress");
        let Some(entries) = member.value.as_array() else {
            diagnostics.push(invalid(
                &member.value,
                "`suppress` must be a list of `{code, reason}`",
                &pointer,
            ));
            continue;
        };
        for (i, entry) in entries.iter().enumerate() {
            let pointer = format!("{pointer}/{i}");
            if let Some(s) = read_entry(resource, entry, &pointer, diagnostics) {
                out.push(s);
            }
        }
    }
}

fn read_entry(
    resource: &JsonMember,
    entry: &JsonValue,
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Suppression> {
    let Some(members) = entry.as_object() else {
        diagnostics.push(invalid(
            entry,
            "a suppression must be an object with `code` and `reason`",
            pointer,
        ));
        return None;
    };
    let mut code: Option<(&str, Span)> = None;
    let mut reason = None;
    for member in members {
        match &*member.key {
            "code" => match member.value.as_str() {
                Some(text) => code = Some((text, member.value.span)),
                None => diagnostics.push(invalid(
                    &member.value,
                    "`code` must be a rule code or name, e.g. `KW201`",
                    pointer,
                )),
            },
            "reason" => match member.value.as_str() {
                Some(text) => reason = Some(text.trim().to_string()).filter(|r| !r.is_empty()),
                None => {
                    diagnostics.push(invalid(&member.value, "`reason` must be a string", pointer))
                }
            },
            other => diagnostics.push(
                Diagnostic::error(
                    "suppression::invalid",
                    format!("unknown field `{other}` in a suppression"),
                    member.key_span,
                )
                .with_help(format!(
                    "a suppression has {ENTRY_FIELDS} (e.g. `{{code: KW201, reason: \"…\"}}`)"
                ))
                .with_pointer(pointer.to_string()),
            ),
        }
    }
    let Some((name, name_span)) = code else {
        diagnostics.push(
            Diagnostic::error(
                "suppression::invalid",
                "a suppression without `code` names no rule",
                entry.span,
            )
            .with_help("add `code: KW…` naming the rule whose findings it accepts")
            .with_pointer(pointer.to_string()),
        );
        return None;
    };
    let Some(rule) = named_rule(name) else {
        diagnostics.push(unknown_rule(name, name_span, pointer));
        return None;
    };
    Some(Suppression {
        rule,
        reason,
        scope: resource.value.span,
        at: entry.span,
        pointer: Some(pointer.to_string()),
        scope_name: format!("resource `{}`", resource.key),
    })
}

fn invalid(value: &JsonValue, message: &str, pointer: &str) -> Diagnostic {
    Diagnostic::error(
        "suppression::invalid",
        format!("{message}, not {}", value.kind_name()),
        value.span,
    )
    .with_help("write `Metadata: {keyward: {suppress: [{code: KW201, reason: \"…\"}]}}`")
    .with_pointer(pointer.to_string())
}

pub(super) fn unknown_rule(name: &str, span: Span, pointer: &str) -> Diagnostic {
    let d = Diagnostic::error(
        "suppression::unknown-rule",
        format!("`{name}` names no rule that can be suppressed"),
        span,
    )
    .with_help("run `keyward rules` for the codes and names");
    if pointer.is_empty() {
        d
    } else {
        d.with_pointer(pointer.to_string())
    }
}
