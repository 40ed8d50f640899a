//! What each step of a decision found, as a small copyable record. The
//! decision writes it without allocating; [`crate::Explanation`] derives
//! everything it says from it, without evaluating anything again.
//!
//! Statements and grants are held by their position in the authorizer,
//! which the decision only ever takes from the ranges it scans: a position
//! in a trace is valid for the authorizer that made it.

use crate::decision::Decision;
use crate::inline::InlineVec;
use crate::key_state::{ErrorCause, KmsErrorKind};

/// A compiled statement's position in its authorizer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct StmtIx(pub(crate) u32);

/// A grant's position in its authorizer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct GrantIx(pub(crate) u32);

/// The element of an Allow statement that did not hold, for a statement
/// that covers the action (and, in a key policy, names the caller or its
/// account).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Miss {
    /// `Resource`/`NotResource` does not cover the key.
    Resource,
    /// The condition at this position is false.
    Condition(u32),
}

impl Miss {
    /// How near an allow a statement with this miss came: a false
    /// condition is nearer than a resource naming another key.
    fn nearness(self) -> u8 {
        match self {
            Miss::Resource => 0,
            Miss::Condition(_) => 1,
        }
    }
}

/// A statement that almost applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Near {
    pub(crate) stmt: StmtIx,
    pub(crate) miss: Miss,
    /// A key-policy statement naming the caller's account (a delegation)
    /// rather than the caller.
    pub(crate) delegates: bool,
}

/// Keep the nearer of two near misses (the first on a tie).
pub(crate) fn nearer(kept: Option<Near>, new: Near) -> Option<Near> {
    match kept {
        Some(k) if k.miss.nearness() >= new.miss.nearness() => Some(k),
        _ => Some(new),
    }
}

/// One policy layer scanned for an Allow: the first that applies, or the
/// nearest miss.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    pub(crate) allow: Option<StmtIx>,
    pub(crate) near: Option<Near>,
}

/// An organization chain whose level `level` has no applicable Allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LevelMiss {
    pub(crate) level: u32,
    pub(crate) near: Option<Near>,
}

/// What the key policy's Allow statements did for the request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeyPolicyScan {
    /// The first applicable Allow naming the caller exactly (rule 6).
    pub(crate) exact: Option<StmtIx>,
    /// The first naming it otherwise (its role, `"*"`, `NotPrincipal`).
    pub(crate) other: Option<StmtIx>,
    /// The first delegating the action to the caller's account (rule 4).
    pub(crate) delegation: Option<StmtIx>,
    /// The nearest statement naming the caller or its account that did not apply.
    pub(crate) near: Option<Near>,
    /// The nearest naming the caller itself that did not apply.
    pub(crate) near_direct: Option<Near>,
}

impl KeyPolicyScan {
    /// A statement naming the caller itself that applies.
    pub(crate) fn direct(&self) -> Option<StmtIx> {
        self.exact.or(self.other)
    }

    /// True when some statement names the caller or delegates to its account.
    pub(crate) fn addresses_caller(&self) -> bool {
        self.direct().is_some() || self.delegation.is_some()
    }
}

/// The permissions boundary or session policy, where the caller has one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Gate {
    /// There is none: nothing to pass.
    #[default]
    Absent,
    /// A federated user session without a session policy: no identity
    /// permissions (K step 7).
    FederatedWithoutPolicy,
    /// Scanned.
    Scanned(Scan),
}

impl Gate {
    /// Does the gate let the request through?
    pub(crate) fn passes(self) -> bool {
        match self {
            Gate::Absent => true,
            Gate::FederatedWithoutPolicy => false,
            Gate::Scanned(scan) => scan.allow.is_some(),
        }
    }

    /// The statement that let it through.
    pub(crate) fn allow(self) -> Option<StmtIx> {
        match self {
            Gate::Scanned(scan) => scan.allow,
            _ => None,
        }
    }
}

/// How a grant was used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GrantUse {
    /// By its grantee (rule 14).
    Grantee,
    /// By its retiring principal, to retire it (rule 19).
    RetiringPrincipal,
    /// By its issuing account through IAM, to retire it (rule 19).
    IssuingAccount,
}

/// Why a grant for the caller and the action did not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GrantMiss {
    /// The encryption context does not meet its constraints (rule 17).
    Constraints,
    /// CreateGrant: the new grant is not within it (rule 18).
    ChildGrant,
}

/// How an allowed request was allowed, before the organization filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// A key-policy statement naming the caller; `gated` when the
    /// boundary and session policy had to allow too (rule 6), `via_iam`
    /// when the caller's IAM policy had to (rule 8).
    KeyPolicy {
        stmt: StmtIx,
        gated: bool,
        via_iam: bool,
    },
    /// The key policy delegates and IAM allows (rules 4, 7).
    Delegation { stmt: StmtIx },
    /// A grant; `via_iam` when an account grantee or retiring principal
    /// needed the principal's IAM allow.
    Grant {
        grant: GrantIx,
        by: GrantUse,
        via_iam: bool,
    },
}

/// Where the decision stopped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Every step ran (up to an explicit deny, when there was one).
    #[default]
    Evaluated,
    /// The key reference found no key: KMS answers before any policy.
    KeyNotFound,
    /// The request names a key or principal of another authorizer.
    UnknownIds,
}

/// What each step of one decision found.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Trace {
    pub(crate) decision: Decision,
    pub(crate) stop: Stop,
    /// Step 1: every applicable Deny.
    pub(crate) denies: InlineVec<StmtIx, 8>,
    /// Statements that could not be evaluated.
    pub(crate) unevaluable: InlineVec<StmtIx, 4>,
    /// Step 2: the Allow of each organization level that passed (RCPs, then SCPs).
    pub(crate) org_allows: InlineVec<StmtIx, 8>,
    pub(crate) rcp_failed: Option<LevelMiss>,
    pub(crate) scp_failed: Option<LevelMiss>,
    /// Step 2: the VPC endpoint the request came through (its position in
    /// the authorizer) and its policy's Allow scan.
    pub(crate) endpoint: Option<(u32, Scan)>,
    /// Step 3.
    pub(crate) key_policy: KeyPolicyScan,
    /// Step 4: `None` when identity policies were not consulted (a service
    /// principal, the root user).
    pub(crate) identity: Option<Scan>,
    pub(crate) boundary: Gate,
    pub(crate) session: Gate,
    /// Step 5: the first grant that came close and why it did not allow.
    pub(crate) near_grant: Option<(GrantIx, GrantMiss)>,
    /// The allow path found, whether or not the organization let it through.
    pub(crate) route: Option<Route>,
    /// Step 6.
    pub(crate) error: Option<(KmsErrorKind, ErrorCause)>,
}

impl Trace {
    pub(crate) fn new() -> Trace {
        Trace {
            decision: Decision::ImplicitDeny,
            stop: Stop::Evaluated,
            denies: InlineVec::default(),
            unevaluable: InlineVec::default(),
            org_allows: InlineVec::default(),
            rcp_failed: None,
            scp_failed: None,
            endpoint: None,
            key_policy: KeyPolicyScan::default(),
            identity: None,
            boundary: Gate::Absent,
            session: Gate::Absent,
            near_grant: None,
            route: None,
            error: None,
        }
    }

    /// True when the caller's identity policies allow (the root user's do,
    /// implicitly, rule 5).
    pub(crate) fn identity_allows(&self, root: bool) -> bool {
        root || self.identity.is_some_and(|s| s.allow.is_some())
    }

    /// True when the request came through a VPC endpoint whose policy does
    /// not allow it.
    pub(crate) fn endpoint_failed(&self) -> bool {
        self.endpoint.is_some_and(|(_, scan)| scan.allow.is_none())
    }

    /// True when the boundary and session policy let the request through.
    pub(crate) fn gates_pass(&self) -> bool {
        self.boundary.passes() && self.session.passes()
    }
}
