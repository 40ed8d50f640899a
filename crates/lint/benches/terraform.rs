//! Terraform `.tf` modules read without a plan: extraction (parse, evaluate,
//! render) and linting, on the fixture modules and on 64 generated modules
//! that call one shared module. `cargo bench -p keyward-lint --bench terraform`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark setup: a failure is a broken fixture"
)]

use keyward_lint::extract::hcl::{extract_module, MemoryFiles};
use keyward_lint::{lint_extraction, LintOptions};

fn main() {
    divan::main();
}

/// The fixture folder `fixtures/lint/terraform-hcl/<case>`, in memory.
fn fixture(case: &str) -> MemoryFiles {
    let dir = format!(
        "{}/../../fixtures/lint/terraform-hcl/{case}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut files = MemoryFiles::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".tf") || name.ends_with(".json") {
            files.add(&name, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    files
}

/// 64 modules of four key policies each, and a shared module each calls.
fn generated() -> MemoryFiles {
    let mut files = MemoryFiles::new();
    files.add(
        "shared/main.tf",
        r#"variable "readers" { default = [] }
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
  dynamic "statement" {
    for_each = length(var.readers) > 0 ? [1] : []
    content {
      actions   = ["kms:Decrypt"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = var.readers
      }
    }
  }
}
resource "aws_kms_key" "this" {
  policy = data.aws_iam_policy_document.key.json
}
"#,
    );
    let mut root = String::new();
    for m in 0..64 {
        root.push_str(&format!("module \"m{m}\" {{\n  source = \"./m{m}\"\n}}\n"));
        let mut text = format!("module \"shared\" {{\n  source  = \"../shared\"\n  readers = [\"arn:aws:iam::111122223333:role/r{m}\"]\n}}\n");
        for k in 0..4 {
            text.push_str(&format!(
                "resource \"aws_kms_key\" \"k{k}\" {{\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [\n      {{ Sid = \"Root\", Effect = \"Allow\", Principal = {{ AWS = \"arn:aws:iam::111122223333:root\" }}, Action = \"kms:*\", Resource = \"*\" }},\n      {{ Sid = \"Use\", Effect = \"Allow\", Principal = \"*\", Action = [\"kms:Decrypt\"], Resource = \"*\" }},\n    ]\n  }})\n}}\n"
            ));
        }
        files.add(&format!("m{m}/main.tf"), text);
    }
    files.add("main.tf", root);
    files
}

fn lint_all(files: &MemoryFiles) -> usize {
    extract_module(".", files)
        .unwrap()
        .into_iter()
        .map(|f| {
            let source = f.source.clone();
            lint_extraction(&source, f.extraction, &LintOptions::default())
                .diagnostics
                .len()
        })
        .sum()
}

#[divan::bench(args = ["forms", "documents", "needs-plan"])]
fn fixture_module(bencher: divan::Bencher, case: &str) {
    let files = fixture(case);
    bencher.bench(|| lint_all(divan::black_box(&files)));
}

#[divan::bench]
fn generated_modules(bencher: divan::Bencher) {
    let files = generated();
    bencher.bench(|| lint_all(divan::black_box(&files)));
}

#[divan::bench]
fn generated_modules_extraction_only(bencher: divan::Bencher) {
    let files = generated();
    bencher.bench(|| extract_module(".", divan::black_box(&files)).unwrap().len());
}
