//! The `compare` export (the playground's compare view), called natively
//! exactly as the browser's worker calls it: the access gained and lost
//! between two versions of a key policy, each change with a witness that
//! the `evaluate` export (the query view) decides the same way.

#![cfg(all(feature = "compare", feature = "engine"))]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing value fails the test"
)]

use serde_json::{json, Value};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn call(export: fn(&str) -> String, input: &Value) -> Value {
    serde_json::from_str(&export(&input.to_string())).unwrap()
}

fn value(export: fn(&str) -> String, input: &Value) -> Value {
    let v = call(export, input);
    assert_eq!(v["ok"], true, "unexpected error envelope: {v}");
    v["value"].clone()
}

/// A key policy: the account delegates to IAM, and `users` may decrypt.
fn policy(users: &[&str]) -> String {
    let mut statements = vec![json!({
        "Sid": "EnableIam", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "kms:*", "Resource": "*"
    })];
    for u in users {
        statements.push(json!({
            "Sid": format!("{u}Decrypts"), "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::111122223333:user/{u}")},
            "Action": "kms:Decrypt", "Resource": "*"
        }));
    }
    serde_json::to_string_pretty(&json!({"Version": "2012-10-17", "Statement": statements}))
        .unwrap()
}

fn compare(before: &str, after: &str) -> Value {
    value(
        keyward_wasm::compare,
        &json!({"before": before, "after": after, "name": "keys/main.json", "key": KEY}),
    )
}

fn changes<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["diff"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"] == kind)
        .collect()
}

#[test]
fn a_principal_added_is_access_gained_with_a_witness_and_both_answers() {
    let report = compare(&policy(&["Bob"]), &policy(&["Bob", "Alice"]));
    assert_eq!(report["result"], "fail");
    assert_eq!(report["kind"], "key");
    assert!(changes(&report, "lost").is_empty(), "{report}");
    let gained = changes(&report, "gained");
    let alice = gained
        .iter()
        .find(|c| c["example"]["principal"] == "arn:aws:iam::111122223333:user/Alice")
        .unwrap_or_else(|| panic!("no gain for Alice: {report}"));
    assert!(alice["actions"]
        .as_array()
        .unwrap()
        .contains(&json!("kms:Decrypt")));
    let w = &alice["example"];
    assert_eq!(w["key"], KEY);
    // The witness's explanation: the after allows it, by AliceDecrypts, in the named file ...
    assert_eq!(w["answer"]["decision"], "allow");
    assert_eq!(w["statement"]["file"], "keys/main.json");
    assert_eq!(w["statement"]["statement"], "AliceDecrypts");
    assert!(!w["reasons"].as_array().unwrap().is_empty());
    // ... and why the before did not, pointing into the before.
    assert_ne!(w["baseAnswer"]["decision"], "allow");
    assert!(!w["baseReasons"].as_array().unwrap().is_empty());
    assert_eq!(report["beforeName"], "keys/main.json (before)");
}

#[test]
fn a_principal_removed_is_access_lost_and_no_new_access_passes() {
    let report = compare(&policy(&["Bob", "Alice"]), &policy(&["Bob"]));
    assert_eq!(report["result"], "pass");
    assert!(changes(&report, "gained").is_empty());
    let lost = changes(&report, "lost");
    let w = &lost
        .iter()
        .find(|c| c["example"]["principal"] == "arn:aws:iam::111122223333:user/Alice")
        .unwrap_or_else(|| panic!("no loss for Alice: {report}"))["example"];
    // For a loss, `answer` is the before's (which allowed it).
    assert_eq!(w["answer"]["decision"], "allow");
    assert_eq!(w["statement"]["file"], "keys/main.json (before)");
    assert_ne!(w["baseAnswer"]["decision"], "allow");
}

#[test]
fn the_same_meaning_written_differently_changes_nothing() {
    let before = policy(&["Bob", "Alice"]);
    let mut doc: Value = serde_json::from_str(&before).unwrap();
    doc["Statement"].as_array_mut().unwrap().reverse();
    let report = compare(&before, &doc.to_string());
    assert_eq!(report["result"], "pass");
    assert_eq!(report["diff"]["changes"], json!([]));
    assert!(report["diff"]["classes"].as_u64().unwrap() > 0);
}

#[test]
fn a_blank_before_is_a_new_policy_whose_access_is_all_gained() {
    let report = compare("  \n", &policy(&["Alice"]));
    assert_eq!(report["result"], "fail", "{}", report["diff"]["unknown"]);
    assert!(!changes(&report, "gained").is_empty());
    assert!(changes(&report, "lost").is_empty());
}

#[test]
fn a_blank_before_of_an_identity_policy_is_a_new_identity_policy() {
    let after = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY}
    ]});
    let report = compare("", &after.to_string());
    assert_eq!(report["kind"], "identity");
    assert_eq!(report["result"], "fail", "{}", report["diff"]["unknown"]);
    assert_eq!(report["before"], json!([]));
}

#[test]
fn a_policy_with_errors_is_not_compared_and_its_errors_are_located() {
    // Line 4 (the first statement's `Action`) lacks its comma.
    let broken = policy(&["Bob"]).replacen(r#""kms:*","#, r#""kms:*""#, 1);
    assert_ne!(broken, policy(&["Bob"]));
    let report = compare(&broken, &policy(&["Bob"]));
    assert_eq!(report["result"], "unknown", "never a pass");
    assert_eq!(report["diff"], Value::Null);
    let first = &report["before"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "json::missing-comma");
    assert_eq!(first["labels"][0]["start"]["line"], 5);
    assert_eq!(report["after"], json!([]));
}

#[test]
fn a_key_policy_kms_refuses_is_not_compared_and_says_where() {
    // The second statement names no principal: PutKeyPolicy refuses it.
    let refused = policy(&["Bob"]).replacen(
        r#""Principal": {
        "AWS": "arn:aws:iam::111122223333:user/Bob"
      },"#,
        "",
        1,
    );
    assert_ne!(refused, policy(&["Bob"]));
    let report = compare(&policy(&["Bob"]), &refused);
    assert_eq!(report["result"], "unknown");
    assert_eq!(report["diff"], Value::Null);
    assert_eq!(report["before"], json!([]));
    let first = &report["after"][0];
    assert_eq!(first["code"], "eval::key-policy-no-principal");
    // The statement that lost its principal (the second) starts on line 12.
    let start = &first["labels"][0]["start"];
    assert_eq!(start["line"], 12);
    let at = start["offset"].as_u64().unwrap() as usize;
    assert!(refused[at..].starts_with('{') && refused[at..].contains("BobDecrypts"));
}

#[test]
fn a_bad_kind_is_an_error_value() {
    let v = call(
        keyward_wasm::compare,
        &json!({"before": "{}", "after": "{}", "kind": "bucket"}),
    );
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"]["code"], "bad-input");
    let v = call(keyward_wasm::compare, &json!({"before": 1}));
    assert_eq!(v["error"]["code"], "bad-input");
}

#[test]
fn identity_policies_are_detected_and_compared_as_such() {
    let statement = |action: &str| {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": action, "Resource": KEY}
        ]})
        .to_string()
    };
    let report = compare(&statement("kms:Encrypt"), &statement("kms:*crypt"));
    assert_eq!(report["kind"], "identity");
    assert_eq!(report["result"], "fail");
    let gained: Vec<&Value> = changes(&report, "gained")
        .into_iter()
        .flat_map(|c| c["actions"].as_array().unwrap())
        .collect();
    assert!(gained.contains(&&json!("kms:Decrypt")), "{report}");
    assert!(!gained.contains(&&json!("kms:Encrypt")), "{report}");
}

/// Replaying a witness in the query view: `evaluate` on a scenario whose key
/// has the after policy decides it as the compare view says.
#[test]
fn every_gained_witness_replays_as_allowed_in_the_query_view() {
    let after = policy(&["Bob", "Alice", "Carol"]);
    let report = compare(&policy(&["Bob"]), &after);
    let gained = changes(&report, "gained");
    assert!(gained.len() >= 2, "{report}");
    let scenario = json!({
        "region": "us-east-1",
        "principals": {},
        "keys": {"Main": {"arn": KEY, "policy": {"file": "keys/main.json"}}}
    });
    let workspace = json!({
        "scenario": "scenario.json",
        "files": {"scenario.json": scenario.to_string(), "keys/main.json": after}
    });
    for c in gained {
        let w = &c["example"];
        // Identity policies of the caller: the query view asks about an
        // ARN that is not in the scenario with none, so replay only the
        // witnesses that do not rest on them.
        if w["callerPolicies"]["identityPoliciesAllow"] == true
            && w["answer"]["path"] != "key-policy"
        {
            continue;
        }
        let asked = value(
            keyward_wasm::evaluate,
            &json!({"workspace": workspace, "request": {
                "principal": w["principal"], "action": w["action"], "key": w["key"],
                "context": w["context"], "encryptionContext": w["encryptionContext"],
            }}),
        );
        assert_eq!(
            asked["answer"]["decision"], "allow",
            "{w} replayed as {asked}"
        );
    }
}
