//! Handles on what an explanation names: a statement, a policy, a grant.
//! Each holds references into the authorizer, made only from positions a
//! decision recorded, so it always names something real.

use std::fmt;

use keyward_policy::model::Effect;
use keyward_policy::{Source, Span};

use crate::authorizer::Authorizer;
use crate::compile::CStmt;
use crate::grant::CGrant;
use crate::trace::{GrantIx, StmtIx};
use crate::world::{GrantId, PolicyMeta, SourceKind};

/// A policy that took part in a decision.
#[derive(Clone, Copy)]
pub struct PolicyRef<'a> {
    meta: &'a PolicyMeta,
}

impl<'a> PolicyRef<'a> {
    pub(crate) fn new(meta: &'a PolicyMeta) -> PolicyRef<'a> {
        PolicyRef { meta }
    }

    /// Which kind of policy it is.
    pub fn kind(&self) -> SourceKind {
        self.meta.kind
    }

    /// The policy's name.
    pub fn name(&self) -> &'a str {
        &self.meta.name
    }

    /// The text it was read from.
    pub fn source(&self) -> &'a Source {
        &self.meta.source
    }
}

impl fmt::Debug for PolicyRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for PolicyRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind(), self.name())
    }
}

impl PartialEq for PolicyRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.meta, other.meta)
    }
}

impl Eq for PolicyRef<'_> {}

/// A statement that took part in a decision.
#[derive(Clone, Copy)]
pub struct StatementRef<'a> {
    stmt: &'a CStmt,
}

impl<'a> StatementRef<'a> {
    /// The statement at `ix`, which a decision of `auth` recorded.
    pub(crate) fn new(auth: &'a Authorizer, ix: StmtIx) -> StatementRef<'a> {
        StatementRef {
            stmt: &auth.stmts()[ix.0 as usize],
        }
    }

    /// The policy it is in.
    pub fn policy(&self) -> PolicyRef<'a> {
        PolicyRef::new(&self.stmt.meta)
    }

    /// Which kind of policy it is in.
    pub fn kind(&self) -> SourceKind {
        self.stmt.meta.kind
    }

    /// The policy's name.
    pub fn policy_name(&self) -> &'a str {
        &self.stmt.meta.name
    }

    /// The Sid, when the statement has one.
    pub fn sid(&self) -> Option<&'a str> {
        self.stmt.sid.as_deref().filter(|s| !s.is_empty())
    }

    /// The statement's position in its policy (0-based).
    pub fn index(&self) -> usize {
        self.stmt.index as usize
    }

    pub(crate) fn position(&self) -> u32 {
        self.stmt.index
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
        self.stmt.effect
    }

    /// The statement's span in [`Self::source`].
    pub fn span(&self) -> Span {
        self.stmt.span
    }

    /// The text the span points into.
    pub fn source(&self) -> &'a Source {
        &self.stmt.meta.source
    }

    /// The JSON pointer of the statement within its policy.
    pub fn pointer(&self) -> String {
        if self.stmt.meta.statement_array {
            format!("/Statement/{}", self.index())
        } else {
            "/Statement".to_string()
        }
    }

    /// The name of condition `n` as written (`kms:ViaService`).
    pub(crate) fn condition_name(&self, n: u32) -> &'a str {
        &self.stmt.conditions[n as usize].name
    }
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

impl PartialEq for StatementRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.stmt, other.stmt)
    }
}

impl Eq for StatementRef<'_> {}

/// A grant that took part in a decision.
#[derive(Clone, Copy)]
pub struct GrantRef<'a> {
    grant: &'a CGrant,
    ix: u32,
}

impl<'a> GrantRef<'a> {
    /// The grant at `ix`, which a decision of `auth` recorded.
    pub(crate) fn new(auth: &'a Authorizer, ix: GrantIx) -> GrantRef<'a> {
        GrantRef {
            grant: &auth.grants[ix.0 as usize],
            ix: ix.0,
        }
    }

    /// The grant's handle.
    pub fn id(&self) -> GrantId {
        GrantId(self.ix)
    }

    /// The grant's name or id, or `#n` (its position among all grants).
    pub fn label(&self) -> String {
        self.grant
            .name
            .as_deref()
            .or(self.grant.id.as_deref())
            .map_or_else(|| format!("#{}", self.ix), str::to_string)
    }

    /// The grantee as written.
    pub fn grantee(&self) -> &'a str {
        &self.grant.grantee_text
    }

    /// The constraint type (`EncryptionContextSubset`, …), if any.
    pub fn constraint_type(&self) -> Option<&'static str> {
        self.grant.constraints.as_ref().map(|c| c.type_name())
    }

    /// Where the grant is written, when it was given a place
    /// ([`crate::GrantConfig::written_at`]).
    pub fn written_at(&self) -> Option<(&'a Source, Span)> {
        self.grant.site.as_ref().map(|s| (&s.source, s.span))
    }
}

impl fmt::Debug for GrantRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for GrantRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "grant `{}` to `{}`", self.label(), self.grantee())
    }
}

impl PartialEq for GrantRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.grant, other.grant)
    }
}

impl Eq for GrantRef<'_> {}
