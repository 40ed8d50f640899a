//! AWS SAM (`Transform: AWS::Serverless-2016-10-31`): the `Policies` of
//! `AWS::Serverless::Function` and `AWS::Serverless::StateMachine`. Inline
//! policy documents are linted as identity policies; the SAM policy
//! templates that grant KMS permissions are expanded to the statements the
//! SAM policy template list documents:
//!
//! * `KMSDecryptPolicy: {KeyId}`: `kms:Decrypt` on
//!   `arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}`;
//! * `KMSEncryptPolicy: {KeyId}`: `kms:Encrypt` on the same key.
//!
//! Managed policy names and the other templates carry no KMS statement and
//! are skipped. Every element of an expanded statement points at the
//! template's entry in `Policies`.

use keyward_policy::json::{JsonKind, JsonMember, JsonValue};
use keyward_policy::Span;

use super::cloudformation::add;
use super::{Extraction, Syntax};
use crate::PolicyKind;

/// The KMS action a SAM policy template grants on its `KeyId`.
fn kms_template(name: &str) -> Option<&'static str> {
    match name {
        "KMSDecryptPolicy" => Some("kms:Decrypt"),
        "KMSEncryptPolicy" => Some("kms:Encrypt"),
        _ => None,
    }
}

/// The policies of a SAM function or state machine (`Properties` at `base`).
pub(super) fn add_policies(
    extraction: &mut Extraction,
    text: &str,
    properties: &JsonValue,
    resource: &str,
    base: &str,
    syntax: Syntax,
) {
    let Some(policies) = properties.get("Policies") else {
        return;
    };
    let entries: Vec<(String, &JsonValue)> = match &policies.kind {
        JsonKind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{base}/Policies/{i}"), v))
            .collect(),
        JsonKind::Object(_) => vec![(format!("{base}/Policies"), policies)],
        // A managed policy name or ARN.
        _ => return,
    };
    for (i, (pointer, entry)) in entries.into_iter().enumerate() {
        let Some(members) = entry.as_object() else {
            continue;
        };
        if entry.get("Statement").is_some() {
            let label = format!("{resource} policy #{i}");
            add(
                extraction,
                text,
                entry,
                label,
                PolicyKind::Identity,
                pointer,
                syntax,
            );
            continue;
        }
        let [member] = members else {
            continue;
        };
        let Some(action) = kms_template(&member.key) else {
            continue;
        };
        let key_id = member.value.get("KeyId");
        let policy = expand(action, key_id, entry.span);
        let label = format!("{resource} policy #{i} ({})", member.key);
        add(
            extraction,
            text,
            &policy,
            label,
            PolicyKind::Identity,
            pointer,
            syntax,
        );
    }
}

/// The documented statement of a KMS policy template, every synthetic node
/// at `at` (the template's entry).
fn expand(action: &str, key_id: Option<&JsonValue>, at: Span) -> JsonValue {
    let string = |s: &str| JsonValue {
        span: at,
        kind: JsonKind::String(s.into()),
    };
    let object = |members: Vec<(&str, JsonValue)>| JsonValue {
        span: at,
        kind: JsonKind::Object(
            members
                .into_iter()
                .map(|(k, value)| JsonMember {
                    key: k.into(),
                    key_span: at,
                    value,
                })
                .collect(),
        ),
    };
    let array = |items: Vec<JsonValue>| JsonValue {
        span: at,
        kind: JsonKind::Array(items),
    };
    let key = key_id.cloned().unwrap_or_else(|| string(""));
    let resource = object(vec![(
        "Fn::Sub",
        array(vec![
            string("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}"),
            object(vec![("keyId", key)]),
        ]),
    )]);
    object(vec![
        ("Version", string("2012-10-17")),
        (
            "Statement",
            array(vec![object(vec![
                ("Effect", string("Allow")),
                ("Action", string(action)),
                ("Resource", resource),
            ])]),
        ),
    ])
}
