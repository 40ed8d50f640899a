//! Decisions per second on the seed matrix and on a realistic key.
//!
//! `cargo bench -p keyward-eval --bench decide`. Each benchmark decides a
//! batch of prepared requests; divan's counter turns the time into
//! decisions per second, and its allocation profiler shows that deciding
//! does not allocate.

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use keyward_eval::{Authorizer, KmsAction, Request};
use keyward_policy::Source;
use keyward_scenario::{load, MemoryLoader, Scenario};

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

fn scenario(name: &str) -> Scenario {
    let path = format!(
        "{}/../../fixtures/scenarios/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match load(Source::new(path, text), &MemoryLoader::new()) {
        Ok(s) => s,
        Err(problems) => {
            eprintln!("cannot load {name}: {problems:?}");
            std::process::exit(2);
        }
    }
}

/// Every (principal, key, action) cell for these actions.
fn cells(auth: &Authorizer, actions: &[KmsAction]) -> Vec<Request> {
    let mut out = Vec::new();
    for p in auth.principals() {
        for k in auth.keys() {
            for &a in actions {
                if let Ok(r) = Request::new(p, a, k) {
                    out.push(r.in_region("us-east-1"));
                }
            }
        }
    }
    out
}

fn decide_all(b: Bencher<'_, '_>, auth: &Authorizer, requests: &[Request]) {
    b.counter(ItemsCount::new(requests.len())).bench_local(|| {
        for r in requests {
            black_box(auth.decide(black_box(r)).decision());
        }
    });
}

/// The 24 cells of spec/seed-matrix.md (4 users × 3 keys × Encrypt, Decrypt).
#[divan::bench]
fn seed_matrix_encrypt_decrypt(b: Bencher<'_, '_>) {
    let s = scenario("seed-matrix.json");
    let requests = cells(&s.authorizer, &[KmsAction::Encrypt, KmsAction::Decrypt]);
    decide_all(b, &s.authorizer, &requests);
}

/// The seed matrix for every KMS action that targets a key.
#[divan::bench]
fn seed_matrix_every_key_action(b: Bencher<'_, '_>) {
    let s = scenario("seed-matrix.json");
    let actions: Vec<KmsAction> = KmsAction::ALL
        .iter()
        .copied()
        .filter(|a| a.targets_key())
        .collect();
    let requests = cells(&s.authorizer, &actions);
    decide_all(b, &s.authorizer, &requests);
}

/// The realistic key (console default policy + ViaService/CallerAccount +
/// an organization guard, a role with three IAM policies, ten grants): the
/// scenario's own requests, with their contexts.
#[divan::bench]
fn realistic_key(b: Bencher<'_, '_>) {
    let s = scenario("realistic.json");
    let requests: Vec<Request> = s.checks.iter().map(|c| c.request.clone()).collect();
    decide_all(b, &s.authorizer, &requests);
}

/// Compiling the realistic scenario (parse, lower, compile) once.
#[divan::bench]
fn realistic_compile(b: Bencher<'_, '_>) {
    let path = format!(
        "{}/../../fixtures/scenarios/realistic.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    b.bench_local(|| {
        load(
            Source::new("r.json", black_box(text.as_str())),
            &MemoryLoader::new(),
        )
        .is_ok()
    });
}
