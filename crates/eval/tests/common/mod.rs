//! A small world builder for one-line decision tests.
//!
//! Account 111122223333 owns the keys unless a test says otherwise; region
//! us-east-1. Policies are written as JSON text; `kp`/`iam` wrap a list of
//! statements into a policy document.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use std::sync::Arc;

use keyward_eval::{
    parse_grant_operations, Authorizer, AuthorizerBuilder, Caller, Decision, GrantConfig,
    GrantConstraints, Instant, KeyConfig, KeyId, KeyState, KmsAction, KmsErrorKind, PolicyDoc,
    PrincipalConfig, Request,
};
use keyward_policy::Source;

pub const ACCT: &str = "111122223333";
pub const OTHER: &str = "444455556666";
pub const KEY_ARN: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// `{"Version": "2012-10-17", "Statement": [STATEMENTS]}`
pub fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

/// The programmatic default key policy: the account principal, `kms:*`.
pub fn default_kp(account: &str) -> String {
    policy(&format!(
        r#"{{"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{account}:root"}}, "Action": "kms:*", "Resource": "*"}}"#
    ))
}

/// An identity policy allowing `actions` on every key.
pub fn iam_allow(actions: &str) -> String {
    policy(&format!(
        r#"{{"Effect": "Allow", "Action": {actions}, "Resource": "*"}}"#
    ))
}

pub fn doc(name: &str, text: &str) -> PolicyDoc {
    let policy = match keyward_policy::parse_policy(text) {
        Ok(p) => p,
        Err(diags) => panic!("policy `{name}` does not parse: {diags:#?}\n{text}"),
    };
    PolicyDoc::new(name, Source::new(name, text), policy)
}

#[derive(Default)]
pub struct World {
    b: AuthorizerBuilder,
    keys: Vec<(String, KeyId)>,
    now: Option<Instant>,
}

pub struct Principal {
    cfg: PrincipalConfig,
}

impl Principal {
    pub fn new(name: &str, arn: &str) -> Principal {
        Principal {
            cfg: PrincipalConfig::new(name, Caller::from_arn(arn).unwrap()),
        }
    }

    pub fn service(name: &str) -> Principal {
        Principal {
            cfg: PrincipalConfig::new(name, Caller::service(name).unwrap()),
        }
    }

    pub fn iam(mut self, text: &str) -> Principal {
        let n = self.cfg.policies.len();
        self.cfg
            .policies
            .push(doc(&format!("{}-iam-{n}", self.cfg.name), text));
        self
    }

    pub fn boundary(mut self, text: &str) -> Principal {
        self.cfg.permissions_boundary = Some(doc(&format!("{}-boundary", self.cfg.name), text));
        self
    }

    pub fn session_policy(mut self, text: &str) -> Principal {
        self.cfg.session_policy = Some(doc(&format!("{}-session", self.cfg.name), text));
        self
    }

    pub fn tag(mut self, k: &str, v: &str) -> Principal {
        self.cfg.tags.push((k.into(), v.into()));
        self
    }

    pub fn user_id(mut self, id: &str) -> Principal {
        self.cfg.caller = self.cfg.caller.with_user_id(id);
        self
    }
}

pub struct Key {
    cfg: KeyConfig,
}

impl Key {
    pub fn new(name: &str, arn: &str, kp: &str) -> Key {
        Key {
            cfg: KeyConfig::new(name, arn, doc(&format!("{name} key policy"), kp)),
        }
    }

    pub fn state(mut self, s: KeyState) -> Key {
        self.cfg.state = s;
        self
    }

    pub fn alias(mut self, a: &str) -> Key {
        self.cfg.aliases.push(a.into());
        self
    }

    pub fn tag(mut self, k: &str, v: &str) -> Key {
        self.cfg.tags.push((k.into(), v.into()));
        self
    }

    pub fn spec(mut self, spec: &str) -> Key {
        self.cfg.key_spec = spec.into();
        self
    }

    pub fn usage(mut self, usage: &str) -> Key {
        self.cfg.key_usage = usage.into();
        self
    }

    /// An AWS managed key (`KeyManager: AWS`).
    pub fn aws_managed(mut self) -> Key {
        self.cfg.manager = keyward_eval::KeyManager::Aws;
        self
    }

    /// Why `add_key` refuses this key (the test fails if it accepts it).
    pub fn refused(self) -> keyward_eval::EvalError {
        match AuthorizerBuilder::new().add_key(self.cfg) {
            Ok(_) => panic!("the key was accepted"),
            Err(e) => e,
        }
    }
}

pub struct Grant {
    key: String,
    grantee: String,
    ops: Vec<String>,
    constraints: Option<GrantConstraints>,
    retiring: Option<String>,
    name: Option<String>,
}

pub fn grant(key: &str, grantee: &str, ops: &[&str]) -> Grant {
    Grant {
        key: key.into(),
        grantee: grantee.into(),
        ops: ops.iter().map(|s| s.to_string()).collect(),
        constraints: None,
        retiring: None,
        name: None,
    }
}

impl Grant {
    pub fn equals(mut self, pairs: &[(&str, &str)]) -> Grant {
        self.constraints = Some(GrantConstraints::EncryptionContextEquals(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ));
        self
    }

    pub fn subset(mut self, pairs: &[(&str, &str)]) -> Grant {
        self.constraints = Some(GrantConstraints::EncryptionContextSubset(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ));
        self
    }

    pub fn retiring(mut self, p: &str) -> Grant {
        self.retiring = Some(p.into());
        self
    }

    pub fn named(mut self, n: &str) -> Grant {
        self.name = Some(n.into());
        self
    }
}

impl World {
    pub fn new() -> World {
        World::default()
    }

    pub fn key(mut self, k: Key) -> World {
        let name = k.cfg.name.clone();
        let id = self.b.add_key(k.cfg).unwrap();
        self.keys.push((name, id));
        self
    }

    /// A key named `K` with ARN `KEY_ARN` and this key policy.
    pub fn kp(self, text: &str) -> World {
        self.key(Key::new("K", KEY_ARN, text))
    }

    pub fn principal(mut self, p: Principal) -> World {
        self.b.add_principal(p.cfg);
        self
    }

    pub fn user(self, name: &str, iam: &[&str]) -> World {
        let mut p = Principal::new(name, &format!("arn:aws:iam::{ACCT}:user/{name}"));
        for text in iam {
            p = p.iam(text);
        }
        self.principal(p)
    }

    pub fn grant(mut self, g: Grant) -> World {
        let key = self.keys.iter().find(|(n, _)| *n == g.key).unwrap().1;
        let mut cfg = GrantConfig::new(key, g.grantee, parse_grant_operations(&g.ops).unwrap());
        cfg.constraints = g.constraints;
        cfg.retiring_principal = g.retiring;
        cfg.name = g.name;
        self.b.add_grant(cfg).unwrap();
        self
    }

    pub fn scp(mut self, account: &str, texts: &[&str]) -> World {
        let docs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| doc(&format!("scp-{i}"), t))
            .collect();
        self.b.add_scp_level(account, docs);
        self
    }

    pub fn rcp(mut self, account: &str, texts: &[&str]) -> World {
        let docs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| doc(&format!("rcp-{i}"), t))
            .collect();
        self.b.add_rcp_level(account, docs);
        self
    }

    /// An interface VPC endpoint `id` with this endpoint policy.
    pub fn endpoint(mut self, id: &str, text: &str) -> World {
        self.b
            .add_vpc_endpoint(id, doc(&format!("{id} endpoint policy"), text))
            .unwrap();
        self
    }

    pub fn at(mut self, t: &str) -> World {
        self.now = Instant::parse(t);
        self
    }

    pub fn build(mut self) -> Built {
        let now = self.now;
        self.b.clock(Arc::new(move || now));
        Built {
            auth: self.b.build(),
        }
    }
}

pub struct Built {
    pub auth: Authorizer,
}

/// One request, described briefly: extra facts as (`key`, `value`) pairs;
/// `ec:K` sets an encryption-context pair, `region` the Region, `alias` the
/// alias used (`kms:RequestAlias`, also set when `key` is an alias); any
/// other key goes into the context.
pub fn request(
    auth: &Authorizer,
    who: &str,
    action: &str,
    key: &str,
    extra: &[(&str, &str)],
) -> Request {
    let p = auth
        .principal(who)
        .unwrap_or_else(|| panic!("no principal `{who}`"));
    let a = KmsAction::parse(action).unwrap_or_else(|| panic!("no action `{action}`"));
    let region = extra.iter().find(|(n, _)| *n == "region").map(|(_, v)| *v);
    // Resolved as KMS would: an alias in the caller's account and the request's Region.
    let mut r = auth
        .request(p, a, key, region)
        .unwrap_or_else(|e| panic!("no key `{key}`: {e}"));
    for (name, value) in extra {
        r = if let Some(ec) = name.strip_prefix("ec:") {
            r.with_encryption_context(ec, value)
        } else if *name == "region" {
            r
        } else if *name == "alias" {
            r.via_alias(value)
        } else if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let items: Vec<&str> = list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            r.with_context(name, items).unwrap()
        } else {
            r.with_context(name, *value).unwrap()
        };
    }
    r
}

impl Built {
    /// The decision and the KMS exception with its message.
    pub fn call(
        &self,
        who: &str,
        action: &str,
        key: &str,
        extra: &[(&str, &str)],
    ) -> (Decision, Option<(KmsErrorKind, String)>) {
        let req = request(&self.auth, who, action, key, extra);
        let r = self.auth.decide(&req);
        (r.decision(), r.error().map(|e| (e.kind(), e.message())))
    }

    pub fn decide(
        &self,
        who: &str,
        action: &str,
        key: &str,
        extra: &[(&str, &str)],
    ) -> (Decision, Option<KmsErrorKind>, Vec<String>) {
        let req = request(&self.auth, who, action, key, extra);
        let r = self.auth.decide(&req);
        (
            r.decision(),
            r.error().map(|e| e.kind()),
            r.explanation()
                .reasons()
                .iter()
                .map(ToString::to_string)
                .collect(),
        )
    }
}

/// `decides!(Decision, world, who, action, key, extra)`: the one assertion
/// behind `allows!`, `explicit_deny!` and `implicit_deny!`.
#[macro_export]
macro_rules! decides {
    ($expected:expr, $w:expr, $who:expr, $action:expr, $key:expr, $extra:expr) => {{
        let (d, _, why) = $w.decide($who, $action, $key, $extra);
        assert_eq!(d, $expected, "{} {} {}: {:#?}", $who, $action, $key, why);
    }};
}

/// `allows!(world, who, action, key [, extra])`: the decision is Allow (KMS
/// errors aside).
#[macro_export]
macro_rules! allows {
    ($w:expr, $who:expr, $action:expr, $key:expr) => {
        allows!($w, $who, $action, $key, &[])
    };
    ($w:expr, $who:expr, $action:expr, $key:expr, $extra:expr) => {
        decides!(
            keyward_eval::Decision::Allow,
            $w,
            $who,
            $action,
            $key,
            $extra
        )
    };
}

/// `explicit_deny!(world, who, action, key [, extra])`.
#[macro_export]
macro_rules! explicit_deny {
    ($w:expr, $who:expr, $action:expr, $key:expr) => {
        explicit_deny!($w, $who, $action, $key, &[])
    };
    ($w:expr, $who:expr, $action:expr, $key:expr, $extra:expr) => {
        decides!(
            keyward_eval::Decision::ExplicitDeny,
            $w,
            $who,
            $action,
            $key,
            $extra
        )
    };
}

/// `implicit_deny!(world, who, action, key [, extra])`.
#[macro_export]
macro_rules! implicit_deny {
    ($w:expr, $who:expr, $action:expr, $key:expr) => {
        implicit_deny!($w, $who, $action, $key, &[])
    };
    ($w:expr, $who:expr, $action:expr, $key:expr, $extra:expr) => {
        decides!(
            keyward_eval::Decision::ImplicitDeny,
            $w,
            $who,
            $action,
            $key,
            $extra
        )
    };
}
