//! KW311: actions in a key policy that never act on a key.

use crate::catalog::catalog;
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW311",
        name: "action-not-for-key",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary: "a key policy names an action that never acts on a KMS key",
        docs: DOCS,
    },
    Check::Policy(check),
);

/// KMS actions AWS documents as valid only in IAM policies (they name no key).
const ACCOUNT_ONLY: &[&str] = &["CreateKey", "ListKeys", "ListAliases"];

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if statement.action.negated {
            continue;
        }
        for item in &statement.action.items {
            let Some(service) = item.node.service() else {
                continue;
            };
            let reason = if service != "kms" {
                if catalog().service(service).is_none() {
                    continue; // KW301
                }
                format!(
                    "`{}` is not a KMS action; a key policy only governs its key",
                    item.node.as_str()
                )
            } else {
                let name = item.node.name();
                if name.contains(['*', '?']) {
                    continue;
                }
                match catalog().kms_action(name) {
                    Some(action)
                        if !action.acts_on_key() && ACCOUNT_ONLY.contains(&action.name()) =>
                    {
                        format!(
                            "`kms:{}` does not act on a key; only IAM policies can allow it",
                            action.name()
                        )
                    }
                    _ => continue,
                }
            };
            let d = cx
                .diagnostic(reason, item.span)
                .with_label("never applies in a key policy")
                .with_help("allow it in an IAM policy instead, or remove it")
                .with_pointer(cx.pointer(statement, "/Action"));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Finds actions in key policies that can never apply there: actions of other
services, and the KMS actions AWS documents as valid only in IAM policies
(`kms:CreateKey`, `kms:ListKeys`, `kms:ListAliases`). Wildcards such as
`kms:Create*` are not reported.

## Why it matters
A key policy governs requests on its key only. `kms:CreateKey` or
`kms:ListKeys` there grant nothing; they must be allowed in IAM policies
(with `"Resource": "*"`), so a role relying on the key policy fails.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:DescribeKey", "kms:ListKeys"],
    "Resource": "*"
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:DescribeKey", "kms:ListGrants"],
    "Resource": "*"
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    fn key_policy(action: &str) -> String {
        allow("arn:aws:iam::111122223333:role/App", action, "")
    }

    #[test]
    fn key_policies_allow_key_actions_only() {
        assert_cases(
            &RULE,
            &[
                &key_policy("kms:Decrypt"),
                &key_policy("kms:*"),
                &key_policy("kms:List*"),
                // Unknown services are KW301's finding.
                &key_policy("ksm:CreateKey"),
                // Identity policies may allow account-level actions.
                &allow("", "kms:CreateKey", ""),
            ],
            &[
                &key_policy("kms:CreateKey"),
                &key_policy("kms:ListAliases"),
                &key_policy("kms:listkeys"),
            ],
        );
    }

    #[test]
    #[cfg(feature = "full-catalog")]
    fn other_services_never_apply_in_a_key_policy() {
        assert_cases(&RULE, &[], &[&key_policy("s3:GetObject")]);
    }
}
