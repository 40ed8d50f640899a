//! The one directory walker of the CLI: every command that takes files or
//! directories (`lint`, `scenario run`, `scenario matrix`, …) expands its
//! paths here, so a directory means the same everywhere.
//!
//! - A named path that is not a directory is an input as named, even when it
//!   does not exist (reading it then fails, and that is reported) or is a
//!   pipe (`<(terraform show -json plan)`); `-` is standard input.
//! - A named directory is walked recursively, in name order. Symbolic links
//!   are followed; folders in [`SKIPPED_DIRS`] are not entered.
//! - Nothing is skipped silently. Each of these is a [`WalkError`] (the
//!   command exits 2): a dangling symbolic link, a link that cannot be
//!   followed or leads back into a folder being walked (a loop), a folder
//!   that cannot be read, an input-named entry that is not a regular file
//!   (a FIFO, a socket, a device: reading could block forever), and a named
//!   directory holding no input at all.
//! - File names need not be UTF-8: paths stay [`PathBuf`]s, and are shown
//!   with [`show`].

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::escape;

/// Folders never walked into.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    ".terraform",
    "target",
    ".venv",
    "__pycache__",
];

/// What a command reads from a directory.
pub trait Filter {
    /// What its inputs are, for "`DIR` holds no …" (e.g. "`*.json` scenario file").
    fn inputs(&self) -> &str;

    /// True when `path`, found in a directory, is an input.
    fn is_input(&self, path: &Path) -> bool;

    /// True when `path` is left out on purpose (an exclusion); `named` when
    /// it was named on the command line rather than found.
    fn is_excluded(&self, path: &Path, named: bool) -> bool {
        let _ = (path, named);
        false
    }
}

/// Inputs whose file name ends with `.EXTENSION`.
#[derive(Debug)]
pub struct Extension {
    /// Without the dot.
    pub extension: &'static str,
    /// What the files are, e.g. "`*.json` scenario file".
    pub inputs: &'static str,
}

impl Filter for Extension {
    fn inputs(&self) -> &str {
        self.inputs
    }

    fn is_input(&self, path: &Path) -> bool {
        path.extension().is_some_and(|x| x == self.extension)
    }
}

/// One input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The path to open (`-`: standard input).
    pub path: PathBuf,
    /// The path as shown in output (see [`show`]).
    pub shown: String,
    /// True when found in a directory rather than named.
    pub discovered: bool,
}

/// Something a walk could not take in, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkError {
    /// The path concerned, as shown.
    pub shown: String,
    /// A stable code, e.g. `input::dangling-link`.
    pub code: &'static str,
    /// One line: what was wrong.
    pub message: String,
}

impl WalkError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self.code {
            "input::nothing-found" => "check the path; name files directly to read other names",
            "input::dangling-link" => "remove the link or restore what it points to",
            "input::link-loop" => "remove the link, or name the folders to read directly",
            "input::not-a-file" => "move it out of the folder, or name it directly to read it",
            _ => "check the path and its permissions",
        }
    }
}

/// Expand `paths` into inputs and errors, in command-line order (each
/// directory's entries in name order).
pub fn walk(paths: &[PathBuf], filter: &dyn Filter) -> Vec<Result<Target, WalkError>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Ok(Target {
                path: path.clone(),
                shown: "-".to_string(),
                discovered: false,
            }));
            continue;
        }
        if !path.is_dir() {
            if !(path.exists() && filter.is_excluded(path, true)) {
                out.push(Ok(Target {
                    path: path.clone(),
                    shown: show(path),
                    discovered: false,
                }));
            }
            continue;
        }
        let mut walker = Walker {
            filter,
            out: Vec::new(),
            ancestors: Vec::new(),
            visited: HashSet::new(),
        };
        walker.dir(path, path);
        if walker.out.is_empty() {
            walker.out.push(Err(WalkError {
                shown: show(path),
                code: "input::nothing-found",
                message: format!(
                    "the directory `{}` holds no {} (nothing was read)",
                    show(path),
                    filter.inputs()
                ),
            }));
        }
        out.extend(walker.out);
    }
    out
}

struct Walker<'a> {
    filter: &'a dyn Filter,
    out: Vec<Result<Target, WalkError>>,
    /// The canonical folders from the named directory down to the current one.
    ancestors: Vec<PathBuf>,
    /// Every canonical folder walked, so one reached twice is walked once.
    visited: HashSet<PathBuf>,
}

impl Walker<'_> {
    fn error(&mut self, path: &Path, code: &'static str, message: String) {
        self.out.push(Err(WalkError {
            shown: show_found(path),
            code,
            message,
        }));
    }

    /// Walk the folder at `path` (reached through `via`: the link, when a
    /// symbolic link led here).
    fn dir(&mut self, path: &Path, via: &Path) {
        let canonical = match std::fs::canonicalize(path) {
            Ok(c) => c,
            Err(e) => {
                let message = format!("cannot read the directory `{}`: {e}", show_found(path));
                return self.error(path, "input::unreadable-directory", message);
            }
        };
        if let Some(ancestor) = self.ancestors.iter().find(|a| **a == canonical) {
            let message = format!(
                "the symbolic link `{}` leads back to `{}`, which is being walked: a loop (not followed)",
                show_found(via),
                show(ancestor)
            );
            return self.error(via, "input::link-loop", message);
        }
        if !self.visited.insert(canonical.clone()) {
            // Walked already under another name: its inputs are in.
            return;
        }
        let mut entries =
            match std::fs::read_dir(path).and_then(|d| d.collect::<io::Result<Vec<_>>>()) {
                Ok(entries) => entries,
                Err(e) => {
                    let message = format!("cannot read the directory `{}`: {e}", show_found(path));
                    return self.error(path, "input::unreadable-directory", message);
                }
            };
        entries.sort_by_key(std::fs::DirEntry::file_name);
        self.ancestors.push(canonical);
        for entry in entries {
            self.entry(&entry.path());
        }
        self.ancestors.pop();
    }

    fn entry(&mut self, path: &Path) {
        if self.filter.is_excluded(path, false) {
            return;
        }
        let kind = match std::fs::symlink_metadata(path) {
            Ok(m) => m.file_type(),
            Err(e) => {
                let message = format!("cannot read `{}`: {e}", show_found(path));
                return self.error(path, "input::unreadable", message);
            }
        };
        let kind = if kind.is_symlink() {
            match std::fs::metadata(path) {
                Ok(m) => m.file_type(),
                Err(e) => return self.broken_link(path, &e),
            }
        } else {
            kind
        };
        if kind.is_dir() {
            let skipped = path
                .file_name()
                .is_some_and(|n| SKIPPED_DIRS.iter().any(|s| n == *s));
            if !skipped {
                self.dir(path, path);
            }
        } else if self.filter.is_input(path) {
            if kind.is_file() {
                self.out.push(Ok(Target {
                    path: path.to_path_buf(),
                    shown: show_found(path),
                    discovered: true,
                }));
            } else {
                let message = format!(
                    "`{}` is {}, not a regular file: not read",
                    show_found(path),
                    special_kind(&kind)
                );
                self.error(path, "input::not-a-file", message);
            }
        }
    }

    fn broken_link(&mut self, path: &Path, e: &io::Error) {
        let target = std::fs::read_link(path)
            .map(|t| format!(" to `{}`", show(&t)))
            .unwrap_or_default();
        if e.kind() == io::ErrorKind::NotFound {
            let message = format!(
                "`{}` is a symbolic link{target} that leads nowhere (dangling)",
                show_found(path)
            );
            self.error(path, "input::dangling-link", message);
        } else {
            let message = format!(
                "cannot follow the symbolic link `{}`{target}: {e}",
                show_found(path)
            );
            self.error(path, "input::link-loop", message);
        }
    }
}

/// "a FIFO", "a socket", "a device".
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

/// `path` as shown in output: bytes that are not UTF-8 as `\xNN`, control
/// characters escaped ([`escape::escape`]). Two different paths show
/// differently, unless one already spells such an escape.
pub fn show(path: &Path) -> String {
    escape::escape(&raw_text(path)).into_owned()
}

/// A path found in a directory, shown without a leading `./`.
fn show_found(path: &Path) -> String {
    show(path.strip_prefix(".").unwrap_or(path))
}

#[cfg(unix)]
fn raw_text(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(not(unix))]
fn raw_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Extension = Extension {
        extension: "json",
        inputs: "`*.json` file",
    };

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("keyward-walk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn codes(found: &[Result<Target, WalkError>]) -> Vec<&str> {
        found
            .iter()
            .map(|f| match f {
                Ok(_) => "ok",
                Err(e) => e.code,
            })
            .collect()
    }

    #[test]
    fn named_files_are_kept_and_directories_walked_in_order() {
        let dir = scratch("order");
        std::fs::create_dir_all(dir.join("b")).unwrap();
        std::fs::write(dir.join("b/2.json"), "{}").unwrap();
        std::fs::write(dir.join("a.json"), "{}").unwrap();
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(dir.join(".git/x.json"), "{}").unwrap();
        let found = walk(&[dir.clone(), PathBuf::from("missing.json")], &JSON);
        let shown: Vec<String> = found.iter().map(|f| f.clone().unwrap().shown).collect();
        let base = show(&dir);
        assert_eq!(
            shown,
            [
                format!("{base}/a.json"),
                format!("{base}/b/2.json"),
                "missing.json".into()
            ]
        );
        assert!(!found[0].as_ref().unwrap().path.as_os_str().is_empty());
    }

    #[test]
    fn an_empty_directory_is_an_error() {
        let dir = scratch("empty");
        std::fs::write(dir.join("README.md"), "").unwrap();
        let found = walk(&[dir], &JSON);
        assert_eq!(codes(&found), ["input::nothing-found"]);
        let message = &found[0].as_ref().unwrap_err().message;
        assert!(message.contains("holds no `*.json` file"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn links_that_lead_nowhere_or_back_are_errors() {
        use std::os::unix::fs::symlink;
        let dir = scratch("links");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/ok.json"), "{}").unwrap();
        symlink(dir.join("gone.json"), dir.join("dangling.json")).unwrap();
        symlink("self", dir.join("self")).unwrap();
        symlink(&dir, dir.join("sub/up")).unwrap();
        // A second way into `sub` (walked first, in name order): `sub` is
        // then walked once.
        symlink(dir.join("sub"), dir.join("also-sub")).unwrap();
        let found = walk(&[dir], &JSON);
        assert_eq!(
            codes(&found),
            [
                "ok",
                "input::link-loop",
                "input::dangling-link",
                "input::link-loop"
            ],
            "{found:#?}"
        );
        let loop_message = &found[1].as_ref().unwrap_err().message;
        assert!(
            loop_message.contains("also-sub/up` leads back"),
            "{loop_message}"
        );
        assert!(found[2].as_ref().unwrap_err().message.contains("gone.json"));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_a_directory_is_an_error_not_a_hang() {
        let dir = scratch("fifo");
        let fifo = dir.join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // No mkfifo here: nothing to test with.
        }
        let found = walk(&[dir], &JSON);
        assert_eq!(codes(&found), ["input::not-a-file"]);
        assert!(found[0].as_ref().unwrap_err().message.contains("FIFO"));
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_kept_and_shown_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let dir = scratch("bytes");
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9\n.json");
        std::fs::write(dir.join(name), "{}").unwrap();
        let found = walk(std::slice::from_ref(&dir), &JSON);
        let target = found[0].as_ref().unwrap();
        assert_eq!(target.path, dir.join(name));
        assert!(
            target.shown.ends_with("/caf\\xe9\\n.json"),
            "{}",
            target.shown
        );
        assert!(std::fs::read(&target.path).is_ok());
    }
}
