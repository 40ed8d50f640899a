//! Terraform configurations read without a plan: the `.tf` files of a
//! module (and the local modules it calls), evaluated as far as they can be
//! without a plan, and the policies of KMS keys, IAM policies and
//! `aws_iam_policy_document` data sources found in them, and the KMS keys
//! with their settings (rotation, deletion window, key spec, policy).
//!
//! Findings point at the `.tf` line of the attribute or block that produced
//! the element. Values only a plan knows become placeholders (the
//! CloudFormation resolver's), so nothing is reported about them and a note
//! (`terraform::needs-plan`) says what was not checked.
//!
//! The crate has no file system: a [`TerraformFiles`] reads the files.

mod eval;
mod functions;
mod grant;
mod json_value;
mod keys;
mod module;
mod policy_document;
mod render;
mod resources;
mod value;

use keyward_policy::Source;

#[cfg(test)]
use super::DocumentText;
use super::{Document, Extraction};
use eval::Evaluator;
use module::Loaded;
use resources::Found;

/// Reads a module's files for the extractor.
pub trait TerraformFiles {
    /// The `.tf` files directly inside the folder `dir` (paths as they are
    /// to be displayed, e.g. `infra/main.tf`), sorted.
    fn tf_files(&self, dir: &str) -> Result<Vec<String>, String>;
    /// The text of a file (a `.tf` file, or one read by `file()`).
    fn read(&self, path: &str) -> Result<String, String>;
}

/// Files held in memory (a pasted configuration, tests, fuzzing): paths
/// are `/`-separated, the folder of `a/b.tf` is `a`, of `b.tf` is `.`.
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles {
    files: Vec<(String, String)>,
}

impl MemoryFiles {
    /// No files.
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    /// Add (or replace) a file.
    pub fn add(&mut self, path: &str, text: impl Into<String>) -> &mut MemoryFiles {
        let path = module::normalize(path);
        self.files.retain(|(p, _)| *p != path);
        self.files.push((path, text.into()));
        self
    }
}

impl TerraformFiles for MemoryFiles {
    fn tf_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let dir = module::normalize(dir);
        let mut found: Vec<String> = self
            .files
            .iter()
            .map(|(p, _)| p)
            .filter(|p| p.ends_with(".tf"))
            .filter(|p| match p.rsplit_once('/') {
                Some((parent, _)) => parent == dir,
                None => dir == ".",
            })
            .cloned()
            .collect();
        if found.is_empty() {
            return Err(format!("no .tf file in `{dir}`"));
        }
        found.sort();
        Ok(found)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        let path = module::normalize(path);
        self.files
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| format!("no file `{path}`"))
    }
}

/// What was found in one file of a module.
#[derive(Debug)]
pub struct FileExtraction {
    /// The file.
    pub source: Source,
    /// Its policies, keys and problems.
    pub extraction: Extraction,
}

/// The policies and KMS keys of the module in `dir`, its local modules
/// followed, by the file each was written in (files with nothing found are listed too, so
/// every file read is accounted for). `Err` when `dir` itself cannot be read.
pub fn extract_module(dir: &str, fs: &dyn TerraformFiles) -> Result<Vec<FileExtraction>, String> {
    let mut loaded = Loaded::read(dir, fs)?;
    let mut ev = Evaluator::new(&mut loaded, fs);
    let found = resources::walk(&mut ev);
    let mut out: Vec<FileExtraction> = ev
        .sources
        .iter()
        .map(|source| FileExtraction {
            source: source.clone(),
            extraction: Extraction {
                recognized: true,
                ..Extraction::default()
            },
        })
        .collect();
    for (file, d) in std::mem::take(&mut ev.diagnostics) {
        if let Some(f) = out.get_mut(file as usize) {
            f.extraction.diagnostics.push(d);
        }
    }
    // Suppressions written as comments in the `.tf` files.
    for f in &mut out {
        if f.source.name().ends_with(".tf") {
            let extraction = &mut f.extraction;
            extraction.suppressions =
                crate::suppress::terraform::read(f.source.text(), &mut extraction.diagnostics);
        }
    }
    for item in found {
        match item {
            Found::Document(file, document) => {
                if let Some(f) = out.get_mut(file as usize) {
                    f.extraction.documents.push(document);
                }
            }
            Found::Diagnostic(file, d) => {
                if let Some(f) = out.get_mut(file as usize) {
                    f.extraction.diagnostics.push(d);
                }
            }
            Found::Key(file, key) => {
                if let Some(f) = out.get_mut(file as usize) {
                    f.extraction.keys.push(key);
                }
            }
        }
    }
    Ok(out)
}

/// The policy at `address` (`aws_kms_key.app`, `module.kms.aws_kms_key.this`,
/// `data.aws_iam_policy_document.key`) in the module in `dir`, with the
/// file it was written in.
pub fn find_policy(
    dir: &str,
    fs: &dyn TerraformFiles,
    address: &str,
) -> Result<(Source, Document), String> {
    let files = extract_module(dir, fs)?;
    let mut known = Vec::new();
    for file in files {
        for document in file.extraction.documents {
            let label = document.label.clone().unwrap_or_default();
            let bare = label.split('[').next().unwrap_or("").to_string();
            if label == address || bare == address {
                return Ok((file.source, document));
            }
            known.push(label);
        }
    }
    Err(if known.is_empty() {
        format!("no policy `{address}` in `{dir}`: the module has no policy that can be read without a plan")
    } else {
        format!(
            "no policy `{address}` in `{dir}`; the policies are: {}",
            known.join(", ")
        )
    })
}

#[cfg(test)]
mod tests;
