//! The linter on any text, read as each kind of input it accepts (auto
//! detection under several file names, policy, CloudFormation in JSON or
//! YAML, Terraform plan), with the policy kind detected or forced.
//!
//! Checks: no panic in extraction, suppressions, rules or reporters; every
//! finding's spans (suppressed ones too) are slices of the input; the JSON
//! and SARIF reports are JSON.

#![no_main]

use keyward_lint::extract::InputFormat;
use keyward_lint::report::{
    reporter, FileReport, Format, RenderOptions, Report, SuppressedFinding,
};
use keyward_lint::suppress::SidSuppression;
use keyward_lint::{lint_file, LintOptions, PolicyKind};
use keyward_policy::{Source, Span};
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
            // Findings in statements with `"Sid": "S"` are suppressed (and
            // CloudFormation inputs may carry their own suppressions).
            suppressions: vec![SidSuppression {
                sid: "S".to_string(),
                rule: "KW201",
                reason: Some("fuzzing".to_string()),
                at: Span::default(),
            }],
            ..LintOptions::default()
        };
        let out = lint_file(&source, &options);
        if let Err(problem) = keyward_tests::invariants::diagnostics_inside(text, &out.diagnostics)
        {
            panic!("{name} ({format:?}): {problem}");
        }
        let suppressed: Vec<_> = out.suppressed.iter().map(|s| s.diagnostic.clone()).collect();
        if let Err(problem) = keyward_tests::invariants::diagnostics_inside(text, &suppressed) {
            panic!("{name} ({format:?}), suppressed: {problem}");
        }
        report
            .suppressed
            .extend(out.suppressed.into_iter().map(|s| SuppressedFinding {
                source: source.clone(),
                diagnostic: s.diagnostic,
                reason: s.reason,
            }));
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
