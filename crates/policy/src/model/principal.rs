//! `Principal` and `NotPrincipal`.

use crate::span::Spanned;

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Principals {
    /// True for `NotPrincipal`.
    pub negated: bool,
    /// What was named.
    pub spec: PrincipalSpec,
}

/// The value of a principal element.
#[derive(Clone, Debug, PartialEq)]
pub enum PrincipalSpec {
    /// `"*"`: everyone (the same as `{"AWS": "*"}`).
    Wildcard,
    /// `{"AWS": …, "Service": …}`: one group per kind, in source order.
    Map(Vec<PrincipalGroup>),
}

/// The values given for one kind of principal.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PrincipalGroup {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub kind: Spanned<PrincipalKind>,
    /// The principals named: ARNs, account ids, service names, `*`.
    pub values: Vec<Spanned<String>>,
    /// Whether written as an array.
    pub array: bool,
}

/// The kinds of principal a policy can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// IAM users, roles, sessions, accounts, `*`.
    Aws,
    /// AWS services such as `cloudtrail.amazonaws.com`.
    Service,
    /// Web identity or SAML providers.
    Federated,
    /// S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// The key as written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }

    /// Every kind, in canonical order.
    pub const ALL: [PrincipalKind; 4] = [
        PrincipalKind::Aws,
        PrincipalKind::Service,
        PrincipalKind::Federated,
        PrincipalKind::CanonicalUser,
    ];

    /// The kind for a key, exactly as AWS spells it.
    pub fn from_key(key: &str) -> Option<PrincipalKind> {
        PrincipalKind::ALL.into_iter().find(|k| k.as_str() == key)
    }
}
