//! KW107: two statements with the same `Sid`.

use std::collections::HashMap;

use keyward_policy::Span;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW107",
        name: "duplicate-sid",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "two statements have the same `Sid`",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for statement in cx.statements() {
        let Some(sid) = &statement.sid else {
            continue;
        };
        if sid.node.is_empty() {
            continue;
        }
        match seen.get(sid.node.as_str()) {
            None => {
                seen.insert(sid.node.as_str(), sid.span);
            }
            Some(first) => {
                let d = cx
                    .diagnostic(format!("the `Sid` `{}` is used twice", sid.node), sid.span)
                    .with_label("second use")
                    .with_related(*first, "first use")
                    .with_help("give every statement its own `Sid` (or none)")
                    .with_pointer(cx.pointer(statement, "/Sid"));
                cx.emit(d);
            }
        }
    }
}

const DOCS: &str = r#"## What it does
Finds a `Sid` used by more than one statement of a policy.

## Why it matters
IAM rejects an identity policy whose statement ids are not unique, and
tools (including AWS's console and keyward's own explanations) name
statements by `Sid`: two statements with one name make a policy review
and an access explanation ambiguous.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "KeyUsers", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/A"}, "Action": "kms:Decrypt", "Resource": "*"},
    {"Sid": "KeyUsers", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/B"}, "Action": "kms:Encrypt", "Resource": "*"}
  ]
}
```
### Valid
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "DecryptForA", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/A"}, "Action": "kms:Decrypt", "Resource": "*"},
    {"Sid": "EncryptForB", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/B"}, "Action": "kms:Encrypt", "Resource": "*"}
  ]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    #[test]
    fn each_sid_once() {
        let s = |sid: &str| {
            allow("", "kms:Decrypt", "").replacen('{', &format!(r#"{{"Sid": "{sid}", "#), 1)
        };
        let unnamed = allow("", "kms:Decrypt", "");
        assert_cases(
            &RULE,
            // An empty `Sid` names nothing.
            &[
                &format!("[{}, {}]", s("A"), s("B")),
                &format!("[{}, {}]", s(""), s("")),
                &format!("[{unnamed}, {unnamed}]"),
            ],
            &[
                &format!("[{}, {}]", s("A"), s("A")),
                &format!("[{}, {}, {}]", s("A"), s("B"), s("A")),
            ],
        );
    }
}
