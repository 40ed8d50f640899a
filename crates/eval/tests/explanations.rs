//! What an implicit deny says was missing: the key-policy statement that
//! almost applied, the statement that delegates to IAM, the statement that
//! names an external caller (rules 3, 4, 6–8, 51).

mod common;

use common::*;
use keyward_eval::{Decision, Gap, Unmet};

/// The reasons of a request that must be implicitly denied.
fn why(w: &Built, who: &str, action: &str, key: &str, extra: &[(&str, &str)]) -> Vec<String> {
    let (d, _, reasons) = w.decide(who, action, key, extra);
    assert_eq!(d, Decision::ImplicitDeny, "{reasons:?}");
    reasons
}

fn bob() -> Principal {
    Principal::new("Bob", &format!("arn:aws:iam::{ACCT}:user/Bob"))
}

#[test]
fn rule_03_with_no_statement_for_the_caller_the_gap_says_so() {
    let kp = policy(
        r#"{"Sid": "Carol", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Carol"}, "Action": "kms:*", "Resource": "*"},
           {"Sid": "BobEncrypts", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Encrypt", "Resource": "*"}"#,
    );
    let w = World::new().kp(&kp).principal(bob()).build();
    assert_eq!(
        why(&w, "Bob", "kms:Decrypt", "K", &[]),
        ["no statement of key policy `K key policy` applies: none delegates `kms:Decrypt` to account 111122223333 or allows it to `arn:aws:iam::111122223333:user/Bob`"]
    );
}

#[test]
fn rule_06_a_statement_naming_the_caller_whose_condition_fails_is_named() {
    let kp = policy(
        r#"{"Sid": "Other", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Carol"}, "Action": "kms:Decrypt", "Resource": "*"},
           {"Sid": "BobThroughS3", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
           {"Sid": "BobThroughSqs", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}}}"#,
    );
    let w = World::new().kp(&kp).principal(bob()).build();
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("kms:ViaService", "s3.us-east-1.amazonaws.com")]
    );
    // The first statement naming Bob, and within it the condition that failed.
    assert_eq!(
        why(&w, "Bob", "kms:Decrypt", "K", &[]),
        ["no statement of key policy `K key policy` applies: statement `BobThroughS3` names the caller, but its condition `kms:ViaService` does not hold"]
    );
    let req = request(&w.auth, "Bob", "kms:Decrypt", "K", &[]);
    let r = w.auth.decide(&req);
    let gaps = r.explanation().missing();
    let Some(Gap::KeyPolicy {
        near_miss: Some(m), ..
    }) = gaps.first()
    else {
        panic!("{gaps:?}");
    };
    assert_eq!(m.statement.sid(), Some("BobThroughS3"));
    assert!(!m.delegates);
    assert_eq!(
        m.unmet,
        Unmet::Condition {
            key: "kms:ViaService"
        }
    );
}

#[test]
fn rule_04_a_delegation_whose_condition_fails_is_named() {
    let kp = policy(
        r#"{"Sid": "GrantsForAwsResources", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:CreateGrant", "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(bob().iam(&iam_allow(r#""kms:*""#)))
        .build();
    assert_eq!(
        why(&w, "Bob", "kms:CreateGrant", "K", &[]),
        ["no statement of key policy `K key policy` applies: statement `GrantsForAwsResources` delegates `kms:CreateGrant` to account 111122223333, but its condition `kms:GrantIsForAWSResource` does not hold"]
    );
}

#[test]
fn rule_51_a_statement_whose_resource_is_another_key_is_named() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/other"}"#,
    );
    let w = World::new().kp(&kp).principal(bob()).build();
    assert_eq!(
        why(&w, "Bob", "kms:Decrypt", "K", &[]),
        ["no statement of key policy `K key policy` applies: statement `#0` names the caller, but its `Resource` does not cover this key"]
    );
}

#[test]
fn rule_07_the_iam_gap_names_the_delegation_and_the_iam_condition_that_failed() {
    let iam = policy(
        r#"{"Sid": "OtherKeys", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/other"},
           {"Sid": "OnlyThroughS3", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}"#,
    );
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam))
        .build();
    assert_eq!(
        why(&w, "Bob", "kms:Decrypt", "K", &[]),
        [format!("key policy `K key policy` delegates `kms:Decrypt` to IAM through statement `Enable IAM policies`, but no IAM policy of the caller allows it on `{KEY_ARN}`: statement `OnlyThroughS3` of IAM policy `Bob-iam-0` covers it, but its condition `kms:ViaService` does not hold")]
    );
    // With no IAM statement for the action at all, only the delegation is named.
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam_allow(r#""kms:Encrypt""#)))
        .build();
    assert_eq!(
        why(&w, "Bob", "kms:Decrypt", "K", &[]),
        [format!("key policy `K key policy` delegates `kms:Decrypt` to IAM through statement `Enable IAM policies`, but no IAM policy of the caller allows it on `{KEY_ARN}`")]
    );
}

#[test]
fn rule_08_the_cross_account_gap_names_the_statement_that_allows_the_external_caller() {
    let kp = policy(
        r#"{"Sid": "ExternalReader", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:user/Olga"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new(
            "Olga",
            "arn:aws:iam::444455556666:user/Olga",
        ))
        .build();
    assert_eq!(
        why(&w, "Olga", "kms:Decrypt", "K", &[]),
        ["key policy `K key policy` allows the caller of another account through statement `ExternalReader`; an IAM policy in account 444455556666 must also allow `kms:Decrypt` (rule 8)"]
    );
    let req = request(&w.auth, "Olga", "kms:Decrypt", "K", &[]);
    let r = w.auth.decide(&req);
    assert!(matches!(
        r.explanation().missing().first(),
        Some(Gap::CrossAccountIdentity { statement: Some(s), .. }) if s.sid() == Some("ExternalReader")
    ));
}
