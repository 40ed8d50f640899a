//! Quick fixes, only where the fix is certain: a mistyped action (the
//! catalog's suggestion), and an operator, element or effect written in the
//! wrong case (exactly one name matches ignoring case).
//!
//! The fix is found when the diagnostic is made and travels in its `data`;
//! the code action checks that the text is still what the fix replaces.

use std::collections::HashMap;

use crate::positions::Encoding;
use keyward_policy::model::codes::{INVALID_EFFECT, UNKNOWN_ELEMENT, UNKNOWN_OPERATOR};
use keyward_policy::model::{Operator, OperatorBase, SetQualifier};
use keyward_policy::{Diagnostic, Span};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit, Uri,
    WorkspaceEdit,
};
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::convert::Ranges;
use crate::documents::byte_range;

/// A replacement of some text by another, with a title for the menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Fix {
    /// What the menu says.
    pub(crate) title: String,
    /// The bytes replaced (in the document as analysed).
    #[serde(skip)]
    pub(crate) span: Span,
    /// The text replaced.
    pub(crate) original: String,
    /// The text put instead.
    pub(crate) replacement: String,
    /// Where, in the protocol's units (set when the diagnostic is converted).
    #[serde(default)]
    pub(crate) range: Option<Range>,
}

impl Fix {
    pub(crate) fn to_data(&self) -> serde_json::Value {
        serde_json::json!({ "fix": self })
    }
}

/// The statement elements, the policy elements and the principal kinds.
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];

/// The certain fix for `d`, found in `text`, if there is one.
pub(crate) fn fix_for(d: &Diagnostic, text: &str) -> Option<Fix> {
    let span = unquoted(text, d.span())?;
    let written = text.get(span.range())?;
    let replacement = match d.code {
        "KW302" => catalog::suggest_action(written)?,
        UNKNOWN_OPERATOR => operator_ignoring_case(written)?,
        UNKNOWN_ELEMENT => {
            let known = match d.pointer.as_deref().map(depth) {
                Some(1) => POLICY_ELEMENTS,
                _ if d
                    .pointer
                    .as_deref()
                    .is_some_and(|p| p.contains("/Statement")) =>
                {
                    STATEMENT_ELEMENTS
                }
                _ => return None,
            };
            only_match(known.iter().map(|k| k.to_string()), written)?
        }
        INVALID_EFFECT => only_match(["Allow", "Deny"].map(String::from).into_iter(), written)?,
        _ => return None,
    };
    if replacement == written {
        return None;
    }
    Some(Fix {
        title: format!("Replace `{written}` with `{replacement}`"),
        span,
        original: written.to_string(),
        replacement,
        range: None,
    })
}

/// How many segments a JSON pointer has.
fn depth(pointer: &str) -> usize {
    pointer.split('/').skip(1).count()
}

/// The span inside the quotes of a quoted string (JSON or YAML), else the
/// span itself; `None` when it is out of the text.
fn unquoted(text: &str, span: Span) -> Option<Span> {
    let written = text.get(span.range())?;
    for quote in ['"', '\''] {
        if written.len() >= 2 && written.starts_with(quote) && written.ends_with(quote) {
            return Some(Span::new(span.start as usize + 1, span.end as usize - 1));
        }
    }
    Some(span)
}

/// The one name among `names` equal to `written` ignoring ASCII case.
fn only_match(names: impl Iterator<Item = String>, written: &str) -> Option<String> {
    let mut found = names.filter(|n| n.eq_ignore_ascii_case(written));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The operator spelled `written` up to case, when exactly one is.
fn operator_ignoring_case(written: &str) -> Option<String> {
    let spellings = OperatorBase::ALL.iter().flat_map(|base| {
        let qualifiers = [
            None,
            Some(SetQualifier::ForAllValues),
            Some(SetQualifier::ForAnyValue),
        ];
        qualifiers.into_iter().flat_map(move |qualifier| {
            [false, true].into_iter().filter_map(move |if_exists| {
                let op = Operator {
                    qualifier,
                    base: *base,
                    if_exists,
                };
                Operator::parse(&op.name()).map(|op| op.name())
            })
        })
    });
    only_match(spellings, written)
}

/// The quick fixes for the diagnostics the client sends back with a
/// `codeAction` request, against the document's current `text`.
pub(crate) fn actions(
    params: &CodeActionParams,
    text: &str,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for diagnostic in &params.context.diagnostics {
        let Some(fix) = diagnostic
            .data
            .as_ref()
            .and_then(|data| data.get("fix"))
            .and_then(|fix| serde_json::from_value::<Fix>(fix.clone()).ok())
        else {
            continue;
        };
        let Some(range) = fix.range else {
            continue;
        };
        // Only while the text is still what the fix was made for.
        let (start, end) = byte_range(text, range, encoding);
        if text.get(start..end) != Some(fix.original.as_str()) {
            continue;
        }
        let edit = TextEdit {
            range,
            new_text: fix.replacement.clone(),
        };
        #[expect(
            clippy::mutable_key_type,
            reason = "lsp_types::Uri hashes its text, which never changes; the protocol type is keyed by it"
        )]
        let changes: HashMap<Uri, Vec<TextEdit>> =
            HashMap::from([(params.text_document.uri.clone(), vec![edit])]);
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: fix.title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    out
}

/// Give a fix its range in the protocol's units.
pub(crate) fn locate(mut fix: Fix, ranges: &Ranges) -> Fix {
    fix.range = Some(ranges.range(fix.span));
    fix
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(code: &'static str, text: &str, needle: &str, pointer: &str) -> Option<String> {
        let at = text.find(needle).unwrap();
        let d =
            Diagnostic::error(code, "m", Span::new(at, at + needle.len())).with_pointer(pointer);
        fix_for(&d, text).map(|f| f.replacement)
    }

    #[test]
    fn a_mistyped_action_takes_the_catalogs_suggestion() {
        let text = r#"{"Action": "kms:Decrpyt"}"#;
        assert_eq!(
            fix("KW302", text, "\"kms:Decrpyt\"", "/Statement/0/Action").as_deref(),
            Some("kms:Decrypt")
        );
        // Nothing close: no fix.
        let text = r#"{"Action": "kms:Qwertyuiop"}"#;
        assert_eq!(
            fix("KW302", text, "\"kms:Qwertyuiop\"", "/Statement/0/Action"),
            None
        );
    }

    #[test]
    fn names_in_the_wrong_case_are_fixed_only_when_one_name_fits() {
        let text = r#"{"forallvalues:stringlikeifexists": {}, "stringequal": {}}"#;
        assert_eq!(
            fix(
                UNKNOWN_OPERATOR,
                text,
                "\"forallvalues:stringlikeifexists\"",
                "/Statement/0/Condition/x"
            )
            .as_deref(),
            Some("ForAllValues:StringLikeIfExists")
        );
        // A misspelling is not a case mistake: no certain fix.
        assert_eq!(
            fix(
                UNKNOWN_OPERATOR,
                text,
                "\"stringequal\"",
                "/Statement/0/Condition/x"
            ),
            None
        );
        let text = r#"{"action": "kms:*", "effect": "allow"}"#;
        assert_eq!(
            fix(UNKNOWN_ELEMENT, text, "\"action\"", "/Statement/0/action").as_deref(),
            Some("Action")
        );
        assert_eq!(
            fix(INVALID_EFFECT, text, "\"allow\"", "/Statement/0/Effect").as_deref(),
            Some("Allow")
        );
        // `sid` at the policy level is not a policy element in any case.
        let text = r#"{"sid": "x"}"#;
        assert_eq!(fix(UNKNOWN_ELEMENT, text, "\"sid\"", "/sid"), None);
        let text = r#"{"statement": []}"#;
        assert_eq!(
            fix(UNKNOWN_ELEMENT, text, "\"statement\"", "/statement").as_deref(),
            Some("Statement")
        );
    }
}
