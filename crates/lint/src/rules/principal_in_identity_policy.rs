//! KW111: a principal in an identity policy.

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW111",
        name: "principal-in-identity-policy",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::IdentityPolicy,
        summary: "an IAM identity policy statement names a `Principal`",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        let Some(principal) = &statement.principal else {
            continue;
        };
        let element = if principal.node.negated {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let d = cx
            .diagnostic(
                format!("statement `{}` of an identity policy has a `{element}`", statement.display_name()),
                principal.span,
            )
            .with_label("IAM refuses principals in identity policies")
            .with_help(format!("remove `{element}`: an identity policy applies to whoever it is attached to; if this is a key policy, lint it with `--kind key`"))
            .with_pointer(cx.pointer(statement, &format!("/{element}")));
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds `Principal` or `NotPrincipal` in policies that are IAM identity
policies by their context (`AWS::IAM::Policy`, `aws_iam_policy`, …) or by
`--kind identity`.

## Why it matters
An identity policy applies to the user, group or role it is attached to;
IAM rejects one that names a principal ("Policy document should not specify
a principal"). It usually means a key policy was pasted in the wrong place.

## Examples
### Invalid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
    "Action": "kms:Decrypt",
    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }]
}
```
### Valid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "kms:Decrypt",
    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, as_kind, assert_cases, assert_cases_with};
    use crate::PolicyKind;

    #[test]
    fn identity_policies_name_no_principal() {
        assert_cases_with(
            &RULE,
            &as_kind(PolicyKind::Identity),
            &[&allow("", "kms:Decrypt", "")],
            &[
                &allow("*", "kms:Decrypt", ""),
                r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}"#,
            ],
        );
        // Detected as a key policy: not this rule's business.
        assert_cases(
            &RULE,
            &[&allow("arn:aws:iam::111122223333:root", "kms:*", "")],
            &[],
        );
    }
}
