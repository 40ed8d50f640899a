//! What stood between a denied request and an allow, and what would close
//! the gap (docs/evaluation.md, "The answer"). A kind of gap is one variant
//! here with its sentence and its help, plus the line of
//! [`crate::Explanation::missing`] that finds it in the trace.

use std::fmt;

use crate::action::KmsAction;
use crate::caller::{Caller, CallerKind};
use crate::reference::{Elsewhere, NotFound};
use crate::refs::{GrantRef, PolicyRef, StatementRef};

/// A statement that addresses the request but did not apply: for the key
/// policy, one that names the caller or delegates to its account for the
/// action; for other policies, one that covers the action. Its `Resource`
/// or a condition did not hold.
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

impl NearMiss<'_> {
    /// What would make the statement apply.
    fn help(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.statement.name();
        match self.unmet {
            Unmet::Resource => write!(
                f,
                "make the `Resource` of statement `{name}` cover this key"
            ),
            Unmet::Condition { key } => write!(
                f,
                "make the condition `{key}` of statement `{name}` hold for the request, or change it"
            ),
        }
    }
}

/// What stood between the request and an allow.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gap<'a> {
    /// The request's key reference (an alias or key id) finds no key in
    /// the account and Region where it is looked up (rules 8, 30, 32).
    KeyNotFound {
        /// What was looked for, and where it does exist.
        not_found: &'a NotFound,
    },
    /// The request names a key or principal of another authorizer.
    UnknownIds,
    /// A level of the key account's RCPs does not allow.
    Rcp {
        /// The key's account.
        account: &'a str,
        /// The level (0 = first given).
        level: usize,
        /// The nearest statement of that level.
        near_miss: Option<NearMiss<'a>>,
    },
    /// A level of the caller's SCPs does not allow.
    Scp {
        /// The caller's account.
        account: &'a str,
        /// The level (0 = first given).
        level: usize,
        /// The nearest statement of that level.
        near_miss: Option<NearMiss<'a>>,
    },
    /// The request came through a VPC endpoint whose policy does not allow
    /// it (an endpoint policy that allows nothing here is an implicit deny).
    VpcEndpoint {
        /// The endpoint (`vpce-…`).
        endpoint: &'a str,
        /// Its endpoint policy.
        policy: PolicyRef<'a>,
        /// The action.
        action: KmsAction,
        /// The nearest statement of the endpoint policy.
        near_miss: Option<NearMiss<'a>>,
    },
    /// No key-policy statement applies: none names the caller or delegates
    /// the action to its account (rules 3, 4), or the nearest that does has
    /// a resource or condition that did not hold (`near_miss`).
    KeyPolicy {
        /// The key policy.
        policy: PolicyRef<'a>,
        /// The action.
        action: KmsAction,
        /// The caller.
        caller: &'a Caller,
        /// The nearest statement naming the caller or its account for the
        /// action.
        near_miss: Option<NearMiss<'a>>,
    },
    /// A key-policy statement names the caller but did not apply, while a
    /// delegation to its account did (and IAM did not allow): both matter.
    NamedButUnmet {
        /// The statement naming the caller, and what did not hold.
        near_miss: NearMiss<'a>,
    },
    /// The key policy delegates to IAM, but no identity policy allows (rule 7).
    Identity {
        /// The action.
        action: KmsAction,
        /// The key's ARN.
        key: &'a str,
        /// The key-policy statement that delegates.
        delegation: StatementRef<'a>,
        /// The nearest IAM statement covering the action.
        near_miss: Option<NearMiss<'a>>,
    },
    /// The key policy names an external caller, whose own IAM policy must
    /// also allow (rule 8).
    CrossAccountIdentity {
        /// The action.
        action: KmsAction,
        /// The caller's account.
        account: &'a str,
        /// The key-policy statement that names the caller.
        statement: StatementRef<'a>,
    },
    /// The permissions boundary does not allow.
    Boundary {
        /// The boundary.
        policy: PolicyRef<'a>,
        /// The action.
        action: KmsAction,
        /// Its nearest statement.
        near_miss: Option<NearMiss<'a>>,
    },
    /// The session policy does not allow.
    SessionPolicy {
        /// The session policy.
        policy: PolicyRef<'a>,
        /// The action.
        action: KmsAction,
        /// Its nearest statement.
        near_miss: Option<NearMiss<'a>>,
    },
    /// A federated user session has no session policy (K step 7).
    FederatedWithoutSessionPolicy {
        /// The action.
        action: KmsAction,
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
}

impl<'a> Gap<'a> {
    /// The nearest statement of the layer that did not allow, when one
    /// came close.
    pub fn near_miss(&self) -> Option<NearMiss<'a>> {
        match self {
            Gap::Rcp { near_miss, .. }
            | Gap::Scp { near_miss, .. }
            | Gap::VpcEndpoint { near_miss, .. }
            | Gap::KeyPolicy { near_miss, .. }
            | Gap::Identity { near_miss, .. }
            | Gap::Boundary { near_miss, .. }
            | Gap::SessionPolicy { near_miss, .. } => *near_miss,
            Gap::NamedButUnmet { near_miss } => Some(*near_miss),
            _ => None,
        }
    }

    /// The statement the gap is about, when there is one: the nearest
    /// miss, the delegation, or the statement naming an external caller.
    pub fn statement(&self) -> Option<StatementRef<'a>> {
        if let Some(m) = self.near_miss() {
            return Some(m.statement);
        }
        match self {
            Gap::Identity { delegation, .. } => Some(*delegation),
            Gap::CrossAccountIdentity { statement, .. } => Some(*statement),
            _ => None,
        }
    }

    /// The grant the gap is about, when there is one.
    pub fn grant(&self) -> Option<GrantRef<'a>> {
        match self {
            Gap::GrantConstraints { grant } | Gap::ChildGrant { grant } => Some(*grant),
            _ => None,
        }
    }

    /// What would close the gap, for people.
    pub fn help(&self) -> Option<Help<'_, 'a>> {
        (!matches!(self, Gap::UnknownIds)).then_some(Help(self))
    }
}

/// Writes ": statement `S` [of P] covers it, but …" after a gap's sentence.
fn near_suffix(
    f: &mut fmt::Formatter<'_>,
    near: Option<&NearMiss<'_>>,
    policy: bool,
) -> fmt::Result {
    let Some(m) = near else { return Ok(()) };
    write!(f, ": statement `{}`", m.statement.name())?;
    if policy {
        write!(f, " of {}", m.statement.policy())?;
    }
    write!(f, " covers it, but {}", m.unmet)
}

impl fmt::Display for Gap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gap::KeyNotFound { not_found } => write!(f, "{not_found}"),
            Gap::UnknownIds => {
                f.write_str("the request names a key or principal this authorizer does not know")
            }
            Gap::Rcp {
                account,
                level,
                near_miss,
            } => {
                write!(f, "no RCP at level {level} of account {account} allows the action")?;
                near_suffix(f, near_miss.as_ref(), true)
            }
            Gap::Scp {
                account,
                level,
                near_miss,
            } => {
                write!(f, "no SCP at level {level} of account {account} allows the action")?;
                near_suffix(f, near_miss.as_ref(), true)
            }
            Gap::VpcEndpoint {
                endpoint,
                near_miss,
                ..
            } => {
                write!(f, "the policy of VPC endpoint `{endpoint}` does not allow the action")?;
                near_suffix(f, near_miss.as_ref(), false)
            }
            Gap::KeyPolicy {
                policy,
                action,
                caller,
                near_miss,
            } => {
                let name = policy.name();
                write!(f, "no statement of key policy `{name}` applies: ")?;
                match (near_miss, caller.kind()) {
                    (Some(m), _) if m.delegates => write!(
                        f,
                        "statement `{}` delegates `{action}` to account {}, but {}",
                        m.statement.name(),
                        caller.account(),
                        m.unmet
                    ),
                    (Some(m), _) => write!(
                        f,
                        "statement `{}` names the caller, but {}",
                        m.statement.name(),
                        m.unmet
                    ),
                    (None, CallerKind::Service { name }) => {
                        write!(f, "none allows `{action}` to the service `{name}`")
                    }
                    (None, _) => write!(
                        f,
                        "none delegates `{action}` to account {} or allows it to `{}`",
                        caller.account(),
                        caller.arn()
                    ),
                }
            }
            Gap::NamedButUnmet { near_miss } => write!(
                f,
                "statement `{}` of {} names the caller, but {}",
                near_miss.statement.name(),
                near_miss.statement.policy(),
                near_miss.unmet
            ),
            Gap::Identity {
                action,
                key,
                delegation,
                near_miss,
            } => {
                write!(
                    f,
                    "key policy `{}` delegates `{action}` to IAM through statement `{}`, but no IAM policy of the caller allows it on `{key}`",
                    delegation.policy_name(),
                    delegation.name()
                )?;
                near_suffix(f, near_miss.as_ref(), true)
            }
            Gap::CrossAccountIdentity {
                action,
                account,
                statement,
            } => write!(
                f,
                "key policy `{}` allows the caller of another account through statement `{}`; an IAM policy in account {account} must also allow `{action}` (rule 8)",
                statement.policy_name(),
                statement.name()
            ),
            Gap::Boundary {
                policy, near_miss, ..
            } => {
                write!(f, "permissions boundary `{}` does not allow the action", policy.name())?;
                near_suffix(f, near_miss.as_ref(), false)
            }
            Gap::SessionPolicy {
                policy, near_miss, ..
            } => {
                write!(f, "session policy `{}` does not allow the action", policy.name())?;
                near_suffix(f, near_miss.as_ref(), false)
            }
            Gap::FederatedWithoutSessionPolicy { .. } => f.write_str(
                "a federated user session without a session policy has no identity-based permissions",
            ),
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
        }
    }
}

/// What would close a [`Gap`] (see [`Gap::help`]).
#[derive(Clone, Copy, Debug)]
pub struct Help<'g, 'a>(&'g Gap<'a>);

impl fmt::Display for Help<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = self.0.near_miss() {
            return m.help(f);
        }
        match self.0 {
            Gap::KeyNotFound { not_found } => match not_found.elsewhere() {
                Elsewhere::OtherAccount => f.write_str("name the key by its key ARN"),
                Elsewhere::OtherRegion => {
                    f.write_str("send the request to the Region of the key that has this name")
                }
                Elsewhere::AliasNotAccepted(_) => f.write_str("name the key by its key ARN or key id"),
            },
            Gap::UnknownIds | Gap::NamedButUnmet { .. } => Ok(()),
            Gap::Rcp { account, level, .. } => {
                write!(f, "allow the action in an RCP at level {level} of account {account}")
            }
            Gap::Scp { account, level, .. } => {
                write!(f, "allow the action in an SCP at level {level} of account {account}")
            }
            Gap::VpcEndpoint {
                endpoint, action, ..
            } => write!(
                f,
                "allow `{action}` on this key in the endpoint policy of `{endpoint}`, or call KMS through another endpoint"
            ),
            Gap::KeyPolicy {
                policy,
                action,
                caller,
                ..
            } => match caller.kind() {
                CallerKind::Service { name } => write!(
                    f,
                    "add to key policy `{}` a statement allowing `{action}` to the service `{name}`",
                    policy.name()
                ),
                _ => write!(
                    f,
                    "add to key policy `{}` a statement allowing `{action}` to `{}`, or one delegating it to account {} (an IAM policy of the caller must then allow it too)",
                    policy.name(),
                    caller.arn(),
                    caller.account()
                ),
            },
            Gap::Identity { action, key, .. } => {
                write!(f, "give the caller an IAM policy allowing `{action}` on `{key}`")
            }
            Gap::CrossAccountIdentity {
                action, account, ..
            } => write!(
                f,
                "give the caller an IAM policy in account {account} allowing `{action}` on this key's ARN"
            ),
            Gap::Boundary { policy, action, .. } => {
                write!(f, "allow `{action}` in permissions boundary `{}`", policy.name())
            }
            Gap::SessionPolicy { policy, action, .. } => {
                write!(f, "allow `{action}` in session policy `{}`", policy.name())
            }
            Gap::FederatedWithoutSessionPolicy { action } => write!(
                f,
                "pass a session policy allowing `{action}` when the federated session is created"
            ),
            Gap::GrantConstraints { grant } => match grant.constraint_type() {
                Some(kind) => write!(
                    f,
                    "send an encryption context that meets the grant's `{kind}` constraint"
                ),
                None => f.write_str("send an encryption context that meets the grant's constraint"),
            },
            Gap::ChildGrant { .. } => f.write_str(
                "ask for a grant within the parent grant's operations, constrained at least as strictly (describe it with `newGrant`)",
            ),
            Gap::RetireNotFromKeyPolicy => f.write_str(
                "retire the grant as its retiring principal, as its grantee when it allows RetireGrant, or from its issuing account with an IAM policy allowing it",
            ),
        }
    }
}
