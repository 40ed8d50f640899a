use super::*;
use keyward_policy::json::JsonKind;

fn fixture(path: &str) -> Source {
    let full = format!("{}/../../fixtures/lint/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap();
    Source::new(path, text)
}

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
        matches!(&admin.kind, JsonKind::String(s) if s.contains("cloudformation-placeholder-Ref"))
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
