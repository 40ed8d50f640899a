//! Survey the shared corpus: why checks answer unknown on the managed
//! policies, and how the corpus key policies fare against a partner
//! account added to them.
use std::collections::BTreeMap;

use keyward_analysis::checks::{no_new_access, CheckOptions, Verdict};
use keyward_analysis::world::Kind;
use keyward_eval::PolicyDoc;
use keyward_policy::{parse_policy, Source};

fn doc(name: &str, text: &str) -> Option<PolicyDoc> {
    let policy = parse_policy(text).ok()?;
    Some(PolicyDoc::new(name, Source::new(name, text), policy))
}

fn main() {
    let shared = std::env::var("KEYWARD_SHARED").unwrap_or_else(|_| "../shared".into());
    let text = std::fs::read_to_string(format!("{shared}/corpus/aws-managed-policies.json"))
        .unwrap_or_default();
    let all: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_default();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (name, p) in &all {
        let Some(d) = doc(name, &p.to_string()) else {
            continue;
        };
        let o = no_new_access(&d, &d, Kind::Identity, &CheckOptions::default());
        if o.verdict == Verdict::Unknown {
            let r = o.reason.unwrap_or_default();
            let short: String = r
                .split('`')
                .enumerate()
                .map(|(i, s)| if i % 2 == 1 { "…" } else { s })
                .collect();
            *reasons.entry(short).or_default() += 1;
        }
    }
    println!("managed policies against themselves, unknown answers:");
    for (r, n) in reasons {
        println!("{n:5} {r}");
    }
    let Ok(dir) = std::fs::read_dir(format!("{shared}/corpus/keypolicies")) else {
        return;
    };
    let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    println!("corpus key policies with a partner account allowed kms:Decrypt:");
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (Some(base), Ok(mut value)) = (
            doc(&name, &text),
            serde_json::from_str::<serde_json::Value>(&text),
        ) else {
            continue;
        };
        let mut statements = match value["Statement"].take() {
            serde_json::Value::Array(s) => s,
            other => vec![other],
        };
        statements.push(serde_json::json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
            "Action": "kms:Decrypt", "Resource": "*"}));
        value["Statement"] = serde_json::Value::Array(statements);
        let Some(head) = doc("widened", &value.to_string()) else {
            continue;
        };
        let o = no_new_access(&base, &head, Kind::KeyPolicy, &CheckOptions::default());
        println!(
            "  {:7} {name} {}",
            o.verdict.as_str(),
            o.reason.unwrap_or_default()
        );
    }
}
