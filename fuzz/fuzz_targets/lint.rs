//! The linter on any text, read as each kind of input it accepts (auto
//! detection under several file names, policy, CloudFormation in JSON or
//! YAML, Terraform plan), with the policy kind detected or forced.
//!
//! Checks: no panic in extraction, rules or reporters; every finding's
//! spans are slices of the input; the JSON and SARIF reports are JSON.

#![no_main]

use keyward_lint::extract::InputFormat;
use keyward_lint::report::{reporter, FileReport, Format, RenderOptions, Report};
use keyward_lint::{lint_file, LintOptions, PolicyKind};
use keyward_policy::Source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let runs = [
        ("policy.json", InputFormat::Auto, None),
        ("template.yaml", InputFormat::Auto, None),
        ("plan.json", InputFormat::Terraform, None),
        (
            "stack.json",
            InputFormat::CloudFormation,
            Some(PolicyKind::Key),
        ),
        (
            "identity.json",
            InputFormat::Policy,
            Some(PolicyKind::Identity),
        ),
    ];
    let mut report = Report::default();
    for (name, format, kind) in runs {
        let source = Source::new(name, text);
        let options = LintOptions {
            format,
            kind,
            ..LintOptions::default()
        };
        let out = lint_file(&source, &options);
        if let Err(problem) = keyward_tests::invariants::diagnostics_inside(text, &out.diagnostics)
        {
            panic!("{name} ({format:?}): {problem}");
        }
        report.files.push(FileReport {
            source,
            diagnostics: out.diagnostics,
        });
    }
    for format in Format::ALL {
        let mut out = String::new();
        reporter(format, RenderOptions::default()).render(&report, &mut out);
        if matches!(format, Format::Json | Format::Sarif) {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&out) {
                panic!("the {format:?} report is not JSON ({e}):\n{out}");
            }
        }
    }
});
