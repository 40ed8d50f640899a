//! The compiled world a decision reads: keys, principals, organization
//! chains and the policies they hold, as plain data. [`crate::Authorizer`]
//! builds them; the decision and its explanation read them.

use std::ops::Range;
use std::sync::Arc;

use keyward_policy::Source;

use crate::action::ActionSet;
use crate::caller::Caller;
use crate::key_manager::KeyManager;
use crate::key_spec::{KeySpec, KeyUsage};
use crate::key_state::{KeyOrigin, KeyState};

/// A key in an [`crate::Authorizer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub(crate) u32);

/// A principal in an [`crate::Authorizer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrincipalId(pub(crate) u32);

/// A grant in an [`crate::Authorizer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GrantId(pub(crate) u32);

/// The kinds of policy that take part in a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The key's key policy.
    KeyPolicy,
    /// An IAM identity policy of the caller.
    Identity,
    /// The caller's permissions boundary.
    PermissionsBoundary,
    /// The caller's session policy.
    SessionPolicy,
    /// A service control policy of the caller's account.
    Scp,
    /// A resource control policy of the key's account.
    Rcp,
    /// The policy of the VPC endpoint the request came through.
    VpcEndpoint,
}

impl SourceKind {
    /// How the kind is named to users.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::KeyPolicy => "key policy",
            SourceKind::Identity => "IAM policy",
            SourceKind::PermissionsBoundary => "permissions boundary",
            SourceKind::SessionPolicy => "session policy",
            SourceKind::Scp => "SCP",
            SourceKind::Rcp => "RCP",
            SourceKind::VpcEndpoint => "VPC endpoint policy",
        }
    }

    /// A short machine name (`key-policy`, `identity`, …).
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::KeyPolicy => "key-policy",
            SourceKind::Identity => "identity",
            SourceKind::PermissionsBoundary => "permissions-boundary",
            SourceKind::SessionPolicy => "session-policy",
            SourceKind::Scp => "scp",
            SourceKind::Rcp => "rcp",
            SourceKind::VpcEndpoint => "vpc-endpoint",
        }
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What explanations say about a policy: its kind, name and text.
/// Shared (`Arc`) by the policy's compiled statements and its owner.
#[derive(Clone, Debug)]
pub(crate) struct PolicyMeta {
    pub(crate) kind: SourceKind,
    pub(crate) name: Arc<str>,
    pub(crate) source: Source,
    pub(crate) statement_array: bool,
}

/// A compiled policy: its metadata and its statements' range in the
/// authorizer's statement list.
#[derive(Clone, Debug)]
pub(crate) struct CPolicy {
    pub(crate) meta: Arc<PolicyMeta>,
    pub(crate) stmts: Range<u32>,
}

/// One level of an organization policy chain: every level must allow;
/// within a level, any policy may.
#[derive(Clone, Debug)]
pub(crate) struct Level {
    pub(crate) policies: Box<[Arc<PolicyMeta>]>,
    pub(crate) stmts: Range<u32>,
}

/// The SCP levels of a caller's account, or the RCP levels of a key's.
#[derive(Clone, Debug)]
pub(crate) struct OrgChain {
    pub(crate) account: Box<str>,
    pub(crate) levels: Vec<Level>,
}

/// An interface VPC endpoint for KMS and its endpoint policy: a request
/// through it (`aws:SourceVpce`) must be allowed by the policy too.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    pub(crate) id: Box<str>,
    pub(crate) policy: CPolicy,
}

/// A grant's place in its source (a scenario's `grants` entry), when known.
#[derive(Clone, Debug)]
pub(crate) struct GrantSite {
    pub(crate) source: Source,
    pub(crate) span: keyward_policy::Span,
}

#[derive(Clone, Debug)]
pub(crate) struct KeyEntry {
    pub(crate) name: Box<str>,
    pub(crate) arn: Arc<str>,
    pub(crate) partition: Box<str>,
    pub(crate) region: Box<str>,
    pub(crate) account: Box<str>,
    pub(crate) key_id: Box<str>,
    pub(crate) state: KeyState,
    pub(crate) origin: KeyOrigin,
    pub(crate) key_spec: KeySpec,
    pub(crate) key_usage: KeyUsage,
    /// The actions the key's type cannot perform (the key type table),
    /// found once when the key is compiled.
    pub(crate) unsupported: ActionSet,
    pub(crate) multi_region: bool,
    pub(crate) multi_region_key_type: Option<Box<str>>,
    pub(crate) aliases: Vec<Box<str>>,
    /// (lowercased key, value)
    pub(crate) tags: Vec<(Box<str>, Box<str>)>,
    pub(crate) policy: CPolicy,
    pub(crate) grants: Vec<u32>,
    pub(crate) rcp: Option<u32>,
    pub(crate) manager: KeyManager,
}

#[derive(Clone, Debug)]
pub(crate) struct PrincipalEntry {
    pub(crate) name: Box<str>,
    pub(crate) caller: Caller,
    /// (lowercased key, value)
    pub(crate) tags: Vec<(Box<str>, Box<str>)>,
    /// Every identity policy, in the order given.
    pub(crate) identity_policies: Box<[Arc<PolicyMeta>]>,
    /// The statements of all identity policies (contiguous).
    pub(crate) identity: Range<u32>,
    pub(crate) boundary: Option<CPolicy>,
    pub(crate) session: Option<CPolicy>,
    pub(crate) scp: Option<u32>,
}

/// `n` as a `u32` index. An authorizer holds fewer than 2³² keys,
/// principals, grants and statements: each takes many bytes of input, so
/// more cannot be in memory.
#[expect(
    clippy::expect_used,
    reason = "more than 2^32 items of any kind cannot fit in memory: reaching this is a bug, and it must not turn into a wrong index"
)]
pub(crate) fn index_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 2^32 items")
}
