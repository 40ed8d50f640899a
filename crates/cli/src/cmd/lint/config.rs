//! Finding, reading and applying `.keyward.json` (path patterns compiled
//! with `globset`, relative to the config file's folder).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use keyward_lint::config::{parse_config, Config, Resolved, CONFIG_FILE_NAME};
use keyward_lint::report::{FileReport, Format, RenderOptions, Report};
use keyward_lint::suppress::SidSuppression;
use keyward_policy::Source;

use crate::render::{self, escape};
use crate::walk::show;

/// A loaded configuration with its patterns compiled.
#[derive(Debug, Default)]
pub struct Loaded {
    config: Config,
    /// The folder patterns are relative to.
    root: PathBuf,
    ignore: Option<GlobSet>,
    overrides: Vec<GlobSet>,
    /// The file's text, where findings about its suppressions point.
    source: Option<Source>,
}

/// Load `explicit`, or the nearest `.keyward.json` from the current folder up.
/// The error is ready to print (with snippets for a malformed file).
pub fn load(explicit: Option<&Path>, disabled: bool) -> Result<Loaded, String> {
    if disabled {
        return Ok(Loaded::default());
    }
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match find_upwards() {
            Some(path) => path,
            None => return Ok(Loaded::default()),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "error: cannot read the configuration `{}`: {e}\n",
            show(&path)
        )
    })?;
    let config = parse_config(&text).map_err(|diagnostics| {
        let source = Source::new(show(&path), text.clone());
        let report = Report {
            files: vec![FileReport {
                source,
                diagnostics,
            }],
            ..Report::default()
        };
        let mut out = String::from("error: invalid configuration\n");
        keyward_lint::report::reporter(Format::Human, RenderOptions::default())
            .render(&render::clean_report(&report), &mut out);
        out
    })?;
    let root = path
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let in_config = |e: String| format!("error: {e} (in `{}`)\n", show(&path));
    let ignore = globs(&config.ignore).map_err(in_config)?;
    let overrides = config
        .overrides
        .iter()
        .map(|o| globs(&o.files).map(Option::unwrap_or_default))
        .collect::<Result<Vec<_>, _>>()
        .map_err(in_config)?;
    Ok(Loaded {
        config,
        root: absolute(&root),
        ignore,
        overrides,
        source: Some(Source::new(shown(&path), text)),
    })
}

/// The path as reports show it: relative to the current folder when it is
/// below it (code scanning resolves relative paths against the repository).
fn shown(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

fn find_upwards() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() || !dir.pop() {
            return None;
        }
    }
}

/// Compile patterns; `None` when there are none.
pub fn globs(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob =
            Glob::new(pattern).map_err(|e| format!("invalid glob `{}`: {e}", escape(pattern)))?;
        builder.add(glob);
        // `dir/` or `dir` also means everything below it.
        if !pattern.contains('*') {
            let below = format!("{}/**", pattern.trim_end_matches('/'));
            if let Ok(glob) = Glob::new(&below) {
                builder.add(glob);
            }
        }
    }
    builder
        .build()
        .map(Some)
        .map_err(|e| format!("invalid globs: {}", escape(&e.to_string())))
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Loaded {
    /// The path as the config's patterns see it: relative to its folder.
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = absolute(path);
        let relative = absolute
            .strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf());
        relative
            .strip_prefix(".")
            .map(Path::to_path_buf)
            .unwrap_or(relative)
    }

    /// True when the config says never to lint `path`.
    pub fn is_ignored(&self, path: &Path) -> bool {
        self.ignore
            .as_ref()
            .is_some_and(|set| set.is_match(self.relative(path)))
    }

    /// The configuration file, when one was read.
    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// Every suppression by `Sid` the configuration holds.
    pub fn suppressions(&self) -> impl Iterator<Item = &SidSuppression> {
        self.config.suppressions()
    }

    /// The settings for `path`.
    pub fn resolve(&self, path: &Path) -> Resolved {
        if self.overrides.is_empty() {
            // No pattern to match: the path need not be resolved (a
            // canonicalize is a system call per component).
            return self.config.resolve(|_| false);
        }
        let relative = self.relative(path);
        let mut index = 0;
        self.config.resolve(|_| {
            let matched = self
                .overrides
                .get(index)
                .is_some_and(|set| set.is_match(&relative));
            index += 1;
            matched
        })
    }
}
