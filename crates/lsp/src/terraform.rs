//! Terraform configurations (`.tf`): the document's module is read as a
//! whole, as `keyward lint` reads it, with the editor's copy of every open
//! `.tf` file (unsaved edits count) and the disk for the rest; the findings
//! in the document itself are its diagnostics.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyward_lint::extract::hcl::{extract_module, MemoryFiles, TerraformFiles};
use keyward_lint::{lint_extraction, LintOptions};
use keyward_policy::{Diagnostic, ParseOptions, Source, Span};

/// The module's files: open documents first, then the disk.
struct Overlay<'a> {
    open: &'a HashMap<PathBuf, Arc<str>>,
}

impl TerraformFiles for Overlay<'_> {
    fn tf_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let mut files: Vec<String> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
            Err(e) if !self.open.keys().any(|p| p.parent() == Some(Path::new(dir))) => {
                return Err(e.to_string())
            }
            Err(_) => Vec::new(),
        };
        // A new file not saved yet belongs to the module too.
        files.extend(
            self.open
                .keys()
                .filter(|p| p.parent() == Some(Path::new(dir)))
                .map(|p| p.to_string_lossy().into_owned()),
        );
        files.retain(|f| f.ends_with(".tf"));
        files.sort();
        files.dedup();
        Ok(files)
    }

    fn read(&self, path: &str) -> Result<String, String> {
        if let Some(text) = self.open.get(Path::new(path)) {
            return Ok(text.to_string());
        }
        let limit = ParseOptions::default().max_size;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| {
                f.take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
                    .read_to_end(&mut bytes)
            })
            .map_err(|e| e.to_string())?;
        if bytes.len() > limit {
            return Err(format!("larger than {limit} bytes"));
        }
        String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
    }
}

/// The findings in the `.tf` document `source` (named by its path, or not a
/// file at all), read as part of its module.
pub(crate) fn lint(
    source: &Source,
    path: Option<&Path>,
    open: &HashMap<PathBuf, Arc<str>>,
    options: &LintOptions,
) -> Vec<Diagnostic> {
    let (dir, wanted, files) = match path.and_then(Path::parent) {
        Some(dir) => {
            let mut open = open.clone();
            if let Some(path) = path {
                open.insert(path.to_path_buf(), source.text_arc().clone());
            }
            let dir = dir.to_string_lossy().into_owned();
            let files = extract_module(&dir, &Overlay { open: &open });
            (dir, source.name().to_string(), files)
        }
        None => {
            // Not a file (an unsaved buffer): a module of one file.
            let mut memory = MemoryFiles::new();
            memory.add("main.tf", source.text());
            let files = extract_module(".", &memory);
            (".".to_string(), "main.tf".to_string(), files)
        }
    };
    let files = match files {
        Ok(files) => files,
        Err(message) => {
            return vec![Diagnostic::error(
                "terraform::unreadable-module",
                format!("cannot read the Terraform module `{dir}`: {message}"),
                Span::point(0),
            )]
        }
    };
    files
        .into_iter()
        .filter(|file| same_file(file.source.name(), &wanted))
        .flat_map(|file| lint_extraction(&file.source, file.extraction, options).diagnostics)
        .collect()
}

fn same_file(a: &str, b: &str) -> bool {
    a == b || Path::new(a) == Path::new(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = r#"resource "aws_kms_key" "main" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "kms:Decrpyt"
      Resource  = "*"
    }]
  })
}
"#;

    #[test]
    fn an_open_unsaved_module_file_is_linted_with_its_module() {
        let path = PathBuf::from("/nowhere/infra/main.tf");
        let source = Source::new("/nowhere/infra/main.tf", KEY);
        let found = lint(
            &source,
            Some(&path),
            &HashMap::new(),
            &LintOptions::default(),
        );
        let typo = found
            .iter()
            .find(|d| d.code == "KW302")
            .expect("the typo is found");
        assert_eq!(source.slice(typo.span()), "\"kms:Decrpyt\"");
    }

    #[test]
    fn an_untitled_buffer_is_a_module_of_one_file() {
        let source = Source::new("vscode-vfs://github/x/main.tf", KEY);
        let found = lint(&source, None, &HashMap::new(), &LintOptions::default());
        assert!(found.iter().any(|d| d.code == "KW302"), "{found:?}");
    }
}
