//! How `{"file": PATH}` policies are read: through a trait, so the library
//! stays free of file-system access and builds for the browser.

use std::collections::BTreeMap;
use std::fmt;

/// Reads files that scenarios refer to.
///
/// A loader decides what a scenario may read: the CLI's confines references
/// to the scenario's folder tree (see `docs/security.md`), the playground's
/// to its open files.
pub trait Loader {
    /// Resolve `path` (as written in the scenario) relative to the scenario
    /// named `base`; returns the name to show for the file (and to detect a
    /// file loaded twice).
    fn resolve(&self, base: &str, path: &str) -> String;

    /// Read the file named `name` (as returned by [`Loader::resolve`]).
    fn read(&self, name: &str) -> Result<String, ReadError>;
}

/// Why a referenced file was not read. Each becomes its own diagnostic at
/// the reference (`scenario::missing-file`, `scenario::file-outside`, …);
/// none quotes the file's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// No file by that name; the reason as the system gives it.
    NotFound(String),
    /// The file lies outside the folders the scenario may read from; says
    /// which those are.
    Outside(String),
    /// The file is larger than the limit, in bytes.
    TooLarge(usize),
    /// The file is not UTF-8 text; says where.
    NotText(String),
    /// A directory, a FIFO or a device rather than a file.
    NotAFile(String),
    /// Any other failure to read; the reason as the system gives it.
    Unreadable(String),
}

impl ReadError {
    /// The diagnostic code at the reference.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::NotFound(_) => "scenario::missing-file",
            ReadError::Outside(_) => "scenario::file-outside",
            ReadError::TooLarge(_) => "scenario::file-too-large",
            ReadError::NotText(_) => "scenario::file-not-text",
            ReadError::NotAFile(_) => "scenario::not-a-file",
            ReadError::Unreadable(_) => "scenario::unreadable-file",
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ReadError::NotFound(_) => "paths are relative to the scenario file",
            ReadError::Outside(_) => "keep policies beside the scenario or below its folder, or allow another folder explicitly (`keyward scenario run --allow-path DIR`)",
            ReadError::TooLarge(_) => "a policy document is at most 32 KB (key policies) or 6 KB (IAM)",
            ReadError::NotText(_) => "save the policy as UTF-8 JSON",
            ReadError::NotAFile(_) => "point `file` at a policy document",
            ReadError::Unreadable(_) => "check the file's permissions",
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound(why)
            | ReadError::Outside(why)
            | ReadError::NotText(why)
            | ReadError::NotAFile(why)
            | ReadError::Unreadable(why) => f.write_str(why),
            ReadError::TooLarge(limit) => {
                write!(f, "it is larger than the limit of {limit} bytes")
            }
        }
    }
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

    fn read(&self, name: &str) -> Result<String, ReadError> {
        self.files
            .get(name)
            .cloned()
            .ok_or_else(|| ReadError::NotFound("no such file".to_string()))
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
