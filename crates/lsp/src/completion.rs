//! Completion, by place: actions (with wildcards) under `Action`, operators
//! with their qualifiers under `Condition`, the condition keys that apply to
//! the statement's actions under an operator, principal kinds and ARN
//! skeletons under `Principal`, and the few fixed values (`Effect`,
//! `Version`, a scenario's `decision`).

use std::ops::ControlFlow;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat,
    MarkupContent, MarkupKind, Range, TextEdit,
};

use crate::catalog::{self, ActionFacts};
use crate::convert::Ranges;
use crate::cursor::{self, Cursor, Role, Seg};
use crate::hover::{self, Subject};
use crate::operators;

/// What the client can take.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    /// Snippets (`${1:account}` placeholders).
    pub(crate) snippets: bool,
}

/// One candidate before it is placed.
struct Item {
    label: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    docs: Option<String>,
    /// Text to insert when it differs from the label (a snippet when
    /// `snippet` is set).
    insert: Option<String>,
    snippet: bool,
}

impl Item {
    fn new(label: impl Into<String>, kind: CompletionItemKind) -> Item {
        Item {
            label: label.into(),
            kind,
            detail: None,
            docs: None,
            insert: None,
            snippet: false,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Item {
        self.detail = Some(detail.into());
        self
    }

    fn docs(mut self, docs: impl Into<String>) -> Item {
        self.docs = Some(docs.into());
        self
    }
}

/// The completions at byte `offset`.
pub(crate) fn complete(
    text: &str,
    offset: usize,
    yaml: bool,
    ranges: &Ranges,
    options: Options,
) -> Vec<CompletionItem> {
    let cursor = hover::cursor_at(text, offset, yaml);
    let typed = cursor
        .token
        .as_ref()
        .map(|t| {
            let end = (offset.max(t.inner.start as usize)).min(t.inner.end as usize);
            text.get(t.inner.start as usize..end)
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    let items = candidates(text, &cursor, &typed, yaml, options);
    place(items, &cursor, offset, yaml, ranges)
}

fn candidates(text: &str, cursor: &Cursor, typed: &str, yaml: bool, options: Options) -> Vec<Item> {
    let keys = Cursor::keys(&cursor.path);
    if let Some(rest) = cursor.in_statement() {
        let rest_keys = Cursor::keys(rest);
        return match (hover::subject(cursor), rest_keys.as_slice(), cursor.role) {
            (Subject::Action, _, _) => actions(typed),
            (Subject::Operator, _, _) => operator_items(),
            (Subject::ConditionKey, _, _) => {
                let patterns = if yaml {
                    None
                } else {
                    statement_actions(text, cursor)
                };
                key_items(patterns.as_deref(), options)
            }
            (_, ["Principal" | "NotPrincipal"], Role::Key) => {
                ["AWS", "Service", "Federated", "CanonicalUser"]
                    .into_iter()
                    .map(|k| Item::new(k, CompletionItemKind::PROPERTY))
                    .collect()
            }
            (_, ["Principal" | "NotPrincipal"], Role::Value) => {
                vec![Item::new("*", CompletionItemKind::VALUE)
                    .detail("everyone: pair it with a condition")]
            }
            (_, ["Principal" | "NotPrincipal", "AWS"], Role::Value) => arn_skeletons(options),
            (_, ["Principal" | "NotPrincipal", "Service"], Role::Value) => service_principals(),
            (_, ["Effect"], Role::Value) => ["Allow", "Deny"]
                .into_iter()
                .map(|v| Item::new(v, CompletionItemKind::ENUM_MEMBER))
                .collect(),
            (_, [], Role::Key) => [
                "Sid",
                "Effect",
                "Principal",
                "NotPrincipal",
                "Action",
                "NotAction",
                "Resource",
                "NotResource",
                "Condition",
            ]
            .into_iter()
            .map(|k| Item::new(k, CompletionItemKind::PROPERTY))
            .collect(),
            _ => Vec::new(),
        };
    }
    match (keys.as_slice(), cursor.role) {
        ([.., "Version"], Role::Value) => vec![Item::new("2012-10-17", CompletionItemKind::VALUE)
            .detail("the current policy language (with policy variables)")],
        (["expect", "action"], Role::Value) => {
            actions(if typed.contains(':') { typed } else { "kms:" })
        }
        (["expect", "decision"], Role::Value) => {
            ["allow", "deny", "explicit-deny", "implicit-deny"]
                .into_iter()
                .map(|v| Item::new(v, CompletionItemKind::ENUM_MEMBER))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Actions for what is typed so far: service prefixes (and KMS's actions)
/// before the colon, the service's actions and wildcards after it.
fn actions(typed: &str) -> Vec<Item> {
    let Some((service, _)) = typed.split_once(':') else {
        let mut items: Vec<Item> = catalog::services()
            .into_iter()
            .map(|s| Item::new(format!("{s}:"), CompletionItemKind::MODULE).detail("service"))
            .collect();
        items.push(
            Item::new("*", CompletionItemKind::VALUE).detail("every action of every service"),
        );
        items.extend(actions("kms:"));
        return items;
    };
    let names = catalog::actions_of(service);
    let Some(prefix) = names.first().and(
        catalog::services()
            .into_iter()
            .find(|s| s.eq_ignore_ascii_case(service)),
    ) else {
        return Vec::new();
    };
    let mut items = vec![Item::new(format!("{prefix}:*"), CompletionItemKind::VALUE)
        .detail(format!("every action of `{prefix}` ({})", names.len()))];
    for group in verb_groups(&names) {
        let label = format!("{prefix}:{group}*");
        let count = names.iter().filter(|n| n.starts_with(group)).count();
        items.push(Item::new(label, CompletionItemKind::VALUE).detail(format!("{count} actions")));
    }
    for name in names {
        let full = format!("{prefix}:{name}");
        let mut item = Item::new(full.clone(), CompletionItemKind::FUNCTION);
        if let Some(ActionFacts::Kms(kms)) = catalog::action(&full) {
            item = item
                .detail(kms.access_level.clone())
                .docs(hover::describe_action(&full).unwrap_or_default());
        }
        items.push(item);
    }
    items
}

/// Leading words shared by two or more actions (`Get`, `List`, `Generate`).
fn verb_groups<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut groups: Vec<&str> = Vec::new();
    for name in names {
        let end = name
            .char_indices()
            .skip(1)
            .find(|(_, c)| c.is_ascii_uppercase())
            .map_or(name.len(), |(i, _)| i);
        let verb = &name[..end];
        if verb.len() < name.len()
            && !groups.contains(&verb)
            && names.iter().filter(|n| n.starts_with(verb)).count() >= 2
        {
            groups.push(verb);
        }
    }
    groups
}

fn operator_items() -> Vec<Item> {
    operators::every_spelling()
        .into_iter()
        .map(|op| {
            Item::new(op.name(), CompletionItemKind::OPERATOR)
                .detail(operators::describe_base(op.base))
                .docs(operators::describe(&op))
        })
        .collect()
}

/// Condition keys that apply to the statement's actions (`patterns`; all
/// KMS keys when unknown), then the global keys.
fn key_items(patterns: Option<&[String]>, options: Options) -> Vec<Item> {
    let actions = patterns.and_then(catalog::kms_actions_matching);
    catalog::condition_keys()
        .into_iter()
        .filter(|k| {
            k.global
                || actions
                    .as_ref()
                    .is_none_or(|acts| k.kms_actions.iter().any(|a| acts.contains(a)))
        })
        .map(|k| {
            let mut item = Item::new(k.name.clone(), CompletionItemKind::FIELD)
                .detail(format!(
                    "{}{}",
                    k.type_name,
                    if k.multi_valued {
                        " (multi-valued)"
                    } else {
                        ""
                    }
                ))
                .docs(hover::describe_key_facts(&k));
            // `kms:EncryptionContext:${EncryptionContextKey}`: the variable
            // part is the user's to write.
            if let Some(at) = k
                .name
                .find("${")
                .or_else(|| k.name.ends_with("/tag-key").then(|| k.name.len() - 7))
            {
                let fixed = &k.name[..at];
                let hole = k.name[at..].trim_start_matches("${").trim_end_matches('}');
                item.insert = Some(if options.snippets {
                    format!("{}${{1:{hole}}}", escape_snippet(fixed))
                } else {
                    fixed.to_string()
                });
                item.snippet = options.snippets;
            }
            item
        })
        .collect()
}

fn escape_snippet(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('$', "\\$")
        .replace('}', "\\}")
}

/// The action patterns of the statement around the cursor (JSON).
fn statement_actions(text: &str, cursor: &Cursor) -> Option<Vec<String>> {
    let at = cursor
        .path
        .iter()
        .rposition(|s| s.key() == Some("Statement"))?;
    let mut prefix: Vec<Seg> = cursor.path[..=at].to_vec();
    if let Some(index @ Seg::Index(_)) = cursor.path.get(at + 1) {
        prefix.push(index.clone());
    }
    let mut found = Vec::new();
    cursor::walk(text, |v| {
        if v.role == Role::Value
            && v.path.len() > prefix.len()
            && v.path[..prefix.len()] == prefix[..]
            && v.path[prefix.len()].key() == Some("Action")
            && v.token.quoted
        {
            found.push(cursor::unescape(&v.token.text));
        }
        ControlFlow::Continue(())
    });
    (!found.is_empty()).then_some(found)
}

fn arn_skeletons(options: Options) -> Vec<Item> {
    let skeletons = [
        ("arn:aws:iam::${1:111122223333}:root", "the account (delegates to its IAM policies)"),
        ("arn:aws:iam::${1:111122223333}:role/${2:RoleName}", "an IAM role"),
        ("arn:aws:iam::${1:111122223333}:user/${2:UserName}", "an IAM user"),
        ("arn:aws:sts::${1:111122223333}:assumed-role/${2:RoleName}/${3:SessionName}", "one role session"),
        ("arn:aws:iam::${1:111122223333}:role/aws-service-role/${2:service}.amazonaws.com/${3:RoleName}", "a service-linked role"),
    ];
    skeletons
        .into_iter()
        .map(|(snippet, what)| {
            let plain = strip_placeholders(snippet);
            let mut item = Item::new(plain.clone(), CompletionItemKind::SNIPPET).detail(what);
            if options.snippets {
                item.insert = Some(snippet.to_string());
                item.snippet = true;
            }
            item
        })
        .collect()
}

/// `${1:name}` → `name`.
fn strip_placeholders(snippet: &str) -> String {
    let mut out = String::new();
    let mut rest = snippet;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let inner = &rest[at + 2..];
        let end = inner.find('}').unwrap_or(inner.len());
        out.push_str(inner[..end].split_once(':').map_or("", |(_, name)| name));
        rest = inner.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn service_principals() -> Vec<Item> {
    [
        "s3.amazonaws.com",
        "logs.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "sns.amazonaws.com",
        "sqs.amazonaws.com",
        "events.amazonaws.com",
        "lambda.amazonaws.com",
        "ec2.amazonaws.com",
        "autoscaling.amazonaws.com",
        "delivery.logs.amazonaws.com",
        "secretsmanager.amazonaws.com",
        "dynamodb.amazonaws.com",
    ]
    .into_iter()
    .map(|p| Item::new(p, CompletionItemKind::VALUE).detail("service principal"))
    .collect()
}

/// Give each candidate its edit: the string's content is replaced whole
/// (names hold `:` and `*`, which editors do not count as word characters);
/// where no string is started, the value is inserted quoted (JSON).
fn place(
    items: Vec<Item>,
    cursor: &Cursor,
    offset: usize,
    yaml: bool,
    ranges: &Ranges,
) -> Vec<CompletionItem> {
    let (range, quote) = match &cursor.token {
        Some(token) => (ranges.range(token.inner), false),
        None => {
            let at = ranges.position(u32::try_from(offset).unwrap_or(u32::MAX));
            (Range::new(at, at), !yaml)
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let mut new_text = item.insert.clone().unwrap_or_else(|| item.label.clone());
            if quote || (yaml && cursor.token.is_none() && new_text.starts_with('*')) {
                new_text = format!("\"{new_text}\"");
            }
            CompletionItem {
                label: item.label.clone(),
                kind: Some(item.kind),
                detail: item.detail,
                documentation: item.docs.map(|value| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    })
                }),
                // Keep the catalog's order (KMS first, then by name).
                sort_text: Some(format!("{i:05}")),
                filter_text: Some(if quote {
                    format!("\"{}", item.label)
                } else {
                    item.label.clone()
                }),
                insert_text_format: Some(if item.snippet {
                    InsertTextFormat::SNIPPET
                } else {
                    InsertTextFormat::PLAIN_TEXT
                }),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text })),
                ..CompletionItem::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::positions::Encoding;

    use super::*;

    fn labels(marked: &str, yaml: bool) -> Vec<String> {
        complete_at(marked, yaml, Options::default())
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    fn complete_at(marked: &str, yaml: bool, options: Options) -> Vec<CompletionItem> {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        let ranges = Ranges::of_text(&text, Encoding::Utf16);
        complete(&text, offset, yaml, &ranges, options)
    }

    #[test]
    fn actions_of_the_typed_service_with_wildcards() {
        let got = labels(r#"{"Statement": [{"Action": ["kms:Gen|"]}]}"#, false);
        assert!(got.contains(&"kms:GenerateDataKey".to_string()));
        assert!(got.contains(&"kms:*".to_string()));
        assert!(got.contains(&"kms:Generate*".to_string()), "{got:?}");
        assert!(got.contains(&"kms:List*".to_string()));
        assert!(!got.iter().any(|l| l.starts_with("s3:")));
        // Before the colon: services, and KMS's actions.
        let got = labels(r#"{"Statement": [{"Action": "km|"}]}"#, false);
        assert!(got.contains(&"kms:".to_string()) && got.contains(&"s3:".to_string()));
        assert!(got.contains(&"kms:Decrypt".to_string()));
    }

    #[test]
    fn the_edit_replaces_the_whole_string_content() {
        let items = complete_at(
            r#"{"Statement": {"Action": "kms:Dec|rypt"}}"#,
            false,
            Options::default(),
        );
        let decrypt = items.iter().find(|i| i.label == "kms:Decrypt").unwrap();
        let Some(CompletionTextEdit::Edit(edit)) = &decrypt.text_edit else {
            panic!()
        };
        assert_eq!(
            (edit.range.start.character, edit.range.end.character),
            (26, 37)
        );
        // No string started yet: the value comes quoted.
        let items = complete_at(r#"{"Statement": {"Effect": |}}"#, false, Options::default());
        let Some(CompletionTextEdit::Edit(edit)) = &items[0].text_edit else {
            panic!()
        };
        assert_eq!(edit.new_text, "\"Allow\"");
    }

    #[test]
    fn operators_come_with_their_qualifiers() {
        let got = labels(r#"{"Statement": {"Condition": {"|"#, false);
        for op in [
            "StringEquals",
            "StringLikeIfExists",
            "ForAnyValue:StringLike",
            "ForAllValues:ArnLikeIfExists",
            "Null",
        ] {
            assert!(got.contains(&op.to_string()), "{op}");
        }
        assert!(!got.contains(&"NullIfExists".to_string()));
    }

    #[test]
    fn condition_keys_follow_the_statements_actions() {
        let text = r#"{"Statement": [{"Action": "kms:CreateGrant", "Condition": {"Bool": {"|"}}}, {"Action": "kms:Decrypt"}]}"#;
        let got = labels(text, false);
        assert!(got.contains(&"kms:GrantIsForAWSResource".to_string()));
        assert!(
            got.contains(&"aws:SourceIp".to_string()),
            "global keys always"
        );
        assert!(
            !got.contains(&"kms:EncryptionAlgorithm".to_string()),
            "not a CreateGrant key: {got:?}"
        );
        // With snippets, the variable part of a key is a placeholder.
        let text = r#"{"Statement": [{"Action": "kms:Decrypt", "Condition": {"StringEquals": {"kms:Enc|"}}}]}"#;
        let items = complete_at(text, false, Options { snippets: true });
        let context = items
            .iter()
            .find(|i| i.label.starts_with("kms:EncryptionContext:$"))
            .unwrap();
        let Some(CompletionTextEdit::Edit(edit)) = &context.text_edit else {
            panic!()
        };
        assert_eq!(
            edit.new_text,
            "kms:EncryptionContext:${1:EncryptionContextKey}"
        );
        assert_eq!(context.insert_text_format, Some(InsertTextFormat::SNIPPET));
    }

    #[test]
    fn principals_and_scenarios() {
        let got = labels(r#"{"Statement": {"Principal": {"AWS": "|"}}}"#, false);
        assert!(
            got.contains(&"arn:aws:iam::111122223333:root".to_string()),
            "{got:?}"
        );
        let got = labels(r#"{"Statement": {"Principal": {"|"}}}"#, false);
        assert_eq!(got, ["AWS", "Service", "Federated", "CanonicalUser"]);
        let got = labels(r#"{"expect": [{"decision": "|"}]}"#, false);
        assert_eq!(got, ["allow", "deny", "explicit-deny", "implicit-deny"]);
        let got = labels(r#"{"expect": [{"action": "|"}]}"#, false);
        assert!(got.contains(&"kms:Decrypt".to_string()));
    }

    #[test]
    fn yaml_templates_complete_too() {
        let yaml = "Resources:\n  K:\n    Properties:\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Action: kms:Re|\n";
        let got = labels(yaml, true);
        assert!(got.contains(&"kms:ReEncryptFrom".to_string()), "{got:?}");
    }
}
