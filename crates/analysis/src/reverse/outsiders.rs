//! The callers a world cannot list, for one key: principals of accounts it
//! does not hold ("any principal of account 444455556666 whose own IAM
//! policies allow it"), service principals, anyone (public), the grantees
//! of grants to outside principals.
//!
//! Their classes are the request-space analysis's principal classes
//! ([`Space`]) over the key policy, the key account's RCPs and the grants'
//! principals; each class is tried in every state of its own IAM policies
//! (which the world does not hold) and decided against the real key, its
//! grants and RCPs. Accounts the world does not hold have no SCPs here:
//! what their own policies and SCPs allow is one unknown.

use keyward_eval::{ActionSet, Authorizer, GrantConfig, KeyId, PolicyDoc, PrincipalId};

use super::enumerate::{enumerate, DimsCache, GrantView, Outcome, Said, Subject};
use super::inventory::Inventory;
use super::known::{build_request, grant_label};
use super::names::{Name, ACCOUNT, EXACT, ROLE};
use crate::err::Unknown;
use crate::keys::KeyRep;
use crate::principals::{PrincipalRep, RepKind};
use crate::relevance::can_apply;
use crate::space::{Space, SpaceOptions};
use crate::world::{principal_configs, worlds, Kind, World};

/// One class of callers outside the world, and what it can do on the key.
#[derive(Debug)]
pub struct ClassRow {
    /// The class (its representative caller and label).
    pub rep: PrincipalRep,
    /// Its account, when it has one.
    pub account: Option<String>,
    /// A statement (or the caller of the analysis) names that account.
    pub named: bool,
    /// The states of its own policies it was tried in.
    pub worlds: Vec<World>,
    /// Its ids in [`Outsiders::auth`], per world.
    pub ids: Vec<PrincipalId>,
    /// The grants whose grantee it is (labels).
    pub grantee_of: Vec<String>,
    /// What it can do.
    pub outcome: Outcome,
}

/// The classes of callers outside the world that can be allowed on a key.
#[derive(Debug)]
pub struct Outsiders {
    /// The authorizer the classes were decided in: the real key, its
    /// grants and RCPs, and every class in every state of its policies.
    pub auth: Authorizer,
    /// The key in it.
    pub key: KeyId,
    /// The classes that can be allowed something.
    pub rows: Vec<ClassRow>,
}

/// Can a name reach a caller outside the held accounts?
fn reaches_outside(n: &Name, inv: &Inventory<'_>) -> bool {
    let held = |a: &str| inv.held.contains(a);
    match n {
        Name::Everyone | Name::Invalid | Name::AnyService | Name::Service(_) => true,
        Name::UniqueId(_) => true,
        Name::Account { account, .. } | Name::Role { account, .. } => !held(account),
        Name::Exact(arn) | Name::Session(arn) => arn.split(':').nth(4).is_none_or(|a| !held(a)),
        Name::Never => false,
    }
}

/// The classes of callers outside the world that key `k` can allow.
pub fn outsiders(
    inv: &Inventory<'_>,
    k: usize,
    wanted: ActionSet,
) -> Result<Option<Outsiders>, Unknown> {
    let key = &inv.keys[k];
    let key_stmts = key.stmts.as_ref().map_err(Clone::clone)?;
    let grants: Vec<&super::inventory::GrantInfo<'_>> =
        key.grants.iter().map(|&g| &inv.grants[g]).collect();
    let outside = key_stmts.iter().any(|s| {
        s.stmt.effect == keyward_policy::model::Effect::Allow
            && s.element
                .as_ref()
                .is_some_and(|e| e.negated || e.names.iter().any(|n| reaches_outside(n, inv)))
    }) || grants.iter().any(|g| {
        reaches_outside(&g.grantee, inv)
            || g.retiring.as_ref().is_some_and(|r| reaches_outside(r, inv))
            || !inv.held.contains(&g.issuing)
    });
    if !outside {
        return Ok(None);
    }
    let rcp_docs: Vec<&PolicyDoc> = inv
        .rcps
        .get(&key.account)
        .map(|c| c.docs.iter().flatten().collect())
        .unwrap_or_default();
    let mut docs: Vec<&PolicyDoc> = vec![&key.config.policy];
    docs.extend(rcp_docs.iter().copied());
    let mut names: Vec<String> = Vec::new();
    let mut accounts: Vec<String> = Vec::new();
    for g in &grants {
        names.push(g.config.grantee.clone());
        names.extend(g.config.retiring_principal.clone());
        accounts.push(g.issuing.clone());
    }
    let options = SpaceOptions {
        key_arn: Some(key.config.arn.clone()),
        accounts,
        principal_names: names,
        ..SpaceOptions::default()
    };
    let mut space = Space::new(&docs, Kind::KeyPolicy, &options)?;
    let key_account = space
        .accounts
        .iter()
        .position(|a| a.id == key.account)
        .ok_or_else(|| Unknown::internal("the key's account has no class"))?;
    let c = key.config;
    space.keys = vec![KeyRep {
        arn: c.arn.clone(),
        account: key_account,
        tags: c.tags.clone(),
        aliases: c.aliases.clone(),
        key_spec: c.key_spec.clone(),
        key_usage: c.key_usage.clone(),
        origin: c.origin,
        multi_region_key_type: c.multi_region_key_type.clone(),
        label: String::new(),
    }];

    // The authorizer: the real key, its grants and RCPs, every class.
    let mut b = Authorizer::builder();
    let key_id = b
        .add_key(c.clone())
        .map_err(|e| Unknown::internal(format!("key `{}`: {}", c.arn, e.message)))?;
    let configs = principal_configs(Kind::KeyPolicy, &c.policy, &space.principals)?;
    let ids: Vec<Vec<PrincipalId>> = configs
        .into_iter()
        .map(|per_world| per_world.into_iter().map(|p| b.add_principal(p)).collect())
        .collect();
    for g in &grants {
        let mut config: GrantConfig = g.config.clone();
        config.key = key_id;
        b.add_grant(config)
            .map_err(|e| Unknown::internal(format!("grant: {}", e.message)))?;
    }
    if let Some(chain) = inv.rcps.get(&key.account) {
        for level in chain.docs {
            b.add_rcp_level(&key.account, level.clone());
        }
    }
    let auth = b.build();

    let mut dims = DimsCache::default();
    let mut rows = Vec::new();
    for (pi, rep) in space.principals.iter().enumerate() {
        let account = rep.account.map(|a| &space.accounts[a]);
        if account.is_some_and(|a| inv.held.contains(&a.id)) {
            continue;
        }
        let relevant: Vec<usize> = (0..space.stmts.len())
            .filter(|&i| can_apply(&space.stmts[i], rep, &c.arn, wanted))
            .collect();
        let mut views = Vec::new();
        let mut grantee_of = Vec::new();
        for g in &grants {
            let gc = g.grantee.relation(&rep.caller);
            let rc = g.retiring.as_ref().map_or(0, |r| r.relation(&rep.caller));
            let issuing = !rep.caller.is_service() && g.issuing == rep.caller.account();
            if gc == 0 && rc == 0 && !issuing {
                continue;
            }
            let grantee = gc & (EXACT | ROLE | ACCOUNT) != 0;
            if gc & (EXACT | ROLE) != 0 {
                grantee_of.push(grant_label(g.config));
            }
            let config = g.config;
            views.push(GrantView {
                ops: if grantee {
                    config.operations
                } else {
                    ActionSet::EMPTY
                },
                constraints: config.constraints.as_ref(),
                id: g.content,
                child: (grantee
                    && config
                        .operations
                        .contains(keyward_eval::KmsAction::CreateGrant))
                .then(|| keyward_eval::NewGrant {
                    grantee: rep.caller.principal_arn().to_string(),
                    operations: config.operations,
                    constraints: config.constraints.clone(),
                    retiring_principal: None,
                }),
                config,
            });
        }
        let key_allow: Vec<bool> = relevant
            .iter()
            .map(|&i| {
                let s = &space.stmts[i];
                s.policy == 0 && s.effect == keyward_policy::model::Effect::Allow
            })
            .collect();
        if !key_allow.iter().any(|a| *a) && views.is_empty() {
            continue;
        }
        let tried = worlds(rep.kind, Kind::KeyPolicy);
        let subject = Subject {
            stmts: relevant.iter().map(|&i| &space.stmts[i]).collect(),
            ids: relevant.iter().map(|&i| i as u32).collect(),
            key_allow,
            grants: views,
            principal: rep,
            key_region: &key.region,
            wanted,
            worlds: tried
                .iter()
                .map(|w| match rep.kind {
                    RepKind::Root | RepKind::Service => String::new(),
                    _ => w.describe().to_string(),
                })
                .collect(),
            splits: super::enumerate::key_error_splits(c),
            fixed: key.fixed.iter().map(|(n, _)| n.clone()).collect(),
            complete: false,
        };
        let per_world = &ids[pi];
        let outcome = enumerate(&subject, &mut dims, |w, action, facets, new_grant| {
            let p = *per_world
                .get(w)
                .ok_or_else(|| Unknown::internal("a class has no such world"))?;
            let req = build_request(p, key_id, action, facets, new_grant, &key.fixed)?;
            let r = auth.decide(&req);
            Ok(Said::of(&r))
        })?;
        if outcome.accesses.is_empty() {
            continue;
        }
        rows.push(ClassRow {
            rep: rep.clone(),
            account: account.map(|a| a.id.clone()),
            named: account.is_some_and(|a| a.named),
            worlds: tried,
            ids: per_world.clone(),
            grantee_of,
            outcome,
        });
    }
    Ok(Some(Outsiders {
        auth,
        key: key_id,
        rows,
    }))
}
