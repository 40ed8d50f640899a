//! KW303: action wildcards that match no action of their service.

use crate::catalog::{catalog, CATALOG_DATE};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{action_element, action_items};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW303",
        name: "action-wildcard-matches-nothing",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action wildcard matches no action of its service",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for item in action_items(statement) {
            if item.node.is_all() || !item.node.name().contains(['*', '?']) {
                continue;
            }
            let Some(service) = item.node.service().and_then(|s| catalog().service(s)) else {
                continue;
            };
            if service.any_match(item.node.name_pattern()) {
                continue;
            }
            let d = cx
                .diagnostic(
                    format!("`{}` matches no action of `{}`", item.node.as_str(), service.prefix()),
                    item.span,
                )
                .with_label("matches nothing")
                .with_help(format!(
                    "check the spelling against the actions of `{}`; the catalog is from {CATALOG_DATE}",
                    service.prefix()
                ))
                .with_pointer(cx.pointer(statement, action_element(statement)));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Checks each action with `*` or `?` against the actions of its service and
reports the patterns that match none.

## Why it matters
A wildcard that matches nothing grants nothing: `kms:Encrypt*Data` or
`kms:Decrypt?` look plausible in review and do nothing.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt*Data", "Resource": "*"}]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "kms:GenerateDataKey*", "Resource": "*"}]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn wildcards_must_match_an_action() {
        let allowing = |action: &str| allow("", action, "");
        assert_cases(
            &RULE,
            &[
                &allowing("kms:GenerateDataKey*"),
                &allowing("kms:*"),
                &allowing("*"),
                &allowing("kms:Generate*Key"),
                &allowing("kms:decrypt"),
            ],
            &[
                &allowing("kms:Encrypt*Data"),
                &allowing("kms:Decrypt?"),
                &allowing("kms:Decrpyt*"),
            ],
        );
    }
}
