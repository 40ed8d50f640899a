//! Workspace-level integration tests over `fixtures/` and the shared corpus.
//!
//! The helpers here find the shared corpus (`<repo>/../shared`, or
//! `$KEYWARD_SHARED`) and say plainly when it is absent.

use std::path::PathBuf;

pub mod invariants;
pub mod reference;
pub mod scenario_checks;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The shared reference folder, when present: `$KEYWARD_SHARED`, else `<repo>/../shared`.
/// Prints a plain "skipped" line when it is absent.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("KEYWARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: {test}: shared corpus not found at {}",
            dir.display()
        );
        None
    }
}

/// The README's Rust examples run as doctests.
#[doc = include_str!("../../README.md")]
mod readme {}
