//! What an open document is, from its name and its text as typed so far.
//!
//! An editor sends every JSON and YAML file; most are not ours (package.json,
//! tsconfig.json, CI workflows), and the server must stay silent on them.
//! The decision reads the root object's keys with the forgiving scanner, so
//! it holds while the text is broken mid-edit.

use keyward_lint::config::CONFIG_FILE_NAME;

use crate::cursor;

/// The kinds of document the server knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A policy, CloudFormation template or Terraform plan: linted.
    Lintable,
    /// A Terraform configuration file (`.tf`): linted with its module.
    Terraform,
    /// A scenario file: loaded and its expectations decided.
    Scenario,
    /// `.keyward.json`: checked as configuration.
    Config,
    /// Anything else: no diagnostics.
    Unrelated,
}

/// Top-level keys that only scenario files have.
const SCENARIO_KEYS: &[&str] = &["principals", "keys", "expect", "grants", "scps", "rcps"];

/// Top-level keys of policies, templates and plans.
const LINT_KEYS: &[&str] = &[
    "Statement",
    "AWSTemplateFormatVersion",
    "Resources",
    "format_version",
];

/// The kind of the document named `name` (a path or URI) holding `text`;
/// `previous` is what it was before this edit, kept when the text no longer
/// tells (e.g. everything selected and deleted).
pub fn classify(name: &str, text: &str, previous: Option<Kind>) -> Kind {
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if file_name == CONFIG_FILE_NAME {
        return Kind::Config;
    }
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".tf") {
        return Kind::Terraform;
    }
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    let keys = if yaml {
        yaml_top_level_keys(text)
    } else {
        cursor::top_level_keys(text)
    };
    let has = |names: &[&str]| keys.iter().any(|k| names.contains(&k.as_str()));
    if has(SCENARIO_KEYS) {
        Kind::Scenario
    } else if has(LINT_KEYS) || (yaml && looks_like_template(text)) {
        Kind::Lintable
    } else if keys.is_empty() {
        previous.unwrap_or(Kind::Unrelated)
    } else {
        Kind::Unrelated
    }
}

fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("AWS::")
}

/// Keys at the start of a line (no indentation) in YAML.
fn yaml_top_level_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.starts_with([' ', '\t', '#', '-']))
        .filter_map(|line| line.split_once(':'))
        .map(|(key, _)| key.trim().trim_matches(['"', '\'']).to_string())
        .filter(|key| !key.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_templates_plans_and_scenarios_are_recognised() {
        let policy = r#"{"Version": "2012-10-17", "Statement": []}"#;
        assert_eq!(classify("/p/key.json", policy, None), Kind::Lintable);
        let template = r#"{"Resources": {"K": {"Type": "AWS::KMS::Key"}}}"#;
        assert_eq!(classify("/p/stack.json", template, None), Kind::Lintable);
        let yaml =
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  K:\n    Type: AWS::KMS::Key\n";
        assert_eq!(classify("/p/stack.yaml", yaml, None), Kind::Lintable);
        let plan = r#"{"format_version": "1.2", "planned_values": {}}"#;
        assert_eq!(classify("/p/plan.json", plan, None), Kind::Lintable);
        let scenario = r#"{"principals": {}, "keys": {}, "expect": []}"#;
        assert_eq!(classify("/p/s.json", scenario, None), Kind::Scenario);
        assert_eq!(classify("/p/.keyward.json", "{", None), Kind::Config);
        assert_eq!(
            classify(
                "/p/infra/main.tf",
                "resource \"aws_kms_key\" \"k\" {}",
                None
            ),
            Kind::Terraform
        );
    }

    #[test]
    fn other_json_and_yaml_are_left_alone() {
        assert_eq!(
            classify("/p/package.json", r#"{"name": "x", "version": "1"}"#, None),
            Kind::Unrelated
        );
        assert_eq!(
            classify("/p/ci.yml", "on: push\njobs:\n  a: {}\n", None),
            Kind::Unrelated
        );
        // A tsconfig with a comment, still not ours.
        assert_eq!(
            classify("/p/tsconfig.json", "// c\n{\"compilerOptions\": {}}", None),
            Kind::Unrelated
        );
    }

    #[test]
    fn a_broken_scenario_stays_a_scenario() {
        let broken = r#"{"principals": {"a": {"arn": "#;
        assert_eq!(classify("/p/s.json", broken, None), Kind::Scenario);
        // With nothing left to tell, the previous kind holds.
        assert_eq!(
            classify("/p/s.json", "", Some(Kind::Scenario)),
            Kind::Scenario
        );
        assert_eq!(
            classify("/p/s.json", "{", Some(Kind::Lintable)),
            Kind::Lintable
        );
    }
}
