//! KW204: `Allow` with `NotAction`.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::is_allow;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW204",
        name: "allow-with-not-action",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "an `Allow` statement uses `NotAction`, allowing every action not listed",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if !statement.action.negated || !is_allow(statement) {
            continue;
        }
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` allows every action except the ones listed",
                    statement.display_name()
                ),
                statement.action.span,
            )
            .with_label("`NotAction` in an `Allow` statement")
            .with_help("list the actions to allow in `Action`; use `NotAction` with `Deny` to forbid everything else")
            .with_pointer(cx.pointer(statement, "/NotAction"));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds `Allow` statements that use `NotAction`.

## Why it matters
`Allow` with `NotAction` grants every other action, including actions AWS
adds later. In a key policy that covers `kms:PutKeyPolicy` and
`kms:ScheduleKeyDeletion` unless they are listed; in an identity policy
with `Resource: "*"` it covers every service.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "NotAction": "kms:ScheduleKeyDeletion",
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
    "Action": ["kms:Encrypt", "kms:Decrypt"],
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
    fn not_action_only_with_deny() {
        let not_action = |effect: &str| {
            format!(r#"{{"Effect": "{effect}", "NotAction": "kms:Decrypt", "Resource": "*"}}"#)
        };
        assert_cases(
            &RULE,
            &[&not_action("Deny"), &allow("", "kms:Decrypt", "")],
            &[&not_action("Allow")],
        );
    }
}
