//! CloudFormation templates: the policies of `AWS::KMS::Key`,
//! `AWS::KMS::ReplicaKey` and the IAM resources.

use keyward_policy::json::{self, JsonKind, JsonValue};
use keyward_policy::ParseOptions;

use super::intrinsics::Resolver;
use super::keys;
use super::size::compact_len;
use super::span_map::SpanMap;
use super::{Document, DocumentText, Extraction, Origin, Syntax};
use crate::PolicyKind;

/// Where a resource type keeps its policies.
enum Holder {
    /// `Properties.<name>` is the policy.
    Property(&'static str),
    /// `Properties.Policies[].PolicyDocument` are the policies.
    Inline,
    /// SAM's `Properties.Policies` (inline documents and policy templates).
    Sam,
}

fn policies_of(resource_type: &str) -> Option<(PolicyKind, Holder)> {
    Some(match resource_type {
        "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => {
            (PolicyKind::Key, Holder::Property("KeyPolicy"))
        }
        "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy" => (PolicyKind::Identity, Holder::Property("PolicyDocument")),
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
            (PolicyKind::Identity, Holder::Inline)
        }
        "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
            (PolicyKind::Identity, Holder::Sam)
        }
        _ => return None,
    })
}

/// The policies of the template `root`, whose spans point into `text`.
pub(super) fn extract(text: &str, root: &JsonValue, syntax: Syntax) -> Extraction {
    let mut extraction = Extraction {
        recognized: true,
        ..Extraction::default()
    };
    let Some(resources) = root.get("Resources").and_then(JsonValue::as_object) else {
        return extraction;
    };
    for resource in resources {
        crate::suppress::cloudformation::read(
            resource,
            &format!("/Resources/{}", escape_pointer(&resource.key)),
            &mut extraction.suppressions,
            &mut extraction.diagnostics,
        );
        let Some(resource_type) = resource.value.get("Type").and_then(JsonValue::as_str) else {
            continue;
        };
        if let Some(key) = keys::cloudformation::read(resource, resource_type, syntax) {
            extraction.keys.push(key);
        }
        let Some((kind, holder)) = policies_of(resource_type) else {
            continue;
        };
        let Some(properties) = resource.value.get("Properties") else {
            continue;
        };
        let base = format!("/Resources/{}/Properties", escape_pointer(&resource.key));
        match holder {
            Holder::Sam => {
                let (name, base) = (&resource.key, &base);
                super::sam::add_policies(&mut extraction, text, properties, name, base, syntax);
            }
            Holder::Property(name) => {
                if let Some(policy) = properties.get(name) {
                    let pointer = format!("{base}/{name}");
                    let label = resource.key.to_string();
                    add(&mut extraction, text, policy, label, kind, pointer, syntax);
                }
            }
            Holder::Inline => {
                let Some(policies) = properties.get("Policies").and_then(JsonValue::as_array)
                else {
                    continue;
                };
                for (i, entry) in policies.iter().enumerate() {
                    let Some(policy) = entry.get("PolicyDocument") else {
                        continue;
                    };
                    let name = entry
                        .get("PolicyName")
                        .and_then(JsonValue::as_str)
                        .unwrap_or("");
                    let label = if name.is_empty() {
                        format!("{} policy #{i}", resource.key)
                    } else {
                        format!("{} policy {name}", resource.key)
                    };
                    let pointer = format!("{base}/Policies/{i}/PolicyDocument");
                    add(&mut extraction, text, policy, label, kind, pointer, syntax);
                }
            }
        }
    }
    extraction
}

pub(super) fn add(
    extraction: &mut Extraction,
    text: &str,
    policy: &JsonValue,
    label: String,
    kind: PolicyKind,
    pointer: String,
    syntax: Syntax,
) {
    // A policy may be written as a JSON string.
    if let JsonKind::String(inner) = &policy.kind {
        add_string_policy(extraction, text, policy, inner, label, kind, pointer);
        return;
    }
    let mut resolver = Resolver::default();
    let Some(value) = resolver.resolve(policy) else {
        return;
    };
    let size = compact_len(&value, text);
    extraction.documents.push(Document {
        label: Some(label),
        kind: Some(kind),
        value,
        text: DocumentText::File,
        pointer,
        opaque: resolver.opaque,
        size,
        origin: Origin::Template(syntax),
    });
}

fn add_string_policy(
    extraction: &mut Extraction,
    text: &str,
    policy: &JsonValue,
    inner: &str,
    label: String,
    kind: PolicyKind,
    pointer: String,
) {
    let raw = text.get(policy.span.range()).unwrap_or("");
    // A JSON string literal maps back byte for byte; a YAML scalar maps to its start.
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
            extraction.documents.push(Document {
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
                extraction.diagnostics.push(d.with_pointer(pointer.clone()));
            }
        }
    }
}

/// Escape a JSON pointer token (`~` → `~0`, `/` → `~1`).
pub(super) fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
