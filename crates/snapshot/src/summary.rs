//! What a snapshot holds, for `keyward snapshot check`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Value};

use crate::layout::Layout;

/// What was loaded.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The layout read.
    pub layout: Layout,
    /// How many files were read.
    pub files: usize,
    /// Per account, in account order.
    pub accounts: Vec<AccountSummary>,
    /// The organization, when its tree was read.
    pub organization: Option<OrgSummary>,
    /// What the snapshot cannot hold or did not use (never invented).
    pub notes: Vec<String>,
}

/// One account.
#[derive(Clone, Debug, Default)]
pub struct AccountSummary {
    /// The account id.
    pub id: String,
    /// IAM users.
    pub users: usize,
    /// IAM roles.
    pub roles: usize,
    /// IAM groups.
    pub groups: usize,
    /// Managed policies defined in the export.
    pub managed_policies: usize,
    /// Keys per Region.
    pub keys: BTreeMap<String, usize>,
    /// Aliases naming a key.
    pub aliases: usize,
    /// Grants.
    pub grants: usize,
    /// Levels of its SCP chain (`None`: none apply or unknown).
    pub scp_levels: Option<usize>,
    /// Levels of its RCP chain.
    pub rcp_levels: Option<usize>,
}

/// The organization.
#[derive(Clone, Debug)]
pub struct OrgSummary {
    /// `o-…`.
    pub id: String,
    /// The management account (no SCP or RCP applies to it).
    pub management_account: String,
    /// Accounts in the tree.
    pub accounts: usize,
    /// OUs in the tree.
    pub ous: usize,
    /// SCPs read.
    pub scps: usize,
    /// RCPs read.
    pub rcps: usize,
    /// Whether SCPs are attached anywhere.
    pub scps_in_use: bool,
    /// Whether RCPs are attached anywhere.
    pub rcps_in_use: bool,
}

impl Summary {
    /// The summary as JSON (the shape of `snapshot check --format json`).
    pub fn to_json(&self) -> Value {
        json!({
            "layout": self.layout.as_str(),
            "files": self.files,
            "accounts": self.accounts.iter().map(|a| json!({
                "id": a.id,
                "users": a.users,
                "roles": a.roles,
                "groups": a.groups,
                "managedPolicies": a.managed_policies,
                "keys": a.keys,
                "aliases": a.aliases,
                "grants": a.grants,
                "scpLevels": a.scp_levels,
                "rcpLevels": a.rcp_levels,
            })).collect::<Vec<_>>(),
            "organization": self.organization.as_ref().map(|o| json!({
                "id": o.id,
                "managementAccount": o.management_account,
                "accounts": o.accounts,
                "ous": o.ous,
                "scps": o.scps,
                "rcps": o.rcps,
                "scpsInUse": o.scps_in_use,
                "rcpsInUse": o.rcps_in_use,
            })),
            "notes": self.notes,
        })
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "snapshot ({} layout, {} files read)",
            self.layout.as_str(),
            self.files
        )?;
        for a in &self.accounts {
            let keys: usize = a.keys.values().sum();
            writeln!(
                f,
                "  account {}: {} users, {} roles, {} groups, {} managed policies",
                a.id, a.users, a.roles, a.groups, a.managed_policies
            )?;
            let per_region: Vec<String> = a.keys.iter().map(|(r, n)| format!("{r} {n}")).collect();
            writeln!(
                f,
                "    {keys} keys ({}), {} aliases, {} grants",
                if per_region.is_empty() {
                    "no Region collected".to_string()
                } else {
                    per_region.join(", ")
                },
                a.aliases,
                a.grants
            )?;
            let chain = |n: Option<usize>| {
                n.map_or("none or unknown".to_string(), |n| format!("{n} levels"))
            };
            writeln!(
                f,
                "    SCPs: {}; RCPs: {}",
                chain(a.scp_levels),
                chain(a.rcp_levels)
            )?;
        }
        if let Some(o) = &self.organization {
            writeln!(
                f,
                "  organization {}: management account {}, {} accounts, {} OUs, {} SCPs{}, {} RCPs{}",
                o.id,
                o.management_account,
                o.accounts,
                o.ous,
                o.scps,
                if o.scps_in_use { "" } else { " (not in use)" },
                o.rcps,
                if o.rcps_in_use { "" } else { " (not in use)" },
            )?;
        }
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        Ok(())
    }
}
