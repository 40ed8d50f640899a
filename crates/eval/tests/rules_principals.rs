//! Spec section C: principal matching (rules 21–27).

mod common;

use common::*;

fn kp_naming(principal: &str) -> String {
    policy(&format!(
        r#"{{"Sid": "Named", "Effect": "Allow", "Principal": {principal}, "Action": "kms:Decrypt", "Resource": "*"}}"#
    ))
}

#[test]
fn rule_21_user_arns_match_exactly_and_case_sensitively() {
    let w = World::new()
        .kp(&kp_naming(
            r#"{"AWS": "arn:aws:iam::111122223333:user/Bob"}"#,
        ))
        .principal(Principal::new("bob", "arn:aws:iam::111122223333:user/bob"))
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .principal(Principal::new(
            "Bobby",
            "arn:aws:iam::111122223333:user/Bobby",
        ))
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    implicit_deny!(w, "bob", "kms:Decrypt", "K");
    implicit_deny!(w, "Bobby", "kms:Decrypt", "K");
}

#[test]
fn rule_21_a_wildcard_inside_a_principal_arn_is_refused_before_evaluation() {
    let text = policy(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/*"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let diags = keyward_policy::parse_policy(&text).unwrap_err();
    assert!(
        diags
            .iter()
            .any(|d| d.message.contains("wildcard inside a principal")),
        "{diags:?}"
    );
}

#[test]
fn rule_22_a_role_arn_matches_its_sessions_whatever_the_path() {
    let w = World::new()
        .kp(&kp_naming(
            r#"{"AWS": "arn:aws:iam::111122223333:role/team/App"}"#,
        ))
        .principal(Principal::new(
            "s1",
            "arn:aws:sts::111122223333:assumed-role/App/s1",
        ))
        .principal(Principal::new(
            "s2",
            "arn:aws:sts::111122223333:assumed-role/App/other",
        ))
        .principal(Principal::new(
            "x",
            "arn:aws:sts::111122223333:assumed-role/AppX/s1",
        ))
        .principal(Principal::new(
            "y",
            "arn:aws:sts::444455556666:assumed-role/App/s1",
        ))
        .build();
    allows!(w, "s1", "kms:Decrypt", "K");
    allows!(w, "s2", "kms:Decrypt", "K");
    implicit_deny!(w, "x", "kms:Decrypt", "K");
    implicit_deny!(w, "y", "kms:Decrypt", "K");
}

#[test]
fn rule_22_a_session_arn_matches_only_that_session() {
    let w = World::new()
        .kp(&kp_naming(
            r#"{"AWS": "arn:aws:sts::111122223333:assumed-role/App/s1"}"#,
        ))
        .principal(Principal::new(
            "s1",
            "arn:aws:sts::111122223333:assumed-role/App/s1",
        ))
        .principal(Principal::new(
            "s2",
            "arn:aws:sts::111122223333:assumed-role/App/s2",
        ))
        .principal(Principal::new("role", "arn:aws:iam::111122223333:role/App"))
        .build();
    allows!(w, "s1", "kms:Decrypt", "K");
    implicit_deny!(w, "s2", "kms:Decrypt", "K");
    implicit_deny!(w, "role", "kms:Decrypt", "K");
}

#[test]
fn rule_22_aws_principal_arn_of_a_session_is_the_role_arn() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/App"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new(
            "s1",
            "arn:aws:sts::111122223333:assumed-role/App/s1",
        ))
        .principal(Principal::new(
            "other",
            "arn:aws:sts::111122223333:assumed-role/Other/s1",
        ))
        .build();
    allows!(w, "s1", "kms:Decrypt", "K");
    implicit_deny!(w, "other", "kms:Decrypt", "K");
}

#[test]
fn rule_23_account_arn_and_bare_id_behave_the_same() {
    for principal in [
        r#"{"AWS": "111122223333"}"#,
        r#"{"AWS": "arn:aws:iam::111122223333:root"}"#,
    ] {
        let w = World::new()
            .kp(&kp_naming(principal))
            .principal(
                Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob")
                    .iam(&iam_allow(r#""kms:Decrypt""#)),
            )
            .principal(Principal::new("Ann", "arn:aws:iam::111122223333:user/Ann"))
            .principal(Principal::new("root", "111122223333"))
            .build();
        allows!(w, "Bob", "kms:Decrypt", "K");
        implicit_deny!(w, "Ann", "kms:Decrypt", "K");
        allows!(w, "root", "kms:Decrypt", "K");
    }
}

#[test]
fn rule_24_service_principals_call_for_themselves() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::service("cloudtrail.amazonaws.com"))
        .principal(Principal::service("s3.amazonaws.com"))
        .principal(
            Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob")
                .iam(&iam_allow(r#""kms:*""#)),
        )
        .build();
    allows!(
        w,
        "cloudtrail.amazonaws.com",
        "kms:GenerateDataKey",
        "K",
        &[("aws:SourceAccount", "111122223333")]
    );
    implicit_deny!(
        w,
        "cloudtrail.amazonaws.com",
        "kms:GenerateDataKey",
        "K",
        &[("aws:SourceAccount", "999999999999")]
    );
    implicit_deny!(w, "cloudtrail.amazonaws.com", "kms:Decrypt", "K");
    implicit_deny!(w, "s3.amazonaws.com", "kms:GenerateDataKey", "K");
    implicit_deny!(
        w,
        "Bob",
        "kms:GenerateDataKey",
        "K",
        &[("aws:SourceAccount", "111122223333")]
    );
}

#[test]
fn rule_25_a_unique_id_matches_only_the_principal_known_to_have_it() {
    let w = World::new()
        .kp(&kp_naming(r#"{"AWS": "AIDAEXAMPLEID12345678"}"#))
        .principal(
            Principal::new("Old", "arn:aws:iam::111122223333:user/Bob")
                .user_id("AIDAEXAMPLEID12345678"),
        )
        .principal(
            Principal::new("New", "arn:aws:iam::111122223333:user/Bob")
                .user_id("AIDANEWEXAMPLE1234567"),
        )
        .build();
    allows!(w, "Old", "kms:Decrypt", "K");
    implicit_deny!(w, "New", "kms:Decrypt", "K");
}

#[test]
fn rule_26_not_principal_deny_exempts_only_fully_listed_callers() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
           {"Sid": "OnlyBob", "Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:root"]}, "Action": "kms:*", "Resource": "*"},
           {"Sid": "OnlyApp", "Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/App", "arn:aws:iam::111122223333:root"]}, "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .principal(Principal::new("Ann", "arn:aws:iam::111122223333:user/Ann"))
        .principal(Principal::new(
            "session",
            "arn:aws:sts::111122223333:assumed-role/App/s1",
        ))
        .build();
    allows!(w, "Bob", "kms:Decrypt", "K");
    explicit_deny!(w, "Ann", "kms:Decrypt", "K");
    // The session ARN is not listed: the safer reading applies the deny.
    explicit_deny!(w, "session", "kms:Decrypt", "K");
}

#[test]
fn rule_26_not_principal_needs_the_account_listed_too() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
           {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:*", "Resource": "*"}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .build();
    explicit_deny!(w, "Bob", "kms:Decrypt", "K");
}

#[test]
fn rule_26_not_principal_allow_excludes_any_listed_layer() {
    let kp = policy(
        r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .principal(Principal::new("Ann", "arn:aws:iam::111122223333:user/Ann"))
        .build();
    implicit_deny!(w, "Bob", "kms:Decrypt", "K");
    allows!(w, "Ann", "kms:Decrypt", "K");
}

#[test]
fn rule_27_groups_are_not_principals() {
    let text = kp_naming(r#"{"AWS": "arn:aws:iam::111122223333:group/Devs"}"#);
    assert!(keyward_policy::parse_policy(&text).is_err());
    assert!(keyward_eval::Caller::from_arn("arn:aws:iam::111122223333:group/Devs").is_err());
}

#[test]
fn rule_27_federated_and_canonical_user_principals_never_match_a_kms_caller() {
    let w = World::new()
        .kp(&kp_naming(r#"{"Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#))
        .principal(Principal::new("F", "arn:aws:sts::111122223333:federated-user/Bob").session_policy(&iam_allow(r#""kms:*""#)))
        .build();
    implicit_deny!(w, "F", "kms:Decrypt", "K");
}

#[test]
fn doubt_k7_a_federated_user_needs_a_session_policy_for_identity_permissions() {
    let w = World::new()
        .kp(&default_kp(ACCT))
        .principal(
            Principal::new("F", "arn:aws:sts::111122223333:federated-user/Bob")
                .iam(&iam_allow(r#""kms:*""#)),
        )
        .principal(
            Principal::new("G", "arn:aws:sts::111122223333:federated-user/Gil")
                .iam(&iam_allow(r#""kms:*""#))
                .session_policy(&iam_allow(r#""kms:Decrypt""#)),
        )
        .build();
    implicit_deny!(w, "F", "kms:Decrypt", "K");
    allows!(w, "G", "kms:Decrypt", "K");
    implicit_deny!(w, "G", "kms:Encrypt", "K");
}

#[test]
fn rule_23_a_deny_naming_the_account_applies_to_all_its_principals() {
    let kp = policy(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
           {"Effect": "Deny", "Principal": {"AWS": "444455556666"}, "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    let w = World::new()
        .kp(&kp)
        .principal(
            Principal::new("Dan", "arn:aws:iam::444455556666:user/Dan")
                .iam(&iam_allow(r#""kms:Decrypt""#)),
        )
        .principal(Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"))
        .build();
    explicit_deny!(w, "Dan", "kms:Decrypt", "K");
    allows!(w, "Bob", "kms:Decrypt", "K");
}

/// "SCPs don't affect service-linked roles" (AWS Organizations User Guide,
/// "Service control policies (SCPs)", "Tasks and entities not restricted by
/// SCPs"). A service-linked role has the path `/aws-service-role/`; another
/// role of the same account, with the same permissions, stays bound by the
/// account's SCPs.
#[test]
fn service_linked_roles_are_not_bound_by_scps() {
    let named = r#"{"AWS": ["arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", "arn:aws:iam::111122223333:role/AWSServiceRoleForAutoScaling"]}"#;
    let w = World::new()
        .kp(&kp_naming(named))
        .principal(Principal::new(
            "linked",
            "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        ))
        .principal(Principal::new(
            "lookalike",
            "arn:aws:iam::111122223333:role/AWSServiceRoleForAutoScaling",
        ))
        .scp("111122223333", &[&iam_allow(r#""s3:*""#)])
        .build();
    allows!(w, "linked", "kms:Decrypt", "K");
    implicit_deny!(w, "lookalike", "kms:Decrypt", "K");
}
