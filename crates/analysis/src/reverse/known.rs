//! One known principal on one key: the statements and grants that can
//! concern them, what makes the pair interchangeable with others (its
//! signature), and its classes of requests decided by the world's own
//! authorizer (the one `keyward query` uses).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use keyward_eval::{ActionSet, ContextValue, KmsAction, NewGrant, Request};
use keyward_policy::matching::Arn;

pub use super::enumerate::grant_label;
use super::enumerate::{enumerate, meet, DimsCache, GrantView, Outcome, Said, Subject};
use super::inventory::{Inventory, Layer, Placed};
use super::names::{ACCOUNT, EXACT, ROLE};
use crate::dims::Facet;
use crate::err::Unknown;

/// The statements and grants that can concern a principal and a key.
#[derive(Debug)]
pub struct Relevant<'i, 'w> {
    /// (statement, its relation to the caller)
    pub stmts: Vec<(&'i Placed<'w>, u8)>,
    /// (grant, grantee relation, retiring relation, issued by the caller's account)
    pub grants: Vec<(usize, u8, u8, bool)>,
    /// What decides the pair's answers: equal signatures, equal answers.
    pub signature: Vec<u64>,
}

fn layer_code(l: Layer) -> u64 {
    match l {
        Layer::KeyPolicy => 1,
        Layer::Identity => 2,
        Layer::Boundary => 3,
        Layer::Session => 4,
        Layer::Scp(n) => 0x1_0000 + u64::from(n),
        Layer::Rcp(n) => 0x2_0000 + u64::from(n),
    }
}

/// The statements and grants of the world that can concern principal `p`
/// and key `k` for the actions `wanted`; `None` when nothing can allow
/// (no key-policy Allow and no grant concerns them).
pub fn relevant<'i, 'w>(
    inv: &'i Inventory<'w>,
    p: usize,
    k: usize,
    wanted: ActionSet,
) -> Result<Option<Relevant<'i, 'w>>, Unknown> {
    let principal = &inv.principals[p];
    let key = &inv.keys[k];
    let caller = &principal.rep.caller;
    let key_arn = key.config.arn.as_str();
    let own = principal.stmts.as_ref().map_err(Clone::clone)?;
    let key_stmts = key.stmts.as_ref().map_err(Clone::clone)?;
    let parsed = Arn::parse(key_arn).ok();
    let touches = |s: &Placed<'_>| {
        !meet(s.stmt.actions, wanted).is_empty() && s.cover.covers(key_arn, parsed.as_ref())
    };
    let mut stmts: Vec<(&'i Placed<'w>, u8)> = Vec::new();
    let mut key_allow = false;
    for s in key_stmts {
        if !touches(s) {
            continue;
        }
        let code = s.element.as_ref().map_or(0, |e| e.code(caller));
        if code != 0 {
            key_allow |= s.stmt.effect == keyward_policy::model::Effect::Allow;
            stmts.push((s, code));
        }
    }
    let mut levels = [0u16; 2];
    if let Some(chain) = inv.rcps.get(&key.account) {
        levels[1] = chain.levels;
        for s in chain.stmts.as_ref().map_err(Clone::clone)? {
            let code = s.element.as_ref().map_or(0, |e| e.code(caller));
            if code != 0 && touches(s) {
                stmts.push((s, code));
            }
        }
    }
    let mut grants = Vec::new();
    for &g in &key.grants {
        let grant = &inv.grants[g];
        let gc = grant.grantee.relation(caller);
        let rc = grant.retiring.as_ref().map_or(0, |r| r.relation(caller));
        let issuing = !caller.is_service() && grant.issuing == caller.account();
        if gc != 0 || rc != 0 || issuing {
            grants.push((g, gc, rc, issuing));
        }
    }
    if !key_allow && grants.is_empty() {
        return Ok(None);
    }
    for s in own {
        if touches(s) {
            stmts.push((s, 0));
        }
    }
    if !caller.is_service() {
        if let Some(chain) = inv.scps.get(caller.account()) {
            levels[0] = chain.levels;
            for s in chain.stmts.as_ref().map_err(Clone::clone)? {
                if touches(s) {
                    stmts.push((s, 0));
                }
            }
        }
    }
    let mut signature: Vec<u64> = Vec::with_capacity(stmts.len() + grants.len() + 6);
    signature.push(u64::from(principal.caller_class));
    signature.push(u64::from(key.attrs));
    signature.push(bits(wanted));
    signature.push(u64::from(levels[0]) << 16 | u64::from(levels[1]));
    let mut parts: Vec<u64> = stmts
        .iter()
        .map(|(s, code)| {
            layer_code(s.layer) << 40 | u64::from(s.on_its_key) << 8 | u64::from(*code)
        })
        .collect();
    parts.sort_unstable();
    parts.dedup();
    signature.extend(parts);
    signature.push(u64::MAX);
    // A grant the caller is not a grantee of only lets it retire grants
    // (as their retiring principal or through the issuing account), and
    // retiring takes no constraint: which grant it is does not change an
    // answer (the explanation, decided per entry, names it), so keys whose
    // grants differ only there share answers. Statements are read on this
    // key (a literal `Resource` as "this key"), and grants as their
    // grantee sees them, for the same reason.
    let mut gparts: Vec<u64> = grants
        .iter()
        .map(|&(g, gc, rc, iss)| {
            let content = if gc & (EXACT | ROLE | ACCOUNT) != 0 {
                u64::from(inv.grants[g].to_grantee) + 1
            } else {
                0
            };
            content << 24 | u64::from(gc) << 16 | u64::from(rc) << 8 | u64::from(iss)
        })
        .collect();
    gparts.sort_unstable();
    gparts.dedup();
    signature.extend(gparts);
    Ok(Some(Relevant {
        stmts,
        grants,
        signature,
    }))
}

/// The bits of an action set, for signatures.
fn bits(set: ActionSet) -> u64 {
    set.iter().fold(0, |acc, a| acc | a.bit())
}

/// Decide every class of requests of principal `p` on key `k`.
pub fn decide_pair(
    inv: &Inventory<'_>,
    p: usize,
    k: usize,
    wanted: ActionSet,
    rel: &Relevant<'_, '_>,
    dims: &mut DimsCache,
) -> Result<Outcome, Unknown> {
    let principal = &inv.principals[p];
    let key = &inv.keys[k];
    let caller = &principal.rep.caller;
    let grants: Vec<GrantView<'_>> = rel
        .grants
        .iter()
        .map(|&(g, gc, _, _)| {
            let grant = &inv.grants[g];
            let config = grant.config;
            let grantee = gc & (EXACT | ROLE | ACCOUNT) != 0;
            let child =
                (grantee && config.operations.contains(KmsAction::CreateGrant)).then(|| NewGrant {
                    grantee: caller.principal_arn().to_string(),
                    operations: config.operations,
                    constraints: config.constraints.clone(),
                    retiring_principal: None,
                });
            GrantView {
                ops: if grantee {
                    config.operations
                } else {
                    ActionSet::EMPTY
                },
                constraints: config.constraints.as_ref(),
                id: grant.content,
                child,
                config,
            }
        })
        .collect();
    let subject = Subject {
        stmts: rel.stmts.iter().map(|(s, _)| &s.stmt).collect(),
        ids: rel.stmts.iter().map(|(s, _)| s.on_its_key).collect(),
        key_allow: rel
            .stmts
            .iter()
            .map(|(s, _)| {
                s.layer == Layer::KeyPolicy && s.stmt.effect == keyward_policy::model::Effect::Allow
            })
            .collect(),
        grants,
        principal: &principal.rep,
        key_region: &key.region,
        wanted,
        worlds: vec![String::new()],
        splits: key.splits.clone(),
        fixed: principal
            .fixed
            .iter()
            .chain(&key.fixed)
            .map(|(n, _)| n.clone())
            .collect(),
        complete: true,
    };
    // The bare request is built once; each class's request copies it (its
    // context shared, not copied) for its action.
    let mut base: Option<Request> = None;
    enumerate(&subject, dims, |_, action, facets, new_grant| {
        let bare = match &base {
            Some(b) => b.for_action(action),
            None => {
                let b = base_request(inv, p, k, action)?;
                let bare = b.clone();
                base = Some(b);
                Ok(bare)
            }
        }
        .map_err(|e| Unknown::internal(e.message))?;
        let req = with_facets(bare, facets, new_grant)?;
        let r = inv.auth.decide(&req);
        Ok(Said::of(&r))
    })
}

/// The request of a class for principal `p` on key `k`.
pub fn request(
    inv: &Inventory<'_>,
    p: usize,
    k: usize,
    action: KmsAction,
    facets: &[&Facet],
    new_grant: Option<&NewGrant>,
) -> Result<Request, Unknown> {
    let base = base_request(inv, p, k, action)?;
    with_facets(base, facets, new_grant)
}

/// The bare request of principal `p` on key `k`, with the context every
/// request of theirs carries: what each class's request starts from.
pub fn base_request(
    inv: &Inventory<'_>,
    p: usize,
    k: usize,
    action: KmsAction,
) -> Result<Request, Unknown> {
    let fixed = inv.principals[p].fixed.iter().chain(&inv.keys[k].fixed);
    Ok(with_fixed(inv.principals[p].id, inv.keys[k].id, action, fixed)?.share_context())
}

/// A request from its parts.
pub fn build_request(
    principal: keyward_eval::PrincipalId,
    key: keyward_eval::KeyId,
    action: KmsAction,
    facets: &[&Facet],
    new_grant: Option<&NewGrant>,
    fixed: &[(String, ContextValue)],
) -> Result<Request, Unknown> {
    let base = with_fixed(principal, key, action, fixed)?;
    with_facets(base, facets, new_grant)
}

/// The bare request carrying the `fixed` context.
fn with_fixed<'a>(
    principal: keyward_eval::PrincipalId,
    key: keyward_eval::KeyId,
    action: KmsAction,
    fixed: impl IntoIterator<Item = &'a (String, ContextValue)>,
) -> Result<Request, Unknown> {
    let mut req = Request::new(principal, action, key).map_err(|e| Unknown::internal(e.message))?;
    for (name, value) in fixed {
        req = req
            .with_context(name, value.clone())
            .map_err(|e| Unknown::internal(format!("{name}: {}", e.message)))?;
    }
    Ok(req)
}

/// `req` with a class's settings and, for `CreateGrant`, the grant asked for.
pub fn with_facets(
    req: Request,
    facets: &[&Facet],
    new_grant: Option<&NewGrant>,
) -> Result<Request, Unknown> {
    let req = crate::dims::with_facets(req, facets)?;
    Ok(match new_grant {
        Some(g) => req.creating(g.clone()),
        None => req,
    })
}

/// One signature's answer, decided once by whichever thread asks first.
type Slot = Arc<OnceLock<Result<Arc<Outcome>, Unknown>>>;

/// Answers by signature, for caches on several threads to share: one
/// thread decides a signature, the others wait for it and reuse it.
#[derive(Clone, Debug, Default)]
pub struct SharedAnswers(Arc<Mutex<HashMap<Vec<u64>, Slot>>>);

/// Answers by signature: pairs with the same signature share them.
#[derive(Debug, Default)]
pub struct AnswerCache {
    answers: SharedAnswers,
    /// Request dimensions by what determines them.
    pub dims: DimsCache,
    /// How many pairs this cache decided (misses of every sharing cache).
    pub decided: usize,
}

impl AnswerCache {
    /// A cache over `answers` (shared with other caches), with its own
    /// request dimensions.
    pub fn with_answers(answers: SharedAnswers) -> AnswerCache {
        AnswerCache {
            answers,
            dims: DimsCache::default(),
            decided: 0,
        }
    }

    /// The outcome of principal `p` on key `k`: `None` when nothing can allow.
    pub fn pair(
        &mut self,
        inv: &Inventory<'_>,
        p: usize,
        k: usize,
        wanted: ActionSet,
    ) -> Result<Option<Arc<Outcome>>, Unknown> {
        let why = inv.principals[p]
            .incomplete
            .as_ref()
            .or(inv.keys[k].incomplete.as_ref());
        if let Some(why) = why {
            return Err(Unknown::new(format!("incomplete: {why}")));
        }
        let Some(rel) = relevant(inv, p, k, wanted)? else {
            return Ok(None);
        };
        let slot: Slot = {
            let mut answers = self
                .answers
                .0
                .lock()
                .map_err(|_| Unknown::internal("a thread sharing the answer cache failed"))?;
            match answers.get(&rel.signature) {
                Some(slot) => Arc::clone(slot),
                None => {
                    let slot = Slot::default();
                    answers.insert(rel.signature.clone(), Arc::clone(&slot));
                    slot
                }
            }
        };
        let outcome = slot.get_or_init(|| {
            self.decided += 1;
            decide_pair(inv, p, k, wanted, &rel, &mut self.dims).map(Arc::new)
        });
        outcome.clone().map(Some)
    }
}
