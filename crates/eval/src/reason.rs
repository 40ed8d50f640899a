//! One reason of an explanation, typed: what it says, and the statement or
//! grant it names. Front ends format reasons; they never rebuild them.

use std::fmt;

use keyward_policy::model::Effect;

use crate::gap::{Gap, Help};
use crate::key_state::KmsError;
use crate::refs::{GrantRef, PolicyRef, StatementRef};
use crate::world::SourceKind;

/// One line of an explanation (see [`crate::Explanation::reasons`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason<'a> {
    /// This Deny applies (rule 11).
    Denied(StatementRef<'a>),
    /// This statement let the request through: the key-policy statement,
    /// the IAM statement it needed, the boundary, session-policy, SCP and
    /// RCP statements.
    Allowed(StatementRef<'a>),
    /// This grant allows the grantee (rule 14).
    Grant(GrantRef<'a>),
    /// The caller retires this grant as its retiring principal (rule 19).
    RetiringPrincipal(GrantRef<'a>),
    /// The caller's account issued this grant, and its IAM policy allows
    /// retiring it (rule 19).
    IssuingAccount(GrantRef<'a>),
    /// The key policy delegates the action to IAM through this statement,
    /// and IAM allowed (rules 4, 7).
    Delegation(StatementRef<'a>),
    /// The allowed call still fails (key state, Region; rules 29, 32).
    CallFails(KmsError),
    /// What stood between the request and an allow.
    Missing(Gap<'a>),
    /// Nothing allows, and no gap more precise was found.
    NothingAllows,
    /// The policies of each layer that were read for an implicit deny.
    Consulted(Consulted<'a>),
    /// This statement could not be evaluated: a Deny among them applied,
    /// an Allow did not.
    Unevaluable(StatementRef<'a>),
}

impl<'a> Reason<'a> {
    /// A short machine name: `denied`, `allowed`, `grant`,
    /// `retiring-principal`, `issuing-account`, `delegation`, `call-fails`,
    /// `missing`, `consulted` or `unevaluable`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Denied(_) => "denied",
            Reason::Allowed(_) => "allowed",
            Reason::Grant(_) => "grant",
            Reason::RetiringPrincipal(_) => "retiring-principal",
            Reason::IssuingAccount(_) => "issuing-account",
            Reason::Delegation(_) => "delegation",
            Reason::CallFails(_) => "call-fails",
            Reason::Missing(_) | Reason::NothingAllows => "missing",
            Reason::Consulted(_) => "consulted",
            Reason::Unevaluable(_) => "unevaluable",
        }
    }

    /// The statement the reason names, if any.
    pub fn statement(&self) -> Option<StatementRef<'a>> {
        match self {
            Reason::Denied(s)
            | Reason::Allowed(s)
            | Reason::Delegation(s)
            | Reason::Unevaluable(s) => Some(*s),
            Reason::Missing(gap) => gap.statement(),
            _ => None,
        }
    }

    /// The grant the reason names, if any.
    pub fn grant(&self) -> Option<GrantRef<'a>> {
        match self {
            Reason::Grant(g) | Reason::RetiringPrincipal(g) | Reason::IssuingAccount(g) => Some(*g),
            Reason::Missing(gap) => gap.grant(),
            _ => None,
        }
    }

    /// How what it names bears on the decision: `Allow` for what let the
    /// request through, `Deny` for what denied it, `None` for the rest
    /// (a near miss, a note).
    pub fn effect(&self) -> Option<Effect> {
        match self {
            Reason::Denied(_) => Some(Effect::Deny),
            Reason::Unevaluable(s) if s.effect() == Effect::Deny => Some(Effect::Deny),
            Reason::Allowed(_)
            | Reason::Delegation(_)
            | Reason::Grant(_)
            | Reason::RetiringPrincipal(_)
            | Reason::IssuingAccount(_) => Some(Effect::Allow),
            _ => None,
        }
    }

    /// What would make the request allowed, for a missing piece.
    pub fn help(&self) -> Option<Help<'_, 'a>> {
        match self {
            Reason::Missing(gap) => gap.help(),
            _ => None,
        }
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Denied(s) => write!(f, "denied by {s}"),
            Reason::Allowed(s) => write!(f, "allowed by {s}"),
            Reason::Grant(g) => write!(f, "allowed by {g}"),
            Reason::RetiringPrincipal(g) => write!(
                f,
                "allowed to retire it: the caller is the retiring principal of grant `{}`",
                g.label()
            ),
            Reason::IssuingAccount(g) => write!(
                f,
                "allowed to retire it: the caller's account issued grant `{}`, and its IAM policy allows",
                g.label()
            ),
            Reason::Delegation(s) => write!(
                f,
                "the key policy delegates to IAM through statement `{}`",
                s.name()
            ),
            Reason::CallFails(e) => write!(f, "but the call fails: {e}"),
            Reason::Missing(gap) => write!(f, "{gap}"),
            Reason::NothingAllows => f.write_str("nothing allows the request"),
            Reason::Consulted(c) => write!(f, "{c}"),
            Reason::Unevaluable(s) => write!(f, "{s} could not be evaluated"),
        }
    }
}

/// One layer of policies read for a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer<'a> {
    /// Which kind of policies.
    pub kind: SourceKind,
    /// For SCPs and RCPs, the account whose chain it is.
    pub account: Option<&'a str>,
    /// The policies read, in order (for SCPs and RCPs, level by level up
    /// to the one that did not allow).
    pub policies: Vec<PolicyRef<'a>>,
}

/// The layers of policies an implicit deny read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consulted<'a> {
    /// In decision order: key policy, IAM policies, boundary, session
    /// policy, RCPs, SCPs, VPC endpoint policy.
    pub layers: Vec<Layer<'a>>,
}

impl fmt::Display for Consulted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("consulted")?;
        for (n, layer) in self.layers.iter().enumerate() {
            f.write_str(if n == 0 { " " } else { "; " })?;
            let (one, many) = match layer.kind {
                SourceKind::KeyPolicy => ("key policy", "key policies"),
                SourceKind::Identity => ("IAM policy", "IAM policies"),
                SourceKind::PermissionsBoundary => {
                    ("permissions boundary", "permissions boundaries")
                }
                SourceKind::SessionPolicy => ("session policy", "session policies"),
                SourceKind::Scp => ("SCP", "SCPs"),
                SourceKind::Rcp => ("RCP", "RCPs"),
                SourceKind::VpcEndpoint => ("VPC endpoint policy", "VPC endpoint policies"),
            };
            match layer.policies.as_slice() {
                [] => write!(f, "no {one}")?,
                [p] => write!(f, "{one} `{}`", p.name())?,
                list => {
                    f.write_str(many)?;
                    for (i, p) in list.iter().enumerate() {
                        let sep = if i == 0 { " " } else { ", " };
                        write!(f, "{sep}`{}`", p.name())?;
                    }
                }
            }
            if let Some(account) = layer.account {
                write!(f, " of account {account}")?;
            }
        }
        Ok(())
    }
}
