//! KW205: `kms:*` for principals other than the account.

use keyward_policy::model::PrincipalKind;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{
    conditions, grants_all_kms, has_wildcard_principal, is_account_principal, is_allow, list,
    principals,
};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW205",
        name: "full-access-for-non-admin",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary: "a principal other than the account gets every KMS permission (`kms:*`)",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if !is_allow(statement) || !grants_all_kms(statement) {
            continue;
        }
        // An unconditioned `*` is KW201's finding.
        if has_wildcard_principal(statement) && conditions(statement).is_empty() {
            continue;
        }
        let mut named: Vec<&str> = principals(statement)
            .into_iter()
            .filter(|(kind, v)| !(*kind == PrincipalKind::Aws && is_account_principal(&v.node)))
            .map(|(_, v)| v.node.as_str())
            .collect();
        if has_wildcard_principal(statement) && !named.contains(&"*") {
            named.push("*");
        }
        if named.is_empty() {
            continue;
        }
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` gives {} every KMS permission, including `kms:PutKeyPolicy` and `kms:ScheduleKeyDeletion`",
                    statement.display_name(),
                    list(&named)
                ),
                statement.action.span,
            )
            .with_label(if named.len() == 1 {
                "`kms:*` for a principal that is not the account"
            } else {
                "`kms:*` for principals that are not the account"
            })
            .with_help("give key users only the operations they need (e.g. `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey*`) and key administrators the management actions")
            .with_pointer(cx.pointer(statement, "/Action"));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds key-policy statements that allow `kms:*` (or `*`) to a principal
other than the account principal (`arn:aws:iam::111122223333:root` or the
bare account id): a user, a role, a service, or `*` with a condition.

## Why it matters
`kms:*` includes `kms:PutKeyPolicy` (rewrite who controls the key),
`kms:ScheduleKeyDeletion` (destroy every piece of data it protects) and
`kms:CreateGrant` (hand out any permission). The account principal gets
`kms:*` in AWS's default key policy because that only *delegates* to IAM
policies; a named principal gets all of it directly.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
    "Action": "kms:*",
    "Resource": "*"
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Enable IAM policies",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*",
    "Resource": "*"
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, findings};

    #[test]
    fn only_the_account_gets_everything() {
        let all_to = |principal: &str| allow(principal, "kms:*", "");
        assert_cases(
            &RULE,
            &[
                &all_to("arn:aws:iam::111122223333:root"),
                &all_to("111122223333"),
                &allow(
                    "arn:aws:iam::111122223333:role/App",
                    r#"["kms:Encrypt", "kms:Decrypt"]"#,
                    "",
                ),
                // An unconditioned `*` is KW201's finding.
                &all_to("*"),
            ],
            &[
                &all_to("arn:aws:iam::111122223333:role/App"),
                &all_to(r#"{"Service": "logs.amazonaws.com"}"#),
                &allow(
                    "*",
                    "*",
                    r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#,
                ),
            ],
        );
    }

    #[test]
    fn the_finding_names_every_principal_that_gets_everything() {
        let many = r#"{"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/App", "arn:aws:iam::111122223333:role/Ops"], "Service": "logs.amazonaws.com"}"#;
        let found = findings(&RULE, &allow(many, "kms:*", ""));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "statement `#0` gives `arn:aws:iam::111122223333:role/App`, `arn:aws:iam::111122223333:role/Ops` and `logs.amazonaws.com` every KMS permission, including `kms:PutKeyPolicy` and `kms:ScheduleKeyDeletion`"
        );
        let caller = r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#;
        let anyone = findings(&RULE, &allow(r#"{"AWS": "*"}"#, "kms:*", caller));
        assert!(
            anyone[0]
                .message
                .contains(" gives `*` every KMS permission"),
            "{}",
            anyone[0].message
        );
    }
}
