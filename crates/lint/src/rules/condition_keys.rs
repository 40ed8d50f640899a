//! KW304 and KW305: KMS condition keys that do not apply to the statement's
//! actions, and KMS condition keys that do not exist.

use crate::catalog::{catalog, CATALOG_DATE};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{conditions, kms_actions, positive_actions};
use crate::rules::{Check, Context};

pub(crate) const NOT_APPLICABLE: Rule = Rule::new(
    RuleMeta {
        code: "KW304",
        name: "condition-key-not-applicable",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "a KMS condition key does not apply to any of the statement's actions",
        docs: NOT_APPLICABLE_DOCS,
    },
    Check::Policy(check_applicable),
);

pub(crate) const UNKNOWN_KEY: Rule = Rule::new(
    RuleMeta {
        code: "KW305",
        name: "unknown-condition-key",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "a `kms:` condition key does not exist",
        docs: UNKNOWN_KEY_DOCS,
    },
    Check::Policy(check_unknown),
);

fn check_applicable(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        let actions = positive_actions(statement);
        // Only statements about KMS alone: other services have their own keys.
        if actions.is_empty() || !actions.iter().all(|a| a.node.service() == Some("kms")) {
            continue;
        }
        let covered: Vec<_> = kms_actions(statement).collect();
        if covered.is_empty() {
            continue; // KW302/KW303 report actions that match nothing.
        }
        for condition in conditions(statement) {
            let key = condition.key.node.as_str();
            if !key.to_ascii_lowercase().starts_with("kms:")
                || catalog().condition_key(key).is_none()
            {
                continue;
            }
            if covered
                .iter()
                .any(|a| catalog().key_applies_to_kms_action(key, a))
            {
                continue;
            }
            let names: Vec<&str> = covered.iter().take(4).map(|a| a.name()).collect();
            let d = cx
                .diagnostic(
                    format!(
                        "`{key}` is never set for the statement's actions ({}{})",
                        names.join(", "),
                        if covered.len() > 4 { ", …" } else { "" }
                    ),
                    condition.key.span,
                )
                .with_label("absent from these requests")
                .with_help("a condition on a key the request does not have is false (true for negated operators and `…IfExists`); move it to a statement whose actions set it")
                .with_pointer(cx.pointer(statement, "/Condition"));
            cx.emit(d);
        }
    }
}

fn check_unknown(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for condition in conditions(statement) {
            let key = condition.key.node.as_str();
            if !key.to_ascii_lowercase().starts_with("kms:")
                || catalog().condition_key(key).is_some()
            {
                continue;
            }
            let d = cx
                .diagnostic(format!("`{key}` is not a KMS condition key"), condition.key.span)
                .with_label("unknown condition key")
                .with_help(format!(
                    "check the spelling against the KMS condition keys (e.g. `kms:EncryptionContext:<key>`, `kms:EncryptionContextKeys`, `kms:ViaService`); the catalog is from {CATALOG_DATE}"
                ))
                .with_pointer(cx.pointer(statement, "/Condition"));
            cx.emit(d);
        }
    }
}

const NOT_APPLICABLE_DOCS: &str = r#"## What it does
For statements whose actions are all KMS actions, checks each `kms:`
condition key against the keys the catalog lists for those actions (and
their resource types). A key that applies to none of them is reported.
Global keys (`aws:…`) apply everywhere and are not checked.

## Why it matters
A request only carries the condition keys of its operation: `Decrypt` has
no `kms:GrantOperations`, `CreateGrant` has no `kms:EncryptionAlgorithm`.
A positive condition on a missing key is false, so the statement never
applies; a negated one is always true, so it restricts nothing.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:Encrypt", "kms:Decrypt"],
    "Resource": "*",
    "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}
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
    "Action": "kms:CreateGrant",
    "Resource": "*",
    "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}
  }]
}
```
"#;

const UNKNOWN_KEY_DOCS: &str = r#"## What it does
Checks every condition key starting with `kms:` against the catalog of KMS
condition keys (`kms:EncryptionContext:<key>` and the other keys with a
variable part included), ignoring case as IAM does.

## Why it matters
IAM accepts any key name. A misspelled key (`kms:EncryptionContextKey`,
`kms:CallerAcount`) is simply absent from every request, so the condition
is false (or, negated, always true).

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": "kms:Decrypt",
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:CallerAcount": "111122223333"}}
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
    "Action": "kms:Decrypt",
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}
  }]
}
```
"#;
