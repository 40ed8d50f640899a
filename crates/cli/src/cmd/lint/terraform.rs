//! `.tf` files: every folder that holds one is a Terraform module, linted as
//! a whole (its local modules followed), and each finding is reported in
//! the file it points into.

use std::collections::BTreeMap;

use keyward_lint::extract::hcl::{extract_module, TerraformFiles};
use keyward_lint::report::FileReport;
use keyward_lint::{lint_extraction, LintOptions};
use keyward_policy::{Diagnostic, Source};

use super::suppressions::Tally;
use crate::input;
use crate::walk::Target;

/// The file system, for the extractor: `.tf` files of a folder, and files
/// read with the size limit of the run.
pub struct DiskFiles {
    /// Largest file read, in bytes.
    pub max_size: usize,
}

impl TerraformFiles for DiskFiles {
    fn tf_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| e.to_string())?;
        let mut files: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|name| name.ends_with(".tf"))
            .map(|name| {
                if dir == "." {
                    name
                } else {
                    format!("{dir}/{name}")
                }
            })
            .collect();
        files.sort();
        Ok(files)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        let input = input::read(std::path::Path::new(path), self.max_size)?;
        match input.decode_error {
            None => Ok(input.source.text().to_string()),
            Some(d) => Err(d.message),
        }
    }
}

/// Is this target a Terraform configuration file?
pub fn is_tf(target: &Target) -> bool {
    target.path.extension().is_some_and(|x| x == "tf")
}

/// The target's path as the module reader takes it: text, no leading `./`
/// (a name that is not UTF-8 is read with its bytes replaced, and fails as
/// a file that is not there: reported, not skipped).
fn path_text(target: &Target) -> String {
    let path = target.path.strip_prefix(".").unwrap_or(&target.path);
    path.to_string_lossy().into_owned()
}

/// Lint the modules of the `.tf` targets: one report per file read (the
/// targets, the modules they call, the files `file()` reads), findings of
/// several modules sharing a file merged. `options_for` gives a file's
/// options (its config overrides); files the configuration ignores are
/// read (a module needs all its files) but not reported.
pub fn lint_modules(
    targets: &[&Target],
    max_size: usize,
    options_for: impl Fn(&str) -> LintOptions,
    ignored: impl Fn(&str) -> bool,
    tally: &mut Tally,
) -> Vec<Result<FileReport, (String, String)>> {
    let mut out = Vec::new();
    // A named `.tf` file that is not there is an input not read: say so.
    for target in targets {
        if !target.path.is_file() {
            out.push(Err((
                target.shown.clone(),
                format!("cannot read `{}`: it is not a file", target.shown),
            )));
        }
    }
    let mut dirs: Vec<String> = targets
        .iter()
        .filter(|t| t.path.is_file())
        .map(|t| match path_text(t).rsplit_once('/') {
            Some((dir, _)) => dir.to_string(),
            None => ".".to_string(),
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    let fs = DiskFiles { max_size };
    let mut reports: BTreeMap<String, (Source, Vec<Diagnostic>)> = BTreeMap::new();
    for dir in dirs {
        let files = match extract_module(&dir, &fs) {
            Ok(files) => files,
            Err(message) => {
                out.push(Err((
                    dir.clone(),
                    format!("cannot read the Terraform module `{dir}`: {message}"),
                )));
                continue;
            }
        };
        for file in files {
            let name = file.source.name().to_string();
            if ignored(&name) {
                continue;
            }
            let options = options_for(&name);
            let mut linted = lint_extraction(&file.source, file.extraction, &options);
            tally.record(&file.source, &options, &mut linted);
            let entry = reports
                .entry(name)
                .or_insert_with(|| (file.source.clone(), Vec::new()));
            for d in linted.diagnostics {
                if !entry.1.contains(&d) {
                    entry.1.push(d);
                }
            }
        }
    }
    for (_, (source, mut diagnostics)) in reports {
        diagnostics.sort_by(|a, b| (a.span().start, a.code).cmp(&(b.span().start, b.code)));
        out.push(Ok(FileReport {
            source,
            diagnostics,
        }));
    }
    out
}

/// One report per file: a file read both on its own (a `.json` policy in a
/// walked folder) and by a module (`file()`) is listed once, each finding
/// once (the first of those at the same place with the same message).
pub fn merge_same_files(files: &mut Vec<FileReport>) {
    let mut merged: Vec<FileReport> = Vec::with_capacity(files.len());
    for file in files.drain(..) {
        match merged
            .iter_mut()
            .find(|f| f.source.name() == file.source.name())
        {
            Some(existing) => {
                for d in file.diagnostics {
                    let same = existing.diagnostics.iter().any(|e| {
                        e.code == d.code && e.span() == d.span() && e.message == d.message
                    });
                    if !same {
                        existing.diagnostics.push(d);
                    }
                }
                existing
                    .diagnostics
                    .sort_by(|a, b| (a.span().start, a.code).cmp(&(b.span().start, b.code)));
            }
            None => merged.push(file),
        }
    }
    *files = merged;
}
