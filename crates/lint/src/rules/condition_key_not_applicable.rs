//! KW304: KMS condition keys that none of the statement's actions set.

use crate::catalog::catalog;
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{conditions, kms_actions, positive_actions};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW304",
        name: "condition-key-not-applicable",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "a KMS condition key does not apply to any of the statement's actions",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
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

const DOCS: &str = r#"## What it does
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn kms_keys_must_be_set_for_some_action() {
        let operations = r#"{"ForAllValues:StringEquals": {"kms:GrantOperations": "Decrypt"}}"#;
        assert_cases(
            &RULE,
            &[
                &allow(
                    "",
                    "kms:Decrypt",
                    r#"{"StringEquals": {"kms:EncryptionContext:Dept": "IT"}}"#,
                ),
                &allow("", "kms:CreateGrant", operations),
                // A resource-type key, and a global one.
                &allow(
                    "",
                    "kms:CreateGrant",
                    r#"{"StringEquals": {"kms:KeySpec": "SYMMETRIC_DEFAULT"}}"#,
                ),
                &allow(
                    "",
                    "kms:Decrypt",
                    r#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#,
                ),
                // One of the actions has it.
                &allow("", r#"["kms:Decrypt", "kms:CreateGrant"]"#, operations),
                // Not only KMS actions: other services have their own keys.
                &allow("", r#"["kms:Decrypt", "s3:GetObject"]"#, operations),
                // An unknown key is KW305's finding.
                &allow(
                    "",
                    "kms:Decrypt",
                    r#"{"StringEquals": {"kms:Nonsense": "x"}}"#,
                ),
            ],
            &[
                &allow("", "kms:Decrypt", operations),
                &allow(
                    "",
                    "kms:CreateGrant",
                    r#"{"StringEquals": {"kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}}"#,
                ),
            ],
        );
    }
}
