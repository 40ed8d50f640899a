//! The `whoCan` and `whatCan` exports (the playground's who-can and
//! what-can views), called natively exactly as the browser's worker calls
//! them: every entry's witness, replayed through the `evaluate` export (the
//! Ask view), is allowed — with the KMS error the entry names.

#![cfg(all(feature = "compare", feature = "engine"))]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing value fails the test"
)]

use serde_json::{json, Value};

fn call(export: fn(&str) -> String, input: &Value) -> Value {
    serde_json::from_str(&export(&input.to_string())).unwrap()
}

fn value(export: fn(&str) -> String, input: &Value) -> Value {
    let v = call(export, input);
    assert_eq!(v["ok"], true, "unexpected error envelope: {v}");
    v["value"].clone()
}

/// The workspace of one scenario file of `fixtures/scenarios`.
fn workspace(name: &str) -> Value {
    let path = format!(
        "{}/../fixtures/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    json!({"scenario": "scenario.json", "files": {"scenario.json": text}})
}

/// Every scenario the playground ships.
fn scenarios() -> Vec<String> {
    let dir = format!("{}/../fixtures/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut names = vec!["seed-matrix.json".to_string(), "realistic.json".to_string()];
    let mut stories: Vec<String> = std::fs::read_dir(format!("{dir}/stories"))
        .unwrap()
        .map(|e| format!("stories/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    stories.sort();
    names.extend(stories);
    names
}

/// The scenario's keys and principals, as `runScenario` lists them.
fn names(ws: &Value) -> (Vec<String>, Vec<String>) {
    let scenario: Value =
        serde_json::from_str(ws["files"]["scenario.json"].as_str().unwrap()).unwrap();
    let keys = scenario["keys"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let principals = scenario["principals"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    (keys, principals)
}

/// Replay `entry`'s witness through `evaluate`, as the view's button does.
/// `None` when the witness cannot be asked there: a class's assumed IAM
/// policies, or a `CreateGrant` asking for a grant.
fn replay(ws: &Value, entry: &Value) -> Option<Value> {
    let w = &entry["witness"];
    if w.get("callerPolicies").is_some() || w.get("newGrant").is_some() {
        return None;
    }
    let mut request = json!({
        "principal": w["principal"], "action": w["action"], "key": w["key"],
        "context": w["context"], "encryptionContext": w["encryptionContext"],
    });
    if let Some(r) = w.get("region") {
        request["region"] = r.clone();
    }
    Some(value(
        keyward_wasm::evaluate,
        &json!({"workspace": ws, "request": request}),
    ))
}

fn assert_replays(ws: &Value, report: &Value, scenario: &str) -> usize {
    let mut replayed = 0;
    for e in report["entries"].as_array().unwrap() {
        let Some(answered) = replay(ws, e) else {
            assert_ne!(
                e["kind"], "principal",
                "{scenario}: a principal's witness can always be asked: {e}"
            );
            continue;
        };
        assert_eq!(
            answered["answer"]["decision"], "allow",
            "{scenario}: the witness of {} {} on {} is not allowed: {answered}",
            e["principal"], e["action"], e["key"]
        );
        assert_eq!(
            answered["answer"]["error"], e["error"],
            "{scenario}: the witness's KMS error differs from the entry's"
        );
        if e["conditional"] == false {
            assert_eq!(
                e["witness"]["encryptionContext"],
                json!({}),
                "{scenario}: {e}"
            );
        }
        replayed += 1;
    }
    replayed
}

#[test]
fn every_who_can_witness_is_allowed_by_evaluate() {
    let mut replayed = 0;
    for scenario in scenarios() {
        let ws = workspace(&scenario);
        let (keys, _) = names(&ws);
        for key in keys {
            let report = value(keyward_wasm::who_can, &json!({"workspace": ws, "key": key}));
            // Incomplete only where the analysis says why.
            assert_eq!(
                report["complete"] == true,
                report["unknown"].as_array().unwrap().is_empty(),
                "{scenario} {key}"
            );
            for e in report["entries"].as_array().unwrap() {
                assert!(
                    e["key"].as_str().unwrap().starts_with("arn:aws:kms:"),
                    "{e}"
                );
            }
            replayed += assert_replays(&ws, &report, &scenario);
        }
    }
    assert!(replayed > 50, "only {replayed} witnesses replayed");
}

#[test]
fn every_what_can_witness_is_allowed_by_evaluate() {
    let mut replayed = 0;
    for scenario in scenarios() {
        let ws = workspace(&scenario);
        let (_, principals) = names(&ws);
        for p in principals {
            let report = value(
                keyward_wasm::what_can,
                &json!({"workspace": ws, "principal": p}),
            );
            for e in report["entries"].as_array().unwrap() {
                assert_eq!(e["kind"], "principal", "{scenario} {p}: {e}");
            }
            replayed += assert_replays(&ws, &report, &scenario);
        }
    }
    assert!(replayed > 50, "only {replayed} witnesses replayed");
}

/// The seed matrix (spec/seed-matrix.md): Alice's IAM policy, through the
/// key policy's delegation, lets her use CMK-A; Bob has no policy of his own.
#[test]
fn the_seed_answers_who_can_decrypt_with_cmk_a() {
    let ws = workspace("seed-matrix.json");
    let report = value(
        keyward_wasm::who_can,
        &json!({"workspace": ws, "key": "CMK-A", "actions": ["kms:Decrypt"]}),
    );
    let entries = report["entries"].as_array().unwrap();
    let alice = entries
        .iter()
        .find(|e| e["name"] == "Alice")
        .unwrap_or_else(|| panic!("Alice can decrypt with CMK-A: {report}"));
    assert_eq!(alice["action"], "kms:Decrypt");
    assert_eq!(alice["kind"], "principal");
    assert_eq!(alice["conditional"], false);
    assert!(
        alice["via"]
            .as_array()
            .unwrap()
            .contains(&json!("key-policy-and-iam")),
        "{alice}"
    );
    assert!(entries.iter().all(|e| e["action"] == "kms:Decrypt"));
    assert!(entries.iter().all(|e| e["name"] != "Bob"), "{report}");
}

/// The answer is `keyward who-can --format json`'s, member for member.
#[test]
fn who_can_answers_the_clis_json_entries() {
    let ws = workspace("seed-matrix.json");
    let report = value(
        keyward_wasm::who_can,
        &json!({"workspace": ws, "key": "CMK-A"}),
    );
    let e = &report["entries"][0];
    for member in [
        "principal",
        "kind",
        "action",
        "key",
        "conditional",
        "conditions",
        "via",
        "error",
        "reasons",
        "witness",
    ] {
        assert!(e.get(member).is_some(), "no `{member}` in {e}");
    }
    assert!(report.get("unknown").is_some() && report.get("complete").is_some());
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let ws = workspace("seed-matrix.json");
    let cases = [
        (
            keyward_wasm::who_can as fn(&str) -> String,
            json!({"workspace": ws, "key": "CMK-Z"}),
            "CMK-Z",
        ),
        (
            keyward_wasm::who_can,
            json!({"workspace": ws, "key": "CMK-A", "actions": ["kms:Decrypy"]}),
            "kms:Decrypt",
        ),
        (
            keyward_wasm::who_can,
            json!({"workspace": ws, "key": "CMK-A", "actions": ["kms:ListKeys"]}),
            "not a KMS action on a key",
        ),
        (
            keyward_wasm::what_can,
            json!({"workspace": ws, "principal": "Mallory"}),
            "Mallory",
        ),
        (
            keyward_wasm::what_can,
            json!({"workspace": ws, "principal": "Alice", "keys": ["nope"]}),
            "nope",
        ),
        (
            keyward_wasm::what_can,
            json!({"workspace": {"scenario": "s.json", "files": {"s.json": "{"}}, "principal": "Alice"}),
            "the scenario has errors",
        ),
    ];
    for (export, input, needle) in cases {
        let v = call(export, &input);
        assert_eq!(v["ok"], false, "{input}: {v}");
        assert_eq!(v["error"]["code"], "bad-input", "{v}");
        let message = v["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(needle),
            "`{message}` does not mention `{needle}`"
        );
    }
}
