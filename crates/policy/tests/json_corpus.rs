//! The parser against the shared corpus: real key policies (two of them
//! published broken) and the 1,594 AWS managed policies.
//!
//! The corpus lives in `shared/` beside the repository (or `$KEYWARD_SHARED`);
//! when it is absent these tests print "skipped: …" and pass.

use std::path::PathBuf;

use keyward_policy::json::{parse, JsonKind, JsonValue, ParseOptions};
use keyward_policy::{LineCol, Source};

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: shared corpus not found at {}", dir.display());
        None
    }
}

fn read(relative: &str) -> Option<String> {
    let path = shared()?.join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            println!("skipped: {} not found", path.display());
            None
        }
    }
}

/// Line and column of each error, with its code.
fn error_places(text: &str) -> Vec<(&'static str, LineCol)> {
    let parsed = parse(text, &ParseOptions::default());
    assert!(parsed.value.is_none());
    let source = Source::new("t", text);
    parsed
        .diagnostics
        .iter()
        .map(|d| (d.code, source.start_of(d.span())))
        .collect()
}

#[test]
fn published_policy_missing_a_comma() {
    let Some(text) =
        read("corpus/keypolicies/003-invalid-doc-conditions-kms-kms-replicaregion.json")
    else {
        return;
    };
    // Python's json module: "Expecting ',' delimiter: line 7 column 3".
    assert_eq!(
        error_places(&text),
        [("json::missing-comma", LineCol { line: 7, column: 3 })]
    );
    let parsed = parse(&text, &ParseOptions::default());
    assert!(parsed.diagnostics[0]
        .message
        .starts_with("expected `,` or `}`"));
}

#[test]
fn published_policy_with_a_trailing_comma() {
    let Some(text) =
        read("corpus/keypolicies/011-invalid-doc-kms-vpc-endpoint-using-a-vpc-endpoint-.json")
    else {
        return;
    };
    // Python's json module: "Expecting property name …: line 43 column 9".
    assert_eq!(
        error_places(&text),
        [(
            "json::trailing-comma",
            LineCol {
                line: 43,
                column: 9
            }
        )]
    );
}

#[test]
fn every_other_key_policy_parses() {
    let Some(dir) = shared().map(|d| d.join("corpus/keypolicies")) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} not found", dir.display());
        return;
    };
    let mut count = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name.contains("-invalid-") || name == "INDEX.json" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = parse(&text, &ParseOptions::default());
        assert!(
            parsed.diagnostics.is_empty(),
            "{name}: {:#?}",
            parsed.diagnostics
        );
        assert!(matches!(parsed.value.unwrap().kind, JsonKind::Object(_)));
        count += 1;
    }
    assert!(count > 20, "only {count} key policies found");
}

fn count_statements(policy: &JsonValue) -> usize {
    match policy.get("Statement").map(|s| &s.kind) {
        Some(JsonKind::Array(items)) => items.len(),
        Some(JsonKind::Object(_)) => 1,
        _ => 0,
    }
}

#[test]
fn all_managed_policies_parse_and_agree_with_serde_json() {
    let Some(text) = read("corpus/aws-managed-policies.json") else {
        return;
    };
    let parsed = parse(&text, &ParseOptions::default());
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let ours = parsed.value.unwrap();
    let policies = ours.as_object().unwrap();
    assert_eq!(policies.len(), 1594);

    let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
    let theirs = theirs.as_object().unwrap();
    for member in policies {
        let reference = &theirs[&*member.key];
        assert_eq!(
            count_statements(&member.value),
            reference["Statement"].as_array().map_or(1, Vec::len),
            "{}",
            member.key
        );
        // The text under each policy's span is that policy.
        let slice = &text[member.value.span.range()];
        let reparsed: serde_json::Value = serde_json::from_str(slice).unwrap();
        assert_eq!(&reparsed, reference, "{}", member.key);
    }
}
