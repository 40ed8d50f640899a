//! KW114: IAM principal ARNs whose account is not an account id.

use keyward_policy::matching::{Arn, PrincipalArn};
use keyward_policy::model::PrincipalKind;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::principals;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW114",
        name: "principal-account-not-an-id",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "an IAM principal ARN's account is not a 12-digit account id (often an unfilled template placeholder)",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for (kind, value) in principals(statement) {
            if kind != PrincipalKind::Aws || value.node == "*" {
                continue;
            }
            if !matches!(PrincipalArn::parse(&value.node), PrincipalArn::Other(_)) {
                continue;
            }
            let account = Arn::parse(&value.node).map_or("", |arn| arn.account());
            let d = cx
                .diagnostic(format!("`{account}` in `{}` is not an account id", value.node), value.span)
                .with_label("no caller can ever match this principal")
                .with_help("write the 12-digit account id; in CloudFormation use `!Sub \"arn:${AWS::Partition}:iam::${AccountIdParameter}:root\"` so the value is filled in")
                .with_pointer(cx.pointer(statement, "/Principal"));
            cx.emit(d);
        }
    }
}

const DOCS: &str = r#"## What it does
Finds principals shaped like IAM or STS ARNs (`arn:aws:iam::X:…`) whose
account `X` is not a 12-digit account id, typically a template placeholder
that was never substituted (`ACCOUNT_ID`, `pAuditAccountId`).

## Why it matters
No caller has such an ARN, so the grant applies to nobody; `PutKeyPolicy`
also requires the principals of a key policy to exist, so the deployment
usually fails.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::ACCOUNT_ID:root"},
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
    use crate::rules::cases::{allow, assert_cases, findings};

    #[test]
    fn principal_accounts_are_account_ids() {
        let allowed = |principal: &str| allow(principal, "kms:Decrypt", "");
        assert_cases(
            &RULE,
            &[
                &allowed("arn:aws:iam::111122223333:root"),
                &allowed("111122223333"),
                &allowed("arn:aws:iam::111122223333:role/App"),
                &allowed(r#"{"Service": "logs.amazonaws.com"}"#),
            ],
            &[
                &allowed("arn:aws:iam::ACCOUNT_ID:root"),
                &allowed("arn:aws:iam::1111222233:user/alice"),
            ],
        );
        let found = findings(&RULE, &allowed("arn:aws:iam::ACCOUNT_ID:root"));
        assert_eq!(
            found[0].message,
            "`ACCOUNT_ID` in `arn:aws:iam::ACCOUNT_ID:root` is not an account id"
        );
    }
}
