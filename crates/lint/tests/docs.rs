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

/// The fenced blocks of `docs/lint.md` in `language`.
fn lint_md_blocks(language: &str) -> Vec<String> {
    let text = std::fs::read_to_string(docs_dir().join("lint.md")).unwrap();
    let fence = format!("```{language}\n");
    text.split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_configurations_and_the_baseline_of_lint_md_are_valid() {
    let blocks = lint_md_blocks("json");
    assert!(blocks.len() >= 3);
    for block in blocks {
        if block.contains("\"keyward_baseline\"") {
            let baseline = keyward_lint::baseline::Baseline::parse(&block).unwrap();
            assert_eq!(baseline.len(), 1);
        } else {
            keyward_lint::config::parse_config(&block)
                .unwrap_or_else(|e| panic!("{block}\n{e:#?}"));
        }
    }
}

#[cfg(feature = "terraform-hcl")]
#[test]
fn the_terraform_suppression_of_lint_md_covers_its_statement() {
    let blocks = lint_md_blocks("hcl");
    assert_eq!(blocks.len(), 1);
    let mut diagnostics = Vec::new();
    let found = keyward_lint::suppress::terraform::read(&blocks[0], &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule.code(), "KW201");
    assert!(found[0]
        .reason
        .as_deref()
        .unwrap()
        .starts_with("the CDN's edge functions"));
    assert!(blocks[0][found[0].scope.range()].starts_with("statement {"));
}
