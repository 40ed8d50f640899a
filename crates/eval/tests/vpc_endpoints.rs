//! VPC endpoint policies (docs/evaluation.md, "VPC endpoint policies"; KMS
//! guide, "Connect to AWS KMS through a VPC endpoint" and "Controlling
//! access to a VPC endpoint"): a request through an interface endpoint
//! (`aws:SourceVpce`) must also be allowed by the endpoint's policy; a Deny
//! there is an explicit deny, no Allow an implicit deny, and the default
//! endpoint policy allows everything.

mod common;

use common::*;
use keyward_eval::{Decision, Reason, SourceKind};

const VPCE: &str = "vpce-0a1b2c3d4e5f";

/// The endpoint lets account callers decrypt and describe, and never lets
/// anyone schedule a key's deletion.
fn endpoint_policy() -> String {
    policy(
        r#"{"Sid": "DecryptOnly", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"},
           {"Sid": "NoDeletion", "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}"#,
    )
}

fn world() -> Built {
    World::new()
        .kp(&default_kp(ACCT))
        .user("Bob", &[&iam_allow(r#""kms:*""#)])
        .endpoint(VPCE, &endpoint_policy())
        .build()
}

const THROUGH: [(&str, &str); 1] = [("aws:SourceVpce", VPCE)];

#[test]
fn a_request_through_the_endpoint_needs_the_endpoint_policy_too() {
    let w = world();
    allows!(w, "Bob", "kms:Decrypt", "K", &THROUGH);
    let (d, _, why) = w.decide("Bob", "kms:Encrypt", "K", &THROUGH);
    assert_eq!(d, Decision::ImplicitDeny);
    assert_eq!(
        why[0],
        format!("the policy of VPC endpoint `{VPCE}` does not allow the action"),
        "{why:#?}"
    );
}

#[test]
fn the_nearest_endpoint_statement_is_named() {
    let endpoint = policy(
        r#"{"Sid": "WebTeam", "Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "web"}}}"#,
    );
    let w = World::new()
        .kp(&default_kp(ACCT))
        .user("Bob", &[&iam_allow(r#""kms:*""#)])
        .endpoint(VPCE, &endpoint)
        .build();
    let (d, _, why) = w.decide("Bob", "kms:Decrypt", "K", &THROUGH);
    assert_eq!(d, Decision::ImplicitDeny);
    assert_eq!(
        why[0],
        format!("the policy of VPC endpoint `{VPCE}` does not allow the action: statement `WebTeam` covers it, but its condition `aws:PrincipalTag/team` does not hold")
    );
}

#[test]
fn an_endpoint_deny_is_an_explicit_deny() {
    let w = world();
    explicit_deny!(w, "Bob", "kms:ScheduleKeyDeletion", "K", &THROUGH);
    let req = request(&w.auth, "Bob", "kms:ScheduleKeyDeletion", "K", &THROUGH);
    let answer = w.auth.decide(&req);
    let deciding: Vec<_> = answer.explanation().deciding().collect();
    assert_eq!(deciding.len(), 1);
    assert_eq!(deciding[0].kind(), SourceKind::VpcEndpoint);
    assert_eq!(deciding[0].sid(), Some("NoDeletion"));
}

#[test]
fn an_allow_names_the_endpoint_statement_that_let_it_through() {
    let w = world();
    let req = request(&w.auth, "Bob", "kms:Decrypt", "K", &THROUGH);
    let answer = w.auth.decide(&req);
    assert!(answer
        .explanation()
        .deciding()
        .any(|s| s.kind() == SourceKind::VpcEndpoint && s.sid() == Some("DecryptOnly")));
}

#[test]
fn the_endpoint_policy_applies_only_to_requests_through_it() {
    let w = world();
    // Not through an endpoint, or through one with the default policy.
    allows!(w, "Bob", "kms:Encrypt", "K");
    allows!(w, "Bob", "kms:ScheduleKeyDeletion", "K");
    allows!(
        w,
        "Bob",
        "kms:Encrypt",
        "K",
        &[("aws:SourceVpce", "vpce-99999999")]
    );
}

#[test]
fn the_endpoint_policy_bounds_grants_and_key_policy_allows_alike() {
    let w = World::new()
        .kp(&policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:*", "Resource": "*"}"#,
        ))
        .user("Bob", &[])
        .user("Gina", &[])
        .grant(grant("K", "arn:aws:iam::111122223333:user/Gina", &["Encrypt"]))
        .endpoint(VPCE, &endpoint_policy())
        .build();
    implicit_deny!(w, "Bob", "kms:Encrypt", "K", &THROUGH);
    implicit_deny!(w, "Gina", "kms:Encrypt", "K", &THROUGH);
    allows!(w, "Gina", "kms:Encrypt", "K");
}

#[test]
fn an_implicit_deny_lists_the_endpoint_policy_among_those_consulted() {
    let w = world();
    let req = request(&w.auth, "Bob", "kms:Encrypt", "K", &THROUGH);
    let answer = w.auth.decide(&req);
    let reasons = answer.explanation().reasons();
    let consulted = reasons
        .iter()
        .find_map(|r| match r {
            Reason::Consulted(c) => Some(c.to_string()),
            _ => None,
        })
        .unwrap();
    assert!(
        consulted.ends_with(&format!("VPC endpoint policy `{VPCE} endpoint policy`")),
        "{consulted}"
    );
    let help = reasons[0].help().unwrap().to_string();
    assert_eq!(
        help,
        format!("allow `kms:Encrypt` on this key in the endpoint policy of `{VPCE}`, or call KMS through another endpoint")
    );
}

#[test]
fn endpoints_are_named_by_their_ids_once() {
    let mut b = keyward_eval::Authorizer::builder();
    let e = b
        .add_vpc_endpoint("vpc-0a1b", doc("p", &endpoint_policy()))
        .unwrap_err();
    assert_eq!(e.message, "`vpc-0a1b` is not a VPC endpoint id");
    b.add_vpc_endpoint(VPCE, doc("p", &endpoint_policy()))
        .unwrap();
    let e = b
        .add_vpc_endpoint(VPCE, doc("p", &endpoint_policy()))
        .unwrap_err();
    assert_eq!(
        e.message,
        format!("the VPC endpoint `{VPCE}` is given twice")
    );
}
