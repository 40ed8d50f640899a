//! The reference against the spec's own examples: the seed matrix and one
//! case per rule it covers. These keep the reference honest on its own,
//! before it is used to judge the engine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use keyward_policy::{parse_policy, Policy};

use super::*;

const ACCT: &str = "123412341234";
const OTHER: &str = "444455556666";

fn policy(statements: &str) -> Policy {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
    parse_policy(&text).unwrap_or_else(|d| panic!("{text}: {d:#?}"))
}

fn key_arn(account: &str, id: &str) -> String {
    format!("arn:aws:kms:us-east-1:{account}:key/{id}")
}

fn user(account: &str, name: &str) -> Caller {
    Caller::parse(&format!("arn:aws:iam::{account}:user/{name}")).unwrap()
}

fn allow_stmt(principal: &str, action: &str) -> String {
    format!(r#"{{"Effect":"Allow","Principal":{principal},"Action":"{action}","Resource":"*"}}"#)
}

fn deny_stmt(principal: &str, action: &str) -> String {
    format!(r#"{{"Effect":"Deny","Principal":{principal},"Action":"{action}","Resource":"*"}}"#)
}

fn iam(action: &str, resource: &str) -> Policy {
    policy(&format!(
        r#"{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}"#
    ))
}

/// The reference's answer, after checking that the fast engine agrees.
fn both(world: &World, req: &Request) -> Answer {
    let expected = decide(world, req);
    let fast = Fast::build(world).unwrap();
    let got = fast.decide(req).unwrap();
    assert_eq!(
        got,
        expected,
        "engine disagrees on {req:?}: {:#?}",
        fast.explain(req)
    );
    expected
}

fn answer(world: &World, principal: usize, action: &str, key: usize) -> Answer {
    both(world, &Request::new(principal, action, key))
}

fn decision(world: &World, principal: usize, action: &str, key: usize) -> Decision {
    answer(world, principal, action, key).decision
}

use Decision::{Allow, ExplicitDeny, ImplicitDeny};

/// `shared/spec/seed-matrix.md`.
#[test]
fn the_seed_matrix() {
    let root = format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:root"}}"#);
    let aws = |name: &str| format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:user/{name}"}}"#);
    let a = Key::new(
        "CMK-A",
        &key_arn(ACCT, "a"),
        policy(&allow_stmt(&root, "kms:*")),
    );
    let b = Key::new(
        "CMK-B",
        &key_arn(ACCT, "b"),
        policy(&format!(
            "{},{}",
            allow_stmt(&aws("Bob"), "kms:*"),
            allow_stmt(&aws("Charlie"), "kms:*")
        )),
    );
    let c = Key::new(
        "CMK-C",
        &key_arn(ACCT, "c"),
        policy(
            &[
                allow_stmt(&root, "kms:*"),
                deny_stmt(&aws("Bob"), "kms:*"),
                deny_stmt(&aws("Charlie"), "kms:*"),
                deny_stmt(&aws("David"), "kms:*"),
                allow_stmt(&aws("Alice"), "kms:*"),
            ]
            .join(","),
        ),
    );
    let mut alice = Principal::new("Alice", user(ACCT, "Alice"));
    alice.policies = vec![
        iam("kms:*", &key_arn(ACCT, "a")),
        iam("kms:*", &key_arn(ACCT, "b")),
    ];
    let bob = Principal::new("Bob", user(ACCT, "Bob"));
    let mut charlie = Principal::new("Charlie", user(ACCT, "Charlie"));
    charlie.policies = vec![iam("kms:Encrypt", &key_arn(ACCT, "a"))];
    let mut david = Principal::new("David", user(ACCT, "David"));
    david.policies = vec![
        iam("kms:*", &key_arn(ACCT, "b")),
        iam("kms:*", &key_arn(ACCT, "c")),
    ];
    let world = World {
        keys: vec![a, b, c],
        principals: vec![alice, bob, charlie, david],
        ..World::default()
    };
    let expected = [
        [Allow, ImplicitDeny, Allow],
        [ImplicitDeny, Allow, ExplicitDeny],
        [ImplicitDeny, Allow, ExplicitDeny],
        [ImplicitDeny, ImplicitDeny, ExplicitDeny],
    ];
    for (p, row) in expected.iter().enumerate() {
        for (k, want) in row.iter().enumerate() {
            assert_eq!(
                decision(&world, p, "kms:Decrypt", k),
                *want,
                "principal {p} key {k}"
            );
        }
    }
    // Charlie: Encrypt on CMK-A only.
    assert_eq!(decision(&world, 2, "kms:Encrypt", 0), Allow);
}

fn one_key_world(key_policy: &str, callers: Vec<Principal>) -> World {
    World {
        keys: vec![Key::new("K", &key_arn(ACCT, "k"), policy(key_policy))],
        principals: callers,
        ..World::default()
    }
}

/// Rules 4, 5, 8: delegation per action, the root user, cross-account.
#[test]
fn delegation_root_and_cross_account() {
    let root_p = format!(r#"{{"AWS":"{ACCT}"}}"#);
    let other_p = format!(r#"{{"AWS":"arn:aws:iam::{OTHER}:root"}}"#);
    let kp = format!(
        "{},{}",
        allow_stmt(&root_p, "kms:Describe*"),
        allow_stmt(&other_p, "kms:Decrypt")
    );
    let mut local = Principal::new("local", user(ACCT, "u"));
    local.policies = vec![iam("kms:*", "*")];
    let mut remote = Principal::new("remote", user(OTHER, "r"));
    remote.policies = vec![iam("kms:Decrypt", &key_arn(ACCT, "k"))];
    let remote_no_iam = Principal::new("remote2", user(OTHER, "r2"));
    let root = Principal::new("root", Caller::parse(ACCT).unwrap());
    let other_root = Principal::new(
        "oroot",
        Caller::parse(&format!("arn:aws:iam::{OTHER}:root")).unwrap(),
    );
    let world = one_key_world(&kp, vec![local, remote, remote_no_iam, root, other_root]);
    assert_eq!(decision(&world, 0, "kms:DescribeKey", 0), Allow);
    assert_eq!(
        decision(&world, 0, "kms:Decrypt", 0),
        ImplicitDeny,
        "not delegated"
    );
    assert_eq!(decision(&world, 1, "kms:Decrypt", 0), Allow);
    assert_eq!(
        decision(&world, 2, "kms:Decrypt", 0),
        ImplicitDeny,
        "needs its own IAM allow"
    );
    assert_eq!(
        decision(&world, 3, "kms:DescribeKey", 0),
        Allow,
        "root user"
    );
    assert_eq!(decision(&world, 3, "kms:Decrypt", 0), ImplicitDeny);
    assert_eq!(
        decision(&world, 4, "kms:Decrypt", 0),
        Allow,
        "other account's root"
    );
}

/// Rules 6, 22: roles vs sessions, and the boundary on role-named access.
#[test]
fn roles_sessions_and_boundaries() {
    let role = format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:role/ops/App"}}"#);
    let session = format!(r#"{{"AWS":"arn:aws:sts::{ACCT}:assumed-role/Web/s1"}}"#);
    let bob = format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:user/Bob"}}"#);
    let kp = [
        allow_stmt(&role, "kms:Decrypt"),
        allow_stmt(&session, "kms:Decrypt"),
        allow_stmt(&bob, "kms:Decrypt"),
    ]
    .join(",");
    let app_session =
        |s: &str| Caller::parse(&format!("arn:aws:sts::{ACCT}:assumed-role/App/{s}")).unwrap();
    let mut bounded_app = Principal::new("app", app_session("x"));
    bounded_app.boundary = Some(iam("kms:Encrypt", "*"));
    let mut bounded_bob = Principal::new("bob", user(ACCT, "Bob"));
    bounded_bob.boundary = Some(iam("kms:Encrypt", "*"));
    let web = |s: &str| {
        Principal::new(
            "web",
            Caller::parse(&format!("arn:aws:sts::{ACCT}:assumed-role/Web/{s}")).unwrap(),
        )
    };
    let world = one_key_world(
        &kp,
        vec![
            Principal::new("app", app_session("y")),
            bounded_app,
            bounded_bob,
            web("s1"),
            web("s2"),
        ],
    );
    assert_eq!(
        decision(&world, 0, "kms:Decrypt", 0),
        Allow,
        "role ARN matches its sessions"
    );
    assert_eq!(
        decision(&world, 1, "kms:Decrypt", 0),
        ImplicitDeny,
        "bounded by the boundary"
    );
    assert_eq!(
        decision(&world, 2, "kms:Decrypt", 0),
        Allow,
        "a named user is not bounded"
    );
    assert_eq!(decision(&world, 3, "kms:Decrypt", 0), Allow);
    assert_eq!(
        decision(&world, 4, "kms:Decrypt", 0),
        ImplicitDeny,
        "another session"
    );
}

/// Rule 26: the documented NotPrincipal example.
#[test]
fn not_principal_needs_the_account_listed_too() {
    let deny_all_but = |listed: &str| {
        format!(
            r#"{},{{"Effect":"Deny","NotPrincipal":{{"AWS":{listed}}},"Action":"kms:*","Resource":"*"}}"#,
            allow_stmt(r#""*""#, "kms:*")
        )
    };
    let bob = format!("arn:aws:iam::{OTHER}:user/Bob");
    let world = |listed: &str| {
        one_key_world(
            &deny_all_but(listed),
            vec![
                Principal::new("bob", user(OTHER, "Bob")),
                Principal::new("eve", user(OTHER, "Eve")),
            ],
        )
    };
    let both = world(&format!(r#"["{bob}","arn:aws:iam::{OTHER}:root"]"#));
    assert_ne!(decision(&both, 0, "kms:Decrypt", 0), ExplicitDeny);
    assert_eq!(decision(&both, 1, "kms:Decrypt", 0), ExplicitDeny);
    let bob_only = world(&format!(r#""{bob}""#));
    assert_eq!(decision(&bob_only, 0, "kms:Decrypt", 0), ExplicitDeny);
}

/// Rules 12–17: grants, constraints, and deny over grants.
#[test]
fn grants_constraints_and_deny() {
    let bob = format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:user/Bob"}}"#);
    let mut world = one_key_world(
        &deny_stmt(&bob, "kms:Encrypt"),
        vec![
            Principal::new("alice", user(ACCT, "Alice")),
            Principal::new("bob", user(ACCT, "Bob")),
        ],
    );
    let grant = |who: &str, ops: &[&str], c: Option<Constraint>| Grant {
        key: 0,
        grantee: format!("arn:aws:iam::{ACCT}:user/{who}"),
        operations: ops.iter().map(|s| s.to_string()).collect(),
        constraints: c,
        retiring_principal: None,
        issuing_account: None,
    };
    world.grants = vec![
        grant(
            "Alice",
            &["Decrypt", "DescribeKey"],
            Some(Constraint::Equals(vec![("app".into(), "web".into())])),
        ),
        grant("Bob", &["Encrypt"], None),
    ];
    let with_ec = |ec: &[(&str, &str)]| {
        let mut r = Request::new(0, "kms:Decrypt", 0);
        r.encryption_context = ec
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        both(&world, &r).decision
    };
    assert_eq!(with_ec(&[("app", "web")]), Allow);
    assert_eq!(
        with_ec(&[("app", "Web")]),
        ImplicitDeny,
        "values are case-sensitive"
    );
    assert_eq!(
        with_ec(&[("App", "web")]),
        ImplicitDeny,
        "keys are case-sensitive"
    );
    assert_eq!(
        with_ec(&[("app", "web"), ("x", "y")]),
        ImplicitDeny,
        "Equals means exactly"
    );
    assert_eq!(
        decision(&world, 0, "kms:DescribeKey", 0),
        Allow,
        "constraints ignored"
    );
    assert_eq!(decision(&world, 0, "kms:Encrypt", 0), ImplicitDeny);
    assert_eq!(
        decision(&world, 1, "kms:Encrypt", 0),
        ExplicitDeny,
        "deny beats the grant"
    );
}

/// Section K: SCPs and RCPs bound every allow; denies in them win.
#[test]
fn organization_policies() {
    let kp = allow_stmt(
        &format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:user/Bob"}}"#),
        "kms:*",
    );
    let mut world = one_key_world(&kp, vec![Principal::new("bob", user(ACCT, "Bob"))]);
    world.scps = vec![(ACCT.into(), vec![vec![iam("kms:Decrypt", "*")]])];
    assert_eq!(decision(&world, 0, "kms:Decrypt", 0), Allow);
    assert_eq!(
        decision(&world, 0, "kms:Encrypt", 0),
        ImplicitDeny,
        "SCP does not allow"
    );
    world.rcps = vec![(
        ACCT.into(),
        vec![vec![
            policy(&deny_stmt(r#""*""#, "kms:Decrypt")),
            policy(&allow_stmt(r#""*""#, "*")),
        ]],
    )];
    assert_eq!(decision(&world, 0, "kms:Decrypt", 0), ExplicitDeny);
}

/// Rules 29, 32: state and Region turn an Allow into an error, never a deny.
#[test]
fn key_state_and_region() {
    let kp = allow_stmt(
        &format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:user/Bob"}}"#),
        "kms:Decrypt",
    );
    let mut world = one_key_world(&kp, vec![Principal::new("bob", user(ACCT, "Bob"))]);
    world.keys[0].state = KeyState::Disabled;
    assert_eq!(
        answer(&world, 0, "kms:Decrypt", 0),
        Answer {
            decision: Allow,
            error: Some(KmsError::Disabled)
        }
    );
    assert_eq!(
        answer(&world, 0, "kms:Encrypt", 0),
        Answer {
            decision: ImplicitDeny,
            error: None
        }
    );
    world.keys[0].state = KeyState::Enabled;
    let mut r = Request::new(0, "kms:Decrypt", 0);
    r.region = Some("eu-west-1".into());
    assert_eq!(
        both(&world, &r),
        Answer {
            decision: Allow,
            error: Some(KmsError::NotFound)
        }
    );
}

/// Rules 43, 45, 48: missing keys, set qualifiers, variables with defaults.
#[test]
fn conditions_on_missing_keys_and_variables() {
    let cond = |c: &str| {
        format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{c}}}"#
        )
    };
    let case = |c: &str, ec: &[(&str, &str)]| {
        let world = one_key_world(&cond(c), vec![Principal::new("bob", user(ACCT, "Bob"))]);
        let mut r = Request::new(0, "kms:Decrypt", 0);
        r.encryption_context = ec
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        both(&world, &r).decision
    };
    let all_a = r#"{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":"a"}}"#;
    assert_eq!(case(all_a, &[]), Allow, "ForAllValues is true when missing");
    assert_eq!(case(all_a, &[("a", "1"), ("b", "2")]), ImplicitDeny);
    let any_a = r#"{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"a"}}"#;
    assert_eq!(
        case(any_a, &[]),
        ImplicitDeny,
        "ForAnyValue is false when missing"
    );
    assert_eq!(case(any_a, &[("b", "2"), ("a", "1")]), Allow);
    let not_eq = r#"{"StringNotEquals":{"kms:EncryptionContext:dept":"hr"}}"#;
    assert_eq!(
        case(not_eq, &[]),
        Allow,
        "negated operators hold on a missing key"
    );
    assert_eq!(
        case(not_eq, &[("Dept", "hr")]),
        ImplicitDeny,
        "context keys are case-insensitive"
    );
    let if_exists = r#"{"StringEqualsIfExists":{"kms:EncryptionContext:dept":"hr"}}"#;
    assert_eq!(case(if_exists, &[]), Allow);
    assert_eq!(case(if_exists, &[("dept", "it")]), ImplicitDeny);
    let null = r#"{"Null":{"kms:EncryptionContextKeys":"false"}}"#;
    assert_eq!(case(null, &[]), ImplicitDeny);
    let var = r#"{"StringEquals":{"kms:EncryptionContext:owner":"${aws:username}"}}"#;
    assert_eq!(case(var, &[("owner", "Bob")]), Allow);
    assert_eq!(case(var, &[("owner", "bob")]), ImplicitDeny);
    let default =
        r#"{"StringLike":{"kms:EncryptionContext:team":"${aws:PrincipalTag/team, 'none'}*"}}"#;
    assert_eq!(case(default, &[("team", "none-x")]), Allow);
    let unparsable = r#"{"NumericLessThan":{"kms:EncryptionContext:n":"5"}}"#;
    assert_eq!(case(unparsable, &[("n", "4")]), Allow);
    assert_eq!(
        case(unparsable, &[("n", "four")]),
        ImplicitDeny,
        "cannot evaluate: no allow"
    );
}

/// A Deny whose condition cannot be evaluated applies (fail closed).
#[test]
fn unevaluable_deny_applies() {
    let kp = format!(
        r#"{},{{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{{"IpAddress":{{"aws:SourceIp":"10.0.0.0/8"}}}}}}"#,
        allow_stmt(r#""*""#, "kms:*")
    );
    let world = one_key_world(&kp, vec![Principal::new("bob", user(ACCT, "Bob"))]);
    let mut r = Request::new(0, "kms:Decrypt", 0);
    r.context = vec![("aws:SourceIp".into(), Value::One("not an ip".into()))];
    assert_eq!(both(&world, &r).decision, ExplicitDeny);
    r.context = vec![("aws:SourceIp".into(), Value::One("192.0.2.1".into()))];
    assert_eq!(both(&world, &r).decision, Allow);
}

/// Rule 19: RetireGrant comes from the grant, never from the key policy.
#[test]
fn retiring_grants() {
    let kp = allow_stmt(
        &format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:user/Bob"}}"#),
        "kms:*",
    );
    let mut world = one_key_world(
        &kp,
        vec![
            Principal::new("bob", user(ACCT, "Bob")),
            Principal::new("ret", user(OTHER, "Ret")),
        ],
    );
    assert_eq!(decision(&world, 0, "kms:RetireGrant", 0), ImplicitDeny);
    world.grants = vec![Grant {
        key: 0,
        grantee: format!("arn:aws:iam::{OTHER}:user/Someone"),
        operations: vec!["Decrypt".into()],
        constraints: None,
        retiring_principal: Some(format!("arn:aws:iam::{OTHER}:user/Ret")),
        issuing_account: None,
    }];
    assert_eq!(decision(&world, 1, "kms:RetireGrant", 0), Allow);
}

/// Corners the generators reach rarely, checked on both engines: escapes
/// stay literal, negated operators need every request value to miss, a
/// session's `aws:PrincipalArn` is its role's.
#[test]
fn condition_corners_on_both_engines() {
    let case = |caller: &str, tags: &[(&str, &str)], c: &str, ec: &[(&str, &str)]| {
        let mut p = Principal::new("p", Caller::parse(caller).unwrap());
        p.tags = tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let kp = format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{c}}}"#
        );
        let world = one_key_world(&kp, vec![p]);
        let mut r = Request::new(0, "kms:Decrypt", 0);
        r.encryption_context = ec
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        both(&world, &r).decision
    };
    let alice = "arn:aws:iam::123412341234:user/alice";
    let escaped = r#"{"StringLike":{"aws:PrincipalTag/team":"w${*}"}}"#;
    assert_eq!(
        case(alice, &[("team", "web")], escaped, &[]),
        ImplicitDeny,
        "an escaped star is a literal star"
    );
    assert_eq!(case(alice, &[("team", "w*")], escaped, &[]), Allow);
    let not_eq = r#"{"StringNotEquals":{"kms:EncryptionContextKeys":"app"}}"#;
    assert_eq!(
        case(alice, &[], not_eq, &[("app", "1"), ("x", "2")]),
        ImplicitDeny,
        "one value matches"
    );
    assert_eq!(case(alice, &[], not_eq, &[("x", "2")]), Allow);
    let any_like = r#"{"ForAnyValue:StringLike":{"kms:EncryptionContextKeys":"a?p"}}"#;
    assert_eq!(
        case(alice, &[], any_like, &[("x", "1"), ("app", "2")]),
        Allow
    );
    let all_like = r#"{"ForAllValues:StringNotLike":{"kms:EncryptionContextKeys":"a*"}}"#;
    assert_eq!(
        case(alice, &[], all_like, &[("x", "1"), ("app", "2")]),
        ImplicitDeny
    );
    let session = "arn:aws:sts::123412341234:assumed-role/app/s1";
    let role_arn = r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/app"}}"#;
    assert_eq!(case(session, &[], role_arn, &[]), Allow);
    let session_arn =
        r#"{"StringEquals":{"aws:PrincipalArn":"arn:aws:sts::123412341234:assumed-role/app/s1"}}"#;
    assert_eq!(case(session, &[], session_arn, &[]), ImplicitDeny);
    let arn_var = r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}"}}"#;
    assert_eq!(case(alice, &[], arn_var, &[]), Allow);
    let multi_var =
        r#"{"StringEquals":{"kms:EncryptionContext:app":"${kms:EncryptionContextKeys}"}}"#;
    assert_eq!(
        case(alice, &[], multi_var, &[("app", "app")]),
        ImplicitDeny,
        "a multi-valued variable cannot be resolved"
    );
}

/// Issue 11: an alias only where the operation takes one (KMS guide, "Using
/// aliases"); otherwise no key is found and no policy is read.
#[test]
fn an_alias_where_the_operation_takes_none_finds_no_key() {
    let world = one_key_world(
        &allow_stmt(r#""*""#, "kms:*"),
        vec![Principal::new("u", user(ACCT, "u"))],
    );
    let mut req = Request::new(0, "kms:Decrypt", 0);
    req.alias = Some("alias/app".into());
    assert_eq!(both(&world, &req).decision, Allow);
    req.action = "kms:ScheduleKeyDeletion".into();
    assert_eq!(
        both(&world, &req),
        Answer {
            decision: ImplicitDeny,
            error: Some(KmsError::NotFound)
        }
    );
}

/// Issue 11: RCPs do not apply to AWS managed keys, nor to RetireGrant
/// (KMS guide, "Resource control policies in AWS KMS").
#[test]
fn rcps_skip_aws_managed_keys_and_retire_grant() {
    let mut world = one_key_world(
        &allow_stmt(r#""*""#, "kms:*"),
        vec![Principal::new("u", user(ACCT, "u"))],
    );
    world.rcps = vec![(ACCT.into(), vec![vec![policy(&deny_stmt(r#""*""#, "*"))]])];
    world.grants = vec![Grant {
        key: 0,
        grantee: format!("arn:aws:iam::{ACCT}:user/x"),
        operations: vec!["Decrypt".into()],
        constraints: None,
        retiring_principal: Some(format!("arn:aws:iam::{ACCT}:user/u")),
        issuing_account: None,
    }];
    assert_eq!(decision(&world, 0, "kms:Decrypt", 0), ExplicitDeny);
    assert_eq!(decision(&world, 0, "kms:RetireGrant", 0), Allow);
    world.keys[0].aws_managed = true;
    world.keys[0].aliases = vec!["alias/aws/s3".into()];
    assert_eq!(decision(&world, 0, "kms:Decrypt", 0), Allow);
}

/// Issue 11: the key type table (KMS guide, "Key type reference").
#[test]
fn the_key_type_table_turns_an_allow_into_an_error() {
    let mut world = one_key_world(
        &allow_stmt(r#""*""#, "kms:*"),
        vec![Principal::new("u", user(ACCT, "u"))],
    );
    world.keys[0].key_spec = "RSA_2048".into();
    world.keys[0].key_usage = "SIGN_VERIFY".into();
    assert_eq!(
        answer(&world, 0, "kms:Encrypt", 0).error,
        Some(KmsError::InvalidKeyUsage)
    );
    assert_eq!(answer(&world, 0, "kms:Sign", 0).error, None);
    world.keys[0].key_spec = "SYMMETRIC_DEFAULT".into();
    world.keys[0].key_usage = "ENCRYPT_DECRYPT".into();
    assert_eq!(
        answer(&world, 0, "kms:GetPublicKey", 0).error,
        Some(KmsError::UnsupportedOperation)
    );
}

/// Issue 11: a request through a VPC endpoint needs its policy too.
#[test]
fn endpoint_policies_filter_and_deny() {
    let mut world = one_key_world(
        &allow_stmt(r#""*""#, "kms:*"),
        vec![Principal::new("u", user(ACCT, "u"))],
    );
    world.endpoints = vec![(
        "vpce-1".into(),
        policy(&format!(
            "{},{}",
            allow_stmt(r#""*""#, "kms:Decrypt"),
            deny_stmt(r#""*""#, "kms:Encrypt")
        )),
    )];
    let mut req = Request::new(0, "kms:Decrypt", 0);
    req.context = vec![("aws:SourceVpce".into(), Value::One("vpce-1".into()))];
    assert_eq!(both(&world, &req).decision, Allow);
    req.action = "kms:Encrypt".into();
    assert_eq!(both(&world, &req).decision, ExplicitDeny);
    req.action = "kms:DescribeKey".into();
    assert_eq!(both(&world, &req).decision, ImplicitDeny);
    req.context = vec![("aws:SourceVpce".into(), Value::One("vpce-9".into()))];
    assert_eq!(both(&world, &req).decision, Allow);
}

/// Issue 11: kms:GrantIsForAWSResource, derived from kms:ViaService.
#[test]
fn grant_is_for_aws_resource_follows_via_service() {
    let world = one_key_world(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}"#,
        vec![Principal::new("u", user(ACCT, "u"))],
    );
    let mut req = Request::new(0, "kms:ListGrants", 0);
    assert_eq!(both(&world, &req).decision, ImplicitDeny);
    req.context = vec![(
        "kms:ViaService".into(),
        Value::One("ec2.us-east-1.amazonaws.com".into()),
    )];
    assert_eq!(both(&world, &req).decision, Allow);
    req.action = "kms:Decrypt".into();
    assert_eq!(both(&world, &req).decision, ImplicitDeny);
}

/// Issue 11: what KMS refuses is refused as input, by both engines.
#[test]
fn refused_worlds_and_requests() {
    let no_principal = one_key_world(
        r#"{"Effect":"Allow","Action":"kms:*","Resource":"*"}"#,
        vec![],
    );
    assert!(refused_world(&no_principal).is_some());
    assert!(Fast::build(&no_principal).is_err());
    let overly = one_key_world(
        r#"{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContext:a":"b"}}}"#,
        vec![],
    );
    assert!(refused_world(&overly).is_some());
    assert!(Fast::build(&overly).is_err());
    let mut reserved = one_key_world(&allow_stmt(r#""*""#, "kms:*"), vec![]);
    reserved.keys[0].aliases = vec!["alias/aws/ebs".into()];
    assert!(refused_world(&reserved).is_some());
    assert!(Fast::build(&reserved).is_err());
    let world = one_key_world(
        &allow_stmt(r#""*""#, "kms:*"),
        vec![Principal::new("u", user(ACCT, "u"))],
    );
    let mut req = Request::new(0, "kms:Decrypt", 0);
    req.context = vec![(
        "aws:SourceVpce".into(),
        Value::Many(vec!["vpce-1".into(), "vpce-2".into()]),
    )];
    assert!(invalid_request(&req).is_some());
    assert!(Fast::build(&world).unwrap().decide(&req).is_err());
}
