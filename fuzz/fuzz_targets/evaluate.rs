//! The evaluator on policies libFuzzer writes: the input's first part holds
//! up to three policy texts (key policy, identity policy, permissions
//! boundary, separated by byte 0x01, ended by 0x00); the rest chooses a
//! world and requests (`keyward_tests::reference::gen`). The fuzzer's
//! texts replace the generated ones when they parse.
//!
//! Checks: no panic while compiling, deciding or explaining; a denied
//! request carries no KMS error; and never an Allow when a Deny statement
//! could not be evaluated (an unevaluable Deny applies: fail closed).

#![no_main]

use keyward_policy::parse_policy;
use keyward_tests::reference::gen::{self, Bytes};
use keyward_tests::reference::{Decision, Fast};
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
    let fast = match Fast::build(&g.world) {
        Ok(f) => f,
        Err(e) => panic!("the engine refused a generated world: {e}"),
    };
    for _ in 0..16 {
        let req = gen::request(&mut c, &g.world);
        let answer = match fast.decide(&req) {
            Ok(a) => a,
            Err(e) => panic!("the engine refused a generated request: {e}"),
        };
        let check = fast.check_response(&req);
        if let Err(problem) = check {
            panic!("{problem}\nrequest: {req:#?}");
        }
        if answer.decision != Decision::Allow && answer.error.is_some() {
            panic!("a denied request carries a KMS error: {answer:?}");
        }
    }
});
