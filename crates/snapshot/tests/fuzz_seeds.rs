//! The seeds (and any kept regressions) of the `snapshot_load` fuzz target,
//! replayed with its checks on every `cargo test`, on stable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use keyward_eval::KmsAction;
use keyward_snapshot::synthetic::small;
use keyward_snapshot::{load, Ask, LoadOptions, Verdict};

/// What the fuzz target does with one input (fuzz/fuzz_targets/snapshot_load.rs).
fn run(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let mut files = small();
    let paths: Vec<String> = files.paths().map(str::to_string).collect();
    for (i, chunk) in rest.split(|b| *b == 0xff).enumerate().take(4) {
        let path = &paths[(usize::from(first) + i * 7) % paths.len()];
        files.insert(path, chunk.to_vec());
    }
    let s = load(&files, &LoadOptions::default());
    for p in s.problems() {
        let place = p.place();
        assert!(place.line >= 1 && place.column >= 1, "{place:?}");
    }
    for (p, a, k) in [
        ("app-0", KmsAction::Decrypt, "alias/data-0"),
        (
            "app-4",
            KmsAction::Encrypt,
            "arn:aws:kms:us-east-1:111122223333:key/00000001-1234-4abc-8def-000000000001",
        ),
        (
            "arn:aws:iam::444455556666:role/x",
            KmsAction::Decrypt,
            "arn:aws:kms:us-east-1:111122223333:alias/data-2",
        ),
    ] {
        if let Ok(q) = s.ask(&Ask::new(p, a, k)) {
            if let Verdict::Incomplete(i) = q.answer() {
                assert!(!i.missing.is_empty());
            }
        }
    }
    let _ = s.matrix(&[KmsAction::Decrypt]);
    let _ = s.to_scenario(
        &["alias/data-1".into()],
        &["app-1".into()],
        &[KmsAction::Decrypt],
        true,
    );
}

#[test]
fn the_fuzz_seeds_and_regressions_replay_cleanly() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut n = 0;
    for dir in ["corpus/snapshot_load", "regressions/snapshot_load"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            run(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    assert!(n >= 4, "the committed seeds are missing ({n} found)");
}
