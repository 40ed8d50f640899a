//! KW206: key administrators who can also decrypt.

use std::collections::BTreeMap;

use keyward_policy::model::PrincipalKind;
use keyward_policy::Span;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::{
    covers_action, grants_all_kms, is_account_principal, is_allow, principals,
};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW206",
        name: "admin-can-decrypt",
        category: Category::Security,
        default_level: Level::Warn,
        scope: Scope::KeyPolicy,
        summary: "a key administrator (who can change the key policy) can also decrypt",
        docs: DOCS,
    },
    Check::Policy(check),
);

#[derive(Default)]
struct Grants {
    /// (statement index, principal span) of the first grant of `kms:PutKeyPolicy`.
    admin: Option<(usize, Span)>,
    /// The same for `kms:Decrypt`.
    decrypt: Option<(usize, Span)>,
    /// Statement indexes that give `kms:*` (KW205's finding).
    everything: Vec<usize>,
}

fn check(cx: &mut Context<'_>) {
    let mut by_principal: BTreeMap<&str, Grants> = BTreeMap::new();
    for statement in cx.statements() {
        if !is_allow(statement) {
            continue;
        }
        let admin = covers_action(statement, "kms:PutKeyPolicy");
        let decrypt = covers_action(statement, "kms:Decrypt");
        if !admin && !decrypt {
            continue;
        }
        for (kind, value) in principals(statement) {
            if kind != PrincipalKind::Aws || is_account_principal(&value.node) {
                continue;
            }
            let grants = by_principal.entry(value.node.as_str()).or_default();
            if admin && grants.admin.is_none() {
                grants.admin = Some((statement.index, value.span));
            }
            if decrypt && grants.decrypt.is_none() {
                grants.decrypt = Some((statement.index, value.span));
            }
            if grants_all_kms(statement) {
                grants.everything.push(statement.index);
            }
        }
    }
    for (principal, grants) in by_principal {
        let (Some((admin_at, admin_span)), Some((decrypt_at, decrypt_span))) =
            (grants.admin, grants.decrypt)
        else {
            continue;
        };
        if admin_at == decrypt_at && grants.everything.contains(&admin_at) {
            continue;
        }
        let Some(statement) = cx.statements().get(decrypt_at) else {
            continue;
        };
        let mut d = cx
            .diagnostic(
                format!("`{principal}` administers the key and can also decrypt with it"),
                decrypt_span,
            )
            .with_label("allowed `kms:Decrypt` here")
            .with_help("keep key administrators and key users apart: remove `kms:Decrypt` from the administrator, or the administration actions from the user")
            .with_pointer(cx.pointer(statement, "/Principal"));
        if admin_span != decrypt_span {
            d = d.with_related(admin_span, "allowed `kms:PutKeyPolicy` here");
        }
        cx.emit(d);
    }
}

const DOCS: &str = r#"## What it does
Finds principals (users and roles, not the account principal) that are
allowed both `kms:PutKeyPolicy`, which makes them key administrators, and
`kms:Decrypt`, in one statement or across statements. Conditions are not
taken into account. A single statement giving `kms:*` is reported by KW205
instead.

## Why it matters
Separation of duties: an administrator who can also decrypt needs no one
else to read the protected data, and can grant themselves anything else by
rewriting the policy. AWS's default key policy keeps the two roles in
separate statements for separate principals.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Key administrators",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
      "Action": ["kms:Put*", "kms:Describe*", "kms:ScheduleKeyDeletion"],
      "Resource": "*"
    },
    {
      "Sid": "Key users",
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:role/App", "arn:aws:iam::111122223333:role/KeyAdmin"]},
      "Action": ["kms:Encrypt", "kms:Decrypt"],
      "Resource": "*"
    }
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Key administrators",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
      "Action": ["kms:Put*", "kms:Describe*", "kms:ScheduleKeyDeletion"],
      "Resource": "*"
    },
    {
      "Sid": "Key users",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
      "Action": ["kms:Encrypt", "kms:Decrypt"],
      "Resource": "*"
    }
  ]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn administrators_and_users_stay_apart() {
        let admin = "arn:aws:iam::111122223333:role/KeyAdmin";
        let app = "arn:aws:iam::111122223333:role/App";
        let root = "arn:aws:iam::111122223333:root";
        let pair = |a: String, b: String| format!("[{a}, {b}]");
        assert_cases(
            &RULE,
            &[
                &pair(
                    allow(admin, "kms:PutKeyPolicy", ""),
                    allow(app, "kms:Decrypt", ""),
                ),
                // The account principal delegates to IAM.
                &pair(allow(root, "kms:*", ""), allow(root, "kms:Decrypt", "")),
                // `kms:*` alone is KW205's finding.
                &allow(admin, "kms:*", ""),
            ],
            &[
                &pair(
                    allow(admin, "kms:PutKeyPolicy", ""),
                    allow(admin, "kms:Decrypt", ""),
                ),
                &allow(admin, r#"["kms:PutKeyPolicy", "kms:Decrypt"]"#, ""),
            ],
        );
    }
}
