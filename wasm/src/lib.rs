//! # keyward-wasm
//!
//! The keyward engine for the browser playground (`wasm/www/`), built with
//! `wasm-bindgen --target web`.
//!
//! Every export takes plain text or JSON text and answers with a JSON
//! envelope: `{"ok": true, "value": …}` or `{"ok": false, "error": {"code",
//! "message"}}`. Bad input is an error value, never an exception; a bug is
//! reported as an `internal` error (see [`guard`]). The JSON shapes are typed
//! for TypeScript in `wasm/www/keyward.d.ts`.
//!
//! The page loads two modules built from this crate: the engine
//! (`--features engine`: parse, lint, evaluate, scenarios) on start, and
//! `compare` (`--features compare`: the request-space analysis — the
//! compare view and the who-can / what-can views — which would not fit the
//! engine's size budget) when one of those views first opens.
//! Native builds have both (the default).
//!
//! The exports are ordinary Rust functions too, so native tests and
//! benchmarks call exactly what the browser calls.

pub mod cli_json;
#[cfg(feature = "compare")]
pub mod compare;
mod dts;
pub mod evaluate;
pub mod guard;
pub mod lint;
pub mod parse;
pub mod scenario;
#[cfg(feature = "compare")]
pub mod who_can;
pub mod workspace;

use wasm_bindgen::prelude::wasm_bindgen;

/// The keyward version, e.g. `0.1.0`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Parse one policy document. Answers a `ParseReport`: whether it is valid,
/// and every diagnostic with line, column, byte and UTF-16 offsets.
#[cfg_attr(feature = "engine", wasm_bindgen)]
pub fn parse(text: &str) -> String {
    guard::respond(|| Ok(parse::parse_report(text)))
}

/// Lint one policy (`LintInput`). Answers a `LintReport`: parse diagnostics
/// and findings together, in source order.
#[cfg_attr(feature = "engine", wasm_bindgen)]
pub fn lint(json: &str) -> String {
    guard::respond(|| lint::lint(&guard::read_input(json)?))
}

/// Decide one request against the workspace's scenario (`EvaluateInput`).
/// Answers an `AnsweredRequest`: the question, notes on it, and the
/// `Answer` (the decision, the KMS error and located reasons).
#[cfg_attr(feature = "engine", wasm_bindgen)]
pub fn evaluate(json: &str) -> String {
    guard::respond(|| evaluate::evaluate(&guard::read_input(json)?))
}

/// Run the workspace's scenario (`ScenarioInput`). Answers a
/// `ScenarioReport`: the principal × key × action matrix and every
/// expectation checked, or the scenario's diagnostics by file.
#[cfg_attr(feature = "engine", wasm_bindgen(js_name = runScenario))]
pub fn run_scenario(json: &str) -> String {
    guard::respond(|| scenario::run(&guard::read_input(json)?))
}

/// Check every expectation of the workspace's scenario (`CheckInput`).
/// Answers a `RunJson`: what `keyward scenario run --format json` prints.
#[cfg_attr(feature = "engine", wasm_bindgen)]
pub fn check(json: &str) -> String {
    guard::respond(|| cli_json::check(&guard::read_input(json)?))
}

/// Decide every principal × key × action of the workspace's scenario
/// (`MatrixInput`). Answers a `MatrixJson`: what `keyward scenario matrix
/// --format json` prints.
#[cfg_attr(feature = "engine", wasm_bindgen)]
pub fn matrix(json: &str) -> String {
    guard::respond(|| cli_json::matrix(&guard::read_input(json)?))
}

/// Decide the scenario's matrix `rounds` times on one compiled scenario
/// (`BenchmarkInput`); the caller times it. Answers a `BenchmarkReport`.
#[cfg_attr(feature = "engine", wasm_bindgen)]
pub fn benchmark(json: &str) -> String {
    guard::respond(|| scenario::benchmark(&guard::read_input(json)?))
}

/// Compare a policy before and after a change (`CompareInput`). Answers a
/// `CompareReport`: the access gained and lost, each change with a witness
/// request and both versions' answers to it (the changes of `keyward diff
/// --format json`).
#[cfg(feature = "compare")]
#[wasm_bindgen]
pub fn compare(json: &str) -> String {
    guard::respond(|| compare::compare(&guard::read_input(json)?))
}

/// Who can be allowed each action on a key of the workspace's scenario
/// (`WhoCanInput`). Answers a `WhoCanReport`: `keyward who-can --format
/// json`'s entries, each with how, when, the KMS error and a witness request.
#[cfg(feature = "compare")]
#[wasm_bindgen(js_name = whoCan)]
pub fn who_can(json: &str) -> String {
    guard::respond(|| who_can::who_can(&guard::read_input(json)?))
}

/// What a principal of the workspace's scenario can be allowed on its keys
/// (`WhatCanInput`). Answers a `WhoCanReport`: `keyward what-can --format
/// json`'s entries.
#[cfg(feature = "compare")]
#[wasm_bindgen(js_name = whatCan)]
pub fn what_can(json: &str) -> String {
    guard::respond(|| who_can::what_can(&guard::read_input(json)?))
}

/// Every KMS action keyward knows (`kms:CancelKeyDeletion`, …), for the
/// request form's suggestions. A JSON array of strings.
#[cfg_attr(feature = "engine", wasm_bindgen)]
pub fn actions() -> String {
    guard::respond(|| {
        Ok(keyward_eval::KmsAction::ALL
            .iter()
            .map(|a| a.qualified_name())
            .collect::<Vec<_>>())
    })
}

/// The message of the panic that trapped the previous call, if there was
/// one. The worker asks for it after a `RuntimeError`, then starts afresh.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    guard::take_last_panic()
}
