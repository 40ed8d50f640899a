//! Every policy of the shared corpus is read: the two published with broken
//! JSON get diagnostics at the right place; every other one parses and lowers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use keyward_policy::{parse_policy, Source};
use keyward_tests::shared_dir;

#[test]
fn every_corpus_key_policy_parses_and_lowers_except_the_two_broken_ones() {
    let Some(shared) = shared_dir("corpus key policies") else {
        return;
    };
    let mut files: Vec<_> = ["corpus/keypolicies", "corpus/keypolicies/statements"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(shared.join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("INDEX.json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 88, "30 key policies and 58 statement examples");
    let mut broken = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match parse_policy(&text) {
            Ok(policy) => assert!(!policy.statements.is_empty(), "{name}"),
            Err(diagnostics) => {
                assert!(
                    name.contains("-invalid-"),
                    "{name} should parse: {diagnostics:#?}"
                );
                let source = Source::new(name.as_str(), text.as_str());
                let first = &diagnostics[0];
                let at = source.start_of(first.span());
                broken.push((name, first.code, at.line, at.column));
            }
        }
    }
    assert_eq!(broken.len(), 2, "{broken:?}");
    // Python's json module reports these same places for the two files.
    assert!(broken[0].0.starts_with("003-"));
    assert_eq!((broken[0].2, broken[0].3), (7, 3), "{broken:?}");
    assert!(broken[1].0.starts_with("011-"));
    assert_eq!(broken[1].1, "json::trailing-comma");
    assert_eq!((broken[1].2, broken[1].3), (43, 9), "{broken:?}");
}

#[test]
fn all_1594_aws_managed_policies_parse_and_lower() {
    let Some(shared) = shared_dir("AWS managed policies") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("corpus/aws-managed-policies.json")).unwrap();
    let all: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(all.len(), 1594);
    let mut failures = Vec::new();
    for (name, document) in &all {
        let policy_text = serde_json::to_string_pretty(document).unwrap();
        if let Err(diagnostics) = parse_policy(&policy_text) {
            failures.push(format!("{name}: {}", diagnostics[0].message));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
