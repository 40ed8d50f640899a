//! iam-collect's on-disk store, read for what it holds: IAM users, roles,
//! groups and managed policies; KMS key policies and tags; the
//! organization's SCPs and RCPs and where they are attached.
//!
//! It holds no KMS grants, no key state or properties and no aliases: those
//! are gaps of every key (the load summary says so), never invented.
//!
//! ```text
//! aws/<partition>/accounts/<account>/iam/{user,role,group,policy}/<name>/…
//! aws/<partition>/accounts/<account>/iam/aws/policy/<name>/…     (AWS managed)
//! aws/<partition>/accounts/<account>/kms/<region>/key/<key-id>/{metadata,policy,tags}.json
//! aws/<partition>/organizations/<org-id>/{metadata,accounts,ous}.json, scps/<id>/, rcps/<id>/
//! ```

mod kms;
mod org;

use keyward_policy::json::{JsonKind, JsonValue};

use crate::embedded::policy_at;
use crate::files::{join, Entry, EntryKind};
use crate::iam::{IamAccount, IamEntity, IamGroup, Ref};
use crate::json::{field, Cx, Doc, Sink};
use crate::layout::cli::unexpected;
use crate::layout::{AccountParts, Layout, Parts};
use crate::model::PrincipalKind;
use crate::problem::{Gap, GapKind, Loc, Owner};

const SERVICES_USED: &[&str] = &["iam", "kms"];

/// Read every partition under `aws/`.
pub(crate) fn load(cx: &mut Cx<'_>, root: &[Entry]) -> Parts {
    let mut parts = Parts {
        layout: Layout::IamCollect,
        ..Parts::default()
    };
    parts.notes.push(
        "iam-collect holds no KMS grants, no key state or properties, and no aliases: answers that depend on them are incomplete".into(),
    );
    for e in root {
        if e.name != "aws" || e.kind != EntryKind::Dir {
            unexpected(cx, "", e, &Owner::default());
        }
    }
    let mut other_services = std::collections::BTreeSet::new();
    for partition in list(cx, "aws") {
        if partition.kind != EntryKind::Dir {
            unexpected(cx, "aws", &partition, &Owner::default());
            continue;
        }
        let base = format!("aws/{}", partition.name);
        for e in list(cx, &base) {
            match (e.name.as_str(), &e.kind) {
                ("accounts", EntryKind::Dir) => {
                    for a in list(cx, &format!("{base}/accounts")) {
                        if a.kind != EntryKind::Dir || !keyward_eval::is_account_id(&a.name) {
                            continue;
                        }
                        let acct =
                            account(cx, &base, &partition.name, &a.name, &mut other_services);
                        parts.accounts.insert(a.name.clone(), acct);
                    }
                }
                ("organizations", EntryKind::Dir) => {
                    for o in list(cx, &format!("{base}/organizations")) {
                        if o.kind == EntryKind::Dir {
                            parts.org = Some(org::organization(
                                cx,
                                &format!("{base}/organizations/{}", o.name),
                            ));
                        }
                    }
                }
                ("indexes", EntryKind::Dir) => {}
                _ => unexpected(cx, &base, &e, &Owner::default()),
            }
        }
    }
    if !other_services.is_empty() {
        let list: Vec<String> = other_services.into_iter().collect();
        parts.notes.push(format!(
            "iam-collect data of other services is not used: {}",
            list.join(", ")
        ));
    }
    parts
}

pub(super) fn list(cx: &mut Cx<'_>, dir: &str) -> Vec<Entry> {
    match cx.reader.list(dir) {
        Ok(e) => e,
        Err(crate::files::ReadError::NotFound) => Vec::new(),
        Err(e) => {
            cx.file_problem(
                dir,
                &Owner::default(),
                "snapshot::unreadable",
                format!("cannot list `{dir}`: {e}"),
                "",
            );
            Vec::new()
        }
    }
}

fn account(
    cx: &mut Cx<'_>,
    base: &str,
    partition: &str,
    id: &str,
    others: &mut std::collections::BTreeSet<String>,
) -> AccountParts {
    let dir = format!("{base}/accounts/{id}");
    let mut out = AccountParts {
        partition: partition.to_string(),
        ..AccountParts::default()
    };
    let mut iam = IamAccount {
        account: id.to_string(),
        partition: partition.to_string(),
        managed_home: "iam-collect's `iam/policy` folders",
        ..IamAccount::default()
    };
    let mut iam_seen = false;
    for e in list(cx, &dir) {
        match (e.name.as_str(), &e.kind) {
            ("iam", EntryKind::Dir) => {
                iam_seen = true;
                read_iam(cx, &format!("{dir}/iam"), &mut iam);
            }
            ("kms", EntryKind::Dir) => {
                out.kms_collected = true;
                for r in list(cx, &format!("{dir}/kms")) {
                    if r.kind == EntryKind::Dir {
                        let region = kms::region(
                            cx,
                            &format!("{dir}/kms/{}", r.name),
                            partition,
                            id,
                            &r.name,
                        );
                        out.regions.insert(r.name.clone(), region);
                    }
                }
            }
            (name, EntryKind::Dir) if !SERVICES_USED.contains(&name) => {
                others.insert(name.to_string());
            }
            _ => {}
        }
    }
    if !iam_seen {
        iam.whole = Some(Gap {
            kind: GapKind::Identity,
            what: format!("the IAM data of account {id}: iam-collect stored none"),
            place: None,
        });
    }
    out.iam = Some(iam);
    out
}

/// Read `path` if it exists (iam-collect leaves out empty files).
pub(super) fn optional(cx: &mut Cx<'_>, path: &str, owner: &Owner) -> Option<Result<Doc, Gap>> {
    match cx.read_json(path, owner, false) {
        Ok(d) => Some(Ok(d)),
        Err(lost) if lost.why.ends_with("is not in the snapshot") => None,
        Err(lost) => Some(Err(Gap {
            kind: GapKind::Identity,
            what: lost.why,
            place: Some(lost.place),
        })),
    }
}

fn read_iam(cx: &mut Cx<'_>, dir: &str, iam: &mut IamAccount) {
    for kind_dir in list(cx, dir) {
        let sub = format!("{dir}/{}", kind_dir.name);
        match kind_dir.name.as_str() {
            "user" | "role" | "group" => {
                for e in list(cx, &sub) {
                    if e.kind == EntryKind::Dir {
                        entity(cx, &join(&sub, &e.name), &kind_dir.name, iam);
                    }
                }
            }
            "policy" => managed_dir(cx, &sub, iam),
            "aws" => managed_dir(cx, &format!("{sub}/policy"), iam),
            _ => {}
        }
    }
}

fn managed_dir(cx: &mut Cx<'_>, dir: &str, iam: &mut IamAccount) {
    for e in list(cx, dir) {
        if e.kind != EntryKind::Dir {
            continue;
        }
        let pdir = join(dir, &e.name);
        let owner = Owner::of(&iam.account, format!("managed policy `{}`", e.name));
        let Ok(meta) = cx.read_json(&join(&pdir, "metadata.json"), &owner, true) else {
            continue;
        };
        let mut sink = Sink {
            problems: &mut cx.problems,
            source: &meta.source,
            owner: owner.clone(),
        };
        let Ok(m) = sink.object(&meta.root, "metadata.json") else {
            continue;
        };
        let Ok(arn) = sink.required_str(m, "arn", meta.root.span, "metadata.json") else {
            continue;
        };
        let arn = arn.to_string();
        let name = sink
            .optional_str(m, "name")
            .ok()
            .flatten()
            .unwrap_or(&e.name)
            .to_string();
        let read = match optional(cx, &join(&pdir, "current-policy.json"), &owner) {
            Some(Ok(doc)) => {
                let options = cx.options.clone();
                let mut sink = Sink {
                    problems: &mut cx.problems,
                    source: &doc.source,
                    owner,
                };
                policy_at(&mut sink, &doc.root, &name, &"", &options).map_err(|place| Gap {
                    kind: GapKind::Identity,
                    what: "its current version cannot be read".into(),
                    place: Some(place),
                })
            }
            Some(Err(g)) => Err(g),
            None => Err(Gap {
                kind: GapKind::Identity,
                what: "iam-collect stored no current version".into(),
                place: None,
            }),
        };
        iam.managed.insert(arn, read);
    }
}

fn entity(cx: &mut Cx<'_>, dir: &str, kind: &str, iam: &mut IamAccount) {
    let account = iam.account.clone();
    let owner = Owner::of(&account, format!("{kind} in `{dir}`"));
    let Ok(meta) = cx.read_json(&join(dir, "metadata.json"), &owner, true) else {
        return;
    };
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &meta.source,
        owner,
    };
    let Ok(m) = sink.object(&meta.root, "metadata.json") else {
        return;
    };
    let Ok(arn) = sink.required_str(m, "arn", meta.root.span, "metadata.json") else {
        return;
    };
    let arn = arn.to_string();
    let name = sink
        .optional_str(m, "name")
        .ok()
        .flatten()
        .unwrap_or("")
        .to_string();
    let id = sink
        .optional_str(m, "id")
        .ok()
        .flatten()
        .map(str::to_string);
    let boundary = sink
        .optional_str(m, "permissionBoundary")
        .ok()
        .flatten()
        .map(|b| Ref {
            name: b.to_string(),
            loc: Loc {
                source: meta.source.clone(),
                span: field(m, "permissionBoundary").map_or(meta.root.span, |v| v.span),
            },
        });
    let loc = Loc {
        source: meta.source.clone(),
        span: meta.root.span,
    };
    let owner = Owner::of(&account, format!("{kind} `{name}`"));
    let inline = match optional(cx, &join(dir, "inline-policies.json"), &owner) {
        None => Vec::new(),
        Some(Err(g)) => vec![Err(g)],
        Some(Ok(doc)) => {
            let options = cx.options.clone();
            let mut sink = Sink {
                problems: &mut cx.problems,
                source: &doc.source,
                owner: owner.clone(),
            };
            match sink.array(&doc.root, "inline-policies.json") {
                Err(place) => vec![Err(Gap {
                    kind: GapKind::Identity,
                    what: format!("the inline policies of {kind} `{name}`"),
                    place: Some(place),
                })],
                Ok(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        (|| {
                            let im = sink.object(item, "an inline policy")?;
                            let pname =
                                sink.required_str(im, "PolicyName", item.span, "an inline policy")?;
                            let d =
                                sink.required(im, "PolicyDocument", item.span, "an inline policy")?;
                            policy_at(
                                &mut sink,
                                d,
                                &format!("{name}/{pname}"),
                                &format_args!("/{i}/PolicyDocument"),
                                &options,
                            )
                        })()
                        .map_err(|place| Gap {
                            kind: GapKind::Identity,
                            what: format!(
                                "inline policy #{i} of {kind} `{name}`: it cannot be read"
                            ),
                            place: Some(place),
                        })
                    })
                    .collect(),
            }
        }
    };
    let managed = strings(cx, &join(dir, "managed-policies.json"), &owner);
    if kind == "group" {
        iam.groups.push(IamGroup {
            name,
            arn,
            inline,
            managed,
        });
        return;
    }
    let groups = if kind == "user" {
        strings(cx, &join(dir, "groups.json"), &owner)
    } else {
        Vec::new()
    };
    let tags = record(cx, &join(dir, "tags.json"), &owner);
    let kind = if kind == "user" {
        PrincipalKind::User
    } else {
        PrincipalKind::Role
    };
    let e = IamEntity {
        kind,
        arn,
        name,
        id,
        inline,
        managed,
        groups,
        boundary,
        tags,
        loc,
    };
    if kind == PrincipalKind::User {
        iam.users.push(e);
    } else {
        iam.roles.push(e);
    }
}

/// A JSON array of strings (managed policy ARNs, group ARNs).
fn strings(cx: &mut Cx<'_>, path: &str, owner: &Owner) -> Vec<Ref> {
    let Some(Ok(doc)) = optional(cx, path, owner) else {
        return Vec::new();
    };
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner: owner.clone(),
    };
    let Ok(items) = sink.array(&doc.root, path) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| {
            let s = sink.string(i, "an ARN").ok()?;
            Some(Ref {
                name: s.to_string(),
                loc: Loc {
                    source: doc.source.clone(),
                    span: i.span,
                },
            })
        })
        .collect()
}

/// Tags as `{"key": "value"}` or as a list of `{TagKey, TagValue}` / `{Key, Value}`.
fn record(cx: &mut Cx<'_>, path: &str, owner: &Owner) -> Vec<(String, String)> {
    let Some(Ok(doc)) = optional(cx, path, owner) else {
        return Vec::new();
    };
    tags_of(
        &mut Sink {
            problems: &mut cx.problems,
            source: &doc.source,
            owner: owner.clone(),
        },
        &doc.root,
    )
    .unwrap_or_default()
}

pub(super) fn tags_of(
    sink: &mut Sink<'_>,
    v: &JsonValue,
) -> Result<Vec<(String, String)>, crate::problem::Place> {
    match &v.kind {
        JsonKind::Object(members) => members
            .iter()
            .map(|m| {
                Ok((
                    m.key.to_string(),
                    sink.string(&m.value, "a tag value")?.to_string(),
                ))
            })
            .collect(),
        JsonKind::Array(items) => items
            .iter()
            .map(|t| {
                let m = sink.object(t, "a tag")?;
                let k = field(m, "TagKey")
                    .or_else(|| field(m, "Key"))
                    .ok_or_else(|| {
                        sink.error(
                            "snapshot::missing-field",
                            "a tag has no key".into(),
                            t.span,
                            "",
                        )
                    })?;
                let val = field(m, "TagValue")
                    .or_else(|| field(m, "Value"))
                    .ok_or_else(|| {
                        sink.error(
                            "snapshot::missing-field",
                            "a tag has no value".into(),
                            t.span,
                            "",
                        )
                    })?;
                Ok((
                    sink.string(k, "a tag key")?.to_string(),
                    sink.string(val, "a tag value")?.to_string(),
                ))
            })
            .collect(),
        _ => Err(sink.wrong_type(v, "tags", "an object or an array")),
    }
}
