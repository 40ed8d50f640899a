//! KW210: an identity policy that lets its principal decrypt with every KMS
//! key, in any account (AWS Security Hub controls KMS.1 and KMS.2).

use keyward_policy::matching::{ArnPattern, CaseMode};
use keyward_policy::model::{Condition, ConditionValues, Effect, Statement, Template};
use keyward_policy::Spanned;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, text};
use crate::rules::helpers::{
    conditions, covers_action, is_allow, is_restricting, is_specific, list, string_values,
};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW210",
        name: "decrypt-on-all-keys",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::IdentityPolicy,
        summary: "an identity policy allows `kms:Decrypt` or `kms:ReEncryptFrom` on every KMS key, in any account, with no condition that narrows which keys",
        docs: DOCS,
    },
    // A `Deny` elsewhere in the policy can narrow the keys.
    Check::WholePolicy(check),
);

/// The actions Security Hub's KMS.1 and KMS.2 block on all keys.
const DECRYPTING: [&str; 2] = ["kms:Decrypt", "kms:ReEncryptFrom"];

fn check(cx: &mut Context<'_>) {
    let statements = cx.statements();
    for statement in statements.iter().filter(|s| is_allow(s)) {
        let Some(resources) = &statement.resource else {
            continue; // KW113 reports the missing `Resource`.
        };
        // Cheapest test first: most statements allow no decrypting action.
        let allowed: Vec<&str> = DECRYPTING
            .into_iter()
            .filter(|action| covers_action(statement, action))
            .collect();
        if allowed.is_empty()
            || !selects_any_account_key(statement, false)
            || narrowed_by_condition(statement)
        {
            continue;
        }
        let actions: Vec<&str> = allowed
            .into_iter()
            .filter(|action| !statements.iter().any(|s| takes_back(s, action)))
            .collect();
        if actions.is_empty() {
            continue;
        }
        let element = if resources.node.negated {
            "/NotResource"
        } else {
            "/Resource"
        };
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` allows {} on every KMS key, in any account",
                    statement.display_name(),
                    list(&actions)
                ),
                resources.span,
            )
            .with_label("every key, including other accounts' keys")
            .with_help(format!(
                "name the keys the principal needs ({}), or narrow the statement with a condition on `aws:ResourceTag/…`, `kms:ResourceAliases`, `aws:ResourceAccount`, `kms:ViaService` or `kms:EncryptionContext:…`",
                members(
                    cx,
                    [(
                        "Resource",
                        text("arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID")
                    )]
                )
            ))
            .with_pointer(cx.pointer(statement, element));
        cx.emit(d);
    }
}

/// Two keys of two accounts nobody names: a `Resource` that matches both
/// lets the principal use keys of any account.
const PROBE_ACCOUNTS: [&str; 2] = ["000000000000", "999999999999"];
const PROBE_KEY: &str = "key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// Does the statement's `Resource`/`NotResource` select the keys of any
/// account? A value with a policy variable counts as selecting them only
/// when `variables_select` (so that doubt never produces a finding).
fn selects_any_account_key(statement: &Statement, variables_select: bool) -> bool {
    let Some(resources) = &statement.resource else {
        return false;
    };
    let items = &resources.node.items;
    if resources.node.negated {
        // Every key but those listed: any account's key unless a listed
        // pattern covers every account's keys.
        let spares_every_account = |item: &Spanned<Template>| {
            if item.node.has_variables() {
                !variables_select
            } else {
                covers_any_account(item)
            }
        };
        !items.iter().any(spares_every_account)
    } else {
        items.iter().any(|item| {
            if item.node.has_variables() {
                variables_select
            } else {
                covers_any_account(item)
            }
        })
    }
}

/// Is `item` a pattern of KMS keys that matches keys of any account?
fn covers_any_account(item: &Spanned<Template>) -> bool {
    let Ok(pattern) = ArnPattern::parse(item.node.raw()) else {
        return false;
    };
    if pattern.is_match_all() {
        return true;
    }
    let (Some(service), Some(account), Some(resource)) =
        (pattern.service(), pattern.account(), pattern.resource())
    else {
        return false;
    };
    service.matches("kms", CaseMode::Sensitive)
        && PROBE_ACCOUNTS
            .iter()
            .all(|a| account.matches(a, CaseMode::Sensitive))
        && resource.matches(PROBE_KEY, CaseMode::Sensitive)
}

/// Condition keys that narrow which keys (tags, aliases, the key's account
/// or organization), which ciphertexts (the encryption context) or which
/// path (an AWS service on the principal's behalf) a statement covers.
fn is_narrowing_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    matches!(
        key.as_str(),
        "kms:viaservice"
            | "kms:resourcealiases"
            | "kms:requestalias"
            | "kms:encryptioncontextkeys"
            | "aws:resourceaccount"
            | "aws:resourceorgid"
            | "aws:resourceorgpaths"
    ) || key.starts_with("aws:resourcetag/")
        || key.starts_with("kms:encryptioncontext:")
}

/// Does an `Allow` statement require a narrowing key to have specific values,
/// or a named tag or encryption-context pair to be present?
fn narrowed_by_condition(statement: &Statement) -> bool {
    conditions(statement).iter().any(|c| {
        let key = c.key.node.as_str();
        is_narrowing_key(key) && ((is_restricting(c) && pins(c)) || requires_named_pair(c))
    })
}

/// `"Null": {"aws:ResourceTag/NAME": "false"}` (or `kms:EncryptionContext:NAME`):
/// only keys with that tag, or ciphertexts with that context pair.
fn requires_named_pair(condition: &Condition) -> bool {
    let key = condition.key.node.lower();
    let named = key.starts_with("aws:resourcetag/") || key.starts_with("kms:encryptioncontext:");
    named
        && matches!(&condition.values, ConditionValues::Null(values)
            if !values.is_empty() && values.iter().all(|v| !v.node))
}

/// Every value names something (not `*` alone).
fn pins(condition: &Condition) -> bool {
    let values = string_values(condition);
    !values.is_empty() && values.iter().all(|v| is_specific(v))
}

/// Does `statement` deny `action` on the keys of any account, either outright
/// or under conditions that only narrow the keys (so that the `Allow` is
/// left with the keys the `Deny` spares)?
fn takes_back(statement: &Statement, action: &str) -> bool {
    statement.effect.node == Effect::Deny
        && covers_action(statement, action)
        && selects_any_account_key(statement, true)
        && conditions(statement)
            .iter()
            .all(|c| is_narrowing_key(c.key.node.as_str()))
}

const DOCS: &str = r#"## What it does
Finds `Allow` statements of IAM identity policies whose actions cover
`kms:Decrypt` or `kms:ReEncryptFrom` (also through `kms:*`, `kms:Re*`,
`*` or `NotAction`) and whose `Resource` covers the keys of every account:
`"*"`, or a key ARN pattern with a wildcard account such as
`arn:aws:kms:*:*:key/*` (an `Allow` with `NotResource` too, unless it spares
every account's keys). These are the policies AWS Security Hub fails in
controls **KMS.1** (customer managed policies) and **KMS.2** (inline
policies of users, groups and roles): "open enough to allow `kms:Decrypt`
or `kms:ReEncryptFrom` actions on any arbitrary KMS key" (Security Hub User
Guide, "Security Hub controls for AWS KMS").

Security Hub looks only at `Resource` and ignores conditions. keyward also
accepts a statement narrowed by a condition that AWS documents for limiting
which keys or which uses an identity policy covers, when it is positive
(not negated, not `…IfExists`, not `ForAllValues`) and its values name
something (not `*` alone):
`aws:ResourceTag/…` and `kms:ResourceAliases` (attribute-based access
control, KMS guide "ABAC for AWS KMS"), `kms:RequestAlias`,
`aws:ResourceAccount`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths` (the
key's account or organization), `kms:ViaService` (only through an AWS
service that checks its own permissions) and `kms:EncryptionContext:…`,
`kms:EncryptionContextKeys` (only ciphertexts with that context). A `Null`
test that requires a named tag or context pair to be present
(`"Null": {"aws:ResourceTag/project": "false"}`) counts too.
`kms:CallerAccount` does not count: in an identity policy the caller is
always the identity's own account. Neither do conditions on who calls or
from where (`aws:SourceIp`, `aws:PrincipalTag/…`, MFA).

A `Deny` in the same policy takes an action back when it covers it, applies
to every account's keys (`"*"`, or `NotResource` naming the keys to spare)
and has no condition other than on those keys. The rule judges the policy
as a whole, so it waits until every statement can be read.

## Why it matters
An identity policy applies to every key whose key policy lets the account
delegate to IAM, including keys of other accounts that trust this one. A
principal allowed to decrypt with every key can read any ciphertext those
keys protect. AWS recommends granting `kms:Decrypt` only on the keys a task
needs, by key ARN ("Best practices for IAM policies" and "Specifying KMS
keys in IAM policy statements" in the KMS Developer Guide: `"*"` represents
all KMS keys; `arn:aws:kms:us-west-2:111122223333:key/*` all keys of one
account in one Region).

## Examples
### Invalid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
    "Resource": "*"
  }]
}
```
### Valid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
    "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, as_kind, assert_cases, assert_cases_with, statement};
    use crate::PolicyKind;

    const KEY: &str = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /// Security Hub KMS.1/KMS.2: decrypting actions on every key fail.
    #[test]
    fn decrypting_on_every_key_is_reported() {
        let on = |action: &str, resource: &str| statement("Allow", "", action, resource, "");
        assert_cases(
            &RULE,
            &[
                &on("kms:Decrypt", KEY),
                &on("kms:Decrypt", "arn:aws:kms:*:111122223333:key/*"),
                &on("kms:Decrypt", "arn:aws:kms:us-west-2:111122223333:key/*"),
                &on("kms:Encrypt", "*"),
                &on("kms:ReEncryptTo", "*"),
                &on("kms:GenerateDataKey*", "*"),
                &on("s3:GetObject", "*"),
                &on("kms:Decrypt", "arn:aws:kms:*:*:alias/*"),
                &on("kms:Decrypt", "arn:aws:s3:::bucket/*"),
                // The account comes from the caller: never another account.
                &on("kms:Decrypt", "arn:aws:kms:*:${aws:PrincipalAccount}:key/*"),
                &statement("Deny", "", "kms:Decrypt", "*", ""),
                &statement("Allow", "", r#"["kms:Describe*", "kms:List*"]"#, "*", ""),
            ],
            &[
                &on("kms:Decrypt", "*"),
                &on("kms:ReEncryptFrom", "*"),
                &on("kms:*", "*"),
                &on("kms:Re*", "*"),
                &on("kms:*crypt", "*"),
                &on("*", "*"),
                &on("kms:Decrypt", "arn:aws:kms:*:*:key/*"),
                &on("kms:Decrypt", "arn:aws:kms:us-west-2:*:key/*"),
                &on("kms:Decrypt", "arn:aws:*:*:*:*"),
                &on("kms:Decrypt", &format!(r#"["{KEY}", "*"]"#)),
                &statement(
                    "Allow",
                    "",
                    "kms:Decrypt",
                    "*",
                    r#"{"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#,
                ),
            ],
        );
    }

    #[test]
    fn not_action_and_not_resource_count_too() {
        let not = |action_member: &str, resource_member: &str| {
            format!(r#"{{"Effect": "Allow", {action_member}, {resource_member}}}"#)
        };
        assert_cases(
            &RULE,
            &[
                &not(
                    r#""NotAction": ["kms:Decrypt", "kms:ReEncrypt*"]"#,
                    r#""Resource": "*""#,
                ),
                &not(
                    r#""Action": "kms:Decrypt""#,
                    r#""NotResource": "arn:aws:kms:*:*:key/*""#,
                ),
                &not(r#""Action": "kms:Decrypt""#, r#""NotResource": "*""#),
            ],
            &[
                &not(r#""NotAction": "s3:*""#, r#""Resource": "*""#),
                &not(r#""NotAction": "kms:Decrypt""#, r#""Resource": "*""#),
                // `kms:ReEncryptFrom` is not spared.
                &not(r#""NotAction": "kms:Decrypt*""#, r#""Resource": "*""#),
                &not(
                    r#""Action": "kms:Decrypt""#,
                    r#""NotResource": "arn:aws:kms:*:111122223333:key/*""#,
                ),
            ],
        );
    }

    /// Conditions that limit which keys, ciphertexts or paths the statement
    /// covers narrow it; conditions on who calls or from where do not.
    #[test]
    fn only_conditions_that_narrow_the_keys_count() {
        let with = |condition: &str| allow("", "kms:Decrypt", condition);
        assert_cases(
            &RULE,
            &[
                &with(r#"{"StringEquals": {"aws:ResourceTag/project": "orders"}}"#),
                &with(r#"{"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/orders"}}"#),
                &with(r#"{"StringEquals": {"aws:ResourceAccount": "111122223333"}}"#),
                &with(r#"{"StringEquals": {"aws:ResourceOrgID": "o-a1b2c3d4e5"}}"#),
                &with(r#"{"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}"#),
                &with(
                    r#"{"StringEquals": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::orders"}}"#,
                ),
                &with(r#"{"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": "tenant"}}"#),
                &with(r#"{"Null": {"aws:ResourceTag/project": "false"}}"#),
                &with(r#"{"Null": {"kms:EncryptionContext:aws:s3:arn": "false"}}"#),
            ],
            &[
                &with(r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#),
                &with(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#),
                &with(r#"{"StringEquals": {"aws:PrincipalTag/team": "orders"}}"#),
                // Not narrowing: negated, `…IfExists`, `ForAllValues`, `*` alone.
                &with(r#"{"StringNotEquals": {"aws:ResourceAccount": "444455556666"}}"#),
                &with(
                    r#"{"StringEqualsIfExists": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}"#,
                ),
                &with(r#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": "tenant"}}"#),
                &with(r#"{"StringLike": {"aws:ResourceTag/project": "*"}}"#),
                &with(r#"{"Null": {"aws:ResourceTag/project": "true"}}"#),
                &with(r#"{"Null": {"kms:ViaService": "false"}}"#),
            ],
        );
    }

    /// A `Deny` that takes the action back on every account's keys, outright
    /// or except the keys it spares, narrows the `Allow`.
    #[test]
    fn a_deny_can_take_the_keys_back() {
        let allow_all = statement("Allow", "", "kms:Decrypt", "*", "");
        let with = |deny: &str| format!("[{allow_all}, {deny}]");
        let deny_except = r#"{"Effect": "Deny", "Action": "kms:*", "NotResource": "arn:aws:kms:us-west-2:111122223333:key/*"}"#;
        assert_cases(
            &RULE,
            &[
                &with(&statement("Deny", "", "kms:Decrypt", "*", "")),
                &with(deny_except),
                &with(&statement(
                    "Deny",
                    "",
                    "kms:Decrypt",
                    "*",
                    r#"{"StringNotEquals": {"aws:ResourceAccount": "111122223333"}}"#,
                )),
                &with(&statement(
                    "Deny",
                    "",
                    "kms:*",
                    "*",
                    r#"{"Null": {"aws:ResourceTag/project": "true"}}"#,
                )),
            ],
            &[
                // Only the account's own keys, or only another action.
                &with(&statement(
                    "Deny",
                    "",
                    "kms:Decrypt",
                    "arn:aws:kms:*:111122223333:key/*",
                    "",
                )),
                &with(&statement("Deny", "", "kms:Encrypt", "*", "")),
                // A condition on the request, not the key.
                &with(&statement(
                    "Deny",
                    "",
                    "kms:Decrypt",
                    "*",
                    r#"{"Bool": {"aws:SecureTransport": "false"}}"#,
                )),
                // ReEncryptFrom is still allowed everywhere.
                &format!(
                    "[{}, {}]",
                    statement(
                        "Allow",
                        "",
                        r#"["kms:Decrypt", "kms:ReEncryptFrom"]"#,
                        "*",
                        ""
                    ),
                    statement("Deny", "", "kms:Decrypt", "*", "")
                ),
            ],
        );
    }

    #[test]
    fn key_policies_are_not_checked() {
        // In a key policy `"Resource": "*"` means this key.
        assert_cases_with(
            &RULE,
            &as_kind(PolicyKind::Key),
            &[&allow(
                "arn:aws:iam::111122223333:role/App",
                "kms:Decrypt",
                "",
            )],
            &[],
        );
    }
}
