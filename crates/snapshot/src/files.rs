//! How a snapshot is read: through a small trait the caller implements, so
//! this crate never touches the file system (the CLI reads a directory, tests
//! and the fuzzer serve files from memory).
//!
//! Paths are relative to the snapshot's root, `/`-separated, without `.` or
//! `..` (`accounts/111122223333/iam/authorization-details.json`); the root
//! itself is `""`.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Bound;

/// One entry of a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name (no `/`).
    pub name: String,
    /// What it is.
    pub kind: EntryKind,
}

/// What a directory entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// Something the provider will not follow or read (a symbolic link, a
    /// device…), with the reason. The loader reports it.
    Refused(String),
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// There is no such file.
    NotFound,
    /// The file is larger than the provider accepts.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The provider refuses it (a symbolic link, a path leaving the root…).
    Refused(String),
    /// Any other failure, as a short reason.
    Other(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "the file is {size} bytes, larger than the limit of {limit} bytes"
            ),
            ReadError::Refused(why) | ReadError::Other(why) => f.write_str(why),
        }
    }
}

/// Lists directories and reads files of one snapshot.
pub trait Files {
    /// The entries of directory `dir` (`""` is the root). A missing
    /// directory is `Ok` with no entries only if the provider cannot tell
    /// the difference; otherwise `Err(ReadError::NotFound)`.
    fn list(&self, dir: &str) -> Result<Vec<Entry>, ReadError>;

    /// The bytes of file `path`.
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError>;
}

/// A snapshot held in memory: for tests, the fuzzer and the browser.
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemoryFiles {
    /// No files.
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    /// Add (or replace) a file; its directories exist implicitly.
    pub fn insert(&mut self, path: &str, contents: impl Into<Vec<u8>>) {
        self.files
            .insert(path.trim_matches('/').to_string(), contents.into());
    }

    /// Remove a file; true when it was there.
    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(path).is_some()
    }

    /// The file at `path`, if any.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// How many bytes all files hold together.
    pub fn total_size(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

impl Files for MemoryFiles {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, ReadError> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut files = BTreeSet::new();
        let mut dirs = BTreeSet::new();
        // The paths under `dir` are one range of the sorted map.
        let under = self
            .files
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded));
        for path in under.map(|(path, _)| path) {
            let Some(rest) = path.strip_prefix(&prefix) else {
                break;
            };
            match rest.split_once('/') {
                Some((d, _)) => dirs.insert(d.to_string()),
                None => files.insert(rest.to_string()),
            };
        }
        if files.is_empty() && dirs.is_empty() && !dir.is_empty() {
            return Err(ReadError::NotFound);
        }
        Ok(dirs
            .into_iter()
            .map(|name| Entry {
                name,
                kind: EntryKind::Dir,
            })
            .chain(files.into_iter().map(|name| Entry {
                name,
                kind: EntryKind::File,
            }))
            .collect())
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self.files.get(path).cloned().ok_or(ReadError::NotFound)
    }
}

/// The loader's view of a [`Files`]: every file is read at most once (a
/// second read is refused, so a loader bug cannot double-count a file), and
/// the paths read are remembered for the summary.
pub(crate) struct Reader<'f> {
    files: &'f dyn Files,
    read: RefCell<HashSet<String>>,
    succeeded: std::cell::Cell<usize>,
}

impl<'f> Reader<'f> {
    pub(crate) fn new(files: &'f dyn Files) -> Reader<'f> {
        Reader {
            files,
            read: RefCell::new(HashSet::new()),
            succeeded: std::cell::Cell::new(0),
        }
    }

    pub(crate) fn list(&self, dir: &str) -> Result<Vec<Entry>, ReadError> {
        let mut entries = self.files.list(dir)?;
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    pub(crate) fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        if !self.read.borrow_mut().insert(path.to_string()) {
            return Err(ReadError::Refused(format!(
                "`{path}` was already read once; keyward reads every file once"
            )));
        }
        let bytes = self.files.read(path)?;
        self.succeeded.set(self.succeeded.get() + 1);
        Ok(bytes)
    }

    /// How many files were read.
    pub(crate) fn files_read(&self) -> usize {
        self.succeeded.get()
    }
}

/// `dir/name`, or `name` at the root.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_files_list_directories_and_files() {
        let mut m = MemoryFiles::new();
        m.insert("accounts/1/a.json", "{}");
        m.insert("accounts/1/kms/x.json", "{}");
        m.insert("organization/tree.json", "{}");
        let root: Vec<String> = m.list("").unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(root, ["accounts", "organization"]);
        let one = m.list("accounts/1").unwrap();
        assert_eq!(one[0].kind, EntryKind::Dir);
        assert_eq!(one[1].name, "a.json");
        assert_eq!(m.list("nowhere"), Err(ReadError::NotFound));
    }

    #[test]
    fn the_reader_refuses_a_second_read() {
        let mut m = MemoryFiles::new();
        m.insert("a.json", "{}");
        let r = Reader::new(&m);
        assert!(r.read("a.json").is_ok());
        assert!(matches!(r.read("a.json"), Err(ReadError::Refused(_))));
        assert_eq!(r.files_read(), 1);
    }
}
