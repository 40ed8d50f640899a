//! KW208: access given to other accounts, reported with the accounts.

use std::collections::BTreeMap;

use keyward_policy::model::PrincipalKind;
use keyward_policy::Span;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{
    administering_accounts, conditions_on, is_allow, list, plural, principals, string_values,
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
    Check::WholePolicy(check),
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
        home = administering_accounts(cx);
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
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, assert_cases_with, with_accounts};

    #[test]
    fn other_accounts_are_reported_against_the_home_accounts() {
        let home_root = allow("arn:aws:iam::111122223333:root", "kms:*", "");
        let home_app = allow("arn:aws:iam::111122223333:role/App", "kms:Decrypt", "");
        let other = allow("arn:aws:iam::444455556666:root", "kms:Decrypt", "");
        let anyone_in_home = allow(
            "*",
            "kms:Decrypt",
            r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#,
        );
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
        let configured = with_accounts(&["111122223333"]);
        assert_cases_with(&RULE, &configured, &[&home_app], &[&other]);
        // Outside a template, `000000000000` is an account like any other.
        let placeholder = allow("arn:aws:iam::000000000000:root", "kms:Decrypt", "");
        assert_cases_with(&RULE, &configured, &[], &[&placeholder]);
    }

    #[test]
    #[cfg(feature = "yaml")]
    fn a_template_own_account_is_never_another_account() {
        use crate::rules::cases::{findings_in, yaml_key_template};
        use crate::LintOptions;

        // The key's account principal is the stack's own account (`AWS::AccountId`).
        let template = |other: &str| {
            yaml_key_template(&format!(
                "          - {{Effect: Allow, Principal: {{AWS: !Sub 'arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:root'}}, Action: 'kms:*', Resource: '*'}}\n          - {{Effect: Allow, Principal: {{AWS: {other}}}, Action: kms:Decrypt, Resource: '*'}}\n"
            ))
        };
        let unconfigured = LintOptions::default();
        let configured = with_accounts(&["111122223333"]);
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
}
