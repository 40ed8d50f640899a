//! Every class of requests one caller (a known principal, or a class of
//! callers in each state of its own IAM policies) can make on one key,
//! decided by the forward evaluator: which are allowed, by which route,
//! with which KMS error, and under which conditions.
//!
//! The classes are the request-space analysis's: action classes that no
//! statement or grant tells apart, and per action class the request
//! dimensions its applicable statements test ([`crate::dims::request_dims_with_grants`],
//! which also cuts the encryption context at the grants' constraints).

use std::ops::ControlFlow;
use std::rc::Rc;

use keyward_eval::{ActionSet, AllowPath, GrantConstraints, KmsAction, KmsErrorKind, NewGrant};

use super::conditions::describe;
use super::dims_cache::dims_of;
pub use super::dims_cache::DimsCache;
use super::home_first::RegionShortcut;
use crate::actions::{action_classes_split, key_actions};
use crate::dims::{Dim, Facet};
use crate::err::Unknown;
use crate::principals::PrincipalRep;
use crate::space::product;
use crate::stmts::Stmt;

/// A grant that can concern the caller.
#[derive(Clone, Debug)]
pub struct GrantView<'a> {
    /// Its operations.
    pub ops: ActionSet,
    /// Its constraints.
    pub constraints: Option<&'a GrantConstraints>,
    /// What it says, as an id (for caching).
    pub id: u32,
    /// When the caller is its grantee and it allows `CreateGrant`: the
    /// grant the caller may ask for through it (the same operations and
    /// constraints; rule 18).
    pub child: Option<NewGrant>,
    /// What the world says of it (how it reads, for conditions).
    pub config: &'a keyward_eval::GrantConfig,
}

/// What to enumerate.
#[derive(Debug)]
pub struct Subject<'a, 's> {
    /// The statements that can concern the caller and the key.
    pub stmts: Vec<&'a Stmt<'s>>,
    /// For each statement, an id of what it says (for caching).
    pub ids: Vec<u32>,
    /// For each statement, whether it is an Allow of the key policy.
    pub key_allow: Vec<bool>,
    /// The grants that can concern the caller.
    pub grants: Vec<GrantView<'a>>,
    /// The caller (for policy variables naming its attributes).
    pub principal: &'a PrincipalRep,
    /// The key's Region (readable witnesses).
    pub key_region: &'a str,
    /// The actions asked about.
    pub wanted: ActionSet,
    /// How each state of the caller's own policies reads (one empty label
    /// for a known principal).
    pub worlds: Vec<String>,
    /// Actions the key treats differently (its state's errors), each set
    /// kept apart from the others.
    pub splits: Vec<ActionSet>,
    /// Context keys every request carries with a known value (the decide
    /// function adds them): not varied.
    pub fixed: Vec<String>,
    /// `stmts` holds every statement that can apply to the caller's
    /// requests (a known principal), not only those of its key policy: what
    /// a request sent to the key's own Region was denied for then tells
    /// about the same request sent elsewhere (the `home_first` module).
    pub complete: bool,
}

/// The request of one class, as a witness.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassWitness {
    /// The state of the caller's own policies (index into the subject's worlds).
    pub world: usize,
    /// The request's settings; empty for the bare request.
    pub facets: Vec<Facet>,
    /// For `CreateGrant`: the grant asked for.
    pub new_grant: Option<NewGrant>,
}

/// What a caller can do for one class of actions.
#[derive(Clone, Debug, PartialEq)]
pub struct Access {
    /// The actions (decided alike).
    pub actions: ActionSet,
    /// When: alternatives of conditions that hold together (empty: always).
    pub conditions: Vec<Vec<String>>,
    /// Not every class of requests is allowed.
    pub conditional: bool,
    /// The routes by which the evaluator allowed the requests.
    pub via: Vec<AllowPath>,
    /// The KMS error every allowed request still ends in, if all do.
    pub error: Option<KmsErrorKind>,
    /// One allowed request (with no optional context when unconditional).
    pub witness: ClassWitness,
}

/// What a caller can do on a key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Per class of actions it can be allowed, how.
    pub accesses: Vec<Access>,
    /// How many classes of requests were decided.
    pub classes: usize,
}

/// What the evaluator said about one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Said {
    /// Allowed, by this route, still ending in this KMS error if any.
    Allowed(AllowPath, Option<KmsErrorKind>),
    /// Denied: `implicit` when nothing allowed and nothing denied.
    Denied {
        /// Nothing allowed (and nothing denied).
        implicit: bool,
    },
}

impl Said {
    /// The evaluator's answer to a request, as enumeration reads it.
    pub fn of(r: &keyward_eval::Response<'_>) -> Said {
        use keyward_eval::Decision;
        match (r.decision(), r.explanation().path()) {
            (Decision::Allow, Some(path)) => Said::Allowed(path, r.error().map(|e| e.kind())),
            (Decision::ImplicitDeny, _) => Said::Denied { implicit: true },
            // An allow without a route is not counted as one; like an
            // explicit deny, it says nothing about the request's siblings.
            _ => Said::Denied { implicit: false },
        }
    }
}

/// The context keys a `CreateGrant` request's new grant fills.
fn grant_key(key: &str) -> bool {
    [
        "kms:grantoperations",
        "kms:granteeprincipal",
        "kms:retiringprincipal",
        "kms:grantconstrainttype",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(key))
}

/// Grant constraints are not checked for these (rule 17).
pub(super) fn ignores_constraints(a: KmsAction) -> bool {
    matches!(
        a,
        KmsAction::DescribeKey | KmsAction::RetireGrant | KmsAction::CreateGrant
    )
}

/// Both sets.
pub fn meet(a: ActionSet, b: ActionSet) -> ActionSet {
    a.intersection(b)
}

/// How much optional context a class's request carries.
fn optional(facets: &[&Facet], key_region: &str) -> usize {
    facets
        .iter()
        .map(|f| match f {
            Facet::Context { value: None, .. } | Facet::Alias(None) => 0,
            Facet::EncryptionContext(p) => p.len(),
            Facet::Region(r) if r == key_region => 0,
            _ => 1,
        })
        .sum()
}

/// Decide every class of `subject`'s requests with `decide(world, action,
/// facets, new grant)`.
pub fn enumerate(
    subject: &Subject<'_, '_>,
    cache: &mut DimsCache,
    mut decide: impl FnMut(usize, KmsAction, &[&Facet], Option<&NewGrant>) -> Result<Said, Unknown>,
) -> Result<Outcome, Unknown> {
    let within = meet(subject.wanted, key_actions());
    let singled = [
        KmsAction::DescribeKey,
        KmsAction::CreateGrant,
        KmsAction::RetireGrant,
    ]
    .map(|a| ActionSet::of(&[a]));
    let sets: Vec<ActionSet> = subject
        .stmts
        .iter()
        .map(|s| s.actions)
        .chain(subject.grants.iter().map(|g| g.ops))
        .chain(singled)
        .chain(subject.splits.iter().copied())
        .collect();
    let mut out = Outcome::default();
    for class in action_classes_split(sets.iter().copied(), within) {
        let rep = class.rep;
        let applying: Vec<usize> = (0..subject.stmts.len())
            .filter(|&i| subject.stmts[i].actions.contains(rep))
            .collect();
        let grants: Vec<&GrantView<'_>> = subject
            .grants
            .iter()
            .filter(|g| g.ops.contains(rep))
            .collect();
        let can_allow = applying.iter().any(|&i| subject.key_allow[i])
            || !grants.is_empty()
            || (rep == KmsAction::RetireGrant && !subject.grants.is_empty());
        if !can_allow {
            continue;
        }
        let stmts: Vec<&Stmt<'_>> = applying.iter().map(|&i| subject.stmts[i]).collect();
        let mut dims = dims_of(subject, cache, &applying, &stmts, &grants, rep)?;
        if !subject.fixed.is_empty()
            && dims.iter().any(|d| {
                subject
                    .fixed
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(&d.name))
            })
        {
            let kept: Vec<Dim> = dims
                .iter()
                .filter(|d| {
                    !subject
                        .fixed
                        .iter()
                        .any(|f| f.eq_ignore_ascii_case(&d.name))
                })
                .cloned()
                .collect();
            dims = Rc::new(kept);
        }
        if !rep.accepts_alias()
            && dims.iter().any(|d| {
                d.choices
                    .iter()
                    .any(|c| matches!(c.facet, Facet::Alias(Some(_))))
            })
        {
            // An operation that takes no alias cannot name the key by one
            // (KMS finds no key): its requests carry none.
            let kept: Vec<Dim> = dims
                .iter()
                .map(|d| {
                    let mut d = d.clone();
                    d.choices
                        .retain(|c| !matches!(c.facet, Facet::Alias(Some(_))));
                    d
                })
                .collect();
            dims = Rc::new(kept);
        }
        let mut children: Vec<Option<&GrantView<'_>>> = vec![None];
        if rep == KmsAction::CreateGrant {
            children.extend(
                grants
                    .iter()
                    .filter(|g| g.child.is_some())
                    .map(|g| Some(*g)),
            );
        }
        let mut ok: Vec<(Vec<usize>, AllowPath, usize)> = Vec::new();
        // Allowed but failing, sent to the key's Region ([0]) or elsewhere ([1]).
        let mut failed: [Failed; 2] = Default::default();
        let mut best: Option<(usize, ClassWitness)> = None;
        let mut home_total = 0usize;
        let mut total = 0usize;
        let mut shortcut = if subject.complete {
            let counts = (subject.worlds.len(), children.len());
            RegionShortcut::new(&dims, subject.key_region, &stmts, counts)
        } else {
            None
        };
        for w in 0..subject.worlds.len() {
            let _: ControlFlow<()> = product(&dims, |choices, indices| {
                let facets: Vec<&Facet> = choices.iter().map(|c| &c.facet).collect();
                for (ci, child) in children.iter().enumerate() {
                    let new_grant = child.and_then(|g| g.child.as_ref());
                    if new_grant.is_some()
                        && facets.iter().any(|f| {
                            matches!(f, Facet::Context { key, value: Some(_) } if grant_key(key))
                        })
                    {
                        // The new grant fills these keys itself.
                        continue;
                    }
                    out.classes += 1;
                    total += 1;
                    // Requests sent to another Region than the key's never
                    // succeed (rule 32): they matter only when nothing at
                    // home is allowed.
                    let home = !facets
                        .iter()
                        .any(|f| matches!(f, Facet::Region(r) if r != subject.key_region));
                    home_total += usize::from(home);
                    let said = match &mut shortcut {
                        Some(sc) => {
                            sc.said(w, indices, ci, &facets, |f| decide(w, rep, f, new_grant))?
                        }
                        None => Some(decide(w, rep, &facets, new_grant)?),
                    };
                    let Some(Said::Allowed(path, error)) = said else {
                        continue;
                    };
                    let mut tuple = Vec::with_capacity(indices.len() + 2);
                    tuple.push(w);
                    tuple.extend_from_slice(indices);
                    tuple.push(ci);
                    let weight = optional(&facets, subject.key_region)
                        + usize::from(new_grant.is_some())
                        + w;
                    let witness = || ClassWitness {
                        world: w,
                        facets: facets.iter().map(|f| (*f).clone()).collect(),
                        new_grant: new_grant.cloned(),
                    };
                    match error {
                        None => {
                            if best.as_ref().is_none_or(|(b, _)| weight < *b) {
                                best = Some((weight, witness()));
                            }
                            ok.push((tuple, path, ci));
                        }
                        Some(e) => {
                            let failed = &mut failed[usize::from(!home)];
                            if failed.best.as_ref().is_none_or(|(b, _)| weight < *b) {
                                failed.best = Some((weight, witness()));
                            }
                            failed.classes.push((tuple, path, e));
                        }
                    }
                }
                Ok(ControlFlow::Continue(()))
            })?;
        }
        // What the key's own Region answers comes first: sent elsewhere, a
        // request ends in NotFoundException (rule 32), which matters only
        // when nothing is allowed at home.
        let [failed_home, failed_away] = failed;
        let (tuples, mut via, error, witness, at_home) = if !ok.is_empty() {
            let via: Vec<AllowPath> = ok.iter().map(|(_, p, _)| *p).collect();
            let tuples: Vec<Vec<usize>> = ok.into_iter().map(|(t, _, _)| t).collect();
            (tuples, via, None, best.map(|(_, w)| w), true)
        } else if !failed_home.classes.is_empty() {
            let (tuples, via, error, witness) = failed_home.into_parts();
            (tuples, via, error, witness, true)
        } else if !failed_away.classes.is_empty() {
            let (tuples, via, error, witness) = failed_away.into_parts();
            (tuples, via, error, witness, false)
        } else {
            continue;
        };
        let Some(mut witness) = witness else {
            return Err(Unknown::internal("an allowed class has no witness"));
        };
        via.sort_by_key(|p| *p as u8);
        via.dedup();
        let conditional = if at_home {
            tuples.len() < home_total
        } else {
            tuples.len() < total
        };
        let conditions = if conditional {
            let mut axes: Vec<Vec<String>> = vec![subject.worlds.clone()];
            axes.extend(dims.iter().map(|d| {
                d.choices
                    .iter()
                    .map(|c| match &c.facet {
                        // Sent to the key's own Region: no condition.
                        Facet::Region(r) if at_home && r == subject.key_region => String::new(),
                        _ => c.label.clone(),
                    })
                    .collect()
            }));
            axes.push(
                children
                    .iter()
                    .map(|c| {
                        c.map(|g| format!("asking for a grant like {}", grant_label(g.config)))
                            .unwrap_or_default()
                    })
                    .collect(),
            );
            let ec_axis = dims
                .iter()
                .position(|d| d.name == "encryption context")
                .map(|i| i + 1);
            let constraints: Vec<&GrantConstraints> = if ignores_constraints(rep) {
                Vec::new()
            } else {
                grants.iter().filter_map(|g| g.constraints).collect()
            };
            describe(&axes, &tuples, |d, set| {
                let ec = ec_axis.filter(|a| *a == d)?;
                let dim = dims.get(ec - 1)?;
                constraints.iter().find_map(|c| {
                    let admitted: Vec<usize> = (0..dim.choices.len())
                        .filter(|&i| match &dim.choices[i].facet {
                            Facet::EncryptionContext(pairs) => admits(c, pairs),
                            _ => false,
                        })
                        .collect();
                    (admitted == set).then(|| constraint_label(c))
                })
            })
        } else {
            witness = ClassWitness {
                world: 0,
                facets: Vec::new(),
                new_grant: None,
            };
            Vec::new()
        };
        out.accesses.push(Access {
            actions: class.actions,
            conditions,
            conditional,
            via,
            error,
            witness,
        });
    }
    Ok(out)
}

/// The classes of one action class that are allowed but still fail, and
/// the best witness among them.
#[derive(Default)]
struct Failed {
    /// (tuple, route, KMS error)
    classes: Vec<(Vec<usize>, AllowPath, KmsErrorKind)>,
    /// (weight, witness) of the one with the least optional context.
    best: Option<(usize, ClassWitness)>,
}

impl Failed {
    /// The tuples, the routes, the error most of them end in, the witness.
    fn into_parts(
        self,
    ) -> (
        Vec<Vec<usize>>,
        Vec<AllowPath>,
        Option<KmsErrorKind>,
        Option<ClassWitness>,
    ) {
        let mut counts: Vec<(KmsErrorKind, usize)> = Vec::new();
        for (_, _, e) in &self.classes {
            match counts.iter_mut().find(|(k, _)| k == e) {
                Some((_, n)) => *n += 1,
                None => counts.push((*e, 1)),
            }
        }
        let error = counts.iter().max_by_key(|(_, n)| *n).map(|(e, _)| *e);
        let via = self.classes.iter().map(|(_, p, _)| *p).collect();
        let tuples = self.classes.into_iter().map(|(t, _, _)| t).collect();
        (tuples, via, error, self.best.map(|(_, w)| w))
    }
}

/// Does a context satisfy a grant's constraint (rule 17: pairs compared
/// exactly)? Used only to name a set of classes the evaluator decided.
fn admits(c: &GrantConstraints, pairs: &[(String, String)]) -> bool {
    let has = |k: &str, v: &str| pairs.iter().any(|(pk, pv)| pk == k && pv == v);
    match c {
        GrantConstraints::EncryptionContextEquals(want) => {
            pairs.len() == want.len() && want.iter().all(|(k, v)| has(k, v))
        }
        GrantConstraints::EncryptionContextSubset(want) => want.iter().all(|(k, v)| has(k, v)),
    }
}

/// A grant, for people: its name or id, grantee and operations.
pub fn grant_label(g: &keyward_eval::GrantConfig) -> String {
    let name =
        g.id.clone()
            .or_else(|| g.name.clone())
            .unwrap_or_else(|| "(unnamed)".into());
    format!("grant {name}")
}

/// A grant's constraint, for people.
pub fn constraint_label(c: &GrantConstraints) -> String {
    let list = |pairs: &[(String, String)]| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k} = \"{v}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match c {
        GrantConstraints::EncryptionContextEquals(p) => {
            format!("encryption context exactly {} (grant constraint)", list(p))
        }
        GrantConstraints::EncryptionContextSubset(p) => {
            format!("encryption context includes {} (grant constraint)", list(p))
        }
    }
}

/// The key's actions grouped by the KMS error its state, origin and type
/// give them (rules 29, 32), and by whether they take an alias: an action
/// class never mixes actions KMS answers differently.
pub fn key_error_splits(key: &keyward_eval::KeyConfig) -> Vec<ActionSet> {
    use keyward_eval::{key_type_error, state_error, KeySpec, KeyUsage};
    let spec = KeySpec::parse(&key.key_spec);
    let usage = match (spec, key.key_usage.as_str()) {
        (Some(s), "") => s.default_usage(),
        (_, u) => KeyUsage::parse(u),
    };
    let mut groups: Vec<(String, ActionSet)> = Vec::new();
    for a in key_actions().iter() {
        // As the evaluator orders them: the key state's error, then the
        // key type's.
        let error = state_error(a, key.state, key.origin).or_else(|| match (spec, usage) {
            (Some(s), Some(u)) => key_type_error(a, s, u, key.origin),
            _ => None,
        });
        // An alias names the key only for operations that take one.
        let what = format!("{error:?} {}", a.accepts_alias());
        match groups.iter_mut().find(|(w, _)| *w == what) {
            Some((_, set)) => set.insert(a),
            None => groups.push((what, ActionSet::of(&[a]))),
        }
    }
    groups.into_iter().map(|(_, s)| s).collect()
}
