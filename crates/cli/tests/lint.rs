//! `keyward lint` and `keyward rules` end to end: exit codes, formats,
//! configuration, directories and standard input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn keyward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyward-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_clean_policy_exits_0() {
    let output = keyward(&["lint", "fixtures/lint/policies/console-default.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("no problems in 1 file"));
}

#[test]
fn findings_at_error_level_exit_1() {
    let output = keyward(&["lint", "fixtures/lint/policies/key-with-problems.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("KW201"));
}

#[test]
fn warnings_alone_exit_0() {
    let dir = temp_dir("warnings");
    let path = dir.join("p.json");
    std::fs::write(&path, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrpyt","Resource":"*"}]}"#).unwrap();
    let output = keyward(&["lint", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("1 warning"));
}

#[test]
fn missing_files_bad_flags_and_bad_configs_exit_2() {
    assert_eq!(
        keyward(&["lint", "no/such/file.json"]).status.code(),
        Some(2)
    );
    assert_eq!(
        keyward(&["lint", "--format", "xml", "fixtures/lint"])
            .status
            .code(),
        Some(2)
    );
    let dir = temp_dir("badconfig");
    let config = dir.join("bad.json");
    std::fs::write(&config, r#"{"rules": {"KW999": "error"}}"#).unwrap();
    let output = keyward(&[
        "lint",
        "--config",
        config.to_str().unwrap(),
        "fixtures/lint/policies/console-default.json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown rule or category `KW999`"));
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args([
            "lint",
            "--format",
            "github",
            "--stdin-filename",
            "key.json",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}"#)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("::error file=key.json,line=1,"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn directories_are_walked_and_unrelated_files_skipped() {
    let dir = temp_dir("walk");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("package.json"), r#"{"name": "not-a-policy"}"#).unwrap();
    std::fs::write(dir.join("notes.txt"), "not linted").unwrap();
    std::fs::write(
        dir.join("nested/key.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}"#,
    )
    .unwrap();
    let output = keyward(&["lint", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["summary"]["files"], 1);
    assert!(value["findings"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("nested/key.json"));
    // --exclude drops it.
    let excluded = keyward(&["lint", "--exclude", "**/nested/**", dir.to_str().unwrap()]);
    assert_eq!(excluded.status.code(), Some(0));
}

#[test]
fn the_config_file_sets_levels_per_path() {
    let dir = temp_dir("config");
    std::fs::create_dir_all(dir.join("legacy")).unwrap();
    let policy = r#"{"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
      {"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}]}"#;
    std::fs::write(dir.join("new.json"), policy).unwrap();
    std::fs::write(dir.join("legacy/old.json"), policy).unwrap();
    std::fs::write(
        dir.join(".keyward.json"),
        r#"{"overrides": [{"files": ["legacy/**"], "rules": {"KW201": "warn"}}]}"#,
    )
    .unwrap();
    let run = |path: &str| {
        Command::new(env!("CARGO_BIN_EXE_keyward"))
            .args(["lint", "--format", "github", path])
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    assert_eq!(run("legacy/old.json").status.code(), Some(0));
    assert!(stdout(&run("legacy/old.json")).starts_with("::warning"));
    assert_eq!(run("new.json").status.code(), Some(1));
}

#[test]
fn sarif_output_is_json_with_the_rule_table() {
    let output = keyward(&["lint", "--format", "sarif", "fixtures/lint/policies"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["version"], "2.1.0");
    assert!(
        value["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            > 30
    );
}

#[test]
fn rules_are_listed_and_explained() {
    let list = keyward(&["rules"]);
    assert_eq!(list.status.code(), Some(0));
    assert!(stdout(&list).contains("KW201  wildcard-principal-without-condition"));
    let one = keyward(&["rules", "wildcard-principal-without-condition"]);
    assert!(stdout(&one).contains("\nWhy it matters\n--------------\n"));
    let family = keyward(&["rules", "json::trailing-comma"]);
    assert!(stdout(&family).starts_with("json: invalid-json\n"));
    let page = keyward(&["rules", "--format", "markdown", "KW201"]);
    assert!(stdout(&page).contains("\n## Why it matters\n"));
    assert_eq!(keyward(&["rules", "KW999"]).status.code(), Some(2));
    let json: serde_json::Value =
        serde_json::from_slice(&keyward(&["rules", "--format", "json"]).stdout).unwrap();
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "KW208"));
}

#[test]
fn the_version_shows_the_catalog_date() {
    let output = keyward(&["--version"]);
    assert!(stdout(&output).contains(keyward_lint::CATALOG_DATE));
}

#[test]
fn an_unreadable_input_is_an_error_and_never_a_clean_run() {
    for args in [
        vec!["lint", "/nonexistent.json"],
        vec![
            "lint",
            "fixtures/lint/policies/console-default.json",
            "/nonexistent.json",
        ],
    ] {
        let output = keyward(&args);
        let out = stdout(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {out}");
        assert!(!out.contains("no problems"), "{args:?}: {out}");
        assert!(
            out.contains("cannot read `/nonexistent.json`"),
            "{args:?}: {out}"
        );
    }
    // Machine formats carry it too: a CI job reading the JSON sees the error.
    let output = keyward(&["lint", "--format", "json", "/nonexistent.json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 1, "{report}");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_rule_explained_in_a_terminal_is_plain_text() {
    let output = keyward(&["rules", "KW202"]);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(!out.contains("<!--"), "{out}");
    for line in out.lines() {
        assert!(
            !line.starts_with('#') && !line.starts_with("```") && !line.starts_with('|'),
            "markup left in `{line}`"
        );
    }
    assert!(out.starts_with("KW202: key-policy-lockout\n====="), "{out}");
    assert!(out.contains("\nWhat it does\n------------\n"), "{out}");
    assert!(out.contains("\n  Default level  error\n"), "{out}");
    // The examples are indented code.
    assert!(
        out.contains("\n    {\n      \"Version\": \"2012-10-17\","),
        "{out}"
    );
}

#[test]
fn a_finding_in_a_terraform_policy_string_shows_the_decoded_lines() {
    let output = keyward(&["lint", "fixtures/lint/terraform/plan.json"]);
    let out = stdout(&output);
    let widest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 110, "a line of {widest} columns:\n{out}");
    assert!(
        out.contains("plan.json:17:407 (in the JSON string, decoded)"),
        "{out}"
    );
    assert!(out.contains("│           \"AWS\": \"*\"\n"), "{out}");
}
