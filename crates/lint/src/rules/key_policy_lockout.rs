//! KW202: a key policy that lets nobody change it again (the lockout safety
//! check of `PutKeyPolicy` and `CreateKey`), decided with the evaluator.

use keyward_eval::{
    Authorizer, Caller, Decision, KeyConfig, KmsAction, PolicyDoc, PrincipalConfig, Request,
};
use keyward_policy::matching::PrincipalArn;
use keyward_policy::model::{Effect, Policy, PrincipalKind, PrincipalSpec};
use keyward_policy::{parse_policy, Source, Span};

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{is_allow, principals};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW202",
        name: "key-policy-lockout",
        category: Category::Security,
        default_level: Level::Error,
        scope: Scope::KeyPolicy,
        summary: "no principal could change the key policy again (`kms:PutKeyPolicy`), so KMS's lockout safety check refuses it",
        docs: DOCS,
    },
    Check::WholePolicy(check),
);

/// An identity policy that allows every KMS action: what an administrator
/// of an account the key policy delegates to could be given.
const ADMIN_IAM_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#;

fn check(cx: &mut Context<'_>) {
    let policy = cx.policy();
    let account = key_account(cx);
    // First as written; if nobody is allowed with an empty request context,
    // once more with every `Allow` condition assumed true and every
    // conditional `Deny` assumed not to apply. Only a policy that locks out
    // even then is reported: the lockout check runs with the real caller's
    // context, which may satisfy the conditions.
    if anyone_keeps_control(policy, &account) {
        return;
    }
    let best_case = without_conditions(policy);
    if anyone_keeps_control(&best_case, &account) {
        return;
    }
    let start = policy.span.start as usize;
    let d = cx
        .diagnostic(
            "no principal could change this key policy again: nothing allows `kms:PutKeyPolicy` to anyone",
            Span::new(start, start + 1),
        )
        .with_label("this policy")
        .with_help("keep a statement that lets the account (`arn:aws:iam::ACCOUNT:root`, which enables IAM policies) or a key administrator call `kms:PutKeyPolicy`; KMS refuses the policy unless `BypassPolicyLockoutSafetyCheck` is set, and a bypassed lockout can only be undone by AWS Support")
        .with_pointer("");
    cx.emit(d);
}

/// The account the key is simulated in: a configured account, else the
/// account of the first account principal, else of any principal, as the
/// policy writes it (so that a template's `AWS::AccountId` and the key
/// agree), else an arbitrary one.
fn key_account(cx: &Context<'_>) -> String {
    if let Some(account) = cx.home_accounts().first() {
        return account.clone();
    }
    let aws = || {
        cx.statements()
            .iter()
            .flat_map(principals)
            .filter(|(kind, _)| *kind == PrincipalKind::Aws)
    };
    let root = aws().find_map(|(_, v)| match PrincipalArn::parse(&v.node) {
        PrincipalArn::Account { account, .. } => Some(account),
        _ => None,
    });
    root.or_else(|| aws().find_map(|(_, v)| PrincipalArn::parse(&v.node).account()))
        .unwrap_or(ANY_ACCOUNT)
        .to_string()
}

/// The account of a key policy that names none: any account gives the same
/// answer, and it is never shown.
const ANY_ACCOUNT: &str = "111122223333";

/// Could some principal the policy names (or an administrator of an account
/// it names) call `kms:PutKeyPolicy` on the key?
fn anyone_keeps_control(policy: &Policy, account: &str) -> bool {
    // Only the decision is read, never an explanation, so the source text is
    // not needed: indexing the whole file per key policy made templates with
    // many keys quadratic.
    let doc = PolicyDoc::new("key policy", Source::new("key policy", ""), policy.clone());
    let mut builder = Authorizer::builder();
    let arn = format!("arn:aws:kms:us-east-1:{account}:key/lockout-check");
    let Ok(key) = builder.add_key(KeyConfig::new("key", arn, doc)) else {
        return true; // Cannot judge: say nothing.
    };
    let admin = parse_policy(ADMIN_IAM_POLICY).ok();
    let mut callers: Vec<Caller> = Vec::new();
    let mut accounts: Vec<String> = vec![account.to_string()];
    for statement in policy.statements.iter().filter(|s| is_allow(s)) {
        for (kind, value) in principals(statement) {
            if kind != PrincipalKind::Aws {
                continue;
            }
            match PrincipalArn::parse(&value.node) {
                PrincipalArn::Account { account, .. } => accounts.push(account.to_string()),
                _ => callers.extend(Caller::from_arn(&value.node).ok()),
            }
        }
        let wildcard = statement
            .principal
            .as_ref()
            .is_some_and(|p| !p.node.negated && matches!(p.node.spec, PrincipalSpec::Wildcard));
        if wildcard {
            accounts.push(account.to_string());
        }
    }
    accounts.sort();
    accounts.dedup();
    for account in &accounts {
        callers.push(Caller::root("aws", account));
        callers.extend(
            Caller::from_arn(&format!("arn:aws:iam::{account}:role/KeyAdministrator")).ok(),
        );
    }
    let ids: Vec<_> = callers
        .into_iter()
        .enumerate()
        .map(|(i, caller)| {
            let mut config = PrincipalConfig::new(format!("candidate-{i}"), caller);
            if let Some(admin) = &admin {
                config.policies.push(PolicyDoc::new(
                    "administrator IAM policy",
                    Source::new("administrator IAM policy", ADMIN_IAM_POLICY),
                    admin.clone(),
                ));
            }
            builder.add_principal(config)
        })
        .collect();
    let authorizer = builder.build();
    ids.into_iter().any(|id| {
        Request::new(id, KmsAction::PutKeyPolicy, key)
            .map(|request| authorizer.decide(&request).decision() == Decision::Allow)
            .unwrap_or(true)
    })
}

/// The policy with `Allow` conditions removed and conditional `Deny`
/// statements dropped: the most any request context could achieve.
fn without_conditions(policy: &Policy) -> Policy {
    let mut best = policy.clone();
    best.statements
        .retain(|s| s.effect.node == Effect::Allow || s.condition.is_none());
    for statement in &mut best.statements {
        statement.condition = None;
    }
    best
}

const DOCS: &str = r#"## What it does
Asks the evaluator whether anyone could call `kms:PutKeyPolicy` on the key
under this policy, as KMS's own lockout safety check does when the policy is
set with `PutKeyPolicy` or `CreateKey`. The candidates are every user, role
and session the policy allows, and for every account it names (or the key's
own account, for `"*"`), the root user and an administrator role whose IAM
policy allows `kms:*`. Conditions are given the benefit of the doubt: only a
policy that locks everyone out even when every `Allow` condition holds and
no conditional `Deny` applies is reported.

## Why it matters
KMS refuses such a policy with a `MalformedPolicyDocumentException` unless
`BypassPolicyLockoutSafetyCheck` is set; with the bypass, nobody (not even
the account's root user) can ever change the policy or delete the key again
without AWS Support. Keep the account principal's `kms:*` (which lets IAM
policies grant administration) or name a key administrator.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Key users only",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
    "Resource": "*"
  }]
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
      "Sid": "Key users",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
      "Resource": "*"
    }
  ]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, statement};

    #[test]
    fn someone_must_keep_put_key_policy() {
        let admin = "arn:aws:iam::111122223333:role/Admin";
        let root_all = allow("arn:aws:iam::111122223333:root", "kms:*", "");
        let app_uses = allow(
            "arn:aws:iam::111122223333:role/App",
            r#"["kms:Encrypt", "kms:Decrypt"]"#,
            "",
        );
        // Conditions get the benefit of the doubt.
        let with_mfa = allow(
            admin,
            "kms:PutKeyPolicy",
            r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
        );
        assert_cases(
            &RULE,
            &[
                &root_all,
                &format!("[{}, {app_uses}]", allow(admin, "kms:PutKeyPolicy", "")),
                &format!("[{with_mfa}, {app_uses}]"),
            ],
            &[
                &app_uses,
                &format!(
                    "[{root_all}, {}]",
                    statement("Deny", "*", "kms:PutKeyPolicy", "*", "")
                ),
                &allow(r#"{"Service": "logs.amazonaws.com"}"#, "kms:*", ""),
            ],
        );
    }
}
