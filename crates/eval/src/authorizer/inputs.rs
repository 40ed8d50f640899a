//! Reading back what an [`AuthorizerBuilder`] was given: analyses that
//! reason over a whole world (who can use a key, what can a principal do)
//! need the policies themselves, not only their compiled form.

use super::AuthorizerBuilder;
use crate::compile::PolicyDoc;
use crate::config::{GrantConfig, KeyConfig, PrincipalConfig};

impl AuthorizerBuilder {
    /// The keys added, in order: the `n`th is `KeyId` `n` of the built authorizer.
    pub fn key_configs(&self) -> impl ExactSizeIterator<Item = &KeyConfig> + '_ {
        self.keys.iter().map(|(k, _)| k)
    }

    /// The principals added, in order: the `n`th is `PrincipalId` `n`.
    pub fn principal_configs(&self) -> &[PrincipalConfig] {
        &self.principals
    }

    /// The grants added, in order: the `n`th is `GrantId` `n`.
    pub fn grant_configs(&self) -> &[GrantConfig] {
        &self.grants
    }

    /// The SCP levels of each account given some, root level first.
    pub fn scp_levels(&self) -> impl Iterator<Item = (&str, &[Vec<PolicyDoc>])> + '_ {
        self.scps.iter().map(|(a, l)| (a.as_str(), l.as_slice()))
    }

    /// The RCP levels of each account given some, root level first.
    pub fn rcp_levels(&self) -> impl Iterator<Item = (&str, &[Vec<PolicyDoc>])> + '_ {
        self.rcps.iter().map(|(a, l)| (a.as_str(), l.as_slice()))
    }
}
