//! How `{"file": PATH}` policies are read: through a trait, so the library
//! stays free of file-system access and builds for the browser.

use std::collections::BTreeMap;

/// Reads files that scenarios refer to.
pub trait Loader {
    /// Resolve `path` (as written in the scenario) relative to the scenario
    /// named `base`; returns the name to show for the file (and to detect a
    /// file loaded twice).
    fn resolve(&self, base: &str, path: &str) -> String;

    /// Read the file named `name` (as returned by [`Loader::resolve`]).
    /// The error is a short reason, e.g. `no such file`.
    fn read(&self, name: &str) -> Result<String, String>;
}

/// A [`Loader`] over files held in memory, for tests and the browser.
/// Paths resolve against the scenario's directory, `/`-separated.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    files: BTreeMap<String, String>,
}

impl MemoryLoader {
    /// An empty loader.
    pub fn new() -> MemoryLoader {
        MemoryLoader::default()
    }

    /// Add a file.
    #[must_use]
    pub fn with(mut self, name: &str, text: &str) -> MemoryLoader {
        self.files.insert(name.to_string(), text.to_string());
        self
    }
}

/// Join `path` onto the directory of `base`, folding `.` and `..`.
pub(crate) fn join(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| !p.is_empty() && *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

impl Loader for MemoryLoader {
    fn resolve(&self, base: &str, path: &str) -> String {
        join(base, path)
    }

    fn read(&self, name: &str) -> Result<String, String> {
        self.files
            .get(name)
            .cloned()
            .ok_or_else(|| "no such file".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_against_the_scenario_directory() {
        assert_eq!(
            join("fixtures/scenarios/a.json", "p/x.json"),
            "fixtures/scenarios/p/x.json"
        );
        assert_eq!(
            join("fixtures/scenarios/a.json", "../policies/x.json"),
            "fixtures/policies/x.json"
        );
        assert_eq!(join("a.json", "./x.json"), "x.json");
        assert_eq!(join("a.json", "/abs/x.json"), "/abs/x.json");
    }
}
