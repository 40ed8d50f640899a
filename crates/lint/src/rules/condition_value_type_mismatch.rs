//! KW115: a `String…` operator on a numeric, date or boolean key, with a
//! value that key never has.

use keyward_policy::matching::{CaseMode, Pattern};
use keyward_policy::model::{ConditionValues, OperatorBase, ValueType};

use crate::catalog::{catalog, KeyType};
use crate::registry::{Category, Level, Rule, RuleMeta, Scope};
use crate::rules::helpers::conditions;
use crate::rules::{Check, Context};

pub(crate) const RULE: Rule = Rule::new(
    RuleMeta {
        code: "KW115",
        name: "condition-value-type-mismatch",
        category: Category::Correctness,
        default_level: Level::Warn,
        scope: Scope::Any,
        summary: "a `String…` operator compares a numeric, date or boolean condition key with a value that key never has (e.g. `\"bad\"` for a number)",
        docs: DOCS,
    },
    Check::Policy(check),
);

fn check(cx: &mut Context<'_>) {
    for statement in cx.statements() {
        for condition in conditions(statement) {
            let op = condition.operator.node.base;
            let ConditionValues::String(values) = &condition.values else {
                continue;
            };
            if op.value_type() != ValueType::String {
                continue; // `Arn…` operators: KW102 judges them.
            }
            let key = condition.key.node.as_str();
            let Some(expected) = catalog()
                .condition_key(key)
                .and_then(|info| Expected::of(info.key_type()))
            else {
                continue;
            };
            let like = matches!(op, OperatorBase::StringLike | OperatorBase::StringNotLike);
            for value in values {
                // A policy variable's value is only known at request time.
                if value.node.has_variables() {
                    continue;
                }
                let raw = value.node.raw();
                if expected.could_be(raw, like) {
                    continue;
                }
                let d = cx
                    .diagnostic(
                        format!(
                            "`{key}` is {}, so `{}` never matches `\"{raw}\"`",
                            expected.describe(),
                            op.name()
                        ),
                        value.span,
                    )
                    .with_label(expected.label())
                    .with_help(expected.help())
                    .with_pointer(cx.pointer(statement, "/Condition"));
                cx.emit(d);
            }
        }
    }
}

/// What the request's value of a typed key looks like as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expected {
    Number,
    Date,
    Boolean,
}

impl Expected {
    fn of(key_type: KeyType) -> Option<Expected> {
        match key_type {
            KeyType::Numeric => Some(Expected::Number),
            KeyType::Date => Some(Expected::Date),
            KeyType::Bool => Some(Expected::Boolean),
            KeyType::String | KeyType::Arn | KeyType::Ip | KeyType::Binary => None,
        }
    }

    /// Could the key's value, as text, be `value` (a `…Like` pattern when
    /// `like`)? Anything doubtful counts as possible: the rule only reports
    /// values that can never match.
    fn could_be(self, value: &str, like: bool) -> bool {
        let wildcard = like && value.contains(['*', '?']);
        match (self, wildcard) {
            (Expected::Number, false) => is_number(value),
            (Expected::Date, false) => keyward_policy::model::parse_date(value).is_some(),
            (Expected::Boolean, false) => {
                value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
            }
            (Expected::Boolean, true) => {
                let pattern = Pattern::new(value);
                ["true", "false"]
                    .iter()
                    .any(|b| pattern.matches(b, CaseMode::AsciiInsensitive))
            }
            // A pattern's literal characters must be ones a number or a
            // date is written with.
            (Expected::Number, true) => literal_chars(value)
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')),
            (Expected::Date, true) => literal_chars(value)
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | '+' | 'T' | 'Z')),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Expected::Number => "a number",
            Expected::Date => "a date",
            Expected::Boolean => "`true` or `false`",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Expected::Number => "not a number",
            Expected::Date => "not a date",
            Expected::Boolean => "not `true` or `false`",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Expected::Number => {
                "write the number the key is compared with (e.g. `\"10\"`), preferably with a `Numeric…` operator"
            }
            Expected::Date => {
                "write an ISO 8601 date (e.g. `\"2026-01-31T00:00:00Z\"`), preferably with a `Date…` operator"
            }
            Expected::Boolean => "use `Bool` with `\"true\"` or `\"false\"`",
        }
    }
}

/// A number as IAM reads one (as the `Numeric…` operators accept it).
fn is_number(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && !text.contains(['i', 'I', 'n', 'N'])
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

fn literal_chars(pattern: &str) -> impl Iterator<Item = char> + '_ {
    pattern.chars().filter(|c| !matches!(c, '*' | '?'))
}

const DOCS: &str = r#"## What it does
Uses the typed condition-key catalog (every service's keys and the global
`aws:` keys, from the Service Authorization Reference) to find `String…`
operators (`StringEquals`, `StringNotEquals`, `StringLike`, their
`IgnoreCase`/`IfExists` forms and set qualifiers) on keys of type
`Numeric`, `Date` or `Bool` whose value can never be the key's value:
`"bad"` for a number, `"yes"` for a boolean, `"tomorrow"` for a date. A
`StringLike` pattern is reported when no number, date or boolean could
match it (`"y*"` for a boolean). Values with policy variables, and keys the
catalog does not know, are not judged.

The converse is reported elsewhere: a `Numeric…`, `Date…` or `Bool`
operator on a key of another type is KW102, and a value such as `"ten"`
for a `Numeric…` operator is the parser's `policy::invalid-condition-value`.

## Why it matters
A string operator compares the key's value as text. The text of a number,
a date or a boolean is never `"bad"`, so the condition never matches: an
`Allow` grants nothing, and a negated operator (`StringNotEquals`) in a
`Deny` denies every request that has the key. IAM Access Analyzer reports
the same mistakes as the general warnings *Type mismatch number*, *Type
mismatch date* and *Type mismatch Boolean* (IAM User Guide, "IAM policy
validation check reference"); the IAM User Guide's "Condition operators"
page gives the type each operator compares.

## Examples
### Invalid
```json identity
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "kms:Decrypt",
    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "Condition": {"StringEquals": {"aws:MultiFactorAuthPresent": "yes"}}
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
    "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
  }]
}
```
"#;

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::cases::{allow, assert_cases};

    fn with(condition: &str) -> String {
        allow("", "kms:Decrypt", condition)
    }

    /// Keys of KMS and the global keys, typed without the full catalog. The
    /// cases are IAM Access Analyzer's general warnings "Type mismatch
    /// number / date / Boolean" (IAM User Guide, "IAM policy validation
    /// check reference").
    #[test]
    fn string_values_must_be_possible_values_of_the_key() {
        assert_cases(
            &RULE,
            &[
                &with(r#"{"StringEquals": {"aws:MultiFactorAuthAge": "3600"}}"#),
                &with(r#"{"StringEquals": {"aws:SecureTransport": "true"}}"#),
                &with(r#"{"StringEqualsIgnoreCase": {"aws:SecureTransport": "FALSE"}}"#),
                &with(r#"{"StringLike": {"aws:SecureTransport": "t*"}}"#),
                &with(r#"{"StringLike": {"kms:ScheduleKeyDeletionPendingWindowInDays": "3?"}}"#),
                &with(r#"{"StringEquals": {"aws:CurrentTime": "2026-01-31T00:00:00Z"}}"#),
                &with(r#"{"StringLike": {"aws:CurrentTime": "2026-*"}}"#),
                // A variable is only known at request time.
                &with(r#"{"StringEquals": {"aws:MultiFactorAuthAge": "${aws:username}"}}"#),
                // String and IP keys take any text; unknown keys are not judged.
                &with(r#"{"StringEquals": {"kms:CallerAccount": "bad"}}"#),
                &with(r#"{"StringEquals": {"aws:SourceIp": "bad"}}"#),
                &with(r#"{"StringEquals": {"nosuchservice:Count": "bad"}}"#),
                // Typed operators are the parser's and KW102's.
                &with(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}"#),
                &with(r#"{"Bool": {"aws:SecureTransport": "false"}}"#),
            ],
            &[
                &with(r#"{"StringEquals": {"aws:MultiFactorAuthAge": "bad"}}"#),
                &with(r#"{"StringNotEquals": {"aws:SecureTransport": "yes"}}"#),
                &with(
                    r#"{"StringEqualsIfExists": {"kms:ScheduleKeyDeletionPendingWindowInDays": "seven"}}"#,
                ),
                &with(r#"{"StringLike": {"aws:MultiFactorAuthPresent": "y*"}}"#),
                &with(r#"{"StringLike": {"aws:MultiFactorAuthAge": "abc*"}}"#),
                &with(r#"{"StringEquals": {"aws:CurrentTime": "tomorrow"}}"#),
                &with(r#"{"StringNotLike": {"kms:ValidTo": "next*"}}"#),
                &with(r#"{"StringEquals": {"aws:SecureTransport": ["true", ""]}}"#),
                &with(r#"{"ForAnyValue:StringEquals": {"kms:MultiRegion": "maybe"}}"#),
            ],
        );
    }

    /// Every service's keys (the `service-condition-keys` feature).
    #[cfg(feature = "service-condition-keys")]
    #[test]
    fn every_services_typed_keys_are_checked() {
        let on = |action: &str, condition: &str| allow("", action, condition);
        assert_cases(
            &RULE,
            &[
                &on(
                    "s3:ListBucket",
                    r#"{"StringEquals": {"s3:max-keys": "10"}}"#,
                ),
                &on(
                    "ec2:RunInstances",
                    r#"{"StringEquals": {"ec2:Encrypted": "true"}}"#,
                ),
                &on(
                    "s3:ListBucket",
                    r#"{"StringEquals": {"s3:prefix": "home/"}}"#,
                ),
            ],
            &[
                &on(
                    "s3:ListBucket",
                    r#"{"StringEquals": {"s3:max-keys": "bad"}}"#,
                ),
                &on(
                    "ec2:RunInstances",
                    r#"{"StringEquals": {"ec2:Encrypted": "encrypted"}}"#,
                ),
                &on(
                    "ec2:CreateSnapshot",
                    r#"{"StringLike": {"ec2:CreateDate": "last-*"}}"#,
                ),
                &on(
                    "sts:AssumeRole",
                    r#"{"StringEquals": {"sts:DurationSeconds": "one hour"}}"#,
                ),
            ],
        );
    }

    #[test]
    fn the_finding_points_at_the_value() {
        let case = with(r#"{"StringEquals": {"aws:MultiFactorAuthAge": ["60", "bad"]}}"#);
        let found = crate::rules::cases::findings(&RULE, &case);
        assert_eq!(found.len(), 1);
        let span = found[0].span();
        let policy = format!(r#"{{"Version": "2012-10-17", "Statement": {case}}}"#);
        assert_eq!(&policy[span.range()], "\"bad\"");
        assert!(found[0].message.contains("is a number"));
    }
}
