//! KW401: no `Version`, or the 2008 one.

use keyward_policy::model::Version;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, text};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW401",
        name: "missing-version",
        category: Category::Style,
        default_level: Level::Info,
        scope: Scope::Any,
        summary: "the policy has no `Version`, or the old `2008-10-17`",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    let policy = cx.policy();
    let (message, span) = match &policy.version {
        None => ("the policy has no `Version`".to_string(), policy.span),
        Some(v) if v.node == Version::V2008_10_17 => (
            "`2008-10-17` is the old policy language".to_string(),
            v.span,
        ),
        Some(_) => return,
    };
    let d = cx
        .diagnostic(message, span)
        .with_label("policy variables and newer features are off")
        .with_help(format!(
            "start the policy with `{}`",
            members(cx, [("Version", text("2012-10-17"))])
        ))
        .with_pointer("/Version");
    cx.emit(d);
}

const DOCS: &str = r#"## What it does
Finds policies without a `Version` element, or with `"2008-10-17"`.

## Why it matters
Without `"Version": "2012-10-17"` a policy is read in the old language:
policy variables are literal text (KW101 reports those uses). AWS
recommends always stating the current version.

## Examples
### Invalid
```json
{
  "Statement": [{
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

    #[test]
    fn the_current_language_is_2012() {
        let body = format!(r#""Statement": [{}]"#, allow("", "kms:Decrypt", ""));
        assert_cases(
            &RULE,
            &[&format!(r#"{{"Version": "2012-10-17", {body}}}"#)],
            &[
                &format!("{{{body}}}"),
                &format!(r#"{{"Version": "2008-10-17", {body}}}"#),
            ],
        );
    }
}
