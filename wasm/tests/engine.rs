//! The engine exports (`runScenario`, `evaluate`, `lint`, `benchmark`,
//! `actions`), called natively exactly as the browser's worker calls them,
//! on the project's seed scenario.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a missing value fails the test"
)]

use serde_json::{json, Value};

const SEED: &str = include_str!("../../fixtures/scenarios/seed-matrix.json");

#[expect(
    clippy::expect_used,
    reason = "a test helper: a malformed answer fails the test"
)]
fn call(export: fn(&str) -> String, input: &Value) -> Value {
    let out = export(&input.to_string());
    serde_json::from_str(&out).expect("every export answers JSON")
}

#[expect(
    clippy::panic,
    reason = "a test helper: an error envelope fails the test"
)]
fn ok(export: fn(&str) -> String, input: &Value) -> Value {
    let v = call(export, input);
    if v["ok"] != true {
        panic!("unexpected error envelope: {v}");
    }
    v["value"].clone()
}

fn seed() -> Value {
    json!({"scenario": "seed-matrix.json", "files": {"seed-matrix.json": SEED}})
}

/// The seed scenario with CMK-C's key policy moved to its own file, as the page does.
fn seed_with_cmk_c_in_a_file() -> (Value, String) {
    let mut doc: Value = serde_json::from_str(SEED).unwrap();
    let policy = doc["keys"]["CMK-C"]["policy"].take();
    let text = serde_json::to_string_pretty(&policy).unwrap();
    doc["keys"]["CMK-C"]["policy"] = json!({"file": "keys/CMK-C.json"});
    let ws = json!({
        "scenario": "seed-matrix.json",
        "files": {"seed-matrix.json": doc.to_string(), "keys/CMK-C.json": text},
    });
    (ws, text)
}

fn utf16_slice(text: &str, from: &Value, to: &Value) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (a, b) = (
        from.as_u64().unwrap() as usize,
        to.as_u64().unwrap() as usize,
    );
    String::from_utf16(&units[a..b]).unwrap()
}

#[test]
fn the_seed_matrix_meets_every_expectation_of_the_seed_scenario() {
    let report = ok(keyward_wasm::run_scenario, &json!({"workspace": seed()}));
    assert_eq!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["severity"] == "error"))
            .count(),
        0
    );
    assert_eq!(
        report["principals"],
        json!(["Alice", "Bob", "Charlie", "David"])
    );
    assert_eq!(report["keys"], json!(["CMK-A", "CMK-B", "CMK-C"]));
    assert_eq!(report["failed"], 0);
    let checks = report["expectations"].as_array().unwrap();
    assert!(checks.len() >= 24, "{} expectations", checks.len());
    let cells = report["cells"].as_array().unwrap();
    let actions = report["actions"].as_array().unwrap().len();
    assert_eq!(cells.len(), 4 * 3 * actions);
    // Every plain expectation agrees with its matrix cell.
    for e in checks.iter().filter(|e| e["plain"] == true) {
        let cell = cells
            .iter()
            .find(|c| {
                c["principal"] == e["principal"]
                    && c["key"] == e["key"]
                    && c["action"] == e["action"]
            })
            .unwrap();
        assert_eq!(cell["answer"]["decision"], e["actual"]["decision"], "{e}");
    }
    let cell = |p: &str, k: &str, a: &str| {
        cells
            .iter()
            .find(|c| c["principal"] == p && c["key"] == k && c["action"] == a)
            .unwrap()["answer"]["decision"]
            .clone()
    };
    assert_eq!(cell("Charlie", "CMK-A", "kms:Encrypt"), "allow");
    assert_eq!(cell("Charlie", "CMK-A", "kms:Decrypt"), "implicit-deny");
    assert_eq!(cell("David", "CMK-C", "kms:Encrypt"), "explicit-deny");
    assert_eq!(cell("Alice", "CMK-B", "kms:Decrypt"), "implicit-deny");
}

#[test]
fn an_explicit_deny_points_at_the_denying_statement_in_its_file() {
    let (ws, text) = seed_with_cmk_c_in_a_file();
    let answer = ok(
        keyward_wasm::evaluate,
        &json!({"workspace": ws, "request": {"principal": "Bob", "action": "kms:Decrypt", "key": "CMK-C"}}),
    )["answer"]
        .clone();
    assert_eq!(answer["decision"], "explicit-deny");
    let reason = &answer["reasons"][0];
    assert_eq!(reason["kind"], "denied");
    assert_eq!(reason["effect"], "Deny");
    let at = &reason["statement"]["location"];
    assert_eq!(at["file"], "keys/CMK-C.json");
    let statement = utf16_slice(&text, &at["start"]["utf16"], &at["end"]["utf16"]);
    assert!(
        statement.starts_with('{') && statement.ends_with('}'),
        "{statement}"
    );
    assert!(statement.contains("\"Deny\""), "{statement}");
}

#[test]
fn an_inline_policy_is_located_in_the_scenario_itself() {
    let answer = ok(
        keyward_wasm::evaluate,
        &json!({"workspace": seed(), "request": {"principal": "Alice", "action": "kms:Encrypt", "key": "CMK-A"}}),
    )["answer"]
        .clone();
    assert_eq!(answer["decision"], "allow");
    assert_eq!(answer["delegation"]["sid"], "EnableIAMPolicies");
    let places: Vec<&Value> = answer["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["statement"]["location"])
        .collect();
    assert!(
        places.iter().all(|at| at["file"] == "seed-matrix.json"),
        "{places:?}"
    );
    // Both sides of the allow: the key policy's delegation and Alice's IAM statement.
    let slices: Vec<String> = places
        .iter()
        .map(|at| utf16_slice(SEED, &at["start"]["utf16"], &at["end"]["utf16"]))
        .collect();
    assert!(
        slices
            .iter()
            .any(|s| s.contains("arn:aws:iam::123412341234:root")),
        "{slices:?}"
    );
    assert!(
        slices.iter().any(|s| s.contains("AllowKmsOnCmkAAndCmkB")),
        "{slices:?}"
    );
}

#[test]
fn the_request_form_fields_reach_the_evaluator() {
    let scenario = json!({
        "region": "eu-west-1",
        "principals": {"App": {"arn": "arn:aws:iam::111122223333:role/App"}},
        "keys": {"K": {
            "arn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "policy": {"Version": "2012-10-17", "Statement": [{
                "Sid": "DecryptForFinanceViaS3",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
                "Action": "kms:Decrypt",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "kms:EncryptionContext:Department": "Finance",
                        "kms:ViaService": "s3.eu-west-1.amazonaws.com"
                    }
                }
            }]}
        }}
    });
    let ws = json!({"scenario": "s.json", "files": {"s.json": scenario.to_string()}});
    let ask = |ec: Value, context: Value, region: Value| {
        let request = json!({"principal": "App", "action": "kms:Decrypt", "key": "K",
            "encryptionContext": ec, "context": context, "region": region});
        ok(
            keyward_wasm::evaluate,
            &json!({"workspace": ws, "request": request}),
        )["answer"]
            .clone()
    };
    let finance = json!({"Department": "Finance"});
    let via_s3 = json!({"kms:ViaService": "s3.eu-west-1.amazonaws.com"});
    assert_eq!(
        ask(finance.clone(), via_s3.clone(), Value::Null)["decision"],
        "allow"
    );
    assert_eq!(
        ask(json!({"Department": "Sales"}), via_s3.clone(), Value::Null)["decision"],
        "implicit-deny"
    );
    assert_eq!(
        ask(finance.clone(), json!({}), Value::Null)["decision"],
        "implicit-deny"
    );
    // The right policy in the wrong Region: the key is not there.
    let elsewhere = ask(finance, via_s3, json!("us-east-1"));
    assert_eq!(elsewhere["decision"], "allow");
    assert_eq!(elsewhere["error"], "NotFoundException");
}

#[test]
fn bad_requests_are_error_values_that_say_what_is_wrong() {
    let err = |input: &Value| {
        let v = call(keyward_wasm::evaluate, input);
        assert_eq!(v["ok"], false, "{v}");
        assert_eq!(v["error"]["code"], "bad-input", "{v}");
        v["error"]["message"].as_str().unwrap().to_string()
    };
    let request = |p: &str, a: &str, k: &str| json!({"workspace": seed(), "request": {"principal": p, "action": a, "key": k}});
    assert!(err(&request("Zed", "kms:Decrypt", "CMK-A")).contains("no principal `Zed`"));
    assert!(err(&request("Alice", "kms:Decrypt", "CMK-Z")).contains("no key `CMK-Z`"));
    assert!(err(&request("Alice", "s3:GetObject", "CMK-A")).contains("not a KMS action"));
    assert!(err(&json!({"workspace": seed()})).contains("request"));
    let v = call(keyward_wasm::evaluate, &json!("not an object"));
    assert_eq!(v["error"]["code"], "bad-input");
    let missing = json!({"workspace": {"scenario": "nope.json", "files": {}}, "request": {"principal": "A", "action": "kms:Decrypt", "key": "K"}});
    assert!(err(&missing).contains("no file `nope.json`"));
}

#[test]
fn a_broken_policy_file_is_reported_in_that_file_at_its_line() {
    let (mut ws, _) = seed_with_cmk_c_in_a_file();
    ws["files"]["keys/CMK-C.json"] = json!(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": Deny}\n  ]\n}\n"
    );
    let report = ok(keyward_wasm::run_scenario, &json!({"workspace": ws}));
    assert_eq!(report["cells"], json!([]));
    let files = report["diagnostics"].as_array().unwrap();
    let file = files
        .iter()
        .find(|f| f["file"] == "keys/CMK-C.json")
        .unwrap();
    let first = &file["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["labels"][0]["start"]["line"], 4);
    // The evaluator refuses to answer on a broken world, and says where it breaks.
    let v = call(
        keyward_wasm::evaluate,
        &json!({"workspace": ws, "request": {"principal": "Bob", "action": "kms:Decrypt", "key": "CMK-C"}}),
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("keys/CMK-C.json:4"),
        "{v}"
    );
}

#[test]
fn a_reference_outside_the_workspace_or_to_a_missing_file_is_a_diagnostic() {
    for path in ["keys/none.json", "../outside.json", "/etc/passwd"] {
        let mut doc: Value = serde_json::from_str(SEED).unwrap();
        doc["keys"]["CMK-A"]["policy"] = json!({"file": path});
        let ws =
            json!({"scenario": "seed-matrix.json", "files": {"seed-matrix.json": doc.to_string()}});
        let report = ok(keyward_wasm::run_scenario, &json!({"workspace": ws}));
        let all: Vec<&Value> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["diagnostics"].as_array().unwrap())
            .collect();
        assert!(
            all.iter().any(|d| d["severity"] == "error"),
            "{path}: {all:?}"
        );
        assert_eq!(report["cells"], json!([]), "{path}");
    }
}

#[test]
fn matrix_actions_can_be_chosen_and_unknown_ones_are_reported() {
    let report = ok(
        keyward_wasm::run_scenario,
        &json!({"workspace": seed(), "actions": ["kms:DescribeKey", "kms:NoSuchThing", "describekey"]}),
    );
    assert_eq!(report["actions"], json!(["kms:DescribeKey"]));
    assert_eq!(report["unknownActions"], json!(["kms:NoSuchThing"]));
    assert_eq!(report["cells"].as_array().unwrap().len(), 12);
}

#[test]
fn lint_reports_a_wildcard_principal_at_its_statement() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"\n  }]\n}\n";
    let report = ok(
        keyward_wasm::lint,
        &json!({"text": text, "kind": "key", "name": "keys/K.json"}),
    );
    let finding = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "KW201")
        .unwrap();
    assert_eq!(finding["labels"][0]["start"]["line"], 4);
    let bad = call(
        keyward_wasm::lint,
        &json!({"text": text, "kind": "resource"}),
    );
    assert_eq!(bad["error"]["code"], "bad-input");
}

#[test]
fn lint_includes_parse_errors() {
    let report = ok(
        keyward_wasm::lint,
        &json!({"text": "{\"Version\": \"2012-10-17\",}"}),
    );
    assert!(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["severity"] == "error"));
}

#[test]
fn benchmark_decides_the_whole_matrix_each_round() {
    let report = ok(
        keyward_wasm::benchmark,
        &json!({"workspace": seed(), "actions": ["kms:Encrypt", "kms:Decrypt"], "rounds": 7}),
    );
    assert_eq!(report["requests"], 24);
    assert_eq!(report["decisions"], 24 * 7);
}

#[test]
fn actions_lists_the_kms_actions() {
    let list = ok(|_| keyward_wasm::actions(), &Value::Null);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(names.contains(&"kms:Decrypt") && names.contains(&"kms:ReEncryptFrom"));
    assert!(names.iter().all(|n| n.starts_with("kms:")));
}

/// Every fixture scenario, with every `.json` under `fixtures/scenarios/` as
/// the workspace (as the page's example menu loads them).
fn fixture_workspace() -> (Vec<String>, Value) {
    fn walk(
        dir: &std::path::Path,
        root: &std::path::Path,
        files: &mut serde_json::Map<String, Value>,
    ) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, files);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, Value::String(std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/scenarios");
    let mut files = serde_json::Map::new();
    walk(&root, &root, &mut files);
    let scenarios = files
        .iter()
        .filter(|(_, text)| {
            let doc: Value = serde_json::from_str(text.as_str().unwrap()).unwrap_or_default();
            doc.get("principals").is_some() || doc.get("keys").is_some()
        })
        .map(|(name, _)| name.clone())
        .collect();
    (scenarios, Value::Object(files))
}

#[test]
fn every_fixture_scenario_runs_green_through_the_exports() {
    let (scenarios, files) = fixture_workspace();
    assert!(scenarios.len() >= 13, "{scenarios:?}");
    for scenario in scenarios {
        let ws = json!({"scenario": scenario, "files": files});
        let report = ok(keyward_wasm::run_scenario, &json!({"workspace": ws}));
        assert_eq!(
            report["failed"], 0,
            "{scenario}: {}",
            report["expectations"]
        );
        assert!(report["passed"].as_u64().unwrap() > 0, "{scenario}");
        assert!(
            !report["cells"].as_array().unwrap().is_empty(),
            "{scenario}"
        );
    }
}

#[test]
fn an_outsider_named_by_arn_is_asked_about_with_a_note() {
    let asked = ok(
        keyward_wasm::evaluate,
        &json!({"workspace": seed(), "request": {"principal": "arn:aws:iam::999988887777:user/mallory",
            "action": "kms:Decrypt", "key": "CMK-A"}}),
    );
    assert_eq!(asked["answer"]["decision"], "implicit-deny");
    assert!(
        asked["notes"][0]
            .as_str()
            .unwrap()
            .contains("is not a principal of the scenario"),
        "{asked}"
    );
    let reasons = asked["answer"]["reasons"].as_array().unwrap();
    assert_eq!(reasons[0]["kind"], "missing");
    assert!(reasons[0]["help"]
        .as_str()
        .unwrap()
        .starts_with("add to key policy `CMK-A`"));
    assert_eq!(reasons.last().unwrap()["kind"], "consulted");
}

#[test]
fn a_mistyped_action_gets_a_suggestion() {
    let v = call(
        keyward_wasm::evaluate,
        &json!({"workspace": seed(), "request": {"principal": "Alice", "action": "kms:Decript", "key": "CMK-A"}}),
    );
    assert_eq!(v["ok"], false);
    assert_eq!(
        v["error"]["message"],
        "`kms:Decript` is not a KMS action: did you mean `kms:Decrypt`?"
    );
}

/// `value` reads as a `T` and writes back unchanged.
fn is_a<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), *value);
    typed
}

#[test]
fn the_page_gets_the_cli_s_answer_and_diagnostic_types() {
    let asked = ok(
        keyward_wasm::evaluate,
        &json!({"workspace": seed(), "request": {"principal": "Charlie", "action": "kms:Decrypt", "key": "CMK-A"}}),
    );
    let asked: keyward_eval::answer::AnsweredRequest = is_a(&asked);
    assert_eq!(asked.answer.decision, keyward_eval::Decision::ImplicitDeny);
    let report = ok(keyward_wasm::run_scenario, &json!({"workspace": seed()}));
    for cell in report["cells"].as_array().unwrap() {
        is_a::<keyward_eval::answer::AnsweredRequest>(cell);
    }
    let parsed = ok(keyward_wasm::parse, &json!("{\"Statement\": [}"));
    let _: Vec<keyward_policy::DiagnosticJson> = is_a(&parsed["diagnostics"]);
}

#[test]
fn a_deciding_grant_is_located_in_the_scenario_like_a_statement() {
    let story = include_str!("../../fixtures/scenarios/stories/11-grants-for-aws-services.json");
    let ws = json!({"scenario": "story.json", "files": {"story.json": story}});
    let asked = ok(
        keyward_wasm::evaluate,
        &json!({"workspace": ws, "request": {"principal": "ec2-infra", "action": "kms:Decrypt", "key": "volumes-key",
            "encryptionContext": {"aws:ebs:id": "vol-0b2d4f6a8c1e35790"}}}),
    );
    let answer = &asked["answer"];
    assert_eq!(answer["path"], "grant");
    let reason = &answer["reasons"][0];
    assert_eq!(reason["kind"], "grant");
    assert_eq!(reason["effect"], "Allow");
    let at = &reason["grant"]["location"];
    assert_eq!(at["file"], "story.json");
    let entry = utf16_slice(story, &at["start"]["utf16"], &at["end"]["utf16"]);
    assert!(
        entry.starts_with('{') && entry.contains("\"ebs-vol-0b2d4f6a8c1e35790\""),
        "{entry}"
    );
    assert_eq!(answer["grant"]["location"], *at);
}
