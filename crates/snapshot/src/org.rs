//! The organization's SCP and RCP chains, from the tree and the policies:
//! each account's chain is the root's level, each OU's level down to it,
//! and its own level.

use std::collections::HashMap;

use crate::aws::org::{Node, OrgPolicy, OrgPolicyType};
use crate::json::Cx;
use crate::model::{Chain, Level, OrgData};
use crate::problem::{Gap, GapKind, Owner};

/// Counts for the load summary.
#[derive(Clone, Debug, Default)]
pub(crate) struct OrgCounts {
    pub(crate) scps: usize,
    pub(crate) rcps: usize,
    pub(crate) other_policies: Vec<String>,
    pub(crate) accounts: usize,
    pub(crate) ous: usize,
}

struct Walk<'a, 'c, 'f> {
    cx: &'c mut Cx<'f>,
    policies: &'a HashMap<String, OrgPolicy>,
    org: OrgData,
    counts: OrgCounts,
}

/// Build the chains of every account of `root`.
pub(crate) fn link(
    cx: &mut Cx<'_>,
    id: String,
    management_account: String,
    root: &Node,
    policies: &HashMap<String, OrgPolicy>,
) -> (OrgData, OrgCounts) {
    let mut counts = OrgCounts::default();
    for p in policies.values() {
        match p.kind {
            OrgPolicyType::Scp => counts.scps += 1,
            OrgPolicyType::Rcp => counts.rcps += 1,
            OrgPolicyType::Other => counts
                .other_policies
                .push(format!("{} ({})", p.id, p.type_name)),
        }
    }
    counts.other_policies.sort();
    let mut w = Walk {
        cx,
        policies,
        org: OrgData {
            id: id.clone(),
            management_account,
            ..OrgData::default()
        },
        counts,
    };
    w.org.scp_in_use = attached_anywhere(root, policies, OrgPolicyType::Scp);
    w.org.rcp_in_use = attached_anywhere(root, policies, OrgPolicyType::Rcp);
    let path = format!("{id}/{}/", root.id);
    w.node(root, &mut Vec::new(), &mut Vec::new(), &path);
    (w.org, w.counts)
}

/// Is a policy of `kind` (or one whose type is unknown) attached anywhere?
fn attached_anywhere(
    node: &Node,
    policies: &HashMap<String, OrgPolicy>,
    kind: OrgPolicyType,
) -> bool {
    node.policies
        .iter()
        .any(|(id, _)| policies.get(id).is_none_or(|p| p.kind == kind))
        || node
            .children
            .iter()
            .any(|c| attached_anywhere(c, policies, kind))
}

impl Walk<'_, '_, '_> {
    fn node(&mut self, node: &Node, scps: &mut Vec<Level>, rcps: &mut Vec<Level>, path: &str) {
        let label = if node.is_account {
            format!("account {}", node.id)
        } else if node.id.starts_with("r-") {
            format!("root {}", node.id)
        } else {
            format!("OU {}", node.id)
        };
        let (scp, rcp) = self.levels(node, &label);
        scps.push(scp);
        rcps.push(rcp);
        if node.is_account {
            self.counts.accounts += 1;
            if self.org.paths.contains_key(&node.id) {
                self.cx.problems.push(node.loc.problem(
                    &Owner::subject("the organization's tree"),
                    "snapshot::tree",
                    format!("account {} is in the tree twice", node.id),
                    "an account belongs to exactly one OU",
                ));
                let gap = |kind, what: &str| Level {
                    docs: Vec::new(),
                    gaps: vec![Gap {
                        kind,
                        what: format!(
                            "the {what} of account {}: the tree places it twice",
                            node.id
                        ),
                        place: Some(node.loc.place()),
                    }],
                };
                self.org.scp.insert(
                    node.id.clone(),
                    Chain {
                        levels: vec![gap(GapKind::Scp, "SCPs")],
                    },
                );
                self.org.rcp.insert(
                    node.id.clone(),
                    Chain {
                        levels: vec![gap(GapKind::Rcp, "RCPs")],
                    },
                );
            } else {
                self.org.paths.insert(node.id.clone(), path.to_string());
                self.org.scp.insert(
                    node.id.clone(),
                    Chain {
                        levels: scps.clone(),
                    },
                );
                self.org.rcp.insert(
                    node.id.clone(),
                    Chain {
                        levels: rcps.clone(),
                    },
                );
            }
        } else {
            if !node.id.starts_with("r-") {
                self.counts.ous += 1;
            }
            for child in &node.children {
                let child_path = if child.is_account {
                    path.to_string()
                } else {
                    format!("{path}{}/", child.id)
                };
                self.node(child, scps, rcps, &child_path);
            }
        }
        scps.pop();
        rcps.pop();
    }

    /// This node's SCP and RCP levels.
    fn levels(&mut self, node: &Node, label: &str) -> (Level, Level) {
        let mut scp = Level {
            docs: Vec::new(),
            gaps: Vec::new(),
        };
        let mut rcp = Level {
            docs: Vec::new(),
            gaps: Vec::new(),
        };
        let owner = Owner::subject(format!("{label} of the organization"));
        for (id, loc) in &node.policies {
            let Some(p) = self.policies.get(id) else {
                self.cx.problems.push(loc.problem(
                    &owner,
                    "snapshot::missing-policy",
                    format!("policy `{id}` is attached here, but organization/policies/{id}.json is not in the snapshot"),
                    "save `aws organizations describe-policy --policy-id ID` for every policy the tree names",
                ));
                for (level, kind) in [(&mut scp, GapKind::Scp), (&mut rcp, GapKind::Rcp)] {
                    level.gaps.push(Gap { kind, what: format!("organization policy `{id}` attached to {label}: its file is missing (SCP or RCP)"), place: Some(loc.place()) });
                }
                continue;
            };
            let (level, kind) = match p.kind {
                OrgPolicyType::Scp => (&mut scp, GapKind::Scp),
                OrgPolicyType::Rcp => (&mut rcp, GapKind::Rcp),
                OrgPolicyType::Other => continue,
            };
            match &p.doc {
                Ok(doc) => level.docs.push(doc.clone()),
                Err(place) => level.gaps.push(Gap {
                    kind,
                    what: format!(
                        "{} `{id}` attached to {label}: it cannot be read",
                        p.type_name
                    ),
                    place: Some(place.clone()),
                }),
            }
        }
        for (level, in_use, what) in [
            (&mut scp, self.org.scp_in_use, "SCP"),
            (&mut rcp, self.org.rcp_in_use, "RCP"),
        ] {
            if in_use && level.docs.is_empty() && level.gaps.is_empty() {
                self.cx.problems.push(node.loc.problem(
                    &owner,
                    "snapshot::empty-level",
                    format!("no {what} is attached here, though {what}s are in use in the organization"),
                    "AWS keeps at least one policy of each enabled type on every root, OU and account: was the tree cut short?",
                ));
                let kind = if what == "SCP" {
                    GapKind::Scp
                } else {
                    GapKind::Rcp
                };
                level.gaps.push(Gap {
                    kind,
                    what: format!("the {what}s attached to {label}: the tree lists none"),
                    place: Some(node.loc.place()),
                });
            }
        }
        (scp, rcp)
    }
}
