//! `keyward scenario` and `keyward query`: outputs and exit codes (0 yes, 1 no, 2 invalid).

use std::process::Command;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/scenarios/seed-matrix.json"
);

#[allow(
    clippy::unwrap_used,
    reason = "a test helper: failing to start the binary fails the test"
)]
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

#[test]
fn scenario_run_passes_the_seed_matrix_and_exits_0() {
    let (code, out, _) = keyward(&["scenario", "run", SEED]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("25 passed, 0 failed\n"), "{out}");
    assert!(
        out.contains("✓ Charlie  kms:Decrypt          CMK-A  implicit deny"),
        "{out}"
    );
}

#[test]
fn scenario_run_json_follows_the_contract() {
    let (code, out, _) = keyward(&["scenario", "run", SEED, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["passed"], 25);
    assert_eq!(v["failed"], 0);
    let first = &v["results"][0];
    for field in ["principal", "action", "key", "expected", "actual", "pass"] {
        assert!(first.get(field).is_some(), "missing {field}");
    }
    assert!(first["actual"]["reasons"].is_array());
}

#[test]
fn a_failing_check_exits_1_and_invalid_input_exits_2() {
    let dir = std::env::temp_dir().join(format!("keyward-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = std::fs::read_to_string(SEED).unwrap();
    let wrong = seed.replacen(
        r#""key": "CMK-A", "decision": "allow""#,
        r#""key": "CMK-A", "decision": "explicit-deny""#,
        1,
    );
    let failing = dir.join("failing.json");
    std::fs::write(&failing, wrong).unwrap();
    let (code, out, _) = keyward(&["scenario", "run", failing.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("expected explicit-deny, got allow"), "{out}");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"keys\": {").unwrap();
    let (code, _, err) = keyward(&["scenario", "run", broken.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn matrix_shows_the_table_and_why() {
    let (code, out, _) = keyward(&["scenario", "matrix", SEED, "--actions", "kms:Decrypt"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("  Charlie  implicit deny   allow           explicit deny\n"),
        "{out}"
    );
    assert!(
        out.contains("kms:Decrypt: explicit deny — denied by key policy DenyBobCharlieDavid"),
        "{out}"
    );
    let (code, _, _) = keyward(&["scenario", "matrix", SEED, "--actions", "kms:CreateKey"]);
    assert_eq!(code, 2);
}

#[test]
fn query_exit_codes_follow_the_decision() {
    let q = |p: &str, a: &str, k: &str| {
        keyward(&[
            "query",
            "--scenario",
            SEED,
            "--principal",
            p,
            "--action",
            a,
            "--key",
            k,
        ])
        .0
    };
    assert_eq!(q("Alice", "kms:Decrypt", "CMK-A"), 0);
    assert_eq!(q("Bob", "kms:Decrypt", "CMK-C"), 1);
    assert_eq!(q("Nobody", "kms:Decrypt", "CMK-C"), 2);
    assert_eq!(q("Bob", "kms:Nope", "CMK-C"), 2);
    let (code, out, _) = keyward(&[
        "query",
        "--scenario",
        SEED,
        "--principal",
        "Bob",
        "--action",
        "kms:Decrypt",
        "--key",
        "CMK-B",
        "--region",
        "eu-west-1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["answer"]["decision"], "allow");
    assert_eq!(v["answer"]["error"], "NotFoundException");
}

const STORIES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/scenarios/stories/"
);

/// `keyward query --format json` on a story: exit code and parsed answer.
#[expect(
    clippy::unwrap_used,
    reason = "a test helper: output that is not JSON fails the test"
)]
fn query_story(story: &str, args: &[&str]) -> (i32, serde_json::Value) {
    let path = format!("{STORIES}{story}");
    let mut all = vec!["query", "--scenario", path.as_str(), "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = keyward(&all);
    let v = if out.trim().is_empty() {
        serde_json::json!({"stderr": err})
    } else {
        serde_json::from_str(&out).unwrap()
    };
    (code, v)
}

#[test]
fn rule_30_query_finds_the_key_an_alias_arn_names_in_its_own_region() {
    let base = [
        "--principal",
        "copier",
        "--action",
        "kms:ReEncryptTo",
        "--context",
        "kms:ViaService=ec2.eu-west-1.amazonaws.com",
    ];
    let west = "arn:aws:kms:eu-west-1:111122223333:key/b83e05d4-1c6f-4a2b-8e97-60f3c2d1a4e9";
    let story = "01-cross-region-snapshot-copy.json";
    for key in [
        &[
            "--key",
            "arn:aws:kms:eu-west-1:111122223333:alias/ebs-snapshots",
        ][..],
        &["--key", "alias/ebs-snapshots", "--region", "eu-west-1"][..],
    ] {
        let (code, v) = query_story(story, &[&base[..], key].concat());
        assert_eq!(code, 0, "{key:?}: {v}");
        assert_eq!(v["answer"]["decision"], "allow", "{key:?}");
        assert_eq!(v["key"], west, "{key:?}");
    }
    // The bare alias exists in two Regions: without one, the input is ambiguous.
    let (code, v) = query_story(
        story,
        &[&base[..], &["--key", "alias/ebs-snapshots"]].concat(),
    );
    assert_eq!(code, 2, "{v}");
    assert!(
        v["stderr"]
            .as_str()
            .unwrap_or("")
            .contains("give the Region"),
        "{v}"
    );
}

#[test]
fn rule_08_query_with_another_accounts_alias_answers_not_found() {
    let (code, v) = query_story(
        "03-cross-account-snapshot-sharing.json",
        &[
            "--principal",
            "backup-copier",
            "--action",
            "kms:DescribeKey",
            "--key",
            "alias/prod-ebs",
        ],
    );
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["answer"]["decision"], "implicit-deny");
    assert_eq!(v["answer"]["error"], "NotFoundException");
    assert_eq!(
        v["key"],
        "arn:aws:kms:us-east-1:444455556666:alias/prod-ebs"
    );
}

#[test]
fn query_asks_about_a_principal_outside_the_scenario_by_its_arn_and_says_so() {
    let (code, out, _) = keyward(&[
        "query",
        "--scenario",
        SEED,
        "--principal",
        "arn:aws:iam::999988887777:role/Outsider",
        "--action",
        "kms:Decrypt",
        "--key",
        "CMK-A",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("note: `arn:aws:iam::999988887777:role/Outsider` is not a principal of the scenario: it is asked about with no identity policies of its own"),
        "{out}"
    );
    assert!(
        out.contains("none delegates `kms:Decrypt` to account 999988887777 or allows it to `arn:aws:iam::999988887777:role/Outsider`"),
        "{out}"
    );
    assert!(out.contains("    help: add to key policy `CMK-A`"), "{out}");
}

#[test]
fn query_suggests_the_action_a_typo_meant() {
    let (code, _, err) = keyward(&[
        "query",
        "--scenario",
        SEED,
        "--principal",
        "Alice",
        "--action",
        "kms:GenerateDataKy",
        "--key",
        "CMK-A",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`kms:GenerateDataKy` is not a KMS action"),
        "{err}"
    );
    assert!(
        err.contains("help: did you mean `kms:GenerateDataKey`?"),
        "{err}"
    );
}

#[test]
fn query_shows_each_statement_once_with_no_code_heading() {
    let (code, out, _) = keyward(&[
        "query",
        "--scenario",
        SEED,
        "--principal",
        "Alice",
        "--action",
        "kms:Decrypt",
        "--key",
        "CMK-A",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("keyward::reason"), "{out}");
    // The delegating statement is both allowed-by and the delegation: one snippet.
    assert_eq!(
        out.matches("☞ key policy `CMK-A` statement `EnableIAMPolicies`")
            .count(),
        1,
        "{out}"
    );
    assert!(
        out.contains("☞ IAM policy `Alice` statement `AllowKmsOnCmkAAndCmkB` (Allow)"),
        "{out}"
    );
}

/// The examples of docs/cli-query.md print what the page shows: every
/// `keyward query` block followed by an output block is run, and the output
/// shown is the start of what it prints.
#[test]
fn docs_cli_query_shows_what_keyward_prints() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let page = std::fs::read_to_string(format!("{root}/docs/cli-query.md")).unwrap();
    let blocks: Vec<(&str, &str)> = page
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| b.split_once('\n').unwrap_or((b, "")))
        .collect();
    let mut checked = 0;
    for pair in blocks.windows(2) {
        let [(lang, command), ("", shown)] = pair else {
            continue;
        };
        if *lang != "sh" || !command.starts_with("keyward query") {
            continue;
        }
        let words: Vec<&str> = command
            .split_whitespace()
            .filter(|w| *w != "\\")
            .skip(1)
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
            .args(&words)
            .current_dir(root)
            .output()
            .unwrap();
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let printed: Vec<&str> = printed.lines().collect();
        let shown: Vec<&str> = shown.lines().collect();
        assert!(
            printed.len() >= shown.len() && printed[..shown.len()] == shown[..],
            "{command}\nthe page shows:\n{}\nkeyward prints:\n{}",
            shown.join("\n"),
            printed.join("\n")
        );
        checked += 1;
    }
    assert_eq!(checked, 4, "the page's query examples");
}

#[test]
fn query_shows_the_deciding_grant_where_it_is_written() {
    let story = format!("{STORIES}11-grants-for-aws-services.json");
    let (code, out, _) = keyward(&[
        "query",
        "--scenario",
        &story,
        "--principal",
        "ec2-infra",
        "--action",
        "kms:Decrypt",
        "--key",
        "volumes-key",
        "--encryption-context",
        "aws:ebs:id=vol-0b2d4f6a8c1e35790",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("allowed by grant `ebs-vol-0b2d4f6a8c1e35790` to `arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/i-0c2e4a6b8d0f13579`  (")
            && out.contains("11-grants-for-aws-services.json:76:5)"),
        "{out}"
    );
    assert!(out.contains("☞ grant `ebs-vol-0b2d4f6a8c1e35790`"), "{out}");
    assert!(out.contains("allows the request"), "{out}");
}
