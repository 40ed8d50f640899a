//! What an explanation says: for an implicit deny, the key-policy
//! statement that almost applied, the statement that delegates to IAM, the
//! statement that names an external caller, the nearest miss of every layer,
//! what would make it an allow and the policies consulted (rules 3, 4, 6–8,
//! 51); for an allow, what let it through (docs/evaluation.md, "The answer").

mod common;

use common::*;
use keyward_eval::{Decision, Gap, Reason, Unmet};

/// What was missing for a request that must be implicitly denied (its
/// `missing` reasons; the line of consulted policies comes last, see
/// `an_implicit_deny_names_the_policies_of_every_layer_it_consulted`).
fn why(w: &Built, who: &str, action: &str, key: &str, extra: &[(&str, &str)]) -> Vec<String> {
    let req = request(&w.auth, who, action, key, extra);
    let r = w.auth.decide(&req);
    let reasons = r.explanation().reasons();
    assert_eq!(r.decision(), Decision::ImplicitDeny, "{reasons:?}");
    assert!(
        matches!(reasons.last(), Some(Reason::Consulted(_))),
        "{reasons:?}"
    );
    reasons
        .iter()
        .filter(|r| r.code() == "missing")
        .map(ToString::to_string)
        .collect()
}

/// Every reason line.
fn lines(w: &Built, who: &str, action: &str, key: &str, extra: &[(&str, &str)]) -> Vec<String> {
    w.decide(who, action, key, extra).2
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
        Some(Gap::CrossAccountIdentity { statement: s, .. }) if s.sid() == Some("ExternalReader")
    ));
}

#[test]
fn an_implicit_deny_names_the_policies_of_every_layer_it_consulted() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(
            bob()
                .iam(&iam_allow(r#""kms:Encrypt""#))
                .iam(&iam_allow(r#""kms:DescribeKey""#))
                .boundary(&iam_allow(r#""kms:*""#)),
        )
        .scp(ACCT, &[&iam_allow(r#""*""#)])
        .build();
    let all = lines(&w, "Bob", "kms:Decrypt", "K", &[]);
    assert_eq!(
        all.last().map(String::as_str),
        Some("consulted key policy `K key policy`; IAM policies `Bob-iam-0`, `Bob-iam-1`; permissions boundary `Bob-boundary`; SCP `scp-0` of account 111122223333")
    );
}

#[test]
fn a_missing_piece_says_what_would_make_the_request_allowed() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam_allow(r#""kms:Encrypt""#)))
        .build();
    let req = request(&w.auth, "Bob", "kms:Decrypt", "K", &[]);
    let r = w.auth.decide(&req);
    let reasons = r.explanation().reasons();
    let help: Vec<String> = reasons
        .iter()
        .filter_map(|r| r.help().map(|h| h.to_string()))
        .collect();
    assert_eq!(
        help,
        [format!(
            "give the caller an IAM policy allowing `kms:Decrypt` on `{KEY_ARN}`"
        )]
    );
    // The gap names the delegating statement itself, not a position in a list.
    assert_eq!(
        reasons[0].statement().and_then(|s| s.sid()),
        Some("Enable IAM policies")
    );
}

#[test]
fn each_layer_reports_its_nearest_miss() {
    // The boundary covers Decrypt only through S3; the SCP only in eu-west-1.
    let boundary = policy(
        r#"{"Sid": "OnlyEncrypt", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"},
           {"Sid": "DecryptViaS3", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}"#,
    );
    let scp = policy(
        r#"{"Sid": "EuOnly", "Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}"#,
    );
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam_allow(r#""kms:*""#)).boundary(&boundary))
        .scp(ACCT, &[&scp])
        .build();
    assert_eq!(
        why(&w, "Bob", "kms:Decrypt", "K", &[]),
        [
            "no SCP at level 0 of account 111122223333 allows the action: statement `EuOnly` of SCP `scp-0` covers it, but its condition `aws:RequestedRegion` does not hold",
            "permissions boundary `Bob-boundary` does not allow the action: statement `DecryptViaS3` covers it, but its condition `kms:ViaService` does not hold",
        ]
    );
}

#[test]
fn rule_04_a_statement_naming_the_caller_and_a_delegation_are_both_named() {
    // Bob is named for calls through S3; the account delegates to IAM, whose
    // policy does not allow Decrypt: both are why.
    let kp = policy(
        r#"{"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
           {"Sid": "BobViaS3", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(bob().iam(&iam_allow(r#""kms:Encrypt""#)))
        .build();
    assert_eq!(
        why(&w, "Bob", "kms:Decrypt", "K", &[]),
        [
            "statement `BobViaS3` of key policy `K key policy` names the caller, but its condition `kms:ViaService` does not hold".to_string(),
            format!("key policy `K key policy` delegates `kms:Decrypt` to IAM through statement `Enable IAM policies`, but no IAM policy of the caller allows it on `{KEY_ARN}`"),
        ]
    );
}

#[test]
fn the_delegation_line_appears_only_when_delegation_is_what_happened() {
    let kp = policy(
        r#"{"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
           {"Sid": "Bob", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(bob().iam(&iam_allow(r#""kms:Encrypt""#)))
        .build();
    // Allowed because the key policy names Bob: no word of delegation.
    assert_eq!(
        lines(&w, "Bob", "kms:Decrypt", "K", &[]),
        ["allowed by key policy `K key policy` statement `Bob` (Allow)"]
    );
    let req = request(&w.auth, "Bob", "kms:Decrypt", "K", &[]);
    assert!(w.auth.decide(&req).explanation().delegation().is_none());
    // Allowed through IAM: the delegation is part of the story.
    assert_eq!(
        lines(&w, "Bob", "kms:Encrypt", "K", &[]),
        [
            "allowed by key policy `K key policy` statement `Enable IAM policies` (Allow)",
            "allowed by IAM policy `Bob-iam-0` statement `#0` (Allow)",
            "the key policy delegates to IAM through statement `Enable IAM policies`",
        ]
    );
}

#[test]
fn rule_19_a_retirement_by_the_retiring_principal_says_so() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(Principal::new("Ops", "arn:aws:iam::111122223333:role/Ops"))
        .grant(
            grant("K", "arn:aws:iam::111122223333:role/App", &["Decrypt"])
                .retiring("arn:aws:iam::111122223333:role/Ops")
                .named("app-decrypt"),
        )
        .build();
    assert_eq!(
        lines(&w, "Ops", "kms:RetireGrant", "K", &[]),
        ["allowed to retire it: the caller is the retiring principal of grant `app-decrypt`"]
    );
}

#[test]
fn rule_24_a_service_principal_denial_names_the_service_not_an_empty_account() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(Principal::service("cloudtrail.amazonaws.com"))
        .build();
    let why = why(&w, "cloudtrail.amazonaws.com", "kms:Decrypt", "K", &[]);
    assert_eq!(
        why,
        ["no statement of key policy `K key policy` applies: none allows `kms:Decrypt` to the service `cloudtrail.amazonaws.com`"]
    );
    assert!(!why[0].contains("account "), "{why:?}");
    let req = request(&w.auth, "cloudtrail.amazonaws.com", "kms:Decrypt", "K", &[]);
    let r = w.auth.decide(&req);
    let reasons = r.explanation().reasons();
    assert_eq!(
        reasons[0].help().map(|h| h.to_string()).as_deref(),
        Some("add to key policy `K key policy` a statement allowing `kms:Decrypt` to the service `cloudtrail.amazonaws.com`")
    );
}
