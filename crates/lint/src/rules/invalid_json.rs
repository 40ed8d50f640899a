//! `json::…`: the parser's JSON syntax errors, reported as findings.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::Check;

/// `json::…`: the text is not valid JSON.
pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "json",
        name: "invalid-json",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "the policy is not valid JSON",
        docs: DOCS,
    },
    Check::Family,
);

const DOCS: &str = r#"## What it does
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::assert_cases;

    #[test]
    fn only_strict_json_passes() {
        let body =
            r#""Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]"#;
        assert_cases(
            &RULE,
            &[&format!(r#"{{"Version": "2012-10-17", {body}}}"#)],
            &[
                &format!(r#"{{"Version": "2012-10-17", {body},}}"#),
                &format!("{{\"Version\": \"2012-10-17\", // a comment\n {body}}}"),
                &format!(r#"{{"Version": "2012-10-17", "Version": "2012-10-17", {body}}}"#),
                &format!("{{'Version': '2012-10-17', {body}}}"),
            ],
        );
    }
}
