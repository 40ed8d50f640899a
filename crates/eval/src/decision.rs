//! The outcome of authorization: allow, or which kind of deny; and for an
//! allow, which path allowed it.

use std::fmt;

/// The authorization decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
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
