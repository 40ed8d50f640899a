//! What a key reference leads to: a key, or nothing where KMS looks
//! (docs/evaluation.md, "Which key the request names").

use std::fmt;
use std::sync::Arc;

use crate::action::KmsAction;
use crate::world::KeyId;

/// Where a key reference leads. See [`crate::Authorizer::resolve`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution<'r> {
    /// The reference names this key. `alias` is the `alias/NAME` it went
    /// through, if any: the request's `kms:RequestAlias`.
    Key {
        /// The key.
        key: KeyId,
        /// The alias name used, without the ARN prefix.
        alias: Option<&'r str>,
    },
    /// No key has this alias or key id in the account and Region where the
    /// request looks for it: KMS answers `NotFoundException` before any
    /// policy is read.
    NotFound(NotFound),
}

/// A key reference that finds no key where the request looks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFound {
    pub(crate) reference: Box<str>,
    pub(crate) looked_up: Arc<str>,
    pub(crate) name: Box<str>,
    pub(crate) alias: bool,
    pub(crate) account: Option<Box<str>>,
    pub(crate) region: Option<Box<str>>,
    pub(crate) elsewhere: Elsewhere,
}

/// Why a [`NotFound`] reference finds no key: where its alias or key id
/// does exist, or that the operation takes no alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Elsewhere {
    /// The operation takes a key id or key ARN, not an alias (see
    /// [`crate::KmsAction::accepts_alias`]): KMS answers `NotFoundException`
    /// (`Invalid keyId …`) whether or not the alias exists.
    AliasNotAccepted(KmsAction),
    /// On a key of another account: a caller from another account must
    /// name the key by its key ARN (rule 8).
    OtherAccount,
    /// On a key of the same account in another Region: keys and aliases
    /// are Regional (rules 30, 32).
    OtherRegion,
}

impl NotFound {
    /// `reference` (an alias name or alias ARN; `alias` its `alias/NAME`)
    /// given to an operation that takes no alias.
    pub(crate) fn alias_not_accepted(reference: &str, alias: &str, action: KmsAction) -> NotFound {
        NotFound {
            reference: reference.into(),
            looked_up: reference.into(),
            name: alias.into(),
            alias: true,
            account: None,
            region: None,
            elsewhere: Elsewhere::AliasNotAccepted(action),
        }
    }

    /// The reference as written (`alias/prod-ebs`).
    pub fn reference(&self) -> &str {
        &self.reference
    }

    /// What KMS looked for: the alias or key ARN in the account and Region
    /// of the lookup, or the reference as written when those are unknown.
    pub fn arn(&self) -> &str {
        &self.looked_up
    }

    pub(crate) fn arn_shared(&self) -> Arc<str> {
        self.looked_up.clone()
    }

    /// The alias name (`alias/NAME`) or key id looked for.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True for an alias, false for a key id or key ARN.
    pub fn is_alias(&self) -> bool {
        self.alias
    }

    /// The account looked in (`None` for a service caller with a bare
    /// reference: every account).
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The Region looked in (`None` when the request gave none).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Where the name does exist.
    pub fn elsewhere(&self) -> Elsewhere {
        self.elsewhere
    }
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Elsewhere::AliasNotAccepted(action) = self.elsewhere {
            return write!(
                f,
                "`{}` finds no key: `{action}` takes a key id or key ARN, not an alias",
                self.reference
            );
        }
        let what = if self.alias {
            "the alias"
        } else {
            "the key id"
        };
        write!(f, "`{}` finds no key: no key", self.reference)?;
        if let Some(account) = &self.account {
            write!(f, " of account {account}")?;
        }
        if let Some(region) = &self.region {
            write!(f, " in {region}")?;
        }
        write!(f, " has {what} `{}`", self.name)?;
        match self.elsewhere {
            Elsewhere::OtherAccount => f.write_str(
                "; a key of another account has it, and a caller from another account must name the key by its key ARN (rule 8)",
            ),
            Elsewhere::OtherRegion => f.write_str(
                "; a key in another Region has it, and keys and aliases are Regional (rules 30, 32)",
            ),
            Elsewhere::AliasNotAccepted(_) => Ok(()),
        }
    }
}
