//! `keyward check` and `keyward diff`: verdicts, the JSON contract, exit
//! codes (0 pass, 1 fail, 2 unknown or invalid), SARIF and GitHub output,
//! templates compared by resource address, `--base-ref` from git, and
//! witnesses that replay through `keyward query`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::process::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/checks");
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn keyward_in(dir: Option<&std::path::Path>, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyward"));
    cmd.args(args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn keyward(args: &[&str]) -> (i32, String, String) {
    keyward_in(None, args)
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn no_new_access_fails_with_witnesses_in_the_json_contract() {
    let (base, head) = (fixture("base.json"), fixture("head.json"));
    let (code, out, _) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        &base,
        "--head",
        &head,
        "--key",
        KEY,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let v = json(&out);
    assert_eq!(v["check"], "no-new-access");
    assert_eq!(v["result"], "fail");
    let witnesses = v["witnesses"].as_array().unwrap();
    assert!(!witnesses.is_empty());
    for w in witnesses {
        for field in [
            "principal",
            "action",
            "key",
            "context",
            "encryptionContext",
            "reasons",
            "statement",
        ] {
            assert!(w.get(field).is_some(), "missing {field}: {w}");
        }
        assert!(w["statement"]["line"].as_u64().unwrap() > 1);
        assert!(w["statement"]["file"]
            .as_str()
            .unwrap()
            .ends_with("head.json"));
    }
    // The partner account added by the head is among the witnesses.
    assert!(witnesses
        .iter()
        .any(|w| w["principal"].as_str().unwrap().contains("444455556666")));
}

#[test]
fn reordering_and_respelling_passes_with_exit_0() {
    let (base, head) = (fixture("base.json"), fixture("head-reordered.json"));
    let (code, out, _) = keyward(&["check", "no-new-access", "--base", &base, "--head", &head]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("no-new-access: PASS\n"), "{out}");
}

#[test]
fn a_witness_replays_through_keyward_query() {
    let (base, head) = (fixture("base.json"), fixture("head.json"));
    let (_, out, _) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        &base,
        "--head",
        &head,
        "--key",
        KEY,
        "--format",
        "json",
        "--max-witnesses",
        "10",
    ]);
    let v = json(&out);
    // A witness that needs no IAM policy of the caller replays as is.
    let w = v["witnesses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| {
            w.get("callerPolicies")
                .is_none_or(|c| c["identityPoliciesAllow"] == false && c["boundaryAllows"] == true)
        })
        .expect("a witness needing no IAM policy");
    let mut args: Vec<String> = ["query", "--key-policy", &head, "--principal"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(w["principal"].as_str().unwrap().into());
    args.extend([
        "--action".into(),
        w["action"].as_str().unwrap().into(),
        "--key".into(),
        w["key"].as_str().unwrap().into(),
    ]);
    for (k, v) in w["context"].as_object().unwrap() {
        args.extend(["--context".into(), format!("{k}={}", v.as_str().unwrap())]);
    }
    for (k, v) in w["encryptionContext"].as_object().unwrap() {
        args.extend([
            "--encryption-context".into(),
            format!("{k}={}", v.as_str().unwrap()),
        ]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = keyward(&refs);
    assert_eq!(
        code, 0,
        "the witness should be allowed by the head: {out}{err}"
    );
    let refs: Vec<&str> = refs
        .iter()
        .map(|a| if *a == head { base.as_str() } else { a })
        .collect();
    let (code, out, _) = keyward(&refs);
    assert_eq!(code, 1, "the witness should be denied by the base: {out}");
}

#[test]
fn github_annotations_point_at_the_granting_statement() {
    let (base, head) = (fixture("base.json"), fixture("head.json"));
    let (code, out, _) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        &base,
        "--head",
        &head,
        "--key",
        KEY,
        "--format",
        "github",
    ]);
    assert_eq!(code, 1);
    // The partner statement starts on line 19 of head.json.
    assert!(
        out.lines().any(|l| l.starts_with("::error file=")
            && l.contains("head.json,line=19,col=5")
            && l.contains("444455556666")),
        "{out}"
    );
}

#[test]
fn sarif_is_a_log_with_one_result_per_witness() {
    let (base, head) = (fixture("base.json"), fixture("head.json"));
    let (code, out, _) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        &base,
        "--head",
        &head,
        "--key",
        KEY,
        "--format",
        "sarif",
        "--max-witnesses",
        "2",
    ]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results
        .iter()
        .all(|r| r["ruleId"] == "check::no-new-access"));
}

#[test]
fn templates_are_compared_by_resource_address() {
    let (base, head) = (fixture("template-base.yaml"), fixture("template-head.yaml"));
    let (code, out, _) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        &base,
        "--head",
        &head,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let v = json(&out);
    let policies = v["policies"].as_array().unwrap();
    let result_of = |r: &str| {
        policies
            .iter()
            .find(|p| p["resource"] == r)
            .map(|p| p["result"].clone())
    };
    assert_eq!(result_of("DataKey"), Some("pass".into()));
    assert_eq!(result_of("LogsKey"), Some("fail".into()));
    let w = &v["witnesses"][0];
    assert_eq!(w["resource"], "LogsKey");
    assert_eq!(w["principal"], "logs.us-east-1.amazonaws.com");
    // The statement is located in the template, where the new statement is.
    assert_eq!(w["statement"]["line"], 27);
}

#[test]
fn base_ref_reads_the_old_policy_from_git() {
    let dir = std::env::temp_dir().join(format!("keyward-check-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&dir)
            .output()
            .map(|o| o.status.success());
        assert!(matches!(ok, Ok(true)), "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::copy(fixture("base.json"), dir.join("key.json")).unwrap();
    git(&["add", "key.json"]);
    git(&["commit", "-qm", "base"]);
    std::fs::copy(fixture("head.json"), dir.join("key.json")).unwrap();
    let (code, out, err) = keyward_in(
        Some(&dir),
        &[
            "check",
            "no-new-access",
            "--base-ref",
            "HEAD",
            "--head",
            "key.json",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("HEAD:key.json"),
        "the base is named after the revision: {out}"
    );
    std::fs::copy(fixture("head-reordered.json"), dir.join("key.json")).unwrap();
    let (code, out, err) = keyward_in(
        Some(&dir),
        &[
            "check",
            "no-new-access",
            "--base-ref",
            "HEAD",
            "--head",
            "key.json",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    // A file new in this change: everything it allows is new.
    std::fs::copy(fixture("head.json"), dir.join("new.json")).unwrap();
    let (code, _, _) = keyward_in(
        Some(&dir),
        &[
            "check",
            "no-new-access",
            "--base-ref",
            "HEAD",
            "--head",
            "new.json",
        ],
    );
    assert_eq!(code, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn access_not_granted_and_no_public_access_exit_codes() {
    let head = fixture("head.json");
    let (code, out, _) = keyward(&[
        "check",
        "access-not-granted",
        "--policy",
        &head,
        "--action",
        "kms:Decrypt",
        "--principal",
        "arn:aws:iam::444455556666:*",
        "--key",
        KEY,
    ]);
    assert_eq!(code, 1, "{out}");
    let base = fixture("base.json");
    let (code, out, _) = keyward(&[
        "check",
        "access-not-granted",
        "--policy",
        &base,
        "--action",
        "kms:Decrypt",
        "--principal",
        "arn:aws:iam::444455556666:*",
        "--key",
        KEY,
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = keyward(&[
        "check",
        "no-public-access",
        "--policy",
        &head,
        "--account",
        "111122223333",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(json(&out)["witnesses"][0]["scope"], "external");
    let (code, out, _) = keyward(&[
        "check",
        "no-public-access",
        "--policy",
        &head,
        "--account",
        "111122223333",
        "--account",
        "444455556666",
    ]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn unknown_and_invalid_inputs_exit_2() {
    let dir = std::env::temp_dir().join(format!("keyward-check-unknown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let variables = dir.join("variables.json");
    std::fs::write(
        &variables,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:EncryptionContext:user": "${aws:username}"}}}]}"#,
    )
    .unwrap();
    let variables = variables.to_string_lossy().to_string();
    let (code, out, _) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        &fixture("base.json"),
        "--head",
        &variables,
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(json(&out)["result"], "unknown");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"Statement\": [").unwrap();
    let (code, _, err) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        &fixture("base.json"),
        "--head",
        &broken.to_string_lossy(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_shows_access_gained_with_its_conditions_and_statement() {
    let (code, out, _) = keyward(&[
        "diff",
        &fixture("base.json"),
        &fixture("head.json"),
        "--key",
        KEY,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("+ the root user of account 444455556666 can now call kms:Decrypt"),
        "{out}"
    );
    assert!(
        out.contains(
            r#"kms:ViaService like "s3.*.amazonaws.com" and not = "s3.us-east-1.amazonaws.com""#
        ),
        "{out}"
    );
    assert!(
        out.contains("granted by statement PartnerDecrypts at"),
        "{out}"
    );
    let (code, out, _) = keyward(&[
        "diff",
        &fixture("base.json"),
        &fixture("head-reordered.json"),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no change of access"), "{out}");
}

/// Split a documented command line into arguments (single quotes group).
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            c => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(current);
    }
    words
}

#[test]
fn every_example_of_docs_checks_md_prints_what_the_page_shows() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let page = std::fs::read_to_string(format!("{root}/docs/checks.md")).unwrap();
    let mut examples = 0;
    let mut lines = page.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("$ keyward ") else {
            continue;
        };
        let mut expected = String::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("```") {
                break;
            }
            expected.push_str(next);
            expected.push('\n');
            lines.next();
        }
        let args = split_words(command);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, out, err) = keyward_in(Some(std::path::Path::new(root)), &refs);
        assert_eq!(
            out, expected,
            "`keyward {command}` printed otherwise (stderr: {err})"
        );
        examples += 1;
    }
    assert_eq!(examples, 5, "the page's examples");
}

#[test]
fn terraform_plans_are_checked_per_resource() {
    let plan = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/lint/terraform/plan.json"
    );
    let (code, out, _) = keyward(&[
        "check",
        "no-new-access",
        "--base",
        plan,
        "--head",
        plan,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    let kinds: Vec<(String, String)> = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["resource"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("aws_kms_key.orders".into(), "key".into())),
        "{kinds:?}"
    );
    assert!(kinds.iter().any(|(_, k)| k == "identity"), "{kinds:?}");
    // Its key policy lets anyone decrypt: public, from an account no statement names.
    let (code, out, _) = keyward(&[
        "check",
        "no-public-access",
        "--policy",
        plan,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let w = &json(&out)["witnesses"][0];
    assert_eq!(w["resource"], "aws_kms_key.orders");
    assert_eq!(w["scope"], "public");
    assert_eq!(w["action"], "kms:Decrypt");
}
