//! KW109: `kms:GrantOperations` values that are not grant operations.

use keyward_eval::KmsAction;
use keyward_policy::matching::{CaseMode, Pattern};
use keyward_policy::model::{ConditionValues, OperatorBase};

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::conditions_on;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW109",
        name: "invalid-grant-operation",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "a `kms:GrantOperations` value is not an operation a grant can allow",
        docs: DOCS,
    },
    Check::Policy(check),
);

/// The operations a grant can allow (`CreateGrant`'s `Operations`), from
/// the evaluator, which enforces the same list.
fn grant_operations() -> impl Iterator<Item = &'static str> {
    KmsAction::ALL
        .iter()
        .filter(|a| a.is_grant_operation())
        .map(|a| a.name())
}

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for condition in conditions_on(statement, "kms:GrantOperations") {
            let ConditionValues::String(values) = &condition.values else {
                continue;
            };
            let base = condition.operator.node.base;
            for value in values {
                let text = value.node.raw();
                if is_operation(text, base) {
                    continue;
                }
                let d = cx
                    .diagnostic(
                        format!("`{text}` is not an operation a grant can allow"),
                        value.span,
                    )
                    .with_label("no grant will ever carry this operation")
                    .with_help(format!(
                        "grant operations are {}",
                        grant_operations()
                            .map(|o| format!("`{o}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .with_pointer(cx.pointer(statement, "/Condition"));
                cx.emit(d);
            }
        }
    }
}

fn is_operation(value: &str, base: OperatorBase) -> bool {
    match base {
        OperatorBase::StringLike | OperatorBase::StringNotLike => {
            let pattern = Pattern::new(value);
            grant_operations().any(|op| pattern.matches(op, CaseMode::Sensitive))
        }
        OperatorBase::StringEqualsIgnoreCase | OperatorBase::StringNotEqualsIgnoreCase => {
            grant_operations().any(|op| op.eq_ignore_ascii_case(value))
        }
        _ => grant_operations().any(|op| op == value),
    }
}

const DOCS: &str = r#"## What it does
Checks the values tested against `kms:GrantOperations` against the
operations a grant can allow: `Decrypt`, `Encrypt`, `GenerateDataKey`,
`GenerateDataKeyPair`, `GenerateDataKeyPairWithoutPlaintext`,
`GenerateDataKeyWithoutPlaintext`, `GenerateMac`, `ReEncryptFrom`,
`ReEncryptTo`, `Sign`, `Verify`, `VerifyMac`, `CreateGrant`, `DescribeKey`,
`GetPublicKey`, `RetireGrant` and `DeriveSharedSecret`. Values are
case-sensitive except under `StringEqualsIgnoreCase`; `StringLike` patterns
must match at least one.

## Why it matters
Operation names are written without the `kms:` prefix and exactly as the
API spells them. `kms:Decrypt`, `decrypt` or `ReEncrypt` never match, so a
`ForAllValues` allow-list that contains them quietly refuses the grants it
was meant to allow.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": "kms:CreateGrant",
    "Resource": "*",
    "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", "kms:Encrypt"]}}
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
    "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", "Encrypt"]}}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn values_must_be_grant_operations() {
        let with = |operator: &str, operations: &str| {
            allow(
                "",
                "kms:CreateGrant",
                &format!(r#"{{"{operator}": {{"kms:GrantOperations": {operations}}}}}"#),
            )
        };
        assert_cases(
            &RULE,
            &[
                &with("ForAllValues:StringEquals", r#"["Decrypt", "RetireGrant"]"#),
                &with("ForAnyValue:StringLike", r#""GenerateDataKey*""#),
                &with("ForAllValues:StringEqualsIgnoreCase", r#""decrypt""#),
            ],
            // Operation names are case-sensitive, and have no `kms:` prefix.
            &[
                &with("ForAllValues:StringEquals", r#""decrypt""#),
                &with("ForAllValues:StringEquals", r#""kms:Decrypt""#),
                &with("ForAnyValue:StringLike", r#""Foo*""#),
                &with("ForAllValues:StringEquals", r#"["Decrypt", "ListGrants"]"#),
            ],
        );
    }
}
