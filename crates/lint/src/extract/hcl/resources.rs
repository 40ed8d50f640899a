//! Walking the module instances for the resources that hold policies, and
//! turning each evaluated policy into a [`Document`] of the file it was
//! written in.

use std::collections::HashSet;

use hcl_edit::structure::Block;
use keyward_policy::json::{self};
use keyward_policy::{Diagnostic, ParseOptions};

use super::eval::{each_value, span_of, Cx, Evaluator, Repetition, Scope};
use super::json_value::from_pieces;
use super::render::render_policy;
use super::value::{At, Kind, Member, Value};
use crate::extract::intrinsics::Resolver;
use crate::extract::size::compact_len;
use crate::extract::span_map::SpanMap;
use crate::extract::{Document, DocumentText, KeyResource, Origin};
use crate::PolicyKind;

/// Most instances of one `count` / `for_each` block evaluated.
const MAX_REPEAT: usize = 16;

/// Something found, in the file it belongs to.
pub(crate) enum Found {
    Document(u32, Document),
    Diagnostic(u32, Diagnostic),
    Key(u32, KeyResource),
}

/// The resource types whose `policy` argument is a policy, and its kind.
fn policy_kind(resource_type: &str) -> Option<PolicyKind> {
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

/// Every policy and grant of every module instance, root first.
pub(crate) fn walk(ev: &mut Evaluator<'_>) -> Vec<Found> {
    let mut found = Vec::new();
    let mut next = 0;
    while next < ev.instances.len() {
        instance(ev, next, &mut found);
        next += 1;
    }
    found
}

fn instance<'l>(ev: &mut Evaluator<'l>, instance: usize, found: &mut Vec<Found>) {
    let module = ev.module_of(instance);
    let module_index = ev.instances[instance].module;
    let prefix = ev.instances[instance].prefix.clone();
    let mut used_documents: HashSet<String> = HashSet::new();
    for tf in &module.files {
        let cx = Cx {
            instance,
            file: tf.file,
        };
        for block in tf.body.blocks() {
            let label = |i: usize| block.labels.get(i).map(|l| l.as_str().to_string());
            match (block.ident.as_str(), label(0), label(1)) {
                ("resource", Some(ty), Some(name)) => {
                    let address = format!("{prefix}{ty}.{name}");
                    for (scope, suffix) in repetitions(ev, cx, block) {
                        let address = format!("{address}{suffix}");
                        resource(ev, cx, &scope, block, &ty, &address, found);
                        super::keys::read(ev, cx, &scope, block, (&ty, &name), &address, found);
                    }
                }
                ("module", Some(name), _) => {
                    let Some(&child) = ev.calls.get(&(module_index, name.clone())) else {
                        continue;
                    };
                    for (scope, suffix) in repetitions(ev, cx, block) {
                        let prefix = format!("{prefix}module.{name}{suffix}.");
                        if ev
                            .add_instance(child, prefix, Some((instance, tf.file, block, scope)))
                            .is_none()
                        {
                            let d = Diagnostic::warning(
                                "terraform::too-many-modules",
                                format!(
                                    "module `{name}` is not followed: too many module instances"
                                ),
                                span_of(block),
                            );
                            found.push(Found::Diagnostic(tf.file, d));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // Policy documents nothing refers to, that name KMS actions: linted on
    // their own (their kind from their content). Those used elsewhere are
    // linted where they end up (or are not ours: a bucket policy).
    for tf in &module.files {
        if let Some(source) = ev.sources.get(tf.file as usize) {
            collect_documents(source.text(), &mut used_documents);
        }
    }
    let documents: Vec<(String, u32, &'l Block)> = ev.indexes[module_index]
        .documents
        .iter()
        .map(|(name, (file, block))| (name.to_string(), *file, *block))
        .collect();
    let mut documents = documents;
    documents.sort_by_key(|(_, file, block)| (*file, span_of(*block).start));
    for (name, file, block) in documents {
        if used_documents.contains(&name) || !names_kms(block_text(ev, file, block)) {
            continue;
        }
        let cx = Cx { instance, file };
        let at = At::new(file, span_of(block));
        let scope = first_repetition(ev, cx, block);
        let value = super::policy_document::build(ev, cx, &scope, block);
        let value = Value::new(Kind::Encoded(Box::new(value)), at);
        let address = format!("{prefix}data.aws_iam_policy_document.{name}");
        policy(&value, at, &address, None, found);
    }
}

/// The scope of each instance of a block (`count.index`, `each`), with its
/// address suffix; unknown repetition is evaluated once with unknowns.
fn repetitions<'l>(ev: &mut Evaluator<'l>, cx: Cx, block: &'l Block) -> Vec<(Scope, String)> {
    let at = At::new(cx.file, span_of(block));
    match ev.repetition(cx, block) {
        Repetition::Once => vec![(Scope::new(), String::new())],
        Repetition::Never => Vec::new(),
        Repetition::Count(n) => (0..n.min(MAX_REPEAT))
            .map(|i| {
                let count = Value::new(
                    Kind::Object(vec![Member {
                        key: "index".into(),
                        key_at: at,
                        value: Value::new(Kind::Number(i as f64), at),
                    }]),
                    at,
                );
                (vec![("count".to_string(), count)], format!("[{i}]"))
            })
            .collect(),
        Repetition::Each(items) => items
            .into_iter()
            .take(MAX_REPEAT)
            .map(|(key, value)| {
                let suffix = format!("[\"{key}\"]");
                (
                    vec![("each".to_string(), each_value(&key, value, at))],
                    suffix,
                )
            })
            .collect(),
        Repetition::Unknown => vec![(
            vec![
                ("count".to_string(), Value::unknown("count", at)),
                ("each".to_string(), Value::unknown("each", at)),
            ],
            String::new(),
        )],
    }
}

fn first_repetition<'l>(ev: &mut Evaluator<'l>, cx: Cx, block: &'l Block) -> Scope {
    repetitions(ev, cx, block)
        .into_iter()
        .next()
        .map(|(scope, _)| scope)
        .unwrap_or_default()
}

fn resource<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    block: &'l Block,
    ty: &str,
    address: &str,
    found: &mut Vec<Found>,
) {
    if ty == "aws_kms_grant" {
        super::grant::check(ev, cx, scope, block, found);
        return;
    }
    if let Some(kind) = policy_kind(ty) {
        if let Some(attr) = block.body.get_attribute("policy") {
            let value = ev.eval(cx, scope, &attr.value);
            let at = ev.at(cx, &attr.value);
            policy(&value, at, address, Some(kind), found);
        }
    }
    // Inline policies of roles, users and groups.
    if matches!(ty, "aws_iam_role" | "aws_iam_user" | "aws_iam_group") {
        for inline in block.body.get_blocks("inline_policy") {
            if let Some(attr) = inline.body.get_attribute("policy") {
                let value = ev.eval(cx, scope, &attr.value);
                let at = ev.at(cx, &attr.value);
                let address = format!("{address}.inline_policy");
                policy(&value, at, &address, Some(PolicyKind::Identity), found);
            }
        }
    }
}

/// The names of the policy documents a block refers to.
fn collect_documents(text: &str, out: &mut HashSet<String>) {
    let mut rest = text;
    while let Some(i) = rest.find("aws_iam_policy_document.") {
        rest = &rest[i + "aws_iam_policy_document.".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        out.insert(name);
    }
}

/// Does a policy document block name a `kms:` action?
fn names_kms(text: &str) -> bool {
    text.to_ascii_lowercase().contains("\"kms:")
}

/// The source text of a block.
fn block_text<'a>(ev: &'a Evaluator<'_>, file: u32, block: &Block) -> &'a str {
    ev.sources
        .get(file as usize)
        .and_then(|s| s.text().get(span_of(block).range()))
        .unwrap_or("")
}

/// A policy argument's value, as a document of the file it was written
/// in, or a note that it needs a plan.
fn policy(
    value: &Value,
    attr_at: At,
    address: &str,
    kind: Option<PolicyKind>,
    found: &mut Vec<Found>,
) {
    let pointer = format!("/{address}");
    let structured = match &value.kind {
        Kind::Null => return,
        Kind::Str(t) => {
            string_policy(t, value, address, kind, pointer, found);
            return;
        }
        Kind::Encoded(inner) => (**inner).clone(),
        Kind::Partial(pieces) => match from_pieces(pieces, value.at) {
            Ok(v) => v,
            Err(_) => {
                needs_plan(value, attr_at, address, found);
                return;
            }
        },
        _ => {
            needs_plan(value, attr_at, address, found);
            return;
        }
    };
    if !matches!(structured.kind, Kind::Object(_)) {
        needs_plan(&structured, attr_at, address, found);
        return;
    }
    // The policy belongs to the file its tree was written in (a
    // `jsonencode` in a local of locals.tf, a document's data block).
    let file = structured.at.file;
    let rendered = render_policy(&structured, file);
    let parsed = json::parse(&rendered.text, &ParseOptions::default());
    let Some(raw) = parsed.value else {
        // Cannot happen for a rendered tree; say so rather than lose it.
        let d = Diagnostic::error(
            "terraform::unrenderable",
            format!("the policy of `{address}` could not be read"),
            attr_at.span,
        );
        found.push(Found::Diagnostic(attr_at.file, d));
        return;
    };
    let map = SpanMap::from_origins(rendered.origins.clone());
    let size = compact_len(&raw, &rendered.text).saturating_sub(rendered.refs * 11);
    let (value_resolved, opaque) = if rendered.refs > 0 {
        let mut resolver = Resolver::default();
        let Some(resolved) = resolver.resolve(&raw) else {
            return;
        };
        (resolved, rendered.opaque.clone())
    } else {
        (raw, rendered.opaque.clone())
    };
    if !rendered.unknowns.is_empty() {
        let mut d = Diagnostic::new(
            keyward_policy::Severity::Info,
            "terraform::needs-plan",
            format!(
                "{} value{} of the policy of `{address}` {} known only from a plan: findings about {} are not reported",
                rendered.unknowns.len(),
                if rendered.unknowns.len() == 1 { "" } else { "s" },
                if rendered.unknowns.len() == 1 { "is" } else { "are" },
                if rendered.unknowns.len() == 1 { "it" } else { "them" },
            ),
            rendered.unknowns[0].span,
        )
        .with_label("known only from a plan")
        .with_help("lint the plan to check them too: `terraform show -json PLAN | keyward lint --input terraform -`")
        .with_pointer(pointer.clone());
        for u in rendered.unknowns.iter().skip(1).take(7) {
            d = d.with_related(u.span, "known only from a plan");
        }
        found.push(Found::Diagnostic(file, d));
    }
    found.push(Found::Document(
        file,
        Document {
            label: Some(address.to_string()),
            kind,
            value: value_resolved,
            text: DocumentText::Decoded(rendered.text, map),
            pointer,
            opaque,
            size,
            origin: Origin::Document,
        },
    ));
}

/// A policy that is a plain string (heredoc, `file()`, a literal): read as
/// JSON with every byte mapped back, like a plan's policy string.
fn string_policy(
    t: &super::value::Text,
    value: &Value,
    address: &str,
    kind: Option<PolicyKind>,
    pointer: String,
    found: &mut Vec<Found>,
) {
    if t.text.trim().is_empty() {
        return;
    }
    let file = t.origins.first().map_or(value.at.file, |o| o.file);
    let fallback = if value.at.file == file {
        value.at.span.start
    } else if let Some(via) = value.via.filter(|v| v.file == file) {
        via.span.start
    } else {
        0
    };
    let mut origins: Vec<u32> = t
        .origins
        .iter()
        .map(|o| {
            if o.file == file {
                o.span.start
            } else {
                fallback
            }
        })
        .collect();
    let end = t
        .origins
        .last()
        .filter(|o| o.file == file)
        .map_or(fallback, |o| o.span.end.max(o.span.start + 1));
    origins.push(end);
    let map = SpanMap::from_origins(origins);
    let parsed = json::parse(&t.text, &ParseOptions::default());
    match parsed.value {
        Some(parsed_value) => found.push(Found::Document(
            file,
            Document {
                label: Some(address.to_string()),
                kind,
                value: parsed_value,
                text: DocumentText::Decoded(t.text.clone(), map),
                pointer,
                opaque: Vec::new(),
                size: t.text.len(),
                origin: Origin::Document,
            },
        )),
        None => {
            for mut d in parsed.diagnostics {
                map.map_labels(&mut d.labels);
                found.push(Found::Diagnostic(file, d.with_pointer(pointer.clone())));
            }
        }
    }
}

/// A note for a policy that is unknown as a whole.
fn needs_plan(value: &Value, attr_at: At, address: &str, found: &mut Vec<Found>) {
    let what = match &value.kind {
        Kind::Unknown(u) => format!(" (`{}`)", u.what),
        _ => String::new(),
    };
    let d = Diagnostic::new(
        keyward_policy::Severity::Info,
        "terraform::needs-plan",
        format!("the policy of `{address}`{what} is known only from a plan: it is not linted"),
        attr_at.span,
    )
    .with_label("known only from a plan")
    .with_help(
        "lint the plan to check it: `terraform show -json PLAN | keyward lint --input terraform -`",
    )
    .with_pointer(format!("/{address}"));
    found.push(Found::Diagnostic(attr_at.file, d));
}
