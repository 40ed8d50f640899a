//! Key policies KMS refuses are refused as input, each problem at its place
//! (docs/evaluation.md, "Key policies KMS refuses"). From the API reference
//! (PutKeyPolicy `Policy`: "Each statement in the key policy must contain
//! one or more principals. The principals in the key policy must exist and
//! be visible to KMS"; the document's characters) and the KMS guide ("Key
//! policy format": up to 32 kilobytes; "AWS KMS condition keys": "If you
//! create or update a policy that includes a ForAllValues set operator with
//! the kms:EncryptionContext:context-key or aws:RequestTag/tag-key condition
//! keys, AWS KMS returns … OverlyPermissiveCondition").

mod common;

use common::*;
use keyward_eval::{key_policy_refusals, MAX_KEY_POLICY_BYTES};
use keyward_policy::Source;

/// The codes of every refusal of `text` as a key policy, with the text
/// each marks.
fn refusals(text: &str) -> Vec<(&'static str, String)> {
    let d = doc("K", text);
    key_policy_refusals(&d)
        .into_iter()
        .map(|r| (r.code, text[r.span().range()].to_string()))
        .collect()
}

fn statement(body: &str) -> String {
    policy(&format!(
        r#"{{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"{body}}}"#
    ))
}

#[test]
fn every_statement_names_a_principal() {
    let text = statement("");
    assert_eq!(refusals(&text)[0].0, "eval::key-policy-no-principal");
    let e = Key::new("K", KEY_ARN, &text).refused();
    assert_eq!(e.code, "eval::key-policy-no-principal");
    assert_eq!(
        e.message,
        "statement `#0` names no principal; KMS refuses a key policy whose statements do not each name one (MalformedPolicyDocumentException)"
    );
    for fine in [
        r#", "Principal": "*""#,
        r#", "Principal": {"AWS": "111122223333"}"#,
        r#", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}"#,
        r#", "Principal": {"Service": "cloudtrail.amazonaws.com"}"#,
        r#", "Principal": {"AWS": "AIDAJQABLZS4A3QDU576Q"}"#,
    ] {
        assert_eq!(refusals(&statement(fine)), [], "{fine}");
    }
}

#[test]
fn principals_that_cannot_exist_are_invalid() {
    // (A wildcard inside an ARN, a group, an empty list or text that is no
    // ARN does not even parse as a policy.)
    for bad in [
        "arn:aws:iam::111122223333:user/",
        "arn:aws:iam::1111:root",
        "arn:aws:iam::111122223333:policy/p",
    ] {
        let text = statement(&format!(
            r#", "Principal": {{"AWS": ["111122223333", "{bad}"]}}"#
        ));
        assert_eq!(
            refusals(&text),
            [("eval::key-policy-invalid-principal", format!("\"{bad}\""))],
            "{bad}"
        );
    }
}

#[test]
fn for_all_values_on_a_per_pair_key_is_overly_permissive() {
    for key in ["kms:EncryptionContext:Department", "aws:RequestTag/team"] {
        let text = statement(&format!(
            r#", "Principal": "*", "Condition": {{"ForAllValues:StringEquals": {{"{key}": "x"}}}}"#
        ));
        assert_eq!(
            refusals(&text),
            [(
                "eval::key-policy-overly-permissive",
                "\"ForAllValues:StringEquals\"".to_string()
            )],
            "{key}"
        );
    }
    // ForAnyValue, and ForAllValues on the multi-valued key, are accepted.
    for fine in [
        r#""ForAnyValue:StringEquals": {"kms:EncryptionContext:Department": "x"}"#,
        r#""ForAllValues:StringEquals": {"kms:EncryptionContextKeys": "Department"}"#,
        r#""StringEquals": {"kms:EncryptionContext:Department": "x"}"#,
    ] {
        let text = statement(&format!(r#", "Principal": "*", "Condition": {{{fine}}}"#));
        assert_eq!(refusals(&text), [], "{fine}");
    }
}

#[test]
fn a_key_policy_is_at_most_32_kilobytes() {
    let sid = "x".repeat(MAX_KEY_POLICY_BYTES);
    let text = policy(&format!(
        r#"{{"Sid": "{sid}", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}}"#
    ));
    let got = refusals(&text);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "eval::key-policy-too-large");
    // Whitespace counts in a file of its own, not around a policy inside a
    // larger document (it is sent compact).
    let small = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let padded = format!("{}{small}", " ".repeat(MAX_KEY_POLICY_BYTES));
    assert_eq!(refusals(&padded)[0].0, "eval::key-policy-too-large");
    let inner = small.replace(", ", &format!(",{}", " ".repeat(10_000)));
    let outer = format!(r#"{{"keys": {{"K": {{"policy": {inner}}}}}}}"#);
    let source = Source::new("scenario.json", outer.clone());
    let tree = keyward_policy::json::parse(&outer, &Default::default())
        .value
        .unwrap();
    let value = tree
        .get("keys")
        .and_then(|k| k.get("K"))
        .and_then(|k| k.get("policy"))
        .unwrap();
    let (model, _) = keyward_policy::model::lower(value.clone());
    let d = keyward_eval::PolicyDoc::new("K", source, model.unwrap());
    assert_eq!(key_policy_refusals(&d).len(), 0);
}

#[test]
fn a_key_policy_holds_only_the_characters_kms_accepts() {
    let text = statement(r#", "Principal": "*", "Sid": "Let’s go""#);
    assert_eq!(
        refusals(&text),
        [("eval::key-policy-characters", "’".to_string())]
    );
    // Latin-1 letters are fine.
    assert_eq!(
        refusals(&statement(r#", "Principal": "*", "Sid": "Café""#)),
        []
    );
}

#[test]
fn a_refused_key_policy_is_refused_whatever_else_holds() {
    let text = policy(
        r#"{"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
           {"Sid": "Users", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:app": "web"}}}"#,
    );
    let e = Key::new("K", KEY_ARN, &text).refused();
    assert_eq!(e.code, "eval::key-policy-overly-permissive");
    assert!(e
        .help
        .unwrap_or_default()
        .contains("kms:EncryptionContextKeys"));
}
