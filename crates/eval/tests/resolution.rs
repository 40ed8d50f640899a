//! Which key a request names (rules 8, 30–32): key ARNs, alias ARNs, bare
//! alias names and key ids, resolved in the right account and Region.

mod common;

use common::*;
use keyward_eval::{Decision, Elsewhere, KmsAction, KmsErrorKind, Resolution};

const EAST: &str = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-4000-8000-000000000001";
const WEST: &str = "arn:aws:kms:eu-west-1:111122223333:key/2222bbbb-0000-4000-8000-000000000002";
const MRK_EAST: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-3333cccc00004000800000000003";
const MRK_WEST: &str = "arn:aws:kms:eu-west-1:111122223333:key/mrk-3333cccc00004000800000000003";
const OTHER_KEY: &str =
    "arn:aws:kms:us-east-1:444455556666:key/4444dddd-0000-4000-8000-000000000004";

/// Production (111122223333) has `alias/app` on a key in us-east-1 and on
/// one in eu-west-1, both shared with the backup account 444455556666;
/// the backup account has its own `alias/backup`. Bob (production) and
/// Olga (backup) may use any key through IAM.
fn world() -> Built {
    let shared = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]}, "Action": "kms:*", "Resource": "*"}"#,
    );
    World::new()
        .key(Key::new("east", EAST, &shared).alias("alias/app"))
        .key(Key::new("west", WEST, &shared).alias("alias/app"))
        .key(Key::new("mrk-east", MRK_EAST, &shared))
        .key(Key::new("mrk-west", MRK_WEST, &shared))
        .key(Key::new("backup", OTHER_KEY, &default_kp(OTHER)).alias("alias/backup"))
        .user("Bob", &[&iam_allow(r#""kms:*""#)])
        .principal(
            Principal::new("Olga", "arn:aws:iam::444455556666:user/Olga")
                .iam(&iam_allow(r#""kms:*""#)),
        )
        .principal(
            Principal::new("Ripley", "arn:aws:iam::111122223333:user/Ripley").iam(&policy(
                r#"{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:RequestAlias": "alias/app"}}}"#,
            )),
        )
        .principal(Principal::service("backup.amazonaws.com"))
        .build()
}

#[expect(
    clippy::unwrap_used,
    reason = "a test helper: an unknown principal or reference fails the test"
)]
fn key_of(w: &Built, who: &str, reference: &str, region: Option<&str>) -> Option<String> {
    let p = w.auth.principal(who).unwrap();
    match w.auth.resolve(reference, region, p).unwrap() {
        Resolution::Key { key, .. } => Some(w.auth.key_name(key).to_string()),
        Resolution::NotFound(_) => None,
    }
}

#[test]
fn rule_30_an_alias_arn_names_the_key_of_its_own_region_and_account() {
    let w = world();
    let west = "arn:aws:kms:eu-west-1:111122223333:alias/app";
    let east = "arn:aws:kms:us-east-1:111122223333:alias/app";
    assert_eq!(key_of(&w, "Bob", west, None).as_deref(), Some("west"));
    assert_eq!(key_of(&w, "Bob", east, None).as_deref(), Some("east"));
    // The ARN decides, not the request's Region: sent elsewhere, the
    // allowed call does not find the key (rule 32).
    assert_eq!(
        key_of(&w, "Bob", west, Some("us-east-1")).as_deref(),
        Some("west")
    );
    let (d, e, _) = w.decide("Bob", "kms:Decrypt", west, &[("region", "us-east-1")]);
    assert_eq!(
        (d, e),
        (Decision::Allow, Some(KmsErrorKind::NotFoundException))
    );
    // An alias ARN in a Region where the account has no such alias.
    assert_eq!(
        key_of(
            &w,
            "Bob",
            "arn:aws:kms:ap-south-1:111122223333:alias/app",
            None
        ),
        None
    );
    assert_eq!(
        w.auth.key(west).map(|k| w.auth.key_name(k)),
        Some("west"),
        "Authorizer::key reads alias ARNs the same way"
    );
}

#[test]
fn rule_30_the_request_alias_is_the_alias_name_whatever_the_reference() {
    let w = world();
    allows!(
        w,
        "Ripley",
        "kms:Decrypt",
        "arn:aws:kms:eu-west-1:111122223333:alias/app"
    );
    allows!(
        w,
        "Ripley",
        "kms:Decrypt",
        "alias/app",
        &[("region", "us-east-1")]
    );
    implicit_deny!(w, "Ripley", "kms:Decrypt", WEST);
    implicit_deny!(w, "Ripley", "kms:Decrypt", "west");
}

#[test]
fn rule_30_an_alias_names_one_key_per_account_and_region() {
    let kp = default_kp(ACCT);
    let mut b = keyward_eval::Authorizer::builder();
    let cfg = |name: &str, arn: &str| {
        let mut k = keyward_eval::KeyConfig::new(name, arn, doc(name, &kp));
        k.aliases.push("alias/app".into());
        k
    };
    b.add_key(cfg("east", EAST)).unwrap();
    b.add_key(cfg("west", WEST)).unwrap();
    let taken = b
        .add_key(cfg(
            "east-2",
            "arn:aws:kms:us-east-1:111122223333:key/5555eeee-0000-4000-8000-000000000005",
        ))
        .unwrap_err();
    assert_eq!(taken.code, "eval::alias-taken");
    assert!(
        taken.message.contains("already names key `east`"),
        "{taken}"
    );
    b.add_key(cfg("other-account", OTHER_KEY)).unwrap();
}

#[test]
fn rule_32_a_bare_alias_resolves_in_the_region_the_request_is_sent_to() {
    let w = world();
    assert_eq!(
        key_of(&w, "Bob", "alias/app", Some("eu-west-1")).as_deref(),
        Some("west")
    );
    assert_eq!(
        key_of(&w, "Bob", "alias/app", Some("us-east-1")).as_deref(),
        Some("east")
    );
    // No key has it in ap-south-1: NotFoundException, never an allow.
    let (d, e, why) = w.decide(
        "Bob",
        "kms:Decrypt",
        "alias/app",
        &[("region", "ap-south-1")],
    );
    assert_eq!(
        (d, e),
        (
            Decision::ImplicitDeny,
            Some(KmsErrorKind::NotFoundException)
        )
    );
    assert!(
        why[0].contains("a key in another Region has it, and keys and aliases are Regional"),
        "{why:?}"
    );
    // Without a Region, `alias/app` could be either key: an input error.
    let bob = w.auth.principal("Bob").unwrap();
    let err = w.auth.resolve("alias/app", None, bob).unwrap_err();
    assert_eq!(err.code, "eval::ambiguous-key");
    assert!(
        err.message.contains("us-east-1") && err.message.contains("eu-west-1"),
        "{err}"
    );
    assert_eq!(
        w.auth.key("alias/app"),
        None,
        "Authorizer::key does not guess"
    );
    assert!(w.auth.key("alias/backup").is_some());
}

#[test]
fn rule_08_a_bare_alias_from_another_account_finds_no_key() {
    let w = world();
    // By key ARN, the other account is allowed: key policy and IAM agree.
    allows!(w, "Olga", "kms:Decrypt", EAST);
    // By alias name, the alias is looked up in Olga's own account.
    let olga = w.auth.principal("Olga").unwrap();
    let Resolution::NotFound(nf) = w
        .auth
        .resolve("alias/app", Some("us-east-1"), olga)
        .unwrap()
    else {
        panic!("alias/app must not reach production's key from account {OTHER}");
    };
    assert_eq!(nf.elsewhere(), Elsewhere::OtherAccount);
    assert_eq!(nf.account(), Some(OTHER));
    let req = w
        .auth
        .request(olga, KmsAction::Decrypt, "alias/app", Some("us-east-1"))
        .unwrap();
    let r = w.auth.decide(&req);
    assert_eq!(r.decision(), Decision::ImplicitDeny);
    assert!(!r.is_success());
    let err = r.error().unwrap();
    assert_eq!(err.kind(), KmsErrorKind::NotFoundException);
    assert_eq!(
        err.message(),
        "Alias arn:aws:kms:us-east-1:444455556666:alias/app is not found."
    );
    let why = r.explanation().reasons();
    assert!(
        why[0]
            .to_string()
            .contains("must name the key by its key ARN (rule 8)"),
        "{why:?}"
    );
    assert_eq!(r.explanation().deciding().count(), 0);
    // Olga's own alias resolves in her account.
    assert_eq!(
        key_of(&w, "Olga", "alias/backup", Some("us-east-1")).as_deref(),
        Some("backup")
    );
}

#[test]
fn rule_08_the_alias_arn_of_another_account_names_its_key() {
    let w = world();
    let arn = "arn:aws:kms:us-east-1:111122223333:alias/app";
    assert_eq!(key_of(&w, "Olga", arn, None).as_deref(), Some("east"));
    allows!(w, "Olga", "kms:Decrypt", arn);
}

#[test]
fn rule_08_a_bare_key_id_resolves_in_the_callers_account_and_region() {
    let w = world();
    let id = "1111aaaa-0000-4000-8000-000000000001";
    assert_eq!(
        key_of(&w, "Bob", id, Some("us-east-1")).as_deref(),
        Some("east")
    );
    let (d, e, _) = w.decide("Olga", "kms:Decrypt", id, &[("region", "us-east-1")]);
    assert_eq!(
        (d, e),
        (
            Decision::ImplicitDeny,
            Some(KmsErrorKind::NotFoundException)
        )
    );
    let olga = w.auth.principal("Olga").unwrap();
    let req = w
        .auth
        .request(olga, KmsAction::Decrypt, id, Some("us-east-1"))
        .unwrap();
    assert_eq!(
        w.auth.decide(&req).error().unwrap().message(),
        format!("Key 'arn:aws:kms:us-east-1:444455556666:key/{id}' does not exist")
    );
}

#[test]
fn rule_31_a_multi_region_key_id_resolves_to_the_key_of_the_request_region() {
    let w = world();
    let id = "mrk-3333cccc00004000800000000003";
    assert_eq!(
        key_of(&w, "Bob", id, Some("us-east-1")).as_deref(),
        Some("mrk-east")
    );
    assert_eq!(
        key_of(&w, "Bob", id, Some("eu-west-1")).as_deref(),
        Some("mrk-west")
    );
    // A replica ARN in a Region where the scenario has none.
    let absent = "arn:aws:kms:ap-south-1:111122223333:key/mrk-3333cccc00004000800000000003";
    assert_eq!(key_of(&w, "Bob", absent, None), None);
}

#[test]
fn rule_24_a_service_principal_resolves_a_bare_alias_in_any_account() {
    let w = world();
    assert_eq!(
        key_of(
            &w,
            "backup.amazonaws.com",
            "alias/backup",
            Some("us-east-1")
        )
        .as_deref(),
        Some("backup")
    );
    assert_eq!(
        key_of(&w, "backup.amazonaws.com", "alias/app", Some("eu-west-1")).as_deref(),
        Some("west")
    );
}

#[test]
fn a_reference_that_names_nothing_or_is_malformed_is_an_input_error() {
    let w = world();
    let bob = w.auth.principal("Bob").unwrap();
    for (reference, code) in [
        ("alias/nope", "eval::unknown-key"),
        ("CMK-Z", "eval::unknown-key"),
        (
            "arn:aws:kms:us-east-1:111122223333:key/nope",
            "eval::unknown-key",
        ),
        (
            "arn:aws:kms:us-east-1:111122223333:grant/x",
            "eval::key-reference",
        ),
        ("arn:aws:s3:::bucket", "eval::key-reference"),
        ("alias/*", "eval::unknown-key"),
        ("", "eval::unknown-key"),
    ] {
        let err = w
            .auth
            .resolve(reference, Some("us-east-1"), bob)
            .unwrap_err();
        assert_eq!(err.code, code, "{reference}: {err}");
        assert!(err.help.is_some(), "{reference}");
    }
}

/// "The KeyId parameter in AWS KMS cryptographic operations, DescribeKey,
/// and GetPublicKey accepts an alias name or alias ARN" (KMS guide, "Using
/// aliases"); the other operations take "the key ID or key ARN of the KMS
/// key" (API reference, e.g. ScheduleKeyDeletion, CreateGrant, GetKeyPolicy).
#[test]
fn rule_08_only_cryptographic_operations_describe_key_and_get_public_key_take_an_alias() {
    let w = world();
    for action in [
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "kms:DescribeKey",
        "kms:GetPublicKey",
    ] {
        let (d, e) = w.call("Bob", action, "alias/app", &[("region", "us-east-1")]);
        assert_eq!(d, Decision::Allow, "{action}");
        assert_ne!(
            e.map(|(k, _)| k),
            Some(KmsErrorKind::NotFoundException),
            "{action}"
        );
    }
    for action in [
        "kms:ScheduleKeyDeletion",
        "kms:CreateGrant",
        "kms:GetKeyPolicy",
        "kms:PutKeyPolicy",
        "kms:EnableKey",
        "kms:ListGrants",
        "kms:RevokeGrant",
        "kms:GetKeyRotationStatus",
    ] {
        // KMS does not read the alias: no policy is consulted.
        assert_eq!(
            w.call("Bob", action, "alias/app", &[("region", "us-east-1")]),
            (
                Decision::ImplicitDeny,
                Some((
                    KmsErrorKind::NotFoundException,
                    "Invalid keyId alias/app".to_string()
                ))
            ),
            "{action}"
        );
    }
    // An alias ARN is no better; the key ARN or key id works.
    let alias_arn = "arn:aws:kms:us-east-1:111122223333:alias/app";
    let (d, e) = w.call("Bob", "kms:ScheduleKeyDeletion", alias_arn, &[]);
    assert_eq!(
        (d, e),
        (
            Decision::ImplicitDeny,
            Some((
                KmsErrorKind::NotFoundException,
                format!("Invalid keyId {alias_arn}")
            ))
        )
    );
    allows!(w, "Bob", "kms:ScheduleKeyDeletion", EAST);
    allows!(
        w,
        "Bob",
        "kms:ScheduleKeyDeletion",
        "1111aaaa-0000-4000-8000-000000000001",
        &[("region", "us-east-1")]
    );
}

#[test]
fn rule_08_an_alias_that_does_not_exist_is_still_an_invalid_key_id_where_aliases_are_not_taken() {
    let w = world();
    let (d, e, why) = w.decide(
        "Olga",
        "kms:CreateGrant",
        "alias/app",
        &[("region", "us-east-1")],
    );
    assert_eq!(
        (d, e),
        (
            Decision::ImplicitDeny,
            Some(KmsErrorKind::NotFoundException)
        )
    );
    assert_eq!(
        why[0],
        "`alias/app` finds no key: `kms:CreateGrant` takes a key id or key ARN, not an alias"
    );
    let p = w.auth.principal("Bob").unwrap_or_else(|| unreachable!());
    let req = w
        .auth
        .request(p, KmsAction::CreateGrant, "alias/app", Some("us-east-1"))
        .unwrap_or_else(|e| panic!("{e}"));
    let answer = w.auth.decide(&req);
    let reasons = answer.explanation().reasons();
    assert_eq!(
        reasons[0].help().map(|h| h.to_string()).as_deref(),
        Some("name the key by its key ARN or key id")
    );
}

#[test]
fn rule_08_naming_the_key_by_alias_by_hand_is_the_same_as_resolving_it() {
    // `kms:RequestAlias` says the request named the key by that alias.
    let w = world();
    let p = w.auth.principal("Bob").unwrap_or_else(|| unreachable!());
    let key = w.auth.key("east").unwrap_or_else(|| unreachable!());
    for req in [
        keyward_eval::Request::new(p, KmsAction::EnableKey, key)
            .unwrap_or_else(|e| panic!("{e}"))
            .via_alias("alias/app"),
        keyward_eval::Request::new(p, KmsAction::EnableKey, key)
            .unwrap_or_else(|e| panic!("{e}"))
            .with_context("kms:RequestAlias", "alias/app")
            .unwrap_or_else(|e| panic!("{e}")),
    ] {
        let answer = w.auth.decide(&req);
        assert_eq!(answer.decision(), Decision::ImplicitDeny);
        assert_eq!(
            answer.error().map(|e| e.message()).as_deref(),
            Some("Invalid keyId alias/app")
        );
    }
}
