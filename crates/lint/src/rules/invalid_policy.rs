//! `policy::…`: the parser's diagnostics about a policy's structure,
//! reported as findings.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::Check;

/// `policy::…`: valid JSON, but not a valid policy.
pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "policy",
        name: "invalid-policy",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "the policy's structure is invalid",
        docs: DOCS,
    },
    Check::Family,
);

const DOCS: &str = r#"## What it does
Reports every structural mistake in a policy, each at its place: a missing
`Effect`, `Action` or `Statement`, an unknown element, a misspelled
condition operator, a condition value of the wrong type, `Action` and
`NotAction` in one statement, an invalid principal (malformed, or with a
wildcard inside an ARN such as `arn:aws:iam::*:root`), an IAM group named as
a principal (`policy::group-principal`), a malformed policy variable. The
codes start with `policy::`; `keyward parse` reports the same.

## Why it matters
AWS rejects such a policy with `MalformedPolicyDocument`, or, for a few
mistakes, accepts it and ignores the part it does not understand.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Permit",
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
    use crate::rules::cases::{allow, assert_cases, statement};

    #[test]
    fn structural_mistakes_are_findings() {
        assert_cases(
            &RULE,
            &[
                &allow("", "kms:Decrypt", ""),
                r#"{"Effect": "Deny", "NotAction": "kms:Decrypt", "NotResource": "*"}"#,
            ],
            &[
                &statement("Permit", "", "kms:Decrypt", "*", ""),
                r#"{"Action": "kms:Decrypt", "Resource": "*"}"#,
                r#"{"Effect": "Allow", "Action": "kms:Decrypt", "NotAction": "kms:Encrypt", "Resource": "*"}"#,
                &allow(
                    "",
                    "kms:Decrypt",
                    r#"{"StringEqualz": {"kms:CallerAccount": "111122223333"}}"#,
                ),
                &allow("arn:aws:iam::*:root", "kms:Decrypt", ""),
            ],
        );
    }
}
