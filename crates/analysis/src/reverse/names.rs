//! How a principal named in a policy or a grant relates to a known caller,
//! read exactly as the evaluator reads `Principal` values and grantees
//! (rules 4–6, 9, 15, 21–27).
//!
//! Reverse queries use the relation twice: to drop the statements and
//! grants that cannot concern a caller, and as part of what makes two
//! callers interchangeable (the same relation to every statement). The
//! relation is a bit set so that a statement naming a caller in several
//! ways keeps every way.

use keyward_eval::{is_account_id, Caller, CallerKind};
use keyward_policy::matching::PrincipalArn;
use keyward_policy::model::{PrincipalKind, PrincipalSpec, Principals};

/// Names exactly this caller (a user, a session, the root through its account, a service).
pub const EXACT: u8 = 1;
/// Names the caller's role (the caller is a session of it).
pub const ROLE: u8 = 2;
/// Names everyone (`*`).
pub const EVERYONE: u8 = 4;
/// Names the caller's account (delegation to IAM).
pub const ACCOUNT: u8 = 8;
/// Cannot be evaluated (wildcards inside an ARN, a group, garbage).
pub const INVALID: u8 = 16;
/// The element is a `NotPrincipal`: it concerns every caller.
pub const NEGATED: u8 = 32;

/// One principal named in a policy or a grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// `*`.
    Everyone,
    /// An account: `arn:aws:iam::ACCT:root` or `ACCT`.
    Account {
        /// `None` for a bare account id.
        partition: Option<String>,
        /// The account.
        account: String,
    },
    /// A user or federated user, by exact ARN.
    Exact(String),
    /// A role, which names its sessions whatever the path.
    Role {
        /// The partition.
        partition: String,
        /// The account.
        account: String,
        /// The role name.
        name: String,
    },
    /// One role session, by exact ARN.
    Session(String),
    /// A unique id (`AIDA…`, `AROA…`).
    UniqueId(String),
    /// A service principal (lowercase).
    Service(String),
    /// `{"Service": "*"}`.
    AnyService,
    /// Never a caller (`Federated`, `CanonicalUser`).
    Never,
    /// Cannot be evaluated.
    Invalid,
}

impl Name {
    /// An `AWS` principal value.
    pub fn aws(value: &str) -> Name {
        if value == "*" {
            return Name::Everyone;
        }
        if value.contains(['*', '?']) {
            return Name::Invalid;
        }
        match PrincipalArn::parse(value) {
            PrincipalArn::Account { partition, account } => Name::Account {
                partition: partition.map(str::to_string),
                account: account.to_string(),
            },
            PrincipalArn::User { .. } | PrincipalArn::FederatedUser { .. } => {
                Name::Exact(value.to_string())
            }
            PrincipalArn::Role {
                partition,
                account,
                name,
                ..
            } => Name::Role {
                partition: partition.to_string(),
                account: account.to_string(),
                name: name.to_string(),
            },
            PrincipalArn::AssumedRole { .. } => Name::Session(value.to_string()),
            PrincipalArn::UniqueId { id, .. } => Name::UniqueId(id.to_string()),
            PrincipalArn::Group { .. } | PrincipalArn::Other(_) => Name::Invalid,
        }
    }

    /// A grantee or retiring principal: a service name or an `AWS` value.
    pub fn grantee(value: &str) -> Name {
        if !value.starts_with("arn:") && !is_account_id(value) && value.ends_with(".amazonaws.com")
        {
            Name::Service(value.to_ascii_lowercase())
        } else {
            match Name::aws(value) {
                Name::Everyone => Name::Invalid,
                other => other,
            }
        }
    }

    /// How this name relates to `caller`: one of the bits above, or 0.
    pub fn relation(&self, caller: &Caller) -> u8 {
        match self {
            Name::Everyone => EVERYONE,
            Name::Account { partition, account } => {
                let hit = !caller.is_service()
                    && account == caller.account()
                    && partition.as_deref().is_none_or(|p| p == caller.partition());
                match (hit, caller.is_root()) {
                    (false, _) => 0,
                    (true, true) => EXACT,
                    (true, false) => ACCOUNT,
                }
            }
            Name::Exact(arn) => {
                let fits = matches!(
                    caller.kind(),
                    CallerKind::User { .. } | CallerKind::FederatedUser { .. }
                ) && arn == caller.arn();
                if fits {
                    EXACT
                } else {
                    0
                }
            }
            Name::Session(arn) => match caller.kind() {
                CallerKind::AssumedRole {
                    session: Some(_), ..
                } if arn == caller.arn() => EXACT,
                _ => 0,
            },
            Name::Role {
                partition,
                account,
                name,
            } => match caller.kind() {
                CallerKind::AssumedRole { role, .. }
                    if **role == **name
                        && account == caller.account()
                        && partition == caller.partition() =>
                {
                    ROLE
                }
                _ => 0,
            },
            Name::Service(name) => match caller.kind() {
                CallerKind::Service { name: c } if c.eq_ignore_ascii_case(name) => EXACT,
                _ => 0,
            },
            Name::AnyService => {
                if caller.is_service() {
                    EXACT
                } else {
                    0
                }
            }
            Name::UniqueId(id) => match caller.user_id() {
                Some(uid)
                    if uid == id
                        || (matches!(caller.kind(), CallerKind::AssumedRole { .. })
                            && uid.split(':').next() == Some(id.as_str())) =>
                {
                    EXACT
                }
                _ => 0,
            },
            Name::Never => 0,
            Name::Invalid => INVALID,
        }
    }
}

/// A `Principal` / `NotPrincipal` element, read once.
#[derive(Clone, Debug)]
pub struct Element {
    /// `NotPrincipal`.
    pub negated: bool,
    /// Every name in it.
    pub names: Vec<Name>,
}

impl Element {
    /// Read an element (`None`: the statement has none, which concerns every caller).
    pub fn of(p: Option<&Principals>) -> Element {
        let Some(p) = p else {
            return Element {
                negated: false,
                names: vec![Name::Everyone],
            };
        };
        let names = match &p.spec {
            PrincipalSpec::Wildcard => vec![Name::Everyone],
            PrincipalSpec::Map(groups) => groups
                .iter()
                .flat_map(|g| {
                    g.values.iter().map(move |v| match g.kind.node {
                        PrincipalKind::Aws => Name::aws(&v.node),
                        PrincipalKind::Service if v.node == "*" => Name::AnyService,
                        PrincipalKind::Service => Name::Service(v.node.to_ascii_lowercase()),
                        PrincipalKind::Federated | PrincipalKind::CanonicalUser => Name::Never,
                    })
                })
                .collect(),
        };
        Element {
            negated: p.negated,
            names,
        }
    }

    /// Every way the element relates to `caller`; 0 when it cannot concern it.
    pub fn code(&self, caller: &Caller) -> u8 {
        let mut code = self.names.iter().fold(0, |acc, n| acc | n.relation(caller));
        if self.negated {
            code |= NEGATED;
        }
        code
    }
}
