//! iam-collect's `organizations/<org-id>/`: the tree rebuilt from the
//! parent pointers of `ous.json` and `accounts.json`, with the SCP and RCP
//! documents of `scps/` and `rcps/`.

use std::collections::BTreeMap;

use crate::aws::org::{Node, OrgPolicy, OrgPolicyType};
use crate::embedded::policy_at;
use crate::files::{join, EntryKind};
use crate::json::{field, Cx, Doc, Sink};
use crate::layout::OrgParts;
use crate::problem::{Loc, Owner};

use super::{list, optional};

/// `organizations/<org-id>/`: metadata, accounts and OUs with the policy
/// ARNs attached to each, and the SCP and RCP documents.
pub(super) fn organization(cx: &mut Cx<'_>, dir: &str) -> OrgParts {
    let owner = Owner::subject("the organization");
    let mut out = OrgParts::default();
    for (sub, kind, type_name) in [
        ("scps", OrgPolicyType::Scp, "SERVICE_CONTROL_POLICY"),
        ("rcps", OrgPolicyType::Rcp, "RESOURCE_CONTROL_POLICY"),
    ] {
        for e in list(cx, &format!("{dir}/{sub}")) {
            if e.kind != EntryKind::Dir {
                continue;
            }
            let pdir = format!("{dir}/{sub}/{}", e.name);
            let powner = Owner::subject(format!("organization policy `{}`", e.name));
            let _ = optional(cx, &join(&pdir, "metadata.json"), &powner);
            let doc = match cx.read_json(&join(&pdir, "policy.json"), &powner, true) {
                Ok(doc) => {
                    let options = cx.options.clone();
                    let mut sink = Sink {
                        problems: &mut cx.problems,
                        source: &doc.source,
                        owner: powner,
                    };
                    policy_at(&mut sink, &doc.root, &e.name, &"", &options)
                }
                Err(lost) => Err(lost.place),
            };
            out.policies.insert(
                e.name.to_ascii_lowercase(),
                OrgPolicy {
                    id: e.name.clone(),
                    kind,
                    type_name: type_name.into(),
                    doc,
                },
            );
        }
    }
    let meta = cx.read_json(&join(dir, "metadata.json"), &owner, true);
    let accounts = cx.read_json(&join(dir, "accounts.json"), &owner, true);
    let ous = cx.read_json(&join(dir, "ous.json"), &owner, true);
    let (Ok(meta), Ok(accounts), Ok(ous)) = (meta, accounts, ous) else {
        out.describe = Err(None);
        out.tree = Err(None);
        cx.file_warning(dir, &owner, "snapshot::missing-file", "iam-collect's organization data is incomplete: every account's SCPs and RCPs are unknown".into(), "");
        return out;
    };
    out.describe = (|| {
        let mut sink = Sink {
            problems: &mut cx.problems,
            source: &meta.source,
            owner: owner.clone(),
        };
        let m = sink.object(&meta.root, "metadata.json")?;
        let id = sink
            .required_str(m, "id", meta.root.span, "metadata.json")?
            .to_string();
        let mgmt = sink
            .required_str(m, "rootAccountId", meta.root.span, "metadata.json")?
            .to_string();
        Ok((id, mgmt))
    })()
    .map_err(Some);
    let root_id = (|| {
        let mut sink = Sink {
            problems: &mut cx.problems,
            source: &meta.source,
            owner: owner.clone(),
        };
        let m = sink.object(&meta.root, "metadata.json").ok()?;
        sink.required_str(m, "rootOu", meta.root.span, "metadata.json")
            .ok()
            .map(str::to_string)
    })();
    out.tree = match root_id {
        Some(root) => tree(cx, &root, &accounts, &ous).map_err(Some),
        None => Err(None),
    };
    out
}

/// Rebuild the tree from parent pointers: `ous.json` (`{ou: {parent, scps, rcps}}`)
/// and `accounts.json` (`{account: {ou, scps, rcps}}`); policies are named by ARN.
fn tree(
    cx: &mut Cx<'_>,
    root: &str,
    accounts: &Doc,
    ous: &Doc,
) -> Result<Node, crate::problem::Place> {
    let owner = Owner::subject("the organization's tree");
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &ous.source,
        owner: owner.clone(),
    };
    let ou_members = sink.object(&ous.root, "ous.json")?;
    let mut nodes: BTreeMap<String, (Option<String>, Node)> = BTreeMap::new();
    for m in ou_members {
        let om = sink.object(&m.value, "an OU")?;
        let parent = sink.optional_str(om, "parent")?.map(str::to_string);
        let policies = attached(&mut sink, om)?;
        let loc = Loc {
            source: ous.source.clone(),
            span: m.value.span,
        };
        nodes.insert(
            m.key.to_string(),
            (
                parent,
                Node {
                    id: m.key.to_string(),
                    is_account: false,
                    policies,
                    children: Vec::new(),
                    loc,
                },
            ),
        );
    }
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &accounts.source,
        owner,
    };
    let acct_members = sink.object(&accounts.root, "accounts.json")?;
    let mut account_nodes = Vec::new();
    for m in acct_members {
        let am = sink.object(&m.value, "an account")?;
        let parent = sink
            .required_str(am, "ou", m.value.span, "an account")?
            .to_string();
        let policies = attached(&mut sink, am)?;
        let loc = Loc {
            source: accounts.source.clone(),
            span: m.value.span,
        };
        account_nodes.push((
            parent,
            Node {
                id: m.key.to_string(),
                is_account: true,
                policies,
                children: Vec::new(),
                loc,
            },
        ));
    }
    for (parent, node) in account_nodes {
        match nodes.get_mut(&parent) {
            Some((_, p)) => p.children.push(node),
            None => {
                return Err(sink.error(
                    "snapshot::tree",
                    format!(
                        "account {} is in OU `{parent}`, which ous.json does not list",
                        node.id
                    ),
                    node.loc.span,
                    "",
                ))
            }
        }
    }
    // Attach OUs to their parents, deepest first (bounded: each pass moves one).
    let mut guard = nodes.len() + 1;
    loop {
        guard = guard.saturating_sub(1);
        let leaf = nodes
            .iter()
            .find(|(id, (parent, _))| {
                parent.is_some()
                    && !nodes
                        .values()
                        .any(|(p, _)| p.as_deref() == Some(id.as_str()))
            })
            .map(|(id, _)| id.clone());
        let Some(leaf) = leaf.filter(|_| guard > 0) else {
            break;
        };
        let Some((Some(parent), node)) = nodes.remove(&leaf) else {
            break;
        };
        match nodes.get_mut(&parent) {
            Some((_, p)) => p.children.push(node),
            None => {
                return Err(sink.error(
                    "snapshot::tree",
                    format!("OU `{leaf}` names parent `{parent}`, which ous.json does not list"),
                    node.loc.span,
                    "",
                ))
            }
        }
    }
    match nodes.remove(root) {
        Some((_, node)) if nodes.is_empty() => Ok(node),
        _ => Err(sink.error(
            "snapshot::tree",
            format!("the OUs of ous.json do not form one tree under the root `{root}`"),
            accounts.root.span,
            "",
        )),
    }
}

/// `scps` and `rcps` ARN lists: the policy id is the last path segment.
fn attached(
    sink: &mut Sink<'_>,
    m: &[keyward_policy::json::JsonMember],
) -> Result<Vec<(String, Loc)>, crate::problem::Place> {
    let mut out = Vec::new();
    for key in ["scps", "rcps"] {
        let Some(v) = field(m, key) else { continue };
        for item in sink.array(v, format_args!("`{key}`"))? {
            let arn = sink.string(item, "a policy ARN")?;
            let id = arn.rsplit('/').next().unwrap_or(arn).to_ascii_lowercase();
            out.push((
                id,
                Loc {
                    source: sink.source.clone(),
                    span: item.span,
                },
            ));
        }
    }
    Ok(out)
}
