//! The linter on any text, read as each kind of input it accepts (auto
//! detection under several file names, policy, CloudFormation in JSON or
//! YAML, Terraform plan), with the policy kind detected or forced.
//!
//! Checks: no panic in extraction, rules or reporters; every finding's
//! spans are slices of the input; the JSON and SARIF reports are JSON.
//!
//! Two known linter bugs (reported, with failing tests in
//! `tests/tests/adversarial_lint.rs`) are stepped around so the fuzzer can
//! look for others: a `yaml::syntax` label one byte past the end of the
//! input or inside a character, and YAML alias bombs (inputs with several
//! anchors are not read as YAML).

#![no_main]

use keyward_lint::extract::InputFormat;
use keyward_lint::report::{reporter, FileReport, Format, RenderOptions, Report};
use keyward_lint::{lint_file, LintOptions, PolicyKind};
use keyward_policy::{Diagnostic, Source};
use libfuzzer_sys::fuzz_target;

/// Known bug: `yaml::syntax` marks `at..at + 1` even at the end of the
/// input or before a multi-byte character.
fn known_yaml_span_bug(text: &str, d: &mut Diagnostic) {
    if d.code != "yaml::syntax" {
        return;
    }
    for label in &mut d.labels {
        let (start, end) = (label.span.start as usize, label.span.end as usize);
        if end == start + 1 && start <= text.len() && text.get(start..end).is_none() {
            label.span = keyward_policy::Span::point(start);
        }
    }
}

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
    // Known bug: aliases are copied out without a budget (billion laughs).
    let alias_bomb_risk = text.matches('&').count() >= 3 && text.matches('*').count() >= 6;
    let mut report = Report::default();
    for (name, format, kind) in runs {
        if alias_bomb_risk && (name.ends_with(".yaml") || format == InputFormat::CloudFormation) {
            continue;
        }
        let source = Source::new(name, text);
        let options = LintOptions {
            format,
            kind,
            ..LintOptions::default()
        };
        let mut out = lint_file(&source, &options);
        for d in &mut out.diagnostics {
            known_yaml_span_bug(text, d);
        }
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
