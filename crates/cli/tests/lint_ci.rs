//! `keyward lint` in CI: suppressions (template `Metadata`, `Sid` in
//! `.keyward.json`), baselines, and the JUnit and Markdown formats, end to end.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn keyward_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh folder (a repository root: the config search stops there).
fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyward-cli-ci-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    dir
}

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
  ]
}
"#;

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

fn codes(value: &serde_json::Value) -> Vec<String> {
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_metadata_suppression_with_a_reason_passes_the_run() {
    let output = keyward_in(
        &root(),
        &[
            "lint",
            "--format",
            "json",
            "fixtures/lint/cloudformation/suppressions.yaml",
        ],
    );
    let value = json(&output);
    // The suppression without a reason fails the run; the suppressed KW201 does not.
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        codes(&value),
        [
            "suppression::unused",
            "suppression::missing-reason",
            "KW302"
        ]
    );
    assert_eq!(value["summary"]["suppressed"], 1);
    assert_eq!(value["suppressed"][0]["code"], "KW201");
    assert_eq!(value["suppressed"][0]["start"]["line"], 26);
}

#[test]
fn sid_suppressions_in_the_config_and_their_own_findings() {
    let dir = project("sid");
    std::fs::write(dir.join("key.json"), POLICY).unwrap();
    let config = |entries: &str| {
        std::fs::write(
            dir.join(".keyward.json"),
            format!("{{\n  \"suppress\": [\n{entries}\n  ]\n}}\n"),
        )
        .unwrap();
    };

    config(r#"    {"sid": "Public", "code": "KW201", "reason": "read by the CDN"}"#);
    let output = keyward_in(&dir, &["lint", "--format", "json", "."]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(json(&output)["suppressed"][0]["reason"], "read by the CDN");

    // Without a reason: the finding stays, and the config says why.
    config(r#"    {"sid": "Public", "code": "KW201"}"#);
    let output = keyward_in(&dir, &["lint", "--format", "json", "."]);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(codes(&value), ["KW201", "suppression::missing-reason"]);
    assert_eq!(value["findings"][1]["file"], ".keyward.json");
    assert_eq!(value["findings"][1]["start"]["line"], 3);

    // A Sid no statement has: the run passes, with a note in the config.
    config(r#"    {"sid": "Pubic", "code": "KW201", "reason": "typo"}"#);
    let output = keyward_in(&dir, &["lint", "--format", "json", "key.json"]);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(codes(&value), ["KW201", "suppression::unused"]);
    assert_eq!(value["findings"][1]["severity"], "info");

    // A rule that does not exist is a configuration error.
    config(r#"    {"sid": "Public", "code": "KW999", "reason": "r"}"#);
    let output = keyward_in(&dir, &["lint", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("names no rule"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn overrides_scope_sid_suppressions_to_paths() {
    let dir = project("override");
    std::fs::create_dir_all(dir.join("public")).unwrap();
    std::fs::write(dir.join("public/key.json"), POLICY).unwrap();
    std::fs::write(dir.join("key.json"), POLICY).unwrap();
    std::fs::write(
        dir.join(".keyward.json"),
        r#"{"overrides": [{"files": ["public/**"], "suppress": [{"sid": "Public", "code": "KW201", "reason": "public keys"}]}]}"#,
    )
    .unwrap();
    let value = json(&keyward_in(&dir, &["lint", "--format", "json", "."]));
    let files: Vec<&str> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["key.json"]);
    assert_eq!(value["suppressed"][0]["file"], "public/key.json");
}

#[test]
fn a_baseline_reports_only_new_findings_and_survives_line_shifts() {
    let dir = project("baseline");
    std::fs::write(dir.join("key.json"), POLICY).unwrap();
    let output = keyward_in(
        &dir,
        &["lint", "--write-baseline", "baseline.json", "key.json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("(1 in the baseline)"));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(written["findings"][0]["code"], "KW201");
    assert_eq!(written["findings"][0]["pointer"], "/Statement/1/Principal");

    // Lines added above and a statement added below: still known.
    let edited = format!(
        "\n\n{}",
        POLICY.replace(
            "\"Resource\": \"*\"}\n  ]",
            "\"Resource\": \"*\"},\n    {\"Sid\": \"New\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}\n  ]"
        )
    );
    std::fs::write(dir.join("key.json"), edited).unwrap();
    let output = keyward_in(
        &dir,
        &[
            "lint",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            "key.json",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(codes(&value), ["KW201"]);
    assert_eq!(value["findings"][0]["pointer"], "/Statement/2/Principal");
    assert_eq!(value["summary"]["baselined"], 1);
}

#[test]
fn a_missing_or_malformed_baseline_fails_the_run() {
    let dir = project("bad-baseline");
    std::fs::write(dir.join("key.json"), POLICY).unwrap();
    let output = keyward_in(&dir, &["lint", "--baseline", "none.json", "key.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read the baseline `none.json`"));
    std::fs::write(dir.join("bad.json"), r#"{"keyward_baseline": 1}"#).unwrap();
    let output = keyward_in(&dir, &["lint", "--baseline", "bad.json", "key.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing field `findings`"),
        "{}",
        stderr(&output)
    );
    let output = keyward_in(
        &dir,
        &[
            "lint",
            "--baseline",
            "a.json",
            "--write-baseline",
            "b.json",
            "key.json",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn junit_and_markdown_formats() {
    let junit = keyward_in(
        &root(),
        &[
            "lint",
            "--format",
            "junit",
            "fixtures/lint/policies/key-with-problems.json",
            "fixtures/lint/policies/console-default.json",
        ],
    );
    assert_eq!(junit.status.code(), Some(1));
    let text = stdout(&junit);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert_eq!(text.matches("<testsuite ").count(), 2);
    assert_eq!(text.matches("<failure ").count(), 1);
    assert!(text.contains(r#"<testcase name="no findings""#));

    let markdown = keyward_in(
        &root(),
        &[
            "lint",
            "--format",
            "markdown",
            "fixtures/lint/policies/console-default.json",
        ],
    );
    assert_eq!(markdown.status.code(), Some(0));
    assert_eq!(
        stdout(&markdown),
        "### keyward lint: no problems in 1 file\n\n:white_check_mark: No findings.\n"
    );
}

#[test]
fn terraform_comments_and_sids_suppress_in_tf_files() {
    let output = keyward_in(
        &root(),
        &[
            "lint",
            "--format",
            "json",
            "fixtures/lint/terraform-hcl/suppressions",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    // The comment with a reason covers the statement block below it; the
    // one without a reason covers nothing and is a finding.
    assert_eq!(codes(&value), ["suppression::missing-reason", "KW201"]);
    assert_eq!(value["findings"][0]["start"]["line"], 33);
    assert_eq!(value["findings"][1]["start"]["line"], 47);
    assert_eq!(value["suppressed"][0]["start"]["line"], 21);
    // Key settings too: the comment before the key covers its header.
    assert_eq!(value["suppressed"][1]["code"], "KW211");
    assert_eq!(value["suppressed"][1]["start"]["line"], 31);

    // The config names the other statement's Sid: nothing left but the reasonless comment.
    let dir = project("tf-sid");
    let config = dir.join("keyward.json");
    std::fs::write(
        &config,
        r#"{"suppress": [{"sid": "Anyone", "code": "KW201", "reason": "a public key"}]}"#,
    )
    .unwrap();
    let output = keyward_in(
        &root(),
        &[
            "lint",
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
            "fixtures/lint/terraform-hcl/suppressions",
        ],
    );
    let value = json(&output);
    assert_eq!(codes(&value), ["suppression::missing-reason"]);
    assert_eq!(value["summary"]["suppressed"], 3);
}
