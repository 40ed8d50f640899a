//! KW110: a key-policy statement without a principal.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::examples::{members, object, own_root};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW110",
        name: "key-statement-without-principal",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::KeyPolicy,
        summary: "a key-policy statement has no `Principal`",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        if statement.principal.is_some() {
            continue;
        }
        let d = cx
            .diagnostic(
                format!("statement `{}` of a key policy has no `Principal`", statement.display_name()),
                statement.span,
            )
            .with_label("KMS refuses a key policy with a statement like this")
            .with_help(format!(
                "add the principals, e.g. `{}`; if this is an IAM policy, lint it with `--kind identity`",
                members(cx, [("Principal", object([("AWS", own_root(cx))]))])
            ))
            .with_pointer(cx.pointer(statement, ""));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds statements without `Principal` or `NotPrincipal` in a key policy
(a policy that is a key policy by its context, by `--kind key`, or because
its other statements name principals).

## Why it matters
Every key-policy statement must name at least one principal;
`PutKeyPolicy` and `CreateKey` reject the policy with a
`MalformedPolicyDocumentException`. A statement without a principal is
often an IAM policy statement pasted into a key policy.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Decrypt", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Decrypt", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}
  ]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, as_kind, assert_cases, assert_cases_with};
    use crate::PolicyKind;

    #[test]
    fn every_key_policy_statement_names_principals() {
        let root_all = allow("arn:aws:iam::111122223333:root", "kms:*", "");
        let nobody = allow("", "kms:Decrypt", "");
        let not_principal = r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#;
        assert_cases(
            &RULE,
            &[
                &root_all,
                &format!("[{root_all}, {not_principal}]"),
                &nobody,
            ],
            &[&format!("[{root_all}, {nobody}]")],
        );
        assert_cases_with(&RULE, &as_kind(PolicyKind::Key), &[&root_all], &[&nobody]);
    }
}
