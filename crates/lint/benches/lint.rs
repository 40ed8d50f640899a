//! Linting throughput: a typical key policy, a CloudFormation template, a
//! Terraform plan, and the largest AWS managed policy shape (hundreds of
//! actions across services). `cargo bench -p keyward-lint`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark setup: a failure is a broken fixture"
)]

use keyward_lint::{lint_source, LintOptions};
use keyward_policy::Source;

fn main() {
    divan::main();
}

fn fixture(path: &str) -> Source {
    let full = format!("{}/../../fixtures/lint/{path}", env!("CARGO_MANIFEST_DIR"));
    Source::new(path, std::fs::read_to_string(full).unwrap())
}

/// An identity policy with 2,000 actions of 40 services, half of them wildcards.
fn big_identity_policy() -> Source {
    let catalog = keyward_lint::catalog::catalog();
    let mut actions = Vec::new();
    for service in catalog.services().iter().step_by(11).take(40) {
        for (i, action) in service.actions().iter().take(50).enumerate() {
            if i % 2 == 0 {
                actions.push(format!("\"{}:{action}\"", service.prefix()));
            } else {
                let prefix: String = action.chars().take(4).collect();
                actions.push(format!("\"{}:{prefix}*\"", service.prefix()));
            }
        }
    }
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ReadOnly","Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
        actions.join(",")
    );
    Source::new("big.json", text)
}

#[divan::bench]
fn console_default_key_policy(bencher: divan::Bencher) {
    let source = fixture("policies/console-default.json");
    let options = LintOptions::default();
    bencher.bench(|| lint_source(divan::black_box(&source), &options));
}

#[divan::bench]
fn key_policy_with_findings(bencher: divan::Bencher) {
    let source = fixture("policies/key-with-problems.json");
    let options = LintOptions::default();
    bencher.bench(|| lint_source(divan::black_box(&source), &options));
}

#[divan::bench]
fn cloudformation_yaml_template(bencher: divan::Bencher) {
    let source = fixture("cloudformation/key-and-role.yaml");
    let options = LintOptions::default();
    bencher.bench(|| lint_source(divan::black_box(&source), &options));
}

#[divan::bench]
fn terraform_plan(bencher: divan::Bencher) {
    let source = fixture("terraform/plan.json");
    let options = LintOptions::default();
    bencher.bench(|| lint_source(divan::black_box(&source), &options));
}

#[divan::bench]
fn identity_policy_with_2000_actions(bencher: divan::Bencher) {
    let source = big_identity_policy();
    let options = LintOptions::default();
    bencher.bench(|| lint_source(divan::black_box(&source), &options));
}
