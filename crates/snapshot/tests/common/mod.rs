//! Test helpers: fixtures read into memory, and their expectations.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use keyward_eval::{ContextValue, Decision, KmsAction, KmsErrorKind};
use keyward_snapshot::{load, Ask, LoadOptions, MemoryFiles, Snapshot, Verdict};

/// `fixtures/snapshots/NAME`.
pub fn dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/snapshots")
        .join(name)
}

/// Every file of a fixture, in memory.
pub fn fixture(name: &str) -> MemoryFiles {
    let root = dir(name);
    let mut files = MemoryFiles::new();
    let mut pending = vec![root.clone()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pending.push(p);
            } else {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(&rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

pub fn load_fixture(name: &str) -> Snapshot {
    load(&fixture(name), &LoadOptions::default())
}

/// One expectation of `fixtures/snapshots/NAME.expect.json`.
#[derive(Debug, Clone)]
pub struct Expect {
    pub ask: Ask,
    /// `allow`, `explicit-deny`, `implicit-deny` or `incomplete`.
    pub decision: String,
    pub error: Option<String>,
}

pub fn expectations(name: &str) -> Vec<Expect> {
    let text = std::fs::read_to_string(dir(&format!("{name}.expect.json"))).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["expect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let mut ask = Ask::new(
                x["principal"].as_str().unwrap(),
                KmsAction::parse(x["action"].as_str().unwrap()).unwrap(),
                x["key"].as_str().unwrap(),
            );
            ask.region = x["region"].as_str().map(str::to_string);
            if let Some(c) = x["context"].as_object() {
                for (k, v) in c {
                    ask.context
                        .push((k.clone(), ContextValue::One(v.as_str().unwrap().into())));
                }
            }
            if let Some(c) = x["encryptionContext"].as_object() {
                for (k, v) in c {
                    ask.encryption_context
                        .push((k.clone(), v.as_str().unwrap().to_string()));
                }
            }
            Expect {
                ask,
                decision: x["decision"].as_str().unwrap().to_string(),
                error: x["error"].as_str().map(str::to_string),
            }
        })
        .collect()
}

/// The answer as `(decision, error)` words: `("incomplete", None)` for an
/// incomplete one.
pub fn words(v: &Verdict<'_>) -> (String, Option<String>) {
    match v {
        Verdict::Complete(r) => (
            r.decision().as_str().to_string(),
            r.error().map(|e| e.kind().as_str().to_string()),
        ),
        Verdict::Incomplete(_) => ("incomplete".to_string(), None),
    }
}

pub fn outcome(decision: Decision, error: Option<KmsErrorKind>) -> (String, Option<String>) {
    (
        decision.as_str().to_string(),
        error.map(|e| e.as_str().to_string()),
    )
}

/// Every KMS action that acts on a key.
pub fn key_actions() -> Vec<KmsAction> {
    KmsAction::ALL
        .iter()
        .copied()
        .filter(|a| a.targets_key())
        .collect()
}
