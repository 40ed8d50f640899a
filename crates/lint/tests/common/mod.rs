//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod junit_check;
pub mod sarif_check;
pub mod snapshot;
#[cfg(feature = "terraform-hcl")]
pub mod tf_files;

use std::path::PathBuf;

use keyward_lint::{lint_source, LintOptions};
use keyward_policy::{Diagnostic, Source};

/// `<shared>/<relative>`: `$KEYWARD_SHARED` or the `shared/` folder beside
/// the workspace. `None` (with a printed note) when absent, so a fresh clone
/// passes.
pub fn shared_path(relative: &str) -> Option<PathBuf> {
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

/// The workspace's `fixtures/lint/<relative>`.
pub fn fixture(relative: &str) -> Source {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/lint")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Source::new(format!("fixtures/lint/{relative}"), text)
}

/// Lint a file with the default options.
pub fn lint(source: &Source) -> Vec<Diagnostic> {
    lint_source(source, &LintOptions::default())
}

/// The codes found, in order.
pub fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

/// The 1-based line of a finding's primary span.
pub fn line(source: &Source, d: &Diagnostic) -> u32 {
    source.start_of(d.span()).line
}
