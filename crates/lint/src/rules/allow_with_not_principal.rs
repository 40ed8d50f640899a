//! KW203: `Allow` with `NotPrincipal`.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::is_allow;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW203",
        name: "allow-with-not-principal",
        category: Category::Security,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "an `Allow` statement uses `NotPrincipal`, allowing everyone not listed",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        let Some(principal) = &statement.principal else {
            continue;
        };
        if !principal.node.negated || !is_allow(statement) {
            continue;
        }
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` allows every principal except the ones listed",
                    statement.display_name()
                ),
                principal.span,
            )
            .with_label("`NotPrincipal` in an `Allow` statement")
            .with_help("name the principals to allow in `Principal`; to allow all but a few, use `Principal: \"*\"` with a pinning condition and `ArnNotEquals` on `aws:PrincipalArn`")
            .with_pointer(cx.pointer(statement, "/NotPrincipal"));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds `Allow` statements that use `NotPrincipal`.

## Why it matters
`Allow` with `NotPrincipal` grants the actions to every principal of every
AWS account except the ones listed, including anonymous callers where the
service allows them. AWS strongly discourages it. Use `NotPrincipal` only
with `Deny`, or write the exception as a condition.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Mallory"},
    "Action": "kms:Decrypt",
    "Resource": "*"
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Deny",
    "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/KeyAdmin", "arn:aws:iam::111122223333:root"]},
    "Action": "kms:ScheduleKeyDeletion",
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
    fn not_principal_only_with_deny() {
        let not_principal = |effect: &str| {
            format!(
                r#"{{"Effect": "{effect}", "NotPrincipal": {{"AWS": "arn:aws:iam::111122223333:user/Mallory"}}, "Action": "kms:*", "Resource": "*"}}"#
            )
        };
        assert_cases(
            &RULE,
            &[
                &not_principal("Deny"),
                &allow("arn:aws:iam::111122223333:root", "kms:*", ""),
            ],
            &[&not_principal("Allow")],
        );
    }
}
