//! KW207: `kms:CreateGrant` without a limit on what grants can do.

use keyward_policy::matching::PrincipalArn;
use keyward_policy::model::{Condition, ConditionValues, OperatorBase, PrincipalKind, Statement};

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, object, text, Value};
use crate::rules::helpers::{
    conditions_on, is_allow, is_restricting, positive_actions, principals, string_values,
};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW207",
        name: "unrestricted-create-grant",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "`kms:CreateGrant` is allowed with no condition limiting the grants it can create",
        docs: DOCS,
    },
    Check::Policy(check),
);

/// Condition keys that limit what grants can do, for whom, or through what.
const LIMITING_KEYS: &[&str] = &[
    "kms:GrantIsForAWSResource",
    "kms:GrantOperations",
    "kms:ViaService",
    "kms:GranteePrincipal",
    "kms:GrantConstraintType",
];

/// True when every principal is an AWS service or a service-linked role
/// (which only its service can assume).
fn only_aws_services(statement: &Statement) -> bool {
    let principals = principals(statement);
    !principals.is_empty()
        && principals.iter().all(|(kind, value)| {
            *kind == PrincipalKind::Service || is_service_linked_role(&value.node)
        })
}

/// `arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME`.
fn is_service_linked_role(value: &str) -> bool {
    matches!(PrincipalArn::parse(value),
        PrincipalArn::Role { path, .. } if path.starts_with("/aws-service-role/"))
}

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if !is_allow(statement) {
            continue;
        }
        let Some(action) = positive_actions(statement)
            .iter()
            .find(|p| p.node.as_str().eq_ignore_ascii_case("kms:CreateGrant"))
        else {
            continue;
        };
        let limited = LIMITING_KEYS
            .iter()
            .any(|key| conditions_on(statement, key).any(|c| is_limiting(key, c)));
        if limited || only_aws_services(statement) {
            continue;
        }
        let d = cx
            .diagnostic(
                format!(
                    "statement `{}` allows `kms:CreateGrant` for any operation",
                    statement.display_name()
                ),
                action.span,
            )
            .with_label(
                "grants created with this can allow anything, even what the caller cannot do",
            )
            .with_help(format!(
                "add `{}` for grants made by AWS services, or limit the operations with `{}`",
                members(
                    cx,
                    [(
                        "Bool",
                        object([("kms:GrantIsForAWSResource", text("true"))])
                    )]
                ),
                members(
                    cx,
                    [(
                        "ForAllValues:StringEquals",
                        object([(
                            "kms:GrantOperations",
                            Value::List(vec![text("Decrypt"), text("RetireGrant")])
                        )])
                    )]
                )
            ))
            .with_pointer(cx.pointer(statement, "/Action"));
        cx.emit(d);
    }
}

fn is_limiting(key: &str, condition: &Condition) -> bool {
    let op = condition.operator.node;
    if key == "kms:GrantOperations" {
        // `ForAllValues` whitelists operations; it is the documented form.
        return !op.base.is_negated() && op.base != OperatorBase::Null;
    }
    if !is_restricting(condition) {
        return false;
    }
    if key == "kms:GrantIsForAWSResource" {
        return match &condition.values {
            ConditionValues::Bool(values) => values.iter().all(|b| b.node),
            ConditionValues::String(_) => string_values(condition)
                .iter()
                .all(|v| v.eq_ignore_ascii_case("true")),
            _ => false,
        };
    }
    true
}

const DOCS: &str = r#"## What it does
Finds `Allow` statements that name `kms:CreateGrant` and have no condition
limiting the grants: `kms:GrantIsForAWSResource` set to `true` (only AWS
services acting for the caller may create grants), `kms:GrantOperations`
(which operations a grant may allow), `kms:ViaService` (only through a
given service), `kms:GranteePrincipal` (only to given grantees) or
`kms:GrantConstraintType` (only with encryption-context constraints).
Wildcards such as `kms:Create*` in an administrators' statement, and
statements for AWS service principals or service-linked roles, are not
reported.

## Why it matters
`kms:CreateGrant` lets the caller create a grant for *any* operation and
any grantee, even operations the caller itself is not allowed: a grant for
`Decrypt` to an outside role is one call away. AWS's default key policy
gives `kms:CreateGrant` to key users only with
`kms:GrantIsForAWSResource`.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:CreateGrant", "kms:ListGrants"],
    "Resource": "*"
  }]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Allow attachment of persistent resources",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
    "Resource": "*",
    "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases, statement};

    #[test]
    fn create_grant_needs_a_limit() {
        let app = |condition: &str| {
            allow(
                "arn:aws:iam::111122223333:role/App",
                "kms:CreateGrant",
                condition,
            )
        };
        let service_linked = "arn:aws:iam::111122223333:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS";
        assert_cases(
            &RULE,
            &[
                &app(r#"{"Bool": {"kms:GrantIsForAWSResource": "true"}}"#),
                &app(r#"{"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}"#),
                &app(r#"{"StringEquals": {"kms:ViaService": "rds.us-east-1.amazonaws.com"}}"#),
                &allow(
                    r#"{"Service": "logs.amazonaws.com"}"#,
                    "kms:CreateGrant",
                    "",
                ),
                &allow(service_linked, "kms:CreateGrant", ""),
                &statement("Deny", "*", "kms:CreateGrant", "*", ""),
            ],
            &[
                &app(""),
                // Identity policies too.
                &allow("", "kms:CreateGrant", ""),
                &app(r#"{"Bool": {"kms:GrantIsForAWSResource": "false"}}"#),
                &app(r#"{"StringNotEquals": {"kms:GrantOperations": "Decrypt"}}"#),
                &allow("", "kms:creategrant", ""),
            ],
        );
    }
}
