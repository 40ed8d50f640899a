//! KW104: `ForAllValues` with `kms:EncryptionContext:…` or `aws:RequestTag/…`.

use keyward_policy::model::{Condition, SetQualifier};

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW104",
        name: "for-all-values-on-per-pair-key",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "`ForAllValues` with `kms:EncryptionContext:…` or `aws:RequestTag/…`, which KMS rejects as overly permissive",
        docs: DOCS,
    },
    Check::Policy(check),
);

/// `ForAllValues` on a key that names one pair of a map.
pub(crate) fn is_overly_permissive(condition: &Condition) -> bool {
    let key = condition.key.node.lower();
    condition.operator.node.qualifier == Some(SetQualifier::ForAllValues)
        && (key.starts_with("kms:encryptioncontext:") || key.starts_with("aws:requesttag/"))
}

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for condition in conditions(statement)
            .iter()
            .filter(|c| is_overly_permissive(c))
        {
            let key = condition.key.node.as_str();
            let d = cx
                .diagnostic(
                    format!("`ForAllValues` with `{key}` is rejected as an overly permissive condition"),
                    condition.operator.span,
                )
                .with_label("true even when the request has no such pair")
                .with_help(format!(
                    "use `{}` without the prefix; to forbid other pairs, add `ForAllValues` on `kms:EncryptionContextKeys` (or `aws:TagKeys`)",
                    condition.operator.node.base.name()
                ))
                .with_pointer(cx.pointer(statement, "/Condition"));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Finds `ForAllValues:` operators on `kms:EncryptionContext:<key>` and
`aws:RequestTag/<key>`.

## Why it matters
Each of these keys holds one value per request (the value of one
encryption-context pair or tag). `ForAllValues` is true when the pair is
absent, so the condition would allow requests without it; KMS refuses such
a key policy with an `OverlyPermissiveCondition` error. Test the pair with
a plain operator, and restrict the set of pairs with
`kms:EncryptionContextKeys`.

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
    "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:AppName": "ExampleApp"}}
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
    "Condition": {
      "StringEquals": {"kms:EncryptionContext:AppName": "ExampleApp"},
      "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["AppName"]}
    }
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn for_all_values_is_refused_on_per_pair_keys() {
        let with = |condition: &str| allow("", "kms:Decrypt", condition);
        assert_cases(
            &RULE,
            &[
                &with(r#"{"StringEquals": {"kms:EncryptionContext:Dept": "IT"}}"#),
                &with(r#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Dept"]}}"#),
                &with(r#"{"ForAnyValue:StringEquals": {"kms:EncryptionContext:Dept": "IT"}}"#),
            ],
            &[
                &with(r#"{"ForAllValues:StringEquals": {"kms:EncryptionContext:Dept": "IT"}}"#),
                &with(r#"{"ForAllValues:StringLike": {"aws:RequestTag/team": "a*"}}"#),
                &with(r#"{"ForAllValues:StringEquals": {"KMS:encryptioncontext:dept": "IT"}}"#),
            ],
        );
    }
}
