//! The fast engine against the reference evaluator on worlds and requests
//! chosen by the fuzzer's bytes (`keyward_tests::reference::gen`): the
//! answers (decision and KMS error) must be the same, except for the known
//! engine deviations listed in `Quirks::ENGINE`, and both must refuse the
//! same worlds and requests (what KMS itself refuses).

#![no_main]

use keyward_tests::reference::diff::{build, decide_fast, Tally};
use keyward_tests::reference::gen::{self, Bytes};
use keyward_tests::reference::{decide, decide_with, Quirks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut c = Bytes::new(data);
    let g = gen::world(&mut c);
    let mut tally = Tally::default();
    // Both engines must refuse the same worlds and requests (what KMS
    // refuses), and decide the rest alike.
    let fast = match build(&g, &mut tally) {
        Ok(Some(f)) => f,
        Ok(None) => return,
        Err(e) => panic!("{e}"),
    };
    for _ in 0..32 {
        let req = gen::request(&mut c, &g.world);
        let got = match decide_fast(&fast, &req, &mut tally) {
            Ok(Some(a)) => a,
            Ok(None) => continue,
            Err(e) => panic!("{e}"),
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
