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
use common::{fixture, lint, sarif_check};
use keyward_lint::report::{reporter, FileReport, Format, RenderOptions, Report};

/// The shared findings: a key policy with several problems, invalid JSON,
/// a YAML template and a Terraform plan.
fn report() -> Report {
    let files = [
        "policies/key-with-problems.json",
        "policies/not-json.json",
        "policies/console-default.json",
        "cloudformation/key-and-role.yaml",
        "terraform/plan.json",
    ];
    Report {
        files: files
            .iter()
            .map(|f| {
                let source = fixture(f);
                let diagnostics = lint(&source);
                FileReport {
                    source,
                    diagnostics,
                }
            })
            .collect(),
    }
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
    assert_eq!(value["summary"]["files"], 5);
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
