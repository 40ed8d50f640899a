//! `keyward who-can` and `keyward what-can` through the real binary, over
//! scenario files and account snapshots: who is listed (principals and
//! classes), how and when, exit codes (0 something, 1 nothing, 2 invalid
//! or incomplete), the three formats, and every entry proved by `keyward
//! query` on its witness request.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn path(rel: &str) -> String {
    repo().join(rel).to_string_lossy().into_owned()
}

const PAYMENTS: &str =
    "arn:aws:kms:us-east-1:111122223333:key/aaaa1111-aaaa-4aaa-8aaa-aaaaaaaaaaaa";

fn keyward(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_of(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = keyward(&all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

fn entries(v: &Value) -> &Vec<Value> {
    v["entries"].as_array().unwrap()
}

/// The entry of `principal` for `action`.
fn entry<'a>(v: &'a Value, principal: &str, action: &str) -> Option<&'a Value> {
    entries(v)
        .iter()
        .find(|e| e["principal"] == principal && e["action"] == action)
}

#[test]
fn who_can_lists_principals_classes_how_and_when() {
    let snap = path("fixtures/snapshots/who-can");
    let (code, v) = json_of(&[
        "who-can",
        "--snapshot",
        &snap,
        "--key",
        "alias/payments",
        "--action",
        "kms:Decrypt",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["query"], "who-can");
    assert_eq!(v["key"], PAYMENTS);
    assert_eq!(v["complete"], true);

    // alice: her own IAM policy through the key policy's delegation (and
    // the Secrets Manager statement), always.
    let alice = entry(&v, "arn:aws:iam::111122223333:user/alice", "kms:Decrypt").unwrap();
    assert_eq!(alice["kind"], "principal");
    assert_eq!(alice["conditional"], false);
    assert!(alice["via"]
        .as_array()
        .unwrap()
        .contains(&"key-policy-and-iam".into()));

    // bob has no IAM policy: only through Secrets Manager.
    let bob = entry(&v, "arn:aws:iam::111122223333:user/bob", "kms:Decrypt").unwrap();
    assert_eq!(bob["conditional"], true);
    assert_eq!(
        bob["conditions"],
        serde_json::json!([["kms:ViaService = \"secretsmanager.us-east-1.amazonaws.com\""]])
    );
    assert_eq!(bob["via"], serde_json::json!(["key-policy"]));

    // batch: the grant's constraint is one of its conditions, by name.
    let batch = entry(&v, "arn:aws:iam::111122223333:role/batch", "kms:Decrypt").unwrap();
    let text = batch["conditions"].to_string();
    assert!(
        text.contains("job") && text.contains("grant constraint"),
        "{text}"
    );
    assert!(batch["via"].as_array().unwrap().contains(&"grant".into()));

    // The account the key policy names is not in the snapshot: its root,
    // and its other principals as classes whose own IAM policies decide.
    assert!(entry(&v, "arn:aws:iam::999988887777:root", "kms:Decrypt").is_some());
    let classes: Vec<&Value> = entries(&v)
        .iter()
        .filter(|e| e["kind"] == "account")
        .collect();
    assert!(!classes.is_empty(), "{v}");
    for c in classes {
        assert!(c["principal"].as_str().unwrap().contains("999988887777"));
        assert_eq!(
            c["witness"]["callerPolicies"]["identityPoliciesAllow"],
            true
        );
    }

    // Every entry names the statement or grant that allows it.
    for e in entries(&v) {
        let reasons = e["reasons"].as_array().unwrap();
        assert!(
            reasons
                .iter()
                .any(|r| r["effect"] == "Allow"
                    && (!r["statement"].is_null() || !r["grant"].is_null())),
            "{e}"
        );
    }
}

#[test]
fn who_can_says_what_kms_answers_instead_of_an_allow() {
    let snap = path("fixtures/snapshots/who-can");
    let (code, v) = json_of(&[
        "who-can",
        "--snapshot",
        &snap,
        "--key",
        "alias/archive",
        "--action",
        "kms:Decrypt",
    ]);
    assert_eq!(code, 0);
    assert!(!entries(&v).is_empty());
    for e in entries(&v) {
        assert_eq!(e["error"], "DisabledException", "{e}");
    }
}

#[test]
fn what_can_lists_keys_and_exits_1_when_nothing() {
    let snap = path("fixtures/snapshots/who-can");
    let (code, v) = json_of(&["what-can", "--snapshot", &snap, "--principal", "user/bob"]);
    assert_eq!(code, 0);
    assert_eq!(v["query"], "what-can");
    assert_eq!(v["principal"], "arn:aws:iam::111122223333:user/bob");
    let got: Vec<(&str, &str)> = entries(&v)
        .iter()
        .map(|e| (e["key"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert_eq!(got, vec![(PAYMENTS, "kms:Decrypt")]);

    let (code, out, _) = keyward(&[
        "what-can",
        "--snapshot",
        &snap,
        "--principal",
        "bob",
        "--action",
        "kms:Encrypt",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("nothing"), "{out}");
}

#[test]
fn human_output_shows_the_statement_and_a_proof() {
    let snap = path("fixtures/snapshots/who-can");
    let (code, out, _) = keyward(&[
        "who-can",
        "--snapshot",
        &snap,
        "--key",
        "alias/payments",
        "--action",
        "kms:GenerateDataKey",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(&format!("who can use {PAYMENTS}\n")),
        "{out}"
    );
    assert!(
        out.contains("allowed by grant `nightly-batch` to `arn:aws:iam::111122223333:role/batch`"),
        "{out}"
    );
    assert!(
        out.contains("key-policy.json#/Policy:4:5"),
        "the statement's place: {out}"
    );
    assert!(out.contains("--encryption-context job=nightly"), "{out}");
}

#[test]
fn csv_has_one_line_per_entry() {
    let snap = path("fixtures/snapshots/who-can");
    let args = [
        "who-can",
        "--snapshot",
        &snap,
        "--key",
        "alias/payments",
        "--action",
        "kms:Decrypt",
    ];
    let (_, v) = json_of(&args);
    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let (code, out, _) = keyward(&csv_args);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "principal,kind,name,action,key,conditional,conditions,via,error"
    );
    assert_eq!(lines.len() - 1, entries(&v).len());
    assert!(lines.iter().any(|l| l
        .starts_with("arn:aws:iam::111122223333:user/bob,principal,,kms:Decrypt,")
        && l.contains("\"kms:ViaService = \"\"secretsmanager.us-east-1.amazonaws.com\"\"\"")));
}

/// `keyward query` arguments that ask an entry's witness request.
fn query_of(world: &[&str], w: &Value) -> Vec<String> {
    let mut args: Vec<String> = vec!["query".into()];
    args.extend(world.iter().map(|s| s.to_string()));
    for (flag, field) in [
        ("--principal", "principal"),
        ("--action", "action"),
        ("--key", "key"),
        ("--region", "region"),
    ] {
        if let Some(s) = w[field].as_str() {
            args.extend([flag.to_string(), s.to_string()]);
        }
    }
    for (k, v) in w["context"].as_object().unwrap() {
        let values: Vec<&str> = match v {
            Value::Array(list) => list.iter().map(|x| x.as_str().unwrap()).collect(),
            other => vec![other.as_str().unwrap()],
        };
        for x in values {
            args.extend(["--context".to_string(), format!("{k}={x}")]);
        }
    }
    for (k, v) in w["encryptionContext"].as_object().unwrap() {
        args.extend([
            "--encryption-context".to_string(),
            format!("{k}={}", v.as_str().unwrap()),
        ]);
    }
    args.extend(["--format".to_string(), "json".to_string()]);
    args
}

/// Every entry's witness is allowed by `keyward query` (with the entry's
/// KMS error, if any), and an unconditional entry's witness carries no
/// optional context.
fn proved(world: &[&str], report: &[&str]) -> usize {
    let mut args = vec!["who-can"];
    args.extend(world);
    args.extend(report);
    let (_, v) = json_of(&args);
    let mut asked = 0;
    for e in entries(&v) {
        let w = &e["witness"];
        if e["conditional"] == false {
            assert!(
                w["context"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .all(|k| k == "aws:CurrentTime"),
                "{e}"
            );
            assert_eq!(w["encryptionContext"], serde_json::json!({}), "{e}");
        }
        // Classes' assumed policies and new grants have no `query` flags;
        // `query --snapshot` asks only about the snapshot's principals.
        let class_of_snapshot = world[0] == "--snapshot" && e["kind"] != "principal";
        if !w["callerPolicies"].is_null() || !w["newGrant"].is_null() || class_of_snapshot {
            continue;
        }
        let q = query_of(world, w);
        let q: Vec<&str> = q.iter().map(String::as_str).collect();
        let (code, out, err) = keyward(&q);
        let answer: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}\n{err}"));
        assert_eq!(answer["answer"]["decision"], "allow", "{e}\n{out}");
        assert_eq!(answer["answer"]["error"], e["error"], "{e}\n{out}");
        assert_eq!(code, if e["error"].is_null() { 0 } else { 1 });
        asked += 1;
    }
    asked
}

#[test]
fn every_entry_is_proved_by_keyward_query() {
    let actions = [
        "--action",
        "kms:Decrypt,kms:GenerateDataKey,kms:ScheduleKeyDeletion",
    ];
    let who = path("fixtures/snapshots/who-can");
    let org = path("fixtures/snapshots/example-org");
    let scenario = path("fixtures/scenarios/realistic.json");
    let mut asked = 0;
    for key in ["alias/payments", "alias/archive"] {
        let mut report = vec!["--key", key];
        report.extend(actions);
        asked += proved(&["--snapshot", &who], &report);
    }
    for key in [
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:eu-west-1:111122223333:key/4444dddd-44dd-44ee-99ff-444444444444",
    ] {
        let mut report = vec!["--key", key];
        report.extend(actions);
        asked += proved(&["--snapshot", &org], &report);
    }
    let mut report = vec!["--key", "app-key"];
    report.extend(actions);
    asked += proved(&["--scenario", &scenario], &report);
    assert!(asked >= 30, "only {asked} witnesses asked");
}

#[test]
fn invalid_input_exits_2_with_help() {
    let snap = path("fixtures/snapshots/who-can");
    let (code, _, err) = keyward(&["who-can", "--snapshot", &snap, "--key", "alias/nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("alias/nope") && err.contains("help:"), "{err}");

    let (code, _, err) = keyward(&[
        "who-can",
        "--snapshot",
        &snap,
        "--key",
        "alias/payments",
        "--action",
        "kms:Decrypy",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `kms:Decrypt`"), "{err}");

    let (code, _, err) = keyward(&["what-can", "--snapshot", &snap, "--principal", "carol"]);
    assert_eq!(code, 2);
    assert!(err.contains("carol"), "{err}");

    let (code, _, _) = keyward(&["who-can", "--key", "alias/payments"]);
    assert_eq!(code, 2, "a world is required");

    let (code, _, err) = keyward(&[
        "who-can",
        "--scenario",
        &path("fixtures/scenarios/missing.json"),
        "--key",
        "k",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
}

#[test]
fn an_incomplete_answer_exits_2_and_says_why() {
    // The partial export lost policies: answers about those principals
    // are unknown, not denied.
    let snap = path("fixtures/snapshots/partial-export");
    let (code, v) = json_of(&[
        "who-can",
        "--snapshot",
        &snap,
        "--key",
        "arn:aws:kms:eu-west-1:111122223333:key/4444dddd-44dd-44ee-99ff-444444444444",
        "--action",
        "kms:Decrypt",
    ]);
    assert_eq!(code, 2);
    assert_eq!(v["complete"], false);
    let unknown = v["unknown"].as_array().unwrap();
    assert!(unknown.iter().any(|u| u["principal"]
        == "arn:aws:iam::111122223333:role/ci/ci-deployer"
        && u["reason"].as_str().unwrap().contains("KmsDeploy")));
}

#[test]
fn the_proofs_people_read_run_and_allow() {
    let snap = path("fixtures/snapshots/who-can");
    let scenario = path("fixtures/scenarios/realistic.json");
    let mut ran = 0;
    for world in [
        ["--snapshot", &snap, "--key", "alias/payments"],
        ["--scenario", &scenario, "--key", "app-key"],
    ] {
        let mut args = vec!["who-can"];
        args.extend(world);
        args.extend(["--action", "kms:Decrypt,kms:GenerateDataKey"]);
        let (_, out, _) = keyward(&args);
        for line in out
            .lines()
            .filter_map(|l| l.trim().strip_prefix("proof: keyward "))
        {
            let run = Command::new("sh")
                .arg("-c")
                .arg(format!("\"$KEYWARD\" {line}"))
                .env("KEYWARD", env!("CARGO_BIN_EXE_keyward"))
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&run.stdout);
            assert_eq!(run.status.code(), Some(0), "{line}\n{said}");
            assert!(said.contains(": ALLOW"), "{line}\n{said}");
            ran += 1;
        }
    }
    assert!(ran >= 8, "only {ran} proofs");
}

/// The `console` examples of docs/who-can.md print what the page shows,
/// and its JSON example is what `what-can` prints.
#[test]
fn the_pages_examples_print_what_they_show() {
    let page = std::fs::read_to_string(repo().join("docs/who-can.md")).unwrap();
    let mut examples = 0;
    for block in page.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let mut lines = block.lines();
        let command = lines.next().unwrap().strip_prefix("$ ").unwrap();
        let shown: String = lines.map(|l| format!("{l}\n")).collect();
        let args: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(args[0], "keyward");
        let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
            .args(&args[1..])
            .current_dir(repo())
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), shown, "{command}");
        examples += 1;
    }
    assert_eq!(examples, 4);

    let json = page
        .split("```json\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let shown: Value = serde_json::from_str(json).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args([
            "what-can",
            "--snapshot",
            "fixtures/snapshots/who-can",
            "--principal",
            "user/bob",
            "--format",
            "json",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, shown);
}
