//! Every output format, snapshot-tested on one shared set of findings, and
//! the SARIF log checked against the structure of the 2.1.0 schema. The
//! shared findings include a YAML template and unknown actions, so these run
//! with the default features.
#![cfg(all(feature = "yaml", feature = "full-catalog"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::snapshot::assert_snapshot;
use common::{fixture, junit_check, sarif_check};
use keyward_lint::report::{
    reporter, FileReport, Format, RenderOptions, Report, SuppressedFinding,
};
use keyward_lint::{lint_file, LintOptions};

/// The shared findings: a key policy with several problems, invalid JSON,
/// a YAML template, a Terraform plan and a template with suppressions
/// (one without a reason, one unused), and two findings in the baseline.
fn report() -> Report {
    let files = [
        "policies/key-with-problems.json",
        "policies/not-json.json",
        "policies/console-default.json",
        "cloudformation/key-and-role.yaml",
        "terraform/plan.json",
        "cloudformation/suppressions.yaml",
    ];
    let mut report = Report {
        baselined: 2,
        ..Report::default()
    };
    for f in files {
        let source = fixture(f);
        let linted = lint_file(&source, &LintOptions::default());
        report
            .suppressed
            .extend(linted.suppressed.into_iter().map(|s| SuppressedFinding {
                source: source.clone(),
                diagnostic: s.diagnostic,
                reason: s.reason,
            }));
        report.files.push(FileReport {
            source,
            diagnostics: linted.diagnostics,
        });
    }
    report
}

fn render(format: Format) -> String {
    let mut out = String::new();
    reporter(
        format,
        RenderOptions {
            color: false,
            width: 100,
        },
    )
    .render(&report(), &mut out);
    out
}

#[cfg(feature = "human")]
#[test]
fn human_format() {
    assert_snapshot("report.human.txt", &render(Format::Human));
}

#[test]
fn json_format() {
    let text = render(Format::Json);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["summary"]["files"], 6);
    assert_eq!(value["summary"]["suppressed"], 1);
    assert_eq!(value["suppressed"][0]["code"], "KW201");
    assert!(value["suppressed"][0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("the CDN's edge functions"));
    assert_snapshot("report.json", &text);
}

#[test]
fn github_format() {
    let text = render(Format::Github);
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
    }
    assert_snapshot("report.github.txt", &text);
}

#[test]
fn junit_format() {
    let text = render(Format::Junit);
    let errors = junit_check::check(&text);
    assert!(errors.is_empty(), "{errors:#?}");
    // Errors fail, warnings and infos pass with their text, the suppressed finding is skipped.
    assert!(text.contains(r#"<testsuites name="keyward lint" tests="#));
    assert!(text.contains("<skipped message=\"suppressed: the CDN&apos;s edge functions"));
    assert!(text.contains(
        r#"<testcase name="no findings" classname="fixtures/lint/policies/console-default.json""#
    ));
    assert_snapshot("report.junit.xml", &text);
}

#[test]
fn the_junit_check_catches_mistakes() {
    let text = render(Format::Junit);
    let first_count = text.replacen(r#"tests="1""#, r#"tests="7""#, 1);
    let raw_ampersand = text.replacen("&quot;", "&\"", 1);
    let unclosed = text.replacen("</testcase>", "", 1);
    let stray = text.replacen("<system-out>", "<stdout>", 1);
    for broken in [first_count, raw_ampersand, unclosed, stray] {
        assert_ne!(broken, text);
        assert!(!junit_check::check(&broken).is_empty());
    }
}

#[test]
fn markdown_format() {
    let text = render(Format::Markdown);
    assert!(text.starts_with("### keyward lint: "));
    assert!(text.contains("(1 suppressed, 2 in the baseline)"));
    // Every table row has as many cells as its header.
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 5, "{line}");
    }
    assert_snapshot("report.md", &text);
}

#[test]
fn sarif_format() {
    let text = render(Format::Sarif);
    assert_snapshot("report.sarif.json", &text);
}

#[test]
fn sarif_matches_the_2_1_0_structure() {
    let value: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    let errors = sarif_check::check(&value);
    assert!(errors.is_empty(), "{errors:#?}");
    // Every result's rule is in the table, with a help link.
    let run = &value["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(rules[index]["helpUri"]
            .as_str()
            .unwrap()
            .starts_with("https://"));
    }
}

#[test]
fn the_structural_check_catches_mistakes() {
    let mut value: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    value["runs"][0]["results"][0]["level"] = "fatal".into();
    value["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    value["runs"][0]["tool"]["driver"]["rules"][0]["surprise"] = true.into();
    let errors = sarif_check::check(&value);
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn an_empty_report_is_valid_in_every_format() {
    let empty = Report::default();
    for format in Format::ALL {
        let mut out = String::new();
        reporter(format, RenderOptions::default()).render(&empty, &mut out);
        if format == Format::Sarif {
            let value: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(sarif_check::check(&value).is_empty());
        }
    }
}
