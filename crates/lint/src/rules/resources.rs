//! KW306 and KW307: key-policy statements that never apply because of their
//! `Resource`.

use keyward_policy::matching::{ArnPattern, CaseMode, PatternToken};

use crate::extract::STACK_ACCOUNT;
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const MISSING_RESOURCE: Rule = Rule::new(
    RuleMeta {
        code: "KW306",
        name: "key-statement-without-resource",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary: "a key-policy statement has no `Resource`, so it has no effect",
        docs: MISSING_RESOURCE_DOCS,
    },
    Check::Policy(check_missing),
);

pub(crate) const NEVER_MATCHES: Rule = Rule::new(
    RuleMeta {
        code: "KW307",
        name: "resource-never-matches-key",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary:
            "a key-policy statement's `Resource` names nothing this key can be, so it never applies",
        docs: NEVER_MATCHES_DOCS,
    },
    Check::Policy(check_never),
);

fn check_missing(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if statement.resource.is_some() {
            continue;
        }
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` has no `Resource` and has no effect",
                    statement.display_name()
                ),
                statement.span,
            )
            .with_label("KMS accepts this statement but never applies it")
            .with_help("add `\"Resource\": \"*\"`, which in a key policy means this key")
            .with_pointer(cx.pointer(statement, ""));
        cx.emit(d);
    }
}

fn check_never(cx: &mut Context<'_>) {
    let home: Vec<&str> = cx
        .home_accounts()
        .iter()
        .map(String::as_str)
        .filter(|a| *a != STACK_ACCOUNT)
        .collect();
    for statement in cx.statements() {
        let Some(resources) = &statement.resource else {
            continue;
        };
        if resources.node.negated || resources.node.items.is_empty() {
            continue;
        }
        let reasons: Vec<Option<String>> = resources
            .node
            .items
            .iter()
            .map(|r| never_reason(r.node.raw(), &home))
            .collect();
        if reasons.iter().any(Option::is_none) {
            continue;
        }
        let Some(first) = resources.node.items.first() else {
            continue;
        };
        let reason = reasons.into_iter().flatten().next().unwrap_or_default();
        let d = cx
            .diagnostic(
                format!("statement `{}` never applies: {reason}", statement.display_name()),
                first.span,
            )
            .with_label("cannot be this key")
            .with_help("in a key policy write `\"Resource\": \"*\"`: a key policy only ever governs its own key")
            .with_pointer(cx.pointer(statement, "/Resource"));
        cx.emit(d);
    }
}

/// Why a resource can never be the key the policy is attached to; `None`
/// when it might be.
fn never_reason(raw: &str, home: &[&str]) -> Option<String> {
    if raw == "*" || raw.contains("${") {
        return None;
    }
    let pattern = ArnPattern::parse(raw).ok()?;
    let (service, account, resource) =
        (pattern.service()?, pattern.account()?, pattern.resource()?);
    if !service.matches("kms", CaseMode::Sensitive) {
        return Some(format!("`{raw}` is not a KMS key"));
    }
    let prefix: String = match resource.tokens().first() {
        Some(PatternToken::Literal(text)) => text.to_string(),
        _ => String::new(),
    };
    let could_be_key = prefix.starts_with("key/") || "key/".starts_with(prefix.as_str());
    if !could_be_key {
        return Some(format!(
            "`{raw}` is not a key ARN (an alias is not the key)"
        ));
    }
    if let Some(account) = account.as_literal() {
        if !home.is_empty() && !home.contains(&account) {
            return Some(format!(
                "`{raw}` is a key of account `{account}`, not of this key's account"
            ));
        }
    }
    None
}

const MISSING_RESOURCE_DOCS: &str = r#"## What it does
Finds key-policy statements with neither `Resource` nor `NotResource`.

## Why it matters
`CreateKey` and `PutKeyPolicy` accept such a statement, but KMS never
applies it: an intended grant silently does nothing, and an intended
`Deny` protects nothing. In a key policy, `"Resource": "*"` means this key.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Deny deletion", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion"}
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Deny deletion", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}
  ]
}
```
"#;

const NEVER_MATCHES_DOCS: &str = r#"## What it does
Finds key-policy statements whose every `Resource` cannot be the key: the
ARN of another service, an alias ARN, or, when the config names the key's
accounts (`accounts`), a key ARN of another account.

## Why it matters
A key policy only governs its own key. A statement naming something else is
accepted and never applies; usually it was copied from an IAM policy.
`"Resource": "*"` is the correct form and means "this key".

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Use through the alias", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:alias/app"}
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
  ]
}
```
"#;
