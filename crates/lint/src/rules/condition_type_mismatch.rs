//! KW102: a condition operator whose type does not fit the key's type.

use keyward_policy::model::ValueType;

use crate::catalog::{catalog, KeyType};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW102",
        name: "condition-type-mismatch",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "a condition operator's type does not fit the condition key (e.g. `NumericLessThan` on a string key)",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for condition in conditions(statement) {
            let key = condition.key.node.as_str();
            let Some(info) = catalog().condition_key(key) else {
                continue;
            };
            let op = condition.operator.node;
            if fits(op.base.value_type(), info.key_type()) {
                continue;
            }
            let d = cx
                .diagnostic(
                    format!(
                        "`{}` compares {} values, but `{key}` is of type {}",
                        op.name(),
                        describe(op.base.value_type()),
                        info.key_type().as_str()
                    ),
                    condition.operator.span,
                )
                .with_label("this operator never matches that key as intended")
                .with_help(format!(
                    "use {} operator with `{key}`",
                    suggestion(info.key_type())
                ))
                .with_pointer(cx.pointer(statement, "/Condition"));
            cx.emit(d);
        }
    }
}

/// Does an operator of type `op` make sense on a key of type `key`? String
/// operators work on every key (values are compared as text), and `Null`
/// only tests presence.
fn fits(op: ValueType, key: KeyType) -> bool {
    match op {
        ValueType::String | ValueType::Null => true,
        // Dates can be compared as epoch seconds (AWS documents
        // `NumericLessThanEquals` on `kms:ValidTo`).
        ValueType::Numeric => matches!(key, KeyType::Numeric | KeyType::Date),
        ValueType::Date => key == KeyType::Date,
        ValueType::Bool => key == KeyType::Bool,
        ValueType::Binary => key == KeyType::Binary,
        ValueType::Ip => key == KeyType::Ip,
        // ARN operators compare strings segment by segment; AWS's own
        // policies use them on string keys (tags holding ARNs).
        ValueType::Arn => matches!(key, KeyType::Arn | KeyType::String),
    }
}

fn describe(ty: ValueType) -> &'static str {
    match ty {
        ValueType::String => "string",
        ValueType::Numeric => "numeric",
        ValueType::Date => "date",
        ValueType::Bool => "boolean",
        ValueType::Binary => "binary",
        ValueType::Ip => "IP address",
        ValueType::Arn => "ARN",
        ValueType::Null => "presence",
    }
}

fn suggestion(key: KeyType) -> &'static str {
    match key {
        KeyType::String => "a `String…`",
        KeyType::Arn => "an `Arn…` or `String…`",
        KeyType::Bool => "the `Bool`",
        KeyType::Numeric => "a `Numeric…`",
        KeyType::Date => "a `Date…`",
        KeyType::Ip => "an `IpAddress` or `NotIpAddress`",
        KeyType::Binary => "the `BinaryEquals`",
    }
}

const DOCS: &str = r#"## What it does
Uses the typed condition-key catalog (every service's keys, from the
Service Authorization Reference, and the global `aws:` keys) to find
operators whose type does not fit the key: `Numeric…`, `Date…`,
`Bool`, `IpAddress`, `BinaryEquals` or `Arn…` on a key of another type.
`String…` operators and `Null` are accepted on every key, `Numeric…` on
date keys (epoch seconds, as AWS documents for `kms:ValidTo`), and `Arn…`
on string keys (AWS's managed policies use them on tags that hold ARNs).
Keys the catalog does not know are not judged. A `String…` operator whose
value a numeric, date or boolean key never has is KW115.

## Why it matters
IAM compares with the operator's type: `NumericEquals` on
`kms:CallerAccount` or `IpAddress` on `kms:ViaService` never matches, so an
`Allow` grants nothing and a `Deny` (with a negated operator) denies
everything, whatever the values say.

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
    "Condition": {"NumericEquals": {"kms:CallerAccount": "111122223333"}}
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn operators_must_fit_the_key_type() {
        let with = |condition: &str| allow("", "kms:Decrypt", condition);
        assert_cases(
            &RULE,
            &[
                // Dates compare as epoch seconds too.
                &with(r#"{"NumericLessThanEquals": {"kms:ValidTo": "1700000000"}}"#),
                &with(r#"{"DateLessThan": {"kms:ValidTo": "2030-01-01T00:00:00Z"}}"#),
                // String operators compare any key as text.
                &with(r#"{"StringEquals": {"aws:SourceIp": "203.0.113.1"}}"#),
                &with(r#"{"Bool": {"kms:GrantIsForAWSResource": "true"}}"#),
                &with(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}"#),
                &with(
                    r#"{"ArnEquals": {"aws:PrincipalTag/owner": "arn:aws:iam::111122223333:role/App"}}"#,
                ),
                &with(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#),
                &with(r#"{"Null": {"aws:SourceIp": "true"}}"#),
            ],
            &[
                &with(r#"{"NumericEquals": {"kms:CallerAccount": "111122223333"}}"#),
                &with(r#"{"Bool": {"aws:SourceIp": "true"}}"#),
                &with(r#"{"IpAddress": {"kms:CallerAccount": "203.0.113.0/24"}}"#),
                &with(r#"{"DateGreaterThan": {"aws:SourceIp": "2020-01-01T00:00:00Z"}}"#),
            ],
        );
    }

    /// Every service's keys (the `service-condition-keys` feature).
    #[cfg(feature = "service-condition-keys")]
    #[test]
    fn every_services_keys_are_typed() {
        let on = |action: &str, condition: &str| allow("", action, condition);
        assert_cases(
            &RULE,
            &[
                &on(
                    "s3:ListBucket",
                    r#"{"NumericLessThanEquals": {"s3:max-keys": "100"}}"#,
                ),
                &on("ec2:RunInstances", r#"{"Bool": {"ec2:Encrypted": "true"}}"#),
                &on(
                    "ec2:CreateSnapshot",
                    r#"{"DateGreaterThan": {"ec2:CreateDate": "2026-01-01"}}"#,
                ),
                &on(
                    "s3:ListBucket",
                    r#"{"StringLike": {"s3:prefix": "home/*"}}"#,
                ),
                &on(
                    "s3:ListBucket",
                    r#"{"NumericLessThan": {"nosuchservice:Count": "1"}}"#,
                ),
            ],
            &[
                &on(
                    "s3:ListBucket",
                    r#"{"NumericLessThan": {"s3:prefix": "10"}}"#,
                ),
                &on(
                    "ec2:RunInstances",
                    r#"{"IpAddress": {"ec2:Encrypted": "10.0.0.0/8"}}"#,
                ),
                &on(
                    "sts:AssumeRole",
                    r#"{"DateLessThan": {"sts:DurationSeconds": "2026-01-01"}}"#,
                ),
            ],
        );
    }
}
