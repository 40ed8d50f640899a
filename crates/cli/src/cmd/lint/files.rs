//! Which files to lint: explicit paths, directories walked recursively with
//! include/exclude globs, and standard input.

use std::path::Path;

use globset::GlobSet;

use super::config::{globs, Loaded};

/// The default include patterns for directory walks.
const DEFAULT_INCLUDE: &[&str] = &[
    "**/*.json",
    "**/*.yaml",
    "**/*.yml",
    "**/*.template",
    "**/*.tf",
];
/// Folders never walked into.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    ".terraform",
    "target",
    ".venv",
    "__pycache__",
];

/// One file to lint.
#[derive(Debug, Clone)]
pub struct Target {
    /// The path as displayed (`-` for standard input).
    pub path: String,
    /// True when found by walking a directory (so unrecognised files are skipped).
    pub discovered: bool,
}

/// The include/exclude rules of one run.
pub struct Selection<'a> {
    include: GlobSet,
    exclude: Option<GlobSet>,
    config: &'a Loaded,
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
        Ok(Selection {
            include: globs(&include)?.unwrap_or_default(),
            exclude: globs(exclude)?,
            config,
        })
    }

    /// The targets under `paths`, in a stable order. A named path that does
    /// not exist is kept: reading it fails, and that is reported as its finding.
    pub fn collect(&self, paths: &[String]) -> Vec<Target> {
        let mut targets = Vec::new();
        for path in paths {
            if path == "-" {
                targets.push(Target {
                    path: path.clone(),
                    discovered: false,
                });
                continue;
            }
            let p = Path::new(path);
            if p.is_dir() {
                let mut found = Vec::new();
                self.walk(p, &mut found);
                found.sort();
                targets.extend(found.into_iter().map(|path| Target {
                    path,
                    discovered: true,
                }));
            } else if !p.exists() || !self.config.is_ignored(path) {
                targets.push(Target {
                    path: path.clone(),
                    discovered: false,
                });
            }
        }
        targets
    }

    fn walk(&self, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            eprintln!("warning: cannot read the folder `{}`", dir.display());
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let shown = display(&path);
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if self.excluded(&shown) || self.config.is_ignored(&shown) {
                continue;
            }
            if kind.is_dir() {
                let name = entry.file_name();
                if name == "cdk.out" {
                    cdk_templates(&path, out);
                } else if !SKIPPED_DIRS.iter().any(|s| name == *s) {
                    self.walk(&path, out);
                }
            } else if (kind.is_file() || (kind.is_symlink() && path.is_file()))
                && self.include.is_match(&shown)
            {
                out.push(shown);
            }
        }
    }

    fn excluded(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|set| set.is_match(path))
    }
}

/// A CDK cloud assembly (`cdk.out/`): its stack templates
/// (`*.template.json`, nested assemblies included), not its assets or
/// manifests.
fn cdk_templates(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("warning: cannot read the folder `{}`", dir.display());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() && name.starts_with("assembly-") {
            cdk_templates(&path, out);
        } else if path.is_file() && name.ends_with(".template.json") {
            out.push(display(&path));
        }
    }
}

fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
