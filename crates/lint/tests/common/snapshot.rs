//! A tiny snapshot helper: compare with `tests/snapshots/NAME`, or write it
//! when `KEYWARD_BLESS=1`.

use std::path::PathBuf;

/// Assert that `actual` equals the stored snapshot `name`.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    assert_file(&path, actual);
}

/// Assert that the file at `path` holds `actual` (or write it when blessing).
pub fn assert_file(path: &std::path::Path, actual: &str) {
    if std::env::var_os("KEYWARD_BLESS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} is out of date (first difference at line {}); run with KEYWARD_BLESS=1 to update\n--- expected\n{}\n--- actual\n{}",
            path.display(),
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>"),
        );
    }
}
