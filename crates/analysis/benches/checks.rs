//! Benchmarks of the checks on real policies from the shared corpus
//! (`../shared`, or `KEYWARD_SHARED`); skipped plainly when it is absent.
//!
//! - each valid corpus key policy against a mutated version of itself:
//!   its statements reversed (a PASS: every class is decided) and with a
//!   partner account added (a FAIL: the search stops at the witnesses);
//! - every AWS managed policy against itself as an identity policy, all in
//!   one run.
//!
//! Before the benchmarks, the class counts (median, max) are printed.

use std::path::PathBuf;
use std::sync::OnceLock;

use keyward_analysis::checks::{no_new_access, CheckOptions, Verdict};
use keyward_analysis::space::{Space, SpaceOptions};
use keyward_analysis::world::Kind;
use keyward_eval::PolicyDoc;
use keyward_policy::{parse_policy, Source};

fn main() {
    report_class_counts();
    divan::main();
}

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.is_dir().then_some(dir)
}

fn doc(name: &str, text: &str) -> Option<PolicyDoc> {
    let policy = parse_policy(text).ok()?;
    Some(PolicyDoc::new(name, Source::new(name, text), policy))
}

/// The valid corpus key policies, with their two mutations.
fn key_policies() -> &'static [(PolicyDoc, PolicyDoc, PolicyDoc)] {
    static CELL: OnceLock<Vec<(PolicyDoc, PolicyDoc, PolicyDoc)>> = OnceLock::new();
    CELL.get_or_init(|| {
        let Some(dir) = shared() else {
            eprintln!("skipped: shared corpus not found");
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join("corpus/keypolicies"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.sort();
        let mut out = Vec::new();
        for path in paths {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if !name.ends_with(".json") || name == "INDEX.json" {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Some(base) = doc(&name, &text) else { continue };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            let mut statements = match &value["Statement"] {
                serde_json::Value::Array(s) => s.clone(),
                other => vec![other.clone()],
            };
            statements.reverse();
            let mut reversed = value.clone();
            reversed["Statement"] = serde_json::Value::Array(statements.clone());
            let mut widened = value.clone();
            statements.push(serde_json::json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                "Action": "kms:Decrypt", "Resource": "*"}));
            widened["Statement"] = serde_json::Value::Array(statements);
            let (Some(reversed), Some(widened)) = (
                doc("reversed", &reversed.to_string()),
                doc("widened", &widened.to_string()),
            ) else {
                continue;
            };
            out.push((base, reversed, widened));
        }
        out
    })
}

/// Every AWS managed policy.
fn managed_policies() -> &'static [PolicyDoc] {
    static CELL: OnceLock<Vec<PolicyDoc>> = OnceLock::new();
    CELL.get_or_init(|| {
        let Some(dir) = shared() else {
            return Vec::new();
        };
        let Ok(text) = std::fs::read_to_string(dir.join("corpus/aws-managed-policies.json")) else {
            return Vec::new();
        };
        let Ok(serde_json::Value::Object(all)) = serde_json::from_str::<serde_json::Value>(&text)
        else {
            return Vec::new();
        };
        all.iter()
            .filter_map(|(name, p)| doc(name, &p.to_string()))
            .collect()
    })
}

fn median_and_max(mut counts: Vec<usize>) -> (usize, usize) {
    counts.sort_unstable();
    let median = counts.get(counts.len() / 2).copied().unwrap_or(0);
    (median, counts.last().copied().unwrap_or(0))
}

fn report_class_counts() {
    let keys = key_policies();
    if keys.is_empty() {
        return;
    }
    let mut counts = Vec::new();
    let mut verdicts = [0usize; 3];
    for (base, reversed, widened) in keys {
        let o = no_new_access(base, reversed, Kind::KeyPolicy, &CheckOptions::default());
        counts.push(o.classes);
        verdicts[o.verdict as usize] += 1;
        let o = no_new_access(base, widened, Kind::KeyPolicy, &CheckOptions::default());
        verdicts[o.verdict as usize] += 1;
    }
    let (median, max) = median_and_max(counts);
    eprintln!(
        "{} corpus key policies vs reversed: classes median {median}, max {max}; verdicts pass/fail/unknown {:?}",
        keys.len(),
        verdicts
    );
    let managed = managed_policies();
    let mut counts = Vec::new();
    let mut unknown = 0;
    for p in managed {
        match Space::new(&[p, p], Kind::Identity, &SpaceOptions::default()).and_then(|s| s.count())
        {
            Ok(n) => counts.push(n),
            Err(_) => unknown += 1,
        }
    }
    let (median, max) = median_and_max(counts);
    eprintln!(
        "{} managed policies: classes median {median}, max {max}; {unknown} unknown",
        managed.len()
    );
}

const CORPUS_SIZE: usize = 28;

#[divan::bench(args = 0..CORPUS_SIZE, sample_count = 20)]
fn key_policy_vs_reversed(bencher: divan::Bencher, i: usize) {
    let Some((base, reversed, _)) = key_policies().get(i) else {
        return;
    };
    bencher.bench(|| {
        let o = no_new_access(
            divan::black_box(base),
            reversed,
            Kind::KeyPolicy,
            &CheckOptions::default(),
        );
        assert_ne!(o.verdict, Verdict::Fail);
    });
}

#[divan::bench(args = 0..CORPUS_SIZE, sample_count = 20)]
fn key_policy_vs_widened(bencher: divan::Bencher, i: usize) {
    let Some((base, _, widened)) = key_policies().get(i) else {
        return;
    };
    // Most fail; a base that already lets the partner (or anyone) decrypt passes.
    bencher.bench(|| {
        no_new_access(
            divan::black_box(base),
            widened,
            Kind::KeyPolicy,
            &CheckOptions::default(),
        )
    });
}

#[divan::bench(sample_count = 3)]
fn all_managed_policies_against_themselves(bencher: divan::Bencher) {
    let policies = managed_policies();
    bencher.bench(|| {
        for p in policies {
            let o = no_new_access(
                divan::black_box(p),
                p,
                Kind::Identity,
                &CheckOptions::default(),
            );
            assert_ne!(o.verdict, Verdict::Fail, "{}", p.name);
        }
    });
}
