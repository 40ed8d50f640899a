//! KW108: an identity-policy `Sid` with characters IAM rejects.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW108",
        name: "invalid-sid",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::IdentityPolicy,
        summary: "an IAM policy `Sid` has characters other than letters and digits",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        let Some(sid) = &statement.sid else {
            continue;
        };
        if sid.node.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let cleaned: String = sid
            .node
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let d = cx
            .diagnostic(
                format!(
                    "the `Sid` `{}` has characters IAM does not accept",
                    sid.node
                ),
                sid.span,
            )
            .with_label("only A-Z, a-z and 0-9 are allowed")
            .with_help(format!(
                "write it as `{cleaned}`; spaces and punctuation are allowed only in key policies"
            ))
            .with_pointer(cx.pointer(statement, "/Sid"));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds statement ids in IAM identity policies that contain anything but
ASCII letters and digits.

## Why it matters
IAM rejects such a policy (`MalformedPolicyDocument`). Key policies accept
spaces in `Sid` (AWS's default key policy uses `"Enable IAM policies"`),
so copying a statement from a key policy into an IAM policy breaks the
deployment.

## Examples
### Invalid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Allow use of the key",
    "Effect": "Allow",
    "Action": "kms:Decrypt",
    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }]
}
```
### Valid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AllowUseOfTheKey",
    "Effect": "Allow",
    "Action": "kms:Decrypt",
    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, findings};

    fn with_sid(principal: &str, sid: &str) -> String {
        allow(principal, "kms:Decrypt", "").replacen('{', &format!(r#"{{"Sid": "{sid}", "#), 1)
    }

    #[test]
    fn identity_policy_sids_are_alphanumeric() {
        assert_cases(
            &RULE,
            // Key policies accept spaces and punctuation.
            &[
                &with_sid("", "AllowDecrypt2"),
                &with_sid("arn:aws:iam::111122223333:root", "Allow use of the key"),
            ],
            &[
                &with_sid("", "Allow decrypt"),
                &with_sid("", "allow-decrypt"),
                &with_sid("", "Allow_Decrypt"),
            ],
        );
    }

    #[test]
    fn the_help_offers_the_cleaned_sid() {
        let found = findings(&RULE, &with_sid("", "Allow decrypt!"));
        assert!(found[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`Allowdecrypt`"));
    }
}
