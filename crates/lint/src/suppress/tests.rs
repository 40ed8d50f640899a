#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::HashSet;

use keyward_policy::{Source, Span};

use super::*;
use crate::{lint_file, FileLint, LintOptions};

const YAML: &str = "\
Resources:
  PublicKey:
    Type: AWS::KMS::Key
    Metadata:
      keyward:
        suppress:
          - code: KW201
            reason: decrypt-only for the CDN's edge role, which has no fixed ARN
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Anyone
            Effect: Allow
            Principal: '*'
            Action: kms:Decrypt
            Resource: '*'
  OtherKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: Anyone
            Effect: Allow
            Principal: '*'
            Action: kms:Decrypt
            Resource: '*'
";

fn lint(name: &str, text: &str, options: &LintOptions) -> FileLint {
    lint_file(&Source::new(name, text), options)
}

/// The codes found of the two kinds these tests are about: KW201 (the
/// rule suppressed) and the suppressions' own (the keys here also lack an
/// administrator, KW202, which no test suppresses).
fn codes(linted: &FileLint) -> Vec<&'static str> {
    linted
        .diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|code| *code == "KW201" || code.starts_with("suppression::"))
        .collect()
}

fn line_of(text: &str, span: Span) -> usize {
    text[..span.start as usize].lines().count()
}

#[test]
fn a_metadata_suppression_covers_its_own_resource_only() {
    let linted = lint("t.yaml", YAML, &LintOptions::default());
    // The other key's finding stays; this key's is suppressed, with its reason.
    assert_eq!(codes(&linted), ["KW201"]);
    let kept = linted
        .diagnostics
        .iter()
        .find(|d| d.code == "KW201")
        .unwrap();
    assert!(line_of(YAML, kept.span()) > 19);
    assert_eq!(linted.suppressed.len(), 1);
    let s = &linted.suppressed[0];
    assert_eq!(s.diagnostic.code, "KW201");
    assert!(line_of(YAML, s.diagnostic.span()) < 19);
    assert!(s.reason.starts_with("decrypt-only"));
}

#[test]
fn without_a_reason_the_finding_stays_and_the_suppression_is_a_finding() {
    let text = YAML.replace(
        "            reason: decrypt-only for the CDN's edge role, which has no fixed ARN\n",
        "",
    );
    let linted = lint("t.yaml", &text, &LintOptions::default());
    let mut found = codes(&linted);
    found.sort_unstable();
    assert_eq!(found, ["KW201", "KW201", "suppression::missing-reason"]);
    assert!(linted.suppressed.is_empty());
    let missing = linted
        .diagnostics
        .iter()
        .find(|d| d.code == "suppression::missing-reason")
        .unwrap();
    assert_eq!(line_of(&text, missing.span()), 7);
    assert_eq!(
        missing.pointer.as_deref(),
        Some("/Resources/PublicKey/Metadata/keyward/suppress/0")
    );
}

#[test]
fn a_suppression_that_covers_nothing_is_reported_at_info_level() {
    let text = YAML.replace("code: KW201", "code: KW305");
    let linted = lint("t.yaml", &text, &LintOptions::default());
    let unused: Vec<_> = linted
        .diagnostics
        .iter()
        .filter(|d| d.code == "suppression::unused")
        .collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0].severity, keyward_policy::Severity::Info);
    assert!(unused[0].message.contains("resource `PublicKey`"));
}

#[test]
fn a_rule_turned_off_by_the_config_leaves_its_suppression_unused() {
    let options = LintOptions {
        levels: {
            let mut levels = crate::config::Levels::default();
            let setting = crate::config::RuleSetting::parse("KW201", "off").unwrap();
            levels.apply(&[setting]);
            levels
        },
        ..LintOptions::default()
    };
    let linted = lint("t.yaml", YAML, &options);
    assert_eq!(codes(&linted), ["suppression::unused"]);
}

#[test]
fn suppressions_in_json_templates_and_string_policies() {
    let text = r#"{"Resources": {"Key": {"Type": "AWS::KMS::Key",
      "Metadata": {"keyward": {"suppress": [{"code": "KW201", "reason": "shared key"}]}},
      "Properties": {"KeyPolicy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}"}}}}"#;
    let linted = lint("t.json", text, &LintOptions::default());
    assert_eq!(codes(&linted), Vec::<&str>::new());
    assert_eq!(linted.suppressed.len(), 1);
}

fn sid_options(sid: &str, rule: &'static str, reason: Option<&str>) -> LintOptions {
    LintOptions {
        suppressions: vec![SidSuppression {
            sid: sid.to_string(),
            rule,
            reason: reason.map(str::to_string),
            at: Span::new(10, 20),
        }],
        ..LintOptions::default()
    }
}

const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
]}"#;

#[test]
fn a_sid_suppression_covers_the_statements_with_that_sid() {
    let plain = lint("p.json", POLICY, &LintOptions::default());
    assert_eq!(codes(&plain), ["KW201"]);

    let linted = lint(
        "p.json",
        POLICY,
        &sid_options("Anyone", "KW201", Some("public by design")),
    );
    assert_eq!(codes(&linted), Vec::<&str>::new());
    assert_eq!(linted.suppressed[0].reason, "public by design");
    assert_eq!(linted.used_suppressions, HashSet::from([Span::new(10, 20)]));

    // Another Sid, another rule, or the same Sid in another case: nothing covered.
    for options in [
        sid_options("Admins", "KW201", Some("r")),
        sid_options("Anyone", "KW305", Some("r")),
        sid_options("anyone", "KW201", Some("r")),
    ] {
        let linted = lint("p.json", POLICY, &options);
        assert_eq!(codes(&linted), ["KW201"]);
        assert!(linted.used_suppressions.is_empty());
    }
}

#[test]
fn a_sid_suppression_without_a_reason_matches_but_suppresses_nothing() {
    let linted = lint("p.json", POLICY, &sid_options("Anyone", "KW201", None));
    assert_eq!(codes(&linted), ["KW201"]);
    assert!(linted.suppressed.is_empty());
    // It matched: the configuration's report says "no reason", not "unused".
    assert_eq!(linted.used_suppressions.len(), 1);
}

#[test]
fn a_sid_suppression_works_inside_templates() {
    let options = sid_options("Anyone", "wildcard-principal-without-condition", None);
    let options = LintOptions {
        suppressions: vec![SidSuppression {
            rule: "KW201",
            reason: Some("both keys are public".into()),
            ..options.suppressions[0].clone()
        }],
        ..options
    };
    let linted = lint("t.yaml", YAML, &options);
    assert_eq!(codes(&linted), ["suppression::unused"]);
    assert_eq!(linted.suppressed.len(), 2);
}

#[test]
fn the_configuration_reports_missing_reasons_and_unused_entries() {
    let with_reason = |at: u32| SidSuppression {
        sid: "S".into(),
        rule: "KW201",
        reason: Some("r".into()),
        at: Span::new(at as usize, at as usize + 5),
    };
    let without = SidSuppression {
        reason: None,
        ..with_reason(30)
    };
    let all = [with_reason(10), with_reason(20), without.clone()];
    let applied = HashSet::from([Span::new(10, 15), Span::new(30, 35)]);
    let used = HashSet::from([Span::new(30, 35)]);
    let found = config_findings(&all, &applied, &used);
    let codes: Vec<_> = found.iter().map(|d| (d.code, d.span().start)).collect();
    // 10: applied, unused; 20: never applied (no file it covers was linted); 30: no reason.
    assert_eq!(
        codes,
        [
            ("suppression::unused", 10),
            ("suppression::missing-reason", 30)
        ]
    );
}

#[test]
fn suppressions_cannot_name_their_own_family() {
    assert!(named_rule("suppression").is_none());
    assert!(named_rule("invalid-suppression").is_none());
    assert_eq!(named_rule("kw201").map(|r| r.code()), Some("KW201"));
    assert_eq!(named_rule("json").map(|r| r.code()), Some("json"));
}
