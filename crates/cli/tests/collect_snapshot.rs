//! scripts/collect-snapshot.sh against a fake `aws` on PATH that answers
//! from recorded outputs (fixtures/snapshots/collector/): the calls it
//! makes are read-only, paginated and cover every Region and key, and the
//! files it writes are the layout keyward loads.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const ACCOUNT: &str = "111122223333";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Run the collector; returns its exit code, the calls the fake saw, and OUT.
fn collect(tag: &str, args: &[&str], deny: Option<&str>) -> (i32, Vec<String>, PathBuf, String) {
    let scratch =
        std::env::temp_dir().join(format!("keyward-collect-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let out = scratch.join("snapshot");
    let log = scratch.join("calls.log");
    let fake = repo().join("fixtures/snapshots/collector");
    let path = format!(
        "{}:{}",
        fake.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("scripts/collect-snapshot.sh"))
        .args(args)
        .arg(&out)
        .env("PATH", path)
        .env("FAKE_AWS_LOG", &log)
        .env("FAKE_AWS_RECORDED", fake.join("recorded"))
        .env(
            "FAKE_AWS_SNAPSHOT",
            repo().join("fixtures/snapshots/example-org"),
        );
    if let Some(op) = deny {
        cmd.env("FAKE_AWS_DENY", op);
    }
    let result = cmd.output().unwrap();
    let calls = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    (
        result.status.code().unwrap_or(-1),
        calls,
        out,
        String::from_utf8_lossy(&result.stderr).into_owned(),
    )
}

fn files_under(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pending.push(p);
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out
}

/// Each node's SCP and RCP ids, by node id.
fn attachments(
    node: &Value,
    out: &mut Vec<(String, BTreeSet<String>)>,
    keep: &dyn Fn(&str) -> bool,
) {
    let id = ["id", "ou", "account"]
        .iter()
        .find_map(|f| node[f].as_str())
        .unwrap()
        .to_string();
    let ids = node["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .filter(|p| keep(p))
        .collect();
    out.push((id, ids));
    for c in node["children"].as_array().into_iter().flatten() {
        attachments(c, out, keep);
    }
}

#[test]
fn the_collector_writes_the_layout_with_read_only_paginated_calls() {
    let (code, calls, out, err) = collect("full", &["--profile", "prod"], None);
    assert_eq!(code, 0, "{err}");
    // Read-only calls only, each with the profile.
    for c in &calls {
        let op = c.split(' ').nth(1).unwrap();
        assert!(
            ["get-", "list-", "describe-"]
                .iter()
                .any(|v| op.starts_with(v)),
            "not read-only: {c}"
        );
        assert!(c.contains("--profile prod"), "{c}");
    }
    // Paginated IAM export: the second page asked with the first one's token.
    let pages: Vec<&String> = calls
        .iter()
        .filter(|c| c.starts_with("iam get-account-authorization-details"))
        .collect();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].contains("--max-items") && !pages[0].contains("--starting-token"));
    assert!(pages[1].contains("--starting-token eyJNYXJrZXIi"));
    // Every Region the account has, every key of each, four calls each.
    assert!(calls.iter().any(|c| c.starts_with("ec2 describe-regions")));
    for region in ["us-east-1", "eu-west-1"] {
        assert!(calls
            .iter()
            .any(|c| c.starts_with("kms list-aliases") && c.contains(region)));
    }
    for op in [
        "describe-key",
        "get-key-policy",
        "list-grants",
        "list-resource-tags",
    ] {
        assert_eq!(
            calls
                .iter()
                .filter(|c| c.starts_with(&format!("kms {op} ")))
                .count(),
            6,
            "{op}"
        );
    }
    // The organization walk: both policy types at every node, every policy described once.
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.starts_with("organizations list-policies-for-target"))
            .count(),
        2 * 6
    );
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.starts_with("organizations describe-policy"))
            .count(),
        6
    );

    // The account's files are exactly the fixture's.
    let fixture = repo().join("fixtures/snapshots/example-org");
    let acct = format!("accounts/{ACCOUNT}");
    assert_eq!(
        files_under(&out.join(&acct)),
        files_under(&fixture.join(&acct))
    );
    for f in files_under(&out.join(&acct)) {
        assert_eq!(
            std::fs::read(out.join(&acct).join(&f)).unwrap(),
            std::fs::read(fixture.join(&acct).join(&f)).unwrap(),
            "{f}"
        );
    }
    for f in files_under(&out.join("organization/policies")) {
        assert_eq!(
            std::fs::read(out.join("organization/policies").join(&f)).unwrap(),
            std::fs::read(fixture.join("organization/policies").join(&f)).unwrap(),
            "{f}"
        );
    }
    // The tree attaches the fixture's SCPs and RCPs (its tag policy aside).
    let read =
        |p: &Path| -> Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    attachments(
        &read(&out.join("organization/tree.json"))["root"],
        &mut ours,
        &|_| true,
    );
    attachments(
        &read(&fixture.join("organization/tree.json"))["root"],
        &mut theirs,
        &|p| p != "p-tg0x7k2c",
    );
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);

    // keyward loads it cleanly and answers as it does about the fixture.
    let keyward = |dir: &Path, args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_keyward"))
            .args(args)
            .arg(dir)
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (code, report) = keyward(&out, &["snapshot", "check"]);
    assert_eq!(code, 0, "{report}");
    assert!(
        report.contains("6 keys (eu-west-1 2, us-east-1 4), 6 aliases, 3 grants"),
        "{report}"
    );
    let ask = [
        "query",
        "--principal",
        "ci-deployer",
        "--action",
        "kms:ScheduleKeyDeletion",
        "--key",
        "alias/prod-data",
        "--format",
        "json",
        "--snapshot",
    ];
    let (a, b) = (keyward(&out, &ask), keyward(&fixture, &ask));
    assert_eq!(a.0, 1);
    assert_eq!(a, b);
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn a_denied_call_leaves_its_file_out_and_the_snapshot_says_so() {
    let (code, calls, out, err) = collect(
        "denied",
        &["--regions", "us-east-1"],
        Some("kms.get-key-policy"),
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("warning: aws kms get-key-policy"), "{err}");
    assert!(
        !calls.iter().any(|c| c.starts_with("ec2 describe-regions")),
        "--regions names the Regions"
    );
    assert!(!calls.iter().any(|c| c.contains("eu-west-1")));
    let key = out.join(format!(
        "accounts/{ACCOUNT}/kms/us-east-1/keys/1234abcd-12ab-34cd-56ef-1234567890ab"
    ));
    assert!(key.join("describe-key.json").is_file());
    assert!(!key.join("key-policy.json").exists());
    let o = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(["snapshot", "check", "--format", "json"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let missing = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "snapshot::missing-file")
        .count();
    assert_eq!(missing, 4, "one key policy per key of us-east-1");
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}
