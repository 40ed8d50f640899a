//! KW106: characters AWS does not accept in a policy.

use keyward_policy::Span;

use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::plural;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW106",
        name: "unsupported-characters",
        category: Category::Correctness,
        default_level: Level::Error,
        scope: Scope::Any,
        summary: "the policy contains characters AWS rejects (outside tab, line breaks and U+0020–U+00FF)",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

fn check(cx: &mut Context<'_>) {
    let span = cx.policy().span;
    let text = cx.slice(span);
    // The common case, plain ASCII, without decoding characters.
    if text
        .bytes()
        .all(|b| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7e))
    {
        return;
    }
    let mut bad = text.char_indices().filter(|(_, c)| !allowed(*c));
    let Some((at, c)) = bad.next() else {
        return;
    };
    let count = 1 + bad.count();
    let start = span.start as usize + at;
    let d = cx
        .diagnostic(
            format!(
                "the policy contains {count} character{} AWS does not accept, the first `{}` (U+{:04X})",
                plural(count),
                c.escape_debug(),
                c as u32
            ),
            Span::new(start, start + c.len_utf8()),
        )
        .with_label("not tab, a line break, or U+0020–U+00FF")
        .with_help("replace it with plain ASCII (typographic quotes and dashes often come from copying out of a document)")
        .with_pointer("");
    cx.emit(d);
}

const DOCS: &str = r#"## What it does
Scans the policy text for characters outside the set AWS accepts in key
policies and IAM policies: tab, line feed, carriage return and U+0020 to
U+00FF (printable ASCII and Latin-1). One finding per policy, at the first
such character, with the count.

## Why it matters
`PutKeyPolicy` and IAM reject the whole document with a
`MalformedPolicyDocument` error. The usual culprits are typographic quotes,
non-breaking hyphens and emoji pasted from documents and chat.

## Examples
### Invalid
```json
{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "Keys for the team – prod",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
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
    "Sid": "Keys for the team - prod, café",
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
    use crate::rules::cases::{allow, assert_cases, findings, statement};

    fn with_sid(sid: &str) -> String {
        allow("", "kms:Decrypt", "").replacen('{', &format!(r#"{{"Sid": "{sid}", "#), 1)
    }

    #[test]
    fn only_latin_1_is_accepted() {
        assert_cases(
            &RULE,
            &[
                &with_sid("Café"),
                "{\"Effect\":\t\"Allow\",\r\n\"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}",
            ],
            &[
                &with_sid("Allow “admins”"),
                &statement(
                    "Allow",
                    "",
                    "kms:Decrypt",
                    "arn:aws:kms:us-east-1:111122223333:key/a–b",
                    "",
                ),
            ],
        );
    }

    #[test]
    fn the_finding_counts_them_and_points_at_the_first() {
        let found = findings(&RULE, &with_sid("Allow “admins”"));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the policy contains 2 characters AWS does not accept, the first `“` (U+201C)"
        );
    }
}
