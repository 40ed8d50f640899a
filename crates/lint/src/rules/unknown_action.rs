//! KW302: action names their service does not have, with the closest
//! known name.

use crate::catalog::{catalog, CATALOG_DATE};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{action_element, action_items};
use crate::rules::spelling::closest;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW302",
        name: "unknown-action",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action is not an action of its service",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for item in action_items(statement) {
            let name = item.node.name();
            if name.contains(['*', '?']) {
                continue;
            }
            let Some(service) = item.node.service().and_then(|s| catalog().service(s)) else {
                continue;
            };
            if service.has_action(name) {
                continue;
            }
            let help = match closest(service.actions(), name) {
                Some(best) => format!("did you mean `{}:{best}`?", service.prefix()),
                None => format!(
                    "see the actions of `{}` in the Service Authorization Reference; the catalog is from {CATALOG_DATE}",
                    service.prefix()
                ),
            };
            let d = cx
                .diagnostic(
                    format!(
                        "`{}` is not an action of `{}`",
                        item.node.as_str(),
                        service.prefix()
                    ),
                    item.span,
                )
                .with_label("unknown action")
                .with_help(help)
                .with_pointer(cx.pointer(statement, action_element(statement)));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Checks each action without wildcards against the actions of its service,
ignoring case as IAM does, and suggests the closest known name.

## Why it matters
IAM accepts unknown action names: `kms:Decrpyt` or `kms:GenerateDataKeys`
deploy fine and grant nothing, and the mistake shows up only as an
`AccessDenied` in production.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["kms:Decrpyt", "kms:Encrypt"], "Resource": "*"}]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["kms:decrypt", "kms:Encrypt"], "Resource": "*"}]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, findings};

    #[test]
    fn actions_must_exist_in_their_service() {
        let allowing = |action: &str| allow("", action, "");
        // An unknown service is KW301's finding.
        assert_cases(
            &RULE,
            &[
                &allowing("kms:decrypt"),
                &allowing("kms:Decrypt*"),
                &allowing("ksm:Decrpyt"),
            ],
            &[&allowing("kms:Decrpyt"), &allowing("kms:GenerateDataKeys")],
        );
        let help = |action: &str| {
            findings(&RULE, &allowing(action))[0]
                .help
                .clone()
                .unwrap_or_default()
        };
        assert_eq!(help("kms:Decrpyt"), "did you mean `kms:Decrypt`?");
        assert!(help("kms:Xyzzy").starts_with("see the actions of `kms`"));
    }
}
