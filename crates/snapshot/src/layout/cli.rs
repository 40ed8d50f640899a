//! keyward's own layout: the unmodified AWS CLI outputs, one file per
//! command, under `accounts/<account>/…` and `organization/…` (see
//! `docs/snapshot-format.md`).

use std::collections::{BTreeMap, HashMap};

use crate::aws;
use crate::files::{join, Entry, EntryKind};
use crate::iam::IamAccount;
use crate::json::Cx;
use crate::layout::keys::RegionParts;
use crate::layout::{AccountParts, OrgParts, Parts};
use crate::model::KeyData;
use crate::problem::{Gap, GapKind, Owner};
use crate::stock::Stock;

/// Read the whole layout.
pub(crate) fn load(cx: &mut Cx<'_>, stock: &mut Stock, root: &[Entry]) -> Parts {
    let mut parts = Parts::default();
    for e in root {
        match (e.name.as_str(), &e.kind) {
            ("accounts", EntryKind::Dir) => accounts(cx, stock, &mut parts),
            ("organization", EntryKind::Dir) => parts.org = Some(organization(cx)),
            _ => unexpected(cx, "", e, &Owner::default()),
        }
    }
    parts
}

/// Report an entry the layout has no place for (never skipped silently).
pub(crate) fn unexpected(cx: &mut Cx<'_>, dir: &str, e: &Entry, owner: &Owner) {
    let path = join(dir, &e.name);
    match &e.kind {
        EntryKind::Refused(why) => {
            cx.file_problem(
                &path,
                owner,
                "snapshot::refused",
                format!("`{path}` is not read: {why}"),
                "a snapshot holds plain files and directories only",
            );
        }
        _ => cx.file_warning(
            &path,
            owner,
            "snapshot::unexpected-file",
            format!("`{path}` has no place in the snapshot layout and is ignored"),
            "see docs/snapshot-format.md for the files a snapshot holds",
        ),
    }
}

fn list(cx: &mut Cx<'_>, dir: &str, owner: &Owner) -> Vec<Entry> {
    match cx.reader.list(dir) {
        Ok(entries) => entries,
        Err(e) => {
            cx.file_problem(
                dir,
                owner,
                "snapshot::unreadable",
                format!("cannot list `{dir}`: {e}"),
                "",
            );
            Vec::new()
        }
    }
}

fn accounts(cx: &mut Cx<'_>, stock: &mut Stock, parts: &mut Parts) {
    for e in list(cx, "accounts", &Owner::default()) {
        if e.kind != EntryKind::Dir || !keyward_eval::is_account_id(&e.name) {
            unexpected(cx, "accounts", &e, &Owner::default());
            continue;
        }
        let account = account(cx, stock, &e.name);
        parts.accounts.insert(e.name.clone(), account);
    }
}

fn account(cx: &mut Cx<'_>, stock: &mut Stock, id: &str) -> AccountParts {
    let dir = format!("accounts/{id}");
    let owner = Owner::account(id);
    let mut out = AccountParts {
        partition: "aws".into(),
        iam: None,
        regions: BTreeMap::new(),
        kms_collected: false,
    };
    for e in list(cx, &dir, &owner) {
        match (e.name.as_str(), &e.kind) {
            ("iam", EntryKind::Dir) => out.iam = Some(iam(cx, id, &format!("{dir}/iam"))),
            ("kms", EntryKind::Dir) => out.kms_collected = true,
            _ => unexpected(cx, &dir, &e, &owner),
        }
    }
    if let Some(iam) = &out.iam {
        out.partition = iam.partition.clone();
    } else {
        let lost = cx.file_problem(
            &format!("{dir}/iam/authorization-details.json"),
            &owner,
            "snapshot::missing-file",
            "the account's IAM export is missing".into(),
            "save `aws iam get-account-authorization-details` as accounts/<account>/iam/authorization-details.json",
        );
        out.iam = Some(IamAccount {
            account: id.to_string(),
            partition: "aws".into(),
            whole: Some(Gap {
                kind: GapKind::Identity,
                what: format!("the IAM export of account {id}: {}", lost.why),
                place: Some(lost.place),
            }),
            managed_home: "`Policies` of the authorization details",
            ..IamAccount::default()
        });
    }
    if out.kms_collected {
        for e in list(cx, &format!("{dir}/kms"), &owner) {
            if e.kind != EntryKind::Dir {
                unexpected(cx, &format!("{dir}/kms"), &e, &owner);
                continue;
            }
            let region = region(cx, stock, id, &out.partition, &e.name);
            out.regions.insert(e.name.clone(), region);
        }
    }
    out
}

/// `authorization-details.json`, or pages `authorization-details.<n>.json`.
fn iam(cx: &mut Cx<'_>, account: &str, dir: &str) -> IamAccount {
    let owner = Owner::account(account);
    let mut single = None;
    let mut pages: Vec<(u32, String)> = Vec::new();
    for e in list(cx, dir, &owner) {
        let page = e
            .name
            .strip_prefix("authorization-details.")
            .and_then(|r| r.strip_suffix(".json"))
            .and_then(|n| n.parse::<u32>().ok());
        match (e.kind == EntryKind::File, e.name.as_str(), page) {
            (true, "authorization-details.json", _) => single = Some(join(dir, &e.name)),
            (true, _, Some(n)) => pages.push((n, join(dir, &e.name))),
            _ => unexpected(cx, dir, &e, &owner),
        }
    }
    pages.sort();
    let mut iam = IamAccount {
        account: account.to_string(),
        partition: "aws".into(),
        ..IamAccount::default()
    };
    let paths: Vec<String> = match (single, pages.is_empty()) {
        (Some(s), true) => vec![s],
        (None, false) => {
            let numbers: Vec<u32> = pages.iter().map(|(n, _)| *n).collect();
            let expected: Vec<u32> =
                (1..=u32::try_from(numbers.len()).unwrap_or(u32::MAX)).collect();
            if numbers != expected {
                let lost = cx.file_problem(
                    dir,
                    &owner,
                    "snapshot::pages",
                    format!(
                        "the pages of authorization details are numbered {numbers:?}, not 1 to {}",
                        numbers.len()
                    ),
                    "number the pages 1, 2, 3… in the order the AWS CLI returned them",
                );
                iam.whole = Some(Gap {
                    kind: GapKind::Identity,
                    what: format!("the IAM export of account {account}: a page is missing"),
                    place: Some(lost.place),
                });
            }
            pages.into_iter().map(|(_, p)| p).collect()
        }
        (Some(s), false) => {
            let lost = cx.file_problem(&s, &owner, "snapshot::pages", "the IAM export is both one file and pages".into(), "keep either authorization-details.json or its pages authorization-details.<n>.json");
            iam.whole = Some(Gap {
                kind: GapKind::Identity,
                what: format!("the IAM export of account {account}: two exports are mixed"),
                place: Some(lost.place),
            });
            pages.into_iter().map(|(_, p)| p).collect()
        }
        (None, true) => {
            let lost = cx.file_problem(&format!("{dir}/authorization-details.json"), &owner, "snapshot::missing-file", "the account's IAM export is missing".into(), "save `aws iam get-account-authorization-details` as accounts/<account>/iam/authorization-details.json");
            iam.whole = Some(Gap {
                kind: GapKind::Identity,
                what: format!("the IAM export of account {account}: {}", lost.why),
                place: Some(lost.place),
            });
            Vec::new()
        }
    };
    aws::iam::read(cx, &mut iam, &paths);
    if let Some(p) = iam
        .users
        .iter()
        .chain(&iam.roles)
        .find_map(|e| e.arn.split(':').nth(1))
    {
        iam.partition = p.to_string();
    }
    iam
}

fn region(
    cx: &mut Cx<'_>,
    stock: &mut Stock,
    account: &str,
    partition: &str,
    region: &str,
) -> RegionParts {
    let dir = format!("accounts/{account}/kms/{region}");
    let owner = Owner::of(account, format!("Region {region}"));
    let mut out = RegionParts::default();
    let mut aliases_seen = false;
    for e in list(cx, &dir, &owner) {
        match (e.name.as_str(), &e.kind) {
            ("aliases.json", EntryKind::File) => {
                aliases_seen = true;
                let (aliases, gap) =
                    aws::kms::aliases(cx, &join(&dir, &e.name), &owner, account, region);
                out.aliases = aliases;
                out.aliases_gap = gap;
            }
            ("keys", EntryKind::Dir) => {
                for k in list(cx, &format!("{dir}/keys"), &owner) {
                    if k.kind != EntryKind::Dir {
                        unexpected(cx, &format!("{dir}/keys"), &k, &owner);
                        continue;
                    }
                    out.keys
                        .push(key(cx, stock, account, partition, region, &k.name));
                }
            }
            _ => unexpected(cx, &dir, &e, &owner),
        }
    }
    if !aliases_seen {
        let lost = cx.file_problem(
            &format!("{dir}/aliases.json"),
            &owner,
            "snapshot::missing-file",
            "the Region's aliases are missing".into(),
            "save `aws kms list-aliases --region REGION` as aliases.json",
        );
        out.aliases_gap = Some(Gap {
            kind: GapKind::Aliases,
            what: format!("the aliases of account {account} in {region}: {}", lost.why),
            place: Some(lost.place),
        });
    }
    out
}

fn key(
    cx: &mut Cx<'_>,
    stock: &mut Stock,
    account: &str,
    partition: &str,
    region: &str,
    key_id: &str,
) -> KeyData {
    let dir = format!("accounts/{account}/kms/{region}/keys/{key_id}");
    let arn = format!("arn:{partition}:kms:{region}:{account}:key/{key_id}");
    let owner = Owner::of(account, format!("key `{key_id}` ({region})"));
    let mut files: HashMap<String, Entry> = HashMap::new();
    for e in list(cx, &dir, &owner) {
        match (e.name.as_str(), &e.kind) {
            (
                "describe-key.json" | "key-policy.json" | "grants.json" | "tags.json",
                EntryKind::File,
            ) => {
                files.insert(e.name.clone(), e);
            }
            _ => unexpected(cx, &dir, &e, &owner),
        }
    }
    let path = |name: &str| join(&dir, name);
    let mut gaps = Vec::new();
    let meta = aws::kms::describe_key(cx, &path("describe-key.json"), &owner, &arn)
        .map_err(|g| gaps.push(g))
        .ok();
    let policy = aws::kms::key_policy(cx, &path("key-policy.json"), &owner, &arn)
        .map_err(|g| gaps.push(g))
        .ok();
    let (grants, grants_gap) = aws::kms::grants(cx, &path("grants.json"), &owner, &arn, stock);
    gaps.extend(grants_gap);
    let tags = match aws::kms::tags(cx, &path("tags.json"), &owner) {
        Ok(t) => t,
        Err(g) => {
            gaps.push(g);
            Vec::new()
        }
    };
    KeyData {
        arn,
        partition: partition.to_string(),
        account: account.to_string(),
        region: region.to_string(),
        key_id: key_id.to_string(),
        policy,
        meta,
        aliases: Vec::new(),
        tags,
        grants,
        gaps,
        mentions: Default::default(),
    }
}

fn organization(cx: &mut Cx<'_>) -> OrgParts {
    let owner = Owner::subject("the organization");
    let mut out = OrgParts::default();
    let mut describe = None;
    let mut tree = None;
    for e in list(cx, "organization", &owner) {
        match (e.name.as_str(), &e.kind) {
            ("describe-organization.json", EntryKind::File) => {
                describe = Some(join("organization", &e.name))
            }
            ("tree.json", EntryKind::File) => tree = Some(join("organization", &e.name)),
            ("policies", EntryKind::Dir) => {
                for p in list(cx, "organization/policies", &owner) {
                    let id = p
                        .name
                        .strip_suffix(".json")
                        .filter(|_| p.kind == EntryKind::File);
                    match id {
                        Some(id) => {
                            if let Ok(policy) = aws::org::describe_policy(
                                cx,
                                &join("organization/policies", &p.name),
                                id,
                            ) {
                                out.policies.insert(id.to_string(), policy);
                            }
                        }
                        None => unexpected(cx, "organization/policies", &p, &owner),
                    }
                }
            }
            _ => unexpected(cx, "organization", &e, &owner),
        }
    }
    out.describe = match describe {
        Some(p) => aws::org::describe_organization(cx, &p).map_err(Some),
        None => Err(Some(
            cx.file_problem(
                "organization/describe-organization.json",
                &owner,
                "snapshot::missing-file",
                "the organization's description is missing".into(),
                "save `aws organizations describe-organization` there",
            )
            .place,
        )),
    };
    out.tree = match tree {
        Some(p) => aws::org::tree(cx, &p).map_err(Some),
        None => {
            cx.file_warning("organization/tree.json", &owner, "snapshot::missing-file", "the organization's tree was not collected: every account's SCPs and RCPs are unknown".into(), "only the management account (or a delegated administrator) may walk the tree; collect from there");
            Err(None)
        }
    };
    out
}
