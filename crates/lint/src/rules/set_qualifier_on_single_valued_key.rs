//! KW103: `ForAllValues`/`ForAnyValue` on a single-valued key.

use crate::catalog::catalog;
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::for_all_values_on_per_pair_key::is_overly_permissive;
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW103",
        name: "set-qualifier-on-single-valued-key",
        category: Category::Correctness,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "`ForAllValues` or `ForAnyValue` is used with a single-valued condition key",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for condition in conditions(statement) {
            let Some(qualifier) = condition.operator.node.qualifier else {
                continue;
            };
            let key = condition.key.node.as_str();
            let Some(info) = catalog().condition_key(key) else {
                continue;
            };
            if info.is_multi_valued() || is_overly_permissive(condition) {
                continue;
            }
            let d = cx
                .diagnostic(
                    format!(
                        "`{}` is a set operator, but `{key}` has a single value",
                        qualifier.as_str()
                    ),
                    condition.operator.span,
                )
                .with_label(match qualifier {
                    keyward_policy::model::SetQualifier::ForAllValues => {
                        "true whenever the key is absent"
                    }
                    keyward_policy::model::SetQualifier::ForAnyValue => {
                        "behaves like the operator without the prefix, but misleads the reader"
                    }
                })
                .with_help(format!(
                    "drop the `{}:` prefix and use `{}`",
                    qualifier.as_str(),
                    condition.operator.node.base.name()
                ))
                .with_pointer(cx.pointer(statement, "/Condition"));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Finds `ForAllValues:` and `ForAnyValue:` operators on condition keys the
catalog lists as single-valued (such as `kms:CallerAccount` or
`kms:ViaService`). `ForAllValues` on `kms:EncryptionContext:…` and
`aws:RequestTag/…` is reported by KW104 instead.

## Why it matters
Set operators are for multi-valued keys (`kms:EncryptionContextKeys`,
`kms:GrantOperations`, `aws:TagKeys`). On a single-valued key,
`ForAllValues` is true when the key is missing, so an `Allow` with it lets
through requests that do not carry the key at all; `ForAnyValue` works but
says something the policy does not mean. IAM Access Analyzer warns about
both.

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
    "Condition": {"ForAllValues:StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}
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
    "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department", "Project"]}}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn set_operators_belong_to_multivalued_keys() {
        let with = |condition: &str| allow("", "kms:CreateGrant", condition);
        assert_cases(
            &RULE,
            &[
                &with(r#"{"ForAnyValue:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}"#),
                &with(r#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Dept"]}}"#),
                &with(r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#),
                // KW104's finding, not this rule's.
                &with(r#"{"ForAllValues:StringEquals": {"kms:EncryptionContext:Dept": "IT"}}"#),
            ],
            &[
                &with(r#"{"ForAnyValue:StringEquals": {"kms:CallerAccount": "111122223333"}}"#),
                &with(
                    r#"{"ForAllValues:StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
                ),
            ],
        );
    }
}
