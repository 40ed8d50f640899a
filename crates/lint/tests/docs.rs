//! The generated documentation in the repository is up to date with the
//! registry: `docs/rules/*.md` and `docs/config-schema.json`
//! (`KEYWARD_BLESS=1` regenerates them).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::path::PathBuf;

use common::snapshot::assert_file;
use keyward_lint::docs::{config_schema, index_page, rule_page};
use keyward_lint::registry;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

#[test]
fn rule_pages_are_generated_from_the_registry() {
    let dir = docs_dir().join("rules");
    for rule in registry::rules() {
        assert_file(&dir.join(format!("{}.md", rule.code())), &rule_page(rule));
    }
    assert_file(&dir.join("README.md"), &index_page());
    // No page for a rule that no longer exists.
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let code = name.trim_end_matches(".md");
        assert!(
            name == "README.md" || registry::rules().iter().any(|r| r.code() == code),
            "docs/rules/{name} has no rule"
        );
    }
}

#[test]
fn the_config_schema_is_generated_from_the_registry() {
    assert_file(&docs_dir().join("config-schema.json"), &config_schema());
}

#[test]
fn the_config_schema_names_every_rule_and_category() {
    let schema: serde_json::Value = serde_json::from_str(&config_schema()).unwrap();
    let names = schema["properties"]["rules"]["propertyNames"]["enum"]
        .as_array()
        .unwrap();
    for rule in registry::rules() {
        assert!(names.iter().any(|n| n == rule.code()));
        assert!(names.iter().any(|n| n == rule.meta().name));
    }
    assert!(names.iter().any(|n| n == "security"));
}

#[test]
fn the_documented_example_config_is_valid() {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/lint/keyward.example.json"),
    )
    .unwrap();
    keyward_lint::config::parse_config(&text).unwrap();
}
