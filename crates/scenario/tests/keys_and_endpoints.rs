//! Scenario fields for AWS managed keys, key types, VPC endpoints and the
//! inputs KMS refuses, each reported at its place (docs/scenario-format.md).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test"
)]

use keyward_eval::{Decision, KmsErrorKind};
use keyward_policy::Source;
use keyward_scenario::{load, run, MemoryLoader, Problem, Scenario};

fn loaded(text: &str) -> Result<Scenario, Vec<Problem>> {
    load(Source::new("s/scenario.json", text), &MemoryLoader::new())
}

/// The problems' codes and the text each marks.
fn problems(text: &str) -> Vec<(&'static str, String)> {
    loaded(text)
        .unwrap_err()
        .iter()
        .map(|p| {
            let span = p.diagnostic.span();
            (p.diagnostic.code, p.source.text()[span.range()].to_string())
        })
        .collect()
}

const BOB: &str = r#""Bob": {"arn": "arn:aws:iam::111122223333:user/Bob", "policies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}]}"#;
const ROOT_KP: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#;

fn scenario(keys: &str, more: &str, expect: &str) -> String {
    format!(
        r#"{{"region": "us-east-1", "principals": {{{BOB}}}, "keys": {{{keys}}}{more}, "expect": [{expect}]}}"#
    )
}

#[test]
fn an_aws_managed_key_declared_by_its_service_gets_the_documented_policy_and_alias() {
    let keys = r#""aws-s3": {"arn": "arn:aws:kms:us-east-1:111122223333:key/s3k", "keyManager": "AWS", "service": "s3"}"#;
    let expect = r#"{"principal": "Bob", "action": "kms:Decrypt", "key": "alias/aws/s3", "context": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}, "decision": "allow"},
        {"principal": "Bob", "action": "kms:Decrypt", "key": "alias/aws/s3", "decision": "implicit-deny"},
        {"principal": "Bob", "action": "kms:PutKeyPolicy", "key": "aws-s3", "decision": "implicit-deny"}"#;
    let s = loaded(&scenario(keys, "", expect)).unwrap();
    let results = run(&s);
    assert!(results.iter().all(|r| r.pass), "{results:#?}");
    // Its explanation points into the policy AWS documents.
    let reasons = results[1].response.explanation().reasons();
    let statement = reasons[0].statement().unwrap();
    assert!(statement
        .source()
        .name()
        .ends_with("/keys/aws-s3 (the key policy of AWS managed keys of `s3`)"));
}

#[test]
fn an_aws_managed_key_takes_no_rcps() {
    let keys = r#""aws-s3": {"arn": "arn:aws:kms:us-east-1:111122223333:key/s3k", "keyManager": "AWS", "service": "s3"}"#;
    let rcps = r#", "rcps": {"111122223333": [{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}]}"#;
    let expect = r#"{"principal": "Bob", "action": "kms:Decrypt", "key": "aws-s3", "context": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}, "decision": "allow"}"#;
    let s = loaded(&scenario(keys, rcps, expect)).unwrap();
    assert!(run(&s)[0].pass);
}

#[test]
fn aws_managed_key_fields_are_checked_where_they_are_written() {
    let both = r#""k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "keyManager": "AWS", "service": "s3", "policy": {ROOT}}"#.replace("{ROOT}", ROOT_KP);
    assert_eq!(
        problems(&scenario(&both, "", "")),
        [("scenario::service", r#""s3""#.to_string())]
    );
    let customer = r#""k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "service": "s3", "policy": {ROOT}}"#.replace("{ROOT}", ROOT_KP);
    assert_eq!(
        problems(&scenario(&customer, "", "")),
        [("scenario::service", r#""s3""#.to_string())]
    );
    let neither =
        r#""k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "keyManager": "AWS"}"#;
    assert_eq!(
        problems(&scenario(neither, "", "")),
        [("scenario::missing-field", r#""k""#.to_string())]
    );
    let manager = r#""k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "keyManager": "Amazon", "service": "s3"}"#;
    assert_eq!(
        problems(&scenario(manager, "", "")),
        [("scenario::key-manager", r#""Amazon""#.to_string())]
    );
    let service = r#""k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "keyManager": "AWS", "service": "S3.amazonaws.com"}"#;
    assert_eq!(
        problems(&scenario(service, "", "")),
        [("scenario::service", r#""S3.amazonaws.com""#.to_string())]
    );
}

#[test]
fn a_customer_key_cannot_take_an_aws_alias() {
    let keys = format!(
        r#""k": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "aliases": ["alias/app", "alias/aws/ebs"], "policy": {ROOT_KP}}}"#
    );
    assert_eq!(
        problems(&scenario(&keys, "", "")),
        [("eval::alias-reserved", r#""alias/aws/ebs""#.to_string())]
    );
}

#[test]
fn key_specs_and_usages_are_checked_and_their_errors_expected() {
    let keys = format!(
        r#""signing": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/s", "keySpec": "ECC_NIST_P256", "keyUsage": "SIGN_VERIFY", "policy": {ROOT_KP}}}"#
    );
    let expect = r#"{"principal": "Bob", "action": "kms:Encrypt", "key": "signing", "decision": "allow", "error": "InvalidKeyUsageException"},
        {"principal": "Bob", "action": "kms:Sign", "key": "signing", "decision": "allow"}"#;
    let s = loaded(&scenario(&keys, "", expect)).unwrap();
    let results = run(&s);
    assert!(results.iter().all(|r| r.pass), "{results:#?}");
    assert_eq!(
        results[0].response.error().map(|e| e.kind()),
        Some(KmsErrorKind::InvalidKeyUsageException)
    );
    let bad = format!(
        r#""k": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "keySpec": "HMAC_256", "keyUsage": "SIGN_VERIFY", "policy": {ROOT_KP}}}"#
    );
    assert_eq!(
        problems(&scenario(&bad, "", "")),
        [("eval::key-usage", r#""SIGN_VERIFY""#.to_string())]
    );
    let bad = format!(
        r#""k": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "keySpec": "AES_256", "policy": {ROOT_KP}}}"#
    );
    assert_eq!(
        problems(&scenario(&bad, "", "")),
        [("eval::key-spec", r#""AES_256""#.to_string())]
    );
}

#[test]
fn a_key_policy_kms_refuses_is_refused_at_its_place() {
    let kp = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContext:app": "web"}}}, {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]}"#;
    let keys =
        format!(r#""k": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": {kp}}}"#);
    let text = scenario(
        &keys,
        "",
        r#"{"principal": "Bob", "action": "kms:Decrypt", "key": "k", "decision": "allow"}"#,
    );
    let found = loaded(&text).unwrap_err();
    let codes: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|p| (p.diagnostic.code, p.diagnostic.pointer.as_deref()))
        .collect();
    // Both problems, each with its pointer; the expectation naming the
    // refused key is not reported again.
    assert_eq!(
        codes,
        [
            (
                "eval::key-policy-overly-permissive",
                Some("/keys/k/policy/Statement/0/Condition")
            ),
            (
                "eval::key-policy-no-principal",
                Some("/keys/k/policy/Statement/1")
            ),
        ]
    );
}

#[test]
fn vpc_endpoint_policies_are_read_and_applied() {
    let keys = format!(
        r#""k": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": {ROOT_KP}}}"#
    );
    let endpoints = r#", "vpcEndpoints": {"vpce-0a1b2c3d": {"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}}}"#;
    let expect = r#"{"principal": "Bob", "action": "kms:Decrypt", "key": "k", "context": {"aws:SourceVpce": "vpce-0a1b2c3d"}, "decision": "allow"},
        {"principal": "Bob", "action": "kms:Encrypt", "key": "k", "context": {"aws:SourceVpce": "vpce-0a1b2c3d"}, "decision": "implicit-deny"},
        {"principal": "Bob", "action": "kms:Encrypt", "key": "k", "decision": "allow"}"#;
    let s = loaded(&scenario(&keys, endpoints, expect)).unwrap();
    let results = run(&s);
    assert!(results.iter().all(|r| r.pass), "{results:#?}");
    assert_eq!(results[1].response.decision(), Decision::ImplicitDeny);
    let bad =
        r#", "vpcEndpoints": {"vpc-1": {"policy": {"Statement": []}}, "vpce-2": {"Policy": 1}}"#;
    let got = problems(&scenario(&keys, bad, ""));
    let codes: Vec<&str> = got.iter().map(|(c, _)| *c).collect();
    assert!(codes.contains(&"scenario::unknown-field"), "{got:?}");
    assert!(codes.contains(&"scenario::missing-field"), "{got:?}");
}

#[test]
fn several_values_for_a_single_valued_key_are_refused_at_the_values() {
    let keys = format!(
        r#""k": {{"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": {ROOT_KP}}}"#
    );
    let expect = r#"{"principal": "Bob", "action": "kms:Decrypt", "key": "k", "context": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}, "decision": "allow"}"#;
    assert_eq!(
        problems(&scenario(&keys, "", expect)),
        [(
            "eval::context-single-valued",
            r#"["vpce-1", "vpce-2"]"#.to_string()
        )]
    );
}
