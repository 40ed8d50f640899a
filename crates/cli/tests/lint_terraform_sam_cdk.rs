//! `keyward lint` on Terraform `.tf` folders, SAM templates and CDK apps.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn keyward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// (file, line, column, code) of every finding.
fn findings(report: &serde_json::Value) -> Vec<(String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_terraform_folder_is_linted_as_a_module() {
    let output = keyward(&[
        "lint",
        "--format",
        "json",
        "fixtures/lint/terraform-hcl/forms",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    // Every .tf file read is listed, and the JSON file `file()` read, once
    // (the walk also finds that JSON file on its own).
    let mut unique = files.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), files.len(), "{files:?}");
    for name in ["main.tf", "locals.tf", "variables.tf", "key-policy.json"] {
        assert!(
            files.iter().any(|f| f.ends_with(&format!("forms/{name}"))),
            "{files:?}"
        );
    }
    let found = findings(&report);
    assert!(found.contains(&(
        "fixtures/lint/terraform-hcl/forms/main.tf".into(),
        19,
        21,
        "KW201".into()
    )));
}

#[test]
fn a_module_called_from_another_folder_is_reported_where_its_files_are() {
    let output = keyward(&[
        "lint",
        "--format",
        "json",
        "fixtures/lint/terraform-hcl/modules/root/main.tf",
    ]);
    let found = findings(&json(&output));
    assert!(
        found.contains(&(
            "fixtures/lint/terraform-hcl/modules/kms/main.tf".into(),
            22,
            21,
            "KW201".into()
        )),
        "{found:?}"
    );
}

#[test]
fn a_cdk_app_is_linted_through_its_synthesized_templates_only() {
    let output = keyward(&["lint", "--format", "json", "fixtures/lint/cdk-app"]);
    let report = json(&output);
    assert_eq!(
        report["files"],
        serde_json::json!(["fixtures/lint/cdk-app/cdk.out/AppStack.template.json"])
    );
    let found = findings(&report);
    let template = "fixtures/lint/cdk-app/cdk.out/AppStack.template.json".to_string();
    assert_eq!(
        found,
        [
            // The key does not turn rotation on (CDK's default).
            (template.clone(), 3, 5, "KW211".to_string()),
            (template, 21, 28, "KW201".to_string()),
        ]
    );
}

#[test]
fn sam_templates_are_linted() {
    let output = keyward(&[
        "lint",
        "--format",
        "json",
        "fixtures/lint/sam/template.yaml",
    ]);
    let found = findings(&json(&output));
    let codes: Vec<&str> = found.iter().map(|f| f.3.as_str()).collect();
    // The key does not turn rotation on (KW211).
    assert_eq!(codes, ["KW211", "KW302", "KW111"]);
}

#[test]
fn a_module_cycle_is_an_error_not_a_hang() {
    let output = keyward(&[
        "lint",
        "--format",
        "json",
        "fixtures/lint/terraform-hcl/cycle/a",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let found = findings(&json(&output));
    assert!(
        found.iter().any(|f| f.3 == "terraform::module-cycle"),
        "{found:?}"
    );
}

/// Split a documented command line like a shell would (single quotes only).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// The examples of docs/terraform.md that name fixtures run, and print what
/// the page shows (a line ending in `…` is a prefix).
#[test]
fn the_documented_examples_run() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let page = std::fs::read_to_string(root.join("docs/terraform.md")).unwrap();
    let mut checked = 0;
    let mut in_console = false;
    let mut current: Option<(String, String)> = None;
    for line in page.lines() {
        if line.starts_with("```console") {
            in_console = true;
            continue;
        }
        if line.starts_with("```") {
            in_console = false;
            current = None;
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ keyward ") {
            current = None;
            if !command.contains("fixtures/") {
                continue;
            }
            let args = words(command);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let output = keyward(&args);
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            current = Some((command.to_string(), text));
            continue;
        }
        let Some((command, text)) = &current else {
            continue;
        };
        let found = match line.strip_suffix('…') {
            Some(prefix) => text.lines().any(|l| l.starts_with(prefix)),
            None => text.lines().any(|l| l == line),
        };
        assert!(
            found,
            "`keyward {command}` did not print:\n{line}\n--- it printed:\n{text}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} documented lines checked");
}
