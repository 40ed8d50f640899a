//! `aws iam get-account-authorization-details`: `UserDetailList`,
//! `GroupDetailList`, `RoleDetailList` and `Policies` (with
//! `PolicyVersionList`), in one file or in pages merged here.

use keyward_policy::json::{JsonKind, JsonMember, JsonValue};

use crate::embedded::Detached;
use crate::iam::{IamAccount, IamEntity, IamGroup, Read, Ref};
use crate::json::{field, Cx, Doc, Sink};
use crate::model::PrincipalKind;
use crate::problem::{Gap, GapKind, Loc, Owner};

/// Read the pages of one account's export (in page order) into `iam`.
pub(crate) fn read(cx: &mut Cx<'_>, iam: &mut IamAccount, pages: &[String]) {
    iam.managed_home = "`Policies` of the authorization details";
    let owner = Owner::account(&iam.account);
    let last = pages.len().saturating_sub(1);
    for (n, path) in pages.iter().enumerate() {
        let doc = match cx.read_json(path, &owner, true) {
            Ok(d) => d,
            Err(lost) => {
                iam.whole.get_or_insert(Gap {
                    kind: GapKind::Identity,
                    what: format!("the IAM export of account {}: {}", iam.account, lost.why),
                    place: Some(lost.place),
                });
                continue;
            }
        };
        page(cx, iam, doc, n == last);
    }
}

fn page(cx: &mut Cx<'_>, iam: &mut IamAccount, mut doc: Doc, last: bool) {
    // Policy objects are lowered from the tree itself, not from copies.
    let mut detached = Detached::default();
    for (list, policies) in [
        ("UserDetailList", "UserPolicyList"),
        ("RoleDetailList", "RolePolicyList"),
        ("GroupDetailList", "GroupPolicyList"),
    ] {
        detached.take(
            &mut doc.root,
            &[list, "[]", policies, "[]", "PolicyDocument"],
        );
    }
    detached.take(
        &mut doc.root,
        &["Policies", "[]", "PolicyVersionList", "[]", "Document"],
    );
    let doc = &doc;
    let account = iam.account.clone();
    let options = cx.options.clone();
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner: Owner::account(&account),
    };
    let Ok(members) = sink.object(&doc.root, "authorization details") else {
        iam.whole.get_or_insert(Gap {
            kind: GapKind::Identity,
            what: format!(
                "the IAM export of account {account}: `{}` is not authorization details",
                doc.source.name()
            ),
            place: Some(sink.place(doc.root.span)),
        });
        return;
    };
    let truncated = members.iter().find_map(|m| match (&*m.key, &m.value.kind) {
        ("IsTruncated", JsonKind::Bool(true)) => Some(m.key_span),
        ("NextToken" | "Marker", JsonKind::String(_)) => Some(m.key_span),
        _ => None,
    });
    if let (true, Some(span)) = (last, truncated) {
        let place = sink.error(
            "snapshot::truncated",
            "the last page of authorization details says more pages follow".into(),
            span,
            "export every page (`--starting-token` with the `NextToken` of each page), as scripts/collect-snapshot.sh does",
        );
        iam.whole.get_or_insert(Gap {
            kind: GapKind::Identity,
            what: format!("the IAM export of account {account}: pages are missing"),
            place: Some(place),
        });
    }
    let lists = [
        ("UserDetailList", Some(PrincipalKind::User)),
        ("RoleDetailList", Some(PrincipalKind::Role)),
        ("GroupDetailList", None),
        ("Policies", None),
    ];
    for (list, kind) in lists {
        let Some(v) = field(members, list) else {
            continue;
        };
        let Ok(items) = sink.array(v, format_args!("`{list}`")) else {
            iam.whole.get_or_insert(Gap {
                kind: GapKind::Identity,
                what: format!("the IAM export of account {account}: `{list}` is unreadable"),
                place: Some(sink.place(v.span)),
            });
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let pointer = format!("/{list}/{i}");
            match (list, kind) {
                (_, Some(kind)) => {
                    if let Some(e) = entity(
                        &mut sink,
                        &mut detached,
                        item,
                        kind,
                        &pointer,
                        &account,
                        &options,
                    ) {
                        if !iam.seen.insert(e.arn.clone()) {
                            sink.owner =
                                Owner::of(&account, format!("{} `{}`", kind.as_str(), e.name));
                            let place = sink.error("snapshot::duplicate", "defined twice in the export".into(), item.span, "each page of authorization details lists each entity once; were two exports mixed?");
                            iam.whole.get_or_insert(Gap {
                                kind: GapKind::Identity,
                                what: format!(
                                    "the IAM export of account {account}: `{}` is defined twice",
                                    e.arn
                                ),
                                place: Some(place),
                            });
                            continue;
                        }
                        match kind {
                            PrincipalKind::User => iam.users.push(e),
                            _ => iam.roles.push(e),
                        }
                    }
                }
                ("GroupDetailList", None) => {
                    if let Some(g) =
                        group(&mut sink, &mut detached, item, &pointer, &account, &options)
                    {
                        iam.groups.push(g);
                    }
                }
                _ => managed(&mut sink, &mut detached, iam, item, &pointer, &options),
            }
        }
    }
}

fn entity(
    sink: &mut Sink<'_>,
    detached: &mut Detached,
    v: &JsonValue,
    kind: PrincipalKind,
    pointer: &str,
    account: &str,
    options: &keyward_policy::ParseOptions,
) -> Option<IamEntity> {
    sink.owner = Owner::account(account);
    let what = format!(
        "an entry of `{}`",
        if kind == PrincipalKind::User {
            "UserDetailList"
        } else {
            "RoleDetailList"
        }
    );
    let members = sink.object(v, &what).ok()?;
    let (name_field, id_field, list_field) = match kind {
        PrincipalKind::User => ("UserName", "UserId", "UserPolicyList"),
        _ => ("RoleName", "RoleId", "RolePolicyList"),
    };
    let name = sink
        .required_str(members, name_field, v.span, &what)
        .ok()?
        .to_string();
    sink.owner = Owner::of(account, format!("{} `{name}`", kind.as_str()));
    let arn = sink
        .required_str(members, "Arn", v.span, &what)
        .ok()?
        .to_string();
    let arn_v = field(members, "Arn")?;
    if arn.split(':').nth(4) != Some(account) {
        sink.error(
            "snapshot::account",
            format!("`{arn}` is not an ARN of account {account}"),
            arn_v.span,
            "each account's authorization details belong in accounts/<that account>/iam/",
        );
        return None;
    }
    let id = sink
        .optional_str(members, id_field)
        .ok()
        .flatten()
        .map(str::to_string);
    let inline = inline_policies(sink, detached, members, list_field, &name, pointer, options);
    let managed = attached(sink, members);
    let groups = match field(members, "GroupList") {
        Some(g) => match g.as_array() {
            Some(items) => items
                .iter()
                .filter_map(|i| {
                    let n = sink.string(i, "a group name").ok()?;
                    Some(Ref {
                        name: n.to_string(),
                        loc: loc(sink, i),
                    })
                })
                .collect(),
            None => {
                sink.wrong_type(g, "`GroupList`", "an array");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let boundary = match field(members, "PermissionsBoundary") {
        Some(b) if !matches!(b.kind, JsonKind::Null) => (|| {
            let bm = sink.object(b, "`PermissionsBoundary`").ok()?;
            let arn_v = sink
                .required(
                    bm,
                    "PermissionsBoundaryArn",
                    b.span,
                    "`PermissionsBoundary`",
                )
                .ok()?;
            let arn = sink.string(arn_v, "`PermissionsBoundaryArn`").ok()?;
            Some(Ref {
                name: arn.to_string(),
                loc: loc(sink, arn_v),
            })
        })(),
        _ => None,
    };
    let tags = tags(sink, members);
    Some(IamEntity {
        kind,
        arn,
        name,
        id,
        inline,
        managed,
        groups,
        boundary,
        tags,
        loc: loc(sink, v),
    })
}

fn group(
    sink: &mut Sink<'_>,
    detached: &mut Detached,
    v: &JsonValue,
    pointer: &str,
    account: &str,
    options: &keyward_policy::ParseOptions,
) -> Option<IamGroup> {
    sink.owner = Owner::account(account);
    let members = sink.object(v, "an entry of `GroupDetailList`").ok()?;
    let name = sink
        .required_str(
            members,
            "GroupName",
            v.span,
            "an entry of `GroupDetailList`",
        )
        .ok()?
        .to_string();
    sink.owner = Owner::of(account, format!("group `{name}`"));
    let arn = sink
        .optional_str(members, "Arn")
        .ok()
        .flatten()
        .unwrap_or("")
        .to_string();
    let inline = inline_policies(
        sink,
        detached,
        members,
        "GroupPolicyList",
        &name,
        pointer,
        options,
    );
    let managed = attached(sink, members);
    Some(IamGroup {
        name,
        arn,
        inline,
        managed,
    })
}

fn inline_policies(
    sink: &mut Sink<'_>,
    detached: &mut Detached,
    members: &[JsonMember],
    list: &str,
    owner_name: &str,
    pointer: &str,
    options: &keyward_policy::ParseOptions,
) -> Vec<Read> {
    let Some(v) = field(members, list) else {
        return Vec::new();
    };
    let Ok(items) = sink.array(v, format_args!("`{list}`")) else {
        return vec![Err(Gap {
            kind: GapKind::Identity,
            what: format!("the inline policies of `{owner_name}`: `{list}` is unreadable"),
            place: Some(sink.place(v.span)),
        })];
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let read = (|| {
            let m = sink.object(item, format_args!("an entry of `{list}`"))?;
            let name = sink.required_str(
                m,
                "PolicyName",
                item.span,
                format_args!("an entry of `{list}`"),
            )?;
            let doc = sink.required(
                m,
                "PolicyDocument",
                item.span,
                format_args!("inline policy `{name}`"),
            )?;
            let label = format!("{owner_name}/{name}");
            detached.policy(
                sink,
                doc,
                &label,
                &format_args!("{pointer}/{list}/{i}/PolicyDocument"),
                options,
            )
        })();
        out.push(read.map_err(|place| Gap {
            kind: GapKind::Identity,
            what: format!("inline policy #{i} of `{owner_name}`: it cannot be read"),
            place: Some(place),
        }));
    }
    out
}

fn attached(sink: &mut Sink<'_>, members: &[JsonMember]) -> Vec<Ref> {
    let Some(v) = field(members, "AttachedManagedPolicies") else {
        return Vec::new();
    };
    let Ok(items) = sink.array(v, "`AttachedManagedPolicies`") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let m = sink.object(item, "an attached managed policy").ok()?;
            let arn_v = sink
                .required(m, "PolicyArn", item.span, "an attached managed policy")
                .ok()?;
            let arn = sink.string(arn_v, "`PolicyArn`").ok()?;
            Some(Ref {
                name: arn.to_string(),
                loc: loc(sink, arn_v),
            })
        })
        .collect()
}

fn managed(
    sink: &mut Sink<'_>,
    detached: &mut Detached,
    iam: &mut IamAccount,
    v: &JsonValue,
    pointer: &str,
    options: &keyward_policy::ParseOptions,
) {
    let account = iam.account.clone();
    sink.owner = Owner::account(&account);
    let Ok(members) = sink.object(v, "an entry of `Policies`") else {
        return;
    };
    let Ok(arn) = sink.required_str(members, "Arn", v.span, "an entry of `Policies`") else {
        return;
    };
    let arn = arn.to_string();
    let name = sink
        .optional_str(members, "PolicyName")
        .ok()
        .flatten()
        .unwrap_or(&arn)
        .to_string();
    sink.owner = Owner::of(&account, format!("managed policy `{name}`"));
    if iam.managed.contains_key(&arn) {
        sink.error(
            "snapshot::duplicate",
            format!("`{arn}` is defined twice in `Policies`"),
            v.span,
            "were two exports mixed?",
        );
        iam.managed.insert(
            arn.clone(),
            Err(Gap {
                kind: GapKind::Identity,
                what: format!("`{arn}` is defined twice"),
                place: Some(sink.place(v.span)),
            }),
        );
        return;
    }
    let read = (|| {
        let versions_v = sink.required(
            members,
            "PolicyVersionList",
            v.span,
            format_args!("managed policy `{name}`"),
        )?;
        let versions = sink.array(versions_v, "`PolicyVersionList`")?;
        let default_id = sink.optional_str(members, "DefaultVersionId")?;
        // The version marked `IsDefaultVersion`; failing that (an export
        // that leaves the flag out), the one `DefaultVersionId` names.
        let mut flagged = None;
        let mut by_id = None;
        for (j, ver) in versions.iter().enumerate() {
            let vm = sink.object(ver, "a policy version")?;
            let is_default = match field(vm, "IsDefaultVersion") {
                Some(b) => sink.boolean(b, "`IsDefaultVersion`")?,
                None => false,
            };
            if is_default && flagged.is_none() {
                flagged = Some((j, ver, vm));
            }
            if default_id.is_some() && sink.optional_str(vm, "VersionId")? == default_id {
                by_id = Some((j, ver, vm));
            }
        }
        let chosen = flagged.or(by_id);
        let Some((j, ver, vm)) = chosen else {
            return Err(sink.error(
                "snapshot::no-default-version",
                "no version of the policy is its default version".into(),
                versions_v.span,
                "authorization details list every version of a managed policy, one with `\"IsDefaultVersion\": true`",
            ));
        };
        let doc = sink.required(vm, "Document", ver.span, "the default policy version")?;
        detached.policy(
            sink,
            doc,
            &name,
            &format_args!("{pointer}/PolicyVersionList/{j}/Document"),
            options,
        )
    })();
    iam.managed.insert(
        arn.clone(),
        read.map_err(|place| Gap {
            kind: GapKind::Identity,
            what: format!(
                "its default version cannot be read from `{}`",
                sink.source.name()
            ),
            place: Some(place),
        }),
    );
}

/// `Tags: [{"Key": …, "Value": …}]`.
fn tags(sink: &mut Sink<'_>, members: &[JsonMember]) -> Vec<(String, String)> {
    let Some(v) = field(members, "Tags") else {
        return Vec::new();
    };
    let Ok(items) = sink.array(v, "`Tags`") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|t| {
            let m = sink.object(t, "a tag").ok()?;
            let k = sink.required_str(m, "Key", t.span, "a tag").ok()?;
            let val = sink.required_str(m, "Value", t.span, "a tag").ok()?;
            Some((k.to_string(), val.to_string()))
        })
        .collect()
}

fn loc(sink: &Sink<'_>, v: &JsonValue) -> Loc {
    Loc {
        source: sink.source.clone(),
        span: v.span,
    }
}
