//! Terraform configurations read without a plan: any text as up to three
//! files (`main.tf`, a local module `m/main.tf`, and `p.json` that `file()`
//! may read), split at 0 bytes, evaluated and linted.
//!
//! Checks: no panic, stack overflow or hang (module cycles, recursive
//! locals, deep nesting and huge values are refused with a diagnostic);
//! every finding's spans are slices of the file it is reported in.

#![no_main]

use keyward_lint::extract::hcl::{extract_module, MemoryFiles};
use keyward_lint::{lint_extraction, LintOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let mut fs = MemoryFiles::new();
    fs.add("main.tf", parts.next().unwrap_or(""));
    if let Some(module) = parts.next() {
        fs.add("m/main.tf", module);
    }
    if let Some(json) = parts.next() {
        fs.add("p.json", json);
    }
    let Ok(files) = extract_module(".", &fs) else {
        return;
    };
    for file in files {
        let source = file.source.clone();
        let linted = lint_extraction(&source, file.extraction, &LintOptions::default());
        if let Err(problem) =
            keyward_tests::invariants::diagnostics_inside(source.text(), &linted.diagnostics)
        {
            panic!("{}: {problem}", source.name());
        }
    }
});
