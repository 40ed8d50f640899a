//! Triage aid for the differential tests: run many generated worlds
//! without stopping at the first disagreement, and print each kind of
//! disagreement (action, reference answer, engine answer) with a count and
//! its first example.
//!
//! ```sh
//! cargo run --release -p keyward-tests --example diff_survey -- 5000
//! ```

use std::collections::BTreeMap;

use keyward_tests::reference::diff::{compare, report, Tally};
use keyward_tests::reference::gen::{self, Bytes, Choices, Rng};
use keyward_tests::reference::Fast;

fn main() {
    let worlds: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let mut kinds: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut tally = Tally::default();
    for w in 0..worlds {
        let mut c = Rng::new(w.wrapping_mul(0x9E37_79B9));
        let bytes: Vec<u8> = (0..900).map(|_| c.below(256) as u8).collect();
        let g = gen::world(&mut Bytes::new(&bytes));
        let fast = match Fast::build(&g.world) {
            Ok(f) => f,
            Err(e) => {
                println!("world {w}: the engine refused it: {e}");
                continue;
            }
        };
        for _ in 0..250 {
            let req = gen::request(&mut c, &g.world);
            let got = match fast.decide(&req) {
                Ok(a) => a,
                Err(e) => {
                    println!("world {w}: the engine refused a request: {e}");
                    continue;
                }
            };
            if let Err(expected) = compare(&g.world, &req, got, &mut tally) {
                let kind = format!("{} | reference {expected:?} | engine {got:?}", req.action);
                let entry = kinds
                    .entry(kind)
                    .or_insert_with(|| (0, report(&g, &req, expected, got, &fast)));
                entry.0 += 1;
            }
        }
    }
    println!(
        "survey: {} cases, {} kinds of disagreement",
        tally.cases,
        kinds.len()
    );
    for (deviation, n) in &tally.known {
        println!("known engine deviation — {deviation}: {n} cases");
    }
    for (kind, (n, example)) in &kinds {
        println!("=== {n} × {kind}\n{example}");
    }
}
