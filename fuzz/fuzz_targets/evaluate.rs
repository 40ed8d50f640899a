//! The evaluator on policies libFuzzer writes: the input's first part holds
//! up to three policy texts (key policy, identity policy, permissions
//! boundary, separated by byte 0x01, ended by 0x00); the rest chooses a
//! world and requests (`keyward_tests::reference::gen`). The fuzzer's
//! texts replace the generated ones when they parse.
//!
//! Checks: no panic while compiling, deciding or explaining; a world with a
//! key policy KMS refuses is refused, not decided; a denied request carries
//! no KMS error (but `NotFoundException` when its key reference found no
//! key); and never an Allow when a Deny statement could not be evaluated
//! (an unevaluable Deny applies: fail closed).

#![no_main]

use keyward_policy::parse_policy;
use keyward_tests::reference::gen::{self, Bytes};
use keyward_tests::reference::{invalid_request, Decision, Fast};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (texts, choices) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&[][..], data),
    };
    let mut c = Bytes::new(choices);
    let mut g = gen::world(&mut c);
    let policies: Vec<_> = texts
        .split(|b| *b == 1)
        .take(3)
        .map(|t| {
            std::str::from_utf8(t)
                .ok()
                .and_then(|t| parse_policy(t).ok())
        })
        .collect();
    if let Some(Some(p)) = policies.first() {
        g.world.keys[0].policy = p.clone();
    }
    if let Some(Some(p)) = policies.get(1) {
        g.world.principals[0].policies = vec![p.clone()];
    }
    if let Some(Some(p)) = policies.get(2) {
        g.world.principals[1].boundary = Some(p.clone());
    }
    // The fuzzer's key policy may be one KMS refuses (a statement without
    // a principal, an invalid principal, `ForAllValues` on an encryption
    // context pair): the engine refuses such a world as input.
    let Ok(fast) = Fast::build(&g.world) else {
        return;
    };
    for _ in 0..16 {
        let req = gen::request(&mut c, &g.world);
        let answer = match (fast.decide(&req), invalid_request(&req)) {
            (Ok(a), None) => a,
            (Err(_), Some(_)) => continue,
            (Ok(_), Some(why)) => panic!("the engine decided a request that cannot exist ({why})"),
            (Err(e), None) => panic!("the engine refused a generated request: {e}"),
        };
        let check = fast.check_response(&req);
        if let Err(problem) = check {
            panic!("{problem}\nrequest: {req:#?}");
        }
        let not_found = answer.error == Some(keyward_tests::reference::KmsError::NotFound);
        if answer.decision != Decision::Allow && answer.error.is_some() && !not_found {
            panic!("a denied request carries a KMS error: {answer:?}");
        }
    }
});
