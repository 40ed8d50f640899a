//! Hostile inputs to the linter (`keyward_lint`, `keyward lint`): policies,
//! CloudFormation templates in JSON and YAML, Terraform plans. Each must
//! end in findings or a clear diagnostic, in bounded time and memory, with
//! every span inside the input, and every report format must render.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use keyward_lint::extract::InputFormat;
use keyward_lint::report::{reporter, FileReport, Format, RenderOptions, Report};
use keyward_lint::{lint_file, LintOptions};
use keyward_policy::{Diagnostic, Source};
use keyward_tests::invariants::diagnostics_inside;

const LIMIT: Duration = Duration::from_secs(20);

/// Lint `text` as `name` on a 1 MiB-stack thread under a time limit,
/// check the spans and render every report format.
fn lint(what: &str, name: &'static str, format: InputFormat, text: String) -> Vec<Diagnostic> {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let label = what.to_string();
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let source = Source::new(name, text.as_str());
            let options = LintOptions {
                format,
                ..LintOptions::default()
            };
            let out = lint_file(&source, &options);
            if let Err(problem) = diagnostics_inside(&text, &out.diagnostics) {
                panic!("{label}: {problem}");
            }
            let report = Report {
                files: vec![FileReport {
                    source,
                    diagnostics: out.diagnostics.clone(),
                }],
                ..Report::default()
            };
            // The human report of many findings is timed on its own
            // (`human_reports_grow_linearly_with_the_findings`).
            let formats: &[Format] = if out.diagnostics.len() > 200 {
                &[
                    Format::Json,
                    Format::Sarif,
                    Format::Github,
                    Format::Junit,
                    Format::Markdown,
                ]
            } else {
                &Format::ALL
            };
            for &f in formats {
                let mut rendered = String::new();
                reporter(f, RenderOptions::default()).render(&report, &mut rendered);
                if matches!(f, Format::Json | Format::Sarif) {
                    serde_json::from_str::<serde_json::Value>(&rendered)
                        .unwrap_or_else(|e| panic!("{label}: {f:?} report is not JSON: {e}"));
                }
            }
            let _ = tx.send(out.diagnostics);
        })
        .unwrap();
    match rx.recv_timeout(LIMIT) {
        Ok(d) => {
            println!("{what}: {} findings in {:?}", d.len(), started.elapsed());
            d
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: still running after {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked (see above)"),
    }
}

fn yaml_stack(key_policy_yaml: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n{key_policy_yaml}"
    )
}

/// A YAML error at the very end of the input (or inside a multi-byte
/// character) must still be reported at a place inside the input.
#[test]
fn yaml_errors_at_the_end_of_the_input_point_inside_it() {
    for (what, text) in [
        ("a lone `[`", "[".to_string()),
        ("an unclosed flow map", "a: {b: 1".to_string()),
        ("an unclosed quote", "a: 'b".to_string()),
        (
            "a bad token before a multi-byte character",
            "a: [é".to_string(),
        ),
    ] {
        lint(what, "template.yaml", InputFormat::Auto, text);
    }
}

/// Billion laughs: each anchor refers ten times to the one before. Aliases
/// must not be copied out without bound: 600 bytes of YAML may not turn
/// into gigabytes. Run through the CLI under a 1 GB address-space limit so
/// that a failure cannot take the machine down.
#[cfg(unix)]
#[test]
fn yaml_alias_bombs_are_bounded() {
    let mut y = String::from("AWSTemplateFormatVersion: '2010-09-09'\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=8 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        y.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    y.push_str(&yaml_stack("        Statement: *a8\n"));
    let dir = std::env::temp_dir().join(format!("keyward-adversarial-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bomb.yaml");
    std::fs::write(&path, &y).unwrap();
    let keyward = build_cli();
    let script = format!(
        "ulimit -v 1000000; exec timeout 30 '{}' lint --format json '{}'",
        keyward.display(),
        path.display()
    );
    let started = Instant::now();
    let out = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!(
        "{} bytes of YAML: exit {:?} in {elapsed:?}",
        y.len(),
        out.status.code()
    );
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "{}-byte alias bomb: exit {:?} after {elapsed:?} (124: timed out; 101 or a signal: out of memory)\n{}",
        y.len(),
        out.status.code(),
        stderr.chars().take(2000).collect::<String>()
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.is_object(), "{report}");
}

/// Deep YAML nesting must end in a diagnostic, not a stack overflow:
/// `- - - … x` nests a sequence per two bytes, and block indentation nests
/// too. Run through the CLI, since a stack overflow aborts the process.
#[test]
fn deep_yaml_nesting_ends_in_a_diagnostic() {
    let keyward = build_cli();
    let dir = std::env::temp_dir().join(format!("keyward-adversarial-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let block: String = (0..2_000)
        .map(|i| format!("{}-\n", "  ".repeat(i)))
        .collect();
    for (what, text) in [
        (
            "100,000 compact nested sequences",
            format!("{}x\n", "- ".repeat(100_000)),
        ),
        ("2,000 levels of block sequences", block),
        (
            "100,000 nested flow maps",
            format!("a: {}1{}\n", "{b: ".repeat(100_000), "}".repeat(100_000)),
        ),
    ] {
        let path = dir.join("deep.yaml");
        std::fs::write(&path, &text).unwrap();
        let started = Instant::now();
        let out = Command::new(&keyward)
            .arg("lint")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        println!(
            "{what}: exit {:?} in {:?}",
            out.status.code(),
            started.elapsed()
        );
        assert!(
            !stderr.contains("overflowed its stack"),
            "{what}: `keyward lint` overflowed its stack (exit {:?})",
            out.status.code()
        );
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{what}: exit {:?}",
            out.status.code()
        );
    }
}

fn build_cli() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe
        .parent()
        .and_then(std::path::Path::parent)
        .unwrap()
        .to_path_buf();
    let mut build = Command::new(env!("CARGO"));
    build
        .args([
            "build",
            "-q",
            "-p",
            "keyward-cli",
            "--bin",
            "keyward",
            "--target-dir",
        ])
        .arg(profile_dir.parent().unwrap())
        .current_dir(keyward_tests::repo_root());
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    assert!(build.status().unwrap().success());
    profile_dir.join(format!("keyward{}", std::env::consts::EXE_SUFFIX))
}

#[test]
fn deep_and_huge_templates_are_bounded() {
    let depth = 100_000;
    lint(
        "deep YAML flow nesting",
        "template.yaml",
        InputFormat::Auto,
        format!("a: {}1{}", "[".repeat(depth), "]".repeat(depth)),
    );
    lint(
        "deep JSON template",
        "stack.json",
        InputFormat::CloudFormation,
        format!("{{\"Resources\": {}}}", "[".repeat(depth)),
    );
    let statements: Vec<String> = (0..500)
        .map(|i| format!("          - {{Sid: s{i}, Effect: Allow, Principal: '*', Action: 'kms:*', Resource: '*'}}\n"))
        .collect();
    let d = lint(
        "500 wildcard statements in YAML",
        "template.yaml",
        InputFormat::Auto,
        yaml_stack(&format!("        Statement:\n{}", statements.concat())),
    );
    assert!(
        !d.is_empty(),
        "wildcard principals without conditions must be found"
    );
    let anchors: String = (0..20_000)
        .map(|i| format!("a{i}: &x{i} v{i}\nb{i}: *x{i}\n"))
        .collect();
    lint(
        "20,000 anchors and aliases",
        "template.yaml",
        InputFormat::Auto,
        anchors,
    );
}

#[test]
fn policies_hidden_in_strings_and_intrinsics() {
    // A key policy stored as a JSON string, with escapes, broken inside.
    for (what, inner) in [
        (
            "an escaped policy",
            r#"{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}"#,
        ),
        (
            "a broken escaped policy",
            r#"{\"Statement\": [{\"Effect\": \"Allow\",, \"Principal\": \u00e9\"}"#,
        ),
        (
            "surrogates in an escaped policy",
            r#"{\"Sid\": \"\ud83d\ude00\ud800\", \"Statement\": []}"#,
        ),
        ("an escaped policy of escapes", r#"\"\\\"\\\\\"\""#),
    ] {
        let text = format!(
            r#"{{"Resources": {{"K": {{"Type": "AWS::KMS::Key", "Properties": {{"KeyPolicy": "{inner}"}}}}}}}}"#
        );
        lint(what, "stack.json", InputFormat::CloudFormation, text);
    }
    let long_sub = format!(
        "!Sub 'arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:{}'",
        "${X}".repeat(50_000)
    );
    lint(
        "a 250 kB !Sub",
        "template.yaml",
        InputFormat::Auto,
        yaml_stack(&format!("        Statement:\n          - Effect: Allow\n            Principal: {{AWS: {long_sub}}}\n            Action: 'kms:*'\n            Resource: '*'\n")),
    );
    let nested_if = format!(
        "{}x{}",
        "{\"Fn::If\": [\"c\", ".repeat(500),
        ", \"y\"]}".repeat(500)
    );
    lint(
        "500 nested Fn::If",
        "stack.json",
        InputFormat::CloudFormation,
        format!(
            r#"{{"Resources": {{"K": {{"Type": "AWS::KMS::Key", "Properties": {{"KeyPolicy": {{"Statement": [{{"Effect": "Allow", "Principal": {nested_if}, "Action": "kms:*", "Resource": "*"}}]}}}}}}}}}}"#
        ),
    );
}

#[test]
fn terraform_plans_and_odd_text() {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"#;
    let modules: String = (0..300)
        .map(|_| r#"{"child_modules": ["#.to_string())
        .collect::<String>();
    let closing = "]}".repeat(300);
    lint(
        "a plan with 300 nested modules",
        "plan.json",
        InputFormat::Terraform,
        format!(
            r#"{{"format_version": "1.2", "planned_values": {{"root_module": {modules}{{"resources": [{{"type": "aws_kms_key", "address": "aws_kms_key.k", "values": {{"policy": "{policy}"}}}}]}}{closing}}}}}"#
        ),
    );
    for (what, text) in [
        ("NUL bytes", "\0".repeat(10_000)),
        (
            "tabs and carriage returns in YAML",
            "a:\t\r\n\t- b\r\n".repeat(1_000),
        ),
        ("YAML document markers", "---\n...\n".repeat(10_000)),
        ("a byte-order mark then YAML", "\u{feff}a: 1\n".to_string()),
        (
            "a YAML tag storm",
            "!!binary !Ref !GetAtt a\n".repeat(1_000),
        ),
    ] {
        lint(what, "template.yaml", InputFormat::Auto, text.clone());
        lint(what, "policy.json", InputFormat::Auto, text);
    }
}

/// The human report draws a snippet per finding; its cost must grow with
/// the findings, not with findings × file size. 10,000 findings in a
/// 500 kB template: well under a second when linear, a minute or more in a
/// debug build when every snippet scans the file from its start.
#[test]
fn human_reports_grow_linearly_with_the_findings() {
    let statements: String = (0..5_000)
        .map(|i| format!("          - {{Sid: s{i}, Effect: Allow, Principal: '*', Action: 'kms:*', Resource: '*'}}\n"))
        .collect();
    let text = yaml_stack(&format!("        Statement:\n{statements}"));
    let source = Source::new("template.yaml", text.as_str());
    let out = lint_file(&source, &LintOptions::default());
    assert!(out.diagnostics.len() >= 5_000, "{}", out.diagnostics.len());
    let report = Report {
        files: vec![FileReport {
            source,
            diagnostics: out.diagnostics,
        }],
        ..Report::default()
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let mut rendered = String::new();
        reporter(Format::Human, RenderOptions::default()).render(&report, &mut rendered);
        let _ = tx.send((started.elapsed(), rendered.len()));
    });
    match rx.recv_timeout(LIMIT) {
        Ok((elapsed, len)) => {
            println!("human report of 10,000 findings: {len} bytes in {elapsed:?}")
        }
        Err(_) => panic!("the human report of 10,000 findings took more than {LIMIT:?}"),
    }
}

/// One template, many keys: each key policy must cost its own size, not
/// the template's (4,000 keys: about a second when linear in a debug build).
#[test]
fn many_keys_in_one_template_lint_in_linear_time() {
    let resources: Vec<String> = (0..4_000)
        .map(|i| format!(r#""K{i}": {{"Type": "AWS::KMS::Key", "Properties": {{"KeyPolicy": {{"Statement": [{{"Effect": "Allow", "Principal": {{"AWS": {{"Fn::Sub": "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:root"}}}}, "Action": "kms:*", "Resource": "*"}}]}}}}}}"#))
        .collect();
    lint(
        "4,000 keys in one JSON template",
        "stack.json",
        InputFormat::Auto,
        format!(
            r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{{}}}}}"#,
            resources.join(",\n")
        ),
    );
}

/// The lint fuzz target's seeds (and any saved crash inputs) lint cleanly,
/// in every input format, on stable, on every `cargo test`.
#[test]
fn fuzz_seeds_lint_cleanly() {
    let root = keyward_tests::repo_root().join("fuzz");
    let mut checked = 0;
    for dir in [root.join("corpus/lint"), root.join("regressions/lint")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for path in files {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let what = path.display().to_string();
            for (name, format) in [
                ("input.json", InputFormat::Auto),
                ("input.yaml", InputFormat::Auto),
                ("input", InputFormat::Policy),
                ("input", InputFormat::Terraform),
            ] {
                lint(&what, name, format, text.clone());
            }
            checked += 1;
        }
    }
    assert!(checked >= 5, "the lint seeds went missing: {checked}");
}
