//! `Principal` / `NotPrincipal` values compiled into typed matchers
//! (rules 4–6, 9, 21–27), and how a caller relates to them.

use keyward_policy::model::{PrincipalKind, PrincipalSpec, Principals};

use keyward_policy::matching::PrincipalArn;

use crate::caller::{is_account_id, Caller, CallerKind};

/// One principal named in a policy or a grant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Named {
    /// `"*"` / `{"AWS": "*"}`: everyone.
    Everyone,
    /// The account principal: `arn:aws:iam::ACCT:root` or `ACCT` (rule 23).
    Account {
        /// `None` for a bare account id: any partition.
        partition: Option<Box<str>>,
        account: Box<str>,
    },
    /// An IAM user, matched by exact ARN (rule 21).
    User(Box<str>),
    /// An IAM role: matches its sessions by account and role name (rule 22).
    Role {
        partition: Box<str>,
        account: Box<str>,
        name: Box<str>,
    },
    /// One role session, matched by exact ARN (rule 22).
    Session(Box<str>),
    /// An STS federated user, exact ARN.
    FederatedUser(Box<str>),
    /// A unique id (`AIDA…`, `AROA…`): matches a caller whose `aws:userid`
    /// is it (for a role session, `AROA…:session`) (rule 25).
    UniqueId(Box<str>),
    /// An AWS service principal (rule 24).
    Service(Box<str>),
    /// `{"Service": "*"}`.
    AnyService,
    /// A principal that can never be the caller of a KMS request
    /// (`Federated` providers, `CanonicalUser`).
    Never,
    /// Not a valid principal (wildcards inside an ARN, groups, garbage):
    /// cannot be evaluated; an Allow ignores it, a Deny applies (fail closed).
    Invalid,
}

impl Named {
    /// Read an `AWS` principal value (or a grant's grantee/retiring principal).
    pub(crate) fn aws(value: &str) -> Named {
        if value == "*" {
            return Named::Everyone;
        }
        if value.contains(['*', '?']) {
            return Named::Invalid;
        }
        match PrincipalArn::parse(value) {
            PrincipalArn::Account { partition, account } => Named::Account {
                partition: partition.map(Into::into),
                account: account.into(),
            },
            PrincipalArn::User { .. } => Named::User(value.into()),
            PrincipalArn::Role {
                partition,
                account,
                name,
                ..
            } => Named::Role {
                partition: partition.into(),
                account: account.into(),
                name: name.into(),
            },
            PrincipalArn::AssumedRole { .. } => Named::Session(value.into()),
            PrincipalArn::FederatedUser { .. } => Named::FederatedUser(value.into()),
            // Rule 25: a unique id matches only a caller whose id is known to be it.
            PrincipalArn::UniqueId { id, .. } => Named::UniqueId(id.into()),
            PrincipalArn::Group { .. } | PrincipalArn::Other(_) => Named::Invalid,
        }
    }

    /// Read a grantee: a service principal name or an `AWS` principal.
    pub(crate) fn grantee(value: &str) -> Named {
        if !value.starts_with("arn:") && !is_account_id(value) && value.ends_with(".amazonaws.com")
        {
            Named::Service(value.to_ascii_lowercase().into())
        } else {
            match Named::aws(value) {
                Named::Everyone => Named::Invalid,
                other => other,
            }
        }
    }

    /// How this name relates to `caller`.
    pub(crate) fn relation(&self, caller: &Caller) -> Relation {
        match self {
            Named::Everyone => Relation::Everyone,
            Named::Account { partition, account } => {
                if !caller.is_service()
                    && **account == *caller.account()
                    && partition.as_deref().is_none_or(|p| p == caller.partition())
                {
                    if caller.is_root() {
                        Relation::Exact
                    } else {
                        Relation::Account
                    }
                } else {
                    Relation::None
                }
            }
            Named::User(arn) | Named::FederatedUser(arn) => {
                if matches!(
                    caller.kind(),
                    CallerKind::User { .. } | CallerKind::FederatedUser { .. }
                ) && **arn == *caller.arn()
                {
                    Relation::Exact
                } else {
                    Relation::None
                }
            }
            Named::Session(arn) => match caller.kind() {
                CallerKind::AssumedRole {
                    session: Some(_), ..
                } if **arn == *caller.arn() => Relation::Exact,
                _ => Relation::None,
            },
            Named::Role {
                partition,
                account,
                name,
            } => match caller.kind() {
                CallerKind::AssumedRole { role, .. }
                    if role == name
                        && **account == *caller.account()
                        && **partition == *caller.partition() =>
                {
                    Relation::Role
                }
                _ => Relation::None,
            },
            Named::Service(name) => match caller.kind() {
                CallerKind::Service { name: c } if c.eq_ignore_ascii_case(name) => Relation::Exact,
                _ => Relation::None,
            },
            Named::AnyService => {
                if caller.is_service() {
                    Relation::Exact
                } else {
                    Relation::None
                }
            }
            Named::UniqueId(id) => match caller.user_id() {
                Some(uid)
                    if uid == &**id
                        || (matches!(caller.kind(), CallerKind::AssumedRole { .. })
                            && uid.split(':').next() == Some(&**id)) =>
                {
                    Relation::Exact
                }
                _ => Relation::None,
            },
            Named::Never => Relation::None,
            Named::Invalid => Relation::Invalid,
        }
    }
}

/// How a named principal relates to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    /// Not this caller.
    None,
    /// Names exactly this caller: a user ARN, a session ARN, the root user
    /// (through its account), a service. Same-account grants by such a name
    /// are not limited by implicit denies of the caller's own policies (rule 6).
    Exact,
    /// Names the caller's role: limited by boundary and session policy (rule 6).
    Role,
    /// `*`: everyone (rule 9).
    Everyone,
    /// Names the caller's account: delegation to IAM (rule 4).
    Account,
    /// Cannot be evaluated.
    Invalid,
}

/// A compiled `Principal` / `NotPrincipal` element.
#[derive(Clone, Debug)]
pub(crate) struct PrincipalMatcher {
    negated: bool,
    names: Box<[Named]>,
}

/// What a statement's principal element says about a caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PrincipalFit {
    /// The statement addresses the caller itself (not only its account).
    pub(crate) direct: bool,
    /// ... by a name that is exactly the caller (rule 6: not limited by implicit denies).
    pub(crate) exact: bool,
    /// The statement names the caller's account principal (delegation).
    pub(crate) account: bool,
    /// Some name could not be evaluated.
    pub(crate) invalid: bool,
}

impl PrincipalMatcher {
    /// Compile a principal element.
    pub(crate) fn compile(p: &Principals) -> PrincipalMatcher {
        let names = match &p.spec {
            PrincipalSpec::Wildcard => vec![Named::Everyone],
            PrincipalSpec::Map(groups) => groups
                .iter()
                .flat_map(|g| {
                    g.values.iter().map(move |v| match g.kind.node {
                        PrincipalKind::Aws => Named::aws(&v.node),
                        PrincipalKind::Service if v.node == "*" => Named::AnyService,
                        PrincipalKind::Service => {
                            Named::Service(v.node.to_ascii_lowercase().into())
                        }
                        PrincipalKind::Federated | PrincipalKind::CanonicalUser => Named::Never,
                    })
                })
                .collect(),
        };
        PrincipalMatcher {
            negated: p.negated,
            names: names.into(),
        }
    }

    /// How the element relates to `caller`, for a statement whose effect is
    /// Deny when `deny` (which matters only for `NotPrincipal`).
    pub(crate) fn fit(&self, caller: &Caller, deny: bool) -> PrincipalFit {
        if self.negated {
            return self.fit_negated(caller, deny);
        }
        let mut fit = PrincipalFit::default();
        for name in self.names.iter() {
            match name.relation(caller) {
                Relation::None => {}
                Relation::Exact => {
                    fit.direct = true;
                    fit.exact = true;
                    if caller.is_root() {
                        fit.account = true;
                    }
                }
                Relation::Role | Relation::Everyone => fit.direct = true,
                Relation::Account => fit.account = true,
                Relation::Invalid => fit.invalid = true,
            }
        }
        fit
    }

    /// `NotPrincipal` (rule 26). AWS may check the account, the role and the
    /// session separately, so a caller counts as *listed* (exempt) only when
    /// every layer of its identity is listed: the account, plus the user, or
    /// the role and the session. For an `Allow`, the caller is excluded when
    /// any layer is listed. Both readings are the safer ones (see
    /// docs/evaluation.md): a Deny applies more often, an Allow less often.
    fn fit_negated(&self, caller: &Caller, deny: bool) -> PrincipalFit {
        let mut account = false;
        let mut identity = false;
        let mut role = false;
        let mut any = false;
        let mut invalid = false;
        for name in self.names.iter() {
            match name.relation(caller) {
                Relation::None => {}
                Relation::Everyone => {
                    account = true;
                    identity = true;
                    role = true;
                    any = true;
                }
                Relation::Account => {
                    account = true;
                    any = true;
                }
                Relation::Exact => {
                    identity = true;
                    any = true;
                    if caller.is_root() {
                        account = true;
                    }
                }
                Relation::Role => {
                    role = true;
                    any = true;
                }
                Relation::Invalid => invalid = true,
            }
        }
        let fully_listed = match caller.kind() {
            CallerKind::Service { .. } => identity,
            CallerKind::Root => account,
            CallerKind::AssumedRole { session: None, .. } => account && role,
            CallerKind::AssumedRole { .. } => account && role && identity,
            _ => account && identity,
        };
        PrincipalFit {
            direct: if deny { !fully_listed } else { !any },
            exact: false,
            account: false,
            invalid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(arn: &str) -> Caller {
        Caller::from_arn(arn).unwrap()
    }

    #[test]
    fn invalid_names_are_kept_apart_so_they_fail_closed() {
        for bad in [
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:iam::111122223333:group/G",
            "bob",
            "arn:aws:s3:::b",
        ] {
            assert_eq!(Named::aws(bad), Named::Invalid, "{bad}");
        }
        let bob = caller("arn:aws:iam::111122223333:user/Bob");
        assert_eq!(Named::Invalid.relation(&bob), Relation::Invalid);
    }

    #[test]
    fn relations_follow_rules_4_6_and_22() {
        let session = caller("arn:aws:sts::111122223333:assumed-role/App/s1");
        let root = caller("111122223333");
        assert_eq!(
            Named::aws("111122223333").relation(&session),
            Relation::Account
        );
        assert_eq!(
            Named::aws("arn:aws:iam::111122223333:root").relation(&root),
            Relation::Exact
        );
        assert_eq!(
            Named::aws("arn:aws:iam::111122223333:role/x/App").relation(&session),
            Relation::Role
        );
        assert_eq!(
            Named::aws("arn:aws:sts::111122223333:assumed-role/App/s1").relation(&session),
            Relation::Exact
        );
        assert_eq!(
            Named::aws("arn:aws-cn:iam::111122223333:root").relation(&session),
            Relation::None
        );
        assert_eq!(
            Named::grantee("s3.amazonaws.com")
                .relation(&Caller::service("s3.amazonaws.com").unwrap()),
            Relation::Exact
        );
    }
}
