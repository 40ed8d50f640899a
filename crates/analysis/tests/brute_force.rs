//! The checks against brute force through the forward evaluator, on random
//! key-policy pairs:
//!
//! - every FAIL witness, replayed in an authorizer built from its fields
//!   alone, is allowed by the head policy and not by the base;
//! - on PASS, 10,000 random requests find none that the head allows and
//!   the base does not;
//! - a policy compared with itself, or with its statements reordered,
//!   passes.

mod gen;

use gen::{callers, doc, mutate, policy_text, replay, request, statements, world, Rng};
use keyward_analysis::checks::{no_new_access, CheckOptions, Verdict};
use keyward_analysis::world::Kind;
use keyward_eval::Decision;

const PAIRS: u64 = 200;
const REQUESTS: usize = 10_000;

#[test]
fn pass_means_no_random_request_gains_access_and_every_witness_replays() {
    let (mut passes, mut fails, mut unknowns) = (0, 0, 0);
    for seed in 0..PAIRS {
        let mut rng = Rng::new(seed + 1);
        let base_statements = statements(&mut rng);
        let head_statements = if rng.chance(70) {
            mutate(&mut rng, &base_statements)
        } else {
            statements(&mut rng)
        };
        let base = doc("base", &policy_text(&base_statements));
        let head = doc("head", &policy_text(&head_statements));
        let mut options = CheckOptions::default();
        if rng.chance(50) {
            options.space.key_arn = Some(gen::KEYS[0].to_string());
        }
        let outcome = no_new_access(&base, &head, Kind::KeyPolicy, &options);
        let context = || {
            format!(
                "seed {seed}\nbase: {}\nhead: {}",
                base.source.text(),
                head.source.text()
            )
        };
        match outcome.verdict {
            Verdict::Fail => {
                fails += 1;
                for w in &outcome.witnesses {
                    assert_eq!(
                        replay(&head, w),
                        Decision::Allow,
                        "{}\nwitness {w:#?}",
                        context()
                    );
                    assert_ne!(
                        replay(&base, w),
                        Decision::Allow,
                        "{}\nwitness {w:#?}",
                        context()
                    );
                }
            }
            Verdict::Pass => {
                passes += 1;
                let who = callers(&mut rng, 120);
                let world_seed = rng.next();
                let head_auth = world(&head, &who, world_seed);
                let base_auth = world(&base, &who, world_seed);
                for _ in 0..REQUESTS {
                    let r = request(&mut rng, &head_auth, who.len());
                    if options.space.key_arn.is_some()
                        && r.key() != head_auth.keys().next().unwrap()
                    {
                        continue;
                    }
                    let h = head_auth.decide(&r).decision();
                    let b = base_auth.decide(&r).decision();
                    assert!(
                        !(h == Decision::Allow && b != Decision::Allow),
                        "{}\nPASS, but the head allows {:?} by {:?} and the base does not",
                        context(),
                        r,
                        who[head_auth
                            .principals()
                            .position(|p| p == r.principal())
                            .unwrap_or(0)],
                    );
                }
            }
            Verdict::Unknown => {
                unknowns += 1;
                eprintln!("unknown: {:?}\n{}", outcome.reason, context());
            }
        }
    }
    eprintln!("{passes} passes, {fails} fails, {unknowns} unknowns");
    assert!(
        passes >= 10 && fails >= 10,
        "the random pairs should exercise both answers"
    );
    assert!(
        unknowns * 10 <= PAIRS as usize,
        "too many unknowns: {unknowns}"
    );
}

#[test]
fn a_policy_compared_with_itself_or_reordered_passes() {
    for seed in 0..PAIRS {
        let mut rng = Rng::new(1000 + seed);
        let stmts = statements(&mut rng);
        let mut reordered = stmts.clone();
        reordered.reverse();
        let base = doc("base", &policy_text(&stmts));
        for head in [
            doc("head", &policy_text(&stmts)),
            doc("head", &policy_text(&reordered)),
        ] {
            let outcome = no_new_access(&base, &head, Kind::KeyPolicy, &CheckOptions::default());
            assert_ne!(
                outcome.verdict,
                Verdict::Fail,
                "seed {seed}: {}\n{:#?}",
                base.source.text(),
                outcome.witnesses
            );
            if outcome.verdict == Verdict::Unknown {
                eprintln!("unknown: {:?}", outcome.reason);
            }
        }
    }
}
