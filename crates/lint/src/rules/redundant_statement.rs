//! KW309: statements that add nothing to another statement.

use keyward_policy::model::{PrincipalSpec, Statement};

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::action_index::ActionIndex;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW309",
        name: "redundant-statement",
        category: Category::Suspicious,
        default_level: Level::Info,
        scope: Scope::Any,
        summary: "a statement grants or denies nothing that another statement does not already",
        docs: DOCS,
    },
    Check::Policy(check),
);

/// Does statement `a` already grant (or deny) `b`'s principals and
/// resources, under no condition or the same one? (Actions are checked
/// separately, with an index.)
fn subsumes_except_actions(a: &Statement, b: &Statement) -> bool {
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
}

/// Does statement `a` (with its action index) already do everything `b` does?
fn subsumes<'s>(a: &'s Statement, index: &mut Option<ActionIndex<'s>>, b: &Statement) -> bool {
    if !subsumes_except_actions(a, b) {
        return false;
    }
    let index = index.get_or_insert_with(|| ActionIndex::new(&a.action.items));
    b.action.items.iter().all(|x| index.covers(&x.node))
}

fn check(cx: &mut Context<'_>) {
    let statements = cx.statements();
    if statements.len() < 2 {
        return;
    }
    // Indexes are built only for statements that could subsume another.
    let mut indexes: Vec<Option<ActionIndex<'_>>> = statements.iter().map(|_| None).collect();
    for (j, b) in statements.iter().enumerate() {
        let mut by = None;
        for (i, a) in statements.iter().enumerate() {
            if i == j {
                continue;
            }
            let Some(a_index) = indexes.get_mut(i) else {
                continue;
            };
            if !subsumes(a, a_index, b) {
                continue;
            }
            // Of two identical statements, only the later one is reported.
            let mutual = i > j
                && indexes
                    .get_mut(j)
                    .is_some_and(|b_index| subsumes(b, b_index, a));
            if !mutual {
                by = Some(a);
                break;
            }
        }
        let Some(a) = by else {
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

const DOCS: &str = r#"## What it does
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, findings, statement};

    const APP: &str = "arn:aws:iam::111122223333:role/App";

    #[test]
    fn each_statement_adds_something() {
        let pair = |a: String, b: String| format!("[{a}, {b}]");
        let on_key = |key: &str| {
            statement(
                "Allow",
                APP,
                "kms:Decrypt",
                &format!("arn:aws:kms:us-east-1:111122223333:key/{key}"),
                "",
            )
        };
        let decrypt = || allow(APP, "kms:Decrypt", "");
        let mfa = r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#;
        assert_cases(
            &RULE,
            &[
                &pair(
                    decrypt(),
                    allow("arn:aws:iam::111122223333:role/Ops", "kms:Decrypt", ""),
                ),
                &pair(allow(APP, "kms:*", mfa), decrypt()),
                &pair(
                    allow(APP, "kms:*", ""),
                    statement("Deny", APP, "kms:Decrypt", "*", ""),
                ),
                &pair(on_key("a"), on_key("b")),
            ],
            &[
                &pair(allow(APP, "kms:*", ""), decrypt()),
                &pair(allow("*", "kms:Decrypt", ""), decrypt()),
                &pair(decrypt(), on_key("a")),
            ],
        );
    }

    #[test]
    fn of_two_identical_statements_the_later_is_reported() {
        let named = |sid: &str| {
            allow(APP, "kms:Decrypt", "").replacen('{', &format!(r#"{{"Sid": "{sid}", "#), 1)
        };
        let found = findings(&RULE, &format!("[{}, {}]", named("Use"), named("Again")));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement `Again` adds nothing to statement `Use`"
        );
    }
}
