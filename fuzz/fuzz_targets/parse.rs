//! Any text given to the policy parser: no panic, every span (JSON tree,
//! model, diagnostics) inside the input, and print → parse gives the same
//! model for every policy that lowers. The checks are
//! `keyward_tests::invariants::check_policy_text`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(problem) = keyward_tests::invariants::check_policy_text(text) {
        panic!("invariant broken: {problem}\ninput: {text:?}");
    }
});
