//! The parser's diagnostics, reported as findings: `json::…` for JSON syntax
//! and `policy::…` for the policy's structure.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::Check;

/// `json::…`: the text is not valid JSON.
pub(crate) const JSON: Rule = Rule::new(
    RuleMeta {
        code: "json",
        name: "invalid-json",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "the policy is not valid JSON",
        docs: JSON_DOCS,
    },
    Check::Family,
);

const JSON_DOCS: &str = r#"## What it does
Reports every JSON syntax error in a policy, each at its place: trailing
commas, comments, unquoted keys, single quotes, duplicate keys, unterminated
strings. The codes start with `json::`, e.g. `json::trailing-comma`.

## Why it matters
AWS rejects a policy that is not strict JSON (RFC 8259). Duplicate keys are
refused too: different JSON readers keep different copies, so what a
reviewer reads might not be what AWS enforces.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*",
    "Resource": "*",
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

/// `policy::…`: valid JSON, but not a valid policy.
pub(crate) const POLICY: Rule = Rule::new(
    RuleMeta {
        code: "policy",
        name: "invalid-policy",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "the policy's structure is invalid",
        docs: POLICY_DOCS,
    },
    Check::Family,
);

const POLICY_DOCS: &str = r#"## What it does
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
