//! The editors' contents: a scenario and the files it references, all in
//! memory. `{"file": PATH}` references resolve here instead of on a disk.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A scenario file and the files it references with `{"file": PATH}`, all as text.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Workspace {
    /// Path of the scenario file; a key of `files`.
    pub scenario: String,
    /// Relative, `/`-separated path to text.
    pub files: BTreeMap<String, String>,
}

impl Workspace {
    /// The scenario's text, if the workspace holds it.
    pub fn scenario_text(&self) -> Option<&str> {
        self.files.get(&self.scenario).map(String::as_str)
    }

    /// The text of `reference` as written in the file at `from`, resolved
    /// against `from`'s directory, with its normalized path.
    pub fn resolve(&self, from: &str, reference: &str) -> Option<(String, &str)> {
        let path = resolve_path(from, reference)?;
        let text = self.files.get(&path)?;
        Some((path, text.as_str()))
    }
}

/// `reference` resolved against the directory of `from`: `.` and empty
/// segments dropped, `..` climbs. `None` when it climbs above the root or is
/// absolute: a workspace is one closed tree.
pub fn resolve_path(from: &str, reference: &str) -> Option<String> {
    if reference.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    parts.retain(|p| !p.is_empty() && *p != ".");
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `{"file": PATH}` references read from the workspace instead of a disk.
impl keyward_scenario::Loader for Workspace {
    fn resolve(&self, base: &str, path: &str) -> String {
        // A path that leaves the workspace keeps its spelling, which no file has.
        resolve_path(base, path).unwrap_or_else(|| path.to_string())
    }

    fn read(&self, name: &str) -> Result<String, keyward_scenario::ReadError> {
        self.files.get(name).cloned().ok_or_else(|| {
            keyward_scenario::ReadError::NotFound("no such file in the playground".to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_against_the_referring_files_directory() {
        assert_eq!(
            resolve_path("seed.json", "keys/a.json").unwrap(),
            "keys/a.json"
        );
        assert_eq!(
            resolve_path("s/seed.json", "./keys/a.json").unwrap(),
            "s/keys/a.json"
        );
        assert_eq!(resolve_path("s/seed.json", "../a.json").unwrap(), "a.json");
        assert_eq!(
            resolve_path("s/t/seed.json", "..//k/./a.json").unwrap(),
            "s/k/a.json"
        );
    }

    #[test]
    fn references_cannot_leave_the_workspace() {
        assert_eq!(resolve_path("seed.json", "../a.json"), None);
        assert_eq!(resolve_path("seed.json", "/etc/passwd"), None);
    }

    #[test]
    fn resolve_finds_the_text_by_normalized_path() {
        let ws = Workspace {
            scenario: "s/seed.json".into(),
            files: [("s/keys/a.json".to_string(), "{}".to_string())].into(),
        };
        assert_eq!(ws.resolve("s/seed.json", "./keys/a.json").unwrap().1, "{}");
        assert!(ws.resolve("s/seed.json", "keys/b.json").is_none());
    }
}
