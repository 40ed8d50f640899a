//! Who makes a request: an IAM identity read from its ARN, or an AWS service.
//!
//! The caller is parsed once; every principal comparison at decision time is
//! then a comparison of a few short strings.

use std::fmt;

use keyward_policy::matching::PrincipalArn;

use crate::err::EvalError;

/// The kinds of caller (rules 5, 21–24).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallerKind {
    /// The account's root user (`arn:aws:iam::ACCT:root`, or the bare account id).
    Root,
    /// An IAM user.
    User {
        /// The user name (last path segment).
        name: Box<str>,
    },
    /// A session of an IAM role.
    AssumedRole {
        /// The role name (no path: session ARNs carry none).
        role: Box<str>,
        /// The session name; `None` when the caller was given as the role
        /// ARN, meaning "some session of this role".
        session: Option<Box<str>>,
    },
    /// An STS federated user (`GetFederationToken`).
    FederatedUser {
        /// The federated user name.
        name: Box<str>,
    },
    /// An AWS service principal calling for itself (`s3.amazonaws.com`).
    Service {
        /// The service principal name.
        name: Box<str>,
    },
}

/// A caller, parsed from its ARN (or service name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    kind: CallerKind,
    partition: Box<str>,
    account: Box<str>,
    arn: Box<str>,
    principal_arn: Box<str>,
    user_id: Option<Box<str>>,
}

impl Caller {
    /// Read a caller from an IAM or STS ARN, or a bare 12-digit account id
    /// (the root user).
    ///
    /// A role ARN stands for a session of that role: `aws:PrincipalArn` is the
    /// role ARN as given (with its path), and a policy naming a specific
    /// session does not match it.
    ///
    /// ```
    /// use keyward_eval::Caller;
    /// let c = Caller::from_arn("arn:aws:sts::111122223333:assumed-role/Admin/alice").unwrap();
    /// assert_eq!(c.account(), "111122223333");
    /// assert_eq!(c.principal_arn(), "arn:aws:iam::111122223333:role/Admin");
    /// assert!(Caller::from_arn("arn:aws:iam::111122223333:group/Devs").is_err());
    /// ```
    pub fn from_arn(text: &str) -> Result<Caller, EvalError> {
        let unsupported = || {
            EvalError::new("eval::caller-kind", format!("`{text}` cannot make requests"))
                .with_help("a caller is an IAM user (`arn:aws:iam::ACCOUNT:user/NAME`), a role (`arn:aws:iam::ACCOUNT:role/NAME`), a role session (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), a federated user, or the root user (`arn:aws:iam::ACCOUNT:root` or a 12-digit account id); IAM groups are not principals (rule 27)")
        };
        if text.contains(['*', '?']) {
            return Err(EvalError::new(
                "eval::caller-wildcard",
                format!("the caller `{text}` contains a wildcard"),
            )
            .with_help("a request is made by one principal: name it exactly"));
        }
        let (kind, partition, account, principal_arn): (CallerKind, &str, &str, Box<str>) =
            match PrincipalArn::parse(text) {
                PrincipalArn::Account { partition, account } => {
                    return Ok(Caller::root(partition.unwrap_or("aws"), account));
                }
                PrincipalArn::User {
                    partition,
                    account,
                    name,
                    ..
                } => (
                    CallerKind::User { name: name.into() },
                    partition,
                    account,
                    text.into(),
                ),
                PrincipalArn::Role {
                    partition,
                    account,
                    name,
                    ..
                } => (
                    CallerKind::AssumedRole {
                        role: name.into(),
                        session: None,
                    },
                    partition,
                    account,
                    text.into(),
                ),
                PrincipalArn::AssumedRole {
                    partition,
                    account,
                    role_name,
                    session,
                } => (
                    CallerKind::AssumedRole {
                        role: role_name.into(),
                        session: Some(session.into()),
                    },
                    partition,
                    account,
                    format!("arn:{partition}:iam::{account}:role/{role_name}").into(),
                ),
                PrincipalArn::FederatedUser {
                    partition,
                    account,
                    name,
                } => (
                    CallerKind::FederatedUser { name: name.into() },
                    partition,
                    account,
                    text.into(),
                ),
                _ => return Err(unsupported()),
            };
        let user_id = match &kind {
            CallerKind::FederatedUser { name } => Some(format!("{account}:{name}").into()),
            _ => None,
        };
        Ok(Caller {
            kind,
            partition: partition.into(),
            account: account.into(),
            arn: text.into(),
            principal_arn,
            user_id,
        })
    }

    /// The root user of `account` in `partition`.
    pub fn root(partition: &str, account: &str) -> Caller {
        Caller {
            kind: CallerKind::Root,
            partition: partition.into(),
            account: account.into(),
            arn: format!("arn:{partition}:iam::{account}:root").into(),
            principal_arn: format!("arn:{partition}:iam::{account}:root").into(),
            user_id: Some(account.into()),
        }
    }

    /// An AWS service principal such as `s3.amazonaws.com`.
    pub fn service(name: &str) -> Result<Caller, EvalError> {
        let valid = !name.is_empty()
            && name.contains('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c));
        if !valid {
            return Err(EvalError::new(
                "eval::service-name",
                format!("`{name}` is not a service principal name"),
            )
            .with_help("service principals look like `cloudtrail.amazonaws.com`"));
        }
        Ok(Caller {
            kind: CallerKind::Service { name: name.into() },
            partition: "aws".into(),
            account: "".into(),
            arn: name.into(),
            principal_arn: name.into(),
            user_id: None,
        })
    }

    /// Set `aws:userid` (IAM's unique id, which an ARN does not reveal).
    #[must_use]
    pub fn with_user_id(mut self, user_id: &str) -> Caller {
        self.user_id = Some(user_id.into());
        self
    }

    /// What kind of caller this is.
    pub fn kind(&self) -> &CallerKind {
        &self.kind
    }

    /// The ARN as given (or the service name).
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// `aws:PrincipalArn`: for role sessions, the role's ARN.
    pub fn principal_arn(&self) -> &str {
        &self.principal_arn
    }

    /// The caller's account (`kms:CallerAccount`); empty for services.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The ARN partition (`aws`, `aws-cn`, …).
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// `aws:userid`, when known.
    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// `aws:username`: IAM users only.
    pub fn user_name(&self) -> Option<&str> {
        match &self.kind {
            CallerKind::User { name } => Some(name),
            _ => None,
        }
    }

    /// `aws:PrincipalType`.
    pub fn principal_type(&self) -> Option<&'static str> {
        match self.kind {
            CallerKind::Root => Some("Account"),
            CallerKind::User { .. } => Some("User"),
            CallerKind::AssumedRole { .. } => Some("AssumedRole"),
            CallerKind::FederatedUser { .. } => Some("FederatedUser"),
            CallerKind::Service { .. } => None,
        }
    }

    /// True for AWS service principals.
    pub fn is_service(&self) -> bool {
        matches!(self.kind, CallerKind::Service { .. })
    }

    /// True for a service-linked role: a role whose path is
    /// `/aws-service-role/`. "SCPs don't affect service-linked roles" (AWS
    /// Organizations User Guide, "Service control policies (SCPs)"). A
    /// session ARN carries no path, so only a caller given by its role ARN
    /// is known to be one.
    pub fn is_service_linked_role(&self) -> bool {
        matches!(self.kind, CallerKind::AssumedRole { .. })
            && self
                .principal_arn
                .split_once(":role/")
                .is_some_and(|(_, path)| path.starts_with("aws-service-role/"))
    }

    /// True for the root user.
    pub fn is_root(&self) -> bool {
        matches!(self.kind, CallerKind::Root)
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.arn)
    }
}

/// True for a 12-digit AWS account id.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_roles_sessions_and_root_parse() {
        let u = Caller::from_arn("arn:aws:iam::123412341234:user/dev/Bob").unwrap();
        assert_eq!(u.user_name(), Some("Bob"));
        assert_eq!(u.principal_type(), Some("User"));
        let r = Caller::from_arn("arn:aws:iam::123412341234:role/ops/Deploy").unwrap();
        assert_eq!(
            r.principal_arn(),
            "arn:aws:iam::123412341234:role/ops/Deploy"
        );
        assert_eq!(r.principal_type(), Some("AssumedRole"));
        let root = Caller::from_arn("123412341234").unwrap();
        assert!(root.is_root());
        assert_eq!(root.arn(), "arn:aws:iam::123412341234:root");
        assert_eq!(root.user_id(), Some("123412341234"));
    }

    #[test]
    fn groups_wildcards_and_garbage_are_rejected() {
        for bad in [
            "arn:aws:iam::123412341234:group/Devs",
            "arn:aws:iam::123412341234:user/*",
            "arn:aws:iam::12341234:user/Bob",
            "arn:aws:s3:::bucket",
            "Bob",
            "",
        ] {
            assert!(Caller::from_arn(bad).is_err(), "{bad}");
        }
        assert!(Caller::service("not a service").is_err());
    }
}
