//! Hostile inputs to the browser playground's engine, through the very
//! functions the page calls (`keyward_wasm::{parse, lint, evaluate,
//! run_scenario}`, ordinary Rust functions natively). Each must answer with
//! its JSON envelope on a 1 MiB stack (a wasm module's default) within a
//! time limit: `ok: true` with diagnostics, or a `bad-input` error; never
//! `internal` (that is a caught panic: in the browser, a trap), never an
//! allow past a Deny it could not evaluate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const LIMIT: Duration = Duration::from_secs(20);

/// Call `export` with `input` on a 1 MiB-stack thread; the envelope.
fn call(what: &str, export: fn(&str) -> String, input: String) -> Value {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let _ = tx.send(export(&input));
        })
        .unwrap();
    let out = match rx.recv_timeout(LIMIT) {
        Ok(out) => out,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: still running after {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: the export itself panicked"),
    };
    println!("{what}: {} bytes in {:?}", out.len(), started.elapsed());
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{what}: not JSON ({e})"));
    assert_ne!(
        v["error"]["code"], "internal",
        "{what}: a crash inside the engine (a trap in the browser): {}",
        v["error"]["message"]
    );
    v
}

fn workspace(scenario: &str, files: &[(&str, String)]) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("scenario.json".into(), Value::String(scenario.into()));
    for (name, text) in files {
        map.insert((*name).into(), Value::String(text.clone()));
    }
    json!({"scenario": "scenario.json", "files": map})
}

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k";

fn scenario(policy: &str) -> String {
    format!(
        r#"{{"principals": {{"Alice": {{"arn": "arn:aws:iam::111122223333:user/alice"}}}},
 "keys": {{"K": {{"arn": "{KEY}", "policy": {policy}}}}}}}"#
    )
}

#[test]
fn parse_answers_hostile_text() {
    let depth = 100_000;
    for (what, text) in [
        (
            "deep nesting",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        ("16 MiB + 1", " ".repeat((16 << 20) + 1)),
        ("an error flood", format!("[{}]", "1 ".repeat(200_000))),
        (
            "control characters",
            "{\"a\":\"\u{1}\u{7f}\u{0}\"}".to_string(),
        ),
        (
            "lone surrogate escapes",
            r#"{"a":"\udc00\ud800"}"#.to_string(),
        ),
        (
            "2,000 stars",
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"kms:{}","Resource":"*"}}]}}"#,
                "*a".repeat(2_000)
            ),
        ),
        (
            "astral characters",
            "{\"Sid\":\"😀😀😀\", \"x\": }".to_string(),
        ),
    ] {
        let v = call(what, keyward_wasm::parse, text);
        assert_eq!(v["ok"], true, "{what}: {v}");
    }
}

/// (Deep YAML is left to `adversarial_lint.rs`, through the CLI: the
/// playground's build has no YAML, and a debug build of the YAML reader
/// needs more than this test's 1 MiB stack at its depth limit.)
#[test]
fn lint_answers_hostile_templates() {
    for (what, text, name) in [
        ("a lone bracket", "[".to_string(), "template.yaml"),
        ("deep JSON", "[".repeat(100_000), "policy.json"),
        (
            "a minified 70 kB line",
            format!("[{}x]", " ".repeat(70_000)),
            "policy.json",
        ),
        ("NUL bytes", "\0".repeat(100_000), "policy.json"),
    ] {
        let input = json!({"text": text, "name": name}).to_string();
        let v = call(what, keyward_wasm::lint, input);
        assert_eq!(v["ok"], true, "{what}: {v}");
    }
    let v = call(
        "not the input shape",
        keyward_wasm::lint,
        r#"{"txt": 1}"#.into(),
    );
    assert_eq!(v["error"]["code"], "bad-input", "{v}");
}

#[test]
fn requests_that_are_not_requests_are_bad_input() {
    for (what, input) in [
        ("empty", String::new()),
        (
            "deeply nested JSON",
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        ("a number", "42".into()),
        ("missing fields", r#"{"workspace": {}}"#.into()),
    ] {
        let v = call(what, keyward_wasm::evaluate, input.clone());
        assert_eq!(v["ok"], false, "{what}: {v}");
        let v = call(what, keyward_wasm::run_scenario, input);
        assert_eq!(v["ok"], false, "{what}: {v}");
    }
}

#[test]
fn workspaces_with_missing_or_circular_files_answer_with_diagnostics() {
    for (what, policy, files) in [
        ("a missing policy file", r#"{"file": "nope.json"}"#, vec![]),
        (
            "the scenario as its own policy",
            r#"{"file": "scenario.json"}"#,
            vec![],
        ),
        (
            "a file above the workspace",
            r#"{"file": "../../etc/passwd"}"#,
            vec![],
        ),
        ("an absolute path", r#"{"file": "/etc/passwd"}"#, vec![]),
        (
            "a policy file that is a scenario",
            r#"{"file": "p.json"}"#,
            vec![("p.json", scenario(r#"{"file": "scenario.json"}"#))],
        ),
        (
            "a 17 MiB policy file",
            r#"{"file": "big.json"}"#,
            vec![("big.json", " ".repeat(17 << 20))],
        ),
        (
            "a deeply nested policy file",
            r#"{"file": "deep.json"}"#,
            vec![("deep.json", "[".repeat(100_000))],
        ),
    ] {
        let ws = workspace(&scenario(policy), &files);
        let v = call(
            what,
            keyward_wasm::run_scenario,
            json!({"workspace": ws}).to_string(),
        );
        assert_eq!(v["ok"], true, "{what}: {v}");
        let diagnostics = v["value"]["diagnostics"].as_array().map_or(0, Vec::len);
        assert!(diagnostics > 0, "{what}: no diagnostic: {v}");
        let request = json!({"principal": "Alice", "action": "kms:Decrypt", "key": "K"});
        let v = call(
            what,
            keyward_wasm::evaluate,
            json!({"workspace": ws, "request": request}).to_string(),
        );
        assert_ne!(v["value"]["answer"]["decision"], "allow", "{what}: {v}");
    }
}

#[test]
fn the_playground_never_allows_past_an_unevaluable_deny() {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
    let ws = workspace(&scenario(policy), &[]);
    for ip in ["not-an-ip", "", "10.0.0.0/33", "::ffff:999.1.1.1"] {
        let request = json!({"principal": "Alice", "action": "kms:Decrypt", "key": "K", "context": {"aws:SourceIp": ip}});
        let v = call(
            ip,
            keyward_wasm::evaluate,
            json!({"workspace": ws, "request": request}).to_string(),
        );
        assert_eq!(
            v["value"]["answer"]["decision"], "explicit-deny",
            "{ip}: {v}"
        );
    }
    let request = json!({"principal": "Alice", "action": "kms:Decrypt", "key": "K", "context": {"aws:SourceIp": "192.0.2.1"}});
    let v = call(
        "a readable address",
        keyward_wasm::evaluate,
        json!({"workspace": ws, "request": request}).to_string(),
    );
    assert_eq!(v["value"]["answer"]["decision"], "allow", "{v}");
    // Hostile request fields: answered, never allowed by accident.
    for (what, request) in [
        (
            "an unknown action",
            json!({"principal": "Alice", "action": "kms:Nope", "key": "K"}),
        ),
        (
            "a wildcard principal",
            json!({"principal": "arn:aws:iam::111122223333:user/*", "action": "kms:Decrypt", "key": "K"}),
        ),
        (
            "an unknown key",
            json!({"principal": "Alice", "action": "kms:Decrypt", "key": "arn:aws:kms:us-east-1:111122223333:key/other"}),
        ),
        (
            "a 1 MiB principal",
            json!({"principal": "a".repeat(1 << 20), "action": "kms:Decrypt", "key": "K"}),
        ),
        (
            "a derived context key",
            json!({"principal": "Alice", "action": "kms:Decrypt", "key": "K", "context": {"aws:PrincipalArn": "arn:aws:iam::111122223333:root"}}),
        ),
    ] {
        let v = call(
            what,
            keyward_wasm::evaluate,
            json!({"workspace": ws, "request": request}).to_string(),
        );
        assert_ne!(v["value"]["answer"]["decision"], "allow", "{what}: {v}");
    }
}
