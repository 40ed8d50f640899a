//! A known world, read once for reverse queries: every principal with its
//! KMS statements, every key with its key policy and grants, the SCP and
//! RCP chains, and the indexes that find, for one key, the few principals
//! it singles out.
//!
//! Principals are grouped into **profiles**: callers of the same account
//! and kind, with the same tags (those some statement reads) and the same
//! statements whose `Resource` is a pattern. Members of a profile are
//! interchangeable for every key that does not single one of them out (by
//! name in its key policy, RCPs or grants, or by a statement of theirs
//! naming the key's ARN literally), so a reverse query decides a profile
//! once per kind of key.

use std::collections::{BTreeSet, HashMap};

use keyward_eval::{
    Authorizer, AuthorizerBuilder, Caller, CallerKind, ContextValue, GrantConfig, KeyConfig, KeyId,
    PolicyDoc, PrincipalConfig, PrincipalId,
};
use keyward_policy::matching::{Arn, ArnPattern};

use super::canon::{Canon, Reads};
use super::names::{Element, Name, EXACT, ROLE};
use crate::err::Unknown;
use crate::principals::{PrincipalRep, RepKind};
use crate::relevance::may_cover;
use crate::stmts::{statements, Stmt};

/// Where a statement sits in a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// The key policy.
    KeyPolicy,
    /// An identity policy of the caller.
    Identity,
    /// The caller's permissions boundary.
    Boundary,
    /// The caller's session policy.
    Session,
    /// An SCP of the caller's account, at this level of its chain.
    Scp(u16),
    /// An RCP of the key's account, at this level of its chain.
    Rcp(u16),
}

/// A statement of the world, with its content id and, where it has a
/// principal element (key policies, RCPs), that element read.
#[derive(Debug)]
pub struct Placed<'w> {
    /// Where it sits.
    pub layer: Layer,
    /// The statement.
    pub stmt: Stmt<'w>,
    /// Its content id.
    pub content: u32,
    /// Its `Resource`, read once.
    pub cover: Cover,
    /// Its content id on a key its literal `Resource` names (the resource
    /// read as "this key"); `content` for other statements.
    pub on_its_key: u32,
    /// Its principal element (key policies and RCPs).
    pub element: Option<Element>,
    /// Every `Resource` item is a literal ARN: it covers only the keys it names.
    pub literal: bool,
}

/// What a world knows beyond its policies: an account snapshot fills
/// organization facts into every request and knows what it lacks.
pub trait WorldFacts: Sync {
    /// Context every request of this caller carries (e.g. its
    /// `aws:PrincipalOrgID`); these keys are not varied.
    fn principal_context(&self, _caller: &Caller) -> Vec<(String, ContextValue)> {
        Vec::new()
    }
    /// Context every request on this key carries (e.g. `aws:ResourceAccount`).
    fn key_context(&self, _key: &KeyConfig) -> Vec<(String, ContextValue)> {
        Vec::new()
    }
    /// Why answers about this caller depend on data the world lacks.
    fn principal_incomplete(&self, _caller: &Caller) -> Option<String> {
        None
    }
    /// Why answers about this key depend on data the world lacks.
    fn key_incomplete(&self, _key: &KeyConfig) -> Option<String> {
        None
    }
}

/// A statement's `Resource`, read once: which keys it covers.
#[derive(Clone, Debug)]
pub enum Cover {
    /// The same answer for every key: no `Resource` (none), `*`, or an
    /// item that does not parse (taken as covering: fail closed).
    Every(bool),
    /// Any of the patterns matches (none, for `NotResource`).
    Patterns {
        /// `NotResource`.
        negated: bool,
        /// The items.
        patterns: Vec<ArnPattern>,
    },
}

impl Cover {
    fn of(s: &Stmt<'_>) -> Cover {
        let Some(r) = s.resource else {
            return Cover::Every(false);
        };
        let mut patterns = Vec::with_capacity(r.items.len());
        let mut every = false;
        for item in &r.items {
            let raw = item.node.raw();
            every |= raw == "*";
            match ArnPattern::parse(raw) {
                Ok(p) => patterns.push(p),
                Err(_) => return Cover::Every(true),
            }
        }
        if every {
            return Cover::Every(!r.negated);
        }
        Cover::Patterns {
            negated: r.negated,
            patterns,
        }
    }

    /// Does it cover the key `arn` (`parsed` when it parses)?
    pub fn covers(&self, arn: &str, parsed: Option<&Arn<'_>>) -> bool {
        match self {
            Cover::Every(b) => *b,
            Cover::Patterns { negated, patterns } => {
                let hit = patterns.iter().any(|p| match parsed {
                    Some(a) => p.matches_arn(a),
                    None => p.matches(arn),
                });
                hit != *negated
            }
        }
    }
}

/// How to read a world.
#[derive(Clone, Copy, Default)]
pub struct InventoryOptions<'w> {
    /// The accounts the world holds completely (every user and role is
    /// listed). Default: every account a listed principal is in.
    pub held_accounts: Option<&'w [String]>,
    /// What the world knows beyond its policies.
    pub facts: Option<&'w dyn WorldFacts>,
}

impl std::fmt::Debug for InventoryOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InventoryOptions")
            .field("held_accounts", &self.held_accounts)
            .field("facts", &self.facts.is_some())
            .finish()
    }
}

/// A known principal.
#[derive(Debug)]
pub struct Known<'w> {
    /// Its id in the inventory's authorizer.
    pub id: PrincipalId,
    /// Its name in the world (a scenario name, or its ARN).
    pub name: String,
    /// The caller, as the analysis's relevance rules read it.
    pub rep: PrincipalRep,
    /// Its identity, boundary and session statements (with KMS actions).
    pub stmts: Result<Vec<Placed<'w>>, Unknown>,
    /// Its profile.
    pub profile: usize,
    /// What about the caller itself can change a decision (its profile
    /// without its statements), as a content id: with the statements that
    /// concern one key, it decides the principal's answers on that key.
    pub caller_class: u32,
    /// True for a root user the world did not list (every account has one).
    pub added: bool,
    /// Context every request of it carries.
    pub fixed: Vec<(String, ContextValue)>,
    /// Why answers about it are incomplete.
    pub incomplete: Option<String>,
}

/// A known key.
#[derive(Debug)]
pub struct KnownKey<'w> {
    /// Its id in the inventory's authorizer.
    pub id: KeyId,
    /// What the world says about it.
    pub config: &'w KeyConfig,
    /// Its account.
    pub account: String,
    /// Its Region.
    pub region: String,
    /// Its key-policy statements.
    pub stmts: Result<Vec<Placed<'w>>, Unknown>,
    /// Its grants (indices into [`Inventory::grants`]).
    pub grants: Vec<usize>,
    /// The principals it singles out: named in its key policy, its RCPs or
    /// its grants, or whose statements name it literally.
    pub singles: Vec<usize>,
    /// What about the key can change a decision, as a content id.
    pub attrs: u32,
    /// Its actions grouped by the KMS error KMS answers them with
    /// ([`super::enumerate::key_error_splits`]).
    pub splits: Vec<keyward_eval::ActionSet>,
    /// Context every request on it carries.
    pub fixed: Vec<(String, ContextValue)>,
    /// Why answers about it are incomplete.
    pub incomplete: Option<String>,
}

/// A grant of the world.
#[derive(Debug)]
pub struct GrantInfo<'w> {
    /// What the world says.
    pub config: &'w GrantConfig,
    /// Its key (index into [`Inventory::keys`]).
    pub key: usize,
    /// The grantee.
    pub grantee: Name,
    /// The retiring principal.
    pub retiring: Option<Name>,
    /// The account that issued it.
    pub issuing: String,
    /// What the grant says, as a content id.
    pub content: u32,
    /// What it says to its grantee, as a content id: not who the grantee
    /// or retiring principal is (the caller's relations to them say that),
    /// nor its name unless it lets the grantee create grants (a condition
    /// then names it).
    pub to_grantee: u32,
}

/// An SCP or RCP chain of one account.
#[derive(Debug)]
pub struct Chain<'w> {
    /// How many levels it has (every one must allow).
    pub levels: u16,
    /// Its statements, with their level.
    pub stmts: Result<Vec<Placed<'w>>, Unknown>,
    /// The policies, level by level (for classes of unlisted principals).
    pub docs: &'w [Vec<PolicyDoc>],
}

/// A world, read for reverse queries.
pub struct Inventory<'w> {
    /// What the world was built from.
    pub world: &'w AuthorizerBuilder,
    /// The world, compiled (with the root users it did not list).
    pub auth: Authorizer,
    /// Every principal, listed ones first, then added root users.
    pub principals: Vec<Known<'w>>,
    /// Every key.
    pub keys: Vec<KnownKey<'w>>,
    /// Every grant.
    pub grants: Vec<GrantInfo<'w>>,
    /// SCP chains by account.
    pub scps: HashMap<String, Chain<'w>>,
    /// RCP chains by account.
    pub rcps: HashMap<String, Chain<'w>>,
    /// The accounts the world holds completely.
    pub held: BTreeSet<String>,
    /// What the statements read about callers and keys.
    pub reads: Reads,
    /// The members of each profile.
    pub profiles: Vec<Vec<usize>>,
    /// The statements whose `Resource` names keys literally, by key: (principal, statement).
    pub literal_hits: Vec<Vec<(usize, usize)>>,
}

impl std::fmt::Debug for Inventory<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inventory")
            .field("principals", &self.principals.len())
            .field("keys", &self.keys.len())
            .field("grants", &self.grants.len())
            .field("profiles", &self.profiles.len())
            .finish_non_exhaustive()
    }
}

/// How the evaluator sees a caller's kind.
pub fn kind_code(c: &Caller) -> u8 {
    match c.kind() {
        CallerKind::Root => 0,
        CallerKind::User { .. } => 1,
        CallerKind::AssumedRole { session: None, .. } => 2,
        CallerKind::AssumedRole { .. } => 3,
        CallerKind::FederatedUser { .. } => 4,
        _ => 5,
    }
}

fn rep_of(name: &str, config: &PrincipalConfig) -> PrincipalRep {
    let c = &config.caller;
    let kind = match c.kind() {
        CallerKind::Root => RepKind::Root,
        CallerKind::User { .. } => RepKind::User,
        CallerKind::AssumedRole { session: None, .. } => RepKind::Role,
        CallerKind::AssumedRole { .. } => RepKind::Session,
        CallerKind::FederatedUser { .. } => RepKind::Federated,
        _ => RepKind::Service,
    };
    PrincipalRep {
        caller: c.clone(),
        kind,
        tags: config
            .tags
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
        user_id: c.user_id().map(str::to_string),
        account: None,
        label: name.to_string(),
    }
}

/// The statements of `docs`, each placed in `layer(doc index)`.
fn placed<'w>(
    docs: &[&'w PolicyDoc],
    layer: impl Fn(usize) -> Layer,
    canon: &mut Canon,
    reads: &mut Reads,
    with_element: bool,
) -> Result<Vec<Placed<'w>>, Unknown> {
    let stmts = statements(docs)?;
    Ok(stmts
        .into_iter()
        .map(|stmt| {
            reads.note(&stmt);
            let content = canon.statement(&stmt);
            let literal = is_literal(&stmt);
            let cover = Cover::of(&stmt);
            let on_its_key = if literal {
                canon.statement_on_its_key(&stmt)
            } else {
                content
            };
            Placed {
                layer: layer(stmt.policy),
                element: with_element.then(|| Element::of(stmt.principal)),
                stmt,
                content,
                cover,
                on_its_key,
                literal,
            }
        })
        .collect())
}

/// Every `Resource` item is an ARN without wildcards or variables.
fn is_literal(s: &Stmt<'_>) -> bool {
    let Some(r) = s.resource else { return false };
    !r.negated
        && !r.items.is_empty()
        && r.items.iter().all(|i| {
            let raw = i.node.raw();
            !raw.contains(['*', '?', '$']) && ArnPattern::parse(raw).is_ok()
        })
}

impl<'w> Inventory<'w> {
    /// Read `world`.
    pub fn new(world: &'w AuthorizerBuilder, options: &InventoryOptions<'w>) -> Inventory<'w> {
        let mut canon = Canon::default();
        let mut reads = Reads::default();
        let configs = world.principal_configs();
        let held: BTreeSet<String> = match options.held_accounts {
            Some(list) => list.iter().cloned().collect(),
            None => configs
                .iter()
                .filter(|p| !p.caller.is_service())
                .map(|p| p.caller.account().to_string())
                .collect(),
        };
        // Every held account has a root user, listed or not.
        let mut roots = Vec::new();
        for account in &held {
            let listed = configs
                .iter()
                .any(|p| p.caller.is_root() && p.caller.account() == account);
            if !listed {
                let partition = configs
                    .iter()
                    .find(|p| p.caller.account() == account)
                    .map_or("aws", |p| p.caller.partition());
                let caller = Caller::root(partition, account);
                roots.push(PrincipalConfig::new(caller.arn().to_string(), caller));
            }
        }
        let mut builder = world.clone();
        for r in &roots {
            builder.add_principal(r.clone());
        }
        let auth = builder.build();
        // The builder's principals and keys get ids in the order added.
        let ids: Vec<PrincipalId> = auth.principals().collect();
        let key_ids: Vec<KeyId> = auth.keys().collect();

        let mut principals = Vec::with_capacity(ids.len());
        for (i, (config, &id)) in configs.iter().chain(roots.iter()).zip(&ids).enumerate() {
            let added = i >= configs.len();
            let mut docs: Vec<&PolicyDoc> = Vec::new();
            let mut layers = Vec::new();
            if !added {
                let own = &configs[i];
                for d in &own.policies {
                    docs.push(d);
                    layers.push(Layer::Identity);
                }
                if let Some(d) = &own.permissions_boundary {
                    docs.push(d);
                    layers.push(Layer::Boundary);
                }
                if let Some(d) = &own.session_policy {
                    docs.push(d);
                    layers.push(Layer::Session);
                }
            }
            let stmts = placed(
                &docs,
                |n| layers.get(n).copied().unwrap_or(Layer::Identity),
                &mut canon,
                &mut reads,
                false,
            );
            let facts = options.facts;
            principals.push(Known {
                id,
                name: config.name.clone(),
                rep: rep_of(&config.name, config),
                stmts,
                profile: 0,
                caller_class: 0,
                added,
                fixed: facts.map_or_else(Vec::new, |f| f.principal_context(&config.caller)),
                incomplete: facts.and_then(|f| f.principal_incomplete(&config.caller)),
            });
        }

        let mut keys = Vec::new();
        for (config, id) in world.key_configs().zip(key_ids) {
            let mut parts = config.arn.split(':');
            let region = parts.nth(3).unwrap_or("").to_string();
            let account = parts.next().unwrap_or("").to_string();
            let stmts = placed(
                &[&config.policy],
                |_| Layer::KeyPolicy,
                &mut canon,
                &mut reads,
                true,
            );
            keys.push(KnownKey {
                id,
                config,
                account,
                region,
                stmts,
                grants: Vec::new(),
                singles: Vec::new(),
                attrs: 0,
                splits: super::enumerate::key_error_splits(config),
                fixed: options
                    .facts
                    .map_or_else(Vec::new, |f| f.key_context(config)),
                incomplete: options.facts.and_then(|f| f.key_incomplete(config)),
            });
        }

        let key_index: HashMap<KeyId, usize> =
            keys.iter().enumerate().map(|(j, k)| (k.id, j)).collect();
        let mut grants = Vec::new();
        for g in world.grant_configs() {
            let Some(&key) = key_index.get(&g.key) else {
                continue;
            };
            let issuing = g
                .issuing_account
                .clone()
                .unwrap_or_else(|| keys[key].account.clone());
            let content = canon.intern(format!(
                "grant\u{1}{:?}\u{1}{:?}\u{1}{}\u{1}{:?}\u{1}{}",
                g.operations.iter().map(|a| a.name()).collect::<Vec<_>>(),
                g.constraints,
                g.grantee,
                g.retiring_principal,
                issuing
            ));
            let creates = g.operations.contains(keyward_eval::KmsAction::CreateGrant);
            let to_grantee = canon.intern(format!(
                "grantee\u{1}{:?}\u{1}{:?}\u{1}{}\u{1}{}",
                g.operations.iter().map(|a| a.name()).collect::<Vec<_>>(),
                g.constraints,
                issuing,
                if creates {
                    super::known::grant_label(g)
                } else {
                    String::new()
                }
            ));
            keys[key].grants.push(grants.len());
            grants.push(GrantInfo {
                config: g,
                key,
                grantee: Name::grantee(&g.grantee),
                retiring: g.retiring_principal.as_deref().map(Name::grantee),
                issuing,
                content,
                to_grantee,
            });
        }

        let mut chains = |list: Vec<(&'w str, &'w [Vec<PolicyDoc>])>, scp: bool| {
            let mut out = HashMap::new();
            for (account, levels) in list {
                let mut docs = Vec::new();
                let mut level_of = Vec::new();
                for (n, level) in levels.iter().enumerate() {
                    for d in level {
                        docs.push(d);
                        level_of.push(u16::try_from(n).unwrap_or(u16::MAX));
                    }
                }
                let stmts = placed(
                    &docs,
                    |i| {
                        let n = level_of.get(i).copied().unwrap_or(0);
                        if scp {
                            Layer::Scp(n)
                        } else {
                            Layer::Rcp(n)
                        }
                    },
                    &mut canon,
                    &mut reads,
                    !scp,
                );
                out.insert(
                    account.to_string(),
                    Chain {
                        levels: u16::try_from(levels.len()).unwrap_or(u16::MAX),
                        stmts,
                        docs: levels,
                    },
                );
            }
            out
        };
        let scps = chains(world.scp_levels().collect(), true);
        let rcps = chains(world.rcp_levels().collect(), false);

        let mut inv = Inventory {
            world,
            auth,
            principals,
            keys,
            grants,
            scps,
            rcps,
            held,
            reads,
            profiles: Vec::new(),
            literal_hits: Vec::new(),
        };
        inv.index(&mut canon);
        inv
    }

    /// Profiles, key attributes, literal hits and the principals each key singles out.
    fn index(&mut self, canon: &mut Canon) {
        let reads = self.reads.clone();
        let mut profile_ids: HashMap<u32, usize> = HashMap::new();
        for (i, p) in self.principals.iter_mut().enumerate() {
            let c = &p.rep.caller;
            let mut text = format!("{}\u{1}{}\u{1}{}", c.partition(), c.account(), kind_code(c));
            let own_name = reads.caller_arn || !matches!(kind_code(c), 1 | 2);
            if own_name {
                text.push_str(&format!("\u{1}{}\u{1}{:?}", c.arn(), c.user_id()));
            }
            for t in &reads.principal_tags {
                let v = p.rep.tags.iter().find(|(k, _)| k == t).map(|(_, v)| v);
                text.push_str(&format!("\u{1}{t}={v:?}"));
            }
            text.push_str(&format!("\u{1}{:?}\u{1}{:?}", p.fixed, p.incomplete));
            p.caller_class = canon.intern(text.clone());
            match &p.stmts {
                Ok(stmts) => {
                    let mut wide: Vec<(Layer, u32)> = stmts
                        .iter()
                        .filter(|s| !s.literal)
                        .map(|s| (s.layer, s.content))
                        .collect();
                    wide.sort_unstable();
                    wide.dedup();
                    text.push_str(&format!("\u{1}{wide:?}"));
                }
                Err(_) => text.push_str(&format!("\u{1}unknown {i}")),
            }
            let id = canon.intern(text);
            let next = profile_ids.len();
            let profile = *profile_ids.entry(id).or_insert(next);
            if profile == self.profiles.len() {
                self.profiles.push(Vec::new());
            }
            self.profiles[profile].push(i);
            p.profile = profile;
        }

        // Key attributes that can change a decision.
        for k in &mut self.keys {
            let c = k.config;
            let mut text = format!(
                "key\u{1}{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{:?}",
                k.account,
                k.region,
                c.state,
                c.origin,
                c.key_spec,
                c.key_usage,
                c.multi_region,
                c.multi_region_key_type,
                c.arn.split(':').nth(1),
            );
            text.push_str(&format!(
                "\u{1}{}",
                c.arn
                    .rsplit('/')
                    .next()
                    .is_some_and(|id| id.starts_with("mrk-"))
            ));
            for t in &reads.resource_tags {
                let v = c
                    .tags
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(t))
                    .map(|(_, v)| v);
                text.push_str(&format!("\u{1}{t}={v:?}"));
            }
            if reads.aliases {
                text.push_str(&format!("\u{1}{:?}", c.aliases));
            }
            text.push_str(&format!("\u{1}{:?}\u{1}{:?}", k.fixed, k.incomplete));
            k.attrs = canon.intern(text);
        }

        // Literal resources: which keys each such statement names.
        let mut by_arn: HashMap<String, Vec<usize>> = HashMap::new();
        for (j, k) in self.keys.iter().enumerate() {
            by_arn
                .entry(k.config.arn.to_ascii_lowercase())
                .or_default()
                .push(j);
        }
        let mut hits: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.keys.len()];
        for (i, p) in self.principals.iter().enumerate() {
            let Ok(stmts) = &p.stmts else { continue };
            for (n, s) in stmts.iter().enumerate().filter(|(_, s)| s.literal) {
                let Some(r) = s.stmt.resource else { continue };
                let mut found: Vec<usize> = r
                    .items
                    .iter()
                    .flat_map(|item| {
                        by_arn
                            .get(&item.node.raw().to_ascii_lowercase())
                            .into_iter()
                            .flatten()
                    })
                    .copied()
                    .filter(|&j| may_cover(r, &self.keys[j].config.arn))
                    .collect();
                found.sort_unstable();
                found.dedup();
                for j in found {
                    hits[j].push((i, n));
                }
            }
        }

        // The principals each key singles out.
        let mut by_exact: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_role: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_service: HashMap<String, Vec<usize>> = HashMap::new();
        let mut roots: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut services = Vec::new();
        for (i, p) in self.principals.iter().enumerate() {
            let c = &p.rep.caller;
            match c.kind() {
                CallerKind::Root => roots.entry(c.account()).or_default().push(i),
                CallerKind::AssumedRole { role, session } => {
                    by_role
                        .entry((c.partition(), c.account(), role))
                        .or_default()
                        .push(i);
                    if session.is_some() {
                        by_exact.entry(c.arn()).or_default().push(i);
                    }
                }
                CallerKind::User { .. } | CallerKind::FederatedUser { .. } => {
                    by_exact.entry(c.arn()).or_default().push(i);
                }
                _ => {
                    by_service
                        .entry(c.arn().to_ascii_lowercase())
                        .or_default()
                        .push(i);
                    services.push(i);
                }
            }
            if let Some(id) = c.user_id() {
                by_id.entry(id).or_default().push(i);
                if let Some((head, _)) = id.split_once(':') {
                    by_id.entry(head).or_default().push(i);
                }
            }
        }
        let named = |n: &Name, out: &mut Vec<usize>| match n {
            Name::Account { account, .. } => {
                out.extend(roots.get(account.as_str()).into_iter().flatten());
            }
            Name::Exact(arn) | Name::Session(arn) => {
                out.extend(by_exact.get(arn.as_str()).into_iter().flatten());
            }
            Name::Role {
                partition,
                account,
                name,
            } => out.extend(
                by_role
                    .get(&(partition.as_str(), account.as_str(), name.as_str()))
                    .into_iter()
                    .flatten(),
            ),
            Name::UniqueId(id) => out.extend(by_id.get(id.as_str()).into_iter().flatten()),
            Name::Service(s) => out.extend(by_service.get(s).into_iter().flatten()),
            Name::AnyService => out.extend(services.iter()),
            Name::Everyone | Name::Never | Name::Invalid => {}
        };
        let mut singles: Vec<Vec<usize>> = Vec::with_capacity(self.keys.len());
        for (j, k) in self.keys.iter().enumerate() {
            let mut out: Vec<usize> = hits[j].iter().map(|(i, _)| *i).collect();
            let rcp = self
                .rcps
                .get(&k.account)
                .and_then(|c| c.stmts.as_ref().ok());
            let elements = k
                .stmts
                .as_ref()
                .ok()
                .into_iter()
                .flatten()
                .chain(rcp.into_iter().flatten())
                .filter_map(|s| s.element.as_ref());
            for e in elements {
                for n in &e.names {
                    named(n, &mut out);
                }
            }
            for &g in &k.grants {
                let grant = &self.grants[g];
                named(&grant.grantee, &mut out);
                if let Some(r) = &grant.retiring {
                    named(r, &mut out);
                }
            }
            out.sort_unstable();
            out.dedup();
            singles.push(out);
        }
        for (k, s) in self.keys.iter_mut().zip(singles) {
            k.singles = s;
        }
        self.literal_hits = hits;
        // Sanity: the relation bits that single a caller out are exactly
        // the ones the indexes above look up.
        const { assert!(EXACT | ROLE == 3) };
    }

    /// How many principals (listed and added root users).
    pub fn principal_count(&self) -> usize {
        self.principals.len()
    }

    /// The principal named `name` (its world name or ARN).
    pub fn principal(&self, name: &str) -> Option<usize> {
        self.principals
            .iter()
            .position(|p| p.name == name || p.rep.caller.arn() == name)
    }

    /// The principal `text` names: its world name or ARN, `user/NAME`,
    /// `role/NAME`, an account id (its root user), or a name only one user
    /// or role has. `Err` says why none or several.
    pub fn principal_named(&self, text: &str) -> Result<usize, String> {
        if let Some(p) = self.principal(text) {
            return Ok(p);
        }
        let found: Vec<usize> = (0..self.principals.len())
            .filter(|&i| {
                let c = &self.principals[i].rep.caller;
                let last = c.arn().rsplit('/').next().unwrap_or("");
                match (text.split_once('/'), c.kind()) {
                    (Some(("user", n)), CallerKind::User { .. }) => last == n,
                    (Some(("role", n)), CallerKind::AssumedRole { session: None, .. }) => last == n,
                    (None, CallerKind::Root) => c.account() == text,
                    (
                        None,
                        CallerKind::User { .. } | CallerKind::AssumedRole { session: None, .. },
                    ) => last == text,
                    _ => false,
                }
            })
            .collect();
        match found.as_slice() {
            [p] => Ok(*p),
            [] => Err(format!("no principal of the world is named `{text}`")),
            many => Err(format!(
                "`{text}` could name several principals: {}",
                many.iter()
                    .map(|&p| self.principals[p].rep.caller.arn())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The key named `name`: its world name, ARN, key id, or an alias
    /// (`alias/NAME` or the alias ARN). `Err` says why none or several.
    pub fn key(&self, name: &str) -> Result<usize, String> {
        let exact: Vec<usize> = (0..self.keys.len())
            .filter(|&j| {
                let c = self.keys[j].config;
                c.name == name
                    || c.arn == name
                    || c.arn.rsplit_once(":key/").is_some_and(|(_, id)| id == name)
            })
            .collect();
        let found = if exact.is_empty() {
            let (place, alias) = match name.split_once(":alias/") {
                Some((head, alias)) => (Some(head), format!("alias/{alias}")),
                None => (None, name.to_string()),
            };
            (0..self.keys.len())
                .filter(|&j| {
                    let c = self.keys[j].config;
                    c.aliases.contains(&alias)
                        && place.is_none_or(|h| c.arn.split(":key/").next() == Some(h))
                })
                .collect()
        } else {
            exact
        };
        match found.as_slice() {
            [j] => Ok(*j),
            [] => Err(format!("no key of the world is named `{name}`")),
            _ => Err(format!(
                "`{name}` names {} keys of the world; give the key ARN",
                found.len()
            )),
        }
    }
}
