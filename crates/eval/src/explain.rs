//! The explanation of a decision, derived from its trace: the deciding
//! statements and grant, what was missing, the policies consulted, and the
//! one list of [`Reason`]s every front end formats.

use std::fmt;

use crate::action::KmsAction;
use crate::authorizer::Authorizer;
use crate::decision::{AllowPath, Decision};
use crate::gap::{Gap, NearMiss, Unmet};
use crate::inline::InlineVec;
use crate::key_state::KmsError;
use crate::reason::{Consulted, Layer, Reason};
use crate::refs::{GrantRef, PolicyRef, StatementRef};
use crate::request::{KeyTarget, Request};
use crate::trace::{Gate, GrantMiss, GrantUse, Miss, Near, Route, StmtIx, Stop, Trace};
use crate::world::{KeyEntry, OrgChain, PrincipalEntry, SourceKind};

/// Why a decision came out as it did.
///
/// ```
/// # use keyward_eval::{Authorizer, Caller, KeyConfig, PolicyDoc, PrincipalConfig};
/// # use keyward_policy::{parse_policy, Source};
/// use keyward_eval::{Gap, KmsAction, Reason, Request, SourceKind, Unmet};
/// // The key policy names Bob, but only for calls through S3.
/// # let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "BobViaS3", "Effect": "Allow",
/// #   "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
/// #   "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]}"#;
/// # let mut b = Authorizer::builder();
/// # let key = b.add_key(KeyConfig::new("K", "arn:aws:kms:us-east-1:111122223333:key/k",
/// #     PolicyDoc::new("K", Source::new("kp.json", text), parse_policy(text).unwrap()))).unwrap();
/// # let bob = b.add_principal(PrincipalConfig::new("Bob", Caller::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap()));
/// # let auth = b.build();
/// let via_s3 = Request::new(bob, KmsAction::Decrypt, key)?
///     .with_context("kms:ViaService", "s3.us-east-1.amazonaws.com")?;
/// let answer = auth.decide(&via_s3);
/// let allowed_by = answer.explanation().deciding().next().unwrap();
/// assert_eq!((allowed_by.kind(), allowed_by.sid()), (SourceKind::KeyPolicy, Some("BobViaS3")));
/// assert_eq!(allowed_by.pointer(), "/Statement/0");
///
/// let direct = Request::new(bob, KmsAction::Decrypt, key)?;
/// let answer = auth.decide(&direct);
/// let why = answer.explanation();
/// let Some(Gap::KeyPolicy { near_miss: Some(m), .. }) = why.missing().first().cloned() else { panic!() };
/// assert_eq!((m.statement.sid(), m.unmet), (Some("BobViaS3"), Unmet::Condition { key: "kms:ViaService" }));
/// let reasons = why.reasons();
/// assert_eq!(reasons[0].to_string(), "no statement of key policy `K` applies: \
///     statement `BobViaS3` names the caller, but its condition `kms:ViaService` does not hold");
/// assert_eq!(reasons[0].statement().and_then(|s| s.sid()), Some("BobViaS3"));
/// assert_eq!(reasons[0].help().unwrap().to_string(),
///     "make the condition `kms:ViaService` of statement `BobViaS3` hold for the request, or change it");
/// assert_eq!(reasons[1].to_string(), "consulted key policy `K`; no IAM policy");
/// # Ok::<(), keyward_eval::EvalError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Explanation<'a> {
    auth: &'a Authorizer,
    req: &'a Request,
    t: Trace,
}

impl fmt::Debug for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("decision", &self.t.decision)
            .field("reasons", &self.reasons())
            .finish()
    }
}

/// The key and principal of an evaluated request.
struct Parties<'a> {
    key: &'a KeyEntry,
    principal: &'a PrincipalEntry,
}

impl<'a> Explanation<'a> {
    pub(crate) fn new(auth: &'a Authorizer, req: &'a Request, t: Trace) -> Explanation<'a> {
        Explanation { auth, req, t }
    }

    fn stmt(&self, ix: StmtIx) -> StatementRef<'a> {
        StatementRef::new(self.auth, ix)
    }

    fn near(&self, near: Option<Near>) -> Option<NearMiss<'a>> {
        let near = near?;
        let statement = self.stmt(near.stmt);
        let unmet = match near.miss {
            Miss::Resource => Unmet::Resource,
            Miss::Condition(n) => Unmet::Condition {
                key: statement.condition_name(n),
            },
        };
        Some(NearMiss {
            statement,
            delegates: near.delegates,
            unmet,
        })
    }

    /// The key and principal, once the decision got past finding them.
    fn parties(&self) -> Option<Parties<'a>> {
        if self.t.stop != Stop::Evaluated {
            return None;
        }
        // The decision found both (else it stops with `UnknownIds`).
        Some(Parties {
            key: &self.auth.keys[self.req.key()?.0 as usize],
            principal: &self.auth.principals[self.req.principal.0 as usize],
        })
    }

    /// The decision explained.
    pub fn decision(&self) -> Decision {
        self.t.decision
    }

    /// The KMS exception the call ends in (see [`crate::Response::error`]).
    pub fn error(&self) -> Option<KmsError> {
        let (kind, cause) = self.t.error?;
        let arn = match &self.req.target {
            KeyTarget::NotFound(not_found) => not_found.arn_shared(),
            // An error is recorded only once the key was found.
            KeyTarget::Key(key) => self.auth.keys[key.0 as usize].arn.clone(),
        };
        Some(KmsError::new(kind, cause, arn))
    }

    /// The statements that decided: every applicable Deny for an explicit
    /// deny; for an allow, the allowing key-policy statement, the IAM
    /// statement it needed, and the boundary, session-policy, SCP and RCP
    /// statements that let it through. Empty for an implicit deny (see
    /// [`Self::missing`]).
    pub fn deciding(&self) -> impl Iterator<Item = StatementRef<'a>> + 'a {
        let mut list: InlineVec<StmtIx, 16> = InlineVec::default();
        match (self.t.decision, self.t.route) {
            (Decision::ExplicitDeny, _) => {
                for &i in self.t.denies.as_slice() {
                    list.push_unique(i);
                }
            }
            (Decision::Allow, Some(route)) => {
                let (gated, via_iam) = match route {
                    Route::KeyPolicy {
                        stmt,
                        gated,
                        via_iam,
                    } => {
                        list.push_unique(stmt);
                        (gated, via_iam)
                    }
                    Route::Delegation { stmt } => {
                        list.push_unique(stmt);
                        (true, true)
                    }
                    Route::Grant { via_iam, .. } => (true, via_iam),
                };
                let iam = self.t.identity.and_then(|s| s.allow).filter(|_| via_iam);
                let gates = [self.t.boundary.allow(), self.t.session.allow()];
                let gates = gates.into_iter().flatten().filter(|_| gated);
                for i in iam.into_iter().chain(gates) {
                    list.push_unique(i);
                }
                for &i in self.t.org_allows.as_slice() {
                    list.push_unique(i);
                }
            }
            _ => {}
        }
        let auth = self.auth;
        (0..list.as_slice().len()).map(move |n| StatementRef::new(auth, list.as_slice()[n]))
    }

    /// How many deciding statements were left out of [`Self::deciding`]
    /// (it keeps the first eight denies).
    pub fn more_deciding(&self) -> usize {
        match self.t.decision {
            Decision::ExplicitDeny => self.t.denies.dropped(),
            _ => 0,
        }
    }

    /// The grant used (an allow through a grant, or by its retiring
    /// principal or issuing account).
    pub fn grant(&self) -> Option<GrantRef<'a>> {
        match self.t.route {
            Some(Route::Grant { grant, .. }) => Some(GrantRef::new(self.auth, grant)),
            _ => None,
        }
    }

    /// How the request was allowed.
    pub fn path(&self) -> Option<AllowPath> {
        if self.t.decision != Decision::Allow {
            return None;
        }
        Some(match self.t.route? {
            Route::KeyPolicy { .. } => AllowPath::KeyPolicy,
            Route::Delegation { .. } => AllowPath::KeyPolicyAndIam,
            Route::Grant {
                by: GrantUse::Grantee,
                ..
            } => AllowPath::Grant,
            Route::Grant { .. } => AllowPath::RetiringPrincipal,
        })
    }

    /// The key-policy statement delegating the action to the caller's
    /// account, when delegation is what happened: the allow went through
    /// it, or it applied and the caller's IAM policies did not allow.
    pub fn delegation(&self) -> Option<StatementRef<'a>> {
        match self.t.route {
            Some(Route::Delegation { stmt }) => Some(self.stmt(stmt)),
            _ => self.missing().iter().find_map(|gap| match gap {
                Gap::Identity { delegation, .. } => Some(*delegation),
                _ => None,
            }),
        }
    }

    /// Statements whose condition, principal or resource could not be
    /// evaluated (an unreadable context value, an unresolvable variable, a
    /// malformed ARN). A Deny among them was applied; an Allow was not.
    pub fn unevaluable(&self) -> impl Iterator<Item = StatementRef<'a>> + 'a {
        let list = self.t.unevaluable;
        let auth = self.auth;
        (0..list.as_slice().len()).map(move |n| StatementRef::new(auth, list.as_slice()[n]))
    }

    /// For a deny: what was missing for an allow. Empty for an allow and an
    /// explicit deny.
    pub fn missing(&self) -> Vec<Gap<'a>> {
        let t = &self.t;
        match t.stop {
            Stop::KeyNotFound => {
                return self
                    .req
                    .not_found()
                    .map(|not_found| Gap::KeyNotFound { not_found })
                    .into_iter()
                    .collect()
            }
            Stop::UnknownIds => return vec![Gap::UnknownIds],
            Stop::Evaluated => {}
        }
        let Some(Parties { key, principal }) = self.parties() else {
            return Vec::new();
        };
        if t.decision != Decision::ImplicitDeny {
            return Vec::new();
        }
        let caller = &principal.caller;
        let action = self.req.action;
        let mut out = Vec::new();
        if let Some(m) = t.rcp_failed {
            out.push(Gap::Rcp {
                account: &key.account,
                level: m.level as usize,
                near_miss: self.near(m.near),
            });
        }
        if let Some(m) = t.scp_failed {
            out.push(Gap::Scp {
                account: caller.account(),
                level: m.level as usize,
                near_miss: self.near(m.near),
            });
        }
        if let Some((e, scan)) = t.endpoint.filter(|(_, scan)| scan.allow.is_none()) {
            let endpoint = &self.auth.endpoints[e as usize];
            out.push(Gap::VpcEndpoint {
                endpoint: &endpoint.id,
                policy: PolicyRef::new(&endpoint.policy.meta),
                action,
                near_miss: self.near(scan.near),
            });
        }
        if t.route.is_some() {
            // Only the organization or the endpoint stood in the way.
            return out;
        }
        let kp = t.key_policy;
        let identity_allows = t.identity_allows(caller.is_root());
        let same_account = caller.is_service() || *caller.account() == *key.account;
        if !kp.addresses_caller() {
            out.push(Gap::KeyPolicy {
                policy: PolicyRef::new(&key.policy.meta),
                action,
                caller,
                near_miss: self.near(kp.near),
            });
        } else if action != KmsAction::RetireGrant && !identity_allows {
            match (kp.direct(), kp.delegation) {
                (Some(s), _) if !same_account => out.push(Gap::CrossAccountIdentity {
                    action,
                    account: caller.account(),
                    statement: self.stmt(s),
                }),
                (_, Some(d)) => {
                    if let Some(near_miss) = self.near(kp.near_direct) {
                        out.push(Gap::NamedButUnmet { near_miss });
                    }
                    out.push(Gap::Identity {
                        action,
                        key: &key.arn,
                        delegation: self.stmt(d),
                        near_miss: self.near(t.identity.and_then(|s| s.near)),
                    });
                }
                _ => {}
            }
        }
        if let (Gate::Scanned(scan), Some(p)) = (t.boundary, &principal.boundary) {
            if scan.allow.is_none() {
                out.push(Gap::Boundary {
                    policy: PolicyRef::new(&p.meta),
                    action,
                    near_miss: self.near(scan.near),
                });
            }
        }
        match (t.session, &principal.session) {
            (Gate::Scanned(scan), Some(p)) if scan.allow.is_none() => {
                out.push(Gap::SessionPolicy {
                    policy: PolicyRef::new(&p.meta),
                    action,
                    near_miss: self.near(scan.near),
                });
            }
            (Gate::FederatedWithoutPolicy, _) => {
                out.push(Gap::FederatedWithoutSessionPolicy { action });
            }
            _ => {}
        }
        if let Some((g, miss)) = t.near_grant {
            let grant = GrantRef::new(self.auth, g);
            out.push(match miss {
                GrantMiss::Constraints => Gap::GrantConstraints { grant },
                GrantMiss::ChildGrant => Gap::ChildGrant { grant },
            });
        }
        if action == KmsAction::RetireGrant && kp.addresses_caller() {
            out.push(Gap::RetireNotFromKeyPolicy);
        }
        out
    }

    /// The policies of each layer an implicit deny read, in decision order;
    /// `None` for other answers.
    pub fn consulted(&self) -> Option<Consulted<'a>> {
        let Parties { key, principal } = self.parties()?;
        if self.t.decision != Decision::ImplicitDeny {
            return None;
        }
        let mut layers = vec![Layer {
            kind: SourceKind::KeyPolicy,
            account: None,
            policies: vec![PolicyRef::new(&key.policy.meta)],
        }];
        if self.t.identity.is_some() {
            layers.push(Layer {
                kind: SourceKind::Identity,
                account: None,
                policies: principal
                    .identity_policies
                    .iter()
                    .map(|m| PolicyRef::new(m))
                    .collect(),
            });
        }
        for (kind, gate) in [
            (SourceKind::PermissionsBoundary, &principal.boundary),
            (SourceKind::SessionPolicy, &principal.session),
        ] {
            if let Some(p) = gate {
                layers.push(Layer {
                    kind,
                    account: None,
                    policies: vec![PolicyRef::new(&p.meta)],
                });
            }
        }
        let chains = [
            (
                SourceKind::Rcp,
                self.auth.rcp_chain(key, self.req.action),
                self.t.rcp_failed,
            ),
            (
                SourceKind::Scp,
                principal.scp.map(|i| &self.auth.scps[i as usize]),
                self.t.scp_failed,
            ),
        ];
        for (kind, chain, failed) in chains {
            let Some(chain) = chain else {
                continue;
            };
            layers.push(org_layer(kind, chain, failed.map(|m| m.level as usize)));
        }
        if let Some((e, _)) = self.t.endpoint {
            layers.push(Layer {
                kind: SourceKind::VpcEndpoint,
                account: None,
                policies: vec![PolicyRef::new(&self.auth.endpoints[e as usize].policy.meta)],
            });
        }
        Some(Consulted { layers })
    }

    /// Every reason, in order, for people and front ends alike: for an
    /// explicit deny the Denies; for an allow the deciding statements, the
    /// grant, the delegation and a KMS error; for an implicit deny what was
    /// missing and the policies consulted; then what could not be evaluated.
    pub fn reasons(&self) -> Vec<Reason<'a>> {
        let mut out = Vec::new();
        match self.t.decision {
            Decision::ExplicitDeny => out.extend(self.deciding().map(Reason::Denied)),
            Decision::Allow => {
                out.extend(self.deciding().map(Reason::Allowed));
                if let Some(Route::Grant { grant, by, .. }) = self.t.route {
                    let grant = GrantRef::new(self.auth, grant);
                    out.push(match by {
                        GrantUse::Grantee => Reason::Grant(grant),
                        GrantUse::RetiringPrincipal => Reason::RetiringPrincipal(grant),
                        GrantUse::IssuingAccount => Reason::IssuingAccount(grant),
                    });
                }
                if let Some(Route::Delegation { stmt }) = self.t.route {
                    out.push(Reason::Delegation(self.stmt(stmt)));
                }
                if let Some(e) = self.error() {
                    out.push(Reason::CallFails(e));
                }
            }
            Decision::ImplicitDeny => {
                out.extend(self.missing().into_iter().map(Reason::Missing));
                if out.is_empty() {
                    out.push(Reason::NothingAllows);
                }
                out.extend(self.consulted().map(Reason::Consulted));
            }
        }
        out.extend(self.unevaluable().map(Reason::Unevaluable));
        out
    }
}

/// The policies of an organization chain, level by level, up to the level
/// that did not allow (`failed`) or all of them.
fn org_layer<'a>(kind: SourceKind, chain: &'a OrgChain, failed: Option<usize>) -> Layer<'a> {
    let levels = failed.map_or(chain.levels.len(), |n| n + 1);
    Layer {
        kind,
        account: Some(&chain.account),
        policies: chain
            .levels
            .iter()
            .take(levels)
            .flat_map(|l| l.policies.iter().map(|m| PolicyRef::new(m)))
            .collect(),
    }
}
