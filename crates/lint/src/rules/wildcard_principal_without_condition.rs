//! KW201: `"*"` allowed without a condition that pins the caller.

use keyward_policy::matching::PrincipalArn;
use keyward_policy::model::Statement;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, object, own_account};
use crate::rules::helpers::{
    conditions, has_wildcard_principal, is_allow, is_restricting, is_specific, string_values,
};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW201",
        name: "wildcard-principal-without-condition",
        category: Category::Security,
        default_level: Level::Error,
        scope: Scope::KeyPolicy,
        summary: "a statement allows every principal of every account, with no condition that pins the caller",
        docs: DOCS,
    },
    Check::Policy(check),
);

/// Condition keys that tie a request to known accounts, an organization or a source.
const PINNING_KEYS: &[&str] = &[
    "kms:calleraccount",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:userid",
];

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if !is_allow(statement) || !has_wildcard_principal(statement) || is_pinned(statement) {
            continue;
        }
        let Some(principal) = &statement.principal else {
            continue;
        };
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` allows every principal in every AWS account",
                    statement.display_name()
                ),
                principal.span,
            )
            .with_label("`*` with no condition on the caller's account or organization")
            .with_help(format!(
                "add a condition that pins the caller, e.g. `{}` or `aws:PrincipalOrgID`, or name the principals instead of `*`",
                members(cx, [("StringEquals", object([("kms:CallerAccount", own_account(cx))]))])
            ))
            .with_pointer(cx.pointer(statement, "/Principal"));
        cx.emit(d);
    }
}

/// Is some positive condition pinning the caller to specific accounts?
fn is_pinned(statement: &Statement) -> bool {
    conditions(statement)
        .iter()
        .filter(|c| is_restricting(c))
        .any(|c| {
            let key = c.key.node.lower();
            let values = string_values(c);
            if key == "aws:principalarn" {
                // Pins only when every ARN names its account.
                return !values.is_empty()
                    && values.iter().all(|v| {
                        PrincipalArn::parse(v)
                            .account()
                            .is_some_and(|a| a.bytes().all(|b| b.is_ascii_digit()))
                    });
            }
            PINNING_KEYS.contains(&key)
                && !values.is_empty()
                && values.iter().all(|v| is_specific(v))
        })
}

const DOCS: &str = r#"## What it does
Finds `Allow` statements whose principal is `"*"` (or `{"AWS": "*"}`) and
that have no condition pinning the caller to known accounts, an
organization or a source: `kms:CallerAccount`, `aws:PrincipalAccount`,
`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:SourceAccount`,
`aws:SourceArn`, `aws:SourceVpce`, or `aws:PrincipalArn` with account ids.
The condition must be a positive test (not `StringNotEquals`, not
`…IfExists`, not `ForAllValues`) with a value other than `*`.

## Why it matters
`"*"` in a key policy means every identity in every AWS account. Same-account
users and roles need nothing more to use the key, and in other accounts an
IAM policy of their own is enough. AWS's documentation says never to allow
`*` without such a condition. `kms:ViaService` alone is not enough: any
account can call through the same service; pair it with `kms:CallerAccount`,
as AWS managed keys do.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Everyone may decrypt",
    "Effect": "Allow",
    "Principal": {"AWS": "*"},
    "Action": "kms:Decrypt",
    "Resource": "*"
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Allow access through WorkMail for principals in the account",
    "Effect": "Allow",
    "Principal": {"AWS": "*"},
    "Action": ["kms:Decrypt", "kms:Encrypt"],
    "Resource": "*",
    "Condition": {"StringEquals": {
      "kms:ViaService": "workmail.us-east-1.amazonaws.com",
      "kms:CallerAccount": "111122223333"
    }}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use keyward_policy::{Diagnostic, Source};

    use super::RULE;
    use crate::rules::cases::{
        allow, assert_cases, findings_in, findings_with, statement, with_accounts,
    };
    use crate::LintOptions;

    #[test]
    fn only_a_positive_specific_condition_pins_the_caller() {
        let anyone = |condition: &str| allow("*", "kms:Decrypt", condition);
        assert_cases(
            &RULE,
            &[
                &anyone(r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#),
                &anyone(r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#),
                &anyone(
                    r#"{"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/App"}}"#,
                ),
                &statement("Deny", "*", "kms:*", "*", ""),
                &allow("arn:aws:iam::111122223333:role/App", "kms:Decrypt", ""),
            ],
            &[
                &allow(r#"{"AWS": "*"}"#, "kms:Decrypt", ""),
                &anyone(r#"{"StringNotEquals": {"kms:CallerAccount": "111122223333"}}"#),
                &anyone(r#"{"StringEqualsIfExists": {"kms:CallerAccount": "111122223333"}}"#),
                &anyone(r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#),
                &anyone(r#"{"StringLike": {"kms:CallerAccount": "*"}}"#),
                &anyone(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/App"}}"#),
            ],
        );
    }

    fn help(found: &[Diagnostic]) -> String {
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].help.clone().unwrap_or_default()
    }

    #[test]
    fn the_help_is_written_as_the_input_is_with_the_key_account() {
        let options = LintOptions::default();
        let json = Source::new(
            "template.json",
            format!(
                r#"{{"Resources": {{"Key": {{"Type": "AWS::KMS::Key", "Properties": {{"KeyPolicy": {{"Version": "2012-10-17", "Statement": [{}]}}}}}}}}}}"#,
                allow("*", "kms:Decrypt", "")
            ),
        );
        let json_help = help(&findings_in(&RULE, &json, &options));
        assert!(
            json_help
                .contains(r#"`"StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}}`"#),
            "{json_help}"
        );
        let anyone = allow("*", "kms:Decrypt", "");
        let configured_help = help(&findings_with(
            &RULE,
            &anyone,
            &with_accounts(&["444455556666"]),
        ));
        assert!(
            configured_help.contains(r#"`"StringEquals": {"kms:CallerAccount": "444455556666"}`"#),
            "{configured_help}"
        );
        let administered = format!(
            "[{}, {anyone}]",
            allow("arn:aws:iam::123456789012:root", "kms:*", "")
        );
        let administered_help = help(&findings_with(&RULE, &administered, &options));
        assert!(
            administered_help.contains(r#""123456789012""#),
            "{administered_help}"
        );
        // Nothing tells the account: a placeholder that reads as one.
        let unknown_help = help(&findings_with(&RULE, &anyone, &options));
        assert!(
            unknown_help.contains(r#""kms:CallerAccount": "ACCOUNT_ID""#),
            "{unknown_help}"
        );
        for shown in [json_help, configured_help, administered_help, unknown_help] {
            assert!(
                !shown.contains("111122223333") && !shown.contains("000000000000"),
                "{shown}"
            );
        }
    }

    #[test]
    #[cfg(feature = "yaml")]
    fn in_a_yaml_template_the_help_is_yaml() {
        use crate::rules::cases::yaml_key_template;

        let options = LintOptions::default();
        let yaml = yaml_key_template(
            "          - {Effect: Allow, Principal: '*', Action: kms:Decrypt, Resource: '*'}\n",
        );
        let yaml_help = help(&findings_in(&RULE, &yaml, &options));
        assert!(
            yaml_help.contains("`StringEquals: {kms:CallerAccount: !Ref AWS::AccountId}`"),
            "{yaml_help}"
        );
        assert!(!yaml_help.contains("111122223333") && !yaml_help.contains("000000000000"));
    }
}
