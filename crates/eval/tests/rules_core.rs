//! Spec sections A and B: the core KMS model, denies and grants (rules 1–20).

mod common;

use common::*;

fn bob() -> Principal {
    Principal::new("Bob", &format!("arn:aws:iam::{ACCT}:user/Bob"))
}

fn kp_for(principal: &str, actions: &str) -> String {
    policy(&format!(
        r#"{{"Sid": "S", "Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": {actions}, "Resource": "*"}}"#
    ))
}

#[test]
fn rule_01_no_implicit_access_not_even_for_the_root_user() {
    let w = World::new()
        .kp(&kp_for(
            &format!("arn:aws:iam::{ACCT}:user/Bob"),
            r#""kms:*""#,
        ))
        .principal(Principal::new("root", ACCT))
        .user("Alice", &[&iam_allow(r#""kms:*""#)])
        .build();
    implicit_deny!(w, "root", "kms:Decrypt", "K");
    implicit_deny!(w, "Alice", "kms:Decrypt", "K");
}

#[test]
fn rule_02_each_key_is_governed_by_its_own_policy() {
    let w = World::new()
        .key(Key::new(
            "K1",
            "arn:aws:kms:us-east-1:111122223333:key/k1",
            &kp_for(&format!("arn:aws:iam::{ACCT}:user/Bob"), r#""kms:*""#),
        ))
        .key(Key::new(
            "K2",
            "arn:aws:kms:us-east-1:111122223333:key/k2",
            &default_kp(ACCT),
        ))
        .principal(bob())
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K1");
    implicit_deny!(w, "Bob", "kms:Decrypt", "K2");
}

#[test]
fn rule_03_an_iam_allow_without_key_policy_delegation_has_no_effect() {
    let kp = kp_for(&format!("arn:aws:iam::{ACCT}:user/Carol"), r#""kms:*""#);
    let w = World::new()
        .kp(&kp)
        .principal(bob().iam(&iam_allow(r#""kms:*""#)))
        .principal(Principal::new(
            "Carol",
            &format!("arn:aws:iam::{ACCT}:user/Carol"),
        ))
        .build();
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    let (_, _, why) = w.decide("Bob", "kms:Decrypt", "K", &[]);
    assert!(
        why[0].contains("none delegates `kms:Decrypt` to account 111122223333"),
        "{why:?}"
    );
}

#[test]
fn rule_03_an_iam_deny_works_without_key_policy_cooperation() {
    let deny = policy(r#"{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}"#);
    let w = World::new()
        .kp(&kp_for(
            &format!("arn:aws:iam::{ACCT}:user/Bob"),
            r#""kms:*""#,
        ))
        .principal(bob().iam(&deny))
        .build();
    explicit_deny!(w, "Bob", "kms:Decrypt", "K");
    allows!(w, "Bob", "kms:Encrypt", "K");
}

#[test]
fn rule_04_delegation_is_per_action() {
    let w = World::new()
        .kp(&kp_for(
            &format!("arn:aws:iam::{ACCT}:root"),
            r#"["kms:Encrypt", "kms:Describe*"]"#,
        ))
        .principal(bob().iam(&iam_allow(r#""kms:*""#)))
        .build();
    allows!(w, "Bob", "kms:Encrypt", "K");
    allows!(w, "Bob", "kms:DescribeKey", "K");
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_04_delegation_holds_only_under_its_conditions() {
    let kp = policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{ACCT}:root"}}, "Action": "kms:*", "Resource": "*",
            "Condition": {{"StringEquals": {{"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}}}}"#
    ));
    let w = World::new()
        .kp(&kp)
        .principal(bob().iam(&iam_allow(r#""kms:*""#)))
        .build();
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("kms:ViaService", "s3.us-east-1.amazonaws.com")]
    );
}

#[test]
fn rule_04_the_bare_account_id_delegates_like_the_root_arn() {
    let w = World::new()
        .kp(&kp_for(ACCT, r#""kms:Decrypt""#))
        .principal(bob().iam(&iam_allow(r#""kms:Decrypt""#)))
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_04_delegation_is_reported_in_the_explanation() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam_allow(r#""kms:Decrypt""#)))
        .build();
    let req = request(&w.auth, "Bob", "kms:Decrypt", "K", &[]);
    let r = w.auth.decide(&req);
    let e = r.explanation();
    assert_eq!(
        e.delegation().and_then(|s| s.sid()),
        Some("Enable IAM policies")
    );
    assert_eq!(e.path(), Some(keyward_eval::AllowPath::KeyPolicyAndIam));
    let kinds: Vec<_> = e.deciding().map(|s| s.kind()).collect();
    assert_eq!(
        kinds,
        [
            keyward_eval::SourceKind::KeyPolicy,
            keyward_eval::SourceKind::Identity
        ]
    );
}

#[test]
fn rule_05_the_root_user_is_allowed_through_the_account_principal() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(Principal::new("root", &format!("arn:aws:iam::{ACCT}:root")))
        .build();
    allows!(w, "root", "kms:PutKeyPolicy", "K");
}

#[test]
fn rule_06_a_named_user_needs_no_iam_policy() {
    let w = World::new()
        .kp(&kp_for(
            &format!("arn:aws:iam::{ACCT}:user/Bob"),
            r#""kms:Decrypt""#,
        ))
        .principal(bob())
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_06_a_named_user_is_not_limited_by_its_boundary_but_a_named_role_is() {
    let boundary = iam_allow(r#""s3:*""#);
    let role_arn = format!("arn:aws:iam::{ACCT}:role/App");
    let kp = policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": ["arn:aws:iam::{ACCT}:user/Bob", "{role_arn}"]}}, "Action": "kms:Decrypt", "Resource": "*"}}"#
    ));
    let w = World::new()
        .kp(&kp)
        .principal(bob().boundary(&boundary))
        .principal(
            Principal::new("App", &format!("arn:aws:sts::{ACCT}:assumed-role/App/s1"))
                .boundary(&boundary),
        )
        .principal(
            Principal::new("App2", &format!("arn:aws:sts::{ACCT}:assumed-role/App/s2"))
                .session_policy(&boundary),
        )
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    implicit_deny!(w, "App", "kms:Decrypt", "K");
    implicit_deny!(w, "App2", "kms:Decrypt", "K");
}

#[test]
fn rule_06_a_named_session_is_not_limited_by_its_session_policy() {
    let session = format!("arn:aws:sts::{ACCT}:assumed-role/App/s1");
    let w = World::new()
        .kp(&kp_for(&session, r#""kms:Decrypt""#))
        .principal(Principal::new("S", &session).session_policy(&iam_allow(r#""s3:*""#)))
        .build();
    allows!(w, "S", "kms:Decrypt", "K");
}

#[test]
fn rule_07_same_account_needs_delegation_and_an_iam_allow() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&iam_allow(r#""kms:Encrypt""#)))
        .build();
    allows!(w, "Bob", "kms:Encrypt", "K");
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    let (_, _, why) = w.decide("Bob", "kms:Decrypt", "K", &[]);
    assert!(
        why.iter()
            .any(|l| l.contains("no IAM policy of the caller allows it")),
        "{why:?}"
    );
}

#[test]
fn rule_08_cross_account_needs_the_key_policy_and_the_callers_iam_policy() {
    let kp = policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": ["arn:aws:iam::{OTHER}:root", "arn:aws:iam::{OTHER}:user/Eve"]}}, "Action": "kms:Decrypt", "Resource": "*"}}"#
    ));
    let w = World::new()
        .kp(&kp)
        .principal(
            Principal::new("Dan", &format!("arn:aws:iam::{OTHER}:user/Dan"))
                .iam(&iam_allow(r#""kms:Decrypt""#)),
        )
        .principal(Principal::new(
            "Eve",
            &format!("arn:aws:iam::{OTHER}:user/Eve"),
        ))
        .principal(Principal::new(
            "Fay",
            &format!("arn:aws:iam::{OTHER}:user/Fay"),
        ))
        .build();
    allows!(w, "Dan", "kms:Decrypt", "K");
    implicit_deny!(w, "Eve", "kms:Decrypt", "K");
    implicit_deny!(w, "Fay", "kms:Decrypt", "K");
    implicit_deny!(w, "Dan", "kms:Encrypt", "K");
    let (_, _, why) = w.decide("Eve", "kms:Decrypt", "K", &[]);
    assert!(
        why.iter()
            .any(|l| l.contains("an IAM policy in account 444455556666 must also allow")),
        "{why:?}"
    );
}

#[test]
fn rule_09_star_allows_same_account_callers_and_needs_iam_across_accounts() {
    for principal in [r#""*""#, r#"{"AWS": "*"}"#] {
        let kp = policy(&format!(
            r#"{{"Effect": "Allow", "Principal": {principal}, "Action": "kms:Decrypt", "Resource": "*"}}"#
        ));
        let w = World::new()
            .kp(&kp)
            .principal(bob())
            .principal(Principal::new(
                "Dan",
                &format!("arn:aws:iam::{OTHER}:user/Dan"),
            ))
            .principal(
                Principal::new("Eve", &format!("arn:aws:iam::{OTHER}:user/Eve"))
                    .iam(&iam_allow(r#""kms:Decrypt""#)),
            )
            .build();
        allows!(w, "Bob", "kms:Decrypt", "K");
        implicit_deny!(w, "Dan", "kms:Decrypt", "K");
        allows!(w, "Eve", "kms:Decrypt", "K");
    }
}

#[test]
fn rule_11_an_explicit_deny_in_any_policy_wins() {
    let deny =
        policy(r#"{"Sid": "No", "Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}"#);
    let allow_all = iam_allow(r#""*""#);
    let base = || World::new().kp(&default_kp(ACCT));
    let cases: Vec<(&str, Built)> = vec![
        (
            "identity",
            base().principal(bob().iam(&allow_all).iam(&deny)).build(),
        ),
        (
            "boundary",
            base()
                .principal(bob().iam(&allow_all).boundary(&deny))
                .build(),
        ),
        (
            "session",
            base()
                .principal(bob().iam(&allow_all).session_policy(&deny))
                .build(),
        ),
        (
            "scp",
            base()
                .principal(bob().iam(&allow_all))
                .scp(ACCT, &[&allow_all, &deny])
                .build(),
        ),
        (
            "rcp",
            base()
                .principal(bob().iam(&allow_all))
                .rcp(ACCT, &[&allow_all, &deny])
                .build(),
        ),
    ];
    for (what, w) in cases {
        let (d, _, why) = w.decide("Bob", "kms:Decrypt", "K", &[]);
        assert_eq!(d, keyward_eval::Decision::ExplicitDeny, "{what}: {why:?}");
        assert!(why[0].contains("statement `No` (Deny)"), "{what}: {why:?}");
    }
    let kp_deny = policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{ACCT}:root"}}, "Action": "kms:*", "Resource": "*"}},
           {{"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}}"#
    ));
    let w = World::new()
        .kp(&kp_deny)
        .principal(bob().iam(&allow_all))
        .build();
    explicit_deny!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_12_grants_only_allow() {
    let w = World::new()
        .kp(&kp_for(
            &format!("arn:aws:iam::{ACCT}:user/Bob"),
            r#""kms:Encrypt""#,
        ))
        .principal(bob())
        .grant(grant(
            "K",
            &format!("arn:aws:iam::{ACCT}:user/Bob"),
            &["Decrypt"],
        ))
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    allows!(w, "Bob", "kms:Encrypt", "K");
    implicit_deny!(w, "Bob", "kms:Sign", "K");
}

#[test]
fn rule_13_a_deny_beats_a_grant() {
    let kp = policy(&format!(
        r#"{{"Sid": "NoBob", "Effect": "Deny", "Principal": {{"AWS": "arn:aws:iam::{ACCT}:user/Bob"}}, "Action": "kms:*", "Resource": "*"}}"#
    ));
    let w = World::new()
        .kp(&kp)
        .principal(bob())
        .grant(grant(
            "K",
            &format!("arn:aws:iam::{ACCT}:user/Bob"),
            &["Decrypt"],
        ))
        .build();
    explicit_deny!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_14_a_grant_needs_no_policy_allow_and_is_named_in_the_explanation() {
    let w = World::new()
        .kp(&policy(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}"#))
        .principal(bob())
        .grant(grant("K", &format!("arn:aws:iam::{ACCT}:user/Bob"), &["Decrypt"]).named("ebs-volume"))
        .build();
    let req = request(&w.auth, "Bob", "kms:Decrypt", "K", &[]);
    let r = w.auth.decide(&req);
    assert_eq!(r.decision(), keyward_eval::Decision::Allow);
    assert_eq!(
        r.explanation().grant().map(|g| g.label()),
        Some("ebs-volume".to_string())
    );
    assert_eq!(r.explanation().path(), Some(keyward_eval::AllowPath::Grant));
}

#[test]
fn rule_15_a_role_grantee_covers_its_sessions_and_a_grant_covers_one_key() {
    let w = World::new()
        .key(Key::new("K1", "arn:aws:kms:us-east-1:111122223333:key/k1", &policy(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}"#)))
        .key(Key::new("K2", "arn:aws:kms:us-east-1:111122223333:key/k2", &policy(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}"#)))
        .principal(Principal::new("S", &format!("arn:aws:sts::{ACCT}:assumed-role/App/s1")))
        .principal(Principal::new("Other", &format!("arn:aws:sts::{ACCT}:assumed-role/NotApp/s1")))
        .principal(Principal::service("ebs.amazonaws.com"))
        .grant(grant("K1", &format!("arn:aws:iam::{ACCT}:role/path/App"), &["Decrypt"]))
        .grant(grant("K1", "ebs.amazonaws.com", &["DescribeKey"]))
        .build();
    allows!(w, "S", "kms:Decrypt", "K1");
    implicit_deny!(w, "S", "kms:Decrypt", "K2");
    implicit_deny!(w, "Other", "kms:Decrypt", "K1");
    allows!(w, "ebs.amazonaws.com", "kms:DescribeKey", "K1");
}

#[test]
fn rule_15_an_account_grantee_needs_its_principals_iam_allow() {
    let w = World::new()
        .kp(&policy(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}"#))
        .principal(Principal::new("Dan", &format!("arn:aws:iam::{OTHER}:user/Dan")).iam(&iam_allow(r#""kms:Decrypt""#)))
        .principal(Principal::new("Eve", &format!("arn:aws:iam::{OTHER}:user/Eve")))
        .grant(grant("K", &format!("arn:aws:iam::{OTHER}:root"), &["Decrypt"]))
        .build();
    allows!(w, "Dan", "kms:Decrypt", "K");
    implicit_deny!(w, "Eve", "kms:Decrypt", "K");
}

#[test]
fn rule_16_only_the_documented_grant_operations_exist() {
    for bad in [
        "ReEncrypt",
        "ListGrants",
        "RevokeGrant",
        "PutKeyPolicy",
        "decrypt",
        "kms:Decrypt",
    ] {
        assert!(
            keyward_eval::parse_grant_operations(&[bad]).is_err(),
            "{bad}"
        );
    }
    let e = keyward_eval::parse_grant_operations(&["ReEncrypt"]).unwrap_err();
    assert!(e.help.unwrap().contains("ReEncryptFrom"));
    assert!(keyward_eval::parse_grant_operations(&["DeriveSharedSecret", "RetireGrant"]).is_ok());
}

#[test]
fn rule_17_grant_constraints_gate_the_operation_but_not_describe_key() {
    let bob_arn = format!("arn:aws:iam::{ACCT}:user/Bob");
    let w = World::new()
        .kp(&policy(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}"#))
        .principal(bob())
        .grant(grant("K", &bob_arn, &["Decrypt", "DescribeKey"]).subset(&[("dept", "it")]))
        .build();
    allows!(
        w,
        "Bob",
        "kms:Decrypt",
        "K",
        &[("ec:dept", "it"), ("ec:other", "x")]
    );
    implicit_deny!(w, "Bob", "kms:Decrypt", "K", &[("ec:dept", "IT")]);
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    allows!(w, "Bob", "kms:DescribeKey", "K");
    let (_, _, why) = w.decide("Bob", "kms:Decrypt", "K", &[]);
    assert!(
        why.iter()
            .any(|l| l.contains("does not meet its constraints")),
        "{why:?}"
    );
}

#[test]
fn rule_18_create_grant_from_a_grant_only_within_its_operations_and_constraints() {
    use keyward_eval::{ActionSet, KmsAction, NewGrant, Request};
    let bob_arn = format!("arn:aws:iam::{ACCT}:user/Bob");
    let w = World::new()
        .kp(&policy(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}"#))
        .principal(bob())
        .grant(grant("K", &bob_arn, &["Decrypt", "CreateGrant"]).subset(&[("a", "1")]))
        .build();
    let p = w.auth.principal("Bob").unwrap();
    let k = w.auth.key("K").unwrap();
    let ask = |ops: &[KmsAction], constraints| {
        let req = Request::new(p, KmsAction::CreateGrant, k)
            .unwrap()
            .creating(NewGrant {
                grantee: "arn:aws:iam::111122223333:user/Carol".into(),
                operations: ActionSet::of(ops),
                constraints,
                retiring_principal: None,
            });
        w.auth.decide(&req).decision()
    };
    let stricter = Some(keyward_eval::GrantConstraints::EncryptionContextEquals(
        vec![("a".into(), "1".into())],
    ));
    assert_eq!(
        ask(&[KmsAction::Decrypt], stricter.clone()),
        keyward_eval::Decision::Allow
    );
    assert_eq!(
        ask(&[KmsAction::Decrypt], None),
        keyward_eval::Decision::ImplicitDeny
    );
    assert_eq!(
        ask(&[KmsAction::Encrypt], stricter),
        keyward_eval::Decision::ImplicitDeny
    );
    // Without the new grant described, a grant cannot vouch for it (fail closed).
    implicit_deny!(w, "Bob", "kms:CreateGrant", "K");
}

#[test]
fn rule_18_create_grant_from_a_policy_is_narrowed_by_grant_conditions() {
    let kp = policy(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{ACCT}:user/Bob"}}, "Action": "kms:CreateGrant", "Resource": "*",
            "Condition": {{"ForAllValues:StringEquals": {{"kms:GrantOperations": ["Decrypt", "Encrypt"]}}, "Bool": {{"kms:GrantIsForAWSResource": "true"}}}}}}"#
    ));
    let w = World::new().kp(&kp).principal(bob()).build();
    allows!(
        w,
        "Bob",
        "kms:CreateGrant",
        "K",
        &[
            ("kms:GrantOperations", "[Decrypt]"),
            // kms:GrantIsForAWSResource is true through an integrated service.
            ("kms:ViaService", "ec2.us-east-1.amazonaws.com")
        ]
    );
    implicit_deny!(
        w,
        "Bob",
        "kms:CreateGrant",
        "K",
        &[
            ("kms:GrantOperations", "[Decrypt, Sign]"),
            // kms:GrantIsForAWSResource is true through an integrated service.
            ("kms:ViaService", "ec2.us-east-1.amazonaws.com")
        ]
    );
    implicit_deny!(
        w,
        "Bob",
        "kms:CreateGrant",
        "K",
        &[("kms:GrantOperations", "[Decrypt]")]
    );
}

#[test]
fn rule_19_retire_grant_comes_from_the_grant_not_the_key_policy() {
    let bob_arn = format!("arn:aws:iam::{ACCT}:user/Bob");
    let w = World::new()
        .kp(&policy(&format!(
            r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{OTHER}:user/Kim"}}, "Action": "kms:RetireGrant", "Resource": "*"}}"#
        )))
        .principal(bob())
        .principal(Principal::new("Ret", &format!("arn:aws:iam::{ACCT}:user/Ret")))
        .principal(Principal::new("Kim", &format!("arn:aws:iam::{OTHER}:user/Kim")))
        .principal(Principal::new("Admin", &format!("arn:aws:iam::{ACCT}:user/Admin")).iam(&iam_allow(r#""kms:RetireGrant""#)))
        .grant(grant("K", &bob_arn, &["Decrypt"]).retiring(&format!("arn:aws:iam::{ACCT}:user/Ret")))
        .build();
    allows!(w, "Ret", "kms:RetireGrant", "K");
    implicit_deny!(w, "Bob", "kms:RetireGrant", "K");
    implicit_deny!(w, "Kim", "kms:RetireGrant", "K");
    // The issuing account may retire through its IAM policies.
    allows!(w, "Admin", "kms:RetireGrant", "K");
    let (_, _, why) = w.decide("Kim", "kms:RetireGrant", "K", &[]);
    assert!(
        why.iter()
            .any(|l| l.contains("not effective in a key policy")),
        "{why:?}"
    );
}

#[test]
fn rule_19_a_grantee_with_retire_grant_may_retire_and_iam_denies_still_apply() {
    let bob_arn = format!("arn:aws:iam::{ACCT}:user/Bob");
    let deny = policy(r#"{"Effect": "Deny", "Action": "kms:RetireGrant", "Resource": "*"}"#);
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob())
        .principal(Principal::new("Ret", &format!("arn:aws:iam::{ACCT}:user/Ret")).iam(&deny))
        .grant(
            grant("K", &bob_arn, &["Decrypt", "RetireGrant"])
                .retiring(&format!("arn:aws:iam::{ACCT}:user/Ret")),
        )
        .build();
    allows!(w, "Bob", "kms:RetireGrant", "K");
    explicit_deny!(w, "Ret", "kms:RetireGrant", "K");
}

#[test]
fn rule_20_list_and_revoke_grants_come_only_from_policies() {
    let bob_arn = format!("arn:aws:iam::{ACCT}:user/Bob");
    let w = World::new()
        .kp(&kp_for(&bob_arn, r#""kms:RevokeGrant""#))
        .principal(bob())
        .grant(grant(
            "K",
            &bob_arn,
            &["Decrypt", "CreateGrant", "RetireGrant"],
        ))
        .build();
    allows!(w, "Bob", "kms:RevokeGrant", "K");
    implicit_deny!(w, "Bob", "kms:ListGrants", "K");
}

#[test]
fn doubt_k_boundary_session_policy_scp_and_rcp_bound_grant_use() {
    let bob_arn = format!("arn:aws:iam::{ACCT}:user/Bob");
    let s3_only = iam_allow(r#""s3:*""#);
    let base = |p: Principal| {
        World::new()
            .kp(&policy(r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Admin"}, "Action": "kms:*", "Resource": "*"}"#))
            .principal(p)
            .grant(grant("K", &bob_arn, &["Decrypt"]))
    };
    implicit_deny!(
        base(bob().boundary(&s3_only)).build(),
        "Bob",
        "kms:Decrypt",
        "K"
    );
    implicit_deny!(
        base(bob().session_policy(&s3_only)).build(),
        "Bob",
        "kms:Decrypt",
        "K"
    );
    implicit_deny!(
        base(bob()).scp(ACCT, &[&s3_only]).build(),
        "Bob",
        "kms:Decrypt",
        "K"
    );
    implicit_deny!(
        base(bob()).rcp(ACCT, &[&s3_only]).build(),
        "Bob",
        "kms:Decrypt",
        "K"
    );
    allows!(
        base(bob()).scp(ACCT, &[&iam_allow(r#""*""#)]).build(),
        "Bob",
        "kms:Decrypt",
        "K"
    );
}

#[test]
fn doubt_k_every_scp_level_must_allow_and_one_policy_per_level_suffices() {
    let all = iam_allow(r#""*""#);
    let s3 = iam_allow(r#""s3:*""#);
    let kms = iam_allow(r#""kms:*""#);
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&all))
        .scp(ACCT, &[&all])
        .scp(ACCT, &[&s3, &kms])
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(bob().iam(&all))
        .scp(ACCT, &[&all])
        .scp(ACCT, &[&s3])
        .build();
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    let (_, _, why) = w.decide("Bob", "kms:Decrypt", "K", &[]);
    assert!(
        why.iter().any(|l| l.contains("no SCP at level 1")),
        "{why:?}"
    );
}
