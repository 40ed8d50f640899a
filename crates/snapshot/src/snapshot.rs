//! [`Snapshot`]: a loaded account state, and [`load`], which reads one.

use std::collections::{BTreeMap, BTreeSet};

use crate::files::{Files, Reader};
use crate::json::Cx;
use crate::layout::{self, keys::attach_aliases, OrgParts};
use crate::model::{DanglingAlias, KeyData, OrgData, PrincipalData};
use crate::problem::{Gap, GapKind, Problem};
use crate::stock::Stock;
use crate::summary::{AccountSummary, OrgSummary, Summary};

/// Limits for loading.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// The largest file read, in bytes (the provider should refuse larger
    /// files before reading them; this bounds the parser too).
    pub max_file_size: usize,
}

/// 256 MiB: authorization details of a very large account fit in one file.
pub const DEFAULT_MAX_FILE_SIZE: usize = 256 * 1024 * 1024;

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A loaded snapshot: every principal and key of the exported accounts,
/// with their policies, the organization's SCPs and RCPs, what the export
/// lacks, and every problem found on the way.
///
/// Loading never fails: what cannot be read is a [`Problem`] and a gap of
/// the data it belonged to, and answers that depend on it are incomplete.
#[derive(Debug)]
pub struct Snapshot {
    pub(crate) principals: Vec<PrincipalData>,
    pub(crate) keys: Vec<KeyData>,
    pub(crate) dangling: Vec<DanglingAlias>,
    /// `(account, region)` → why its aliases are not (all) known.
    pub(crate) alias_gaps: BTreeMap<(String, String), Gap>,
    /// Accounts whose KMS data was collected, with their Regions.
    pub(crate) regions: BTreeMap<String, BTreeSet<String>>,
    /// Accounts whose IAM export is incomplete: unknown principals of
    /// these accounts are answered about as outsiders, not refused.
    pub(crate) iam_gaps: BTreeMap<String, Gap>,
    pub(crate) org: Option<OrgData>,
    pub(crate) stock: Stock,
    problems: Vec<Problem>,
    summary: Summary,
}

/// Read a snapshot through `files`.
///
/// ```
/// use keyward_snapshot::{load, LoadOptions, MemoryFiles};
///
/// let mut files = MemoryFiles::new();
/// files.insert("accounts/111122223333/iam/authorization-details.json", r#"{
///   "UserDetailList": [{"UserName": "alice", "UserId": "AIDAEXAMPLE", "Path": "/",
///     "Arn": "arn:aws:iam::111122223333:user/alice", "GroupList": ["ops"],
///     "UserPolicyList": [], "AttachedManagedPolicies": []}],
///   "GroupDetailList": [], "RoleDetailList": [], "Policies": []}"#);
/// let snapshot = load(&files, &LoadOptions::default());
/// // The user is in a group the export does not hold: a located problem.
/// let p = &snapshot.problems()[0];
/// assert_eq!(p.diagnostic.message, "user `alice` in account 111122223333: group `ops` is not in the export");
/// assert_eq!((p.place().line, p.place().column), (3, 66));
/// assert_eq!(snapshot.summary().accounts[0].users, 1);
/// ```
pub fn load(files: &dyn Files, options: &LoadOptions) -> Snapshot {
    let mut cx = Cx::new(Reader::new(files), options.max_file_size);
    let mut stock = Stock::new();
    let parts = layout::read(&mut cx, &mut stock);
    let mut summary = Summary {
        layout: parts.layout,
        files: 0,
        accounts: Vec::new(),
        organization: None,
        notes: parts.notes.clone(),
    };
    let mut principals = Vec::new();
    let mut keys = Vec::new();
    let mut dangling = Vec::new();
    let mut alias_gaps = BTreeMap::new();
    let mut regions = BTreeMap::new();
    let mut iam_gaps = BTreeMap::new();
    for (id, account) in parts.accounts {
        let mut s = AccountSummary {
            id: id.clone(),
            ..AccountSummary::default()
        };
        if let Some(iam) = account.iam {
            if let Some(g) = &iam.whole {
                iam_gaps.insert(id.clone(), g.clone());
            }
            let (ps, counts) = crate::iam::link(&mut cx, iam);
            s.users = counts.users;
            s.roles = counts.roles;
            s.groups = counts.groups;
            s.managed_policies = counts.managed_policies;
            principals.extend(ps);
        }
        let mut collected = BTreeSet::new();
        for (region, rp) in account.regions {
            s.aliases += rp.aliases.iter().filter(|a| a.target.is_some()).count();
            let (ks, dang, gap) = attach_aliases(&mut cx, &id, &region, rp);
            s.keys.insert(region.clone(), ks.len());
            s.grants += ks.iter().map(|k| k.grants.len()).sum::<usize>();
            keys.extend(ks);
            dangling.extend(dang);
            if let Some(g) = gap {
                alias_gaps.insert((id.clone(), region.clone()), g);
            }
            collected.insert(region);
        }
        if !account.kms_collected {
            summary
                .notes
                .push(format!("account {id}: no KMS data was collected"));
        }
        regions.insert(id.clone(), collected);
        summary.accounts.push(s);
    }
    let org = parts.org.map(|o| organization(&mut cx, o, &mut summary));
    if let Some(o) = &org {
        for a in &mut summary.accounts {
            let levels = |v: crate::model::ChainView<'_>| match v {
                crate::model::ChainView::Known(c) => Some(c.levels.len()),
                _ => None,
            };
            a.scp_levels = levels(o.scp_of(&a.id));
            a.rcp_levels = levels(o.rcp_of(&a.id));
        }
    } else if !summary.accounts.is_empty() {
        summary
            .notes
            .push("no organization/ folder: no SCP or RCP applies".into());
    }
    summary.files = cx.reader.files_read();
    // Problems in file order, then by place: the order `snapshot check` prints.
    cx.problems.sort_by(|a, b| {
        (a.source.name(), a.diagnostic.span().start)
            .cmp(&(b.source.name(), b.diagnostic.span().start))
    });
    Snapshot {
        principals,
        keys,
        dangling,
        alias_gaps,
        regions,
        iam_gaps,
        org,
        stock,
        problems: cx.problems,
        summary,
    }
}

fn organization(cx: &mut Cx<'_>, parts: OrgParts, summary: &mut Summary) -> OrgData {
    let (id, management) = match parts.describe {
        Ok(pair) => pair,
        Err(place) => {
            let what = "the organization's description (which account is the management account) cannot be read".to_string();
            return OrgData {
                tree_gap: Some(Gap {
                    kind: GapKind::Scp,
                    what,
                    place,
                }),
                ..OrgData::default()
            };
        }
    };
    let root = match parts.tree {
        Ok(root) => root,
        Err(place) => {
            return OrgData {
                id,
                management_account: management,
                tree_gap: Some(Gap {
                    kind: GapKind::Scp,
                    what: "the organization's tree (where each SCP and RCP is attached) is not in the snapshot".into(),
                    place,
                }),
                ..OrgData::default()
            };
        }
    };
    let (org, counts) =
        crate::org::link(cx, id.clone(), management.clone(), &root, &parts.policies);
    if !counts.other_policies.is_empty() {
        summary.notes.push(format!(
            "organization policies that authorize nothing are not used: {}",
            counts.other_policies.join(", ")
        ));
    }
    summary.organization = Some(OrgSummary {
        id,
        management_account: management,
        accounts: counts.accounts,
        ous: counts.ous,
        scps: counts.scps,
        rcps: counts.rcps,
        scps_in_use: org.scp_in_use,
        rcps_in_use: org.rcp_in_use,
    });
    org
}

impl Snapshot {
    /// Every problem found while loading, errors and warnings, in the order
    /// found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// True when some problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.diagnostic.is_error())
    }

    /// What was loaded.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// How many principals (users, roles and each account's root user).
    pub fn principal_count(&self) -> usize {
        self.principals.len()
    }

    /// How many keys.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// The ARNs of every principal, in load order.
    pub fn principal_arns(&self) -> impl Iterator<Item = &str> {
        self.principals.iter().map(|p| p.caller.arn())
    }

    /// The ARNs of every key, in load order.
    pub fn key_arns(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.arn.as_str())
    }
}
