//! `keyward query --snapshot`, `scenario matrix --snapshot`, `snapshot
//! check` and `snapshot to-scenario`: answers, exit codes (0 yes, 1 no,
//! 2 invalid or incomplete) and located diagnostics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/snapshots")
}

fn snapshot(name: &str) -> String {
    fixtures().join(name).to_string_lossy().into_owned()
}

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

/// A scratch copy of a fixture.
fn copy(name: &str, tag: &str) -> PathBuf {
    let to = std::env::temp_dir().join(format!("keyward-snapshot-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    let from = fixtures().join(name);
    let mut pending = vec![from.clone()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let target = to.join(p.strip_prefix(&from).unwrap());
            if p.is_dir() {
                pending.push(p);
            } else {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&p, &target).unwrap();
            }
        }
    }
    to
}

/// `query --snapshot` arguments for an expectation.
fn query_args(dir: &str, x: &Value) -> Vec<String> {
    let mut args: Vec<String> = ["query", "--snapshot", dir, "--format", "json"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (flag, field) in [
        ("--principal", "principal"),
        ("--action", "action"),
        ("--key", "key"),
        ("--region", "region"),
    ] {
        if let Some(v) = x[field].as_str() {
            args.push(flag.into());
            args.push(v.into());
        }
    }
    for (flag, field) in [
        ("--context", "context"),
        ("--encryption-context", "encryptionContext"),
    ] {
        for (k, v) in x[field].as_object().into_iter().flatten() {
            args.push(flag.into());
            args.push(format!("{k}={}", v.as_str().unwrap()));
        }
    }
    args
}

fn expectations(name: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join(format!("{name}.expect.json"))).unwrap(),
    )
    .unwrap();
    v["expect"].as_array().unwrap().clone()
}

#[test]
fn the_fixtures_expectations_hold_through_query_and_the_matrix() {
    for name in ["example-org", "partial-export"] {
        let dir = snapshot(name);
        let (code, out, err) = keyward(&["scenario", "matrix", "--snapshot", &dir, "--format", "json", "--actions", "kms:Encrypt,kms:Decrypt,kms:ScheduleKeyDeletion,kms:DescribeKey,kms:CreateGrant,kms:DisableKey"]);
        assert_eq!(code, 0, "{err}");
        let matrix: Value = serde_json::from_str(&out).unwrap();
        let mut in_matrix = 0;
        for x in expectations(name) {
            let args = query_args(&dir, &x);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, out, err) = keyward(&args);
            let answer: Value =
                serde_json::from_str(&out).unwrap_or_else(|_| panic!("{args:?}: {out}{err}"));
            let decision = x["decision"].as_str().unwrap();
            assert_eq!(
                answer["answer"]["decision"], x["decision"],
                "{args:?}: {out}"
            );
            assert_eq!(answer["answer"]["error"], x["error"], "{args:?}: {out}");
            let expected_code = match (decision, x["error"].is_null()) {
                ("allow", true) => 0,
                ("incomplete", _) => 2,
                _ => 1,
            };
            assert_eq!(code, expected_code, "{args:?}");
            // A request the matrix asks too (no Region, context or encryption context).
            let plain = ["region", "context", "encryptionContext"]
                .iter()
                .all(|f| x[f].is_null());
            if plain && answer["answer"]["error"] != "NotFoundException" {
                let cell = matrix["cells"].as_array().unwrap().iter().find(|c| {
                    c["principal"] == answer["principal"]
                        && c["key"] == answer["key"]
                        && c["action"] == answer["action"]
                });
                if let Some(cell) = cell {
                    assert_eq!(
                        (&cell["answer"]["decision"], &cell["answer"]["error"]),
                        (&answer["answer"]["decision"], &answer["answer"]["error"]),
                        "{args:?}"
                    );
                    in_matrix += 1;
                }
            }
        }
        assert!(
            in_matrix >= 5,
            "{name}: only {in_matrix} expectations were matrix cells"
        );
    }
}

#[test]
fn an_incomplete_answer_says_what_is_missing_and_exits_2() {
    let dir = snapshot("partial-export");
    let (code, out, err) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "ci-deployer",
        "--action",
        "kms:Encrypt",
        "--key",
        "alias/prod-data",
    ]);
    assert_eq!(code, 2);
    assert!(out.contains(": INCOMPLETE\n"), "{out}");
    assert!(
        out.contains("at worst: explicit deny; at best: allow"),
        "{out}"
    );
    assert!(out.contains("managed policy `arn:aws:iam::111122223333:policy/ci/KmsDeploy` of role `ci-deployer`: no managed policy of the export defines it (accounts/111122223333/iam/authorization-details.json:128:34)"), "{out}");
    assert!(err.contains("note: the snapshot has 5 problems"), "{err}");
    let (_, out, _) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "ci-deployer",
        "--action",
        "kms:Encrypt",
        "--key",
        "alias/prod-data",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["answer"]["decision"], "incomplete");
    assert_eq!(
        v["answer"]["incomplete"]["worst"]["decision"],
        "explicit-deny"
    );
    assert_eq!(v["answer"]["incomplete"]["best"]["decision"], "allow");
    let missing = v["answer"]["incomplete"]["missing"].as_array().unwrap();
    assert!(
        missing
            .iter()
            .any(|m| m["kind"] == "identity" && m["line"] == 128 && m["column"] == 34),
        "{missing:?}"
    );
}

#[test]
fn snapshot_check_summarizes_and_exits_0_or_2() {
    let (code, out, _) = keyward(&["snapshot", "check", &snapshot("example-org")]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("account 111122223333: 2 users, 3 roles, 2 groups, 7 managed policies"),
        "{out}"
    );
    assert!(
        out.contains("6 keys (eu-west-1 2, us-east-1 4), 6 aliases, 3 grants"),
        "{out}"
    );
    assert!(
        out.contains("organization o-a1b2c3d4e5: management account 999900001111"),
        "{out}"
    );
    assert!(out.ends_with("0 errors, 0 warnings\n"), "{out}");
    let (code, out, err) = keyward(&[
        "snapshot",
        "check",
        &snapshot("partial-export"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["layout"], "aws-cli");
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 5);
    let undefined = problems
        .iter()
        .find(|p| p["code"] == "snapshot::undefined-policy")
        .unwrap();
    assert_eq!(
        undefined["file"],
        "accounts/111122223333/iam/authorization-details.json"
    );
    assert_eq!(undefined["account"], "111122223333");
    assert_eq!(undefined["subject"], "role `ci-deployer`");
    assert_eq!(
        (&undefined["start"]["line"], &undefined["start"]["column"]),
        (&Value::from(128), &Value::from(34))
    );
}

#[test]
fn a_malformed_file_of_each_kind_is_a_located_error_and_exit_2() {
    let key = "accounts/111122223333/kms/us-east-1/keys/1234abcd-12ab-34cd-56ef-1234567890ab";
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "accounts/111122223333/iam/authorization-details.2.json",
            "\"UserDetailList\": [],",
            "\"UserDetailList\": 7,",
            "snapshot::shape",
        ),
        (
            "accounts/444455556666/iam/authorization-details.json",
            "\"Resource\": \"*\"",
            "\"Resource\": 5",
            "policy::wrong-type",
        ),
        (
            &format!("{key}/describe-key.json"),
            "\"KeyState\": \"Enabled\"",
            "\"KeyState\": \"On\"",
            "snapshot::key-state",
        ),
        (
            &format!("{key}/key-policy.json"),
            "\\\"Effect\\\" : \\\"Allow\\\"",
            "\\\"Effect\\\" : \\\"Maybe\\\"",
            "policy::invalid-effect",
        ),
        (
            &format!("{key}/grants.json"),
            "\"GranteePrincipal\": \"arn:aws:iam::111122223333:role/app-reader\"",
            "\"GranteePrincipal\": \"*\"",
            "eval::grantee",
        ),
        (
            &format!("{key}/tags.json"),
            "\"TagKey\": \"env\",",
            "\"TagKey\": null,",
            "snapshot::shape",
        ),
        (
            "accounts/111122223333/kms/us-east-1/aliases.json",
            "\"AliasName\": \"alias/legacy\"",
            "\"AliasName\": \"legacy\"",
            "snapshot::alias",
        ),
        (
            "organization/describe-organization.json",
            "\"Id\": \"o-a1b2c3d4e5\",",
            "",
            "snapshot::missing-field",
        ),
        (
            "organization/policies/p-kd4s9x1a.json",
            "\\\"Effect\\\": \\\"Deny\\\"",
            "\\\"Effect\\\": 1",
            "policy::wrong-type",
        ),
        (
            "organization/tree.json",
            "\"id\": \"r-a1b2\",",
            "\"id\": 1,",
            "snapshot::shape",
        ),
    ];
    for (i, (file, from, to, code)) in cases.iter().enumerate() {
        let dir = copy("example-org", &format!("bad{i}"));
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: no {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (exit, out, err) = keyward(&[
            "snapshot",
            "check",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(exit, 2, "{file}: {out}{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let p = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == *code)
            .unwrap_or_else(|| panic!("{file}: no {code} in {out}"));
        assert_eq!(p["file"], *file, "{out}");
        assert!(
            p["start"]["line"].as_u64().unwrap() >= 1
                && p["start"]["column"].as_u64().unwrap() >= 1
        );
        assert!(p["account"].is_string() || p["subject"].is_string(), "{p}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    let dir = copy("example-org", "links");
    let outside = std::env::temp_dir().join(format!("keyward-outside-{}.json", std::process::id()));
    std::fs::write(&outside, "{\"Policy\": \"{}\"}").unwrap();
    let key =
        dir.join("accounts/111122223333/kms/us-east-1/keys/1234abcd-12ab-34cd-56ef-1234567890ab");
    std::fs::remove_file(key.join("key-policy.json")).unwrap();
    std::os::unix::fs::symlink(&outside, key.join("key-policy.json")).unwrap();
    std::os::unix::fs::symlink("/etc", dir.join("accounts/etc")).unwrap();
    let (code, out, _) = keyward(&[
        "snapshot",
        "check",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    let refused: Vec<&Value> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "snapshot::refused")
        .collect();
    assert_eq!(refused.len(), 2, "{out}");
    assert!(refused.iter().any(|p| p["file"] == "accounts/111122223333/kms/us-east-1/keys/1234abcd-12ab-34cd-56ef-1234567890ab/key-policy.json"));
    // The key's policy is missing, so what depends on it is incomplete.
    let (code, out, _) = keyward(&[
        "query",
        "--snapshot",
        dir.to_str().unwrap(),
        "--principal",
        "ci-deployer",
        "--action",
        "kms:Encrypt",
        "--key",
        "alias/prod-data",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_file(&outside).unwrap();
}

#[test]
fn files_over_the_size_limit_are_refused_with_a_located_diagnostic() {
    let (code, out, _) = keyward(&[
        "snapshot",
        "check",
        &snapshot("example-org"),
        "--max-file-size",
        "2000",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    let big = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "accounts/111122223333/iam/authorization-details.2.json")
        .unwrap();
    assert!(
        big["message"]
            .as_str()
            .unwrap()
            .contains("larger than the limit of 2000 bytes"),
        "{big}"
    );
    assert_eq!(big["start"]["line"], 1);
}

#[test]
fn to_scenario_writes_a_slice_that_scenario_run_passes() {
    let out_file = std::env::temp_dir().join(format!("keyward-slice-{}.json", std::process::id()));
    let (code, _, err) = keyward(&[
        "snapshot",
        "to-scenario",
        &snapshot("example-org"),
        "--key",
        "alias/prod-data",
        "--key",
        "alias/scratch",
        "--principal",
        "ci-deployer",
        "--principal",
        "dev-ci",
        "--principal",
        "carol",
        "--actions",
        "kms:Encrypt,kms:Decrypt,kms:CreateGrant",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("18 expectations"), "{err}");
    let (code, out, _) = keyward(&["scenario", "run", out_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("18 passed, 0 failed\n"), "{out}");
    // A slice that depends on missing data is refused, naming what is missing.
    let (code, _, err) = keyward(&[
        "snapshot",
        "to-scenario",
        &snapshot("partial-export"),
        "--key",
        "alias/prod-data",
        "--principal",
        "ci-deployer",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("KmsDeploy"), "{err}");
    std::fs::remove_file(&out_file).unwrap();
}

#[test]
fn unknown_principals_and_keys_are_input_errors() {
    let dir = snapshot("example-org");
    let (code, _, err) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "nobody",
        "--action",
        "kms:Decrypt",
        "--key",
        "alias/prod-data",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no user or role `nobody` in the snapshot"),
        "{err}"
    );
    let (code, _, err) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "alias/nope",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no key `alias/nope` in the snapshot"), "{err}");
    let (code, _, err) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "arn:aws:kms:ap-south-1:111122223333:key/x",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no KMS data of account 111122223333 in ap-south-1"),
        "{err}"
    );
    let (code, _, err) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--scenario",
        "x.json",
        "--principal",
        "alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "k",
    ]);
    assert_eq!(code, 2, "{err}");
}

/// The `console` examples of docs/snapshots.md run, and print what the page shows.
#[test]
fn the_how_to_pages_examples_print_what_they_show() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let page = std::fs::read_to_string(repo.join("docs/snapshots.md")).unwrap();
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
            .current_dir(&repo)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), shown, "{command}");
        examples += 1;
    }
    assert_eq!(examples, 6);
}

/// Snapshot answers and problems are keyward's one answer and one
/// diagnostic type (a problem adds `account` and `subject`, as a lint
/// finding adds its rule); an incomplete answer has the answer's fields.
#[test]
fn snapshot_answers_and_problems_are_the_shared_json_types() {
    use keyward_eval::answer::{Answer, AnsweredRequest};
    use keyward_policy::DiagnosticJson;
    let exact = |v: &Value| -> AnsweredRequest {
        let typed: AnsweredRequest = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(&serde_json::to_value(&typed).unwrap(), v);
        typed
    };
    let dir = snapshot("example-org");
    let (_, out, _) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "alias/prod-data",
        "--format",
        "json",
    ]);
    let asked = exact(&serde_json::from_str(&out).unwrap());
    let (_, out, _) = keyward(&[
        "scenario",
        "matrix",
        "--snapshot",
        &dir,
        "--actions",
        "kms:Decrypt",
        "--format",
        "json",
    ]);
    let matrix: Value = serde_json::from_str(&out).unwrap();
    let cell = matrix["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["principal"] == asked.principal && c["key"] == asked.key)
        .unwrap();
    let cell: Answer = exact(cell).answer;
    assert_eq!(cell, asked.answer);

    let (_, out, _) = keyward(&[
        "snapshot",
        "check",
        &snapshot("partial-export"),
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    for p in v["problems"].as_array().unwrap() {
        let mut p = p.clone();
        let o = p.as_object_mut().unwrap();
        assert!(o.remove("account").is_some() && o.remove("subject").is_some());
        let typed: DiagnosticJson = serde_json::from_value(p.clone()).unwrap();
        assert_eq!(serde_json::to_value(&typed).unwrap(), p);
    }
    let (_, out, _) = keyward(&[
        "query",
        "--snapshot",
        &snapshot("partial-export"),
        "--principal",
        "ci-deployer",
        "--action",
        "kms:Encrypt",
        "--key",
        "alias/prod-data",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let complete = serde_json::to_value(&asked.answer).unwrap();
    for field in complete.as_object().unwrap().keys() {
        assert!(
            v["answer"].get(field).is_some(),
            "an incomplete answer has no `{field}`"
        );
    }
}

/// ScheduleKeyDeletion takes a key id or key ARN, not an alias (KMS
/// Developer Guide, "Using aliases"): the answer names the alias as the
/// request wrote it, not the key the alias would have found.
#[test]
fn an_alias_an_operation_does_not_take_is_shown_as_written() {
    let dir = snapshot("example-org");
    let (code, out, err) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "key-admin",
        "--action",
        "kms:ScheduleKeyDeletion",
        "--key",
        "alias/prod-data",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("arn:aws:iam::111122223333:role/key-admin → kms:ScheduleKeyDeletion on alias/prod-data: implicit deny → NotFoundException"),
        "{out}"
    );
    let (_, json, _) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--format",
        "json",
        "--principal",
        "key-admin",
        "--action",
        "kms:ScheduleKeyDeletion",
        "--key",
        "alias/prod-data",
    ]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["key"], "alias/prod-data");
    assert_eq!(v["answer"]["error"], "NotFoundException");
}

/// A deciding grant of a snapshot is located in its `list-grants` file,
/// like a statement in its policy file.
#[test]
fn a_deciding_grant_is_located_in_its_list_grants_file() {
    let dir = snapshot("example-org");
    let (code, out, err) = keyward(&[
        "query",
        "--snapshot",
        &dir,
        "--principal",
        "app-reader",
        "--action",
        "kms:Decrypt",
        "--key",
        "alias/prod-data",
        "--encryption-context",
        "app=reports",
    ]);
    assert_eq!(code, 0, "{err}");
    let grants =
        "accounts/111122223333/kms/us-east-1/keys/1234abcd-12ab-34cd-56ef-1234567890ab/grants.json";
    assert!(
        out.contains(&format!("allowed by grant `reports-decrypt` to `arn:aws:iam::111122223333:role/app-reader`  ({grants}:3:9)")),
        "{out}"
    );
    assert!(out.contains(&format!("╭─[{grants}:3:9]")), "{out}");
}
