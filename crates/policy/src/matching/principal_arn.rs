//! The IAM and STS principal forms: accounts, users, roles, role sessions,
//! federated users, groups and unique ids.

use super::arn::Arn;

/// A principal identifier, recognised from its ARN or short form. Borrowed
/// from the text; parsing never allocates.
///
/// ```
/// use keyward_policy::matching::PrincipalArn;
///
/// let role = PrincipalArn::parse("arn:aws:iam::111122223333:role/ops/Admin");
/// let session = PrincipalArn::parse("arn:aws:sts::111122223333:assumed-role/Admin/alice");
/// assert_eq!(role.account(), Some("111122223333"));
/// assert!(session.is_session_of(&role));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalArn<'a> {
    /// `arn:PARTITION:iam::ACCOUNT:root` or a bare 12-digit account id.
    Account {
        /// The partition; `None` for a bare account id.
        partition: Option<&'a str>,
        /// The 12-digit account id.
        account: &'a str,
    },
    /// `arn:PARTITION:iam::ACCOUNT:user/PATH/NAME`.
    User {
        /// The partition.
        partition: &'a str,
        /// The account id.
        account: &'a str,
        /// The path, starting and ending with `/` (`/` when there is none).
        path: &'a str,
        /// The user name.
        name: &'a str,
    },
    /// `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
    Role {
        /// The partition.
        partition: &'a str,
        /// The account id.
        account: &'a str,
        /// The path, starting and ending with `/` (`/` when there is none).
        path: &'a str,
        /// The role name.
        name: &'a str,
    },
    /// `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION`: a role session
    /// (its ARN never shows the role's path).
    AssumedRole {
        /// The partition.
        partition: &'a str,
        /// The account id.
        account: &'a str,
        /// The role name.
        role_name: &'a str,
        /// The session name.
        session: &'a str,
    },
    /// `arn:PARTITION:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser {
        /// The partition.
        partition: &'a str,
        /// The account id.
        account: &'a str,
        /// The federated user's name.
        name: &'a str,
    },
    /// `arn:PARTITION:iam::ACCOUNT:group/PATH/NAME` (not a principal a request
    /// can come from, but written in policies by mistake).
    Group {
        /// The partition.
        partition: &'a str,
        /// The account id.
        account: &'a str,
        /// The path, starting and ending with `/` (`/` when there is none).
        path: &'a str,
        /// The group name.
        name: &'a str,
    },
    /// A unique id such as `AIDA…` (user) or `AROA…` (role): what IAM shows in
    /// place of a principal that was deleted.
    UniqueId {
        /// The id.
        id: &'a str,
        /// What the id's prefix says it names.
        kind: UniqueIdKind,
    },
    /// Anything else: `*`, a service principal, another ARN, malformed text.
    Other(&'a str),
}

/// What a unique principal id names, from its four-letter prefix.
///
/// ```
/// use keyward_policy::matching::{PrincipalArn, UniqueIdKind};
///
/// let p = PrincipalArn::parse("AROAEXAMPLEID1234567X");
/// assert!(matches!(p, PrincipalArn::UniqueId { kind: UniqueIdKind::Role, .. }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UniqueIdKind {
    /// `AIDA`: an IAM user.
    User,
    /// `AROA`: an IAM role.
    Role,
}

/// What identifies a role across its role ARN and its session ARNs: partition,
/// account and role name (the path is absent from session ARNs).
///
/// ```
/// use keyward_policy::matching::PrincipalArn;
///
/// let key = PrincipalArn::parse("arn:aws:iam::111122223333:role/a/b/Admin").role_key().unwrap();
/// assert_eq!((key.partition, key.account, key.name), ("aws", "111122223333", "Admin"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RoleKey<'a> {
    /// The partition.
    pub partition: &'a str,
    /// The account id.
    pub account: &'a str,
    /// The role name.
    pub name: &'a str,
}

impl<'a> PrincipalArn<'a> {
    /// Recognise a principal identifier; unknown forms are [`PrincipalArn::Other`].
    ///
    /// ```
    /// use keyward_policy::matching::PrincipalArn;
    ///
    /// assert_eq!(
    ///     PrincipalArn::parse("111122223333"),
    ///     PrincipalArn::Account { partition: None, account: "111122223333" }
    /// );
    /// assert!(matches!(
    ///     PrincipalArn::parse("arn:aws:iam::111122223333:user/alice"),
    ///     PrincipalArn::User { name: "alice", path: "/", .. }
    /// ));
    /// assert_eq!(PrincipalArn::parse("*"), PrincipalArn::Other("*"));
    /// ```
    pub fn parse(text: &'a str) -> PrincipalArn<'a> {
        if is_account_id(text) {
            return PrincipalArn::Account {
                partition: None,
                account: text,
            };
        }
        if let Some(kind) = unique_id_kind(text) {
            return PrincipalArn::UniqueId { id: text, kind };
        }
        let Ok(arn) = Arn::split(text) else {
            return PrincipalArn::Other(text);
        };
        from_arn(&arn).unwrap_or(PrincipalArn::Other(text))
    }

    /// The account the principal belongs to; `None` for unique ids and other forms.
    ///
    /// ```
    /// use keyward_policy::matching::PrincipalArn;
    ///
    /// let p = PrincipalArn::parse("arn:aws:sts::111122223333:federated-user/bob");
    /// assert_eq!(p.account(), Some("111122223333"));
    /// assert_eq!(PrincipalArn::parse("AIDAEXAMPLEID12345678").account(), None);
    /// ```
    pub fn account(&self) -> Option<&'a str> {
        match *self {
            PrincipalArn::Account { account, .. }
            | PrincipalArn::User { account, .. }
            | PrincipalArn::Role { account, .. }
            | PrincipalArn::AssumedRole { account, .. }
            | PrincipalArn::FederatedUser { account, .. }
            | PrincipalArn::Group { account, .. } => Some(account),
            PrincipalArn::UniqueId { .. } | PrincipalArn::Other(_) => None,
        }
    }

    /// The partition; `None` for bare account ids, unique ids and other forms.
    ///
    /// ```
    /// use keyward_policy::matching::PrincipalArn;
    ///
    /// let p = PrincipalArn::parse("arn:aws-cn:iam::111122223333:root");
    /// assert_eq!(p.partition(), Some("aws-cn"));
    /// ```
    pub fn partition(&self) -> Option<&'a str> {
        match *self {
            PrincipalArn::Account { partition, .. } => partition,
            PrincipalArn::User { partition, .. }
            | PrincipalArn::Role { partition, .. }
            | PrincipalArn::AssumedRole { partition, .. }
            | PrincipalArn::FederatedUser { partition, .. }
            | PrincipalArn::Group { partition, .. } => Some(partition),
            PrincipalArn::UniqueId { .. } | PrincipalArn::Other(_) => None,
        }
    }

    /// For a role or a role session, what identifies the role.
    ///
    /// ```
    /// use keyward_policy::matching::PrincipalArn;
    ///
    /// let role = PrincipalArn::parse("arn:aws:iam::111122223333:role/service-role/Admin");
    /// let session = PrincipalArn::parse("arn:aws:sts::111122223333:assumed-role/Admin/s1");
    /// assert_eq!(role.role_key(), session.role_key());
    /// assert_eq!(PrincipalArn::parse("111122223333").role_key(), None);
    /// ```
    pub fn role_key(&self) -> Option<RoleKey<'a>> {
        match *self {
            PrincipalArn::Role {
                partition,
                account,
                name,
                ..
            } => Some(RoleKey {
                partition,
                account,
                name,
            }),
            PrincipalArn::AssumedRole {
                partition,
                account,
                role_name,
                ..
            } => Some(RoleKey {
                partition,
                account,
                name: role_name,
            }),
            _ => None,
        }
    }

    /// True when `self` is a session of the role `role`: same partition,
    /// account and role name, whatever the role's path.
    ///
    /// ```
    /// use keyward_policy::matching::PrincipalArn;
    ///
    /// let role = PrincipalArn::parse("arn:aws:iam::111122223333:role/Admin");
    /// let other = PrincipalArn::parse("arn:aws:sts::444455556666:assumed-role/Admin/s1");
    /// assert!(!other.is_session_of(&role));
    /// ```
    pub fn is_session_of(&self, role: &PrincipalArn<'_>) -> bool {
        matches!(self, PrincipalArn::AssumedRole { .. })
            && matches!(role, PrincipalArn::Role { .. })
            && self.role_key() == role.role_key()
    }
}

/// `text` split at its first `/` (a byte search: these are short strings,
/// and every principal of every key policy is read through here).
fn split_at_slash(text: &str) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == b'/')?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The principal an IAM or STS ARN names, if it is one of the known forms.
fn from_arn<'a>(arn: &Arn<'a>) -> Option<PrincipalArn<'a>> {
    let (partition, account) = (arn.partition(), arn.account());
    if !arn.region().is_empty() || !is_account_id(account) {
        return None;
    }
    let resource = arn.resource();
    match arn.service() {
        "iam" => {
            if resource == "root" {
                return Some(PrincipalArn::Account {
                    partition: Some(partition),
                    account,
                });
            }
            let (kind, rest) = split_at_slash(resource)?;
            // `rest` is `[path/]name`; the path keeps its leading and trailing `/`.
            let slash = resource.bytes().rposition(|b| b == b'/')?;
            let path = resource.get(kind.len()..=slash)?;
            let name = resource.get(slash + 1..)?;
            if name.is_empty() || rest.is_empty() {
                return None;
            }
            match kind {
                "user" => Some(PrincipalArn::User {
                    partition,
                    account,
                    path,
                    name,
                }),
                "role" => Some(PrincipalArn::Role {
                    partition,
                    account,
                    path,
                    name,
                }),
                "group" => Some(PrincipalArn::Group {
                    partition,
                    account,
                    path,
                    name,
                }),
                _ => None,
            }
        }
        "sts" => {
            let (kind, rest) = split_at_slash(resource)?;
            match kind {
                "assumed-role" => {
                    let (role_name, session) = split_at_slash(rest)?;
                    if role_name.is_empty() || session.is_empty() || session.contains('/') {
                        return None;
                    }
                    Some(PrincipalArn::AssumedRole {
                        partition,
                        account,
                        role_name,
                        session,
                    })
                }
                "federated-user" if !rest.is_empty() && !rest.contains('/') => {
                    Some(PrincipalArn::FederatedUser {
                        partition,
                        account,
                        name: rest,
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Twelve ASCII digits.
fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// `AIDA` or `AROA` followed by upper-case letters and digits (IAM's ids are
/// 21 characters; any length up to 128 is accepted).
fn unique_id_kind(text: &str) -> Option<UniqueIdKind> {
    let kind = if text.starts_with("AIDA") {
        UniqueIdKind::User
    } else if text.starts_with("AROA") {
        UniqueIdKind::Role
    } else {
        return None;
    };
    let valid = (5..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    valid.then_some(kind)
}

#[cfg(test)]
mod tests;
