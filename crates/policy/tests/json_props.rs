//! Laws of the JSON parser, checked on generated input.

use keyward_policy::json::{parse, parse_bytes, JsonKind, JsonValue, ParseOptions, Parsed};
use proptest::prelude::*;
use serde_json::Value;

/// Every diagnostic's labels, and every node's span, lie inside the text
/// on character boundaries; errors and a value never come together.
fn check_invariants(text: &str, parsed: &Parsed) -> Result<(), TestCaseError> {
    for d in &parsed.diagnostics {
        for label in &d.labels {
            prop_assert!(
                text.get(label.span.range()).is_some(),
                "{d:?} outside {text:?}"
            );
        }
        prop_assert!(!d.message.is_empty() && d.help.is_some(), "{d:?}");
        prop_assert!(d.code.starts_with("json::"));
    }
    let has_errors = parsed.diagnostics.iter().any(|d| d.is_error());
    prop_assert_eq!(parsed.value.is_some(), !has_errors);
    if let Some(value) = &parsed.value {
        check_node(text, value)?;
    }
    Ok(())
}

fn check_node(text: &str, value: &JsonValue) -> Result<(), TestCaseError> {
    let slice = text.get(value.span.range());
    prop_assert!(slice.is_some(), "{value:?}");
    // The text under a node's span, parsed alone, is that node.
    let alone = parse(slice.unwrap_or_default(), &ParseOptions::default());
    prop_assert!(
        alone.value.as_ref().is_some_and(|v| same_tree(v, value)),
        "{slice:?}"
    );
    match &value.kind {
        JsonKind::Array(items) => items.iter().try_for_each(|v| check_node(text, v))?,
        JsonKind::Object(members) => {
            for m in members {
                let key: String = serde_json::from_str(&text[m.key_span.range()])
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(&*key, &*m.key);
                check_node(text, &m.value)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Equal trees, spans aside.
fn same_tree(a: &JsonValue, b: &JsonValue) -> bool {
    match (&a.kind, &b.kind) {
        (JsonKind::Number(x), JsonKind::Number(y)) => x.to_bits() == y.to_bits(),
        (JsonKind::Array(x), JsonKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_tree(a, b))
        }
        (JsonKind::Object(x), JsonKind::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| a.key == b.key && same_tree(&a.value, &b.value))
        }
        (x, y) => x == y,
    }
}

/// Our tree means the same as serde_json's (which sorts members; numbers
/// compared as f64, within one unit in the last place, because serde_json's
/// default float parsing is not always correctly rounded while ours is).
fn same(ours: &JsonValue, theirs: &Value) -> bool {
    match (&ours.kind, theirs) {
        (JsonKind::Null, Value::Null) => true,
        (JsonKind::Bool(a), Value::Bool(b)) => a == b,
        (JsonKind::Number(a), Value::Number(b)) => b.as_f64().is_some_and(|b| close(*a, b)),
        (JsonKind::String(a), Value::String(b)) => **a == **b,
        (JsonKind::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (JsonKind::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|m| b.get(&*m.key).is_some_and(|v| same(&m.value, v)))
        }
        _ => false,
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-14 * a.abs().max(b.abs()) || (a - b).abs() < 1e-300
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Numbers equal exactly: printed shortest round-trip, they must come back
/// as the very same f64.
fn exact_numbers(ours: &JsonValue, theirs: &Value) -> bool {
    match (&ours.kind, theirs) {
        (JsonKind::Number(a), Value::Number(b)) => b.as_f64() == Some(*a),
        (JsonKind::Array(a), Value::Array(b)) => a.iter().zip(b).all(|(x, y)| exact_numbers(x, y)),
        (JsonKind::Object(a), Value::Object(b)) => a
            .iter()
            .zip(b)
            .all(|(m, (_, v))| exact_numbers(&m.value, v)),
        _ => true,
    }
}

fn piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just(" "),
        Just("\n"),
        Just("\"a\""),
        Just("\"b\""),
        Just("\"\\u00e9\\n\""),
        Just("\"\\ud83d\\ude00\""),
        Just("\"\\ud800\""),
        Just("\"\\x\""),
        Just("\""),
        Just("\\"),
        Just("1"),
        Just("-0.5e3"),
        Just("01"),
        Just("1e999"),
        Just("true"),
        Just("null"),
        Just("nul"),
        Just("'s'"),
        Just("//c\n"),
        Just("/*"),
        Just("*/"),
        Just("\u{0}"),
        Just("\t"),
        Just("é"),
        Just("\u{feff}"),
        Just("\u{a0}"),
    ]
}

/// Text built from JSON-ish pieces: mostly invalid, in every way.
fn jsonish() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|p| p.concat())
}

/// Printed JSON with at most one piece inserted or one character removed:
/// mostly valid, or invalid in one place.
fn near_json() -> impl Strategy<Value = String> {
    (json_value(), any::<prop::sample::Index>(), piece(), 0..3u8).prop_map(
        |(value, at, piece, mode)| {
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            if boundaries.is_empty() {
                return text;
            }
            let i = boundaries[at.index(boundaries.len())];
            match mode {
                0 => {}
                1 => text.insert_str(i, piece),
                _ => {
                    text.remove(i);
                }
            }
            text
        },
    )
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![jsonish(), near_json()]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let (text, error) = parse_bytes(&bytes);
        if let Some(error) = error {
            prop_assert!((error.span().end as usize) <= bytes.len());
        }
        let parsed = parse(&text, &ParseOptions::default());
        check_invariants(&text, &parsed)?;
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        let parsed = parse(&text, &ParseOptions::default());
        check_invariants(&text, &parsed)?;
    }

    #[test]
    fn jsonish_text_never_panics_and_spans_hold(text in any_text()) {
        let parsed = parse(&text, &ParseOptions { max_diagnostics: 5, ..ParseOptions::default() });
        check_invariants(&text, &parsed)?;
    }

    /// We accept exactly what serde_json accepts, except that we also reject
    /// duplicate keys and only warn about a leading BOM.
    #[test]
    fn accepts_what_serde_json_accepts(text in any_text()) {
        let ours = parse(&text, &ParseOptions::default());
        let theirs = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}'));
        match (&ours.value, &theirs) {
            (Some(value), Ok(reference)) => prop_assert!(same(value, reference)),
            (None, Ok(_)) => prop_assert!(
                ours.diagnostics.iter().filter(|d| d.is_error()).all(|d| d.code == "json::duplicate-key"),
                "{:?}", ours.diagnostics
            ),
            (Some(_), Err(e)) => prop_assert!(false, "we accepted, serde_json: {e}"),
            (None, Err(_)) => {}
        }
    }

    #[test]
    fn printed_values_parse_to_an_equal_tree(value in json_value()) {
        for text in [serde_json::to_string(&value)?, serde_json::to_string_pretty(&value)?] {
            let parsed = parse(&text, &ParseOptions::default());
            prop_assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            let ours = parsed.value.unwrap();
            prop_assert!(same(&ours, &value), "{text}");
            prop_assert!(exact_numbers(&ours, &value), "{text}");
            check_node(&text, &ours)?;
        }
    }
}
