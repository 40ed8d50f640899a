//! Terraform plans and states in JSON (`terraform show -json`): the `policy`
//! strings of KMS keys and IAM policies, mapped back into the plan file.

use keyward_policy::json::{self, JsonValue};
use keyward_policy::ParseOptions;

use super::cloudformation::escape_pointer;
use super::keys;
use super::span_map::SpanMap;
use super::{Document, DocumentText, Extraction, Origin};
use crate::PolicyKind;

fn kind_of(resource_type: &str) -> Option<PolicyKind> {
    match resource_type {
        "aws_kms_key"
        | "aws_kms_key_policy"
        | "aws_kms_replica_key"
        | "aws_kms_external_key"
        | "aws_kms_replica_external_key" => Some(PolicyKind::Key),
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => Some(PolicyKind::Identity),
        _ => None,
    }
}

/// The policies of the plan or state `root`, whose spans point into `text`.
pub(super) fn extract(text: &str, root: &JsonValue) -> Extraction {
    let mut extraction = Extraction {
        recognized: true,
        ..Extraction::default()
    };
    // A plan has `planned_values`; `terraform show -json` of a state has `values`.
    for top in ["planned_values", "values"] {
        if let Some(module) = root.get(top).and_then(|v| v.get("root_module")) {
            walk_module(
                text,
                module,
                &format!("/{top}/root_module"),
                &mut extraction,
            );
            extraction.keys = keys::plan::read(root, top);
            break;
        }
    }
    extraction
}

fn walk_module(text: &str, module: &JsonValue, pointer: &str, out: &mut Extraction) {
    if let Some(resources) = module.get("resources").and_then(JsonValue::as_array) {
        for (i, resource) in resources.iter().enumerate() {
            let pointer = format!("{pointer}/resources/{i}");
            resource_policies(text, resource, &pointer, out);
        }
    }
    if let Some(children) = module.get("child_modules").and_then(JsonValue::as_array) {
        for (i, child) in children.iter().enumerate() {
            walk_module(text, child, &format!("{pointer}/child_modules/{i}"), out);
        }
    }
}

fn resource_policies(text: &str, resource: &JsonValue, pointer: &str, out: &mut Extraction) {
    let Some(kind) = resource
        .get("type")
        .and_then(JsonValue::as_str)
        .and_then(kind_of)
    else {
        return;
    };
    let Some(values) = resource.get("values") else {
        return;
    };
    let label = resource
        .get("address")
        .and_then(JsonValue::as_str)
        .unwrap_or("")
        .to_string();
    let Some(policy) = values.get("policy") else {
        return;
    };
    // Unknown until apply (`null`), or an empty string: nothing to lint.
    let Some(inner) = policy.as_str().filter(|s| !s.trim().is_empty()) else {
        return;
    };
    let pointer = format!("{pointer}/values/{}", escape_pointer("policy"));
    let raw = text.get(policy.span.range()).unwrap_or("");
    let (decoded, map) = SpanMap::decode_literal(raw, policy.span.start)
        .filter(|(decoded, _)| decoded == inner)
        .unwrap_or_else(|| {
            (
                inner.to_string(),
                SpanMap::point(policy.span.start, inner.len()),
            )
        });
    let parsed = json::parse(&decoded, &ParseOptions::default());
    match parsed.value {
        Some(value) => {
            let size = decoded.len();
            out.documents.push(Document {
                label: Some(label),
                kind: Some(kind),
                value,
                text: DocumentText::Decoded(decoded, map),
                pointer,
                opaque: Vec::new(),
                size,
                origin: Origin::Document,
            });
        }
        None => {
            for mut d in parsed.diagnostics {
                map.map_labels(&mut d.labels);
                out.diagnostics.push(d.with_pointer(pointer.clone()));
            }
        }
    }
}
