//! The decision, in the order of docs/evaluation.md ("The decision, step by
//! step"): explicit denies everywhere, the organization filters, the key
//! policy, the caller's side, the allow paths (key policy directly, key
//! policy delegating to IAM, grants), then key state and Region. Each step
//! writes what it found into a [`Trace`]; nothing here allocates.

use std::ops::Range;

use keyward_policy::model::Effect;

use crate::action::KmsAction;
use crate::authorizer::Authorizer;
use crate::caller::CallerKind;
use crate::compile::CStmt;
use crate::cond::Tri;
use crate::decision::Decision;
use crate::env::Env;
use crate::grant::CGrant;
use crate::key_manager::KeyManager;
use crate::key_state::{state_error, ErrorCause, KmsErrorKind};
use crate::key_type::key_type_error;
use crate::principal_match::{PrincipalFit, Relation};
use crate::reference::Elsewhere;
use crate::request::{KeyTarget, Request};
use crate::response::Response;
use crate::trace::{
    nearer, Gate, GrantIx, GrantMiss, GrantUse, LevelMiss, Miss, Near, Route, Scan, StmtIx, Stop,
    Trace,
};
use crate::world::{index_u32, KeyEntry, OrgChain};

/// Whether a statement applies to the request, how its `Principal` relates
/// to the caller, and, when it does not apply, which of its `Resource` or
/// conditions did not hold (`None` when the action or principal did not match).
fn applies(s: &CStmt, env: &Env<'_>, key_index: usize) -> (Tri, PrincipalFit, Option<Miss>) {
    if !s.actions.contains(env.req.action) {
        return (Tri::No, PrincipalFit::default(), None);
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
                return (Tri::No, fit, None);
            }
        }
    }
    outcome = outcome.and(|| s.resource.eval(key_index, &env.key.arn, env));
    if outcome == Tri::No {
        return (outcome, fit, Some(Miss::Resource));
    }
    for (i, c) in s.conditions.iter().enumerate() {
        outcome = outcome.and(|| c.eval(env));
        if outcome == Tri::No {
            return (outcome, fit, Some(Miss::Condition(index_u32(i))));
        }
    }
    (outcome, fit, None)
}

/// The statements of `range`, with their positions.
fn stmts<'s>(
    auth: &'s Authorizer,
    range: &Range<u32>,
) -> impl Iterator<Item = (StmtIx, &'s CStmt)> + 's {
    auth.stmts()[range.start as usize..range.end as usize]
        .iter()
        .zip(range.clone())
        .map(|(s, i)| (StmtIx(i), s))
}

/// Scan a layer for its first applicable Allow, noting unevaluable
/// statements and the nearest miss.
fn scan_allow(
    auth: &Authorizer,
    range: &Range<u32>,
    env: &Env<'_>,
    key_index: usize,
    t: &mut Trace,
) -> Scan {
    let mut scan = Scan::default();
    for (i, s) in stmts(auth, range) {
        if s.effect != Effect::Allow {
            continue;
        }
        match applies(s, env, key_index) {
            (Tri::Yes, _, _) => {
                scan.allow = Some(i);
                return scan;
            }
            (Tri::Error, _, _) => t.unevaluable.push_unique(i),
            (Tri::No, _, Some(miss)) => {
                let near = Near {
                    stmt: i,
                    miss,
                    delegates: false,
                };
                scan.near = nearer(scan.near, near);
            }
            (Tri::No, _, None) => {}
        }
    }
    scan
}

/// Note every applicable Deny of a layer (an unevaluable one applies too).
#[inline]
fn scan_deny(
    auth: &Authorizer,
    range: &Range<u32>,
    env: &Env<'_>,
    key_index: usize,
    t: &mut Trace,
) {
    for (i, s) in stmts(auth, range) {
        if s.effect != Effect::Deny {
            continue;
        }
        match applies(s, env, key_index).0 {
            Tri::Yes => t.denies.push_unique(i),
            Tri::Error => {
                t.denies.push_unique(i);
                t.unevaluable.push_unique(i);
            }
            Tri::No => {}
        }
    }
}

/// Check an organization chain: every level must allow. Returns the first
/// level that does not.
#[inline]
fn chain_fails(
    auth: &Authorizer,
    chain: Option<&OrgChain>,
    env: &Env<'_>,
    key_index: usize,
    t: &mut Trace,
) -> Option<LevelMiss> {
    for (n, level) in chain?.levels.iter().enumerate() {
        let scan = scan_allow(auth, &level.stmts, env, key_index, t);
        match scan.allow {
            Some(i) => t.org_allows.push_unique(i),
            None => {
                return Some(LevelMiss {
                    level: index_u32(n),
                    near: scan.near,
                })
            }
        }
    }
    None
}

/// CreateGrant through `grant`: is the new grant within its operations and
/// equally or more strictly constrained (rule 18)?
fn within(grant: &CGrant, req: &Request) -> bool {
    req.new_grant.as_ref().is_some_and(|child| {
        child.operations.is_subset(grant.operations)
            && grant
                .constraints
                .as_ref()
                .is_none_or(|c| c.admits_child(child.constraints.as_ref()))
    })
}

impl Authorizer {
    /// The RCP levels that bound a request on `key`: the key account's,
    /// except for AWS managed keys ("Resource control policies in your
    /// organization do not apply to AWS managed keys") and for RetireGrant
    /// ("The kms:RetireGrant permission is not effective in an RCP, even if
    /// the Action element specifies an asterisk"; KMS guide, "Resource
    /// control policies in AWS KMS").
    pub(crate) fn rcp_chain(&self, key: &KeyEntry, action: KmsAction) -> Option<&OrgChain> {
        if key.manager == KeyManager::Aws || action == KmsAction::RetireGrant {
            return None;
        }
        key.rcp.and_then(|i| self.rcps.get(i as usize))
    }

    /// Decide one request.
    ///
    /// Allocation-free unless a policy uses policy variables (their values
    /// are substituted into fresh strings).
    pub fn decide<'a>(&'a self, req: &'a Request) -> Response<'a> {
        let mut t = Trace::new();
        self.run(req, &mut t);
        Response::new(self, req, t)
    }

    fn run(&self, req: &Request, t: &mut Trace) {
        let key_id = match &req.target {
            KeyTarget::Key(key) => *key,
            KeyTarget::NotFound(not_found) => {
                // KMS answers before any policy is read (rules 8, 30, 32).
                let cause = if matches!(not_found.elsewhere(), Elsewhere::AliasNotAccepted(_)) {
                    ErrorCause::InvalidKeyId
                } else if not_found.is_alias() {
                    ErrorCause::AliasNotFound
                } else {
                    ErrorCause::KeyNotFound
                };
                t.stop = Stop::KeyNotFound;
                t.error = Some((KmsErrorKind::NotFoundException, cause));
                return;
            }
        };
        let key_index = key_id.0 as usize;
        let (Some(key), Some(principal)) = (
            self.keys.get(key_index),
            self.principals.get(req.principal.0 as usize),
        ) else {
            t.stop = Stop::UnknownIds;
            return;
        };
        let env = Env::new(req, key, principal, &self.clock);
        let caller = &principal.caller;
        let service = caller.is_service();
        let root = caller.is_root();

        // 1. Explicit denies, in every policy (rules 3, 11, 13; K step 1).
        let scp_chain = principal.scp.and_then(|i| self.scps.get(i as usize));
        let rcp_chain = self.rcp_chain(key, req.action);
        let mut deny_scan = |range: &Range<u32>| scan_deny(self, range, &env, key_index, t);
        deny_scan(&key.policy.stmts);
        if !service {
            deny_scan(&principal.identity);
        }
        for gate in [&principal.boundary, &principal.session]
            .into_iter()
            .flatten()
        {
            deny_scan(&gate.stmts);
        }
        for chain in [scp_chain, rcp_chain].into_iter().flatten() {
            for level in &chain.levels {
                deny_scan(&level.stmts);
            }
        }
        // The endpoint policy of the VPC endpoint the request came through
        // (an endpoint not declared has the default policy: full access).
        let endpoint = req
            .source_vpce
            .as_deref()
            .filter(|_| !self.endpoints.is_empty())
            .and_then(|id| {
                self.endpoints
                    .iter()
                    .position(|e| &*e.id == id)
                    .map(|i| (i, &self.endpoints[i]))
            });
        if let Some((_, e)) = endpoint {
            deny_scan(&e.policy.stmts);
        }
        if !t.denies.is_empty() {
            t.decision = Decision::ExplicitDeny;
            return;
        }

        // 2. Filters: RCPs of the key's account, SCPs of the caller's, the
        // VPC endpoint's policy.
        t.rcp_failed = chain_fails(self, rcp_chain, &env, key_index, t);
        t.scp_failed = chain_fails(self, scp_chain, &env, key_index, t);
        if let Some((i, e)) = endpoint {
            let scan = scan_allow(self, &e.policy.stmts, &env, key_index, t);
            if let Some(allow) = scan.allow {
                t.org_allows.push_unique(allow);
            }
            t.endpoint = Some((index_u32(i), scan));
        }

        // 3. The key policy: direct allows and delegation (rules 3–9).
        for (i, s) in stmts(self, &key.policy.stmts) {
            if s.effect != Effect::Allow {
                continue;
            }
            let kp = &mut t.key_policy;
            match applies(s, &env, key_index) {
                (Tri::Yes, fit, _) => {
                    if fit.account && kp.delegation.is_none() {
                        kp.delegation = Some(i);
                    }
                    if fit.direct && fit.exact {
                        kp.exact.get_or_insert(i);
                    } else if fit.direct {
                        kp.other.get_or_insert(i);
                    }
                }
                (Tri::Error, _, _) => t.unevaluable.push_unique(i),
                (Tri::No, fit, Some(miss)) if s.principal.is_some() => {
                    // Names the caller or its account, but its resource or condition failed.
                    let near = Near {
                        stmt: i,
                        miss,
                        delegates: fit.account && !fit.direct,
                    };
                    kp.near = nearer(kp.near, near);
                    if fit.direct {
                        kp.near_direct = nearer(kp.near_direct, near);
                    }
                }
                (Tri::No, _, _) => {}
            }
        }

        // 4. The caller's side: identity policies, boundary, session policy.
        if !(service || root) {
            t.identity = Some(scan_allow(self, &principal.identity, &env, key_index, t));
        }
        t.boundary = match &principal.boundary {
            None => Gate::Absent,
            Some(p) => Gate::Scanned(scan_allow(self, &p.stmts, &env, key_index, t)),
        };
        t.session = match &principal.session {
            None if matches!(caller.kind(), CallerKind::FederatedUser { .. }) => {
                Gate::FederatedWithoutPolicy
            }
            None => Gate::Absent,
            Some(p) => Gate::Scanned(scan_allow(self, &p.stmts, &env, key_index, t)),
        };

        // 5. The allow paths.
        let identity_allows = t.identity_allows(root);
        let gate = t.gates_pass();
        let same_account = service || *caller.account() == *key.account;
        let kp = t.key_policy;
        // Rule 19: kms:RetireGrant is not effective in a key policy.
        if req.action != KmsAction::RetireGrant {
            let direct = |stmt: StmtIx, exact: bool| {
                let ok = if service {
                    true
                } else if same_account {
                    exact || gate
                } else {
                    identity_allows && gate
                };
                ok.then_some(Route::KeyPolicy {
                    stmt,
                    gated: !(service || (same_account && exact)),
                    via_iam: !same_account,
                })
            };
            t.route = kp
                .exact
                .and_then(|i| direct(i, true))
                .or_else(|| kp.other.and_then(|i| direct(i, false)))
                .or_else(|| {
                    kp.delegation
                        .filter(|_| identity_allows && gate)
                        .map(|stmt| Route::Delegation { stmt })
                });
        }
        if t.route.is_none() {
            t.route = self.grant_path(&env, identity_allows, gate, t);
        }
        if t.route.is_none() && req.action == KmsAction::RetireGrant {
            t.route = self.retire_path(&env, identity_allows, gate);
        }
        if t.route.is_none()
            || t.rcp_failed.is_some()
            || t.scp_failed.is_some()
            || t.endpoint_failed()
        {
            t.decision = Decision::ImplicitDeny;
            return;
        }
        t.decision = Decision::Allow;

        // 6. Region, key state, then key type turn an allow into an error
        // (rules 29, 32; docs/evaluation.md, "Key type").
        t.error = if req.region.as_deref().is_some_and(|reg| reg != &*key.region) {
            Some((KmsErrorKind::NotFoundException, ErrorCause::OtherRegion))
        } else {
            state_error(req.action, key.state, key.origin).or_else(|| {
                // The key type table, read once per key when it was compiled.
                key.unsupported
                    .contains(req.action)
                    .then(|| key_type_error(req.action, key.key_spec, key.key_usage, key.origin))?
            })
        };
    }

    /// A grant on the key that lets the caller do the action (rules 12–18).
    fn grant_path(
        &self,
        env: &Env<'_>,
        identity_allows: bool,
        gate: bool,
        t: &mut Trace,
    ) -> Option<Route> {
        let action = env.req.action;
        for &g in &env.key.grants {
            let grant = &self.grants[g as usize];
            if !grant.operations.contains(action) {
                continue;
            }
            if let Some(target) = env.req.grant {
                if action == KmsAction::RetireGrant && target.0 != g {
                    continue;
                }
            }
            let via_iam = match grant.grantee.relation(&env.principal.caller) {
                Relation::Exact | Relation::Role => false,
                Relation::Account if identity_allows => true,
                _ => continue,
            };
            let miss = if !grant.constraints_admit(action, &env.req.encryption_context) {
                Some(GrantMiss::Constraints)
            } else if action == KmsAction::CreateGrant && !within(grant, env.req) {
                Some(GrantMiss::ChildGrant)
            } else {
                None
            };
            if let Some(miss) = miss {
                t.near_grant.get_or_insert((GrantIx(g), miss));
                continue;
            }
            if gate {
                return Some(Route::Grant {
                    grant: GrantIx(g),
                    by: GrantUse::Grantee,
                    via_iam,
                });
            }
        }
        None
    }

    /// RetireGrant by the retiring principal, or by the issuing account
    /// through IAM (rule 19).
    fn retire_path(&self, env: &Env<'_>, identity_allows: bool, gate: bool) -> Option<Route> {
        if !gate {
            return None;
        }
        let caller = &env.principal.caller;
        env.key.grants.iter().copied().find_map(|g| {
            if env.req.grant.is_some_and(|t| t.0 != g) {
                return None;
            }
            let grant = &self.grants[g as usize];
            let (by, via_iam) = match grant.retiring.as_ref().map(|n| n.relation(caller)) {
                Some(Relation::Exact | Relation::Role) => (GrantUse::RetiringPrincipal, false),
                Some(Relation::Account) if identity_allows => (GrantUse::RetiringPrincipal, true),
                _ if !caller.is_service()
                    && *grant.issuing_account == *caller.account()
                    && identity_allows =>
                {
                    (GrantUse::IssuingAccount, true)
                }
                _ => return None,
            };
            Some(Route::Grant {
                grant: GrantIx(g),
                by,
                via_iam,
            })
        })
    }
}
