//! The answer to a request: the decision, an optional KMS error, and the
//! explanation: which statements decided, which grant was used, whether the
//! key policy delegated to IAM, and what was missing.

use std::fmt;

use keyward_policy::model::Effect;
use keyward_policy::{Source, Span};

use crate::authorizer::{Authorizer, GrantId, KeyEntry, PrincipalEntry, SourceKind};
use crate::compile::CStmt;
use crate::cond::Tri;
use crate::decide::Env;
use crate::inline::InlineVec;
use crate::key_state::{ErrorCause, KmsError, KmsErrorKind};
use crate::request::Request;
use crate::resolve::NotFound;

/// The authorization decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Some policy or grant allows, and nothing denies.
    Allow,
    /// A statement denies.
    ExplicitDeny,
    /// Nothing allows.
    ImplicitDeny,
}

impl Decision {
    /// `allow`, `explicit-deny` or `implicit-deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::ExplicitDeny => "explicit-deny",
            Decision::ImplicitDeny => "implicit-deny",
        }
    }

    /// True for either deny.
    pub fn is_deny(self) -> bool {
        self != Decision::Allow
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an allowed request was allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AllowPath {
    /// The key policy allows the caller itself (rule 6; cross-account also
    /// with the caller's IAM allow, rule 8).
    KeyPolicy,
    /// The key policy delegates to the caller's account and an IAM policy
    /// allows (rules 4, 7).
    KeyPolicyAndIam,
    /// A grant allows (rule 14).
    Grant,
    /// The caller retires a grant as its retiring principal or issuing account (rule 19).
    RetiringPrincipal,
}

impl AllowPath {
    /// A short machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            AllowPath::KeyPolicy => "key-policy",
            AllowPath::KeyPolicyAndIam => "key-policy-and-iam",
            AllowPath::Grant => "grant",
            AllowPath::RetiringPrincipal => "retiring-principal",
        }
    }
}

/// Bit flags of what was missing for an allow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Gaps(u32);

impl Gaps {
    pub(crate) const KEY_POLICY: Gaps = Gaps(1);
    pub(crate) const IDENTITY: Gaps = Gaps(1 << 1);
    pub(crate) const CROSS_ACCOUNT_IDENTITY: Gaps = Gaps(1 << 2);
    pub(crate) const BOUNDARY: Gaps = Gaps(1 << 3);
    pub(crate) const SESSION_POLICY: Gaps = Gaps(1 << 4);
    pub(crate) const FEDERATED_NO_SESSION_POLICY: Gaps = Gaps(1 << 5);
    pub(crate) const SCP: Gaps = Gaps(1 << 6);
    pub(crate) const RCP: Gaps = Gaps(1 << 7);
    pub(crate) const GRANT_CONSTRAINTS: Gaps = Gaps(1 << 8);
    pub(crate) const CHILD_GRANT: Gaps = Gaps(1 << 9);
    pub(crate) const RETIRE_NOT_FROM_KEY_POLICY: Gaps = Gaps(1 << 10);
    pub(crate) const UNKNOWN_IDS: Gaps = Gaps(1 << 11);
    pub(crate) const KEY_NOT_FOUND: Gaps = Gaps(1 << 12);

    pub(crate) fn insert(&mut self, other: Gaps) {
        self.0 |= other.0;
    }

    pub(crate) fn has(self, other: Gaps) -> bool {
        self.0 & other.0 != 0
    }
}

/// The answer to one request. Borrows the authorizer and the request, so
/// building it never allocates; the explanation is assembled on demand.
///
/// The decision is authorization alone; a key state or Region error only
/// ever turns an allow into a failed call (rule 29):
///
/// ```
/// # use keyward_eval::{Authorizer, Caller, KeyConfig, PolicyDoc, PrincipalConfig};
/// # use keyward_policy::{parse_policy, Source};
/// use keyward_eval::{Decision, KeyState, KmsAction, KmsErrorKind, Request};
/// # let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Users", "Effect": "Allow",
/// #   "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": ["kms:Decrypt", "kms:EnableKey"], "Resource": "*"}]}"#;
/// # let mut b = Authorizer::builder();
/// # let mut cfg = KeyConfig::new("K", "arn:aws:kms:us-east-1:111122223333:key/k",
/// #     PolicyDoc::new("K", Source::new("kp.json", text), parse_policy(text).unwrap()));
/// // The key was disabled during an incident.
/// cfg.state = KeyState::Disabled;
/// # let key = b.add_key(cfg).unwrap();
/// # let bob = b.add_principal(PrincipalConfig::new("Bob", Caller::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap()));
/// # let carol = b.add_principal(PrincipalConfig::new("Carol", Caller::from_arn("arn:aws:iam::111122223333:user/Carol").unwrap()));
/// # let auth = b.build();
/// let req = Request::new(bob, KmsAction::Decrypt, key).unwrap();
/// let answer = auth.decide(&req);
/// assert_eq!(answer.decision(), Decision::Allow);
/// assert!(!answer.is_success());
/// let error = answer.error().unwrap();
/// assert_eq!(error.kind(), KmsErrorKind::DisabledException);
/// assert_eq!(error.message(), "arn:aws:kms:us-east-1:111122223333:key/k is disabled.");
///
/// // EnableKey works on a disabled key; a caller the policy does not name stays denied.
/// assert!(auth.decide(&Request::new(bob, KmsAction::EnableKey, key).unwrap()).is_success());
/// let req = Request::new(carol, KmsAction::Decrypt, key).unwrap();
/// let answer = auth.decide(&req);
/// assert_eq!((answer.decision(), answer.error()), (Decision::ImplicitDeny, None));
/// ```
#[derive(Clone, Copy)]
pub struct Response<'a> {
    pub(crate) auth: &'a Authorizer,
    pub(crate) req: &'a Request,
    pub(crate) decision: Decision,
    pub(crate) error: Option<(KmsErrorKind, ErrorCause)>,
    pub(crate) denies: InlineVec<u32, 8>,
    pub(crate) allows: InlineVec<u32, 8>,
    pub(crate) unevaluable: InlineVec<u32, 4>,
    pub(crate) gate_stmts: [Option<u32>; 2],
    pub(crate) grant: Option<u32>,
    pub(crate) near_grant: Option<u32>,
    pub(crate) delegation: Option<u32>,
    /// The key-policy statement naming an external caller (rule 8 gap).
    pub(crate) named: Option<u32>,
    /// The first key-policy Allow naming the caller or its account for the
    /// action whose resource or condition did not hold.
    pub(crate) near_miss: Option<u32>,
    pub(crate) path: Option<AllowPath>,
    pub(crate) gaps: Gaps,
    pub(crate) failed_scp: Option<u16>,
    pub(crate) failed_rcp: Option<u16>,
}

impl fmt::Debug for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("decision", &self.decision)
            .field("error", &self.error.map(|(k, _)| k))
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<'a> Response<'a> {
    pub(crate) fn new(auth: &'a Authorizer, req: &'a Request) -> Response<'a> {
        Response {
            auth,
            req,
            decision: Decision::ImplicitDeny,
            error: None,
            denies: InlineVec::default(),
            allows: InlineVec::default(),
            unevaluable: InlineVec::default(),
            gate_stmts: [None, None],
            grant: None,
            near_grant: None,
            delegation: None,
            named: None,
            near_miss: None,
            path: None,
            gaps: Gaps::default(),
            failed_scp: None,
            failed_rcp: None,
        }
    }

    /// The authorization decision (before key state and Region).
    pub fn decision(&self) -> Decision {
        self.decision
    }

    /// The KMS exception the call ends in, if any: for an allowed request,
    /// the key state or the Region (rules 29, 32); for a request whose key
    /// reference found no key, `NotFoundException` with an implicit deny
    /// (no policy was read; rules 8, 30). A request that policies deny
    /// never gets one.
    pub fn error(&self) -> Option<KmsError> {
        let (kind, cause) = self.error?;
        if let Some(not_found) = &self.req.missing_key {
            return Some(KmsError::new(kind, cause, not_found.arn_shared()));
        }
        let key = self.auth.keys.get(self.req.key.0 as usize)?;
        Some(KmsError::new(kind, cause, key.arn.clone()))
    }

    /// True when the call would succeed: allowed and no KMS error.
    pub fn is_success(&self) -> bool {
        self.decision == Decision::Allow && self.error.is_none()
    }

    /// Why.
    pub fn explanation(&self) -> Explanation<'a> {
        Explanation { r: *self }
    }
}

/// A statement that took part in a decision.
#[derive(Clone, Copy)]
pub struct StatementRef<'a> {
    auth: &'a Authorizer,
    stmt: u32,
}

impl fmt::Debug for StatementRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} `{}` {}",
            self.kind(),
            self.policy_name(),
            self.name()
        )
    }
}

impl<'a> StatementRef<'a> {
    fn stmt(&self) -> Option<&'a crate::compile::CStmt> {
        self.auth.stmts.get(self.stmt as usize)
    }

    fn meta(&self) -> Option<&'a crate::authorizer::PolicyMeta> {
        self.auth.policies.get(self.stmt()?.policy as usize)
    }

    /// Which kind of policy it is in.
    pub fn kind(&self) -> SourceKind {
        self.meta().map_or(SourceKind::KeyPolicy, |m| m.kind)
    }

    /// The policy's name.
    pub fn policy_name(&self) -> &'a str {
        self.meta().map_or("", |m| &m.name)
    }

    /// The Sid, when the statement has one.
    pub fn sid(&self) -> Option<&'a str> {
        self.stmt()?.sid.as_deref().filter(|s| !s.is_empty())
    }

    /// The statement's position in its policy (0-based).
    pub fn index(&self) -> usize {
        self.stmt().map_or(0, |s| s.index as usize)
    }

    /// The Sid, or `#index`.
    pub fn name(&self) -> String {
        match self.sid() {
            Some(sid) => sid.to_string(),
            None => format!("#{}", self.index()),
        }
    }

    /// Allow or Deny.
    pub fn effect(&self) -> Effect {
        self.stmt().map_or(Effect::Deny, |s| s.effect)
    }

    /// The statement's span in [`Self::source`].
    pub fn span(&self) -> Span {
        self.stmt().map_or(Span::default(), |s| s.span)
    }

    /// The text the span points into.
    pub fn source(&self) -> Option<&'a Source> {
        self.meta().map(|m| &m.source)
    }

    /// The JSON pointer of the statement within its policy.
    pub fn pointer(&self) -> String {
        match self.meta() {
            Some(m) if !m.statement_array => "/Statement".to_string(),
            _ => format!("/Statement/{}", self.index()),
        }
    }
}

impl fmt::Display for StatementRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} `{}` statement `{}` ({})",
            self.kind(),
            self.policy_name(),
            self.name(),
            self.effect().as_str()
        )
    }
}

/// A grant that took part in a decision.
#[derive(Clone, Copy)]
pub struct GrantRef<'a> {
    auth: &'a Authorizer,
    grant: u32,
}

impl fmt::Debug for GrantRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl<'a> GrantRef<'a> {
    fn g(&self) -> Option<&'a crate::grant::CGrant> {
        self.auth.grants.get(self.grant as usize)
    }

    /// The grant's handle.
    pub fn id(&self) -> GrantId {
        GrantId(self.grant)
    }

    /// The grant's name or id, or `#n` (its position among all grants).
    pub fn label(&self) -> String {
        match self.g() {
            Some(g) => g
                .name
                .as_deref()
                .or(g.id.as_deref())
                .map_or_else(|| format!("#{}", self.grant), str::to_string),
            None => String::new(),
        }
    }

    /// The grantee as written.
    pub fn grantee(&self) -> &'a str {
        self.g().map_or("", |g| &g.grantee_text)
    }
}

impl fmt::Display for GrantRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grant `{}` to `{}`", self.label(), self.grantee())
    }
}

/// A statement that addresses the request but did not apply: for the key
/// policy, one that names the caller or delegates to its account for the
/// action; for an IAM policy, one that covers the action on the key. Its
/// `Resource` or a condition did not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NearMiss<'a> {
    /// The statement.
    pub statement: StatementRef<'a>,
    /// For a key-policy statement: it names the caller's account (a
    /// delegation) rather than the caller.
    pub delegates: bool,
    /// What did not hold.
    pub unmet: Unmet<'a>,
}

/// The part of a [`NearMiss`] statement that did not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unmet<'a> {
    /// `Resource`/`NotResource` does not cover the key (rule 51).
    Resource,
    /// The condition on this key (as written) is false.
    Condition {
        /// The condition key, e.g. `kms:ViaService`.
        key: &'a str,
    },
}

impl fmt::Display for Unmet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unmet::Resource => f.write_str("its `Resource` does not cover this key"),
            Unmet::Condition { key } => write!(f, "its condition `{key}` does not hold"),
        }
    }
}

/// What stood between the request and an allow.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gap<'a> {
    /// No key-policy statement applies: none names the caller or delegates
    /// the action to its account (rules 3, 4), or the first that does has a
    /// resource or condition that did not hold (`near_miss`).
    KeyPolicy {
        /// The key policy's name.
        policy: &'a str,
        /// The action.
        action: &'static str,
        /// The caller's account.
        account: &'a str,
        /// The caller.
        principal: &'a str,
        /// The first statement naming the caller or its account for the
        /// action, whose resource or condition did not hold.
        near_miss: Option<NearMiss<'a>>,
    },
    /// The key policy delegates to IAM, but no identity policy allows (rule 7).
    Identity {
        /// The action.
        action: &'static str,
        /// The key.
        key: &'a str,
        /// The key-policy statement that delegates.
        delegation: Option<StatementRef<'a>>,
        /// The first IAM statement covering the action on the key whose
        /// condition did not hold.
        near_miss: Option<NearMiss<'a>>,
    },
    /// The key policy names an external caller, whose own IAM policy must
    /// also allow (rule 8).
    CrossAccountIdentity {
        /// The action.
        action: &'static str,
        /// The caller's account.
        account: &'a str,
        /// The key-policy statement that names the caller.
        statement: Option<StatementRef<'a>>,
    },
    /// The permissions boundary does not allow.
    Boundary {
        /// The boundary policy's name.
        policy: &'a str,
    },
    /// The session policy does not allow.
    SessionPolicy {
        /// The session policy's name.
        policy: &'a str,
    },
    /// A federated user session has no session policy (K step 7).
    FederatedWithoutSessionPolicy,
    /// A level of the caller's SCPs does not allow.
    Scp {
        /// The caller's account.
        account: &'a str,
        /// The level (0 = first given).
        level: usize,
    },
    /// A level of the key account's RCPs does not allow.
    Rcp {
        /// The key's account.
        account: &'a str,
        /// The level (0 = first given).
        level: usize,
    },
    /// A grant covers the operation, but the encryption context does not
    /// satisfy its constraints (rule 17).
    GrantConstraints {
        /// The grant.
        grant: GrantRef<'a>,
    },
    /// A grant allows CreateGrant, but the new grant is not within it (rule 18).
    ChildGrant {
        /// The parent grant.
        grant: GrantRef<'a>,
    },
    /// RetireGrant is authorized by grants, not by key policies (rule 19).
    RetireNotFromKeyPolicy,
    /// The request names a key or principal of another authorizer.
    UnknownIds,
    /// The request's key reference (an alias or key id) finds no key in
    /// the account and Region where it is looked up (rules 8, 30, 32).
    KeyNotFound {
        /// What was looked for, and where it does exist.
        not_found: &'a NotFound,
    },
}

impl PartialEq for StatementRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.stmt == other.stmt && std::ptr::eq(self.auth, other.auth)
    }
}

impl Eq for StatementRef<'_> {}

impl PartialEq for GrantRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.grant == other.grant && std::ptr::eq(self.auth, other.auth)
    }
}

impl Eq for GrantRef<'_> {}

impl fmt::Display for Gap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gap::KeyPolicy {
                policy,
                action,
                account,
                principal,
                near_miss,
            } => {
                write!(f, "no statement of key policy `{policy}` applies: ")?;
                match near_miss {
                    Some(m) if m.delegates => write!(
                        f,
                        "statement `{}` delegates `{action}` to account {account}, but {}",
                        m.statement.name(),
                        m.unmet
                    ),
                    Some(m) => write!(
                        f,
                        "statement `{}` names the caller, but {}",
                        m.statement.name(),
                        m.unmet
                    ),
                    None => write!(
                        f,
                        "none delegates `{action}` to account {account} or allows it to `{principal}`"
                    ),
                }
            }
            Gap::Identity {
                action,
                key,
                delegation,
                near_miss,
            } => {
                match delegation {
                    Some(d) => write!(
                        f,
                        "key policy `{}` delegates `{action}` to IAM through statement `{}`, but no IAM policy of the caller allows it on `{key}`",
                        d.policy_name(),
                        d.name()
                    )?,
                    None => write!(
                        f,
                        "the key policy delegates `{action}` to IAM, but no IAM policy of the caller allows it on `{key}`"
                    )?,
                }
                match near_miss {
                    Some(m) => write!(
                        f,
                        ": statement `{}` of IAM policy `{}` covers it, but {}",
                        m.statement.name(),
                        m.statement.policy_name(),
                        m.unmet
                    ),
                    None => Ok(()),
                }
            }
            Gap::CrossAccountIdentity {
                action,
                account,
                statement,
            } => match statement {
                Some(s) => write!(
                    f,
                    "key policy `{}` allows the caller of another account through statement `{}`; an IAM policy in account {account} must also allow `{action}` (rule 8)",
                    s.policy_name(),
                    s.name()
                ),
                None => write!(
                    f,
                    "the key policy allows an external principal; an IAM policy in account {account} must also allow `{action}` (rule 8)"
                ),
            },
            Gap::Boundary { policy } => {
                write!(f, "permissions boundary `{policy}` does not allow the action")
            }
            Gap::SessionPolicy { policy } => {
                write!(f, "session policy `{policy}` does not allow the action")
            }
            Gap::FederatedWithoutSessionPolicy => {
                f.write_str("a federated user session without a session policy has no identity-based permissions")
            }
            Gap::Scp { account, level } => {
                write!(f, "no SCP at level {level} of account {account} allows the action")
            }
            Gap::Rcp { account, level } => {
                write!(f, "no RCP at level {level} of account {account} allows the action")
            }
            Gap::GrantConstraints { grant } => write!(
                f,
                "{grant} covers the operation, but the encryption context does not meet its constraints"
            ),
            Gap::ChildGrant { grant } => write!(
                f,
                "{grant} allows CreateGrant only for grants within its operations and constraints"
            ),
            Gap::RetireNotFromKeyPolicy => f.write_str(
                "kms:RetireGrant is not effective in a key policy: the retiring principal, the grantee (with RetireGrant) or the issuing account retires a grant",
            ),
            Gap::UnknownIds => f.write_str("the request names a key or principal this authorizer does not know"),
            Gap::KeyNotFound { not_found } => write!(f, "{not_found}"),
        }
    }
}

/// Why a decision came out as it did.
///
/// ```
/// # use keyward_eval::{Authorizer, Caller, KeyConfig, PolicyDoc, PrincipalConfig};
/// # use keyward_policy::{parse_policy, Source};
/// use keyward_eval::{Gap, KmsAction, Request, SourceKind, Unmet};
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
/// assert_eq!(why.reasons(), ["no statement of key policy `K` applies: \
///     statement `BobViaS3` names the caller, but its condition `kms:ViaService` does not hold"]);
/// # Ok::<(), keyward_eval::EvalError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Explanation<'a> {
    r: Response<'a>,
}

impl fmt::Debug for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("deciding", &self.deciding().collect::<Vec<_>>())
            .field("grant", &self.grant())
            .field("delegation", &self.delegation())
            .field("missing", &self.missing())
            .finish()
    }
}

impl<'a> Explanation<'a> {
    fn stmt_ref(&self, stmt: u32) -> StatementRef<'a> {
        StatementRef {
            auth: self.r.auth,
            stmt,
        }
    }

    /// The statements that decided: every applicable Deny for an explicit
    /// deny; for an allow, the allowing key-policy statement, the IAM
    /// statement it needed, and the boundary, session-policy, SCP and RCP
    /// statements that let it through. Empty for an implicit deny (see
    /// [`Self::missing`]).
    pub fn deciding(&self) -> impl Iterator<Item = StatementRef<'a>> + '_ {
        let list = match self.r.decision {
            Decision::ExplicitDeny => self.r.denies.as_slice(),
            Decision::Allow => self.r.allows.as_slice(),
            Decision::ImplicitDeny => &[],
        };
        list.iter().map(|&i| self.stmt_ref(i))
    }

    /// How many deciding statements were left out of [`Self::deciding`]
    /// (it keeps the first eight).
    pub fn more_deciding(&self) -> usize {
        match self.r.decision {
            Decision::ExplicitDeny => self.r.denies.dropped(),
            Decision::Allow => self.r.allows.dropped(),
            Decision::ImplicitDeny => 0,
        }
    }

    /// The grant used (allow through a grant or as retiring principal).
    pub fn grant(&self) -> Option<GrantRef<'a>> {
        self.r.grant.map(|grant| GrantRef {
            auth: self.r.auth,
            grant,
        })
    }

    /// How the request was allowed.
    pub fn path(&self) -> Option<AllowPath> {
        self.r.path
    }

    /// The key-policy statement that delegates this action to the caller's
    /// account (IAM), if any — for allows and implicit denies (an explicit
    /// deny stops the evaluation before the allow side is looked at).
    pub fn delegation(&self) -> Option<StatementRef<'a>> {
        self.r.delegation.map(|i| self.stmt_ref(i))
    }

    /// Statements whose condition, principal or resource could not be
    /// evaluated (an unreadable context value, an unresolvable variable, a
    /// malformed ARN). A Deny among them was applied; an Allow was not.
    pub fn unevaluable(&self) -> impl Iterator<Item = StatementRef<'a>> + '_ {
        self.r
            .unevaluable
            .as_slice()
            .iter()
            .map(|&i| self.stmt_ref(i))
    }

    /// Statement `stmt`, when it takes the request's action and its
    /// `Resource` or a condition does not hold: which one. For an identity
    /// statement, only a condition counts (its `Resource` naming other keys
    /// is no near miss).
    fn near_miss(
        &self,
        stmt: u32,
        key: &'a KeyEntry,
        principal: &'a PrincipalEntry,
    ) -> Option<NearMiss<'a>> {
        let auth: &'a Authorizer = self.r.auth;
        let s: &'a CStmt = auth.stmts.get(stmt as usize)?;
        let req: &'a Request = self.r.req;
        if s.effect != Effect::Allow || !s.actions.contains(req.action) {
            return None;
        }
        let in_key_policy = auth
            .policies
            .get(s.policy as usize)
            .is_some_and(|m| m.kind == SourceKind::KeyPolicy);
        let env = Env::new(req, key, principal, auth);
        let unmet = match s.resource.eval(req.key.0 as usize, &key.arn, &env) {
            Tri::No if in_key_policy => Unmet::Resource,
            Tri::Yes => s
                .conditions
                .iter()
                .find(|c| c.eval(&env) == Tri::No)
                .map(|c| Unmet::Condition { key: &c.name })?,
            _ => return None,
        };
        let delegates = s.principal.as_ref().is_some_and(|pm| {
            let fit = pm.fit(&principal.caller, false);
            fit.account && !fit.direct
        });
        Some(NearMiss {
            statement: self.stmt_ref(stmt),
            delegates,
            unmet,
        })
    }

    /// For a deny: what was missing for an allow. Empty for an allow.
    pub fn missing(&self) -> Vec<Gap<'a>> {
        let r = &self.r;
        let mut out = Vec::new();
        if r.decision == Decision::Allow {
            return out;
        }
        let req: &'a Request = r.req;
        if let Some(not_found) = req.missing_key.as_deref() {
            out.push(Gap::KeyNotFound { not_found });
            return out;
        }
        let auth: &'a Authorizer = r.auth;
        let key = auth.keys.get(req.key.0 as usize);
        let principal = auth.principals.get(req.principal.0 as usize);
        let (Some(key), Some(principal)) = (key, principal) else {
            out.push(Gap::UnknownIds);
            return out;
        };
        if r.decision == Decision::ExplicitDeny {
            return out;
        }
        let action = req.action.qualified_name();
        let policy_name = |i: u32| auth.policies.get(i as usize).map_or("", |m| &*m.name);
        let grant_ref = |grant: u32| GrantRef { auth, grant };
        let g = r.gaps;
        if g.has(Gaps::RCP) {
            out.push(Gap::Rcp {
                account: &key.account,
                level: r.failed_rcp.unwrap_or(0) as usize,
            });
        }
        if g.has(Gaps::SCP) {
            out.push(Gap::Scp {
                account: principal.caller.account(),
                level: r.failed_scp.unwrap_or(0) as usize,
            });
        }
        if g.has(Gaps::KEY_POLICY) {
            out.push(Gap::KeyPolicy {
                policy: policy_name(key.policy),
                action,
                account: principal.caller.account(),
                principal: principal.caller.arn(),
                near_miss: r.near_miss.and_then(|i| self.near_miss(i, key, principal)),
            });
        }
        if g.has(Gaps::IDENTITY) {
            let near_miss = principal
                .identity
                .clone()
                .find_map(|i| self.near_miss(i, key, principal));
            out.push(Gap::Identity {
                action,
                key: &key.arn,
                delegation: self.delegation(),
                near_miss,
            });
        }
        if g.has(Gaps::CROSS_ACCOUNT_IDENTITY) {
            out.push(Gap::CrossAccountIdentity {
                action,
                account: principal.caller.account(),
                statement: r.named.map(|i| self.stmt_ref(i)),
            });
        }
        if g.has(Gaps::BOUNDARY) {
            let name = principal
                .boundary
                .as_ref()
                .map_or("", |(p, _)| policy_name(*p));
            out.push(Gap::Boundary { policy: name });
        }
        if g.has(Gaps::SESSION_POLICY) {
            let name = principal
                .session
                .as_ref()
                .map_or("", |(p, _)| policy_name(*p));
            out.push(Gap::SessionPolicy { policy: name });
        }
        if g.has(Gaps::FEDERATED_NO_SESSION_POLICY) {
            out.push(Gap::FederatedWithoutSessionPolicy);
        }
        if let Some(grant) = r.near_grant {
            if g.has(Gaps::CHILD_GRANT) {
                out.push(Gap::ChildGrant {
                    grant: grant_ref(grant),
                });
            } else if g.has(Gaps::GRANT_CONSTRAINTS) {
                out.push(Gap::GrantConstraints {
                    grant: grant_ref(grant),
                });
            }
        }
        if g.has(Gaps::RETIRE_NOT_FROM_KEY_POLICY) {
            out.push(Gap::RetireNotFromKeyPolicy);
        }
        out
    }

    /// One line per reason, for people: the deciding statements, the grant,
    /// the delegation, and what was missing.
    pub fn reasons(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        match self.r.decision {
            Decision::ExplicitDeny => {
                for s in self.deciding() {
                    out.push(format!("denied by {s}"));
                }
            }
            Decision::Allow => {
                for s in self.deciding() {
                    out.push(format!("allowed by {s}"));
                }
                if let Some(g) = self.grant() {
                    out.push(format!("allowed by {g}"));
                }
                if self.r.path == Some(AllowPath::KeyPolicyAndIam) {
                    if let Some(d) = self.delegation() {
                        out.push(format!(
                            "the key policy delegates to IAM through statement `{}`",
                            d.name()
                        ));
                    }
                }
                if let Some(e) = self.r.error() {
                    out.push(format!("but the call fails: {e}"));
                }
            }
            Decision::ImplicitDeny => {
                for gap in self.missing() {
                    out.push(gap.to_string());
                }
                if out.is_empty() {
                    out.push("nothing allows the request".to_string());
                }
            }
        }
        for s in self.unevaluable() {
            out.push(format!("{s} could not be evaluated"));
        }
        out
    }
}
