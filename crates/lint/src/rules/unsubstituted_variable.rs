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
        summary: "a policy variable is written where AWS does not substitute it (principal, condition key, ARN prefix)",
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
        if let Some(resources) = &statement.resource {
            for resource in &resources.node.items {
                let raw = resource.node.raw();
                let prefix_end = nth_colon(raw, 5).unwrap_or(raw.len());
                if raw.get(..prefix_end).is_some_and(|p| p.contains("${")) {
                    found.push((
                        resource.span,
                        "before the resource part of an ARN",
                        "/Resource",
                    ));
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
                .with_help("use a variable only in the resource part of an ARN (after the fifth `:`) or in a `String…`/`Arn…` condition value; to match principals by pattern, use `aws:PrincipalArn` in a condition")
                .with_pointer(cx.pointer(statement, pointer));
            cx.emit(d);
        }
    }
}

fn nth_colon(text: &str, n: usize) -> Option<usize> {
    text.match_indices(':').nth(n - 1).map(|(i, _)| i)
}

const DOCS: &str = r#"## What it does
Finds `${…}` in places where IAM and KMS do not substitute policy variables:
principal values, condition keys, and the partition, service, region or
account of an ARN (anything before the fifth `:`). Values of `String…` and
`Arn…` conditions and the resource part of an ARN are fine.

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
    "Principal": {"AWS": "*"},
    "Action": "kms:Decrypt",
    "Resource": "arn:aws:kms:${aws:RequestedRegion}:111122223333:key/*",
    "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}
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
