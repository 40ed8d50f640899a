//! Every JSON output of the CLI speaks one diagnostic type and one answer
//! type: each diagnostic of `parse`, `lint`, `query` and `scenario run`
//! reads back as a `keyward_policy::DiagnosticJson`, each answer of `query`,
//! `scenario run` and `scenario matrix` as a `keyward_eval::answer::Answer`,
//! and writing them again gives back the very same JSON (no field more, no
//! field less).

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers: output that is not the expected JSON fails the test"
)]

use std::process::Command;

use keyward_eval::answer::{Answer, AnsweredRequest};
use keyward_policy::DiagnosticJson;
use keyward_scenario::{MatrixJson, RunJson};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/scenarios/seed-matrix.json"
);

fn keyward(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `value` is exactly a `T`: it reads as one, and writes back unchanged.
fn is_a<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("not a {}: {e}\n{value:#}", std::any::type_name::<T>()));
    assert_eq!(&serde_json::to_value(&typed).unwrap(), value);
    typed
}

fn scratch(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("keyward-json-shapes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn parse_lint_query_and_scenario_diagnostics_are_one_type() {
    let bad_policy = scratch(
        "bad.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [}\n",
    );
    let parsed = keyward(&["parse", "--format", "json", &bad_policy]);
    let from_parse: Vec<DiagnosticJson> = is_a(&parsed[0]["diagnostics"]);
    assert_eq!(from_parse[0].start.map(|p| p.line), Some(3));

    let linted = keyward(&["lint", "--format", "json", &bad_policy]);
    let mut findings = linted["findings"].as_array().unwrap().clone();
    assert!(!findings.is_empty());
    for finding in &mut findings {
        // A lint finding is the diagnostic plus the name and category of its rule.
        let object = finding.as_object_mut().unwrap();
        object.remove("rule");
        object.remove("category");
    }
    let from_lint: Vec<DiagnosticJson> = is_a(&Value::Array(findings));
    assert_eq!(from_lint[0].code, from_parse[0].code);
    assert_eq!(from_lint[0].start, from_parse[0].start);

    let bad_scenario = scratch(
        "bad-scenario.json",
        r#"{"principals": {"A": {"arn": "arn:aws:iam::111122223333:user/A"}}, "keys": {}, "expect": [{"principal": "A", "action": "kms:Decript", "key": "K", "decision": "allow"}]}"#,
    );
    let queried = keyward(&[
        "query",
        "--scenario",
        &bad_scenario,
        "--principal",
        "A",
        "--action",
        "kms:Decrypt",
        "--key",
        "K",
        "--format",
        "json",
    ]);
    let from_query: Vec<DiagnosticJson> = is_a(&queried["errors"]);
    let ran = keyward(&["scenario", "run", "--format", "json", &bad_scenario, SEED]);
    let run: RunJson = is_a(&ran);
    assert_eq!(run.errors, from_query);
    assert!(!run.results.is_empty(), "the good file still runs");
}

#[test]
fn query_scenario_run_and_matrix_answers_are_one_type() {
    let asked = keyward(&[
        "query",
        "--scenario",
        SEED,
        "--principal",
        "Charlie",
        "--action",
        "kms:Decrypt",
        "--key",
        "CMK-A",
        "--format",
        "json",
    ]);
    let asked: AnsweredRequest = is_a(&asked);
    let ran: RunJson = is_a(&keyward(&["scenario", "run", "--format", "json", SEED]));
    let same = ran
        .results
        .iter()
        .find(|r| r.principal == "Charlie" && r.key == "CMK-A" && r.action == "kms:Decrypt")
        .unwrap();
    assert_eq!(same.actual, asked.answer);
    let matrix: MatrixJson = is_a(&keyward(&[
        "scenario",
        "matrix",
        "--format",
        "json",
        SEED,
        "--actions",
        "kms:Decrypt",
    ]));
    let cell: &Answer = &matrix
        .cells
        .iter()
        .find(|c| c.principal == "Charlie" && c.key == "CMK-A")
        .unwrap()
        .answer;
    assert_eq!(cell, &asked.answer);
}
