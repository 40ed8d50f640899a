//! Hover: what an action, a condition key or an operator is, from the
//! bundled catalog (with its date).

use keyward_policy::model::Operator;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::catalog::{self, ActionFacts, KeyFacts};
use crate::convert::Ranges;
use crate::cursor::{self, Cursor, Role};
use crate::operators;

/// What the cursor is on, for hover and completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    Action,
    Operator,
    ConditionKey,
    /// Not known from the place: try each.
    Unknown,
}

/// What the cursor's place calls for.
pub(crate) fn subject(cursor: &Cursor) -> Subject {
    let Some(rest) = cursor.in_statement() else {
        return Subject::Unknown;
    };
    match (Cursor::keys(rest).as_slice(), cursor.role) {
        (["Action" | "NotAction", ..], Role::Value) => Subject::Action,
        (["Condition"], Role::Key) => Subject::Operator,
        (["Condition", _], Role::Key) => Subject::ConditionKey,
        _ => Subject::Unknown,
    }
}

/// The cursor at `offset` in a JSON or YAML text.
pub(crate) fn cursor_at(text: &str, offset: usize, yaml: bool) -> Cursor {
    if yaml {
        crate::yaml_cursor::at(text, offset)
    } else {
        cursor::at(text, offset)
    }
}

/// The hover at byte `offset`.
pub(crate) fn hover(text: &str, offset: usize, yaml: bool, ranges: &Ranges) -> Option<Hover> {
    let cursor = cursor_at(text, offset, yaml);
    let token = cursor.token.as_ref()?;
    let written = cursor::unescape(&token.text);
    let markdown = match subject(&cursor) {
        Subject::Action => describe_action(&written),
        Subject::Operator => describe_operator(&written),
        Subject::ConditionKey => describe_key(&written),
        Subject::Unknown => describe_operator(&written)
            .or_else(|| describe_action(&written).filter(|_| is_known_action(&written)))
            .or_else(|| describe_key(&written)),
    }?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: format!("{markdown}\n\n---\n_{}_", catalog::provenance()),
        }),
        range: Some(ranges.range(token.inner)),
    })
}

fn is_known_action(written: &str) -> bool {
    matches!(
        catalog::action(written),
        Some(ActionFacts::Kms(_) | ActionFacts::Known(_) | ActionFacts::Wildcard(_))
    )
}

fn code_list(names: &[String], limit: usize) -> String {
    let mut shown: Vec<String> = names.iter().take(limit).map(|n| format!("`{n}`")).collect();
    if names.len() > limit {
        shown.push(format!("and {} more", names.len() - limit));
    }
    shown.join(", ")
}

pub(crate) fn describe_action(written: &str) -> Option<String> {
    Some(match catalog::action(written)? {
        ActionFacts::Kms(kms) => {
            let resources = if kms.resource_types.is_empty() {
                "none (account-level: a key policy cannot govern it)".to_string()
            } else {
                kms.resource_types.join(", ")
            };
            format!(
                "**`{}`** — AWS KMS action\n\nAccess level: {} · Resource types: {resources}\n\nCondition keys: {} (and the global `aws:` keys)",
                kms.name,
                kms.access_level,
                code_list(&kms.condition_keys, 40)
            )
        }
        ActionFacts::Known(name) => {
            let service = name.split(':').next().unwrap_or("");
            format!(
                "**`{name}`** — an action of `{service}` ({} actions)",
                catalog::actions_of(service).len()
            )
        }
        ActionFacts::Wildcard(matched) if matched.is_empty() => {
            format!("**`{written}`** matches no action")
        }
        ActionFacts::Wildcard(matched) => format!(
            "**`{written}`** matches {} action{}: {}",
            matched.len(),
            if matched.len() == 1 { "" } else { "s" },
            code_list(&matched, 30)
        ),
        ActionFacts::UnknownAction {
            service,
            suggestion,
        } => match suggestion {
            Some(best) => {
                format!("`{written}` is not an action of `{service}` — did you mean `{best}`?")
            }
            None => format!("`{written}` is not an action of `{service}`"),
        },
        ActionFacts::UnknownService(service) => {
            format!("`{service}` is not a known AWS service prefix")
        }
    })
}

pub(crate) fn describe_operator(written: &str) -> Option<String> {
    Operator::parse(written).map(|op| operators::describe(&op))
}

pub(crate) fn describe_key(written: &str) -> Option<String> {
    catalog::condition_key(written).map(|facts| describe_key_facts(&facts))
}

pub(crate) fn describe_key_facts(facts: &KeyFacts) -> String {
    let arity = if facts.multi_valued {
        "multi-valued: test it with `ForAnyValue:` or `ForAllValues:`"
    } else {
        "single-valued"
    };
    let applies = if facts.global {
        "Global condition key: present on requests to every service (when it applies)".to_string()
    } else {
        format!(
            "Applies to {} KMS action{}: {}",
            facts.kms_actions.len(),
            if facts.kms_actions.len() == 1 {
                ""
            } else {
                "s"
            },
            code_list(&facts.kms_actions, 40)
        )
    };
    format!(
        "**`{}`** — condition key · {} · {arity}\n\n{applies}",
        facts.name, facts.type_name
    )
}

#[cfg(test)]
mod tests {
    use crate::positions::Encoding;

    use super::*;

    fn hover_at(marked: &str, yaml: bool) -> Option<String> {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        let ranges = Ranges::of_text(&text, Encoding::Utf16);
        hover(&text, offset, yaml, &ranges).map(|h| match h.contents {
            HoverContents::Markup(m) => m.value,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn actions_keys_and_operators_are_explained_with_the_catalog_date() {
        let text = hover_at(r#"{"Statement": [{"Action": "kms:Decr|ypt"}]}"#, false).unwrap();
        assert!(
            text.starts_with("**`kms:Decrypt`** — AWS KMS action"),
            "{text}"
        );
        assert!(text.contains(keyward_lint::CATALOG_DATE.trim()));
        let text = hover_at(
            r#"{"Statement": {"Condition": {"StringEquals": {"kms:Via|Service": "x"}}}}"#,
            false,
        )
        .unwrap();
        assert!(
            text.contains("**`kms:ViaService`** — condition key · String"),
            "{text}"
        );
        let text = hover_at(
            r#"{"Statement": {"Condition": {"ForAnyValue:String|Like": {}}}}"#,
            false,
        )
        .unwrap();
        assert!(text.contains("at least one value"), "{text}");
        let text = hover_at(r#"{"Statement": {"Action": "kms:Generate*|"}}"#, false).unwrap();
        assert!(text.contains("matches"), "{text}");
    }

    #[test]
    fn hover_works_in_yaml_and_in_scenarios() {
        let yaml = "Resources:\n  K:\n    Properties:\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Action: kms:Encr|ypt\n";
        assert!(hover_at(yaml, true).unwrap().contains("**`kms:Encrypt`**"));
        let scenario = r#"{"expect": [{"action": "kms:Sign|", "key": "K"}]}"#;
        assert!(hover_at(scenario, false)
            .unwrap()
            .contains("**`kms:Sign`**"));
        // Plain words are not explained.
        assert_eq!(hover_at(r#"{"expect": [{"key": "K|"}]}"#, false), None);
    }
}
