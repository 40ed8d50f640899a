//! CloudFormation and Terraform inputs: findings land on the right line of
//! the template or plan itself.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::{fixture, line, lint};
use keyward_lint::extract::InputFormat;
use keyward_lint::{lint_file, LintOptions};

fn found(source: &keyward_policy::Source) -> Vec<(u32, &'static str)> {
    lint(source)
        .iter()
        .map(|d| (line(source, d), d.code))
        .collect()
}

#[test]
fn cloudformation_json_findings_point_into_the_template() {
    let source = fixture("cloudformation/key-and-policy.json");
    let findings = found(&source);
    // The unconditioned `"Principal": "*"` of the key policy.
    assert!(findings.contains(&(33, "KW201")), "{findings:?}");
    // The misspelled action of the managed policy.
    assert!(findings.contains(&(50, "KW302")), "{findings:?}");
    // `${PartnerAccountId}` is unknown: nothing is guessed about it, and
    // `${AWS::AccountId}` is the stack's own account, not a foreign one.
    assert!(
        !findings.iter().any(|(_, c)| *c == "KW208" || *c == "KW114"),
        "{findings:?}"
    );
    assert_eq!(findings.len(), 2, "{findings:?}");
}

#[test]
fn cloudformation_pointers_name_the_resource() {
    let source = fixture("cloudformation/key-and-policy.json");
    let findings = lint(&source);
    let wildcard = findings.iter().find(|d| d.code == "KW201").unwrap();
    assert_eq!(
        wildcard.pointer.as_deref(),
        Some("/Resources/PaymentsKey/Properties/KeyPolicy/Statement/2/Principal")
    );
}

#[cfg(feature = "yaml")]
#[test]
fn cloudformation_yaml_findings_point_into_the_template() {
    let source = fixture("cloudformation/key-and-role.yaml");
    let findings = found(&source);
    assert!(findings.contains(&(33, "KW201")), "{findings:?}");
    assert!(findings.contains(&(59, "KW302")), "{findings:?}");
    // `!Ref AdminRoleArn` is opaque: no finding about its value.
    assert!(!findings.iter().any(|(l, _)| *l == 25), "{findings:?}");
}

#[test]
fn terraform_plan_findings_point_inside_the_policy_strings() {
    let source = fixture("terraform/plan.json");
    let findings = lint(&source);
    let wildcard = findings.iter().find(|d| d.code == "KW201").unwrap();
    assert_eq!(line(&source, wildcard), 17);
    // The span covers `{\"AWS\": \"*\"}` as written, escapes included.
    let marked = &source.text()[wildcard.span().range()];
    assert!(
        marked.starts_with('{') && marked.contains(r#"\"AWS\": \"*\""#),
        "{marked}"
    );
    assert_eq!(
        wildcard.pointer.as_deref(),
        Some("/planned_values/root_module/resources/0/values/policy/Statement/1/Principal")
    );
    let typo = findings.iter().find(|d| d.code == "KW302").unwrap();
    assert_eq!(line(&source, typo), 35);
    assert_eq!(&source.text()[typo.span().range()], r#"\"kms:Decrpyt\""#);
}

#[test]
fn terraform_resources_without_a_policy_are_skipped() {
    let source = fixture("terraform/plan.json");
    let linted = lint_file(&source, &LintOptions::default());
    assert!(linted.recognized);
    assert_eq!(linted.documents, 2);
}

#[test]
fn the_kind_comes_from_the_resource_type() {
    // The managed policy has no principal and is not reported as a key
    // policy without principals; forcing `key` changes that.
    let source = fixture("cloudformation/key-and-policy.json");
    assert!(!lint(&source).iter().any(|d| d.code == "KW110"));
    let forced = keyward_lint::lint_source(
        &source,
        &LintOptions {
            kind: Some(keyward_lint::PolicyKind::Key),
            format: InputFormat::CloudFormation,
            ..LintOptions::default()
        },
    );
    assert!(forced.iter().any(|d| d.code == "KW110"));
}

/// The key rules read the settings of the keys a template declares, and
/// point at the setting, or at the key when the setting is absent.
#[cfg(feature = "yaml")]
#[test]
fn cloudformation_key_settings_are_checked_where_they_are_written() {
    let source = fixture("cloudformation/keys.yaml");
    let findings = found(&source);
    let keys: Vec<_> = findings
        .iter()
        .filter(|(_, code)| ["KW211", "KW212", "KW213"].contains(code))
        .collect();
    // Only ScratchKey: the signing key cannot rotate, OrdersKey's rotation
    // is a parameter.
    assert_eq!(
        keys,
        [&(9, "KW213"), &(13, "KW211"), &(14, "KW212")],
        "{findings:?}"
    );
    let rotation = lint(&source)
        .into_iter()
        .find(|d| d.code == "KW211")
        .unwrap();
    assert_eq!(
        rotation.pointer.as_deref(),
        Some("/Resources/ScratchKey/Properties/EnableKeyRotation")
    );
    assert!(rotation
        .help
        .as_deref()
        .is_some_and(|h| h.contains("`EnableKeyRotation: true`")));
}

/// A real plan (`fixtures/lint/terraform/keys/README.md`): settings in
/// `planned_values`, the policy's presence from `configuration`, an
/// `aws_kms_key_policy` attaching one, a key inside a module.
#[test]
fn terraform_plan_key_settings_are_checked() {
    let source = fixture("terraform/keys-plan.json");
    let findings = found(&source);
    let keys: Vec<_> = findings
        .iter()
        .filter(|(_, code)| ["KW211", "KW212", "KW213"].contains(code))
        .collect();
    assert_eq!(
        keys,
        [
            &(32, "KW213"),
            &(42, "KW212"),
            &(44, "KW211"),
            &(98, "KW213")
        ],
        "{findings:?}"
    );
    let linted = lint_file(&source, &LintOptions::default());
    let policy = linted
        .diagnostics
        .iter()
        .find(|d| d.code == "KW213")
        .unwrap();
    assert_eq!(
        policy.pointer.as_deref(),
        Some("/planned_values/root_module/resources/1/values")
    );
}
