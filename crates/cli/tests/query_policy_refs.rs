//! `keyward query` with policies named inside .tf modules and templates
//! (`FILE#ADDRESS`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::PathBuf;
use std::process::{Command, Output};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn query(key_policy: &str, extra: &[&str], principal: &str, action: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(["query", "--key-policy", key_policy])
        .args(extra)
        .args(["--principal", principal, "--action", action, "--key", KEY])
        .args(["--format", "json"])
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn decision(output: &Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    v["answer"]["decision"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_key_policy_from_an_aws_iam_policy_document() {
    let policy = "fixtures/lint/terraform-hcl/documents/main.tf#aws_kms_key.documented";
    // `Root` delegates to the account: an IAM policy of the account decides.
    let identity = "fixtures/lint/terraform-hcl/forms/main.tf#aws_iam_group_policy.count";
    let allowed = query(
        policy,
        &["--identity-policy", identity],
        "arn:aws:iam::111122223333:role/ops",
        "kms:GenerateDataKey",
    );
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert_eq!(decision(&allowed), "allow");
    let denied = query(
        policy,
        &[],
        "arn:aws:iam::111122223333:role/ops",
        "kms:Encrypt",
    );
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn a_folder_names_its_module() {
    let output = query(
        "fixtures/lint/terraform-hcl/modules/root#module.safe.aws_kms_key.this",
        &[],
        "arn:aws:iam::111122223333:role/reader",
        "kms:Decrypt",
    );
    assert_eq!(
        decision(&output),
        "allow",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_policy_that_needs_a_plan_is_refused() {
    let output = query(
        "fixtures/lint/terraform-hcl/needs-plan/main.tf#aws_kms_key.unknown_principals",
        &[],
        "arn:aws:iam::111122223333:role/x",
        "kms:Decrypt",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("known only from a plan"));
}

#[test]
fn an_unknown_address_lists_the_policies() {
    let output = query(
        "fixtures/lint/terraform-hcl/documents/main.tf#aws_kms_key.nope",
        &[],
        "arn:aws:iam::111122223333:role/x",
        "kms:Decrypt",
    );
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("aws_kms_key.documented"), "{err}");
}

#[test]
fn a_sam_policy_template_is_an_identity_policy() {
    let output = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args([
            "query",
            "--key-policy",
            "fixtures/lint/sam/template.yaml#DataKey",
            "--identity-policy",
            "fixtures/lint/sam/template.yaml#Reader policy #2 (KMSEncryptPolicy)",
            "--principal",
            "arn:aws:iam::000000000000:role/reader",
            "--action",
            "kms:Encrypt",
            "--key",
            "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "--format",
            "json",
        ])
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .unwrap();
    assert_eq!(
        decision(&output),
        "allow",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
