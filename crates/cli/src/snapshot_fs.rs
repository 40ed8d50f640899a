//! A snapshot directory on disk, read through `keyward_snapshot::Files`.
//!
//! Nothing outside DIR is ever read: paths with `..`, absolute paths and
//! empty components are refused, symbolic links are never followed (they
//! are listed as refused entries, so the loader reports them), a file
//! swapped for another between check and open is refused, files larger
//! than the limit are refused before they are read, and no file is read
//! twice.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use keyward_snapshot::{Entry, EntryKind, Files, ReadError};

/// A snapshot directory.
#[derive(Debug)]
pub struct DirFiles {
    root: PathBuf,
    max_size: u64,
    read: Mutex<HashSet<String>>,
}

impl DirFiles {
    /// Open `dir`; files over `max_size` bytes are refused.
    pub fn open(dir: &str, max_size: usize) -> Result<DirFiles, String> {
        let root = std::fs::canonicalize(dir).map_err(|e| format!("cannot open `{dir}`: {e}"))?;
        if !root.is_dir() {
            return Err(format!("`{dir}` is not a directory"));
        }
        Ok(DirFiles {
            root,
            max_size: u64::try_from(max_size).unwrap_or(u64::MAX),
            read: Mutex::new(HashSet::new()),
        })
    }

    /// `root/rel`, for a relative path made of plain names only.
    fn path(&self, rel: &str) -> Result<PathBuf, ReadError> {
        if rel.is_empty() {
            return Ok(self.root.clone());
        }
        let p = Path::new(rel);
        let plain = rel.split('/').all(|c| !c.is_empty())
            && p.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain {
            return Err(ReadError::Refused(format!(
                "`{rel}` is not a plain path inside the snapshot"
            )));
        }
        Ok(self.root.join(p))
    }
}

fn refused_kind(meta: &std::fs::Metadata) -> Option<String> {
    let t = meta.file_type();
    if t.is_symlink() {
        Some("a symbolic link (never followed, so nothing outside the snapshot is read)".into())
    } else if !t.is_file() && !t.is_dir() {
        Some("not a regular file or directory".into())
    } else {
        None
    }
}

fn io(e: &std::io::Error) -> ReadError {
    if e.kind() == std::io::ErrorKind::NotFound {
        ReadError::NotFound
    } else {
        ReadError::Other(e.to_string())
    }
}

impl Files for DirFiles {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, ReadError> {
        let path = self.path(dir)?;
        let meta = std::fs::symlink_metadata(&path).map_err(|e| io(&e))?;
        if let Some(why) = refused_kind(&meta) {
            return Err(ReadError::Refused(why));
        }
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&path).map_err(|e| io(&e))? {
            let entry = entry.map_err(|e| io(&e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // `DirEntry::metadata` does not follow symbolic links.
            let kind = match entry.metadata() {
                Ok(m) => match refused_kind(&m) {
                    Some(why) => EntryKind::Refused(why),
                    None if m.is_dir() => EntryKind::Dir,
                    None => EntryKind::File,
                },
                Err(e) => EntryKind::Refused(e.to_string()),
            };
            let kind = if name.contains('/') || entry.file_name().to_str().is_none() {
                EntryKind::Refused("its name is not valid UTF-8".into())
            } else {
                kind
            };
            out.push(Entry { name, kind });
        }
        Ok(out)
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, ReadError> {
        {
            let mut read = self
                .read
                .lock()
                .map_err(|_| ReadError::Other("a lock is poisoned".into()))?;
            if !read.insert(rel.to_string()) {
                return Err(ReadError::Refused(format!("`{rel}` was already read once")));
            }
        }
        let path = self.path(rel)?;
        let before = std::fs::symlink_metadata(&path).map_err(|e| io(&e))?;
        if let Some(why) = refused_kind(&before) {
            return Err(ReadError::Refused(why));
        }
        if before.is_dir() {
            return Err(ReadError::Refused("a directory, not a file".into()));
        }
        if before.len() > self.max_size {
            return Err(ReadError::TooLarge {
                size: before.len(),
                limit: self.max_size,
            });
        }
        let file = std::fs::File::open(&path).map_err(|e| io(&e))?;
        let opened = file.metadata().map_err(|e| io(&e))?;
        if !same_file(&before, &opened) {
            return Err(ReadError::Refused(
                "the file changed while it was being opened".into(),
            ));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).unwrap_or(0));
        file.take(self.max_size.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| io(&e))?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > self.max_size {
            return Err(ReadError::TooLarge {
                size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
                limit: self.max_size,
            });
        }
        Ok(bytes)
    }
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len() && a.is_file() == b.is_file()
}
