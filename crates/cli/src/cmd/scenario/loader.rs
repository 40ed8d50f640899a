//! [`FsLoader`]: reads a scenario's `{"file": …}` references from disk,
//! confined to the scenario's folder tree.
//!
//! A scenario file is input written by someone else. Left free, a
//! reference could read any file the user can (`/etc/passwd`,
//! `/proc/self/environ`, `../../secrets.json`) and a diagnostic would quote
//! it. So a reference may only read a regular file whose real path (every
//! symbolic link followed) lies under the scenario's own folder, or under a
//! folder named with `--allow-path`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use keyward_scenario::{Loader, ReadError};

use crate::input::{self, Bytes};
use crate::walk::show;

/// Reads `{"file": …}` policies, relative to the scenario, within its
/// folders.
#[derive(Debug)]
pub struct FsLoader {
    /// The scenario's folder: references are relative to it.
    base: PathBuf,
    /// Canonical folders references may read below.
    roots: Vec<PathBuf>,
    /// The names [`Loader::resolve`] gave, and the paths they stand for.
    paths: RefCell<HashMap<String, PathBuf>>,
}

impl FsLoader {
    /// A loader for the scenario at `scenario` (`-`: standard input, whose
    /// folder is the current one): it reads below the scenario's folder and
    /// below each folder of `allowed`.
    pub fn new(scenario: &Path, allowed: &[PathBuf]) -> FsLoader {
        let base = if input::is_stdin(scenario) {
            PathBuf::from(".")
        } else {
            match scenario.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            }
        };
        let roots = std::iter::once(base.as_path())
            .chain(allowed.iter().map(PathBuf::as_path))
            .filter_map(|dir| std::fs::canonicalize(dir).ok())
            .collect();
        FsLoader {
            base,
            roots,
            paths: RefCell::new(HashMap::new()),
        }
    }

    fn confined(&self, path: &Path) -> Result<PathBuf, ReadError> {
        let real = std::fs::canonicalize(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ReadError::NotFound(e.to_string())
            } else {
                ReadError::Unreadable(e.to_string())
            }
        })?;
        if self.roots.iter().any(|root| real.starts_with(root)) {
            return Ok(real);
        }
        let folders: Vec<String> = self
            .roots
            .iter()
            .map(|r| format!("`{}`", show(r)))
            .collect();
        Err(ReadError::Outside(format!(
            "it is `{}`, outside the folders this scenario may read ({})",
            show(&real),
            folders.join(", ")
        )))
    }
}

impl Loader for FsLoader {
    fn resolve(&self, _base: &str, path: &str) -> String {
        let joined = self.base.join(path);
        let name = show(&joined);
        self.paths.borrow_mut().insert(name.clone(), joined);
        name
    }

    /// Reads with the same size limit and UTF-8 check as every other input.
    fn read(&self, name: &str) -> Result<String, ReadError> {
        let path = self
            .paths
            .borrow()
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name));
        let real = self.confined(&path)?;
        let metadata =
            std::fs::metadata(&real).map_err(|e| ReadError::Unreadable(e.to_string()))?;
        if !metadata.is_file() {
            let what = if metadata.is_dir() {
                "a directory"
            } else {
                "not a regular file (a device, a FIFO or a socket)"
            };
            return Err(ReadError::NotAFile(format!("it is {what}")));
        }
        let max_size = keyward_policy::ParseOptions::default().max_size;
        match input::read_bytes(&real, max_size) {
            Err(e) => Err(ReadError::Unreadable(e.to_string())),
            Ok(Bytes::TooLarge) => Err(ReadError::TooLarge(max_size)),
            Ok(Bytes::Read(bytes)) => String::from_utf8(bytes).map_err(|e| {
                ReadError::NotText(format!(
                    "it is not UTF-8 text (byte {} is not)",
                    e.utf8_error().valid_up_to()
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("keyward-loader-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("scenarios/policies")).unwrap();
        dir
    }

    fn read(loader: &FsLoader, path: &str) -> Result<String, ReadError> {
        let name = loader.resolve("", path);
        loader.read(&name)
    }

    #[test]
    fn references_read_below_the_scenario_folder_only() {
        let dir = scratch("confined");
        std::fs::write(dir.join("scenarios/policies/p.json"), "{}").unwrap();
        std::fs::write(dir.join("secret.json"), "{\"token\": 1}").unwrap();
        let scenario = dir.join("scenarios/s.json");
        let loader = FsLoader::new(&scenario, &[]);
        assert_eq!(read(&loader, "policies/p.json").unwrap(), "{}");
        assert_eq!(
            read(&loader, "./policies/../policies/p.json").unwrap(),
            "{}"
        );
        for outside in ["../secret.json", "/etc/passwd", "/proc/self/environ"] {
            let e = read(&loader, outside).unwrap_err();
            assert!(
                matches!(e, ReadError::Outside(_) | ReadError::NotFound(_)),
                "{outside}: {e:?}"
            );
        }
        assert!(matches!(
            read(&loader, "../secret.json"),
            Err(ReadError::Outside(_))
        ));
        // --allow-path widens the tree.
        let wider = FsLoader::new(&scenario, std::slice::from_ref(&dir));
        assert!(read(&wider, "../secret.json").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn links_that_leave_the_tree_are_refused() {
        let dir = scratch("links");
        std::fs::write(dir.join("outside.json"), "{}").unwrap();
        std::os::unix::fs::symlink(
            dir.join("outside.json"),
            dir.join("scenarios/policies/link.json"),
        )
        .unwrap();
        let loader = FsLoader::new(&dir.join("scenarios/s.json"), &[]);
        let e = read(&loader, "policies/link.json").unwrap_err();
        assert!(matches!(e, ReadError::Outside(_)), "{e:?}");
        assert!(e.to_string().contains("outside.json"), "{e}");
    }

    #[test]
    fn each_failure_says_what_it_was() {
        let dir = scratch("kinds");
        let max = keyward_policy::ParseOptions::default().max_size;
        std::fs::write(dir.join("scenarios/big.json"), vec![b' '; max + 1]).unwrap();
        std::fs::write(dir.join("scenarios/latin1.json"), b"{\"a\": \"caf\xe9\"}").unwrap();
        let loader = FsLoader::new(&dir.join("scenarios/s.json"), &[]);
        assert_eq!(read(&loader, "big.json"), Err(ReadError::TooLarge(max)));
        assert!(matches!(
            read(&loader, "latin1.json"),
            Err(ReadError::NotText(_))
        ));
        assert!(matches!(
            read(&loader, "policies"),
            Err(ReadError::NotAFile(_))
        ));
        assert!(matches!(
            read(&loader, "none.json"),
            Err(ReadError::NotFound(_))
        ));
        #[cfg(unix)]
        {
            let devices = FsLoader::new(&dir.join("scenarios/s.json"), &[PathBuf::from("/dev")]);
            assert!(matches!(
                read(&devices, "/dev/zero"),
                Err(ReadError::NotAFile(_))
            ));
        }
        // 16 MiB is not left behind.
        let _ = std::fs::remove_dir_all(&dir);
    }
}
