//! The snapshot loader on any bytes in any of its files: the first byte
//! picks a file of a small synthetic snapshot (every file kind of the
//! layout), the rest replaces it; a `0xff` byte starts the next file.
//!
//! Checks: no panic while loading, asking, building the matrix or writing
//! a slice (those two for one input in eight: they compile everything); every problem's place is a line and column of its file; an
//! error problem never leaves the snapshot claiming none.

#![no_main]

use std::sync::LazyLock;

use keyward_eval::KmsAction;
use keyward_snapshot::synthetic::small;
use keyward_snapshot::{load, Ask, LoadOptions, MemoryFiles, Verdict};
use libfuzzer_sys::fuzz_target;

static BASE: LazyLock<MemoryFiles> = LazyLock::new(small);

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let mut files = BASE.clone();
    let paths: Vec<String> = files.paths().map(str::to_string).collect();
    for (i, chunk) in rest.split(|b| *b == 0xff).enumerate().take(4) {
        let path = &paths[(usize::from(first) + i * 7) % paths.len()];
        files.insert(path, chunk.to_vec());
    }
    let s = load(&files, &LoadOptions::default());
    for p in s.problems() {
        let place = p.place();
        assert!(place.line >= 1 && place.column >= 1, "{place:?}");
        assert!(files.get(&place.file).is_some() || place.line == 1, "{place:?} names no file");
    }
    assert_eq!(s.has_errors(), s.problems().iter().any(|p| p.diagnostic.is_error()));
    for (p, a, k) in [
        ("app-0", KmsAction::Decrypt, "alias/data-0"),
        ("app-4", KmsAction::Encrypt, "arn:aws:kms:us-east-1:111122223333:key/00000001-1234-4abc-8def-000000000001"),
        ("arn:aws:iam::444455556666:role/x", KmsAction::Decrypt, "arn:aws:kms:us-east-1:111122223333:alias/data-2"),
    ] {
        if let Ok(q) = s.ask(&Ask::new(p, a, k)) {
            if let Verdict::Incomplete(i) = q.answer() {
                assert!(!i.missing.is_empty(), "incomplete without saying what is missing");
            }
        }
    }
    // The matrix and slices compile every principal: one input in eight.
    if first % 8 == 0 {
        let _ = s.matrix(&[KmsAction::Decrypt]);
        let _ = s.to_scenario(&["alias/data-1".into()], &["app-1".into()], &[KmsAction::Decrypt], true);
    }
});
