#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use keyward_policy::{Diagnostic, Source, Span};

use super::*;
use crate::report::FileReport;
use crate::{lint_source, LintOptions};

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
  ]
}"#;

fn report(files: &[(&str, &str)]) -> Report {
    Report {
        files: files
            .iter()
            .map(|(name, text)| {
                let source = Source::new(*name, *text);
                let diagnostics = lint_source(&source, &LintOptions::default());
                FileReport {
                    source,
                    diagnostics,
                }
            })
            .collect(),
        ..Report::default()
    }
}

fn remaining(report: &Report) -> Vec<&'static str> {
    report.findings().map(|(_, d)| d.code).collect()
}

#[test]
fn the_hash_is_fnv1a_64_without_whitespace() {
    assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(" a\n\t"), fnv1a("a"));
}

#[test]
fn a_baseline_of_a_run_covers_that_run() {
    let mut run = report(&[("p.json", POLICY)]);
    assert_eq!(remaining(&run), ["KW201"]);
    let baseline = Baseline::of(&run);
    assert_eq!(baseline.len(), 1);
    assert_eq!(baseline.filter(&mut run), 0);
    assert_eq!(remaining(&run), Vec::<&str>::new());
    assert_eq!(run.baselined, 1);
    assert_eq!(run.summary().baselined, 1);
}

#[test]
fn fingerprints_survive_line_shifts_reindentation_and_other_statements() {
    let baseline = Baseline::of(&report(&[("./p.json", POLICY)]));
    let shifted = format!("\n\n\n{}", POLICY.replace("\n    {", "\n\n        {"));
    let appended = POLICY.replace(
        "\"Resource\": \"*\"}\n  ]",
        "\"Resource\": \"*\"},\n    {\"Sid\": \"Ops\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/Ops\"}, \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}\n  ]",
    );
    for text in [shifted.as_str(), appended.as_str()] {
        let mut run = report(&[("p.json", text)]);
        assert_eq!(remaining(&run), ["KW201"]);
        assert_eq!(baseline.filter(&mut run), 0);
        assert_eq!(remaining(&run), Vec::<&str>::new(), "{text}");
    }
}

#[test]
fn a_changed_element_another_file_or_a_new_finding_is_reported() {
    let baseline = Baseline::of(&report(&[("p.json", POLICY)]));
    // The principal is written differently: the element changed.
    let changed = POLICY.replace(r#""Principal": "*""#, r#""Principal": {"AWS": "*"}"#);
    // A second statement with the same problem.
    let another = POLICY.replace(
        "\"Resource\": \"*\"}\n  ]",
        "\"Resource\": \"*\"},\n    {\"Sid\": \"More\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}\n  ]",
    );
    let mut runs = [
        report(&[("p.json", &changed)]),
        report(&[("q.json", POLICY)]),
        report(&[("p.json", &another)]),
    ];
    for run in &mut runs {
        baseline.filter(run);
    }
    assert_eq!(remaining(&runs[0]), ["KW201"]);
    assert_eq!(remaining(&runs[1]), ["KW201"]);
    assert_eq!(remaining(&runs[2]), ["KW201"]);
    assert_eq!(runs[2].baselined, 1);
}

#[test]
fn entries_that_match_nothing_are_counted() {
    let baseline = Baseline::of(&report(&[("p.json", POLICY)]));
    let fixed = POLICY.replace(
        r#""Principal": "*""#,
        r#""Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}"#,
    );
    let mut run = report(&[("p.json", &fixed)]);
    assert_eq!(baseline.filter(&mut run), 1);
}

#[test]
fn the_file_round_trips_sorted_with_messages_and_counts() {
    let run = report(&[("b.json", POLICY), ("a.json", POLICY), ("a.json", POLICY)]);
    let baseline = Baseline::of(&run);
    let text = baseline.to_json();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["keyward_baseline"], 1);
    let findings = value["findings"].as_array().unwrap();
    let files: Vec<&str> = findings
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a.json", "a.json", "b.json"]);
    assert_eq!(findings[0]["pointer"], "/Statement/1/Principal");
    assert!(findings[0]["message"].as_str().unwrap().contains("Anyone"));
    assert_eq!(Baseline::parse(&text).unwrap().counts, baseline.counts);
}

#[test]
fn malformed_baselines_are_refused_with_a_reason() {
    for (text, says) in [
        ("{", "EOF"),
        (r#"{"keyward_baseline": 2, "findings": []}"#, "version 1"),
        (
            r#"{"keyward_baseline": 1, "findings": [], "extra": 1}"#,
            "unknown field",
        ),
        (
            r#"{"keyward_baseline": 1, "findings": [{"file": "a"}]}"#,
            "missing field",
        ),
    ] {
        let error = Baseline::parse(text).unwrap_err();
        assert!(error.contains(says), "{text}: {error}");
    }
}

#[test]
fn unreadable_inputs_are_never_recorded() {
    let source = Source::new("gone.json", "");
    let d = Diagnostic::error("input::unreadable", "no such file", Span::point(0));
    assert_eq!(Fingerprint::of(&source, &d), None);
    let mut run = Report {
        files: vec![FileReport {
            source,
            diagnostics: vec![d],
        }],
        ..Report::default()
    };
    assert!(Baseline::of(&run).is_empty());
    Baseline::default().filter(&mut run);
    assert_eq!(remaining(&run), ["input::unreadable"]);
}
