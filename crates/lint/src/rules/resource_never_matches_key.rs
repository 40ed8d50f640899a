//! KW307: key-policy statements whose `Resource` can never be the key.

use keyward_policy::matching::{ArnPattern, CaseMode, PatternToken};

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, text};
use crate::rules::{Account, Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW307",
        name: "resource-never-matches-key",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary:
            "a key-policy statement's `Resource` names nothing this key can be, so it never applies",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
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
            .map(|r| never_reason(cx, r.node.raw()))
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
                format!(
                    "statement `{}` never applies: {reason}",
                    statement.display_name()
                ),
                first.span,
            )
            .with_label("cannot be this key")
            .with_help(format!(
                "in a key policy write `{}`: a key policy only ever governs its own key",
                members(cx, [("Resource", text("*"))])
            ))
            .with_pointer(cx.pointer(statement, "/Resource"));
        cx.emit(d);
    }
}

/// Why a resource can never be the key the policy is attached to; `None`
/// when it might be.
fn never_reason(cx: &Context<'_>, raw: &str) -> Option<String> {
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
    // Another account's key, when the key's accounts are configured; a
    // template's own account (`AWS::AccountId`) is the key's.
    let home = cx.home_accounts();
    if let Some(Account::Id(account)) = account.as_literal().map(|a| cx.account(a)) {
        if !home.is_empty() && !home.iter().any(|h| h == account) {
            return Some(format!(
                "`{raw}` is a key of account `{account}`, not of this key's account"
            ));
        }
    }
    None
}

const DOCS: &str = r#"## What it does
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{assert_cases, assert_cases_with, statement, with_accounts};

    #[test]
    fn resources_must_be_able_to_be_this_key() {
        let on = |resource: &str| {
            statement(
                "Allow",
                "arn:aws:iam::111122223333:role/App",
                "kms:Decrypt",
                resource,
                "",
            )
        };
        let other_account = on("arn:aws:kms:us-east-1:444455556666:key/k");
        assert_cases(
            &RULE,
            &[
                &on("*"),
                &on("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                &on("arn:aws:kms:us-east-1:111122223333:key/*"),
                &on("arn:aws:kms:*:111122223333:*"),
                &on("arn:aws:kms:us-east-1:111122223333:key/${aws:PrincipalTag/key}"),
                // One resource that might be the key is enough.
                &on(r#"["arn:aws:kms:us-east-1:111122223333:alias/app", "*"]"#),
                // Another account's key, when the key's accounts are not known.
                &other_account,
            ],
            &[
                &on("arn:aws:kms:us-east-1:111122223333:alias/app"),
                &on("arn:aws:s3:::bucket"),
            ],
        );
        let configured = with_accounts(&["111122223333"]);
        assert_cases_with(
            &RULE,
            &configured,
            &[&on("arn:aws:kms:us-east-1:111122223333:key/k")],
            &[&other_account],
        );
    }

    #[test]
    #[cfg(feature = "yaml")]
    fn a_template_own_account_is_the_key_account() {
        use crate::rules::cases::{findings_in, yaml_key_template};

        let template = |resource: &str| {
            yaml_key_template(&format!(
                "          - {{Effect: Allow, Principal: {{AWS: !Sub 'arn:aws:iam::${{AWS::AccountId}}:root'}}, Action: 'kms:*', Resource: {resource}}}\n"
            ))
        };
        let configured = with_accounts(&["111122223333"]);
        let own = template("!Sub 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/*'");
        assert_eq!(findings_in(&RULE, &own, &configured), vec![]);
        let other = template("'arn:aws:kms:us-east-1:444455556666:key/k'");
        assert_eq!(findings_in(&RULE, &other, &configured).len(), 1);
    }
}
