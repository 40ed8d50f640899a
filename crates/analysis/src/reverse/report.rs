//! Who can use a key, what can a principal do: the pairs to decide, in
//! compact form (a profile of interchangeable principals is one row), and
//! the entries they expand to.

use std::sync::Arc;

use keyward_eval::answer::Answer;
use keyward_eval::{ActionSet, AllowPath, Authorizer, Decision, KmsAction};
use keyward_policy::Locator;

use super::entry::{Entry, EntryKind, Replay, Report, Undecided};
use super::enumerate::{meet, Access, Outcome};
use super::inventory::Inventory;
use super::known::{base_request, build_request, with_facets, AnswerCache, SharedAnswers};
use super::outsiders::{outsiders, ClassRow, Outsiders};
use crate::actions::key_actions;
use crate::err::Unknown;
use crate::principals::RepKind;

/// Which principals a row stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Members {
    /// One principal.
    One(usize),
    /// Every member of a profile but the ones the key singles out.
    Profile {
        /// The profile.
        profile: usize,
        /// The members left out (sorted).
        except: Arc<[usize]>,
    },
}

impl Members {
    /// The principals, in order.
    pub fn iter<'a>(&'a self, inv: &'a Inventory<'_>) -> Box<dyn Iterator<Item = usize> + 'a> {
        match self {
            Members::One(p) => Box::new(std::iter::once(*p)),
            Members::Profile { profile, except } => Box::new(
                inv.profiles[*profile]
                    .iter()
                    .copied()
                    .filter(move |m| except.binary_search(m).is_err()),
            ),
        }
    }
}

/// Principals of the world and what they can do on one key.
#[derive(Clone, Debug)]
pub struct Row {
    /// The principals.
    pub members: Members,
    /// What each can do (or why that is unknown).
    pub outcome: Result<Arc<Outcome>, Unknown>,
}

/// Everything that can be allowed on one key, in compact form.
#[derive(Debug)]
pub struct KeyRows {
    /// The key.
    pub key: usize,
    /// The actions asked about.
    pub wanted: ActionSet,
    /// The principals of the world.
    pub rows: Vec<Row>,
    /// The classes of principals outside the world.
    pub outsiders: Result<Option<Outsiders>, Unknown>,
}

/// Reverse queries over one inventory, remembering answers by signature
/// (shared between threads with [`Reverse::with_answers`]).
#[derive(Debug)]
pub struct Reverse<'i, 'w> {
    inv: &'i Inventory<'w>,
    cache: AnswerCache,
}

impl<'i, 'w> Reverse<'i, 'w> {
    /// Queries over `inv`.
    pub fn new(inv: &'i Inventory<'w>) -> Reverse<'i, 'w> {
        Reverse {
            inv,
            cache: AnswerCache::default(),
        }
    }

    /// Queries over `inv` remembering answers in `answers`, which other
    /// threads' queries over the same inventory share.
    pub fn with_answers(inv: &'i Inventory<'w>, answers: SharedAnswers) -> Reverse<'i, 'w> {
        Reverse {
            inv,
            cache: AnswerCache::with_answers(answers),
        }
    }

    /// How many (principal, key) pairs were decided rather than looked up.
    pub fn decided(&self) -> usize {
        self.cache.decided
    }

    /// Who can be allowed `wanted` on key `k`: every principal of the
    /// world, then the classes outside it.
    pub fn key_rows(&mut self, k: usize, wanted: ActionSet) -> KeyRows {
        let inv = self.inv;
        let key = &inv.keys[k];
        let except: Arc<[usize]> = key.singles.clone().into();
        let mut rows = Vec::new();
        for (profile, members) in inv.profiles.iter().enumerate() {
            let Some(&rep) = members.iter().find(|m| except.binary_search(m).is_err()) else {
                continue;
            };
            match self.cache.pair(inv, rep, k, wanted) {
                Ok(None) => {}
                Ok(Some(o)) if o.accesses.is_empty() => {}
                outcome => rows.push(Row {
                    members: Members::Profile {
                        profile,
                        except: Arc::clone(&except),
                    },
                    outcome: outcome.map(|o| o.unwrap_or_default()),
                }),
            }
        }
        for &p in key.singles.iter() {
            match self.cache.pair(inv, p, k, wanted) {
                Ok(None) => {}
                Ok(Some(o)) if o.accesses.is_empty() => {}
                outcome => rows.push(Row {
                    members: Members::One(p),
                    outcome: outcome.map(|o| o.unwrap_or_default()),
                }),
            }
        }
        KeyRows {
            key: k,
            wanted,
            rows,
            outsiders: outsiders(inv, k, wanted),
        }
    }

    /// What principal `p` can be allowed on each of `keys`.
    pub fn principal_rows(
        &mut self,
        p: usize,
        keys: &[usize],
        wanted: ActionSet,
    ) -> Vec<(usize, Result<Arc<Outcome>, Unknown>)> {
        let mut out = Vec::new();
        for &k in keys {
            match self.cache.pair(self.inv, p, k, wanted) {
                Ok(None) => {}
                Ok(Some(o)) if o.accesses.is_empty() => {}
                outcome => out.push((k, outcome.map(|o| o.unwrap_or_default()))),
            }
        }
        out
    }
}

/// Builds entries, explaining each witness when asked.
struct Writer<'i, 'w> {
    inv: &'i Inventory<'w>,
    explain: bool,
    locator: Locator,
    report: Report,
}

impl Writer<'_, '_> {
    /// Decide the witness again (with its own principal) and keep the entry
    /// if it is allowed as claimed; otherwise the pair is unknown.
    fn push(
        &mut self,
        mut entry: Entry,
        auth: &Authorizer,
        witness: impl FnOnce(&Entry) -> Result<keyward_eval::Request, Unknown>,
    ) {
        if self.explain {
            let verdict = witness(&entry).map(|req| {
                let r = auth.decide(&req);
                (r.decision(), Answer::new(&r, &mut self.locator))
            });
            match verdict {
                Ok((Decision::Allow, answer)) => entry.answer = Some(answer),
                Ok((d, _)) => {
                    self.report.unknown.push(Undecided {
                        principal: entry.principal,
                        key: entry.key,
                        reason: format!(
                            "internal check failed: the witness for {} is decided {}",
                            entry.action.qualified_name(),
                            d.as_str()
                        ),
                    });
                    return;
                }
                Err(u) => {
                    self.report.unknown.push(Undecided {
                        principal: entry.principal,
                        key: entry.key,
                        reason: u.reason,
                    });
                    return;
                }
            }
        }
        self.report.entries.push(entry);
    }

    /// The entries of a known principal's outcome on a key.
    fn known(&mut self, p: usize, k: usize, outcome: &Outcome, wanted: ActionSet) {
        let inv = self.inv;
        let principal = &inv.principals[p];
        let key = &inv.keys[k];
        self.report.classes += outcome.classes;
        // The witnesses' bare request, built once for the pair.
        let mut base: Option<keyward_eval::Request> = None;
        for access in &outcome.accesses {
            for action in meet(access.actions, wanted).iter() {
                let facets: Vec<&crate::dims::Facet> = access.witness.facets.iter().collect();
                let mut witness = Replay::new(
                    principal.rep.caller.arn(),
                    action,
                    &key.config.arn,
                    Some(&key.region),
                    &access.witness.facets,
                );
                witness.new_grant.clone_from(&access.witness.new_grant);
                let named = principal.name != principal.rep.caller.arn();
                let entry = entry_of(
                    principal.rep.caller.arn().to_string(),
                    named.then(|| principal.name.clone()),
                    EntryKind::Principal,
                    action,
                    &key.config.arn,
                    access,
                    witness,
                );
                let base = &mut base;
                self.push(entry, &inv.auth, |e| {
                    let bare = match base {
                        Some(b) => b,
                        None => base.insert(base_request(inv, p, k, e.action)?),
                    }
                    .for_action(e.action)
                    .map_err(|e| Unknown::internal(e.message))?;
                    with_facets(bare, &facets, e.witness.new_grant.as_ref())
                });
            }
        }
    }

    /// The entries of the classes outside the world.
    fn outsiders(&mut self, k: usize, out: &Outsiders, wanted: ActionSet) {
        let key = &self.inv.keys[k];
        for row in &out.rows {
            self.report.classes += row.outcome.classes;
            for access in &row.outcome.accesses {
                let (kind, principal) = class_kind(row, access);
                for action in meet(access.actions, wanted).iter() {
                    let facets: Vec<&crate::dims::Facet> = access.witness.facets.iter().collect();
                    let mut witness = Replay::new(
                        row.rep.caller.arn(),
                        action,
                        &key.config.arn,
                        Some(&key.region),
                        &access.witness.facets,
                    );
                    witness.new_grant.clone_from(&access.witness.new_grant);
                    if !matches!(row.rep.kind, RepKind::Root | RepKind::Service) {
                        witness.assumes = row.worlds.get(access.witness.world).copied();
                    }
                    let entry = entry_of(
                        principal.clone(),
                        None,
                        kind,
                        action,
                        &key.config.arn,
                        access,
                        witness,
                    );
                    let Some(&id) = row.ids.get(access.witness.world) else {
                        continue;
                    };
                    self.push(entry, &out.auth, |e| {
                        build_request(
                            id,
                            out.key,
                            e.action,
                            &facets,
                            e.witness.new_grant.as_ref(),
                            &key.fixed,
                        )
                    });
                }
            }
        }
    }
}

fn entry_of(
    principal: String,
    name: Option<String>,
    kind: EntryKind,
    action: KmsAction,
    key: &str,
    access: &Access,
    witness: Replay,
) -> Entry {
    Entry {
        principal,
        name,
        kind,
        action,
        key: key.to_string(),
        conditional: access.conditional,
        conditions: access.conditions.clone(),
        via: access.via.clone(),
        error: access.error,
        witness,
        answer: None,
    }
}

/// What a class of callers outside the world is, for one access.
fn class_kind(row: &ClassRow, access: &Access) -> (EntryKind, String) {
    let rep = &row.rep;
    if rep.kind == RepKind::Service {
        return (EntryKind::Service, rep.label.clone());
    }
    if !row.grantee_of.is_empty() && access.via.iter().all(|v| *v == AllowPath::Grant) {
        return (
            EntryKind::Grantee,
            format!(
                "the grantee of {} ({})",
                row.grantee_of.join(", "),
                rep.caller.arn()
            ),
        );
    }
    if row.named {
        if rep.label.starts_with("the ") {
            return (EntryKind::Principal, rep.caller.arn().to_string());
        }
        return (EntryKind::Account, rep.label.clone());
    }
    let org = |alt: &Vec<String>| {
        alt.iter()
            .find_map(|c| c.strip_prefix("aws:PrincipalOrgID = ").map(str::to_string))
    };
    let orgs: Vec<Option<String>> = access.conditions.iter().map(org).collect();
    if !orgs.is_empty() && orgs.iter().all(Option::is_some) {
        let mut names: Vec<String> = orgs.into_iter().flatten().collect();
        names.sort();
        names.dedup();
        return (
            EntryKind::Organization,
            format!("any principal in organization {}", names.join(" or ")),
        );
    }
    (EntryKind::Public, rep.label.clone())
}

/// The entries of one key's rows (who can use it).
pub fn key_report(inv: &Inventory<'_>, rows: &KeyRows, explain: bool) -> Report {
    let mut w = Writer {
        inv,
        explain,
        locator: Locator::new(),
        report: Report::default(),
    };
    let key_arn = inv.keys[rows.key].config.arn.clone();
    for row in &rows.rows {
        match &row.outcome {
            Ok(outcome) => {
                for p in row.members.iter(inv) {
                    w.known(p, rows.key, outcome, rows.wanted);
                }
            }
            Err(u) => {
                for p in row.members.iter(inv) {
                    w.report.unknown.push(Undecided {
                        principal: inv.principals[p].rep.caller.arn().to_string(),
                        key: key_arn.clone(),
                        reason: u.reason.clone(),
                    });
                }
            }
        }
    }
    match &rows.outsiders {
        Ok(Some(out)) => w.outsiders(rows.key, out, rows.wanted),
        Ok(None) => {}
        Err(u) => w.report.unknown.push(Undecided {
            principal: "principals outside the world".into(),
            key: key_arn,
            reason: u.reason.clone(),
        }),
    }
    let mut report = w.report;
    sort(&mut report, inv);
    report
}

/// The entries of one principal's rows (what it can do).
pub fn principal_report(
    inv: &Inventory<'_>,
    p: usize,
    rows: &[(usize, Result<Arc<Outcome>, Unknown>)],
    wanted: ActionSet,
    explain: bool,
) -> Report {
    let mut w = Writer {
        inv,
        explain,
        locator: Locator::new(),
        report: Report::default(),
    };
    for (k, outcome) in rows {
        match outcome {
            Ok(o) => w.known(p, *k, o, wanted),
            Err(u) => w.report.unknown.push(Undecided {
                principal: inv.principals[p].rep.caller.arn().to_string(),
                key: inv.keys[*k].config.arn.clone(),
                reason: u.reason.clone(),
            }),
        }
    }
    let mut report = w.report;
    sort(&mut report, inv);
    report
}

/// Entries by key, action, kind and principal.
fn sort(report: &mut Report, inv: &Inventory<'_>) {
    let order: std::collections::HashMap<&str, usize> = inv
        .keys
        .iter()
        .enumerate()
        .map(|(j, k)| (k.config.arn.as_str(), j))
        .collect();
    // Each entry's key looked up once, not at every comparison.
    report.entries.sort_by_cached_key(|e| {
        let rank = order.get(e.key.as_str()).copied();
        (rank, e.action as u16, e.kind, e.principal.clone())
    });
}

/// Every KMS action on a key.
pub fn all_actions() -> ActionSet {
    key_actions()
}
