//! The fast engine against the reference evaluator on worlds and requests
//! chosen by the fuzzer's bytes (`keyward_tests::reference::gen`): the
//! answers (decision and KMS error) must be the same, except for the known
//! engine deviations listed in `Quirks::ENGINE`.

#![no_main]

use keyward_tests::reference::gen::{self, Bytes};
use keyward_tests::reference::{decide, decide_with, Fast, Quirks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut c = Bytes::new(data);
    let g = gen::world(&mut c);
    let fast = match Fast::build(&g.world) {
        Ok(f) => f,
        Err(e) => panic!("the engine refused a generated world: {e}"),
    };
    for _ in 0..32 {
        let req = gen::request(&mut c, &g.world);
        let got = match fast.decide(&req) {
            Ok(a) => a,
            Err(e) => panic!("the engine refused a generated request: {e}"),
        };
        let expected = decide(&g.world, &req);
        if got != expected && decide_with(&g.world, &req, Quirks::ENGINE) != got {
            panic!(
                "engines disagree\nreference: {expected:?}\nengine: {got:?}\nrequest: {req:#?}\npolicies: {:#?}\ngrants: {:#?}\nreasons: {:#?}",
                g.texts,
                g.world.grants,
                fast.explain(&req)
            );
        }
    }
});
