//! The fuzz seeds in `fuzz/corpus/` (and any crash inputs saved in
//! `fuzz/regressions/`) are replayed on every `cargo test`, on stable, with
//! the same invariant checks the fuzz targets make.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use keyward_tests::invariants::{check_policy_bytes, check_policy_text};
use keyward_tests::repo_root;

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn parser_seeds_keep_every_invariant() {
    let root = repo_root().join("fuzz");
    let mut checked = 0;
    for target in ["parse", "parse_bytes"] {
        for dir in [
            root.join("corpus").join(target),
            root.join("regressions").join(target),
        ] {
            for path in files(&dir) {
                let bytes = std::fs::read(&path).unwrap();
                let result = match std::str::from_utf8(&bytes) {
                    Ok(text) if target == "parse" => check_policy_text(text),
                    _ => check_policy_bytes(&bytes),
                };
                if let Err(problem) = result {
                    panic!("{}: {problem}", path.display());
                }
                checked += 1;
            }
        }
    }
    println!("{checked} fuzz seeds checked");
    assert!(
        checked >= 20,
        "the committed seed corpus went missing: {checked} files"
    );
}

/// The evaluator targets' seeds, replayed with the same checks: the engine
/// agrees with the reference (known deviations aside) and keeps its
/// promises on every request the seed chooses.
#[test]
fn evaluator_seeds_agree_and_keep_their_promises() {
    use keyward_tests::reference::diff::{build, decide_fast, Tally};
    use keyward_tests::reference::gen::{self, Bytes};
    use keyward_tests::reference::{decide, decide_with, Quirks};
    let root = repo_root().join("fuzz");
    let mut checked = 0;
    for target in ["differential", "evaluate"] {
        for dir in [
            root.join("corpus").join(target),
            root.join("regressions").join(target),
        ] {
            for path in files(&dir) {
                let bytes = std::fs::read(&path).unwrap();
                // The evaluate target's policy texts come before a 0 byte;
                // the choices after it are what both targets share.
                let choices = match (target, bytes.iter().position(|b| *b == 0)) {
                    ("evaluate", Some(at)) => &bytes[at + 1..],
                    _ => &bytes[..],
                };
                let mut c = Bytes::new(choices);
                let g = gen::world(&mut c);
                let mut tally = Tally::default();
                let Some(fast) =
                    build(&g, &mut tally).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                else {
                    continue;
                };
                for _ in 0..32 {
                    let req = gen::request(&mut c, &g.world);
                    let Some(got) = decide_fast(&fast, &req, &mut tally)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                    else {
                        continue;
                    };
                    let expected = decide(&g.world, &req);
                    assert!(
                        got == expected || decide_with(&g.world, &req, Quirks::ENGINE) == got,
                        "{}: reference {expected:?}, engine {got:?}, request {req:#?}",
                        path.display()
                    );
                    if let Err(problem) = fast.check_response(&req) {
                        panic!("{}: {problem}", path.display());
                    }
                    checked += 1;
                }
            }
        }
    }
    println!("{checked} requests from the evaluator seeds checked");
    assert!(
        checked >= 300,
        "the evaluator seeds went missing: {checked}"
    );
}

/// The scenario target's seeds keep every invariant of
/// `keyward_tests::scenario_checks`.
#[test]
fn scenario_seeds_keep_every_invariant() {
    use keyward_tests::scenario_checks::check_scenario_text;
    let root = repo_root().join("fuzz");
    let mut checked = 0;
    for dir in [
        root.join("corpus").join("scenario"),
        root.join("regressions").join("scenario"),
    ] {
        for path in files(&dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Err(problem) = check_scenario_text(&text) {
                panic!("{}: {problem}", path.display());
            }
            checked += 1;
        }
    }
    // The fixtures' scenarios are scenario inputs too.
    for path in files(&repo_root().join("fixtures/scenarios/stories")) {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(problem) = check_scenario_text(&text) {
            panic!("{}: {problem}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 10, "the scenario seeds went missing: {checked}");
}
