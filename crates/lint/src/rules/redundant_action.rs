//! KW308: actions listed twice, or covered by a wildcard beside them.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::action_index::ActionIndex;
use crate::rules::helpers::action_element;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW308",
        name: "redundant-action",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an action is listed twice or is covered by a wildcard in the same statement",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        let items = &statement.action.items;
        if items.len() < 2 {
            continue;
        }
        let index = ActionIndex::new(items);
        for (j, b) in items.iter().enumerate() {
            let Some(a) = index.covering(&b.node, j).and_then(|i| items.get(i)) else {
                continue;
            };
            let message = if a.node.as_str().eq_ignore_ascii_case(b.node.as_str()) {
                format!("`{}` is listed twice", b.node.as_str())
            } else {
                format!(
                    "`{}` is already covered by `{}`",
                    b.node.as_str(),
                    a.node.as_str()
                )
            };
            let d = cx
                .diagnostic(message, b.span)
                .with_label("redundant")
                .with_related(a.span, "covered here")
                .with_help("remove it, or narrow the wildcard if it was meant to be narrower")
                .with_pointer(cx.pointer(statement, action_element(statement)));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Within one statement, finds actions listed twice (ignoring case) and
actions covered by another entry: `kms:Decrypt` next to `kms:*`,
`kms:GenerateDataKeyWithoutPlaintext` next to `kms:GenerateDataKey*`.

## Why it matters
Redundant entries make reviews harder and often hide a mistake: a wildcard
much broader than the list beside it suggests.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"],
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
    "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
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
    fn each_action_adds_something() {
        let allowing = |actions: &str| allow("", actions, "");
        assert_cases(
            &RULE,
            &[
                &allowing(r#"["kms:Decrypt", "kms:Encrypt"]"#),
                &allowing(r#"["kms:GenerateDataKey*", "kms:Decrypt"]"#),
                &allowing(r#"["kms:GenerateDataKey*", "s3:GetObject"]"#),
                &allowing("kms:Decrypt"),
            ],
            &[
                &allowing(r#"["kms:Decrypt", "kms:decrypt"]"#),
                &allowing(r#"["kms:*", "kms:Decrypt"]"#),
                &allowing(r#"["kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext"]"#),
                &allowing(r#"["kms:Generate*", "kms:GenerateDataKey*"]"#),
                &allowing(r#"["*", "s3:GetObject"]"#),
                r#"{"Effect": "Deny", "NotAction": ["kms:Decrypt", "kms:Decrypt"], "Resource": "*"}"#,
            ],
        );
    }
}
