//! Examples in help texts, written as the user would write them: in YAML
//! when the policy sits in a YAML template, in JSON otherwise; and with the
//! key's own account (the template's `AWS::AccountId`, a configured
//! account, or the account the policy lets administer the key), or a
//! placeholder that reads as one (`ACCOUNT_ID`), never an invented id.

use crate::extract::{Origin, Syntax};
use crate::rules::helpers::administering_accounts;
use crate::rules::{Account, Context};

/// A value in an example.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    /// A string.
    Text(String),
    /// A list.
    List(Vec<Value>),
    /// An object, members in order.
    Object(Vec<(&'static str, Value)>),
    /// `{"Ref": NAME}`, or `!Ref NAME` in YAML.
    Ref(&'static str),
    /// `{"Fn::Sub": TEXT}`, or `!Sub 'TEXT'` in YAML.
    Sub(String),
}

/// A string value.
pub(crate) fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

/// An object value.
pub(crate) fn object<const N: usize>(members: [(&'static str, Value); N]) -> Value {
    Value::Object(members.into())
}

/// Members of a policy element as the input writes them:
/// `"Resource": "*"` in JSON, `Resource: '*'` in YAML.
pub(crate) fn members<const N: usize>(
    cx: &Context<'_>,
    members: [(&'static str, Value); N],
) -> String {
    let yaml = cx.origin() == Origin::Template(Syntax::Yaml);
    members
        .iter()
        .map(|(key, value)| member(key, value, yaml))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key's own account id, as a value.
pub(crate) fn own_account(cx: &Context<'_>) -> Value {
    match own(cx) {
        Some(Account::Stack) => Value::Ref("AWS::AccountId"),
        Some(Account::Id(id)) => text(id),
        None => text("ACCOUNT_ID"),
    }
}

/// The key's own account principal (`arn:aws:iam::ACCOUNT:root`), as a value.
pub(crate) fn own_root(cx: &Context<'_>) -> Value {
    match own(cx) {
        Some(Account::Stack) => {
            Value::Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root".into())
        }
        Some(Account::Id(id)) => text(format!("arn:aws:iam::{id}:root")),
        None => text("arn:aws:iam::ACCOUNT_ID:root"),
    }
}

/// The key's account, as far as the input tells.
fn own<'a>(cx: &Context<'a>) -> Option<Account<'a>> {
    if matches!(cx.origin(), Origin::Template(_)) {
        return Some(Account::Stack);
    }
    if let Some(account) = cx.home_accounts().first() {
        return Some(Account::Id(account));
    }
    administering_accounts(cx).first().copied()
}

fn member(key: &str, value: &Value, yaml: bool) -> String {
    let key = if yaml {
        yaml_scalar(key)
    } else {
        json_string(key)
    };
    format!("{key}: {}", render(value, yaml))
}

fn render(value: &Value, yaml: bool) -> String {
    match (value, yaml) {
        (Value::Text(s), false) => json_string(s),
        (Value::Text(s), true) => yaml_scalar(s),
        (Value::List(items), _) => format!(
            "[{}]",
            items
                .iter()
                .map(|v| render(v, yaml))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Value::Object(members), _) => format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| member(k, v, yaml))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Value::Ref(name), false) => format!("{{\"Ref\": {}}}", json_string(name)),
        (Value::Ref(name), true) => format!("!Ref {name}"),
        (Value::Sub(s), false) => format!("{{\"Fn::Sub\": {}}}", json_string(s)),
        (Value::Sub(s), true) => format!("!Sub {}", yaml_quoted(s)),
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Plain when YAML reads it back as this very string, quoted otherwise
/// (`'*'`, `'111122223333'`, `'true'`).
fn yaml_scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '/'))
        && !s.ends_with(':')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        yaml_quoted(s)
    }
}

fn yaml_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_read_back_as_the_same_string() {
        assert_eq!(yaml_scalar("kms:CallerAccount"), "kms:CallerAccount");
        assert_eq!(yaml_scalar("*"), "'*'");
        assert_eq!(yaml_scalar("111122223333"), "'111122223333'");
        assert_eq!(yaml_scalar("true"), "'true'");
        assert_eq!(yaml_scalar("it's"), "'it''s'");
    }

    #[test]
    fn values_print_in_either_syntax() {
        let value = object([("kms:CallerAccount", Value::Ref("AWS::AccountId"))]);
        assert_eq!(
            member("StringEquals", &value, false),
            r#""StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}}"#
        );
        assert_eq!(
            member("StringEquals", &value, true),
            "StringEquals: {kms:CallerAccount: !Ref AWS::AccountId}"
        );
        assert_eq!(
            member(
                "AWS",
                &Value::Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root".into()),
                true
            ),
            "AWS: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'"
        );
    }
}
