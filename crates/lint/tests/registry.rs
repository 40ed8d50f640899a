//! Meta-tests: the registry is consistent and every rule's documented
//! examples behave as documented.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::HashSet;

use keyward_lint::docs::{examples, Example};
use keyward_lint::extract::InputFormat;
use keyward_lint::registry::{self, Rule};
use keyward_lint::{lint_source, LintOptions};
use keyward_policy::{Diagnostic, Source};

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for rule in registry::rules() {
        let meta = rule.meta();
        assert!(codes.insert(meta.code), "duplicate code {}", meta.code);
        assert!(names.insert(meta.name), "duplicate name {}", meta.name);
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} is not kebab-case",
            meta.name
        );
        if rule.is_family() {
            assert!(
                meta.code.chars().all(|c| c.is_ascii_lowercase()),
                "{}",
                meta.code
            );
        } else {
            assert!(
                meta.code.len() == 5 && meta.code.starts_with("KW"),
                "{}",
                meta.code
            );
            let digit = meta.code.as_bytes()[2];
            let expected = match meta.category {
                registry::Category::Correctness => b'1',
                registry::Category::Security => b'2',
                registry::Category::Suspicious => b'3',
                registry::Category::Style => b'4',
            };
            assert_eq!(
                digit, expected,
                "{}: the first digit gives the category",
                meta.code
            );
        }
    }
}

/// The files under `src/rules/` that serve the rules rather than hold one.
const SUPPORT_FILES: &[&str] = &[
    "action_index.rs",
    "cases.rs",
    "context.rs",
    "examples.rs",
    "helpers.rs",
    "key_context.rs",
    "spelling.rs",
];

#[test]
fn each_rule_has_its_own_file_named_after_it_with_its_own_cases() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut expected: HashSet<String> = SUPPORT_FILES.iter().map(|f| f.to_string()).collect();
    for rule in registry::rules() {
        let file = format!("{}.rs", rule.meta().name.replace('-', "_"));
        let text = std::fs::read_to_string(dir.join(&file))
            .unwrap_or_else(|e| panic!("{}: no src/rules/{file}: {e}", rule.code()));
        assert_eq!(
            text.matches("code: \"").count(),
            1,
            "src/rules/{file} must hold one rule"
        );
        assert!(
            text.contains(&format!("code: \"{}\"", rule.code())),
            "src/rules/{file} does not hold {}",
            rule.code()
        );
        assert!(
            text.contains("#[cfg(test)]\nmod tests {")
                && (text.contains("assert_cases") || text.contains("assert_key_cases")),
            "src/rules/{file} has no pass/fail cases of its own"
        );
        expected.insert(file);
    }
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        assert!(
            expected.contains(&name),
            "src/rules/{name} is neither a rule of the registry nor a support file"
        );
    }
}

#[test]
fn rules_are_in_code_order() {
    let codes: Vec<&str> = registry::rules()
        .iter()
        .filter(|r| !r.is_family())
        .map(|r| r.code())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted);
}

#[test]
fn every_rule_is_documented_in_the_house_outline() {
    for rule in registry::rules() {
        let meta = rule.meta();
        let summary = meta.summary;
        assert!(
            !summary.ends_with('.') && summary.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{}: summary style",
            meta.code
        );
        let mut at = 0;
        for heading in [
            "## What it does",
            "## Why it matters",
            "## Examples",
            "### Invalid",
            "### Valid",
        ] {
            let found = meta.docs[at..].find(heading);
            assert!(
                found.is_some(),
                "{}: `{heading}` missing or out of order",
                meta.code
            );
            at += found.unwrap_or(0);
        }
        let examples = examples(meta.docs);
        assert!(
            examples.iter().any(|e| !e.valid),
            "{}: no invalid example",
            meta.code
        );
        assert!(
            examples.iter().any(|e| e.valid),
            "{}: no valid example",
            meta.code
        );
    }
}

fn run(rule: &Rule, example: &Example) -> Vec<Diagnostic> {
    let mut text = example.code.clone();
    if let Some(size) = example
        .info
        .split_whitespace()
        .find_map(|w| w.strip_prefix("fill="))
    {
        let size: usize = size.parse().unwrap();
        text = text.replace("FILL", &"x".repeat(size));
    }
    let name = example.file_name().unwrap_or("example.json");
    let options = LintOptions {
        format: InputFormat::Auto,
        kind: example.kind(),
        ..LintOptions::default()
    };
    let source = Source::new(name, text);
    lint_source(&source, &options)
        .into_iter()
        .filter(|d| rule.owns(d.code))
        .collect()
}

#[test]
fn invalid_examples_yield_exactly_one_finding_and_valid_ones_none() {
    let mut failures = Vec::new();
    let complete = keyward_lint::catalog::catalog().knows_every_service();
    for rule in registry::rules() {
        // Without the `full-catalog` feature only KMS is known.
        if rule.code() == "KW301" && !complete {
            continue;
        }
        for (i, example) in examples(rule.meta().docs).iter().enumerate() {
            let found = run(rule, example);
            let expected = usize::from(!example.valid);
            if found.len() != expected {
                failures.push(format!(
                    "{} example {i} ({}): expected {expected} finding(s), got {}: {:?}",
                    rule.code(),
                    if example.valid { "valid" } else { "invalid" },
                    found.len(),
                    found.iter().map(|d| &d.message).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn findings_follow_the_message_style() {
    for rule in registry::rules() {
        for example in examples(rule.meta().docs).iter().filter(|e| !e.valid) {
            for d in run(rule, example) {
                assert!(!d.message.ends_with('.'), "{}: {}", d.code, d.message);
                assert!(
                    !d.message.starts_with(char::is_uppercase),
                    "{}: {}",
                    d.code,
                    d.message
                );
                assert!(d.help.is_some(), "{}: no help", d.code);
                assert!(!d.labels.is_empty(), "{}: no label", d.code);
            }
        }
    }
}
