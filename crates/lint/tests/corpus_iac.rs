//! The real Terraform modules, SAM and CDK templates of the shared corpus:
//! every file is read, nothing crashes, and the findings are the reviewed
//! ones (`tests/snapshots/corpus-iac.txt`; `KEYWARD_BLESS=1` rewrites it).
//! Skipped plainly when `shared/` is absent.
#![cfg(all(feature = "terraform-hcl", feature = "yaml"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::shared_path;
use common::snapshot::assert_snapshot;
use common::tf_files::DiskFiles;
use keyward_lint::extract::hcl::extract_module;
use keyward_lint::{lint_extraction, lint_file, LintOptions};
use keyward_policy::{Diagnostic, Source};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn line(source: &Source, d: &Diagnostic, root: &str) -> String {
    let at = source.start_of(d.span());
    let name = source.name().strip_prefix(root).unwrap_or(source.name());
    format!(
        "{name}:{}:{}: {} {}: {}\n",
        at.line, at.column, d.severity, d.code, d.message
    )
}

#[test]
fn corpus_terraform_sam_and_cdk_are_read_whole() {
    let Some(corpus) = shared_path("corpus") else {
        return;
    };
    let corpus = std::fs::canonicalize(corpus).unwrap();
    let root = format!("{}/", corpus.display());
    let mut files = Vec::new();
    walk(&corpus.join("terraform"), &mut files);
    walk(&corpus.join("external"), &mut files);
    let mut report = String::new();

    // Terraform: every folder with .tf files is a root module.
    let tf: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    assert!(tf.len() >= 12, "{} .tf files", tf.len());
    let dirs: BTreeSet<PathBuf> = tf
        .iter()
        .map(|p| p.parent().unwrap().to_path_buf())
        .collect();
    let fs = DiskFiles {
        root: PathBuf::from("/"),
    };
    let mut read = BTreeSet::new();
    for dir in &dirs {
        let dir = dir.display().to_string();
        let dir = dir.trim_start_matches('/');
        for file in extract_module(dir, &fs).unwrap() {
            read.insert(format!("/{}", file.source.name()));
            let source = file.source.clone();
            let linted = lint_extraction(&source, file.extraction, &LintOptions::default());
            for d in &linted.diagnostics {
                assert_ne!(d.code, "hcl::syntax", "{}", line(&source, d, &root));
                report.push_str(&line(&source, d, root.trim_start_matches('/')));
            }
        }
    }
    for path in &tf {
        let shown = path.display().to_string();
        assert!(read.contains(&shown), "{shown} was not read");
    }

    // CDK synth output and any SAM template: as CloudFormation.
    let mut templates = 0;
    let mut sam = 0;
    for path in &files {
        let name = path.display().to_string();
        let is_template = name.ends_with(".template.json")
            || ((name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))
                && std::fs::read_to_string(path).is_ok_and(|t| t.contains("AWS::Serverless::")));
        if !is_template {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        sam += usize::from(text.contains("AWS::Serverless::"));
        let source = Source::new(name.as_str(), text);
        let linted = lint_file(&source, &LintOptions::default());
        assert!(linted.recognized, "{name}");
        templates += 1;
        for d in &linted.diagnostics {
            report.push_str(&line(&source, d, &root));
        }
    }
    assert!(templates >= 17, "{templates} templates");
    println!(
        "corpus: {} .tf files in {} modules, {templates} templates ({sam} SAM)",
        tf.len(),
        dirs.len()
    );
    assert_snapshot("corpus-iac.txt", &report);
}
