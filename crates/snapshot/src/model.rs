//! The loaded account state: principals with their policies, keys with
//! their policies, metadata, aliases and grants, and the organization's
//! policy chains — each with the [`Gap`]s of what the snapshot lacks.

use std::collections::BTreeMap;

use keyward_eval::{ActionSet, Caller, GrantConstraints, KeyOrigin, KeyState, PolicyDoc};
use keyward_policy::model::{ConditionValues, TemplatePart};
use keyward_policy::Policy;

use crate::problem::{Gap, GapKind};

/// What kind of principal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// An IAM user.
    User,
    /// An IAM role (standing for its sessions).
    Role,
    /// The account's root user.
    Root,
    /// A principal of an account the snapshot does not hold: its policies
    /// are unknown.
    Outsider,
}

impl PrincipalKind {
    /// `user`, `role`, `root` or `outsider`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
            PrincipalKind::Root => "root",
            PrincipalKind::Outsider => "outsider",
        }
    }
}

/// Which request-context keys with snapshot-dependent values the policies
/// of a principal, key or organization level test.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mentions {
    /// `kms:KeySpec`, `kms:KeyUsage`, `kms:KeyOrigin`, `kms:MultiRegion…`.
    pub(crate) key_metadata: bool,
    /// `aws:ResourceTag/…`.
    pub(crate) resource_tags: bool,
    /// `kms:ResourceAliases`.
    pub(crate) resource_aliases: bool,
    /// `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:ResourceOrgID`,
    /// `aws:ResourceOrgPaths`.
    pub(crate) org_context: bool,
}

impl Mentions {
    pub(crate) fn of<'p>(policies: impl IntoIterator<Item = &'p PolicyDoc>) -> Mentions {
        let mut m = Mentions::default();
        for doc in policies {
            m = m.or(Mentions::of_policy(&doc.policy));
        }
        m
    }

    pub(crate) fn or(self, other: Mentions) -> Mentions {
        Mentions {
            key_metadata: self.key_metadata || other.key_metadata,
            resource_tags: self.resource_tags || other.resource_tags,
            resource_aliases: self.resource_aliases || other.resource_aliases,
            org_context: self.org_context || other.org_context,
        }
    }

    fn of_policy(policy: &Policy) -> Mentions {
        let mut m = Mentions::default();
        let mut note = |key: &str| {
            let is = |name: &str| key.eq_ignore_ascii_case(name);
            let starts = |prefix: &str| {
                key.get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            };
            m.key_metadata |= [
                "kms:KeySpec",
                "kms:CustomerMasterKeySpec",
                "kms:KeyUsage",
                "kms:CustomerMasterKeyUsage",
                "kms:KeyOrigin",
                "kms:MultiRegion",
                "kms:MultiRegionKeyType",
            ]
            .iter()
            .any(|n| is(n));
            m.resource_tags |= starts("aws:ResourceTag/");
            m.resource_aliases |= is("kms:ResourceAliases");
            m.org_context |= [
                "aws:PrincipalOrgID",
                "aws:PrincipalOrgPaths",
                "aws:ResourceOrgID",
                "aws:ResourceOrgPaths",
            ]
            .iter()
            .any(|n| is(n));
        };
        for s in &policy.statements {
            if let Some(r) = &s.resource {
                for t in &r.node.items {
                    for v in t.node.variables() {
                        note(&v.key);
                    }
                }
            }
            let Some(c) = &s.condition else { continue };
            for entry in &c.node.entries {
                note(entry.key.node.as_str());
                if let ConditionValues::String(values) = &entry.values {
                    for v in values {
                        for part in v.node.parts() {
                            if let TemplatePart::Variable(var) = part {
                                note(&var.key);
                            }
                        }
                    }
                }
            }
        }
        m
    }
}

/// A principal: who calls, and every policy that bears on it.
#[derive(Clone, Debug)]
pub(crate) struct PrincipalData {
    pub(crate) caller: Caller,
    pub(crate) kind: PrincipalKind,
    /// The user or role name (empty for root and outsiders).
    pub(crate) name: String,
    pub(crate) account: String,
    pub(crate) tags: Vec<(String, String)>,
    /// Identity policies: its own inline and managed ones, then its groups'.
    pub(crate) policies: Vec<PolicyDoc>,
    pub(crate) boundary: Option<PolicyDoc>,
    /// Identity and boundary gaps.
    pub(crate) gaps: Vec<Gap>,
    pub(crate) mentions: Mentions,
}

/// Key properties from `describe-key`.
#[derive(Clone, Debug)]
pub(crate) struct KeyMeta {
    pub(crate) state: KeyState,
    pub(crate) origin: KeyOrigin,
    pub(crate) key_spec: String,
    pub(crate) key_usage: String,
    /// `KeyManager`, when the export has it.
    pub(crate) manager: Option<keyward_eval::KeyManager>,
    pub(crate) multi_region: Option<bool>,
    pub(crate) multi_region_key_type: Option<String>,
}

/// A grant from `list-grants`.
#[derive(Clone, Debug)]
pub(crate) struct GrantData {
    pub(crate) grantee: String,
    pub(crate) operations: ActionSet,
    pub(crate) operation_names: Vec<String>,
    pub(crate) constraints: Option<GrantConstraints>,
    pub(crate) retiring: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) issuing_account: Option<String>,
    /// The grant's object in its `list-grants` file, so that an
    /// explanation points at it like at a statement.
    pub(crate) written_at: (keyward_policy::Source, keyward_policy::Span),
}

/// A KMS key and everything known about it.
#[derive(Clone, Debug)]
pub(crate) struct KeyData {
    pub(crate) arn: String,
    pub(crate) partition: String,
    pub(crate) account: String,
    pub(crate) region: String,
    pub(crate) key_id: String,
    pub(crate) policy: Option<PolicyDoc>,
    pub(crate) meta: Option<KeyMeta>,
    pub(crate) aliases: Vec<String>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) grants: Vec<GrantData>,
    /// Key policy, metadata, grant and tag gaps.
    pub(crate) gaps: Vec<Gap>,
    pub(crate) mentions: Mentions,
}

impl KeyData {
    /// Who manages the key: DescribeKey's `KeyManager`, or without it the
    /// aliases, since `alias/aws/` is reserved for AWS managed keys (KMS
    /// Developer Guide, "AWS managed keys").
    pub(crate) fn manager(&self) -> keyward_eval::KeyManager {
        use keyward_eval::{KeyManager, AWS_ALIAS_PREFIX};
        match self.meta.as_ref().and_then(|m| m.manager) {
            Some(manager) => manager,
            None if self.aliases.iter().any(|a| a.starts_with(AWS_ALIAS_PREFIX)) => KeyManager::Aws,
            None => KeyManager::Customer,
        }
    }
}

/// An alias whose target key the snapshot does not hold.
#[derive(Clone, Debug)]
pub(crate) struct DanglingAlias {
    pub(crate) account: String,
    pub(crate) region: String,
    pub(crate) name: String,
    pub(crate) target: String,
}

/// One level of an organization policy chain (root, an OU, the account):
/// every level must allow; within a level, any policy may.
#[derive(Clone, Debug)]
pub(crate) struct Level {
    pub(crate) docs: Vec<PolicyDoc>,
    pub(crate) gaps: Vec<Gap>,
}

/// The SCP or RCP chain of one account.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chain {
    pub(crate) levels: Vec<Level>,
}

/// How an account's SCPs (or RCPs) stand.
#[derive(Clone, Debug)]
pub(crate) enum ChainView<'s> {
    /// None apply (no organization, the management account, the policy
    /// type not in use).
    None,
    /// These levels apply.
    Known(&'s Chain),
    /// They may apply but are unknown.
    Unknown(Gap),
}

/// The organization: its policy chains per account.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrgData {
    pub(crate) id: String,
    pub(crate) management_account: String,
    pub(crate) scp: BTreeMap<String, Chain>,
    pub(crate) rcp: BTreeMap<String, Chain>,
    /// `o-…/r-…/ou-…/` per account, for `aws:PrincipalOrgPaths`.
    pub(crate) paths: BTreeMap<String, String>,
    /// Whether SCPs / RCPs are attached anywhere (the policy type in use).
    pub(crate) scp_in_use: bool,
    pub(crate) rcp_in_use: bool,
    /// Set when the tree could not be read: no account's chain is known.
    pub(crate) tree_gap: Option<Gap>,
}

impl OrgData {
    pub(crate) fn scp_of(&self, account: &str) -> ChainView<'_> {
        self.view(account, &self.scp, self.scp_in_use, GapKind::Scp, "SCPs")
    }

    pub(crate) fn rcp_of(&self, account: &str) -> ChainView<'_> {
        self.view(account, &self.rcp, self.rcp_in_use, GapKind::Rcp, "RCPs")
    }

    /// Is `account` a member of the organization (in its tree)?
    pub(crate) fn holds(&self, account: &str) -> bool {
        self.paths.contains_key(account)
    }

    fn view<'s>(
        &'s self,
        account: &str,
        chains: &'s BTreeMap<String, Chain>,
        in_use: bool,
        kind: GapKind,
        what: &str,
    ) -> ChainView<'s> {
        // SCPs and RCPs do not apply to the management account.
        if account == self.management_account {
            return ChainView::None;
        }
        if let Some(g) = &self.tree_gap {
            return ChainView::Unknown(Gap {
                kind,
                what: format!("the {what} of account {account}: {}", g.what),
                place: g.place.clone(),
            });
        }
        match chains.get(account) {
            Some(chain) if in_use => ChainView::Known(chain),
            Some(_) => ChainView::None,
            None => ChainView::Unknown(Gap {
                kind,
                what: format!(
                    "the {what} of account {account}: the account is not in organization/tree.json, so which organization's policies apply is unknown"
                ),
                place: None,
            }),
        }
    }
}
