//! KW305: `kms:` condition keys that do not exist.

use crate::catalog::{catalog, CATALOG_DATE};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW305",
        name: "unknown-condition-key",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "a `kms:` condition key does not exist",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
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

const DOCS: &str = r#"## What it does
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn kms_keys_must_exist() {
        let with = |key: &str| {
            allow(
                "",
                "kms:Decrypt",
                &format!(r#"{{"StringEquals": {{"{key}": "x"}}}}"#),
            )
        };
        assert_cases(
            &RULE,
            // Only `kms:` keys are checked.
            &[
                &with("kms:EncryptionContext:Dept"),
                &with("KMS:encryptioncontextkeys"),
                &with("kms:ViaService"),
                &with("aws:NoSuchKey"),
            ],
            &[
                &with("kms:EncryptionContex:Dept"),
                &with("kms:CallerAcount"),
            ],
        );
    }
}
