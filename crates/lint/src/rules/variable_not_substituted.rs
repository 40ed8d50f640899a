//! KW112: policy variables where AWS does not substitute them.

use keyward_policy::model::PrincipalSpec;
use keyward_policy::Span;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW112",
        name: "variable-not-substituted",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "a policy variable is written where AWS does not substitute it (a principal or a condition key)",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    if !cx.policy().variables_enabled() {
        return; // KW101 reports variables in old-version policies.
    }
    for statement in cx.statements() {
        let mut found: Vec<(Span, &'static str, &'static str)> = Vec::new();
        if let Some(principal) = &statement.principal {
            if let PrincipalSpec::Map(groups) = &principal.node.spec {
                for value in groups.iter().flat_map(|g| &g.values) {
                    if value.node.contains("${") {
                        found.push((value.span, "in a principal", "/Principal"));
                    }
                }
            }
        }
        for condition in conditions(statement) {
            if condition.key.node.as_str().contains("${") {
                found.push((condition.key.span, "in a condition key", "/Condition"));
            }
        }
        for (span, place, pointer) in found {
            let d = cx
                .diagnostic(format!("policy variables are not substituted {place}"), span)
                .with_label("compared as the literal text `${…}`")
                .with_help("use variables in `Resource` or in `String…`/`Arn…` condition values; to match principals by pattern, use `\"Principal\": \"*\"` with `aws:PrincipalArn` in a condition")
                .with_pointer(cx.pointer(statement, pointer));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Finds `${…}` in places where IAM and KMS do not substitute policy variables:
principal values and condition keys. `Resource` ARNs (AWS's own managed
policies put `${aws:PrincipalAccount}` in the account field) and the values
of `String…` and `Arn…` conditions are fine.

## Why it matters
Outside the places AWS documents, `${aws:username}` is plain text. A
principal like `arn:aws:iam::111122223333:user/${aws:username}` is then an
ARN that no user has, and the statement never applies.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"},
    "Action": "kms:Decrypt",
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
    "Principal": {"AWS": "*"},
    "Action": "kms:Decrypt",
    "Resource": "*",
    "Condition": {"StringEquals": {
      "kms:CallerAccount": "111122223333",
      "kms:EncryptionContext:user": "${aws:username}"
    }}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, statement};

    #[test]
    fn variables_work_only_in_resources_and_condition_values() {
        let user = "arn:aws:iam::111122223333:user/${aws:username}";
        assert_cases(
            &RULE,
            &[
                &statement(
                    "Allow",
                    "",
                    "kms:Decrypt",
                    "arn:aws:kms:us-east-1:111122223333:key/${aws:username}",
                    "",
                ),
                &allow(
                    "",
                    "kms:Decrypt",
                    r#"{"StringEquals": {"kms:EncryptionContext:user": "${aws:username}"}}"#,
                ),
                // Without `Version` nothing is substituted anywhere: KW101's finding.
                &format!(r#"{{"Statement": [{}]}}"#, allow(user, "kms:Decrypt", "")),
            ],
            &[
                &allow(user, "kms:Decrypt", ""),
                &allow(
                    "",
                    "kms:Decrypt",
                    r#"{"StringEquals": {"aws:PrincipalTag/${aws:username}": "yes"}}"#,
                ),
            ],
        );
    }
}
