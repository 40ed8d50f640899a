//! Which files to lint: the include/exclude globs, the configuration's
//! `ignore` and CDK cloud assemblies, as a [`walk::Filter`] for the CLI's
//! one directory walker.

use std::path::Path;

use globset::GlobSet;

use super::config::{globs, Loaded};
use crate::walk::{self, Filter, Target, WalkError};

/// The default include patterns for directory walks.
const DEFAULT_INCLUDE: &[&str] = &[
    "**/*.json",
    "**/*.yaml",
    "**/*.yml",
    "**/*.template",
    "**/*.tf",
];

/// The include/exclude rules of one run.
pub struct Selection<'a> {
    include: GlobSet,
    exclude: Option<GlobSet>,
    config: &'a Loaded,
    /// What the includes select, for "`DIR` holds no …".
    inputs: String,
}

impl<'a> Selection<'a> {
    /// Compile the patterns.
    pub fn new(
        include: &[String],
        exclude: &[String],
        config: &'a Loaded,
    ) -> Result<Selection<'a>, String> {
        let include: Vec<String> = if include.is_empty() {
            DEFAULT_INCLUDE.iter().map(|s| s.to_string()).collect()
        } else {
            include.to_vec()
        };
        let inputs = format!(
            "file to lint (none matches {})",
            include
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(Selection {
            include: globs(&include)?.unwrap_or_default(),
            exclude: globs(exclude)?,
            config,
            inputs,
        })
    }

    /// The targets under `paths`, in a stable order, and what could not be
    /// taken in. A named path that does not exist is kept: reading it
    /// fails, and that is reported as its finding.
    pub fn collect(&self, paths: &[std::path::PathBuf]) -> Vec<Result<Target, WalkError>> {
        walk::walk(paths, self)
    }
}

/// The path as globs see it: without a leading `./`.
fn relative(path: &Path) -> &Path {
    path.strip_prefix(".").unwrap_or(path)
}

impl Filter for Selection<'_> {
    fn inputs(&self) -> &str {
        &self.inputs
    }

    fn is_input(&self, path: &Path) -> bool {
        self.include.is_match(relative(path))
    }

    /// Named files are left out only by the configuration's `ignore` (as
    /// pre-commit names every file); found ones by `--exclude` too, and in
    /// a CDK cloud assembly by [`cdk_leaves_out`].
    fn is_excluded(&self, path: &Path, named: bool) -> bool {
        let excluded = !named
            && (cdk_leaves_out(path)
                || self
                    .exclude
                    .as_ref()
                    .is_some_and(|set| set.is_match(relative(path))));
        excluded || self.config.is_ignored(path)
    }
}

/// In a CDK cloud assembly (`cdk.out/`), only the stack templates
/// (`*.template.json`, nested `assembly-*` folders included) are read, not
/// its assets or manifests.
fn cdk_leaves_out(path: &Path) -> bool {
    let in_assembly = path
        .parent()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "cdk.out"));
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return in_assembly;
    };
    in_assembly && !(name.starts_with("assembly-") || name.ends_with(".template.json"))
}
