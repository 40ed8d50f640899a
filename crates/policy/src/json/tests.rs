//! Unit tests: RFC 8259 conformance, spans, and the diagnostics.

use super::*;
use crate::diagnostic::Severity;
use crate::source::{LineCol, Source};
use crate::span::Span;

fn parse_default(text: &str) -> Parsed {
    parse(text, &ParseOptions::default())
}

/// The value of valid JSON; fails the test with the diagnostics otherwise.
fn ok(text: &str) -> JsonValue {
    let parsed = parse_default(text);
    assert!(
        parsed.diagnostics.is_empty(),
        "{text:?}: unexpected diagnostics {:#?}",
        parsed.diagnostics
    );
    parsed.value.unwrap()
}

/// The codes of the diagnostics, with the text under each primary span.
fn errors(text: &str) -> Vec<(&'static str, String)> {
    let parsed = parse_default(text);
    assert!(parsed.value.is_none(), "{text:?} should be rejected");
    parsed
        .diagnostics
        .iter()
        .map(|d| (d.code, text.get(d.span().range()).unwrap().to_string()))
        .collect()
}

fn codes(text: &str) -> Vec<&'static str> {
    errors(text).into_iter().map(|(c, _)| c).collect()
}

fn string_of(text: &str) -> String {
    ok(text).as_str().unwrap().to_string()
}

fn number_of(text: &str) -> f64 {
    match ok(text).kind {
        JsonKind::Number(n) => n,
        other => panic!("{text:?} is not a number: {other:?}"),
    }
}

// ---- RFC 8259 conformance: valid ----

#[test]
fn scalars_at_the_top_level() {
    assert_eq!(ok("null").kind, JsonKind::Null);
    assert_eq!(ok("true").kind, JsonKind::Bool(true));
    assert_eq!(ok(" false ").kind, JsonKind::Bool(false));
    assert_eq!(string_of(r#""abc""#), "abc");
    assert_eq!(number_of("42"), 42.0);
}

#[test]
fn numbers_follow_the_rfc_grammar() {
    for (text, value) in [
        ("0", 0.0),
        ("-0", -0.0),
        ("1", 1.0),
        ("-12", -12.0),
        ("0.5", 0.5),
        ("-0.25", -0.25),
        ("1e3", 1000.0),
        ("1E+3", 1000.0),
        ("2.5e-3", 0.0025),
        ("123456789012345", 123_456_789_012_345.0),
        ("12345678901234567890", 12_345_678_901_234_567_890.0),
        ("1e-999999", 0.0),
        ("1.7976931348623157e308", f64::MAX),
    ] {
        assert_eq!(number_of(text), value, "{text}");
    }
    assert!(number_of("-0").is_sign_negative());
}

#[test]
fn all_escapes_are_decoded() {
    assert_eq!(
        string_of(r#""\" \\ \/ \b \f \n \r \t""#),
        "\" \\ / \u{8} \u{c} \n \r \t"
    );
    assert_eq!(string_of(r#""\u0041\u00e9\u20AC""#), "Aé€");
    assert_eq!(string_of(r#""\u0000""#), "\u{0}");
    assert_eq!(string_of(r#""a\u0000b\n""#), "a\u{0}b\n");
}

#[test]
fn surrogate_pairs_combine() {
    assert_eq!(string_of(r#""\ud83d\ude00""#), "😀");
    assert_eq!(string_of(r#""x\uD834\uDD1Ey""#), "x𝄞y");
}

#[test]
fn unicode_passes_through() {
    assert_eq!(string_of("\"héllo 😀 \u{7f}\""), "héllo 😀 \u{7f}");
}

#[test]
fn containers_keep_source_order() {
    let v = ok(r#"{"b": [1, "x", null], "a": {}, "c": []}"#);
    let keys: Vec<&str> = v.as_object().unwrap().iter().map(|m| &*m.key).collect();
    assert_eq!(keys, ["b", "a", "c"]);
    assert_eq!(v.get("b").unwrap().as_array().unwrap().len(), 3);
    assert_eq!(v.get("a").unwrap().as_object().unwrap().len(), 0);
}

#[test]
fn all_four_whitespace_bytes_are_accepted() {
    ok(" \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ 1 , 2 ] \t\r\n} \t\r\n");
}

// ---- RFC 8259 conformance: invalid ----

#[test]
fn malformed_numbers_are_rejected_whole() {
    for text in [
        "01",
        "1.",
        ".5",
        "+1",
        "-",
        "1e",
        "1e+",
        "0x1F",
        "1.5.6",
        "-Infinity",
        "00",
        "-01",
    ] {
        assert_eq!(
            errors(text),
            [("json::invalid-number", text.to_string())],
            "{text}"
        );
    }
}

#[test]
fn nan_and_other_words_are_not_values() {
    for text in ["NaN", "Infinity", "True", "None", "undefined", "nul"] {
        assert_eq!(errors(text), [("json::invalid-literal", text.to_string())]);
    }
}

#[test]
fn numbers_beyond_f64_are_out_of_range() {
    assert_eq!(
        errors("[1e999999]"),
        [("json::number-out-of-range", "1e999999".to_string())]
    );
    assert_eq!(codes("-1e309"), ["json::number-out-of-range"]);
}

#[test]
fn lone_surrogates_are_errors_with_their_span() {
    assert_eq!(
        errors(r#""\ud800""#),
        [("json::lone-surrogate", r"\ud800".to_string())]
    );
    assert_eq!(
        errors(r#""a\udc00b""#),
        [("json::lone-surrogate", r"\udc00".to_string())]
    );
    // A high surrogate followed by something that is not a low one.
    assert_eq!(
        errors(r#""\ud800\u0041""#),
        [("json::lone-surrogate", r"\ud800".to_string())]
    );
    assert_eq!(
        errors(r#""\uD800\uD800\uDC00""#),
        [("json::lone-surrogate", r"\uD800".to_string())]
    );
}

#[test]
fn invalid_escapes_are_reported_and_the_string_goes_on() {
    assert_eq!(
        errors(r#"["\x", "\u12", "\U0041", "ok\q"]"#),
        [
            ("json::invalid-escape", r"\x".to_string()),
            ("json::invalid-escape", r"\u12".to_string()),
            ("json::invalid-escape", r"\U".to_string()),
            ("json::invalid-escape", r"\q".to_string()),
        ]
    );
}

#[test]
fn raw_control_characters_in_strings_are_errors() {
    assert_eq!(
        errors("[\"a\tb\", \"c\u{0}d\", \"\u{1f}\"]"),
        [
            ("json::control-character", "\t".to_string()),
            ("json::control-character", "\u{0}".to_string()),
            ("json::control-character", "\u{1f}".to_string()),
        ]
    );
}

#[test]
fn a_line_break_ends_an_unclosed_string() {
    let found = errors("{\"a\": \"abc\n, \"b\": 1}");
    assert_eq!(found[0], ("json::unterminated-string", "\"abc".to_string()));
    assert_eq!(codes("\"abc"), ["json::unterminated-string"]);
}

#[test]
fn only_four_whitespace_characters() {
    assert_eq!(
        errors("[1,\u{a0}2]"),
        [("json::unexpected-character", "\u{a0}".to_string())]
    );
    assert_eq!(
        errors("[1,\u{c}2]"),
        [("json::unexpected-character", "\u{c}".to_string())]
    );
}

#[test]
fn nul_outside_strings_is_an_unexpected_character() {
    assert_eq!(
        errors("{\u{0}}"),
        [("json::unexpected-character", "\u{0}".to_string())]
    );
    assert_eq!(
        errors("[1,\u{0}\u{0} 2]"),
        [
            ("json::unexpected-character", "\u{0}".to_string()),
            ("json::unexpected-character", "\u{0}".to_string())
        ]
    );
}

#[test]
fn exactly_one_top_level_value() {
    assert_eq!(codes(""), ["json::unexpected-eof"]);
    assert_eq!(codes("   "), ["json::unexpected-eof"]);
    assert_eq!(
        errors("{} {}"),
        [("json::trailing-characters", "{".to_string())]
    );
    assert_eq!(
        errors("1 2"),
        [("json::trailing-characters", "2".to_string())]
    );
    assert_eq!(
        errors("[] ]"),
        [("json::trailing-characters", "]".to_string())]
    );
}

#[test]
fn single_quotes_comments_and_unquoted_keys_are_named() {
    assert_eq!(
        errors("{'a': 1}"),
        [("json::single-quoted-string", "'a'".to_string())]
    );
    assert_eq!(
        errors("{\"a\": 1 // note\n}"),
        [("json::comment", "// note".to_string())]
    );
    assert_eq!(
        errors("/* c */ {\"a\": /* d */ 1}"),
        [
            ("json::comment", "/* c */".to_string()),
            ("json::comment", "/* d */".to_string())
        ]
    );
    assert_eq!(codes("{} /* open"), ["json::comment"]);
    assert_eq!(
        errors("{Version: 1}"),
        [("json::unquoted-key", "Version".to_string())]
    );
}

#[test]
fn comments_have_help() {
    let parsed = parse_default("// x\n{}");
    assert!(parsed.diagnostics[0].help.is_some());
}

// ---- structure errors and recovery ----

#[test]
fn trailing_commas_have_their_own_code() {
    for text in ["[1,]", "{\"a\": 1,}", "[1, [2,], 3]"] {
        let d = &parse_default(text).diagnostics;
        assert_eq!(d.len(), 1, "{text}: {d:#?}");
        assert_eq!(d[0].code, "json::trailing-comma");
        assert_eq!(d[0].help.as_deref(), Some("remove the comma"));
        // The related label marks the comma.
        assert_eq!(&text[d[0].labels[1].span.range()], ",");
    }
}

#[test]
fn a_missing_comma_is_reported_once_and_parsing_goes_on() {
    assert_eq!(
        errors("{\"a\": 1 \"b\": 2, \"c\": [1 2]}"),
        [
            ("json::missing-comma", "\"b\"".to_string()),
            ("json::missing-comma", "2".to_string())
        ]
    );
}

#[test]
fn every_error_is_reported_in_one_pass() {
    let text = r#"{
        "a": NaN,
        "b": 01,
        "c": "\x",
        "d": [1,],
        "e": {"f": 1,},
        "a": true
    }"#;
    assert_eq!(
        codes(text),
        [
            "json::invalid-literal",
            "json::invalid-number",
            "json::invalid-escape",
            "json::trailing-comma",
            "json::trailing-comma",
            "json::duplicate-key",
        ]
    );
}

#[test]
fn recovery_skips_to_the_next_member() {
    // The garbage after `"a":` is skipped to the comma; "b" is still read.
    let found = codes(r#"{"a": : [1, {"x": 2}], "b": 1, "b": 2}"#);
    assert_eq!(found, ["json::unexpected-token", "json::duplicate-key"]);
}

#[test]
fn missing_colon_is_reported_and_the_value_still_read() {
    assert_eq!(
        errors(r#"{"a" 1, "a": 2}"#),
        [
            ("json::unexpected-token", "1".to_string()),
            ("json::duplicate-key", "\"a\"".to_string())
        ]
    );
}

#[test]
fn mismatched_brackets_close_the_enclosing_container() {
    assert_eq!(
        errors(r#"{"a": [1, 2}"#),
        [("json::unexpected-token", "}".to_string())]
    );
    // A closer that matches nothing open is reported and skipped.
    assert_eq!(
        errors("[1, 2}]"),
        [("json::unexpected-token", "}".to_string())]
    );
}

#[test]
fn unexpected_eof_names_the_unclosed_bracket() {
    let text = "{\"a\": [1, 2";
    let d = &parse_default(text).diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "json::unexpected-eof");
    assert_eq!(d[0].message, "expected `,` or `]`, found end of input");
    assert_eq!(d[0].span(), Span::point(text.len()));
    assert_eq!(&text[d[0].labels[1].span.range()], "[");
}

#[test]
fn duplicate_keys_point_at_both() {
    let text = r#"{"Effect": "Deny", "Effect": "Allow"}"#;
    let d = &parse_default(text).diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "json::duplicate-key");
    assert_eq!(
        d[0].message,
        "the key `Effect` appears twice in this object"
    );
    assert_eq!(d[0].span(), Span::new(19, 27));
    assert_eq!(d[0].labels[1].span, Span::new(1, 9));
}

#[test]
fn duplicates_are_found_in_large_objects_and_after_escapes() {
    let mut text = String::from("{");
    for i in 0..40 {
        text.push_str(&format!("\"k{i}\": {i},"));
    }
    text.push_str(r#""k\u0031": 0}"#);
    let d = &parse_default(&text).diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "json::duplicate-key");
    assert_eq!(&text[d[0].labels[1].span.range()], "\"k1\"");
}

#[test]
fn same_key_in_different_objects_is_fine() {
    ok(r#"[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]"#);
}

#[test]
fn errors_are_capped() {
    let text = format!("[{}]", vec!["x"; 50].join(","));
    let options = ParseOptions {
        max_diagnostics: 10,
        ..ParseOptions::default()
    };
    let d = parse(&text, &options).diagnostics;
    assert_eq!(d.len(), 11);
    assert_eq!(d[10].code, "json::too-many-errors");
}

// ---- limits ----

#[test]
fn depth_is_limited_at_the_offending_bracket() {
    let options = ParseOptions {
        max_depth: 3,
        ..ParseOptions::default()
    };
    assert!(parse("[[[1]]]", &options).value.is_some());
    let parsed = parse("[[[[1]]], 2, {]", &options);
    assert!(parsed.value.is_none());
    assert_eq!(parsed.diagnostics[0].code, "json::too-deep");
    assert_eq!(parsed.diagnostics[0].span(), Span::new(3, 4));
}

#[test]
fn a_huge_configured_depth_is_capped() {
    let depth = MAX_DEPTH_CAP + 1;
    let text = "[".repeat(depth) + &"]".repeat(depth);
    let options = ParseOptions {
        max_depth: usize::MAX,
        ..ParseOptions::default()
    };
    let parsed = parse(&text, &options);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "json::too-deep");
    assert_eq!(parsed.diagnostics[0].span().start as usize, MAX_DEPTH_CAP);
}

#[test]
fn size_is_limited_before_reading() {
    let options = ParseOptions {
        max_size: 4,
        ..ParseOptions::default()
    };
    let d = parse("[1, 2]", &options).diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "json::too-large");
}

#[test]
fn a_bom_is_a_warning_and_parsing_goes_on() {
    let parsed = parse_default("\u{feff}{\"a\": 1}");
    let value = parsed.value.unwrap();
    assert_eq!(value.span, Span::new(3, 11));
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "json::bom");
    assert_eq!(parsed.diagnostics[0].severity, Severity::Warning);
    assert_eq!(parsed.diagnostics[0].span(), Span::new(0, 3));
}

#[test]
fn invalid_utf8_is_reported_at_its_byte() {
    let (text, error) = parse_bytes(b"{\"a\": \"x\xc3\x28\"}");
    let error = error.unwrap();
    assert_eq!(error.code, "json::invalid-utf8");
    assert_eq!(error.span(), Span::new(8, 9));
    assert!(text.starts_with("{\"a\": \"x"));
    let (text, error) = parse_bytes(b"{}");
    assert_eq!((&*text, error), ("{}", None));
}

// ---- spans ----

/// Check that every node's span slices back to exactly its own text.
fn check_spans(text: &str, value: &JsonValue) {
    let slice = &text[value.span.range()];
    match &value.kind {
        JsonKind::Null => assert_eq!(slice, "null"),
        JsonKind::Bool(b) => assert_eq!(slice, b.to_string()),
        JsonKind::Number(n) => assert_eq!(slice.parse::<f64>().unwrap(), *n),
        JsonKind::String(_) => assert!(slice.starts_with('"') && slice.ends_with('"')),
        JsonKind::Array(items) => {
            assert!(slice.starts_with('[') && slice.ends_with(']'));
            items.iter().for_each(|v| check_spans(text, v));
        }
        JsonKind::Object(members) => {
            assert!(slice.starts_with('{') && slice.ends_with('}'));
            for m in members {
                let key = &text[m.key_span.range()];
                assert!(key.starts_with('"') && key.ends_with('"'));
                check_spans(text, &m.value);
            }
        }
    }
}

#[test]
fn spans_slice_back_to_the_source() {
    let text = "  {\"a\" : [ 1.5e2 , \"x\\ny\" , true , null ] ,\n \"b\":{\"c\":-0}}  ";
    let v = ok(text);
    check_spans(text, &v);
    let a = v.get("a").unwrap().as_array().unwrap();
    assert_eq!(&text[a[0].span.range()], "1.5e2");
    assert_eq!(&text[a[1].span.range()], "\"x\\ny\"");
    let members = v.as_object().unwrap();
    assert_eq!(&text[members[1].key_span.range()], "\"b\"");
    assert_eq!(&text[members[1].value.span.range()], "{\"c\":-0}");
}

#[test]
fn error_places_match_line_and_column() {
    let text = "{\n  \"a\": 1\n  \"b\": 2\n}";
    let d = &parse_default(text).diagnostics;
    let src = Source::new("t", text);
    assert_eq!(d[0].message, "expected `,` or `}`, found `\"b\"`");
    assert_eq!(src.start_of(d[0].span()), LineCol { line: 3, column: 3 });
}

#[test]
fn a_stray_comma_after_an_opener_is_one_error() {
    assert_eq!(errors("{,}"), [("json::unexpected-token", ",".to_string())]);
    assert_eq!(
        errors("[,1]"),
        [("json::unexpected-token", ",".to_string())]
    );
    assert_eq!(
        errors("[1,,]"),
        [
            ("json::unexpected-token", ",".to_string()),
            ("json::trailing-comma", "]".to_string())
        ]
    );
}
