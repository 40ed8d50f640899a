//! A [`TerraformFiles`] over the disk, paths shown relative to a root folder.

use std::path::PathBuf;

use keyward_lint::extract::hcl::TerraformFiles;

/// Reads `.tf` files below `root`; paths are displayed relative to it.
pub struct DiskFiles {
    pub root: PathBuf,
}

impl DiskFiles {
    /// Files relative to the workspace root.
    pub fn workspace() -> DiskFiles {
        DiskFiles {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."),
        }
    }
}

impl TerraformFiles for DiskFiles {
    fn tf_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let entries = std::fs::read_dir(self.root.join(dir)).map_err(|e| e.to_string())?;
        let mut out: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".tf"))
            .map(|n| if dir == "." { n } else { format!("{dir}/{n}") })
            .collect();
        out.sort();
        Ok(out)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.root.join(path)).map_err(|e| e.to_string())
    }
}
