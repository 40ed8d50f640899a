//! KW308 and KW309: actions and statements that add nothing.

use keyward_policy::matching::{ActionPattern, CaseMode, PatternToken};
use keyward_policy::model::{PrincipalSpec, Statement};

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const REDUNDANT_ACTION: Rule = Rule::new(
    RuleMeta {
        code: "KW308",
        name: "redundant-action",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action is listed twice or is covered by a wildcard in the same statement",
        docs: REDUNDANT_ACTION_DOCS,
    },
    Check::Policy(check_actions),
);

pub(crate) const REDUNDANT_STATEMENT: Rule = Rule::new(
    RuleMeta {
        code: "KW309",
        name: "redundant-statement",
        category: Category::Suspicious,
        default_level: Level::Info,
        scope: Scope::Any,
        summary: "a statement grants or denies nothing that another statement does not already",
        docs: REDUNDANT_STATEMENT_DOCS,
    },
    Check::Policy(check_statements),
);

/// Does pattern `a` match every action `b` matches (whatever AWS adds later)?
pub(crate) fn covers(a: &ActionPattern, b: &ActionPattern) -> bool {
    if a.is_all() {
        return true;
    }
    if b.is_all() || a.service() != b.service() {
        return false;
    }
    let (pa, pb) = (a.name_pattern(), b.name_pattern());
    if let Some(name) = pb.as_literal() {
        return pa.matches(name, CaseMode::AsciiInsensitive);
    }
    // `Prefix*` covers any pattern starting with the same literal text.
    match pa.tokens() {
        [PatternToken::AnyString] => true,
        [PatternToken::Literal(prefix), PatternToken::AnyString] => match pb.tokens().first() {
            Some(PatternToken::Literal(text)) => text
                .to_ascii_lowercase()
                .starts_with(&prefix.to_ascii_lowercase()),
            _ => false,
        },
        _ => a.as_str().eq_ignore_ascii_case(b.as_str()),
    }
}

fn check_actions(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        let items = &statement.action.items;
        for (j, b) in items.iter().enumerate() {
            // The covering pattern: any other one that covers `b`, except an
            // equal one written later (only the later copy is reported).
            let by = items.iter().enumerate().find(|(i, a)| {
                *i != j && covers(&a.node, &b.node) && !(covers(&b.node, &a.node) && *i > j)
            });
            let Some((_, a)) = by else {
                continue;
            };
            let element = if statement.action.negated {
                "/NotAction"
            } else {
                "/Action"
            };
            let message = if a.node.as_str().eq_ignore_ascii_case(b.node.as_str()) {
                format!("`{}` is listed twice", b.node.as_str())
            } else {
                format!(
                    "`{}` is already covered by `{}`",
                    b.node.as_str(),
                    a.node.as_str()
                )
            };
            let d = cx
                .diagnostic(message, b.span)
                .with_label("redundant")
                .with_related(a.span, "covered here")
                .with_help("remove it, or narrow the wildcard if it was meant to be narrower")
                .with_pointer(cx.pointer(statement, element));
            cx.emit(d);
        }
    }
}

/// Does statement `a` already do everything `b` does?
fn subsumes(a: &Statement, b: &Statement) -> bool {
    if a.effect.node != b.effect.node || a.action.negated || b.action.negated {
        return false;
    }
    if a.condition.is_some()
        && a.condition.as_ref().map(|c| &c.node) != b.condition.as_ref().map(|c| &c.node)
    {
        return false;
    }
    let principals = match (&a.principal, &b.principal) {
        (None, None) => true,
        (Some(pa), Some(pb)) if !pa.node.negated && !pb.node.negated => {
            match (&pa.node.spec, &pb.node.spec) {
                (PrincipalSpec::Wildcard, _) => true,
                (PrincipalSpec::Map(ga), PrincipalSpec::Map(gb)) => gb.iter().all(|g| {
                    g.values.iter().all(|v| {
                        ga.iter().any(|h| {
                            h.kind.node == g.kind.node
                                && h.values.iter().any(|w| w.node == v.node || w.node == "*")
                        })
                    })
                }),
                _ => false,
            }
        }
        _ => false,
    };
    if !principals {
        return false;
    }
    let resources = match (&a.resource, &b.resource) {
        (None, None) => true,
        (Some(ra), Some(rb)) if !ra.node.negated && !rb.node.negated => {
            ra.node.items.iter().any(|r| r.node.raw() == "*")
                || rb
                    .node
                    .items
                    .iter()
                    .all(|r| ra.node.items.iter().any(|s| s.node.raw() == r.node.raw()))
        }
        _ => false,
    };
    resources
        && b.action
            .items
            .iter()
            .all(|x| a.action.items.iter().any(|y| covers(&y.node, &x.node)))
}

fn check_statements(cx: &mut Context<'_>) {
    let statements = cx.statements();
    for (j, b) in statements.iter().enumerate() {
        let by = statements
            .iter()
            .enumerate()
            .find(|(i, a)| *i != j && subsumes(a, b) && !(subsumes(b, a) && *i > j));
        let Some((_, a)) = by else {
            continue;
        };
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` adds nothing to statement `{}`",
                    b.display_name(),
                    a.display_name()
                ),
                b.span,
            )
            .with_label("redundant statement")
            .with_related(a.span, "which already covers it")
            .with_help("remove it, or make the statements differ as intended")
            .with_pointer(cx.pointer(b, ""));
        cx.emit(d);
    }
}

const REDUNDANT_ACTION_DOCS: &str = r#"## What it does
Within one statement, finds actions listed twice (ignoring case) and
actions covered by another entry: `kms:Decrypt` next to `kms:*`,
`kms:GenerateDataKeyWithoutPlaintext` next to `kms:GenerateDataKey*`.

## Why it matters
Redundant entries make reviews harder and often hide a mistake: a wildcard
much broader than the list beside it suggests.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"],
    "Resource": "*"
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
    "Resource": "*"
  }]
}
```
"#;

const REDUNDANT_STATEMENT_DOCS: &str = r#"## What it does
Finds a statement whose principals, actions and resources are all covered
by another statement with the same effect, where the other statement has
no condition or exactly the same one.

## Why it matters
A redundant statement adds nothing but length (key policies are capped at
32 KB) and sometimes means an edit was meant to change something else.
Templates often keep such statements on purpose for readability (a
conditioned grant next to the account's `kms:*`), so it is reported as
information by default.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Users", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"},
    {"Sid": "Decrypt", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Users", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"},
    {"Sid": "Grants", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}
  ]
}
```
"#;
