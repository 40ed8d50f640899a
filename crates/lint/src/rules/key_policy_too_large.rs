//! KW105: a key policy over 32 KB.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW105",
        name: "key-policy-too-large",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::KeyPolicy,
        summary: "the key policy is larger than the 32 KB KMS accepts",
        docs: DOCS,
    },
    Check::Policy(check),
);

/// The key policy document size limit (not adjustable).
pub(crate) const MAX_KEY_POLICY_BYTES: usize = 32_768;

fn check(cx: &mut Context<'_>) {
    let size = cx.size();
    if size <= MAX_KEY_POLICY_BYTES {
        return;
    }
    let span = cx.policy().span;
    let d = cx
        .diagnostic(
            format!("the key policy is {size} bytes; KMS accepts at most {MAX_KEY_POLICY_BYTES}"),
            span,
        )
        .with_help("merge statements with the same principals and actions, use wildcards such as `kms:Describe*`, or move per-user grants into IAM policies")
        .with_pointer("");
    cx.emit(d);
}

const DOCS: &str = r#"## What it does
Measures the key policy as KMS receives it (the file's text for a raw
policy; the compact JSON that CloudFormation or Terraform sends for a
policy inside a template or plan) and reports one over 32,768 bytes.

## Why it matters
The key policy size limit is 32 KB, is not adjustable, and applies to every
key: `PutKeyPolicy` and `CreateKey` fail with a `LimitExceededException`,
typically in the middle of a deployment.

## Examples
### Invalid
`FILL` stands for 33,000 characters of text (the test expands it).
```json fill=33000
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "FILL",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
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
    use crate::rules::cases::{allow, assert_cases};

    /// A policy of exactly `size` bytes; a key policy when `principal`.
    fn policy_of(size: usize, principal: &str) -> String {
        let shell = |pad: &str| {
            let statement =
                allow(principal, "kms:*", "").replacen('{', &format!(r#"{{"Sid": "{pad}", "#), 1);
            format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
        };
        let text = shell(&"x".repeat(size - shell("").len()));
        assert_eq!(text.len(), size);
        text
    }

    #[test]
    fn the_limit_is_32_kib_and_only_for_key_policies() {
        let root = "arn:aws:iam::111122223333:root";
        assert_cases(
            &RULE,
            &[&policy_of(32_768, root), &policy_of(40_000, "")],
            &[&policy_of(32_769, root)],
        );
    }
}
