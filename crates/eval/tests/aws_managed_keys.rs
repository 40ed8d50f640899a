//! AWS managed keys and resource control policies (docs/evaluation.md, "AWS
//! managed keys"; KMS guide, "Resource control policies in AWS KMS": "Resource
//! control policies in your organization do not apply to AWS managed keys",
//! and "The kms:RetireGrant permission is not effective in an RCP, even if
//! the Action element specifies an asterisk (*) as a wildcard").

mod common;

use common::*;
use keyward_eval::{aws_managed_key_policy, Decision, KmsErrorKind, Reason};

const EBS_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/0e2a4c6d-8f10-4a12-b345-6789abcdef01";

/// An RCP denying every KMS action to everyone outside the organization,
/// and one that allows nothing at all.
const RCP_DENY_OUTSIDERS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
    "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-acme"}}}]}"#;
const RCP_ALLOW_NOTHING: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#;

fn managed_ebs_key() -> Key {
    Key::new(
        "aws-ebs",
        EBS_KEY,
        &aws_managed_key_policy("ebs", ACCT, "us-east-1"),
    )
    .aws_managed()
    .alias("alias/aws/ebs")
}

fn world_with_rcp(rcp: &str) -> Built {
    World::new()
        .key(managed_ebs_key())
        .kp(&default_kp(ACCT))
        .user("Bob", &[&iam_allow(r#""kms:*""#)])
        .rcp(ACCT, &[rcp])
        .build()
}

#[test]
fn rcps_do_not_apply_to_aws_managed_keys() {
    let via_ec2 = [("kms:ViaService", "ec2.us-east-1.amazonaws.com")];
    for rcp in [RCP_DENY_OUTSIDERS, RCP_ALLOW_NOTHING] {
        let w = world_with_rcp(rcp);
        allows!(w, "Bob", "kms:Decrypt", "aws-ebs", &via_ec2);
        // The customer managed key of the same account is bound by them.
        let (d, _, why) = w.decide("Bob", "kms:Decrypt", "K", &via_ec2);
        assert_ne!(d, Decision::Allow, "{why:#?}");
    }
    // An implicit deny on the AWS managed key consults no RCP.
    let w = world_with_rcp(RCP_ALLOW_NOTHING);
    let (d, _, why) = w.decide("Bob", "kms:Decrypt", "aws-ebs", &[]);
    assert_eq!(d, Decision::ImplicitDeny);
    assert!(why.iter().all(|r| !r.contains("RCP")), "{why:#?}");
}

#[test]
fn retire_grant_is_not_effective_in_an_rcp() {
    let ret = format!("arn:aws:iam::{ACCT}:user/Ret");
    for rcp in [RCP_DENY_OUTSIDERS, RCP_ALLOW_NOTHING] {
        let w = World::new()
            .kp(&default_kp(ACCT))
            .user("Ret", &[])
            .grant(
                grant("K", &format!("arn:aws:iam::{ACCT}:user/Bob"), &["Decrypt"]).retiring(&ret),
            )
            .rcp(ACCT, &[rcp])
            .build();
        // Neither the RCP's Deny nor its missing Allow stops the retiring principal.
        allows!(w, "Ret", "kms:RetireGrant", "K");
        let (d, _, _) = w.decide("Ret", "kms:DescribeKey", "K", &[]);
        assert_ne!(d, Decision::Allow);
    }
}

#[test]
fn the_documented_aws_managed_key_policy_allows_use_only_through_the_service_in_the_account() {
    let w = World::new()
        .key(managed_ebs_key())
        .user("Bob", &[&iam_allow(r#""kms:*""#)])
        .principal(Principal::new("root", "arn:aws:iam::111122223333:root"))
        .principal(
            Principal::new("Dan", "arn:aws:iam::444455556666:user/Dan")
                .iam(&iam_allow(r#""kms:*""#)),
        )
        .build();
    let via_ec2 = [("kms:ViaService", "ec2.us-east-1.amazonaws.com")];
    for action in [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncryptFrom",
        "kms:CreateGrant",
        "kms:DescribeKey",
    ] {
        allows!(w, "Bob", action, "aws-ebs", &via_ec2);
    }
    // Not directly, even with IAM kms:*; not through another service.
    implicit_deny!(w, "Bob", "kms:Decrypt", "aws-ebs");
    implicit_deny!(
        w,
        "Bob",
        "kms:Decrypt",
        "aws-ebs",
        &[("kms:ViaService", "s3.us-east-1.amazonaws.com")]
    );
    // Not from another account (kms:CallerAccount), even through the service.
    implicit_deny!(w, "Dan", "kms:Decrypt", EBS_KEY, &via_ec2);
    // The account reads metadata and revokes grants through IAM; nobody
    // administers the key.
    allows!(w, "Bob", "kms:GetKeyPolicy", "aws-ebs");
    allows!(w, "Bob", "kms:ListGrants", "aws-ebs");
    allows!(w, "Bob", "kms:RevokeGrant", "aws-ebs");
    for action in [
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:DisableKey",
        "kms:TagResource",
    ] {
        implicit_deny!(w, "root", action, "aws-ebs");
    }
}

#[test]
fn the_alias_aws_prefix_is_reserved_for_aws_managed_keys() {
    // "The alias/aws/ prefix is reserved for AWS managed keys" (API
    // reference, CreateAlias AliasName).
    let e = Key::new("K", KEY_ARN, &default_kp(ACCT))
        .alias("alias/aws/s3")
        .refused();
    assert_eq!(e.code, "eval::alias-reserved");
    assert_eq!(
        e.message,
        "`alias/aws/s3` is reserved for AWS managed keys; a customer managed key cannot take it"
    );
    // …and an AWS managed key has no other alias.
    let e = managed_ebs_key().alias("alias/team").refused();
    assert_eq!(e.code, "eval::aws-managed-key");
    assert_eq!(
        e.message,
        "an AWS managed key has only its `alias/aws/SERVICE` alias, not `alias/team`"
    );
}

#[test]
fn aws_managed_keys_are_enabled_symmetric_keys_of_aws_kms_material() {
    let e = managed_ebs_key()
        .state(keyward_eval::KeyState::Disabled)
        .refused();
    assert_eq!(
        e.message,
        "an AWS managed key cannot be in the state Disabled"
    );
    let e = managed_ebs_key().spec("RSA_2048").refused();
    assert_eq!(
        e.message,
        "an AWS managed key cannot be of key spec `RSA_2048`"
    );
}

#[test]
fn an_aws_managed_key_explains_a_direct_use_by_its_policy() {
    let w = World::new()
        .key(managed_ebs_key())
        .user("Bob", &[&iam_allow(r#""kms:*""#)])
        .build();
    let p = w.auth.principal("Bob").unwrap_or_else(|| unreachable!());
    let req = w
        .auth
        .request(
            p,
            keyward_eval::KmsAction::Decrypt,
            "alias/aws/ebs",
            Some("us-east-1"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let answer = w.auth.decide(&req);
    assert_eq!(
        (answer.decision(), answer.error().map(|e| e.kind())),
        (Decision::ImplicitDeny, None::<KmsErrorKind>)
    );
    let reasons = answer.explanation().reasons();
    let Reason::Missing(gap) = &reasons[0] else {
        panic!("{reasons:#?}")
    };
    assert_eq!(
        gap.to_string(),
        "no statement of key policy `aws-ebs key policy` applies: statement `Allow access through ebs for all principals in the account that are authorized to use ebs` names the caller, but its condition `kms:ViaService` does not hold"
    );
}
