//! Properties every input must keep, whatever it is: checked by the fuzz
//! targets (`fuzz/fuzz_targets/*.rs`) and, on the committed seed corpus, by
//! `tests/tests/fuzz_corpus.rs` on every `cargo test`.
//!
//! Each check returns `Err(description)` instead of panicking, so a caller
//! can add context (the fuzz targets panic with it; tests assert on it).

use keyward_policy::json::{self, JsonKind, JsonValue, ParseOptions};
use keyward_policy::model::{self, ConditionValues, PrincipalSpec};
use keyward_policy::{
    parse_policy, parse_policy_via_tree, parse_policy_with, Diagnostic, Policy, PolicyParse, Span,
};

/// Is `span` a valid slice of `text` (inside it, on character boundaries)?
fn check_span(text: &str, span: Span, what: &str) -> Result<(), String> {
    if span.start > span.end {
        return Err(format!("{what}: span {span:?} is reversed"));
    }
    if text.get(span.range()).is_none() {
        return Err(format!(
            "{what}: span {span:?} is not a slice of the {}-byte input",
            text.len()
        ));
    }
    Ok(())
}

/// Every label of every diagnostic lies inside `text`.
pub fn diagnostics_inside(text: &str, diagnostics: &[Diagnostic]) -> Result<(), String> {
    for d in diagnostics {
        if d.labels.is_empty() {
            return Err(format!("diagnostic `{}` has no label", d.code));
        }
        if d.message.is_empty() {
            return Err(format!("diagnostic `{}` has no message", d.code));
        }
        for label in &d.labels {
            check_span(text, label.span, &format!("diagnostic `{}`", d.code))?;
        }
    }
    Ok(())
}

/// Every node of the JSON tree lies inside `text`, and inside its parent.
pub fn json_spans_inside(text: &str, value: &JsonValue) -> Result<(), String> {
    // An explicit stack: the tree may be as deep as the parser allows.
    let mut stack = vec![(value, Span::new(0, text.len()))];
    while let Some((v, parent)) = stack.pop() {
        check_span(text, v.span, "json value")?;
        if v.span.start < parent.start || v.span.end > parent.end {
            return Err(format!(
                "json value span {:?} escapes its parent {parent:?}",
                v.span
            ));
        }
        match &v.kind {
            JsonKind::Array(items) => stack.extend(items.iter().map(|i| (i, v.span))),
            JsonKind::Object(members) => {
                for m in members {
                    check_span(text, m.key_span, "json key")?;
                    stack.push((&m.value, v.span));
                }
            }
            JsonKind::String(s) => {
                // A string's span covers its quotes.
                if v.span.len() < 2 || text.as_bytes().get(v.span.start as usize) != Some(&b'"') {
                    return Err(format!("string {s:?} has span {:?} without quotes", v.span));
                }
            }
            JsonKind::Null | JsonKind::Bool(_) | JsonKind::Number(_) => {}
        }
    }
    Ok(())
}

/// Every span of the policy lies inside `text`.
pub fn policy_spans_inside(text: &str, policy: &Policy) -> Result<(), String> {
    visit_policy_spans(policy, &mut |span, what| check_span(text, span, what))
}

/// Every span of one statement lies inside `text`.
pub fn statement_spans_inside(text: &str, s: &model::Statement) -> Result<(), String> {
    visit_statement_spans(s, &mut |span, what| check_span(text, span, what))
}

/// Call `visit` with every span of the policy and what it is, in order.
fn visit_policy_spans(
    policy: &Policy,
    visit: &mut impl FnMut(Span, &str) -> Result<(), String>,
) -> Result<(), String> {
    visit(policy.span, "policy")?;
    if let Some(v) = &policy.version {
        visit(v.span, "Version")?;
    }
    if let Some(id) = &policy.id {
        visit(id.span, "Id")?;
    }
    for s in &policy.statements {
        visit_statement_spans(s, visit)?;
    }
    Ok(())
}

/// Call `visit` with every span of one statement and what it is, in order.
fn visit_statement_spans(
    s: &model::Statement,
    visit: &mut impl FnMut(Span, &str) -> Result<(), String>,
) -> Result<(), String> {
    let at = |what: &str| format!("statement {}: {what}", s.index);
    visit(s.span, &at("statement"))?;
    if let Some(sid) = &s.sid {
        visit(sid.span, &at("Sid"))?;
    }
    visit(s.effect.span, &at("Effect"))?;
    if let Some(p) = &s.principal {
        visit(p.span, &at("Principal"))?;
        if let PrincipalSpec::Map(groups) = &p.node.spec {
            for g in groups {
                visit(g.kind.span, &at("principal kind"))?;
                for v in &g.values {
                    visit(v.span, &at("principal value"))?;
                }
            }
        }
    }
    visit(s.action.span, &at("Action"))?;
    for a in &s.action.node.items {
        visit(a.span, &at("action"))?;
    }
    if let Some(r) = &s.resource {
        visit(r.span, &at("Resource"))?;
        for item in &r.node.items {
            visit(item.span, &at("resource"))?;
        }
    }
    if let Some(c) = &s.condition {
        visit(c.span, &at("Condition"))?;
        for e in &c.node.entries {
            visit(e.operator.span, &at("condition operator"))?;
            visit(e.key.span, &at("condition key"))?;
            visit(e.values_span, &at("condition values"))?;
            let spans: Vec<Span> = match &e.values {
                ConditionValues::String(v) => v.iter().map(|x| x.span).collect(),
                ConditionValues::Numeric(v) => v.iter().map(|x| x.span).collect(),
                ConditionValues::Date(v) => v.iter().map(|x| x.span).collect(),
                ConditionValues::Bool(v) | ConditionValues::Null(v) => {
                    v.iter().map(|x| x.span).collect()
                }
                ConditionValues::Binary(v) => v.iter().map(|x| x.span).collect(),
                ConditionValues::Ip(v) => v.iter().map(|x| x.span).collect(),
            };
            for span in spans {
                visit(span, &at("condition value"))?;
            }
        }
    }
    Ok(())
}

/// Every diagnostic renders as the CLI renders it (miette's graphical
/// report): without a panic, in bounded size, and showing the text it
/// marks when that is a short, plain stretch of one line.
pub fn diagnostics_render(text: &str, diagnostics: &[Diagnostic]) -> Result<(), String> {
    let source = keyward_policy::Source::new("input.json", text);
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_context_lines(2);
    // The first few are enough: they take every code path, and rendering
    // is the slowest check by far.
    for d in diagnostics.iter().take(4) {
        let mut out = String::new();
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handler.render_report(&mut out, &d.with_source(&source))
        }));
        match rendered {
            Err(_) => return Err(format!("rendering `{}` panicked", d.code)),
            Ok(Err(e)) => return Err(format!("rendering `{}` failed: {e}", d.code)),
            Ok(Ok(())) => {}
        }
        let words: usize = d.message.len()
            + d.help.as_ref().map_or(0, String::len)
            + d.labels.iter().map(|l| l.message.len()).sum::<usize>();
        if out.len() > 64 * 1024 + 4 * words {
            return Err(format!("`{}` renders as {} bytes", d.code, out.len()));
        }
        let span = d.span();
        if let Some(marked) = text.get(span.range()) {
            let plain = !marked.is_empty()
                && marked.len() <= 40
                && marked.bytes().all(|b| (0x21..0x7f).contains(&b));
            if plain && !out.contains(marked) {
                return Err(format!(
                    "the snippet of `{}` does not show the marked text `{marked}`:\n{out}",
                    d.code
                ));
            }
        }
    }
    Ok(())
}

/// A policy printed by [`model::to_json_string`] reads back as the same model.
pub fn round_trips(policy: &Policy) -> Result<(), String> {
    let printed = model::to_json_string(policy);
    match parse_policy(&printed) {
        Ok(again) if again == *policy => Ok(()),
        Ok(again) => Err(format!(
            "printed policy reads back as a different model\nprinted:\n{printed}\nfirst: {policy:#?}\nagain: {again:#?}"
        )),
        Err(diagnostics) => Err(format!(
            "printed policy does not parse\nprinted:\n{printed}\ndiagnostics: {diagnostics:#?}"
        )),
    }
}

/// Everything the parser promises about one text: spans inside the input
/// (JSON tree, model, diagnostics), an error whenever there is no model,
/// and the print → parse round trip for every policy that lowers.
pub fn check_policy_text(text: &str) -> Result<(), String> {
    let options = ParseOptions::default();
    let parsed = json::parse(text, &options);
    diagnostics_inside(text, &parsed.diagnostics)?;
    if let Some(value) = &parsed.value {
        json_spans_inside(text, value)?;
        // A statement-shaped object lowers on its own too (documentation fragments).
        if value.as_object().is_some() {
            for variables in [false, true] {
                let (statement, diagnostics) = model::lower_statement(value.clone(), variables);
                diagnostics_inside(text, &diagnostics)?;
                if let Some(s) = &statement {
                    statement_spans_inside(text, s)?;
                }
            }
        }
    } else if !parsed.diagnostics.iter().any(Diagnostic::is_error) {
        return Err("the JSON parser gave no value and no error".into());
    }
    let parse = parse_policy_with(text, &options);
    if text.len() <= DIFFERENTIAL_LIMIT {
        same_as_tree_path(text, &options, &parse)?;
    }
    diagnostics_inside(text, &parse.diagnostics)?;
    diagnostics_render(text, &parse.diagnostics)?;
    match &parse.policy {
        Some(policy) => {
            policy_spans_inside(text, policy)?;
            round_trips(policy)?;
        }
        None => {
            if !parse.diagnostics.iter().any(Diagnostic::is_error) {
                return Err("no policy and no error diagnostic".into());
            }
        }
    }
    // Tight limits take the limit paths: they must fail cleanly, never panic.
    if !text.is_empty() {
        let small = ParseOptions {
            max_size: text.len() - 1,
            ..ParseOptions::default()
        };
        let refused = json::parse(text, &small);
        let codes: Vec<&str> = refused.diagnostics.iter().map(|d| d.code).collect();
        if refused.value.is_some() || codes != ["json::too-large"] {
            return Err(format!("input over max_size gave {codes:?}"));
        }
    }
    let tight = ParseOptions {
        max_depth: 3,
        max_diagnostics: 2,
        ..ParseOptions::default()
    };
    let limited = json::parse(text, &tight);
    diagnostics_inside(text, &limited.diagnostics)?;
    if let Some(value) = &limited.value {
        json_spans_inside(text, value)?;
    }
    // At most `max_diagnostics`, plus one closing "too many errors".
    let over = limited.diagnostics.len() > tight.max_diagnostics + 1
        || (limited.diagnostics.len() == tight.max_diagnostics + 1
            && limited.diagnostics.last().map(|d| d.code) != Some("json::too-many-errors"));
    if over {
        return Err(format!(
            "{} diagnostics reported with max_diagnostics = {}: {:?}",
            limited.diagnostics.len(),
            tight.max_diagnostics,
            limited
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
        ));
    }
    Ok(())
}

/// Inputs up to this size are also read by the tree path and compared (see
/// [`same_as_tree_path`]): every fuzz input is, while the multi-megabyte
/// hostile inputs of the adversarial tests keep within their time limits in
/// a debug build (the in-crate differential tests cover large policies).
const DIFFERENTIAL_LIMIT: usize = 64 * 1024;

/// `parse_policy_with` reads valid policies straight from the tokens and
/// anything else by the tree path: either way its answer is the tree path's,
/// the same diagnostics and the same model, span for span (`Spanned`
/// equality ignores spans, so they are compared one by one).
fn same_as_tree_path(
    text: &str,
    options: &ParseOptions,
    parse: &PolicyParse,
) -> Result<(), String> {
    let tree = parse_policy_via_tree(text, options);
    if parse.diagnostics != tree.diagnostics {
        return Err(format!(
            "parse_policy_with reports {:#?}\nthe tree path reports {:#?}",
            parse.diagnostics, tree.diagnostics
        ));
    }
    let spans = |policy: &Policy| {
        let mut spans = Vec::new();
        let _ = visit_policy_spans(policy, &mut |span, _| {
            spans.push(span);
            Ok(())
        });
        spans
    };
    let same = match (&parse.policy, &tree.policy) {
        (Some(ours), Some(theirs)) => ours == theirs && spans(ours) == spans(theirs),
        (None, None) => true,
        _ => false,
    };
    if !same {
        return Err(format!(
            "parse_policy_with reads {:#?}\nthe tree path reads {:#?}",
            parse.policy, tree.policy
        ));
    }
    Ok(())
}

/// [`json::parse_bytes`] on any bytes: the error (if any) points at the first
/// invalid byte inside the input, valid UTF-8 passes through unchanged, and
/// the decoded text then keeps every promise of [`check_policy_text`].
pub fn check_policy_bytes(bytes: &[u8]) -> Result<(), String> {
    let (text, error) = json::parse_bytes(bytes);
    match (std::str::from_utf8(bytes), &error) {
        (Ok(valid), None) => {
            if *text != *valid {
                return Err("valid UTF-8 was changed by decoding".into());
            }
        }
        (Ok(_), Some(d)) => return Err(format!("valid UTF-8 rejected: {}", d.message)),
        (Err(_), None) => return Err("invalid UTF-8 accepted without a diagnostic".into()),
        (Err(e), Some(d)) => {
            let span = d.span();
            if span.start as usize != e.valid_up_to() {
                return Err(format!(
                    "invalid UTF-8 reported at {span:?}, first bad byte is {}",
                    e.valid_up_to()
                ));
            }
            if span.end as usize > bytes.len() || span.is_empty() {
                return Err(format!("invalid UTF-8 span {span:?} outside the input"));
            }
            // The decoded text agrees with the input up to the error.
            if text.as_bytes().get(..e.valid_up_to()) != bytes.get(..e.valid_up_to()) {
                return Err("lossy text differs before the first bad byte".into());
            }
        }
    }
    check_policy_text(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_outside_the_input_or_inside_a_character_are_caught() {
        let past = [Diagnostic::error("t", "m", Span::new(1, 5))];
        assert!(diagnostics_inside("ab", &past).is_err());
        let mid_char = [Diagnostic::error("t", "m", Span::new(0, 1))];
        assert!(diagnostics_inside("é", &mid_char).is_err());
        let fine = [Diagnostic::error("t", "m", Span::new(0, 2))];
        assert!(diagnostics_inside("é", &fine).is_ok());
    }

    #[test]
    fn valid_and_broken_policies_keep_the_invariants() {
        let ok = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}"#;
        assert_eq!(check_policy_text(ok), Ok(()));
        assert_eq!(check_policy_text(r#"{"Statement": [}"#), Ok(()));
        assert_eq!(check_policy_bytes(b"{\"a\":\"\xff\"}"), Ok(()));
    }
}
