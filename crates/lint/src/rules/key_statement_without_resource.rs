//! KW306: key-policy statements with no `Resource`, which never apply.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, text};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW306",
        name: "key-statement-without-resource",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary: "a key-policy statement has no `Resource`, so it has no effect",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if statement.resource.is_some() {
            continue;
        }
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` has no `Resource` and has no effect",
                    statement.display_name()
                ),
                statement.span,
            )
            .with_label("KMS accepts this statement but never applies it")
            .with_help(format!(
                "add `{}`, which in a key policy means this key",
                members(cx, [("Resource", text("*"))])
            ))
            .with_pointer(cx.pointer(statement, ""));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds key-policy statements with neither `Resource` nor `NotResource`.

## Why it matters
`CreateKey` and `PutKeyPolicy` accept such a statement, but KMS never
applies it: an intended grant silently does nothing, and an intended
`Deny` protects nothing. In a key policy, `"Resource": "*"` means this key.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Deny deletion", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion"}
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Deny deletion", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}
  ]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, statement};

    #[test]
    fn key_policy_statements_need_a_resource() {
        assert_cases(
            &RULE,
            &[
                &allow("arn:aws:iam::111122223333:root", "kms:*", ""),
                r#"{"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "NotResource": "arn:aws:kms:us-east-1:111122223333:key/k"}"#,
                // An identity policy: KW113's finding.
                &statement("Allow", "", "kms:Decrypt", "", ""),
            ],
            &[&statement("Deny", "*", "kms:ScheduleKeyDeletion", "", "")],
        );
    }
}
