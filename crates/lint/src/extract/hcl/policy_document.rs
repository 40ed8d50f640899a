//! `data "aws_iam_policy_document"`: the policy the AWS provider builds
//! from `statement` blocks (and `dynamic "statement"`), with `principals`,
//! `not_principals` and `condition` blocks, `effect` defaulting to `Allow`,
//! `&{…}` written for the policy variable `${…}`, and
//! `source_policy_documents` / `override_policy_documents` merged as the
//! provider documents it: source statements first; a statement of this
//! document with a non-blank `sid` replaces the source statement with that
//! `sid`; then each override document's statements replace those with the
//! same non-blank `sid` or are added. Statements without a `sid` are
//! never replaced.

use hcl_edit::structure::{Block, Body};

use super::eval::{each_value, iteration_pairs, span_of, Cx, Evaluator, Scope};
use super::json_value::policy_value;
use super::value::{At, Kind, Member, Text, Value};

/// A statement member that marks a statement whose content depends on a
/// `dynamic` block of unknown size: the renderer keeps findings about it
/// quiet. Not a valid policy element name, so it never collides.
pub(crate) const UNCERTAIN: &str = "\u{1}uncertain";

/// Build the policy document of `block` as a JSON-shaped value.
pub(crate) fn build<'l>(ev: &mut Evaluator<'l>, cx: Cx, scope: &Scope, block: &'l Block) -> Value {
    let header = At::new(cx.file, span_of(&block.ident));
    let body = &block.body;
    let mut statements: Vec<Value> = Vec::new();
    for name in ["source_json", "source_policy_documents"] {
        for doc in documents(ev, cx, scope, body, name) {
            merge(&mut statements, statements_of(&doc));
        }
    }
    let own = statement_blocks(ev, cx, scope, body);
    merge(&mut statements, own);
    for name in ["override_json", "override_policy_documents"] {
        for doc in documents(ev, cx, scope, body, name) {
            merge(&mut statements, statements_of(&doc));
        }
    }
    let mut members = vec![Member {
        key: "Version".into(),
        key_at: header,
        value: ev
            .attribute(cx, scope, body, "version")
            .unwrap_or_else(|| Value::string("2012-10-17", header)),
    }];
    if let Some(id) = ev.attribute(cx, scope, body, "policy_id") {
        members.push(Member {
            key: "Id".into(),
            key_at: id.at,
            value: id,
        });
    }
    members.push(Member {
        key: "Statement".into(),
        key_at: header,
        value: Value::new(Kind::List(statements), header),
    });
    Value::new(Kind::Object(members), At::new(cx.file, span_of(block)))
}

/// The documents named by `source_json` (one) or `source_policy_documents`
/// (a list); an unknown list is one unknown document.
fn documents<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    body: &'l Body,
    name: &str,
) -> Vec<Value> {
    let Some(value) = ev.attribute(cx, scope, body, name) else {
        return Vec::new();
    };
    match value.kind {
        Kind::List(items) => items.into_iter().filter(|v| !v.is_null()).collect(),
        _ => vec![value],
    }
}

/// The statements of a policy given as a JSON string value; an unknown
/// document is one unknown statement.
fn statements_of(doc: &Value) -> Vec<Value> {
    let Some(policy) = policy_value(doc) else {
        return vec![Value::unknown(
            "a policy document",
            doc.via.unwrap_or(doc.at),
        )];
    };
    match policy.get("Statement") {
        Some(Value {
            kind: Kind::List(items),
            ..
        }) => items.clone(),
        Some(
            one @ Value {
                kind: Kind::Object(_),
                ..
            },
        ) => vec![one.clone()],
        Some(other) => vec![Value::unknown("the statements", other.at)],
        None => Vec::new(),
    }
}

/// Add `new` statements: one with a non-blank `Sid` replaces the statement
/// with that `Sid`, others are appended.
fn merge(statements: &mut Vec<Value>, new: Vec<Value>) {
    for statement in new {
        let sid = statement
            .get("Sid")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let existing = sid.as_ref().and_then(|sid| {
            statements
                .iter()
                .position(|s| s.get("Sid").and_then(Value::as_str) == Some(sid))
        });
        match existing {
            Some(i) => statements[i] = statement,
            None => statements.push(statement),
        }
    }
}

/// The `statement` and `dynamic "statement"` blocks of the document.
fn statement_blocks<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    body: &'l Body,
) -> Vec<Value> {
    let mut out = Vec::new();
    for_blocks(
        ev,
        cx,
        scope,
        body,
        "statement",
        &mut |ev, scope, block_body, at, maybe| {
            let mut statement = statement(ev, cx, scope, block_body, at);
            if maybe {
                mark_uncertain(&mut statement);
            }
            out.push(statement);
            if maybe {
                // More (or fewer) statements than this one may exist.
                out.push(Value::unknown("a `dynamic \"statement\"` block", at));
            }
        },
    );
    out
}

fn mark_uncertain(statement: &mut Value) {
    if let Kind::Object(members) = &mut statement.kind {
        if !members.iter().any(|m| m.key == UNCERTAIN) {
            members.push(Member {
                key: UNCERTAIN.into(),
                key_at: statement.at,
                value: Value::new(Kind::Null, statement.at),
            });
        }
    }
}

type BlockFn<'a, 'l> = dyn FnMut(&mut Evaluator<'l>, &Scope, &'l Body, At, bool) + 'a;

/// Call `f` on every block `name` of `body` and on every instance of each
/// `dynamic "name"` block (with its iterator in scope). A `dynamic` block
/// whose `for_each` is unknown is called once with an unknown iterator and
/// `maybe` set.
fn for_blocks<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    body: &'l Body,
    name: &str,
    f: &mut BlockFn<'_, 'l>,
) {
    for block in body.blocks() {
        let at = At::new(cx.file, span_of(block));
        if block.ident.as_str() == name {
            f(ev, scope, &block.body, at, false);
            continue;
        }
        if block.ident.as_str() != "dynamic"
            || block.labels.first().map(|l| l.as_str()) != Some(name)
        {
            continue;
        }
        let Some(content) = block.body.get_blocks("content").next() else {
            continue;
        };
        let iterator = block
            .body
            .get_attribute("iterator")
            .and_then(|a| a.value.as_variable().map(|v| v.as_str().to_string()))
            .unwrap_or_else(|| name.to_string());
        let items = block
            .body
            .get_attribute("for_each")
            .map(|a| ev.eval(cx, scope, &a.value))
            .and_then(|v| iteration_pairs(&v, true));
        match items {
            Some(items) => {
                for (key, value) in items {
                    let mut inner = scope.clone();
                    inner.push((iterator.clone(), each_value(&key, value, at)));
                    f(ev, &inner, &content.body, at, false);
                }
            }
            None => {
                let mut inner = scope.clone();
                inner.push((iterator.clone(), Value::unknown(iterator.clone(), at)));
                f(ev, &inner, &content.body, at, true);
            }
        }
    }
}

fn statement<'l>(ev: &mut Evaluator<'l>, cx: Cx, scope: &Scope, body: &'l Body, at: At) -> Value {
    let mut members: Vec<Member> = Vec::new();
    let mut add = |key: &str, value: Value| {
        members.push(Member {
            key: key.into(),
            key_at: value.via.unwrap_or(value.at),
            value,
        });
    };
    if let Some(sid) = ev.attribute(cx, scope, body, "sid") {
        if sid.as_str() != Some("") {
            add("Sid", policy_strings(sid));
        }
    }
    let effect = ev
        .attribute(cx, scope, body, "effect")
        .unwrap_or_else(|| Value::string("Allow", at_start(at)));
    add("Effect", effect);
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(value) = ev.attribute(cx, scope, body, attr) {
            add(key, policy_strings(value));
        }
    }
    let mut uncertain = false;
    for (block, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let (principal, maybe) = principals(ev, cx, scope, body, block);
        uncertain |= maybe;
        if let Some(p) = principal {
            add(key, p);
        }
    }
    let (condition, maybe) = conditions(ev, cx, scope, body);
    uncertain |= maybe;
    if let Some(c) = condition {
        add("Condition", c);
    }
    let mut statement = Value::new(Kind::Object(members), at);
    if uncertain {
        mark_uncertain(&mut statement);
    }
    statement
}

fn at_start(at: At) -> At {
    let start = at.span.start as usize;
    At::new(at.file, keyward_policy::Span::new(start, start))
}

/// The `principals` blocks as a `Principal` element: identifiers grouped by
/// type; `type = "*"` with `identifiers = ["*"]` is `"*"`.
fn principals<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    body: &'l Body,
    name: &str,
) -> (Option<Value>, bool) {
    let mut groups: Vec<Member> = Vec::new();
    let mut first_at: Option<At> = None;
    let mut unknown: Option<Value> = None;
    let mut uncertain = false;
    for_blocks(
        ev,
        cx,
        scope,
        body,
        name,
        &mut |ev, scope, block_body, at, maybe| {
            uncertain |= maybe;
            first_at.get_or_insert(at);
            let ty = ev.attribute(cx, scope, block_body, "type");
            let ids = ev.attribute(cx, scope, block_body, "identifiers");
            let (Some(ty), Some(ids)) = (ty, ids) else {
                return;
            };
            let Some(type_name) = ty.as_str().map(str::to_string) else {
                unknown = Some(Value::unknown("a principal type", ty.at));
                return;
            };
            let ids_at = ids.via.unwrap_or(ids.at);
            let ids = policy_strings(ids);
            let ids_items = match ids.kind {
                Kind::List(items) => items,
                _ => vec![ids],
            };
            match groups.iter_mut().find(|g| g.key == type_name) {
                Some(group) => {
                    if let Kind::List(items) = &mut group.value.kind {
                        items.extend(ids_items);
                    }
                }
                None => {
                    let list_at = ids_at;
                    groups.push(Member {
                        key: type_name,
                        key_at: ty.via.unwrap_or(ty.at),
                        value: Value::new(Kind::List(ids_items), list_at),
                    });
                }
            }
        },
    );
    if first_at.is_none() {
        return (None, uncertain);
    }
    if let Some(u) = unknown {
        return (Some(u), uncertain);
    }
    if let [only] = groups.as_slice() {
        if only.key == "*" {
            if let Kind::List(items) = &only.value.kind {
                if items.len() == 1 && items[0].as_str() == Some("*") {
                    return (Some(items[0].clone()), uncertain);
                }
            }
        }
    }
    // The element is placed at its first `identifiers`: that is the line
    // findings about the principal point at.
    let at = groups.first().map(|g| g.value.at).or(first_at);
    let at = at.unwrap_or(At::new(cx.file, keyward_policy::Span::default()));
    (Some(Value::new(Kind::Object(groups), at)), uncertain)
}

/// The `condition` blocks as a `Condition` element.
fn conditions<'l>(
    ev: &mut Evaluator<'l>,
    cx: Cx,
    scope: &Scope,
    body: &'l Body,
) -> (Option<Value>, bool) {
    let mut operators: Vec<Member> = Vec::new();
    let mut first_at: Option<At> = None;
    let mut uncertain = false;
    for_blocks(
        ev,
        cx,
        scope,
        body,
        "condition",
        &mut |ev, scope, block_body, at, maybe| {
            uncertain |= maybe;
            first_at.get_or_insert(at);
            let test = ev.attribute(cx, scope, block_body, "test");
            let variable = ev.attribute(cx, scope, block_body, "variable");
            let values = ev.attribute(cx, scope, block_body, "values");
            let (Some(test), Some(variable), Some(values)) = (test, variable, values) else {
                uncertain = true;
                return;
            };
            let (Some(op), Some(key)) = (test.as_str(), variable.as_str()) else {
                uncertain = true;
                return;
            };
            let values = policy_strings(values);
            let values_items = match values.kind {
                Kind::List(items) => items,
                _ => vec![values],
            };
            let op = op.to_string();
            let key = key.to_string();
            let group = match operators.iter().position(|m| m.key == op) {
                Some(i) => &mut operators[i],
                None => {
                    operators.push(Member {
                        key: op,
                        key_at: test.via.unwrap_or(test.at),
                        value: Value::new(Kind::Object(Vec::new()), at),
                    });
                    let last = operators.len() - 1;
                    &mut operators[last]
                }
            };
            let Kind::Object(keys) = &mut group.value.kind else {
                return;
            };
            match keys.iter_mut().find(|m| m.key == key) {
                Some(existing) => {
                    if let Kind::List(items) = &mut existing.value.kind {
                        items.extend(values_items);
                    }
                }
                None => {
                    let list_at = values_items
                        .first()
                        .map_or(variable.at, |v| v.via.unwrap_or(v.at));
                    keys.push(Member {
                        key,
                        key_at: variable.via.unwrap_or(variable.at),
                        value: Value::new(Kind::List(values_items), list_at),
                    });
                }
            }
        },
    );
    let Some(at) = first_at else {
        return (None, uncertain);
    };
    (Some(Value::new(Kind::Object(operators), at)), uncertain)
}

/// Strings as the provider writes them: primitives become strings and
/// `&{…}` becomes the policy variable `${…}`.
fn policy_strings(value: Value) -> Value {
    let Value { kind, at, via } = value;
    let kind = match kind {
        Kind::List(items) => Kind::List(items.into_iter().map(policy_strings).collect()),
        Kind::Str(t) => Kind::Str(Text {
            text: t.text.replace("&{", "${"),
            origins: t.origins,
        }),
        Kind::Number(_) | Kind::Bool(_) => {
            let v = Value { kind, at, via };
            match v.to_text() {
                Some(t) => Kind::Str(t),
                None => v.kind,
            }
        }
        other => other,
    };
    Value { kind, at, via }
}
