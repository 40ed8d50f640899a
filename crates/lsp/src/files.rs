//! Files around a document: `file://` URIs and paths, the policies a
//! scenario reads (open documents first, then the disk), and the
//! `.keyward.json` that configures the linter for a path.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSetBuilder};
use keyward_lint::config::{parse_config, Resolved, CONFIG_FILE_NAME};
use keyward_policy::ParseOptions;
use keyward_scenario::{Loader, ReadError};

/// The path of a `file://` URI (percent-decoded); `None` for other schemes.
pub(crate) fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///path` or `file://host/path`: the path starts at the first `/`.
    let path = &rest[rest.find('/')?..];
    let bytes = percent_decode(path.as_bytes())?;
    let path = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` on Windows.
    let path = match path.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() => path[1..].to_string(),
        _ => path,
    };
    Some(PathBuf::from(path))
}

/// The `file://` URI of an absolute path.
pub(crate) fn path_to_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Reads the policies a scenario names: the editor's copy when the file is
/// open (so unsaved edits count), else the file on disk.
#[derive(Debug, Default)]
pub(crate) struct OverlayLoader {
    /// Open documents by path.
    pub(crate) open: HashMap<PathBuf, Arc<str>>,
}

impl Loader for OverlayLoader {
    fn resolve(&self, base: &str, path: &str) -> String {
        let joined = Path::new(base).parent().unwrap_or(Path::new("")).join(path);
        normalize(&joined).to_string_lossy().into_owned()
    }

    fn read(&self, name: &str) -> Result<String, ReadError> {
        if let Some(text) = self.open.get(Path::new(name)) {
            return Ok(text.to_string());
        }
        let limit = ParseOptions::default().max_size;
        let file = std::fs::File::open(name).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound(e.to_string()),
            _ => ReadError::Unreadable(e.to_string()),
        })?;
        let mut bytes = Vec::new();
        file.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Unreadable(e.to_string()))?;
        if bytes.len() > limit {
            return Err(ReadError::TooLarge(limit));
        }
        String::from_utf8(bytes).map_err(|_| ReadError::NotText("not UTF-8 text".to_string()))
    }
}

/// Fold `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The settings `.keyward.json` gives `path`: the nearest one in its folder
/// or above (up to a `.git` folder). `None` when there is none or it cannot
/// be read; a broken config shows its own diagnostics when opened.
pub(crate) fn config_for(path: &Path) -> Option<Resolved> {
    let mut dir = path.parent()?.to_path_buf();
    let file = loop {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            break candidate;
        }
        if dir.join(".git").exists() || !dir.pop() {
            return None;
        }
    };
    let text = std::fs::read_to_string(&file).ok()?;
    let config = parse_config(&text).ok()?;
    let root = file.parent()?;
    let relative = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    Some(config.resolve(|patterns| matches_any(patterns, &relative)))
}

/// Does `relative` match one of the config's glob patterns? (`dir` and
/// `dir/` also mean everything below, as for the CLI.)
fn matches_any(patterns: &[String], relative: &str) -> bool {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = Glob::new(pattern) {
            builder.add(glob);
        }
        if !pattern.contains('*') {
            if let Ok(glob) = Glob::new(&format!("{}/**", pattern.trim_end_matches('/'))) {
                builder.add(glob);
            }
        }
    }
    builder.build().is_ok_and(|set| set.is_match(relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_and_paths_round_trip() {
        let path = Path::new("/home/me/key policies/ключ.json");
        let uri = path_to_uri(path);
        assert_eq!(
            uri,
            "file:///home/me/key%20policies/%D0%BA%D0%BB%D1%8E%D1%87.json"
        );
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file:///bad%zz"), None);
    }

    #[test]
    fn scenario_paths_resolve_against_the_scenario_folder() {
        let loader = OverlayLoader::default();
        assert_eq!(loader.resolve("/w/s/a.json", "../p/x.json"), "/w/p/x.json");
        assert_eq!(loader.resolve("/w/s/a.json", "./x.json"), "/w/s/x.json");
    }

    #[test]
    fn open_documents_win_over_the_disk() {
        let mut loader = OverlayLoader::default();
        loader
            .open
            .insert(PathBuf::from("/nowhere/p.json"), Arc::from("{}"));
        assert_eq!(loader.read("/nowhere/p.json").as_deref(), Ok("{}"));
        assert!(loader.read("/nowhere/q.json").is_err());
    }

    #[test]
    fn override_patterns_match_like_the_cli() {
        assert!(matches_any(&["legacy/**".into()], "legacy/a/b.json"));
        assert!(matches_any(&["legacy".into()], "legacy/b.json"));
        assert!(!matches_any(&["legacy/**".into()], "src/b.json"));
    }
}
