//! KW310: unique ids (`AIDA…`, `AROA…`) as principals.

use keyward_policy::matching::{PrincipalArn, UniqueIdKind};
use keyward_policy::model::PrincipalKind;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::principals;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW310",
        name: "dangling-unique-id",
        category: Category::Suspicious,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary:
            "a principal is a unique id (`AIDA…`, `AROA…`): the user or role it named was deleted",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for (kind, value) in principals(statement) {
            if kind != PrincipalKind::Aws {
                continue;
            }
            let PrincipalArn::UniqueId { kind: id_kind, .. } = PrincipalArn::parse(&value.node)
            else {
                continue;
            };
            let what = match id_kind {
                UniqueIdKind::User => "user",
                UniqueIdKind::Role => "role",
            };
            let d = cx
                .diagnostic(
                    format!("`{}` is the unique id of a deleted {what}", value.node),
                    value.span,
                )
                .with_label("nobody can be this principal any more")
                .with_help(format!("remove it, or name the {what} that replaced it by ARN; a new {what} with the same name does not inherit this grant"))
                .with_pointer(cx.pointer(statement, "/Principal"));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Finds principals written as IAM unique ids: `AIDA…` (users) and `AROA…`
(roles).

## Why it matters
When a user or role named in a key policy is deleted, AWS replaces its ARN
with its unique id. The grant then applies to nobody, and recreating a
user or role with the same name does not bring it back. It is a leftover
to clean up, or a sign that something the policy relies on is gone.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "AROAEXAMPLEID1234567X"},
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
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": "kms:Decrypt",
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
    fn unique_ids_name_deleted_principals() {
        let allowed = |principal: &str| allow(principal, "kms:Decrypt", "");
        assert_cases(
            &RULE,
            &[
                &allowed("arn:aws:iam::111122223333:role/App"),
                &allowed("111122223333"),
            ],
            &[
                &allowed("AROAEXAMPLEID1234567X"),
                &allowed("AIDAEXAMPLEID1234567X"),
            ],
        );
    }
}
