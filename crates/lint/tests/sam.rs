//! SAM templates: inline policies and the KMS policy templates expanded to
//! their documented statements.
#![cfg(feature = "yaml")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::{fixture, line};
use keyward_lint::extract::{extract, InputFormat};
use keyward_lint::{lint_source, LintOptions};

#[test]
fn kms_policy_templates_expand_to_their_statements() {
    let source = fixture("sam/template.yaml");
    let extraction = extract(&source, InputFormat::Auto);
    let labels: Vec<String> = extraction
        .documents
        .iter()
        .map(|d| d.label.clone().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "DataKey",
            "Reader policy #1 (KMSDecryptPolicy)",
            "Reader policy #2 (KMSEncryptPolicy)",
            "Reader policy #4",
        ]
    );
    let statement = |i: usize| {
        let doc = &extraction.documents[i];
        doc.value.get("Statement").unwrap().as_array().unwrap()[0].clone()
    };
    let decrypt = statement(1);
    assert_eq!(decrypt.get("Action").unwrap().as_str(), Some("kms:Decrypt"));
    // `!Ref DataKey` is unknown: the key ARN is an opaque placeholder.
    let resource = decrypt.get("Resource").unwrap().as_str().unwrap();
    assert!(resource.contains("placeholder"), "{resource}");
    assert!(!extraction.documents[1].opaque.is_empty());
    let encrypt = statement(2);
    assert_eq!(encrypt.get("Action").unwrap().as_str(), Some("kms:Encrypt"));
    assert_eq!(
        encrypt.get("Resource").unwrap().as_str(),
        Some("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    // The expanded statement points at the template's entry.
    assert_eq!(
        line(
            &source,
            &keyward_policy::Diagnostic::error("t", "m", encrypt.span)
        ),
        29
    );
}

#[test]
fn inline_statements_are_linted_as_identity_policies() {
    let source = fixture("sam/template.yaml");
    let findings: Vec<(u32, &str)> = lint_source(&source, &LintOptions::default())
        .iter()
        .map(|d| (line(&source, d), d.code))
        .collect();
    // The key itself does not turn rotation on (KW211).
    assert_eq!(findings, [(6, "KW211"), (38, "KW302"), (41, "KW111")]);
}
