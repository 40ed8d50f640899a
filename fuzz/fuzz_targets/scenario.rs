//! Scenario files as the fuzzer writes them: keys (with `keyManager`,
//! `service`, key specs and usages), principals, grants, SCPs, RCPs, VPC
//! endpoint policies and expectations. Checks
//! (`keyward_tests::scenario_checks`): no panic; a scenario that loads runs,
//! builds its matrix and renders every answer, and only a key reference
//! that found no key is a deny with a KMS error; one that does not load
//! reports problems inside the text they point into.

#![no_main]

use keyward_tests::scenario_checks::check_scenario_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(problem) = check_scenario_text(text) {
        panic!("{problem}\nscenario: {text}");
    }
});
