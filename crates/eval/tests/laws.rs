//! Laws of the decision, checked on generated worlds (proptest):
//! an added Deny never adds access; removing an Allow never adds access; a
//! grant never removes access; statement and policy order never matter; key
//! state only turns an allow into an error.

mod common;

use common::*;
use keyward_eval::{Decision, KeyState};
use proptest::prelude::*;

const PRINCIPALS: [&str; 5] = [
    r#"{"AWS": "arn:aws:iam::111122223333:user/Bob"}"#,
    r#"{"AWS": "arn:aws:iam::111122223333:root"}"#,
    r#""*""#,
    r#"{"AWS": "arn:aws:iam::444455556666:root"}"#,
    r#"{"AWS": "arn:aws:iam::111122223333:role/App"}"#,
];
const ACTIONS: [&str; 5] = [
    r#""kms:*""#,
    r#""kms:Decrypt""#,
    r#""kms:Encrypt""#,
    r#"["kms:Decrypt", "kms:ReEncrypt*"]"#,
    r#""kms:Describe*""#,
];
const CONDITIONS: [&str; 4] = [
    "",
    r#", "Condition": {"StringEquals": {"kms:EncryptionContext:dept": "it"}}"#,
    r#", "Condition": {"StringNotEquals": {"kms:CallerAccount": "444455556666"}}"#,
    r#", "Condition": {"Bool": {"aws:SecureTransport": "false"}}"#,
];
const WHO: [&str; 4] = ["Bob", "App", "Dan", "root"];
const WHAT: [&str; 4] = [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:DescribeKey",
    "kms:ReEncryptFrom",
];

#[derive(Clone, Debug)]
struct Stmt {
    deny: bool,
    principal: usize,
    action: usize,
    condition: usize,
}

impl Stmt {
    fn key_policy(&self) -> String {
        format!(
            r#"{{"Effect": "{}", "Principal": {}, "Action": {}, "Resource": "*"{}}}"#,
            if self.deny { "Deny" } else { "Allow" },
            PRINCIPALS[self.principal],
            ACTIONS[self.action],
            CONDITIONS[self.condition]
        )
    }

    fn identity(&self) -> String {
        format!(
            r#"{{"Effect": "{}", "Action": {}, "Resource": "*"{}}}"#,
            if self.deny { "Deny" } else { "Allow" },
            ACTIONS[self.action],
            CONDITIONS[self.condition]
        )
    }
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        any::<bool>(),
        0..PRINCIPALS.len(),
        0..ACTIONS.len(),
        0..CONDITIONS.len(),
    )
        .prop_map(|(deny, principal, action, condition)| Stmt {
            deny,
            principal,
            action,
            condition,
        })
}

#[derive(Clone, Debug)]
struct Spec {
    key: Vec<Stmt>,
    bob: Vec<Stmt>,
    app: Vec<Stmt>,
    dan: Vec<Stmt>,
    grants: Vec<(usize, usize)>,
    state: KeyState,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(stmt(), 1..5),
        prop::collection::vec(stmt(), 0..3),
        prop::collection::vec(stmt(), 0..3),
        prop::collection::vec(stmt(), 0..3),
        prop::collection::vec((0..3usize, 0..3usize), 0..3),
        prop::sample::select(KeyState::ALL.to_vec()),
    )
        .prop_map(|(key, bob, app, dan, grants, state)| Spec {
            key,
            bob,
            app,
            dan,
            grants,
            state,
        })
}

const GRANTEES: [&str; 3] = [
    "arn:aws:iam::111122223333:user/Bob",
    "arn:aws:iam::111122223333:role/App",
    "arn:aws:iam::444455556666:user/Dan",
];
const GRANT_OPS: [&[&str]; 3] = [
    &["Decrypt"],
    &["Encrypt", "DescribeKey"],
    &["ReEncryptFrom", "Decrypt"],
];

fn join(stmts: &[Stmt], f: fn(&Stmt) -> String) -> String {
    stmts.iter().map(f).collect::<Vec<_>>().join(", ")
}

fn build(s: &Spec) -> Built {
    // One identity policy per statement, so reversing the list reverses the policies.
    let identity =
        |stmts: &[Stmt], p: Principal| stmts.iter().fold(p, |p, st| p.iam(&policy(&st.identity())));
    let mut w = World::new()
        .key(Key::new("K", KEY_ARN, &policy(&join(&s.key, Stmt::key_policy))).state(s.state))
        .principal(identity(
            &s.bob,
            Principal::new("Bob", "arn:aws:iam::111122223333:user/Bob"),
        ))
        .principal(identity(
            &s.app,
            Principal::new("App", "arn:aws:sts::111122223333:assumed-role/App/s1"),
        ))
        .principal(identity(
            &s.dan,
            Principal::new("Dan", "arn:aws:iam::444455556666:user/Dan"),
        ))
        .principal(Principal::new("root", "111122223333"));
    for &(who, ops) in &s.grants {
        w = w.grant(grant("K", GRANTEES[who], GRANT_OPS[ops]));
    }
    w.build()
}

/// Every (principal, action, context) decision of a world.
fn decisions(w: &Built) -> Vec<(Decision, Option<keyward_eval::KmsErrorKind>)> {
    let mut out = Vec::new();
    for who in WHO {
        for what in WHAT {
            for ec in [&[][..], &[("ec:dept", "it")][..]] {
                let (d, e, _) = w.decide(who, what, "K", ec);
                out.push((d, e));
            }
        }
    }
    out
}

fn allows(ds: &[(Decision, Option<keyward_eval::KmsErrorKind>)]) -> Vec<bool> {
    ds.iter().map(|(d, _)| *d == Decision::Allow).collect()
}

fn no_new_access(before: &[bool], after: &[bool]) -> bool {
    before.iter().zip(after).all(|(b, a)| *b || !*a)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn an_added_deny_never_adds_access(s in spec(), extra in stmt(), into_key in any::<bool>()) {
        let mut more = s.clone();
        let deny = Stmt { deny: true, ..extra };
        if into_key { more.key.push(deny) } else { more.bob.push(deny) }
        prop_assert!(no_new_access(&allows(&decisions(&build(&s))), &allows(&decisions(&build(&more)))));
    }

    #[test]
    fn removing_an_allow_never_adds_access(s in spec(), pick in any::<prop::sample::Index>()) {
        let mut less = s.clone();
        let allows_at: Vec<usize> = (0..less.key.len()).filter(|&i| !less.key[i].deny).collect();
        if allows_at.is_empty() || less.key.len() < 2 {
            return Ok(());
        }
        less.key.remove(allows_at[pick.index(allows_at.len())]);
        prop_assert!(no_new_access(&allows(&decisions(&build(&s))), &allows(&decisions(&build(&less)))));
    }

    #[test]
    fn a_grant_never_removes_access(s in spec(), who in 0..3usize, ops in 0..3usize) {
        let mut more = s.clone();
        more.grants.push((who, ops));
        let before = decisions(&build(&s));
        let after = decisions(&build(&more));
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(b.0 != Decision::Allow || a.0 == Decision::Allow);
            prop_assert!(b.0 != Decision::ExplicitDeny || a.0 == Decision::ExplicitDeny);
        }
    }

    #[test]
    fn statement_and_policy_order_never_matter(s in spec()) {
        let mut turned = s.clone();
        turned.key.reverse();
        turned.bob.reverse();
        turned.grants.reverse();
        prop_assert_eq!(decisions(&build(&s)), decisions(&build(&turned)));
    }

    #[test]
    fn key_state_only_turns_an_allow_into_an_error(s in spec()) {
        let enabled = Spec { state: KeyState::Enabled, ..s.clone() };
        let base = decisions(&build(&enabled));
        let other = decisions(&build(&s));
        for (b, o) in base.iter().zip(&other) {
            prop_assert_eq!(b.0, o.0);
            prop_assert!(o.1.is_none() || o.0 == Decision::Allow);
        }
    }
}
