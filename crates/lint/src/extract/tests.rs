use super::*;
use keyward_policy::json::JsonValue;

fn fixture(path: &str) -> Source {
    let full = format!("{}/../../fixtures/lint/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap();
    Source::new(path, text)
}

#[cfg(feature = "yaml")]
fn line_of(source: &Source, span: Span) -> u32 {
    source.start_of(span).line
}

#[cfg(feature = "yaml")]
#[test]
fn yaml_templates_yield_key_and_inline_policies() {
    let source = fixture("cloudformation/key-and-role.yaml");
    let extraction = extract(&source, InputFormat::Auto);
    assert!(extraction.recognized);
    assert!(
        extraction.diagnostics.is_empty(),
        "{:?}",
        extraction.diagnostics
    );
    let labels: Vec<_> = extraction
        .documents
        .iter()
        .map(|d| d.label.clone().unwrap())
        .collect();
    assert_eq!(labels, ["OrdersKey", "OrdersRole policy use-orders-key"]);
    let key = &extraction.documents[0];
    assert_eq!(key.kind, Some(PolicyKind::Key));
    assert_eq!(key.pointer, "/Resources/OrdersKey/Properties/KeyPolicy");
    assert_eq!(line_of(&source, key.value.span), 13);
    let role = &extraction.documents[1];
    assert_eq!(role.kind, Some(PolicyKind::Identity));
    assert_eq!(
        role.pointer,
        "/Resources/OrdersRole/Properties/Policies/0/PolicyDocument"
    );
}

#[cfg(feature = "yaml")]
#[test]
fn intrinsics_resolve_or_become_opaque() {
    let source = fixture("cloudformation/key-and-role.yaml");
    let extraction = extract(&source, InputFormat::Auto);
    let key = &extraction.documents[0];
    let statements = key.value.get("Statement").unwrap().as_array().unwrap();
    // `!Sub` with pseudo parameters only: resolved, with the stack's account.
    let root = statements[0].get("Principal").unwrap().get("AWS").unwrap();
    assert_eq!(root.as_str(), Some("arn:aws:iam::000000000000:root"));
    assert_eq!(line_of(&source, root.span), 19);
    // `!Ref AdminRoleArn`: unknown, so opaque, located at the `!Ref`.
    let admin = statements[1].get("Principal").unwrap().get("AWS").unwrap();
    assert!(
        matches!(&admin.kind, keyward_policy::json::JsonKind::String(s) if s.contains("cloudformation-placeholder-Ref"))
    );
    assert_eq!(key.opaque, vec![admin.span]);
    assert_eq!(line_of(&source, admin.span), 25);
    // `!GetAtt` as a Resource.
    let role = &extraction.documents[1];
    assert_eq!(role.opaque.len(), 1);
    assert_eq!(line_of(&source, role.opaque[0]), 57);
}

#[test]
fn unknown_yaml_is_not_recognized() {
    let source = Source::new("workflow.yml", "on: push\njobs: {}\n");
    let extraction = extract(&source, InputFormat::Auto);
    assert!(!extraction.recognized);
    assert!(extraction.documents.is_empty());
}

#[cfg(feature = "yaml")]
#[test]
fn broken_yaml_templates_report_a_located_error() {
    let source = Source::new(
        "t.yaml",
        "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties: [\n",
    );
    let extraction = extract(&source, InputFormat::Auto);
    assert!(extraction.recognized);
    assert_eq!(extraction.diagnostics.len(), 1);
    assert!(extraction.diagnostics[0].code.starts_with("yaml::"));
}

fn json_template(resources: &str) -> Source {
    Source::new(
        "t.json",
        format!(r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {resources}}}"#),
    )
}

#[test]
fn a_key_policy_written_as_a_json_string_maps_back_into_the_template() {
    let source = json_template(
        r#"{"K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}"}}}"#,
    );
    let extraction = extract(&source, InputFormat::Auto);
    let [document] = extraction.documents.as_slice() else {
        panic!("{extraction:?}");
    };
    let DocumentText::Decoded(text, map) = &document.text else {
        panic!("not decoded");
    };
    let at = text.find("\"*\"").unwrap();
    let span = map.map(Span::new(at, at + 3));
    assert_eq!(&source.text()[span.range()], r#"\"*\""#);
}

#[test]
fn join_if_and_no_value_are_resolved() {
    let source = json_template(
        r#"{"K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {
            "Version": "2012-10-17",
            "Statement": [
              {"Effect": "Allow",
               "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::111122223333:root"]]}},
               "Action": "kms:*", "Resource": "*"},
              {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, {"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]},
              {"Ref": "AWS::NoValue"}
            ]}}}}"#,
    );
    let extraction = extract(&source, InputFormat::Auto);
    let value = &extraction.documents[0].value;
    let statements = value.get("Statement").unwrap().as_array().unwrap();
    assert_eq!(statements.len(), 2);
    let root = statements[0].get("Principal").unwrap().get("AWS").unwrap();
    assert_eq!(root.as_str(), Some("arn:aws:iam::111122223333:root"));
    assert_eq!(
        statements[1].get("Effect").and_then(JsonValue::as_str),
        Some("Deny")
    );
    assert!(extraction.documents[0].opaque.is_empty());
}

#[test]
fn terraform_state_values_are_read_too() {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}"#;
    let text = format!(
        r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [{{"address": "aws_iam_policy.p", "type": "aws_iam_policy", "values": {{"policy": "{policy}"}}}}]}}}}}}"#
    );
    let source = Source::new("state.json", text);
    let extraction = extract(&source, InputFormat::Auto);
    assert_eq!(extraction.documents.len(), 1);
    assert_eq!(extraction.documents[0].kind, Some(PolicyKind::Identity));
    assert_eq!(
        extraction.documents[0].label.as_deref(),
        Some("aws_iam_policy.p")
    );
}

#[test]
fn unrelated_json_is_not_recognized_but_policies_are() {
    let other = extract(
        &Source::new("package.json", r#"{"name": "x"}"#),
        InputFormat::Auto,
    );
    assert!(!other.recognized);
    let policy = extract(
        &Source::new("p.json", r#"{"Statement": []}"#),
        InputFormat::Auto,
    );
    assert!(policy.recognized);
}

#[cfg(feature = "yaml")]
#[test]
fn templates_yield_their_keys_with_the_settings_written() {
    let source = fixture("cloudformation/keys.yaml");
    let extraction = extract(&source, InputFormat::Auto);
    let labels: Vec<&str> = extraction.keys.iter().map(|k| k.label.as_str()).collect();
    assert_eq!(labels, ["ScratchKey", "SigningKey", "OrdersKey"]);
    let [scratch, signing, orders] = &extraction.keys[..] else {
        panic!("{:?}", extraction.keys);
    };
    assert_eq!(scratch.kind, KeyResourceKind::Key);
    assert_eq!(scratch.dialect, KeyDialect::CloudFormation(Syntax::Yaml));
    assert_eq!(scratch.rotation.known(), Some(&false));
    assert_eq!(scratch.deletion_window_days.known(), Some(&7.0));
    assert_eq!(scratch.policy, Setting::Absent);
    assert_eq!(scratch.supports_rotation(), Some(true));
    assert_eq!(&source.text()[scratch.span.range()], "ScratchKey");
    assert_eq!(scratch.pointer, "/Resources/ScratchKey/Properties");
    assert_eq!(
        signing.key_spec.known().map(String::as_str),
        Some("ECC_NIST_P256")
    );
    assert_eq!(signing.supports_rotation(), Some(false));
    assert!(signing.policy.known().is_some());
    assert!(matches!(orders.rotation, Setting::Unknown(_)));
    assert_eq!(orders.deletion_window_days, Setting::Absent);
}

#[test]
fn plans_yield_their_keys_with_the_settings_planned() {
    let source = fixture("terraform/keys-plan.json");
    let extraction = extract(&source, InputFormat::Auto);
    let keys: Vec<(&str, Option<bool>, bool)> = extraction
        .keys
        .iter()
        .map(|k| {
            (
                k.label.as_str(),
                k.rotation.known().copied(),
                k.policy == Setting::Absent,
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("aws_kms_key.orders", Some(true), false),
            ("aws_kms_key.scratch", Some(false), true),
            ("aws_kms_key.signing", Some(false), false),
            ("module.app.aws_kms_key.app[0]", Some(true), true),
        ]
    );
    assert!(extraction
        .keys
        .iter()
        .all(|k| k.dialect == KeyDialect::Terraform));
}
