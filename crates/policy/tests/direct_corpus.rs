//! The direct path (straight from the tokens) against the tree path on real
//! policies: every managed policy and key policy of the shared corpus, each
//! as it is in the file and re-printed pretty and with its keys reordered,
//! gives the same model span for span and the same diagnostics either way.
//!
//! The corpus lives in `shared/` beside the repository (or `$KEYWARD_SHARED`);
//! when it is absent these tests print "skipped: …" and pass.

use std::path::PathBuf;

use keyward_policy::json::{parse, JsonKind, ParseOptions};
use keyward_policy::{parse_policy_via_tree, parse_policy_with};

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: shared corpus not found at {}", dir.display());
        None
    }
}

/// Both paths on `text`: the same answer, spans included (`Debug` shows
/// them; `Spanned` equality ignores them). Returns whether it was valid.
fn same_answer(name: &str, text: &str) -> bool {
    let options = ParseOptions::default();
    let direct = parse_policy_with(text, &options);
    let tree = parse_policy_via_tree(text, &options);
    assert_eq!(format!("{direct:#?}"), format!("{tree:#?}"), "{name}");
    direct.policy.is_some()
}

/// `value` re-printed with its object keys in reverse order (so `Version`
/// comes after `Statement`, or before it where the file has it after).
fn reversed(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(members) => {
            let inner: Vec<String> = members
                .iter()
                .rev()
                .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), reversed(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        serde_json::Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(reversed).collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
}

#[test]
fn every_managed_policy_reads_the_same_by_both_paths() {
    let Some(dir) = shared() else { return };
    let Ok(text) = std::fs::read_to_string(dir.join("corpus/aws-managed-policies.json")) else {
        println!("skipped: managed policies not found");
        return;
    };
    let parsed = parse(&text, &ParseOptions::default());
    let Some(JsonKind::Object(members)) = parsed.value.map(|v| v.kind) else {
        panic!("the managed policies file is not an object");
    };
    assert_eq!(members.len(), 1594);
    let mut valid = 0;
    for member in &members {
        let policy = &text[member.value.span.range()];
        valid += usize::from(same_answer(&member.key, policy));
        let value: serde_json::Value = serde_json::from_str(policy).unwrap_or_default();
        same_answer(
            &member.key,
            &serde_json::to_string_pretty(&value).unwrap_or_default(),
        );
        same_answer(&member.key, &reversed(&value));
    }
    assert_eq!(valid, 1594, "every managed policy is valid");
}

#[test]
fn every_key_policy_reads_the_same_by_both_paths() {
    let Some(dir) = shared() else { return };
    let mut files: Vec<PathBuf> = ["corpus/keypolicies", "corpus/keypolicies/statements"]
        .iter()
        .filter_map(|d| std::fs::read_dir(dir.join(d)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("INDEX.json"))
        .collect();
    files.sort();
    if files.is_empty() {
        println!("skipped: no key policies in the corpus");
        return;
    }
    let mut valid = 0;
    for path in &files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        valid += usize::from(same_answer(&name, &text));
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            same_answer(&name, &reversed(&value));
        }
    }
    // Two of them are published with broken JSON.
    assert_eq!(valid, files.len() - 2);
}
