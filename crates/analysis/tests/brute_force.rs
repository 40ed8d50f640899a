//! The checks against brute force through the forward evaluator, on random
//! key-policy pairs:
//!
//! - every FAIL witness, replayed in an authorizer built from its fields
//!   alone, is allowed by the head policy and not by the base;
//! - on PASS, 10,000 random requests find none that the head allows and
//!   the base does not;
//! - a policy compared with itself, or with its statements reordered,
//!   passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]
mod gen;

use gen::{callers, doc, mutate, policy_text, replay, request, statements, world, Rng};
use keyward_analysis::checks::{no_new_access, CheckOptions, Verdict};
use keyward_analysis::world::Kind;
use keyward_eval::Decision;

const PAIRS: u64 = 150;
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
                    if options.space.key_arn.is_some() && r.key() != head_auth.keys().next() {
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
    for seed in 0..100u64 {
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

#[test]
fn identity_policies_pass_means_no_random_request_gains_access() {
    let (mut passes, mut fails, mut unknowns) = (0, 0, 0);
    for seed in 0..80u64 {
        let mut rng = Rng::new(5000 + seed);
        let base_statements: Vec<String> = (0..1 + rng.below(3))
            .map(|_| gen::identity_statement(&mut rng))
            .collect();
        let mut head_statements = base_statements.clone();
        let i = rng.below(head_statements.len());
        head_statements[i] = gen::identity_statement(&mut rng);
        let base = doc("base", &policy_text(&base_statements));
        let head = doc("head", &policy_text(&head_statements));
        let outcome = no_new_access(&base, &head, Kind::Identity, &CheckOptions::default());
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
                        gen::replay_identity(&head, w),
                        Decision::Allow,
                        "{}\n{w:#?}",
                        context()
                    );
                    assert_ne!(
                        gen::replay_identity(&base, w),
                        Decision::Allow,
                        "{}\n{w:#?}",
                        context()
                    );
                }
            }
            Verdict::Pass => {
                passes += 1;
                let who = gen::identity_callers(&mut rng, 60);
                let world_seed = rng.next();
                let head_auth = gen::identity_world(&head, &who, world_seed);
                let base_auth = gen::identity_world(&base, &who, world_seed);
                for _ in 0..REQUESTS {
                    let r = request(&mut rng, &head_auth, who.len());
                    let h = head_auth.decide(&r).decision();
                    let b = base_auth.decide(&r).decision();
                    assert!(
                        !(h == Decision::Allow && b != Decision::Allow),
                        "{}\n{r:?}",
                        context()
                    );
                }
            }
            Verdict::Unknown => unknowns += 1,
        }
    }
    eprintln!("identity: {passes} passes, {fails} fails, {unknowns} unknowns");
    assert!(passes >= 5 && fails >= 5);
}

#[test]
fn access_not_granted_and_no_public_access_agree_with_random_requests() {
    use keyward_analysis::checks::{access_not_granted, no_public_access, Trust};
    use keyward_eval::{ActionSet, KmsAction};
    let key = gen::KEYS[0];
    let mut options = CheckOptions::default();
    options.space.key_arn = Some(key.to_string());
    for seed in 0..60u64 {
        let mut rng = Rng::new(9000 + seed);
        let policy = doc("policy", &policy_text(&statements(&mut rng)));
        let asked = [KmsAction::Decrypt, KmsAction::PutKeyPolicy];
        let anything = access_not_granted(
            &policy,
            Kind::KeyPolicy,
            ActionSet::of(&asked),
            &[],
            &options,
        );
        let outside = no_public_access(&policy, &Trust::default(), &options);
        for w in anything.witnesses.iter().chain(&outside.witnesses) {
            assert_eq!(
                replay(&policy, w),
                Decision::Allow,
                "seed {seed}: {}\n{w:#?}",
                policy.source.text()
            );
        }
        for w in &anything.witnesses {
            assert!(asked.contains(&w.action), "{w:#?}");
        }
        for w in &outside.witnesses {
            assert!(
                !w.principal.contains("111122223333") && !w.principal.ends_with(".amazonaws.com"),
                "{w:#?}"
            );
        }
        let who = callers(&mut rng, 120);
        let auth = world(&policy, &who, rng.next());
        let first_key = auth.keys().next().unwrap();
        for _ in 0..3_000 {
            let r = request(&mut rng, &auth, who.len());
            if r.key() != Some(first_key) || auth.decide(&r).decision() != Decision::Allow {
                continue;
            }
            let caller = &who[auth
                .principals()
                .position(|p| p == r.principal())
                .unwrap_or(0)];
            if asked.contains(&r.action()) {
                assert_ne!(
                    anything.verdict,
                    Verdict::Pass,
                    "seed {seed}: {}\n{r:?} {caller:?}",
                    policy.source.text()
                );
            }
            let outsider =
                !caller.arn.contains("111122223333") && !caller.arn.ends_with(".amazonaws.com");
            if outsider {
                assert_ne!(
                    outside.verdict,
                    Verdict::Pass,
                    "seed {seed}: {}\n{r:?} {caller:?}",
                    policy.source.text()
                );
            }
        }
    }
}
