//! Hostile inputs: each must be answered with a diagnostic (or a value) in
//! bounded time and memory, never a crash or a hang.

use keyward_policy::json::{parse, parse_bytes, JsonKind, ParseOptions, MAX_DEPTH_CAP};
use keyward_policy::{Severity, Span};

fn codes(text: &str, options: &ParseOptions) -> Vec<&'static str> {
    let parsed = parse(text, options);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        assert!(parsed.value.is_none());
    }
    parsed.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn a_million_nested_arrays() {
    let text = "[".repeat(1_000_000);
    let parsed = parse(&text, &ParseOptions::default());
    assert!(parsed.value.is_none());
    let first = &parsed.diagnostics[0];
    assert_eq!(first.code, "json::too-deep");
    assert_eq!(first.span(), Span::new(128, 129));
    assert!(parsed.diagnostics.len() <= 2, "{:#?}", parsed.diagnostics);
}

#[test]
fn a_million_nested_arrays_closed_and_a_huge_depth_limit() {
    let depth = 1_000_000;
    let text = "[".repeat(depth) + &"]".repeat(depth);
    let options = ParseOptions {
        max_depth: usize::MAX,
        ..ParseOptions::default()
    };
    // The configured depth is capped, so the tree stays shallow enough to
    // drop and print without overflowing the stack.
    let parsed = parse(&text, &options);
    assert_eq!(codes(&text, &options), ["json::too-deep"]);
    assert_eq!(parsed.diagnostics[0].span().start as usize, MAX_DEPTH_CAP);
}

#[test]
fn a_million_nested_objects() {
    let text = r#"{"a":"#.repeat(1_000_000);
    assert_eq!(codes(&text, &ParseOptions::default())[0], "json::too-deep");
}

#[test]
fn a_million_stray_closers() {
    let text = "]".repeat(1_000_000);
    assert_eq!(
        codes(&text, &ParseOptions::default()),
        ["json::unexpected-token"]
    );
}

#[test]
fn a_20_mb_string() {
    let text = format!("\"{}\"", "a".repeat(20_000_000));
    assert_eq!(codes(&text, &ParseOptions::default()), ["json::too-large"]);
    let raised = ParseOptions {
        max_size: 32 << 20,
        ..ParseOptions::default()
    };
    let parsed = parse(&text, &raised);
    assert!(parsed.diagnostics.is_empty());
    assert_eq!(
        parsed.value.unwrap().as_str().map(str::len),
        Some(20_000_000)
    );
}

#[test]
fn invalid_utf8_in_and_outside_strings() {
    for (bytes, at) in [
        (&b"{\"a\": \"\xff\"}"[..], 7),
        (&b"{\xc0\x80}"[..], 1),
        (&b"[\"\xed\xa0\x80\"]"[..], 2), // an encoded surrogate
        (&b"\"truncated \xe2\x82"[..], 11),
    ] {
        let (text, error) = parse_bytes(bytes);
        let error = error.unwrap();
        assert_eq!(error.code, "json::invalid-utf8");
        assert_eq!(error.span().start, at);
        // The lossy text still parses without panicking.
        let _ = parse(&text, &ParseOptions::default());
    }
}

#[test]
fn a_bom_is_skipped_with_a_warning() {
    let parsed = parse("\u{feff}[1]", &ParseOptions::default());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].severity, Severity::Warning);
    assert!(matches!(parsed.value.unwrap().kind, JsonKind::Array(_)));
    // A second one is not a BOM but a stray character.
    assert_eq!(
        codes("\u{feff}\u{feff}[1]", &ParseOptions::default()),
        ["json::bom", "json::unexpected-character"]
    );
}

#[test]
fn nul_bytes_inside_and_outside_strings() {
    assert_eq!(
        codes("\u{0}", &ParseOptions::default()),
        ["json::unexpected-character", "json::unexpected-eof"]
    );
    assert_eq!(
        codes("{\"a\u{0}\": \"\u{0}\"}\u{0}", &ParseOptions::default()),
        [
            "json::control-character",
            "json::control-character",
            "json::unexpected-character"
        ]
    );
    let many = "\u{0}".repeat(1_000_000);
    let found = codes(&many, &ParseOptions::default());
    assert_eq!(found.len(), 101);
    assert_eq!(found[100], "json::too-many-errors");
}

#[test]
fn a_number_beyond_f64() {
    assert_eq!(
        codes("1e999999", &ParseOptions::default()),
        ["json::number-out-of-range"]
    );
    let long = format!("[{}]", "9".repeat(1_000_000));
    assert_eq!(
        codes(&long, &ParseOptions::default()),
        ["json::number-out-of-range"]
    );
}

#[test]
fn lone_surrogates() {
    for text in [
        r#""\ud800""#,
        r#""\udfff""#,
        r#""\ud800\ud800""#,
        r#""\ud800x""#,
    ] {
        assert!(
            codes(text, &ParseOptions::default())
                .iter()
                .all(|c| *c == "json::lone-surrogate"),
            "{text}"
        );
    }
}

#[test]
fn a_hundred_thousand_duplicate_keys() {
    let mut text = String::from("{");
    for _ in 0..100_000 {
        text.push_str("\"a\":0,");
    }
    text.push_str("\"a\":0}");
    let found = codes(&text, &ParseOptions::default());
    assert_eq!(found.len(), 101);
    assert!(found[..100].iter().all(|c| *c == "json::duplicate-key"));

    // All of them, uncapped: still linear.
    let uncapped = ParseOptions {
        max_diagnostics: usize::MAX,
        ..ParseOptions::default()
    };
    assert_eq!(codes(&text, &uncapped).len(), 100_000);
}

#[test]
fn a_hundred_thousand_distinct_keys_then_a_duplicate() {
    let mut text = String::from("{");
    for i in 0..100_000 {
        text.push_str(&format!("\"k{i}\":{i},"));
    }
    text.push_str("\"k99999\":0}");
    let parsed = parse(&text, &ParseOptions::default());
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.code, "json::duplicate-key");
    assert_eq!(&text[d.labels[1].span.range()], "\"k99999\"");
}

#[test]
fn endless_garbage_is_capped() {
    let text = "x,".repeat(500_000);
    let options = ParseOptions::default();
    assert_eq!(
        codes(&text, &options),
        ["json::invalid-literal", "json::trailing-characters"]
    );
    let text = format!("[{}]", "x,".repeat(500_000));
    let found = codes(&text, &options);
    assert_eq!(found.len(), 101);
    assert_eq!(found[100], "json::too-many-errors");
}

#[test]
fn unclosed_comment_and_string_at_the_end() {
    assert_eq!(
        codes("[1, /* never closed", &ParseOptions::default()),
        ["json::comment", "json::unexpected-eof"]
    );
    assert_eq!(
        codes("[\"never closed", &ParseOptions::default()),
        ["json::unterminated-string", "json::unexpected-eof"]
    );
}

#[test]
fn the_deepest_allowed_tree_fits_a_one_mib_stack() {
    // 1 MiB is the default stack of a wasm32 module; the tree's derived
    // Clone, PartialEq, Debug and Drop recurse, hence the depth cap.
    let run = || {
        let text = "[".repeat(MAX_DEPTH_CAP) + &"]".repeat(MAX_DEPTH_CAP);
        let options = ParseOptions {
            max_depth: usize::MAX,
            ..ParseOptions::default()
        };
        let value = parse(&text, &options).value.unwrap();
        let copy = value.clone();
        assert_eq!(copy, value);
        assert!(format!("{value:?}").len() > MAX_DEPTH_CAP);
    };
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}
