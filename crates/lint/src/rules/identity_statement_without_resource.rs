//! KW113: an identity-policy statement without `Resource`.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, text};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW113",
        name: "identity-statement-without-resource",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::IdentityPolicy,
        summary: "an IAM identity policy statement has no `Resource`",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if statement.resource.is_some() {
            continue;
        }
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` of an identity policy has no `Resource`",
                    statement.display_name()
                ),
                statement.span,
            )
            .with_label("IAM refuses a statement without `Resource` or `NotResource`")
            .with_help(format!(
                "add the key ARNs, e.g. `{}`",
                members(
                    cx,
                    [("Resource", text("arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID"))]
                )
            ))
            .with_pointer(cx.pointer(statement, ""));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds identity-policy statements with neither `Resource` nor `NotResource`.

## Why it matters
IAM rejects such a policy ("Policy statement must contain resources"). In
an identity policy, name the keys by ARN; `"*"` means every key in every
account the key policies let you in.

## Examples
### Invalid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt"}]
}
```
### Valid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
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
    use crate::rules::cases::{assert_cases, statement};

    #[test]
    fn identity_statements_name_resources() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/k";
        assert_cases(
            &RULE,
            &[
                &statement("Allow", "", "kms:Decrypt", key, ""),
                &format!(
                    r#"{{"Effect": "Deny", "Action": "kms:Decrypt", "NotResource": "{key}"}}"#
                ),
                // A key policy: KW306's finding.
                &statement("Allow", "arn:aws:iam::111122223333:root", "kms:*", "", ""),
            ],
            &[&statement("Allow", "", "kms:Decrypt", "", "")],
        );
    }
}
