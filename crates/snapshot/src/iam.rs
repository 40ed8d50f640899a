//! IAM: users, roles and groups with their inline and attached managed
//! policies and permissions boundaries, linked into [`PrincipalData`].
//!
//! Both layouts fill an [`IamAccount`] (what the export says, references
//! unresolved); [`link`] then resolves managed-policy ARNs and group names,
//! and turns each reference the export does not define into a located
//! problem and a [`Gap`] of the principal.

use std::collections::HashMap;

use keyward_eval::{Caller, PolicyDoc};

use crate::json::Cx;
use crate::model::{Mentions, PrincipalData, PrincipalKind};
use crate::problem::{Gap, GapKind, Loc, Owner, Place};

/// A reference to something defined elsewhere in the export, and where it
/// is written.
#[derive(Clone, Debug)]
pub(crate) struct Ref {
    pub(crate) name: String,
    pub(crate) loc: Loc,
}

/// A policy read (or lost: the gap says what and where).
pub(crate) type Read = Result<PolicyDoc, Gap>;

/// A user or role as the export describes it.
#[derive(Clone, Debug)]
pub(crate) struct IamEntity {
    pub(crate) kind: PrincipalKind,
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) id: Option<String>,
    pub(crate) inline: Vec<Read>,
    pub(crate) managed: Vec<Ref>,
    /// Group names (authorization details) or ARNs (iam-collect).
    pub(crate) groups: Vec<Ref>,
    pub(crate) boundary: Option<Ref>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) loc: Loc,
}

/// A group as the export describes it.
#[derive(Clone, Debug)]
pub(crate) struct IamGroup {
    pub(crate) name: String,
    pub(crate) arn: String,
    pub(crate) inline: Vec<Read>,
    pub(crate) managed: Vec<Ref>,
}

/// One account's IAM export.
#[derive(Clone, Debug, Default)]
pub(crate) struct IamAccount {
    pub(crate) account: String,
    pub(crate) partition: String,
    pub(crate) users: Vec<IamEntity>,
    pub(crate) roles: Vec<IamEntity>,
    pub(crate) groups: Vec<IamGroup>,
    /// Managed policies by ARN: the default version's document.
    pub(crate) managed: HashMap<String, Read>,
    /// Set when the export as a whole is incomplete (a missing page, an
    /// unreadable file): every principal of the account may lack policies.
    pub(crate) whole: Option<Gap>,
    /// Where managed policies are defined (for messages): `Policies` or a folder.
    pub(crate) managed_home: &'static str,
    /// ARNs of the users and roles read so far (to find duplicates).
    pub(crate) seen: std::collections::HashSet<String>,
}

/// Counts for the load summary.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct IamCounts {
    pub(crate) users: usize,
    pub(crate) roles: usize,
    pub(crate) groups: usize,
    pub(crate) managed_policies: usize,
}

/// Resolve every reference of `iam` and build its principals (users and
/// roles, then the account's root user).
pub(crate) fn link(cx: &mut Cx<'_>, mut iam: IamAccount) -> (Vec<PrincipalData>, IamCounts) {
    let counts = IamCounts {
        users: iam.users.len(),
        roles: iam.roles.len(),
        groups: iam.groups.len(),
        managed_policies: iam.managed.len(),
    };
    let mut out = Vec::with_capacity(iam.users.len() + iam.roles.len() + 1);
    // Each entity's own inline policies are moved, not copied.
    let entities: Vec<IamEntity> = std::mem::take(&mut iam.users)
        .into_iter()
        .chain(std::mem::take(&mut iam.roles))
        .collect();
    for entity in entities {
        if let Some(p) = principal(cx, &iam, entity) {
            out.push(p);
        }
    }
    out.push(PrincipalData {
        caller: Caller::root(&iam.partition, &iam.account),
        kind: PrincipalKind::Root,
        name: String::new(),
        account: iam.account.clone(),
        tags: Vec::new(),
        policies: Vec::new(),
        boundary: None,
        gaps: Vec::new(),
        mentions: Mentions::default(),
    });
    (out, counts)
}

fn principal(cx: &mut Cx<'_>, iam: &IamAccount, e: IamEntity) -> Option<PrincipalData> {
    let label = format!("{} `{}`", e.kind.as_str(), e.name);
    let owner = Owner::of(&iam.account, label.clone());
    let caller = match Caller::from_arn(&e.arn) {
        Ok(c) => c,
        Err(err) => {
            cx.problems.push(
                e.loc
                    .problem(&owner, "snapshot::principal-arn", err.message, ""),
            );
            return None;
        }
    };
    let caller = match &e.id {
        Some(id) => caller.with_user_id(id),
        None => caller,
    };
    let mut policies = Vec::new();
    let mut gaps = Vec::new();
    for r in e.inline {
        match r {
            Ok(doc) => policies.push(doc),
            Err(gap) => gaps.push(gap),
        }
    }
    managed(
        cx,
        iam,
        &owner,
        &e.managed,
        &label,
        &mut policies,
        &mut gaps,
    );
    for group_ref in &e.groups {
        let group = iam
            .groups
            .iter()
            .find(|g| g.name == group_ref.name || g.arn == group_ref.name);
        let Some(group) = group else {
            cx.problems.push(group_ref.loc.problem(
                &owner,
                "snapshot::unknown-group",
                format!("group `{}` is not in the export", group_ref.name),
                "the export must hold every group a user is in (GroupDetailList)",
            ));
            gaps.push(Gap {
                kind: GapKind::Identity,
                what: format!(
                    "the policies of group `{}` of {label}: the export does not hold the group",
                    group_ref.name
                ),
                place: Some(group_ref.loc.place()),
            });
            continue;
        };
        let group_label = format!("group `{}` of {label}", group.name);
        take(&mut policies, &mut gaps, &group.inline);
        managed(
            cx,
            iam,
            &owner,
            &group.managed,
            &group_label,
            &mut policies,
            &mut gaps,
        );
    }
    let mut boundary = None;
    if let Some(b) = &e.boundary {
        match iam.managed.get(&b.name) {
            Some(Ok(doc)) => boundary = Some(doc.clone()),
            Some(Err(gap)) => gaps.push(Gap {
                kind: GapKind::Boundary,
                what: format!("the permissions boundary of {label}: {}", gap.what),
                place: gap.place.clone(),
            }),
            None => {
                let place = undefined(cx, &owner, iam, b, "permissions boundary");
                gaps.push(Gap {
                    kind: GapKind::Boundary,
                    what: format!(
                        "the permissions boundary `{}` of {label}: no managed policy of the export defines it",
                        b.name
                    ),
                    place: Some(place),
                });
            }
        }
    }
    if let Some(g) = &iam.whole {
        gaps.push(g.clone());
    }
    let mentions = Mentions::of(policies.iter().chain(boundary.as_ref()));
    Some(PrincipalData {
        caller,
        kind: e.kind,
        name: e.name,
        account: iam.account.clone(),
        tags: e.tags,
        policies,
        boundary,
        gaps,
        mentions,
    })
}

fn take(policies: &mut Vec<PolicyDoc>, gaps: &mut Vec<Gap>, read: &[Read]) {
    for r in read {
        match r {
            Ok(doc) => policies.push(doc.clone()),
            Err(gap) => gaps.push(gap.clone()),
        }
    }
}

fn managed(
    cx: &mut Cx<'_>,
    iam: &IamAccount,
    owner: &Owner,
    refs: &[Ref],
    label: &str,
    policies: &mut Vec<PolicyDoc>,
    gaps: &mut Vec<Gap>,
) {
    for r in refs {
        match iam.managed.get(&r.name) {
            Some(Ok(doc)) => policies.push(doc.clone()),
            Some(Err(gap)) => gaps.push(Gap {
                kind: GapKind::Identity,
                what: format!("managed policy `{}` of {label}: {}", r.name, gap.what),
                place: gap.place.clone(),
            }),
            None => {
                let place = undefined(cx, owner, iam, r, "managed policy");
                gaps.push(Gap {
                    kind: GapKind::Identity,
                    what: format!(
                        "managed policy `{}` of {label}: no managed policy of the export defines it",
                        r.name
                    ),
                    place: Some(place),
                });
            }
        }
    }
}

fn undefined(cx: &mut Cx<'_>, owner: &Owner, iam: &IamAccount, r: &Ref, what: &str) -> Place {
    cx.problems.push(r.loc.problem(
        owner,
        "snapshot::undefined-policy",
        format!("{what} `{}` is not defined in {}", r.name, iam.managed_home),
        "export authorization details without `--filter` (or with `LocalManagedPolicy` and `AWSManagedPolicy`), so that every attached managed policy is in `Policies`",
    ));
    r.loc.place()
}
