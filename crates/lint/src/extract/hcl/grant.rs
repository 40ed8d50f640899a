//! `aws_kms_grant`: what KMS would refuse in a grant (the KMS developer
//! guide's "Grant concepts" and "Using grant constraints"):
//!
//! * an operation that is not a grant operation (KW109, the rule for
//!   `kms:GrantOperations` values too);
//! * a grantee that is not one principal: `*`, an IAM group, a service
//!   principal (`grantee_principal` takes an account, user, role, federated
//!   user or assumed-role session);
//! * a constraint with more than 8 encryption context pairs, or a value
//!   longer than 384 characters.
//!
//! Unknown values are not judged.

use hcl_edit::structure::Block;
use keyward_eval::KmsAction;
use keyward_policy::Diagnostic;

use super::eval::{Cx, Evaluator, Scope};
use super::resources::Found;
use super::value::{At, Kind, Value};

/// Most encryption context pairs in one grant constraint.
const MAX_PAIRS: usize = 8;
/// Longest encryption context value in a grant constraint, in characters.
const MAX_VALUE_CHARS: usize = 384;

/// Check one instance of an `aws_kms_grant` block.
pub(crate) fn check<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    block: &'l Block,
    found: &mut Vec<Found>,
) {
    let place = |value: &Value, outer: At| {
        if value.at.file == cx.file {
            value.at
        } else {
            value.via.filter(|v| v.file == cx.file).unwrap_or(outer)
        }
    };
    if let Some(operations) = ev.attribute(cx, scope, &block.body, "operations") {
        if let Kind::List(items) = &operations.kind {
            for item in items {
                let Some(name) = item.as_str() else {
                    continue;
                };
                let valid = KmsAction::parse(&format!("kms:{name}"))
                    .is_some_and(|a| a.is_grant_operation());
                if !valid {
                    let at = place(item, operations.at);
                    found.push(Found::Diagnostic(at.file, invalid_operation(name, at)));
                }
            }
        }
    }
    if let Some(grantee) = ev.attribute(cx, scope, &block.body, "grantee_principal") {
        if let Some(problem) = grantee.as_str().and_then(grantee_problem) {
            let at = place(&grantee, grantee.at);
            let d = Diagnostic::error(
                "terraform::invalid-grantee",
                format!("`{}` cannot be a grantee: {problem}", grantee.as_str().unwrap_or("")),
                at.span,
            )
            .with_label("KMS refuses this grant")
            .with_help("name one principal: an account, an IAM user or role, a federated user or an assumed-role session");
            found.push(Found::Diagnostic(at.file, d));
        }
    }
    for constraints in block.body.get_blocks("constraints") {
        for name in ["encryption_context_equals", "encryption_context_subset"] {
            let Some(pairs) = ev.attribute(cx, scope, &constraints.body, name) else {
                continue;
            };
            let Kind::Object(members) = &pairs.kind else {
                continue;
            };
            let at = place(&pairs, pairs.at);
            if members.len() > MAX_PAIRS {
                let d = Diagnostic::error(
                    "terraform::grant-constraint-too-large",
                    format!(
                        "`{name}` has {} encryption context pairs; a grant constraint takes at most {MAX_PAIRS}",
                        members.len()
                    ),
                    at.span,
                )
                .with_label("KMS refuses this grant");
                found.push(Found::Diagnostic(at.file, d));
            }
            for m in members {
                let too_long = m
                    .value
                    .as_str()
                    .is_some_and(|v| v.chars().count() > MAX_VALUE_CHARS);
                if too_long {
                    let at = place(&m.value, at);
                    let d = Diagnostic::error(
                        "terraform::grant-constraint-too-large",
                        format!(
                            "the encryption context value of `{}` is longer than {MAX_VALUE_CHARS} characters",
                            m.key
                        ),
                        at.span,
                    )
                    .with_label("KMS refuses this grant");
                    found.push(Found::Diagnostic(at.file, d));
                }
            }
        }
    }
}

fn invalid_operation(name: &str, at: At) -> Diagnostic {
    let allowed: Vec<String> = KmsAction::ALL
        .iter()
        .filter(|a| a.is_grant_operation())
        .map(|a| format!("`{}`", a.name()))
        .collect();
    Diagnostic::error(
        "KW109",
        format!("`{name}` is not an operation a grant can allow"),
        at.span,
    )
    .with_label("KMS refuses a grant with this operation")
    .with_help(format!("grant operations are {}", allowed.join(", ")))
}

/// Why a grantee is not one principal, if it is not.
fn grantee_problem(grantee: &str) -> Option<&'static str> {
    if grantee.contains('*') {
        Some("a grant names one principal, never a wildcard")
    } else if grantee.ends_with(".amazonaws.com") {
        Some("a service principal is not a grantee principal")
    } else if grantee.starts_with("arn:") && grantee.contains(":group/") {
        Some("an IAM group is not a principal")
    } else {
        None
    }
}
