//! The request space of a set of policies, split into classes: every
//! request falls in exactly one class, and every request of a class gets
//! the same decision from every analyzed policy.
//!
//! A class is a principal class (in one world of its own IAM policies), a
//! key class, an action class, and one class of each request dimension the
//! statements that can apply to that principal, key and action test. The
//! dimensions a statement cannot reach are left at one value: they cannot
//! change the decision. `docs/checks.md` says how the number of classes grows.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::rc::Rc;

use keyward_eval::{ActionSet, PolicyDoc};
use keyward_policy::matching::Arn;
use keyward_policy::model::Effect;

use crate::actions::{action_classes, key_actions, ActionClass};
use crate::ckey::CKey;
use crate::dims::{request_dims, Choice, Dim, Facet};
use crate::err::Unknown;
use crate::keys::{key_reps, KeyRep};
use crate::principals::accounts::account_reps;
use crate::principals::facts::Raw;
use crate::principals::{principal_reps, AccountRep, Facts, PrincipalRep, Which};
use crate::relevance::can_apply;
use crate::stmts::{statements, Stmt};
use crate::world::{worlds, Kind, World};

/// How to build a space.
#[derive(Clone, Debug)]
pub struct SpaceOptions {
    /// The key the policies are for (key policies), when known; otherwise
    /// every key class is tried.
    pub key_arn: Option<String>,
    /// Accounts to treat as named even if no statement names them (the
    /// key's account, trusted accounts).
    pub accounts: Vec<String>,
    /// Which callers to consider (default: by kind).
    pub which: Option<Which>,
    /// The most classes to decide before giving up.
    pub budget: usize,
    /// Values to split request-context keys at even if no statement does
    /// (key name, value), e.g. a trusted organization id.
    pub split: Vec<(String, String)>,
    /// Principal patterns to split principal classes at even if no
    /// statement does (tests on the caller's ARN or service name).
    pub principal_patterns: Vec<Raw>,
    /// Principals to split principal classes at as if a `Principal`
    /// element named them (ARNs, account ids, service names), e.g. the
    /// grantees of a key's grants.
    pub principal_names: Vec<String>,
}

impl Default for SpaceOptions {
    fn default() -> Self {
        SpaceOptions {
            key_arn: None,
            accounts: Vec::new(),
            which: None,
            budget: 2_000_000,
            split: Vec::new(),
            principal_patterns: Vec::new(),
            principal_names: Vec::new(),
        }
    }
}

/// The split request space of some policies.
#[derive(Debug)]
pub struct Space<'p> {
    /// What the policies are.
    pub kind: Kind,
    /// Their statements.
    pub stmts: Vec<Stmt<'p>>,
    /// The account classes.
    pub accounts: Vec<AccountRep>,
    /// The principal classes.
    pub principals: Vec<PrincipalRep>,
    /// The key classes.
    pub keys: Vec<KeyRep>,
    /// The action classes (actions that name a key).
    pub actions: Vec<ActionClass>,
    budget: usize,
    split: Vec<(CKey, String)>,
}

/// What the request dimensions of a (principal, key, action) class depend
/// on: the statements that can apply, and the values policy variables take.
type DimsKey = (Vec<usize>, Vec<(CKey, String)>);

/// One class of requests.
#[derive(Clone, Debug)]
pub struct Class<'s> {
    /// The principal class (index into [`Space::principals`]).
    pub principal: usize,
    /// The world of the caller's own policies (index into [`worlds`]).
    pub world_index: usize,
    /// That world.
    pub world: World,
    /// The key class (index into [`Space::keys`]).
    pub key: usize,
    /// The action class.
    pub action: &'s ActionClass,
    /// One class of each request dimension.
    pub choices: Vec<&'s Choice>,
    /// The request dimensions these classes are of.
    pub dims: &'s [Dim],
    /// For each dimension, the index of its class.
    pub indices: Vec<usize>,
}

impl Class<'_> {
    /// The settings of the request dimensions.
    pub fn facets(&self) -> Vec<&Facet> {
        self.choices.iter().map(|c| &c.facet).collect()
    }
}

impl<'p> Space<'p> {
    /// Split the request space of `policies`.
    pub fn new(
        policies: &[&'p PolicyDoc],
        kind: Kind,
        options: &SpaceOptions,
    ) -> Result<Space<'p>, Unknown> {
        let stmts = statements(policies)?;
        let mut facts = Facts::gather(&stmts)?;
        for raw in &options.principal_patterns {
            facts.arn.push(raw.clone());
            facts.service_name.push(raw.clone());
        }
        for name in &options.principal_names {
            let service = !name.starts_with("arn:")
                && !crate::principals::facts::is_account(name)
                && name.ends_with(".amazonaws.com");
            let list = if service {
                &mut facts.services
            } else {
                &mut facts.aws
            };
            if !list.contains(name) {
                list.push(name.clone());
            }
        }
        let partition = options
            .key_arn
            .as_deref()
            .and_then(|a| Arn::parse(a).ok().map(|p| p.partition().to_string()))
            .unwrap_or_else(|| "aws".to_string());
        let mut named = Vec::new();
        let key_account = options
            .key_arn
            .as_deref()
            .and_then(|a| Arn::parse(a).ok().map(|p| p.account().to_string()));
        for a in key_account
            .into_iter()
            .chain(options.accounts.iter().cloned())
            .chain(facts.literal_accounts())
            .chain(resource_accounts(&stmts))
        {
            if !named.contains(&a) {
                named.push(a);
            }
        }
        crate::links::prepare(&stmts, &mut facts, &mut named)?;
        let accounts = account_reps(&facts, &named)?;
        let which = options.which.unwrap_or(match kind {
            Kind::KeyPolicy => Which::ALL,
            Kind::Identity => Which::IDENTITY,
        });
        let principals = principal_reps(&facts, &accounts, &partition, which)?;
        let keys = key_reps(&stmts, &accounts, &partition, options.key_arn.as_deref())?;
        let actions = action_classes(&stmts, key_actions());
        Ok(Space {
            kind,
            stmts,
            accounts,
            principals,
            keys,
            actions,
            budget: options.budget,
            split: options
                .split
                .iter()
                .map(|(k, v)| (CKey::parse(k), v.clone()))
                .collect(),
        })
    }

    /// Visit every class of requests some Allow statement can apply to
    /// (the others are denied by every analyzed policy) for which `wanted` holds (it sees
    /// the principal, world, key and action; the request dimensions are
    /// filtered with `wanted_choice`), until `visit` breaks.
    ///
    /// `Err` when the number of classes exceeds the budget.
    pub fn for_each(
        &self,
        wanted: impl Fn(&PrincipalRep, World, &KeyRep, &ActionClass) -> bool,
        wanted_choice: impl Fn(&Choice) -> bool,
        mut visit: impl for<'c> FnMut(&Class<'c>) -> ControlFlow<()>,
    ) -> Result<(), Unknown> {
        let mut cache: HashMap<DimsKey, Rc<Vec<Dim>>> = HashMap::new();
        let mut visited = 0usize;
        for (ki, key) in self.keys.iter().enumerate() {
            let region = Arn::parse(&key.arn)
                .map(|a| a.region().to_string())
                .unwrap_or_default();
            for (pi, principal) in self.principals.iter().enumerate() {
                for action in &self.actions {
                    let relevant: Vec<usize> = (0..self.stmts.len())
                        .filter(|&i| can_apply(&self.stmts[i], principal, &key.arn, action.actions))
                        .collect();
                    // Without an Allow that can apply, every request of these
                    // classes is denied by every policy: nothing to look at.
                    if !relevant
                        .iter()
                        .any(|&i| self.stmts[i].effect == Effect::Allow)
                    {
                        continue;
                    }
                    let stmts: Vec<&Stmt<'_>> = relevant.iter().map(|&i| &self.stmts[i]).collect();
                    // Policy variables naming the caller take its values here.
                    let mut split = self.split.clone();
                    split.extend(crate::links::resolved(&stmts, principal));
                    let cache_key = (relevant, split);
                    let dims = match cache.get(&cache_key) {
                        Some(d) => Rc::clone(d),
                        None => {
                            let mut dims = request_dims(&stmts, &region, &cache_key.1)?;
                            for d in &mut dims {
                                d.choices.retain(|c| wanted_choice(c));
                            }
                            let d = Rc::new(dims);
                            cache.insert(cache_key, Rc::clone(&d));
                            d
                        }
                    };
                    for (wi, world) in worlds(principal.kind, self.kind).into_iter().enumerate() {
                        if !wanted(principal, world, key, action) {
                            continue;
                        }
                        let flow = product(&dims, |choices, indices| {
                            visited += 1;
                            if visited > self.budget {
                                return Err(Unknown::new(format!(
                                    "more than {} classes of requests",
                                    self.budget
                                )));
                            }
                            let class = Class {
                                principal: pi,
                                world_index: wi,
                                world,
                                key: ki,
                                action,
                                choices,
                                dims: &dims,
                                indices: indices.to_vec(),
                            };
                            Ok(visit(&class))
                        })?;
                        if flow.is_break() {
                            return Ok(());
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// How many classes there are (for reports and benchmarks).
    pub fn count(&self) -> Result<usize, Unknown> {
        let mut n = 0usize;
        self.for_each(
            |_, _, _, _| true,
            |_| true,
            |_| {
                n += 1;
                ControlFlow::Continue(())
            },
        )?;
        Ok(n)
    }

    /// Every action (naming a key) of any class: the key actions.
    pub fn all_actions(&self) -> ActionSet {
        key_actions()
    }
}

/// Call `f` on every combination of one choice per dimension.
pub(crate) fn product<'d>(
    dims: &'d [Dim],
    mut f: impl FnMut(Vec<&'d Choice>, &[usize]) -> Result<ControlFlow<()>, Unknown>,
) -> Result<ControlFlow<()>, Unknown> {
    if dims.iter().any(|d| d.choices.is_empty()) {
        return Ok(ControlFlow::Continue(()));
    }
    let mut counter = vec![0usize; dims.len()];
    loop {
        let choices: Vec<&Choice> = dims
            .iter()
            .zip(&counter)
            .map(|(d, &i)| &d.choices[i])
            .collect();
        if f(choices, &counter)?.is_break() {
            return Ok(ControlFlow::Break(()));
        }
        let mut i = 0;
        loop {
            if i == dims.len() {
                return Ok(ControlFlow::Continue(()));
            }
            counter[i] += 1;
            if counter[i] < dims[i].choices.len() {
                break;
            }
            counter[i] = 0;
            i += 1;
        }
    }
}

/// Accounts named literally in `Resource` ARNs.
fn resource_accounts(stmts: &[Stmt<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    for s in stmts {
        for item in s.resource.iter().flat_map(|r| &r.items) {
            if let Some(a) = item.node.raw().split(':').nth(4) {
                if a.len() == 12
                    && a.bytes().all(|b| b.is_ascii_digit())
                    && !out.iter().any(|x| x == a)
                {
                    out.push(a.to_string());
                }
            }
        }
    }
    out
}
