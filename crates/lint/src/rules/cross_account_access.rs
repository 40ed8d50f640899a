//! KW208: access given to other accounts, reported with the accounts.

use std::collections::BTreeMap;

use keyward_policy::model::PrincipalKind;
use keyward_policy::Span;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{
    conditions_on, covers_action, is_account_principal, is_allow, list, plural, principals,
    string_values,
};
use crate::rules::{Account, Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW208",
        name: "cross-account-access",
        category: Category::Security,
        default_level: Level::Info,
        scope: Scope::KeyPolicy,
        summary: "the key policy gives access to principals of other accounts",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    let home = home_accounts(cx);
    // A template whose own account is only `AWS::AccountId` cannot tell
    // whether a hard-coded account is another one: say nothing.
    if home.iter().all(|a| *a == Account::Stack) {
        return;
    }
    // Account → places it is granted.
    let mut foreign: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    for statement in cx.statements().iter().filter(|s| is_allow(s)) {
        for (kind, value) in principals(statement) {
            if kind != PrincipalKind::Aws {
                continue;
            }
            // The template's own account is the key's.
            if let Some(Account::Id(account)) = cx.principal_account(&value.node) {
                if !home.contains(&Account::Id(account)) {
                    foreign.entry(account).or_default().push(value.span);
                }
            }
        }
    }
    let Some(first) = foreign.values().flatten().min_by_key(|s| s.start).copied() else {
        return;
    };
    let accounts: Vec<&str> = foreign.keys().copied().collect();
    let mut d = cx
        .diagnostic(
            format!(
                "the key policy gives access to {} other account{}: {}",
                accounts.len(),
                plural(accounts.len()),
                list(&accounts)
            ),
            first,
        )
        .with_label("a principal of another account")
        .with_help("make sure these accounts should use the key; set `accounts` in `.keyward.json` to name the accounts that own your keys");
    for span in foreign.values().flatten().filter(|s| **s != first) {
        d = d.with_related(*span, "");
    }
    cx.emit(d);
}

/// The accounts that own the key: configured ones, else the accounts whose
/// account principal may change the policy, else those named in
/// `kms:CallerAccount` conditions.
fn home_accounts<'a>(cx: &Context<'a>) -> Vec<Account<'a>> {
    let mut home: Vec<Account<'a>> = cx
        .home_accounts()
        .iter()
        .map(|a| Account::Id(a.as_str()))
        .collect();
    if home.is_empty() {
        home = cx
            .statements()
            .iter()
            .filter(|s| is_allow(s) && covers_action(s, "kms:PutKeyPolicy"))
            .flat_map(principals)
            .filter(|(kind, v)| *kind == PrincipalKind::Aws && is_account_principal(&v.node))
            .filter_map(|(_, v)| cx.principal_account(&v.node))
            .collect();
    }
    if home.is_empty() {
        home = cx
            .statements()
            .iter()
            .flat_map(|s| conditions_on(s, "kms:CallerAccount").flat_map(string_values))
            .map(|v| cx.account(v))
            .collect();
    }
    home
}

const DOCS: &str = r#"## What it does
Lists the accounts, other than the key's own, whose principals the key
policy allows (account principals, users, roles, sessions). The key's own
accounts are the `accounts` of `.keyward.json` (or `--account`); without
them, the accounts whose account principal may change the key policy, or
those named in `kms:CallerAccount` conditions. In a CloudFormation template
whose own account is only known as `AWS::AccountId`, nothing is reported
unless `accounts` is configured. One finding per policy, at the first
foreign principal.

## Why it matters
Cross-account access is often intended (a central logging account, a
partner), but it should never be a surprise: a reviewer should see which
accounts can use the key. It is reported as information by default; set it
to `warn` or `error` in accounts where no key should be shared.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM policies",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow use of the key",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": ["kms:Encrypt", "kms:Decrypt"],
      "Resource": "*"
    }
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM policies",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow use of the key",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
      "Action": ["kms:Encrypt", "kms:Decrypt"],
      "Resource": "*"
    }
  ]
}
```
"#;

#[cfg(test)]
mod tests {
    use keyward_policy::Source;

    use super::RULE;
    use crate::rules::cases::{assert_cases, assert_cases_with, findings_in};
    use crate::LintOptions;

    fn allow(principal: &str, actions: &str) -> String {
        format!(
            r#"{{"Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": {actions}, "Resource": "*"}}"#
        )
    }

    #[test]
    fn other_accounts_are_reported_against_the_home_accounts() {
        let home_root = allow("arn:aws:iam::111122223333:root", r#""kms:*""#);
        let home_app = allow("arn:aws:iam::111122223333:role/App", r#""kms:Decrypt""#);
        let other = allow("arn:aws:iam::444455556666:root", r#""kms:Decrypt""#);
        let anyone_in_home = r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}"#;
        // Without configured accounts, the home is the account that may
        // change the policy, else the `kms:CallerAccount` one; else unknown.
        assert_cases(
            &RULE,
            &[&format!("[{home_root}, {home_app}]"), &other],
            &[
                &format!("[{home_root}, {other}]"),
                &format!("[{anyone_in_home}, {other}]"),
            ],
        );
        let configured = LintOptions {
            accounts: vec!["111122223333".into()],
            ..LintOptions::default()
        };
        assert_cases_with(&RULE, &configured, &[&home_app], &[&other]);
    }

    /// A key template whose account principal is the stack's own account
    /// (`AWS::AccountId`), and a second principal.
    fn template(other: &str) -> Source {
        Source::new(
            "template.yaml",
            format!(
                "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {{AWS: !Sub 'arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:root'}}\n            Action: kms:*\n            Resource: '*'\n          - Effect: Allow\n            Principal: {{AWS: {other}}}\n            Action: kms:Decrypt\n            Resource: '*'\n"
            ),
        )
    }

    #[test]
    fn a_template_own_account_is_never_another_account() {
        let unconfigured = LintOptions::default();
        let configured = LintOptions {
            accounts: vec!["111122223333".into()],
            ..LintOptions::default()
        };
        let own = template("!Sub 'arn:aws:iam::${AWS::AccountId}:role/App'");
        assert!(findings_in(&RULE, &own, &unconfigured).is_empty());
        assert!(findings_in(&RULE, &own, &configured).is_empty());
        // Only `AWS::AccountId` is known: a hard-coded account may be the same one.
        let hard_coded = template("'arn:aws:iam::444455556666:role/App'");
        assert!(findings_in(&RULE, &hard_coded, &unconfigured).is_empty());
        let found = findings_in(&RULE, &hard_coded, &configured);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the key policy gives access to 1 other account: `444455556666`"
        );
    }

    #[test]
    fn outside_a_template_the_placeholder_id_is_an_account_like_any_other() {
        let configured = LintOptions {
            accounts: vec!["111122223333".into()],
            ..LintOptions::default()
        };
        assert_cases_with(
            &RULE,
            &configured,
            &[],
            &[&allow("arn:aws:iam::000000000000:root", r#""kms:Decrypt""#)],
        );
    }
}
