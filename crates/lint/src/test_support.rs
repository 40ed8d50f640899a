//! Helpers for unit tests.

use std::path::PathBuf;

/// `<shared>/<relative>`, where `<shared>` is `$KEYWARD_SHARED` or the
/// `shared/` folder beside the workspace; `None` (with a printed note) when
/// it is absent, so a fresh clone still passes.
pub(crate) fn shared_path(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = root.join(relative);
    if path.exists() {
        Some(path)
    } else {
        println!("skipped: {} not found", path.display());
        None
    }
}
