//! AWS Organizations: `describe-organization`, `describe-policy` (SCPs and
//! RCPs, the policy as a JSON string in `Content`) and keyward's own
//! `tree.json`, which records where each policy is attached.

use keyward_eval::PolicyDoc;
use keyward_policy::json::{JsonMember, JsonValue};

use crate::embedded::policy_at;
use crate::json::{field, Cx, Sink};
use crate::problem::{Loc, Owner, Place};

/// `describe-organization`: the organization's id and management account.
pub(crate) fn describe_organization(
    cx: &mut Cx<'_>,
    path: &str,
) -> Result<(String, String), Place> {
    let owner = Owner::subject("the organization");
    let doc = cx.read_json(path, &owner, true).map_err(|l| l.place)?;
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner,
    };
    let top = sink.object(&doc.root, "describe-organization output")?;
    let org_v = sink.required(
        top,
        "Organization",
        doc.root.span,
        "describe-organization output",
    )?;
    let org = sink.object(org_v, "`Organization`")?;
    let id = sink
        .required_str(org, "Id", org_v.span, "`Organization`")?
        .to_string();
    let management = sink
        .required_str(org, "MasterAccountId", org_v.span, "`Organization`")?
        .to_string();
    Ok((id, management))
}

/// The policy types that bear on KMS requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrgPolicyType {
    Scp,
    Rcp,
    /// Tag, backup, AI opt-out, declarative… policies: they authorize nothing.
    Other,
}

/// One organization policy from `describe-policy`.
#[derive(Clone, Debug)]
pub(crate) struct OrgPolicy {
    pub(crate) id: String,
    pub(crate) kind: OrgPolicyType,
    pub(crate) type_name: String,
    /// `Err`: the content cannot be read (already reported).
    pub(crate) doc: Result<PolicyDoc, Place>,
}

/// `describe-policy --policy-id ID`, saved as `policies/<ID>.json`.
pub(crate) fn describe_policy(
    cx: &mut Cx<'_>,
    path: &str,
    file_id: &str,
) -> Result<OrgPolicy, Place> {
    let owner = Owner::subject(format!("organization policy `{file_id}`"));
    let doc = cx.read_json(path, &owner, true).map_err(|l| l.place)?;
    let options = cx.options.clone();
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner,
    };
    let top = sink.object(&doc.root, "describe-policy output")?;
    let policy_v = sink.required(top, "Policy", doc.root.span, "describe-policy output")?;
    let p = sink.object(policy_v, "`Policy`")?;
    let summary_v = sink.required(p, "PolicySummary", policy_v.span, "`Policy`")?;
    let summary = sink.object(summary_v, "`PolicySummary`")?;
    let id_v = sink.required(summary, "Id", summary_v.span, "`PolicySummary`")?;
    let id = sink.string(id_v, "`Id`")?.to_string();
    if id != file_id {
        return Err(sink.error(
            "snapshot::policy-id",
            format!("the file describes policy `{id}`, but is named after `{file_id}`"),
            id_v.span,
            "save `aws organizations describe-policy --policy-id ID` as organization/policies/ID.json",
        ));
    }
    let type_name = sink
        .required_str(summary, "Type", summary_v.span, "`PolicySummary`")?
        .to_string();
    let kind = match type_name.as_str() {
        "SERVICE_CONTROL_POLICY" => OrgPolicyType::Scp,
        "RESOURCE_CONTROL_POLICY" => OrgPolicyType::Rcp,
        _ => OrgPolicyType::Other,
    };
    let name = sink
        .optional_str(summary, "Name")?
        .unwrap_or(&id)
        .to_string();
    let doc = match kind {
        OrgPolicyType::Other => Err(sink.place(summary_v.span)),
        _ => {
            let content = sink.required(p, "Content", policy_v.span, "`Policy`")?;
            policy_at(
                &mut sink,
                content,
                &format!("{name} ({id})"),
                &"/Policy/Content",
                &options,
            )
        }
    };
    Ok(OrgPolicy {
        id,
        kind,
        type_name,
        doc,
    })
}

/// A node of `tree.json`: the root, an OU or an account.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// `r-…`, `ou-…` or the account id.
    pub(crate) id: String,
    pub(crate) is_account: bool,
    pub(crate) policies: Vec<(String, Loc)>,
    pub(crate) children: Vec<Node>,
    pub(crate) loc: Loc,
}

/// `tree.json`: `{"root": {"id": "r-…", "policies": […], "children": […]}}`.
pub(crate) fn tree(cx: &mut Cx<'_>, path: &str) -> Result<Node, Place> {
    let owner = Owner::subject("the organization's tree");
    let doc = cx.read_json(path, &owner, true).map_err(|l| l.place)?;
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner,
    };
    let top = sink.object(&doc.root, "tree.json")?;
    let root_v = sink.required(top, "root", doc.root.span, "tree.json")?;
    let root_m = sink.object(root_v, "`root`")?;
    let id = sink
        .required_str(root_m, "id", root_v.span, "`root`")?
        .to_string();
    node(&mut sink, root_v, root_m, id, false)
}

fn node(
    sink: &mut Sink<'_>,
    v: &JsonValue,
    m: &[JsonMember],
    id: String,
    is_account: bool,
) -> Result<Node, Place> {
    let mut policies = Vec::new();
    if let Some(p) = field(m, "policies") {
        for item in sink.array(p, "`policies`")? {
            let pid = sink.string(item, "a policy id")?;
            policies.push((
                pid.to_string(),
                Loc {
                    source: sink.source.clone(),
                    span: item.span,
                },
            ));
        }
    }
    let mut children = Vec::new();
    if let Some(c) = field(m, "children") {
        if is_account {
            return Err(sink.error(
                "snapshot::tree",
                "an account has no children".into(),
                c.span,
                "children belong to the root and to OUs",
            ));
        }
        for child in sink.array(c, "`children`")? {
            let cm = sink.object(child, "a child of the tree")?;
            let (key, is_acct) = match (field(cm, "ou"), field(cm, "account")) {
                (Some(_), None) => ("ou", false),
                (None, Some(_)) => ("account", true),
                _ => {
                    return Err(sink.error(
                        "snapshot::tree",
                        "a child of the tree is either `{\"ou\": …}` or `{\"account\": …}`".into(),
                        child.span,
                        "see docs/snapshot-format.md, organization/tree.json",
                    ))
                }
            };
            let cid_v = sink.required(cm, key, child.span, "a child of the tree")?;
            let cid = sink.string(cid_v, format_args!("`{key}`"))?.to_string();
            if is_acct && !keyward_eval::is_account_id(&cid) {
                return Err(sink.error(
                    "snapshot::tree",
                    format!("`{cid}` is not an account id"),
                    cid_v.span,
                    "use the 12-digit account id",
                ));
            }
            children.push(node(sink, child, cm, cid, is_acct)?);
        }
    }
    Ok(Node {
        id,
        is_account,
        policies,
        children,
        loc: Loc {
            source: sink.source.clone(),
            span: v.span,
        },
    })
}
