//! The two layouts a snapshot directory may have, detected from its top
//! level: keyward's own (`accounts/`, `organization/`), or iam-collect's
//! (`aws/<partition>/accounts/…`).

pub(crate) mod cli;
pub(crate) mod iam_collect;
pub(crate) mod keys;

use std::collections::{BTreeMap, HashMap};

use crate::aws::org::{Node, OrgPolicy};
use crate::iam::IamAccount;
use crate::json::Cx;
use crate::problem::{Owner, Place};
use crate::stock::Stock;
use keys::RegionParts;

/// Which layout a snapshot was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// keyward's layout of AWS CLI outputs (`docs/snapshot-format.md`).
    AwsCli,
    /// iam-collect's on-disk store.
    IamCollect,
    /// Neither was recognized.
    Unknown,
}

impl Layout {
    /// `aws-cli`, `iam-collect` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::AwsCli => "aws-cli",
            Layout::IamCollect => "iam-collect",
            Layout::Unknown => "unknown",
        }
    }
}

/// One account's data, as read.
#[derive(Debug, Default)]
pub(crate) struct AccountParts {
    pub(crate) partition: String,
    pub(crate) iam: Option<IamAccount>,
    pub(crate) regions: BTreeMap<String, RegionParts>,
    pub(crate) kms_collected: bool,
}

/// The organization's files, as read (`Err(None)`: absent, not a problem).
#[derive(Debug)]
pub(crate) struct OrgParts {
    pub(crate) describe: Result<(String, String), Option<Place>>,
    pub(crate) tree: Result<Node, Option<Place>>,
    pub(crate) policies: HashMap<String, OrgPolicy>,
}

impl Default for OrgParts {
    fn default() -> OrgParts {
        OrgParts {
            describe: Err(None),
            tree: Err(None),
            policies: HashMap::new(),
        }
    }
}

/// Everything a layout yields.
#[derive(Debug)]
pub(crate) struct Parts {
    pub(crate) layout: Layout,
    pub(crate) accounts: BTreeMap<String, AccountParts>,
    pub(crate) org: Option<OrgParts>,
    /// What this layout cannot hold, for the summary.
    pub(crate) notes: Vec<String>,
}

impl Default for Parts {
    fn default() -> Parts {
        Parts {
            layout: Layout::AwsCli,
            accounts: BTreeMap::new(),
            org: None,
            notes: Vec::new(),
        }
    }
}

/// Detect the layout and read it.
pub(crate) fn read(cx: &mut Cx<'_>, stock: &mut Stock) -> Parts {
    let root = match cx.reader.list("") {
        Ok(entries) => entries,
        Err(e) => {
            cx.file_problem(
                "",
                &Owner::default(),
                "snapshot::unreadable",
                format!("cannot list the snapshot: {e}"),
                "",
            );
            return Parts {
                layout: Layout::Unknown,
                ..Parts::default()
            };
        }
    };
    let has = |name: &str| root.iter().any(|e| e.name == name);
    let ours = has("accounts") || has("organization");
    if has("aws") && !ours {
        return iam_collect::load(cx, &root);
    }
    if !ours {
        cx.file_problem(
            "",
            &Owner::default(),
            "snapshot::layout",
            "this is not a snapshot: it has neither `accounts/` nor `organization/` (keyward's layout) nor `aws/` (iam-collect's)".into(),
            "collect one with scripts/collect-snapshot.sh OUT, or point at iam-collect's storage folder",
        );
        return Parts {
            layout: Layout::Unknown,
            ..Parts::default()
        };
    }
    cli::load(cx, stock, &root)
}
