//! The policies of a synthetic snapshot as iam-simulate takes them, read
//! straight from the AWS CLI files (not through keyward's loader, so a
//! loader mistake shows up as a disagreement instead of being fed to both):
//! each principal's identity policies (inline, attached managed at their
//! default version, its groups' inline and attached), its permissions
//! boundary, the SCP and RCP levels of its account (root first), and each
//! key's policy and tags.

use std::collections::HashMap;

use keyward_snapshot::MemoryFiles;
use serde_json::{json, Value};

/// One identity policy: `{"name", "policy"}` as iam-simulate takes it.
pub type Named = Value;

/// A principal of the raw files.
pub struct RawPrincipal {
    /// Identity policies: inline, attached managed, then its groups'.
    pub identity: Vec<Named>,
    /// Its permissions boundary, if any.
    pub boundary: Option<Named>,
    /// Its tags.
    pub tags: Vec<(String, String)>,
}

/// What the raw files say.
pub struct Raw {
    /// By principal ARN.
    pub principals: HashMap<String, RawPrincipal>,
    /// SCP levels of the account, root first: `{"orgIdentifier", "policies"}`.
    pub scps: Vec<Value>,
    /// RCP levels of the account, root first.
    pub rcps: Vec<Value>,
    /// The organization's id.
    pub org_id: String,
    /// The account's path in the organization (`o-…/r-…/ou-…/`).
    pub org_path: String,
}

fn file(files: &MemoryFiles, path: &str) -> Result<Value, String> {
    let bytes = files
        .get(path)
        .ok_or_else(|| format!("{path}: not in the snapshot"))?;
    serde_json::from_slice(bytes).map_err(|e| format!("{path}: {e}"))
}

/// A policy document: the CLI writes an object; some exports a string.
fn document(v: &Value, place: &str) -> Result<Value, String> {
    match v {
        Value::String(text) => serde_json::from_str(text).map_err(|e| format!("{place}: {e}")),
        Value::Object(_) => Ok(v.clone()),
        _ => Err(format!("{place}: no policy document")),
    }
}

fn list<'v>(v: &'v Value, field: &str) -> &'v [Value] {
    v.get(field)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text<'v>(v: &'v Value, field: &str) -> &'v str {
    v.get(field).and_then(Value::as_str).unwrap_or("")
}

/// Read the account `account`'s IAM export and organization.
pub fn read(files: &MemoryFiles, account: &str) -> Result<Raw, String> {
    let prefix = format!("accounts/{account}/iam/authorization-details");
    let mut pages: Vec<&str> = files.paths().filter(|p| p.starts_with(&prefix)).collect();
    pages.sort();
    if pages.is_empty() {
        return Err(format!("{prefix}*.json: not in the snapshot"));
    }
    let mut entities: Vec<(String, Value)> = Vec::new();
    for page in pages {
        let v = file(files, page)?;
        for list_name in [
            "UserDetailList",
            "RoleDetailList",
            "GroupDetailList",
            "Policies",
        ] {
            for item in list(&v, list_name) {
                entities.push((list_name.to_string(), item.clone()));
            }
        }
    }
    let mut managed: HashMap<String, Value> = HashMap::new();
    for (kind, p) in &entities {
        if kind != "Policies" {
            continue;
        }
        let arn = text(p, "Arn");
        let default = list(p, "PolicyVersionList")
            .iter()
            .find(|v| v.get("IsDefaultVersion") == Some(&Value::Bool(true)))
            .ok_or_else(|| format!("{arn}: no default version"))?;
        let doc = document(&default["Document"], arn)?;
        managed.insert(arn.to_string(), doc);
    }
    let attached = |owner: &Value, out: &mut Vec<Named>| -> Result<(), String> {
        for a in list(owner, "AttachedManagedPolicies") {
            let arn = text(a, "PolicyArn");
            let doc = managed
                .get(arn)
                .ok_or_else(|| format!("{arn}: attached but not exported"))?;
            out.push(json!({"name": arn, "policy": doc}));
        }
        Ok(())
    };
    let inline = |owner: &Value, field: &str, who: &str, out: &mut Vec<Named>| {
        for p in list(owner, field) {
            let name = format!("{who}/{}", text(p, "PolicyName"));
            out.push(json!({"name": name, "policy": document(&p["PolicyDocument"], &name)?}));
        }
        Ok::<(), String>(())
    };
    let mut groups: HashMap<String, Vec<Named>> = HashMap::new();
    for (kind, g) in &entities {
        if kind == "GroupDetailList" {
            let name = text(g, "GroupName");
            let mut docs = Vec::new();
            inline(g, "GroupPolicyList", &format!("group/{name}"), &mut docs)?;
            attached(g, &mut docs)?;
            groups.insert(name.to_string(), docs);
        }
    }
    let mut principals = HashMap::new();
    for (kind, p) in &entities {
        let field = match kind.as_str() {
            "UserDetailList" => "UserPolicyList",
            "RoleDetailList" => "RolePolicyList",
            _ => continue,
        };
        let arn = text(p, "Arn");
        let mut identity = Vec::new();
        inline(p, field, arn, &mut identity)?;
        attached(p, &mut identity)?;
        for g in list(p, "GroupList") {
            let name = g.as_str().unwrap_or("");
            let docs = groups
                .get(name)
                .ok_or_else(|| format!("{arn}: group {name} not exported"))?;
            identity.extend(docs.iter().cloned());
        }
        let boundary = match p.get("PermissionsBoundary") {
            None => None,
            Some(b) => {
                let barn = text(b, "PermissionsBoundaryArn");
                let doc = managed
                    .get(barn)
                    .ok_or_else(|| format!("{arn}: boundary {barn} not exported"))?;
                Some(json!({"name": barn, "policy": doc}))
            }
        };
        let tags = list(p, "Tags")
            .iter()
            .map(|t| (text(t, "Key").to_string(), text(t, "Value").to_string()))
            .collect();
        principals.insert(
            arn.to_string(),
            RawPrincipal {
                identity,
                boundary,
                tags,
            },
        );
    }
    let org = organization(files, account)?;
    Ok(Raw {
        principals,
        scps: org.0,
        rcps: org.1,
        org_id: org.2,
        org_path: org.3,
    })
}

/// The account's SCP and RCP levels, the organization id and the account's path.
fn organization(
    files: &MemoryFiles,
    account: &str,
) -> Result<(Vec<Value>, Vec<Value>, String, String), String> {
    let described = file(files, "organization/describe-organization.json")?;
    let org_id = text(&described["Organization"], "Id").to_string();
    let tree = file(files, "organization/tree.json")?;
    let root = &tree["root"];
    let mut levels: Vec<&Value> = Vec::new();
    if !path_to(root, account, &mut levels) {
        return Err(format!(
            "organization/tree.json: account {account} not in the tree"
        ));
    }
    let (mut scps, mut rcps) = (Vec::new(), Vec::new());
    let mut path = format!("{org_id}/");
    for level in &levels {
        let id = ["id", "ou", "account"]
            .iter()
            .map(|f| text(level, f))
            .find(|s| !s.is_empty())
            .unwrap_or("");
        if !level.get("account").is_some_and(Value::is_string) {
            path.push_str(&format!("{id}/"));
        }
        let (mut s, mut r) = (Vec::new(), Vec::new());
        for pid in list(level, "policies") {
            let pid = pid.as_str().unwrap_or("");
            let p = file(files, &format!("organization/policies/{pid}.json"))?;
            let summary = &p["Policy"]["PolicySummary"];
            let content = document(&p["Policy"]["Content"], pid)?;
            let named = json!({"name": text(summary, "Name"), "policy": content});
            match text(summary, "Type") {
                "SERVICE_CONTROL_POLICY" => s.push(named),
                "RESOURCE_CONTROL_POLICY" => r.push(named),
                other => return Err(format!("{pid}: policy type `{other}`")),
            }
        }
        scps.push(json!({"orgIdentifier": id, "policies": s}));
        rcps.push(json!({"orgIdentifier": id, "policies": r}));
    }
    Ok((scps, rcps, org_id, path))
}

/// The levels from `node` down to `account`, root first.
fn path_to<'v>(node: &'v Value, account: &str, levels: &mut Vec<&'v Value>) -> bool {
    levels.push(node);
    if text(node, "account") == account {
        return true;
    }
    for child in list(node, "children") {
        if path_to(child, account, levels) {
            return true;
        }
    }
    levels.pop();
    false
}

/// A key's policy and tags, from its `key-policy.json` and `tags.json`.
pub fn key(
    files: &MemoryFiles,
    account: &str,
    region: &str,
    key_id: &str,
) -> Result<(Value, Vec<(String, String)>), String> {
    let dir = format!("accounts/{account}/kms/{region}/keys/{key_id}");
    let policy = document(
        &file(files, &format!("{dir}/key-policy.json"))?["Policy"],
        key_id,
    )?;
    let tags = list(&file(files, &format!("{dir}/tags.json"))?, "Tags")
        .iter()
        .map(|t| {
            (
                text(t, "TagKey").to_string(),
                text(t, "TagValue").to_string(),
            )
        })
        .collect();
    Ok((policy, tags))
}
