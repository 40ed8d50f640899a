//! Spec sections D, E and I: key state, Regions, default and AWS-managed
//! policies, aliases, and the Action/Resource elements (rules 28–36, 49–51).

mod common;

use common::*;
use keyward_eval::{KeyState, KmsErrorKind};

fn bob() -> Principal {
    Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob")
}

fn kp_bob(actions: &str) -> String {
    policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:user/Bob"}}, "Action": {actions}, "Resource": "*"}}"#
    ))
}

#[test]
fn rule_28_every_key_state_is_accepted_by_name() {
    for s in KeyState::ALL {
        assert_eq!(KeyState::parse(s.as_str()), Some(s));
    }
}

#[test]
fn rule_29_a_disabled_key_turns_an_allow_into_disabled_exception() {
    let w = World::new()
        .key(Key::new("K", KEY_ARN, &kp_bob(r#""kms:*""#)).state(KeyState::Disabled))
        .principal(bob())
        .build();
    let (d, e, why) = w.decide("Bob", "kms:Decrypt", "K", &[]);
    assert_eq!(
        (d, e),
        (
            keyward_eval::Decision::Allow,
            Some(KmsErrorKind::DisabledException)
        )
    );
    assert!(why.iter().any(|l| l.contains("is disabled.")), "{why:?}");
    let (_, e, _) = w.decide("Bob", "kms:DescribeKey", "K", &[]);
    assert_eq!(e, None);
}

#[test]
fn rule_29_key_state_never_turns_a_deny_into_anything_else() {
    let w = World::new()
        .key(Key::new("K", KEY_ARN, &kp_bob(r#""kms:Encrypt""#)).state(KeyState::PendingDeletion))
        .principal(bob())
        .build();
    let (d, e, _) = w.decide("Bob", "kms:Decrypt", "K", &[]);
    assert_eq!((d, e), (keyward_eval::Decision::ImplicitDeny, None));
    let (d, e, _) = w.decide("Bob", "kms:Encrypt", "K", &[]);
    assert_eq!(
        (d, e),
        (
            keyward_eval::Decision::Allow,
            Some(KmsErrorKind::KmsInvalidStateException)
        )
    );
}

#[test]
fn rule_30_a_key_policy_governs_only_its_own_key() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:*", "Resource": "arn:aws:kms:us-east-1:111122223333:key/other"}"#,
    );
    let w = World::new().kp(&kp).principal(bob()).build();
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_31_multi_region_related_keys_have_their_own_policies() {
    let east = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    let west = "arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    let w = World::new()
        .key(Key::new("east", east, &kp_bob(r#""kms:Decrypt""#)))
        .key(Key::new("west", west, &default_kp(ACCT)))
        .principal(bob())
        .build();
    allows!(w, "Bob", "kms:Decrypt", "east", &[("region", "us-east-1")]);
    implicit_deny!(w, "Bob", "kms:Decrypt", "west", &[("region", "us-west-2")]);
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"Bool": {"kms:MultiRegion": "true"}}}"#,
    );
    let w = World::new()
        .key(Key::new("east", east, &kp))
        .key(Key::new("single", KEY_ARN, &kp))
        .principal(bob())
        .build();
    allows!(w, "Bob", "kms:Decrypt", "east");
    implicit_deny!(w, "Bob", "kms:Decrypt", "single");
}

#[test]
fn rule_32_a_request_in_another_region_does_not_find_the_key() {
    let w = World::new()
        .kp(&kp_bob(r#""kms:Decrypt""#))
        .principal(bob())
        .build();
    let (d, e, why) = w.decide("Bob", "kms:Decrypt", "K", &[("region", "eu-west-1")]);
    assert_eq!(
        (d, e),
        (
            keyward_eval::Decision::Allow,
            Some(KmsErrorKind::NotFoundException)
        )
    );
    assert!(why.iter().any(|l| l.contains("does not exist")), "{why:?}");
    let (_, e, _) = w.decide("Bob", "kms:Decrypt", "K", &[("region", "us-east-1")]);
    assert_eq!(e, None);
}

#[test]
fn rule_33_the_programmatic_default_policy_delegates_everything_to_iam() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam_allow(r#"["kms:Decrypt", "kms:PutKeyPolicy"]"#)))
        .principal(Principal::new("Ann", "arn:aws:iam::111122223333:user/Ann"))
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    allows!(w, "Bob", "kms:PutKeyPolicy", "K");
    implicit_deny!(w, "Ann", "kms:Decrypt", "K");
}

fn console_default() -> String {
    policy(
        r#"{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
           {"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"},
            "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"], "Resource": "*"},
           {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"},
           {"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
            "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}"#,
    )
}

#[test]
fn rule_34_console_default_policy_separates_administrators_from_users() {
    let w = World::new()
        .kp(&console_default())
        .principal(Principal::new(
            "admin",
            "arn:aws:sts::111122223333:assumed-role/Admin/a",
        ))
        .principal(Principal::new(
            "app",
            "arn:aws:sts::111122223333:assumed-role/App/a",
        ))
        .build();
    allows!(w, "admin", "kms:PutKeyPolicy", "K");
    allows!(w, "admin", "kms:ScheduleKeyDeletion", "K");
    implicit_deny!(w, "admin", "kms:Decrypt", "K");
    allows!(w, "app", "kms:Decrypt", "K");
    allows!(w, "app", "kms:ReEncryptFrom", "K");
    allows!(w, "app", "kms:GenerateDataKeyWithoutPlaintext", "K");
    implicit_deny!(w, "app", "kms:PutKeyPolicy", "K");
    implicit_deny!(w, "app", "kms:CreateGrant", "K");
    allows!(
        w,
        "app",
        "kms:CreateGrant",
        "K",
        // Through EBS: kms:GrantIsForAWSResource is true.
        &[("kms:ViaService", "ec2.us-east-1.amazonaws.com")]
    );
}

#[test]
fn rule_35_aws_managed_key_policies_allow_only_via_the_service() {
    let kp = policy(
        r#"{"Sid": "Allow access through S3", "Effect": "Allow", "Principal": {"AWS": "*"},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
           {"Sid": "Allow direct access to key metadata", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["kms:Describe*", "kms:Get*", "kms:List*"], "Resource": "*"}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(bob().iam(&iam_allow(r#""kms:*""#)))
        .principal(
            Principal::new("Dan", "arn:aws:iam::444455556666:user/Dan")
                .iam(&iam_allow(r#""kms:*""#)),
        )
        .build();
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("kms:ViaService", "s3.us-east-1.amazonaws.com")]
    );
    allows!(w, "Bob", "kms:GetKeyPolicy", "K");
    implicit_deny!(
        w,
        "Dan",
        "kms:Decrypt",
        "K",
        &[("kms:ViaService", "s3.us-east-1.amazonaws.com")]
    );
}

#[test]
fn rule_36_aliases_can_be_required_through_conditions() {
    let iam = policy(
        r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:RequestAlias": "alias/app"}}},
           {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/app"}}}"#,
    );
    let w = World::new()
        .key(Key::new("K", KEY_ARN, &default_kp(ACCT)).alias("alias/app"))
        .key(Key::new(
            "L",
            "arn:aws:kms:us-east-1:111122223333:key/l",
            &default_kp(ACCT),
        ))
        .principal(bob().iam(&iam))
        .build();
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "alias/app",
        &[("alias", "alias/app")]
    );
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    allows!(w, "Bob", "kms:Encrypt", "K");
    implicit_deny!(w, "Bob", "kms:Encrypt", "L");
    assert_eq!(
        w.auth.key("arn:aws:kms:us-east-1:111122223333:alias/app"),
        w.auth.key("K")
    );
}

#[test]
fn rule_49_action_wildcards_are_case_insensitive_and_reencrypt_is_two_actions() {
    let w = World::new()
        .kp(&kp_bob(r#"["KMS:reencrypt*", "kms:Describe?ey"]"#))
        .principal(bob())
        .build();
    allows!(w, "Bob", "kms:ReEncryptFrom", "K");
    allows!(w, "Bob", "kms:ReEncryptTo", "K");
    allows!(w, "Bob", "kms:DescribeKey", "K");
    implicit_deny!(w, "Bob", "kms:Encrypt", "K");
    assert!(keyward_eval::KmsAction::parse("kms:ReEncrypt").is_none());
}

#[test]
fn rule_50_not_action_and_not_resource_match_everything_else() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "NotAction": "kms:Decrypt", "Resource": "*"},
           {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Sign", "NotResource": "arn:aws:kms:us-east-1:111122223333:key/other"}"#,
    );
    let w = World::new().kp(&kp).principal(bob()).build();
    allows!(w, "Bob", "kms:Encrypt", "K");
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    explicit_deny!(w, "Bob", "kms:Sign", "K");
}

#[test]
fn rule_51_key_policy_resources_star_own_arn_other_arn_and_absent() {
    let stmt = |resource: &str| {
        policy(&format!(
            r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::111122223333:user/Bob"}}, "Action": "kms:Decrypt"{resource}}}"#
        ))
    };
    let cases = [
        (r#", "Resource": "*""#, true),
        (&format!(r#", "Resource": "{KEY_ARN}""#)[..], true),
        (
            r#", "Resource": "arn:aws:kms:us-east-1:111122223333:key/*""#,
            true,
        ),
        (
            r#", "Resource": "arn:aws:kms:us-east-1:111122223333:key/other""#,
            false,
        ),
        ("", false),
    ];
    for (resource, allowed) in cases {
        let w = World::new().kp(&stmt(resource)).principal(bob()).build();
        let (d, _, why) = w.decide("Bob", "kms:Decrypt", "K", &[]);
        assert_eq!(
            d == keyward_eval::Decision::Allow,
            allowed,
            "{resource}: {why:?}"
        );
    }
}

#[test]
fn rule_51_in_iam_policies_resource_wildcards_stop_at_colons() {
    let iam = policy(
        r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:111122223333:key/*"}"#,
    );
    let other_acct = policy(
        r#"{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "arn:aws:kms:us-east-1:444455556666:key/*"}"#,
    );
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam).iam(&other_acct))
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    implicit_deny!(w, "Bob", "kms:Encrypt", "K");
}
