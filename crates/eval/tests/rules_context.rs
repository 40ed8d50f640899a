//! Spec sections F and H: the request context keyward fills, encryption
//! context rules, and policy variables (rules 37–41, 46–48).

mod common;

use common::*;

fn kp_when(condition: &str) -> String {
    policy(&format!(
        r#"{{"Effect": "Allow", "Principal": "*", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*", "Condition": {condition}}}"#
    ))
}

fn world(kp: &str) -> Built {
    World::new()
        .key(
            Key::new("K", KEY_ARN, kp)
                .tag("Project", "Apollo")
                .spec("SYMMETRIC_DEFAULT"),
        )
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob").tag("Team", "blue"))
        .principal(Principal::new(
            "S",
            "arn:aws:sts::111122223333:assumed-role/App/s1",
        ))
        .principal(Principal::new("root", "111122223333"))
        .build()
}

#[test]
fn rule_37_kms_caller_account_and_key_properties_are_filled() {
    let w = world(&kp_when(
        r#"{"StringEquals": {"kms:CallerAccount": "111122223333", "kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT", "kms:KeyOrigin": "AWS_KMS"}, "Bool": {"kms:MultiRegion": "false"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_38_encryption_context_key_names_are_case_insensitive_values_follow_the_operator() {
    let w = world(&kp_when(
        r#"{"StringEquals": {"kms:EncryptionContext:Department": "IT"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K", &[("ec:department", "IT")]);
    implicit_deny!(w, "Bob", "kms:Decrypt", "K", &[("ec:Department", "it")]);
    let w = world(&kp_when(
        r#"{"StringEqualsIgnoreCase": {"kms:EncryptionContext:Department": "IT"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K", &[("ec:Department", "it")]);
}

#[test]
fn rule_39_encryption_context_keys_with_set_operators() {
    let all = world(&kp_when(
        r#"{"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department", "Project"]}}"#,
    ));
    allows!(all, "Bob", "kms:Decrypt", "K");
    allows!(all, "Bob", "kms:Decrypt", "K", &[("ec:Department", "IT")]);
    implicit_deny!(
        all,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("ec:Department", "IT"), ("ec:Other", "x")]
    );
    let any = world(&kp_when(
        r#"{"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": "Department"}}"#,
    ));
    implicit_deny!(any, "Bob", "kms:Decrypt", "K");
    allows!(
        any,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("ec:Department", "IT"), ("ec:Other", "x")]
    );
    let some = world(&kp_when(
        r#"{"Null": {"kms:EncryptionContextKeys": "false"}}"#,
    ));
    implicit_deny!(some, "Bob", "kms:Decrypt", "K");
    allows!(some, "Bob", "kms:Decrypt", "K", &[("ec:x", "y")]);
}

#[test]
fn rule_40_grant_operations_for_all_values_is_vacuously_true_when_empty() {
    let w = world(&policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt"]}}}"#,
    ));
    allows!(w, "Bob", "kms:CreateGrant", "K");
    allows!(
        w,
        "Bob",
        "kms:CreateGrant",
        "K",
        &[("kms:GrantOperations", "[Decrypt]")]
    );
    implicit_deny!(
        w,
        "Bob",
        "kms:CreateGrant",
        "K",
        &[("kms:GrantOperations", "[Decrypt, Encrypt]")]
    );
}

#[test]
fn rule_41_principal_keys_are_filled_from_the_caller() {
    let w = world(&kp_when(
        r#"{"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/Bob", "aws:PrincipalAccount": "111122223333",
            "aws:PrincipalType": "User", "aws:username": "Bob", "aws:PrincipalTag/team": "blue", "aws:ResourceTag/project": "Apollo",
            "aws:RequestedRegion": "us-east-1"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K");
    implicit_deny!(w, "S", "kms:Decrypt", "K");
    let w = world(&kp_when(
        r#"{"StringEquals": {"aws:PrincipalType": "Account", "aws:userid": "111122223333"}}"#,
    ));
    allows!(w, "root", "kms:Decrypt", "K");
    let w = world(&kp_when(
        r#"{"Null": {"aws:username": "true"}, "StringEquals": {"aws:PrincipalType": "AssumedRole"}}"#,
    ));
    allows!(w, "S", "kms:Decrypt", "K");
}

#[test]
fn rule_41_keys_keyward_fills_cannot_be_overridden_by_hand() {
    let w = world(&default_kp(ACCT));
    let p = w.auth.principal("Bob").unwrap();
    let k = w.auth.key("K").unwrap();
    let req = keyward_eval::Request::new(p, keyward_eval::KmsAction::Decrypt, k).unwrap();
    let err = req
        .clone()
        .with_context("aws:PrincipalArn", "arn:aws:iam::111122223333:user/Admin")
        .unwrap_err();
    assert!(err.message.contains("cannot be set by hand"));
    assert!(req
        .clone()
        .with_context("kms:EncryptionContext:x", "y")
        .is_err());
    assert!(req.with_context("aws:CurrentTime", "never").is_err());
}

#[test]
fn rule_46_tag_key_suffixes_are_case_insensitive() {
    let w = world(&kp_when(
        r#"{"StringEquals": {"aws:PrincipalTag/TEAM": "blue", "AWS:ResourceTag/Project": "Apollo"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K");
    let w = world(&kp_when(
        r#"{"StringEquals": {"aws:PrincipalTag/team": "Blue"}}"#,
    ));
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_47_variables_are_substituted_in_string_conditions_and_resources() {
    let w = world(&kp_when(
        r#"{"StringEquals": {"kms:EncryptionContext:owner": "${aws:username}"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K", &[("ec:owner", "Bob")]);
    implicit_deny!(w, "Bob", "kms:Decrypt", "K", &[("ec:owner", "Ann")]);
    let iam = policy(
        r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/${aws:PrincipalTag/keyid}"}"#,
    );
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(
            Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob")
                .tag("keyid", "1234abcd-12ab-34cd-56ef-1234567890ab")
                .iam(&iam),
        )
        .principal(
            Principal::new("Ann", "arn:aws:iam::111122223333:user/Ann")
                .tag("keyid", "other")
                .iam(&iam),
        )
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    implicit_deny!(w, "Ann", "kms:Decrypt", "K");
}

#[test]
fn rule_47_without_version_2012_variables_are_literal_text() {
    let kp = r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringEquals": {"kms:EncryptionContext:owner": "${aws:username}"}}}]}"#;
    let w = world(kp);
    implicit_deny!(w, "Bob", "kms:Decrypt", "K", &[("ec:owner", "Bob")]);
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("ec:owner", "${aws:username}")]
    );
}

#[test]
fn rule_48_defaults_escapes_and_null_variables() {
    let w = world(&kp_when(
        r#"{"StringEquals": {"kms:EncryptionContext:team": "${aws:PrincipalTag/dept, 'none'}"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K", &[("ec:team", "none")]);
    let w = world(&kp_when(
        r#"{"StringLike": {"kms:EncryptionContext:tag": "a${*}b*"}}"#,
    ));
    allows!(w, "Bob", "kms:Decrypt", "K", &[("ec:tag", "a*bcd")]);
    implicit_deny!(w, "Bob", "kms:Decrypt", "K", &[("ec:tag", "axbcd")]);
    // A missing variable with no default is null: positive operators fail, negated ones hold.
    let w = world(&kp_when(
        r#"{"StringEquals": {"kms:EncryptionContext:u": "${aws:username}"}}"#,
    ));
    implicit_deny!(w, "S", "kms:Decrypt", "K", &[("ec:u", "")]);
    let w = world(&kp_when(
        r#"{"StringNotEquals": {"kms:EncryptionContext:u": "${aws:username}"}}"#,
    ));
    allows!(w, "S", "kms:Decrypt", "K", &[("ec:u", "x")]);
}

/// "kms:GrantIsForAWSResource: Allows principals to call CreateGrant,
/// ListGrants, or RevokeGrant only when an AWS service that is integrated
/// with AWS KMS sends the request on the principal's behalf" (KMS guide,
/// "Controlling access to grants"): keyward derives it from `kms:ViaService`.
#[test]
fn rule_37_grant_is_for_aws_resource_is_true_exactly_when_a_service_calls_for_the_principal() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant", "kms:Decrypt"], "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
           {"Effect": "Allow", "Principal": "*", "Action": "kms:DescribeKey", "Resource": "*",
            "Condition": {"Null": {"kms:GrantIsForAWSResource": "true"}}}"#,
    );
    let w = World::new().kp(&kp).user("Bob", &[]).build();
    let via_ec2 = [("kms:ViaService", "ec2.us-east-1.amazonaws.com")];
    for action in ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"] {
        allows!(w, "Bob", action, "K", &via_ec2);
        implicit_deny!(w, "Bob", action, "K");
    }
    // Other operations have no such key, through a service or not.
    implicit_deny!(w, "Bob", "kms:Decrypt", "K", &via_ec2);
    allows!(w, "Bob", "kms:DescribeKey", "K", &via_ec2);
    // Like aws:ViaAWSService, a value given by hand stands (a service call
    // keyward does not see).
    allows!(
        w,
        "Bob",
        "kms:ListGrants",
        "K",
        &[("kms:GrantIsForAWSResource", "true")]
    );
    implicit_deny!(
        w,
        "Bob",
        "kms:ListGrants",
        "K",
        &[
            ("kms:ViaService", "ec2.us-east-1.amazonaws.com"),
            ("kms:GrantIsForAWSResource", "false")
        ]
    );
}

/// "Single-valued context keys have at most one value in the request
/// context" (IAM User Guide, "Single-valued vs. multivalued context keys"):
/// a request with two values for one of them does not exist, and must not
/// slip past a Deny that compares it with a negated operator.
#[test]
fn rule_37_single_valued_keys_take_one_value() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
           {"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}"#,
    );
    let w = World::new().kp(&kp).user("Bob", &[]).build();
    let p = w.auth.principal("Bob").unwrap();
    let key = w.auth.key("K").unwrap();
    let req = || keyward_eval::Request::new(p, keyward_eval::KmsAction::Decrypt, key).unwrap();
    for name in [
        "aws:SourceVpce",
        "kms:ViaService",
        "aws:SourceIp",
        "aws:PrincipalOrgID",
        "aws:RequestTag/team",
    ] {
        let e = req()
            .with_context(name, vec!["vpce-1a2b3c4d", "vpce-9z8y7x6w"])
            .unwrap_err();
        assert_eq!(e.code, "eval::context-single-valued", "{name}");
        assert_eq!(
            e.message,
            format!("`{name}` is a single-valued condition key: a request has at most one value for it, not 2")
        );
    }
    // One value, as a list or not, is a request.
    explicit_deny!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("aws:SourceVpce", "vpce-9z8y7x6w")]
    );
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("aws:SourceVpce", "[vpce-1a2b3c4d]")]
    );
    // Multi-valued keys, and keys of other services the catalog does not
    // know, take lists.
    assert!(req().with_context("aws:TagKeys", vec!["a", "b"]).is_ok());
    assert!(req()
        .with_context("kms:GrantOperations", vec!["Decrypt", "Encrypt"])
        .is_ok());
    assert!(req()
        .with_context("s3:x-amz-grant-read", vec!["a", "b"])
        .is_ok());
}
