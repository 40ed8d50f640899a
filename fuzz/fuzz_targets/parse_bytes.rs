//! Any bytes, as a file read from disk: UTF-8 decoding reports the first bad
//! byte, and the decoded text keeps every parser invariant
//! (`keyward_tests::invariants::check_policy_bytes`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = keyward_tests::invariants::check_policy_bytes(data) {
        panic!("invariant broken: {problem}\ninput: {data:?}");
    }
});
