//! Decisions per second on a scenario's Encrypt/Decrypt cells, as one JSON
//! line, for `bench/iam-simulate/run.sh` (the divan bench is the reference
//! measurement; this is the same loop without a harness).
//!
//! `cargo run --release -p keyward-eval --example throughput -- SCENARIO.json [SECONDS]`

use std::time::{Duration, Instant};

use keyward_eval::{KmsAction, Request};
use keyward_policy::Source;
use keyward_scenario::{load, MemoryLoader};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: throughput SCENARIO.json [SECONDS]");
        std::process::exit(2);
    };
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let scenario = match load(Source::new(path.as_str(), text), &MemoryLoader::new()) {
        Ok(s) => s,
        Err(problems) => {
            eprintln!("cannot load {path}: {} problem(s)", problems.len());
            std::process::exit(2);
        }
    };
    let auth = &scenario.authorizer;
    let mut requests = Vec::new();
    let mut answers = Vec::new();
    for p in auth.principals() {
        for k in auth.keys() {
            for a in [KmsAction::Encrypt, KmsAction::Decrypt] {
                if let Ok(r) = Request::new(p, a, k) {
                    let d = auth.decide(&r).decision();
                    answers.push(format!(
                        "\"{} {} {}\": \"{}\"",
                        auth.principal_name(p),
                        a,
                        auth.key_name(k),
                        d.as_str()
                    ));
                    requests.push(r);
                }
            }
        }
    }
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut decisions: u64 = 0;
    while start.elapsed() < budget {
        for _ in 0..1000 {
            for r in &requests {
                std::hint::black_box(auth.decide(std::hint::black_box(r)).decision());
            }
        }
        decisions += 1000 * requests.len() as u64;
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{{\"decisions\": {decisions}, \"seconds\": {elapsed}, \"perSecond\": {}, \"answers\": {{{}}}}}",
        decisions as f64 / elapsed,
        answers.join(", ")
    );
}
