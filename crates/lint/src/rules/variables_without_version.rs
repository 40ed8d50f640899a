//! KW101: policy variables in a policy whose `Version` does not substitute them.

use keyward_policy::model::{ConditionValues, Version};
use keyward_policy::Span;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, text};
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW101",
        name: "variables-without-version",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "`${…}` is used but the policy's `Version` is missing or `2008-10-17`, so it is literal text",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    let policy = cx.policy();
    if policy.variables_enabled() {
        return;
    }
    let mut places: Vec<Span> = Vec::new();
    for statement in cx.statements() {
        if let Some(resources) = &statement.resource {
            places.extend(
                resources
                    .node
                    .items
                    .iter()
                    .filter(|r| r.node.raw().contains("${"))
                    .map(|r| r.span),
            );
        }
        for condition in conditions(statement) {
            if let ConditionValues::String(values) = &condition.values {
                places.extend(
                    values
                        .iter()
                        .filter(|v| v.node.raw().contains("${"))
                        .map(|v| v.span),
                );
            }
        }
    }
    let Some(first) = places.first().copied() else {
        return;
    };
    let (message, label_span) = match &policy.version {
        Some(v) if v.node == Version::V2008_10_17 => (
            "policy variables are not substituted under `\"Version\": \"2008-10-17\"`",
            Some(v.span),
        ),
        _ => (
            "policy variables are not substituted in a policy without `Version`",
            None,
        ),
    };
    let mut d = cx
        .diagnostic(message, first)
        .with_label("matched as the literal text `${…}`")
        .with_help(format!(
            "add `{}` at the top of the policy",
            members(cx, [("Version", text("2012-10-17"))])
        ));
    if let Some(span) = label_span {
        d = d.with_related(span, "the old language version");
    }
    for span in places.iter().skip(1) {
        d = d.with_related(*span, "");
    }
    cx.emit(d.with_pointer(""));
}

const DOCS: &str = r#"## What it does
Finds policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, …) in
`Resource` or condition values of a policy whose `Version` is missing or
`2008-10-17`. One finding per policy, at the first variable.

## Why it matters
Only the `2012-10-17` language substitutes variables. Without it, IAM and
KMS compare against the literal text `${aws:username}`, so the statement
silently matches nothing (or, in a `Deny` with a negated operator,
everything).

## Examples
### Invalid
```json
{
  "Statement": [{
    "Effect": "Allow",
    "Action": "kms:Decrypt",
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:EncryptionContext:user": "${aws:username}"}}
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "kms:Decrypt",
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:EncryptionContext:user": "${aws:username}"}}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, findings, statement};

    const KEY_OF_USER: &str = "arn:aws:kms:us-east-1:111122223333:key/${aws:username}";

    fn unversioned(version: &str, statement: &str) -> String {
        format!(r#"{{{version}"Statement": [{statement}]}}"#)
    }

    #[test]
    fn variables_need_the_2012_language() {
        let on_user_key = statement("Allow", "", "kms:Decrypt", KEY_OF_USER, "");
        let plain = allow("", "kms:Decrypt", "");
        let in_condition = allow(
            "",
            "kms:Decrypt",
            r#"{"StringEquals": {"kms:EncryptionContext:user": "${aws:username}"}}"#,
        );
        let old = r#""Version": "2008-10-17", "#;
        assert_cases(
            &RULE,
            // Substituted in the current language; nothing to substitute otherwise.
            &[
                &on_user_key,
                &unversioned("", &plain),
                &unversioned(old, &plain),
            ],
            &[
                &unversioned("", &on_user_key),
                &unversioned(old, &in_condition),
            ],
        );
    }

    #[test]
    fn one_finding_names_every_place() {
        let twice = statement(
            "Allow",
            "",
            "kms:Decrypt",
            &format!(r#"["{KEY_OF_USER}", "{KEY_OF_USER}"]"#),
            "",
        );
        let found = findings(&RULE, &unversioned("", &twice));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].labels.len(), 2, "{:?}", found[0].labels);
    }
}
