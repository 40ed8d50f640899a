//! The decision: deny first, then the organization and caller-side filters,
//! then the three allow paths (key policy directly, key policy delegating to
//! IAM, grants), then key state and Region. `docs/evaluation.md` walks
//! through it with the spec's rule numbers.

use std::cell::Cell;

use keyward_policy::model::Effect;

use crate::action::KmsAction;
use crate::authorizer::{Authorizer, KeyEntry, Level, OrgChain, PrincipalEntry};
use crate::caller::CallerKind;
use crate::compile::CStmt;
use crate::cond::Tri;
use crate::context::{ContextValue, CtxKey, Found, Instant, Val};
use crate::key_state::{state_error, ErrorCause, KmsErrorKind};
use crate::principal_match::{PrincipalFit, Relation};
use crate::request::Request;
use crate::response::{AllowPath, Decision, Gaps, Response};

/// Everything a condition may look at during one decision.
pub(crate) struct Env<'a> {
    pub(crate) req: &'a Request,
    pub(crate) key: &'a KeyEntry,
    pub(crate) principal: &'a PrincipalEntry,
    pub(crate) auth: &'a Authorizer,
    now: Cell<Option<Option<Instant>>>,
}

impl<'a> Env<'a> {
    pub(crate) fn new(
        req: &'a Request,
        key: &'a KeyEntry,
        principal: &'a PrincipalEntry,
        auth: &'a Authorizer,
    ) -> Env<'a> {
        Env {
            req,
            key,
            principal,
            auth,
            now: Cell::new(None),
        }
    }

    fn now(&self) -> Option<Instant> {
        if let Some(t) = self.req.time {
            return Some(t);
        }
        if let Some(cached) = self.now.get() {
            return cached;
        }
        let t = (self.auth.clock)();
        self.now.set(Some(t));
        t
    }

    fn user(&self, key: &CtxKey) -> Option<Found<'a>> {
        let req: &'a Request = self.req;
        req.context
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| match v {
                ContextValue::One(s) => Found::One(Val::Str(s)),
                ContextValue::Many(list) if list.is_empty() => Found::Missing,
                ContextValue::Many(list) => Found::Strs(list),
            })
    }

    /// What the request has for `key`.
    pub(crate) fn lookup(&self, key: &CtxKey) -> Found<'a> {
        let caller = &self.principal.caller;
        let service = caller.is_service();
        let req: &'a Request = self.req;
        let k: &'a KeyEntry = self.key;
        let p: &'a PrincipalEntry = self.principal;
        let opt = |v: Option<&'a str>| v.map_or(Found::Missing, |s| Found::One(Val::Str(s)));
        match key {
            CtxKey::PrincipalArn if !service => Found::One(Val::Str(p.caller.principal_arn())),
            CtxKey::PrincipalAccount | CtxKey::CallerAccount if !service => {
                Found::One(Val::Str(p.caller.account()))
            }
            CtxKey::PrincipalType => opt(p.caller.principal_type()),
            CtxKey::Username => opt(p.caller.user_name()),
            CtxKey::Userid => opt(p.caller.user_id()),
            CtxKey::PrincipalTag(t) => {
                opt(p.tags.iter().find(|(tk, _)| tk == t).map(|(_, v)| &**v))
            }
            CtxKey::PrincipalIsAwsService => Found::One(Val::Bool(service)),
            CtxKey::PrincipalServiceName => match p.caller.kind() {
                CallerKind::Service { name } => Found::One(Val::Str(name)),
                _ => Found::Missing,
            },
            CtxKey::PrincipalArn | CtxKey::PrincipalAccount | CtxKey::CallerAccount => {
                Found::Missing
            }
            CtxKey::RequestedRegion => {
                Found::One(Val::Str(req.region.as_deref().unwrap_or(&k.region)))
            }
            CtxKey::CurrentTime => match self.now() {
                Some(t) => Found::One(Val::Time(t)),
                None => Found::NoClock,
            },
            CtxKey::EpochTime => match self.now() {
                Some(t) => Found::One(Val::Epoch(t)),
                None => Found::NoClock,
            },
            CtxKey::EncryptionContext(name) => opt(req
                .encryption_context
                .iter()
                .find(|(ek, _)| crate::context::eq_ignore_case(ek, name))
                .map(|(_, v)| &**v)),
            CtxKey::EncryptionContextKeys if req.encryption_context.is_empty() => Found::Missing,
            CtxKey::EncryptionContextKeys => Found::EcKeys(&req.encryption_context),
            CtxKey::RequestAlias => opt(req.alias.as_deref()),
            CtxKey::ResourceTag(t) => opt(k.tags.iter().find(|(tk, _)| tk == t).map(|(_, v)| &**v)),
            CtxKey::ResourceAliases if k.aliases.is_empty() => Found::Missing,
            CtxKey::ResourceAliases => Found::Strs(&k.aliases),
            CtxKey::KeySpec => Found::One(Val::Str(&k.key_spec)),
            CtxKey::KeyUsage => Found::One(Val::Str(&k.key_usage)),
            CtxKey::KeyOrigin => Found::One(Val::Str(k.origin.as_str())),
            CtxKey::MultiRegion => Found::One(Val::Bool(k.multi_region)),
            CtxKey::MultiRegionKeyType => opt(k.multi_region_key_type.as_deref()),
            CtxKey::SecureTransport => self.user(key).unwrap_or(Found::One(Val::Bool(true))),
            CtxKey::ViaAwsService => self
                .user(key)
                .unwrap_or(Found::One(Val::Bool(req.via_service))),
            CtxKey::Other(_) => self.user(key).unwrap_or(Found::Missing),
        }
    }
}

/// Does a statement apply to the request? Returns the outcome and, for
/// statements with a `Principal`, how it relates to the caller.
fn applies(s: &CStmt, env: &Env<'_>, key_index: usize) -> (Tri, PrincipalFit) {
    if !s.actions.contains(env.req.action) {
        return (Tri::No, PrincipalFit::default());
    }
    let deny = s.effect == Effect::Deny;
    let mut fit = PrincipalFit {
        direct: true,
        ..PrincipalFit::default()
    };
    let mut outcome = Tri::Yes;
    if let Some(pm) = &s.principal {
        fit = pm.fit(&env.principal.caller, deny);
        if !(fit.direct || fit.account) {
            if fit.invalid {
                outcome = Tri::Error;
            } else {
                return (Tri::No, fit);
            }
        }
    }
    outcome = outcome.and(|| s.resource.eval(key_index, &env.key.arn, env));
    for c in s.conditions.iter() {
        if outcome == Tri::No {
            break;
        }
        outcome = outcome.and(|| c.eval(env));
    }
    (outcome, fit)
}

/// The first applicable Allow among `stmts` (errors count as not applying
/// and are noted).
fn first_allow(
    auth: &Authorizer,
    stmts: std::ops::Range<u32>,
    env: &Env<'_>,
    key_index: usize,
    r: &mut Response<'_>,
) -> Option<u32> {
    for i in stmts {
        let Some(s) = auth.stmts.get(i as usize) else {
            continue;
        };
        if s.effect != Effect::Allow {
            continue;
        }
        match applies(s, env, key_index).0 {
            Tri::Yes => return Some(i),
            Tri::Error => r.unevaluable.push_unique(i),
            Tri::No => {}
        }
    }
    None
}

/// Check an organization chain: every level must allow. Returns the index
/// of the first failing level.
fn chain_fails(
    auth: &Authorizer,
    chain: Option<&OrgChain>,
    env: &Env<'_>,
    key_index: usize,
    r: &mut Response<'_>,
) -> Option<u16> {
    let chain = chain?;
    for (n, Level { stmts, .. }) in chain.levels.iter().enumerate() {
        match first_allow(auth, stmts.clone(), env, key_index, r) {
            Some(i) => r.allows.push_unique(i),
            None => return Some(u16::try_from(n).unwrap_or(u16::MAX)),
        }
    }
    None
}

impl Authorizer {
    /// Decide one request.
    ///
    /// Allocation-free unless a policy uses policy variables (their values
    /// are substituted into fresh strings).
    pub fn decide<'a>(&'a self, req: &'a Request) -> Response<'a> {
        let mut r = Response::new(self, req);
        if let Some(not_found) = &req.missing_key {
            // The reference found no key: KMS answers before any policy (rules 8, 30, 32).
            let cause = if not_found.is_alias() {
                ErrorCause::AliasNotFound
            } else {
                ErrorCause::KeyNotFound
            };
            r.error = Some((KmsErrorKind::NotFoundException, cause));
            r.gaps.insert(Gaps::KEY_NOT_FOUND);
            return r;
        }
        let key_index = req.key.0 as usize;
        let (Some(key), Some(principal)) = (
            self.keys.get(key_index),
            self.principals.get(req.principal.0 as usize),
        ) else {
            r.gaps.insert(Gaps::UNKNOWN_IDS);
            return r;
        };
        let env = Env::new(req, key, principal, self);
        let caller = &principal.caller;
        let action = req.action;

        // 1. Explicit denies, in every policy (rules 3, 11, 13; K step 1).
        let scp_chain = principal.scp.and_then(|i| self.scps.get(i as usize));
        let rcp_chain = key.rcp.and_then(|i| self.rcps.get(i as usize));
        let mut ranges: [Option<std::ops::Range<u32>>; 4] = [
            Some(key.stmts.clone()),
            (!caller.is_service()).then(|| principal.identity.clone()),
            principal.boundary.as_ref().map(|(_, s)| s.clone()),
            principal.session.as_ref().map(|(_, s)| s.clone()),
        ];
        let org = scp_chain
            .into_iter()
            .chain(rcp_chain)
            .flat_map(|c| c.levels.iter().map(|l| l.stmts.clone()));
        for range in ranges.iter_mut().filter_map(Option::take).chain(org) {
            for i in range {
                let Some(s) = self.stmts.get(i as usize) else {
                    continue;
                };
                if s.effect != Effect::Deny {
                    continue;
                }
                match applies(s, &env, key_index).0 {
                    Tri::Yes => r.denies.push_unique(i),
                    Tri::Error => {
                        r.denies.push_unique(i);
                        r.unevaluable.push_unique(i);
                    }
                    Tri::No => {}
                }
            }
        }
        if !r.denies.is_empty() {
            r.decision = Decision::ExplicitDeny;
            return r;
        }

        // 2. Organization filters: RCPs of the key's account, SCPs of the caller's.
        r.failed_rcp = chain_fails(self, rcp_chain, &env, key_index, &mut r);
        r.failed_scp = chain_fails(self, scp_chain, &env, key_index, &mut r);

        // 3. The key policy: direct allows and delegation (rules 3–9).
        let mut direct_exact = None;
        let mut direct_other = None;
        for i in key.stmts.clone() {
            let Some(s) = self.stmts.get(i as usize) else {
                continue;
            };
            if s.effect != Effect::Allow {
                continue;
            }
            let (outcome, fit) = applies(s, &env, key_index);
            match outcome {
                Tri::No => {
                    // Names the caller or its account, but its resource or condition failed.
                    if s.principal.is_some() && (fit.direct || fit.account) {
                        r.near_miss.get_or_insert(i);
                    }
                    continue;
                }
                Tri::Error => {
                    r.unevaluable.push_unique(i);
                    continue;
                }
                Tri::Yes => {}
            }
            if fit.account && r.delegation.is_none() {
                r.delegation = Some(i);
            }
            if fit.direct {
                if fit.exact {
                    direct_exact.get_or_insert(i);
                } else {
                    direct_other.get_or_insert(i);
                }
            }
        }

        // 4. The caller's side: identity policies, boundary, session policy.
        let root = caller.is_root();
        let service = caller.is_service();
        let iam = if service || root {
            None
        } else {
            first_allow(self, principal.identity.clone(), &env, key_index, &mut r)
        };
        let identity_allows = root || iam.is_some();
        let boundary_ok = match &principal.boundary {
            None => true,
            Some((_, stmts)) => match first_allow(self, stmts.clone(), &env, key_index, &mut r) {
                Some(i) => {
                    r.gate_stmts[0] = Some(i);
                    true
                }
                None => {
                    r.gaps.insert(Gaps::BOUNDARY);
                    false
                }
            },
        };
        let session_ok = match &principal.session {
            None if matches!(caller.kind(), CallerKind::FederatedUser { .. }) => {
                r.gaps.insert(Gaps::FEDERATED_NO_SESSION_POLICY);
                false
            }
            None => true,
            Some((_, stmts)) => match first_allow(self, stmts.clone(), &env, key_index, &mut r) {
                Some(i) => {
                    r.gate_stmts[1] = Some(i);
                    true
                }
                None => {
                    r.gaps.insert(Gaps::SESSION_POLICY);
                    false
                }
            },
        };
        let gate = boundary_ok && session_ok;
        let same_account = service || *caller.account() == *key.account;

        // 5. The allow paths.
        let retire = action == KmsAction::RetireGrant;
        let kp_counts = !retire; // rule 19: kms:RetireGrant is not effective in a key policy
        let direct_ok = |exact: bool| {
            if service {
                true
            } else if same_account {
                exact || gate
            } else {
                identity_allows && gate
            }
        };
        let mut path = None;
        if kp_counts {
            if let Some(i) = direct_exact.filter(|_| direct_ok(true)) {
                path = Some((AllowPath::KeyPolicy, Some(i)));
            } else if let Some(i) = direct_other.filter(|_| direct_ok(false)) {
                path = Some((AllowPath::KeyPolicy, Some(i)));
            } else if let Some(i) = r.delegation.filter(|_| identity_allows && gate) {
                path = Some((AllowPath::KeyPolicyAndIam, Some(i)));
            }
        } else if direct_exact.or(direct_other).or(r.delegation).is_some() {
            r.gaps.insert(Gaps::RETIRE_NOT_FROM_KEY_POLICY);
        }
        if path.is_none() {
            if let Some(g) = self.grant_path(&env, identity_allows, gate, &mut r) {
                r.grant = Some(g);
                path = Some((AllowPath::Grant, None));
            }
        }
        if retire && path.is_none() {
            if let Some(g) = self.retire_path(&env, identity_allows, gate) {
                r.grant = Some(g);
                path = Some((AllowPath::RetiringPrincipal, None));
            }
        }
        if direct_exact.or(direct_other).is_none() && r.delegation.is_none() {
            r.gaps.insert(Gaps::KEY_POLICY);
        } else if path.is_none() && kp_counts {
            if direct_exact.or(direct_other).is_some() && !same_account && !identity_allows {
                r.gaps.insert(Gaps::CROSS_ACCOUNT_IDENTITY);
                r.named = direct_exact.or(direct_other);
            } else if r.delegation.is_some() && !identity_allows {
                r.gaps.insert(Gaps::IDENTITY);
            }
        }
        if r.failed_rcp.is_some() {
            r.gaps.insert(Gaps::RCP);
        }
        if r.failed_scp.is_some() {
            r.gaps.insert(Gaps::SCP);
        }
        let org_ok = r.failed_rcp.is_none() && r.failed_scp.is_none();
        let Some((allow_path, kp_stmt)) = path.filter(|_| org_ok) else {
            r.decision = Decision::ImplicitDeny;
            return r;
        };
        r.decision = Decision::Allow;
        r.path = Some(allow_path);
        if let Some(i) = kp_stmt {
            r.allows.push_unique(i);
        }
        if allow_path == AllowPath::KeyPolicyAndIam
            || (allow_path == AllowPath::KeyPolicy && !same_account)
        {
            if let Some(i) = iam {
                r.allows.push_unique(i);
            }
        }
        for i in r.gate_stmts.into_iter().flatten() {
            r.allows.push_unique(i);
        }

        // 6. Region and key state turn an allow into an error (rules 29, 32).
        if req.region.as_deref().is_some_and(|reg| reg != &*key.region) {
            r.error = Some((KmsErrorKind::NotFoundException, ErrorCause::OtherRegion));
        } else {
            r.error = state_error(action, key.state, key.origin);
        }
        r
    }

    /// A grant on the key that lets the caller do the action (rules 12–18).
    fn grant_path(
        &self,
        env: &Env<'_>,
        identity_allows: bool,
        gate: bool,
        r: &mut Response<'_>,
    ) -> Option<u32> {
        let action = env.req.action;
        for &g in &env.key.grants {
            let Some(grant) = self.grants.get(g as usize) else {
                continue;
            };
            if !grant.operations.contains(action) {
                continue;
            }
            if let Some(target) = env.req.grant {
                if action == KmsAction::RetireGrant && target.0 != g {
                    continue;
                }
            }
            let who = match grant.grantee.relation(&env.principal.caller) {
                Relation::Exact | Relation::Role => true,
                Relation::Account => identity_allows,
                _ => false,
            };
            if !who {
                continue;
            }
            if !grant.constraints_admit(action, &env.req.encryption_context) {
                r.gaps.insert(Gaps::GRANT_CONSTRAINTS);
                r.near_grant.get_or_insert(g);
                continue;
            }
            if action == KmsAction::CreateGrant {
                let child_ok = env.req.new_grant.as_ref().is_some_and(|child| {
                    child.operations.is_subset(grant.operations)
                        && grant
                            .constraints
                            .as_ref()
                            .is_none_or(|c| c.admits_child(child.constraints.as_ref()))
                });
                if !child_ok {
                    r.gaps.insert(Gaps::CHILD_GRANT);
                    r.near_grant.get_or_insert(g);
                    continue;
                }
            }
            if !gate {
                continue;
            }
            return Some(g);
        }
        None
    }

    /// RetireGrant by the retiring principal, or by the issuing account
    /// through IAM (rule 19).
    fn retire_path(&self, env: &Env<'_>, identity_allows: bool, gate: bool) -> Option<u32> {
        if !gate {
            return None;
        }
        let caller = &env.principal.caller;
        env.key.grants.iter().copied().find(|&g| {
            if env.req.grant.is_some_and(|t| t.0 != g) {
                return false;
            }
            let Some(grant) = self.grants.get(g as usize) else {
                return false;
            };
            let by_retiring = match grant.retiring.as_ref().map(|n| n.relation(caller)) {
                Some(Relation::Exact | Relation::Role) => true,
                Some(Relation::Account) => identity_allows,
                _ => false,
            };
            let by_issuer = !caller.is_service()
                && *grant.issuing_account == *caller.account()
                && identity_allows;
            by_retiring || by_issuer
        })
    }
}
