//! Statements compiled for fast decisions: actions as a bitset, principals
//! as typed matchers, resources pre-matched against every key, conditions
//! with resolved keys and parsed values.

use std::sync::Arc;

use keyward_policy::matching::ActionPattern;
use keyward_policy::model::{Actions, Effect, Resources, Statement};
use keyward_policy::{Policy, Source, Span};

use crate::action::ActionSet;
use crate::arn_pattern::ArnPat;
use crate::cond::{self, CCond, Tri};
use crate::env::Env;
use crate::key_arns::KeyArns;
use crate::principal_match::PrincipalMatcher;
use crate::template::resolve_tokens;
use crate::world::{index_u32, PolicyMeta};

/// A policy handed to the evaluator: its name, the text it was read from
/// (for snippets) and the model.
///
/// For a policy embedded in a larger file (a scenario), `source` is the
/// whole file and the model's spans point into it.
#[derive(Clone, Debug)]
pub struct PolicyDoc {
    /// How the policy is named in explanations (`CMK-A key policy`, `alice-kms`).
    pub name: String,
    /// The text the spans refer to.
    pub source: Source,
    /// The policy.
    pub policy: Policy,
}

impl PolicyDoc {
    /// A policy named `name`, read from `source`.
    pub fn new(name: impl Into<String>, source: Source, policy: Policy) -> PolicyDoc {
        PolicyDoc {
            name: name.into(),
            source,
            policy,
        }
    }
}

/// Where a resource element leaves a statement for one key.
#[derive(Clone, Debug)]
pub(crate) enum CResource {
    /// No `Resource`: the statement has no effect (rule 51).
    Absent,
    /// Decided at compile time, per key index.
    Static(Arc<[Tri]>),
    /// Uses policy variables: matched per request.
    Dynamic {
        negated: bool,
        items: Box<[keyward_policy::model::Template]>,
    },
}

/// A compiled statement.
#[derive(Clone, Debug)]
pub(crate) struct CStmt {
    /// The policy it is in.
    pub(crate) meta: Arc<PolicyMeta>,
    /// Position in the policy's statement list.
    pub(crate) index: u32,
    pub(crate) sid: Option<Box<str>>,
    pub(crate) span: Span,
    pub(crate) effect: Effect,
    pub(crate) actions: ActionSet,
    pub(crate) principal: Option<PrincipalMatcher>,
    pub(crate) resource: CResource,
    pub(crate) conditions: Box<[CCond]>,
}

/// Every KMS action matching an `Action`/`NotAction` element.
pub(crate) fn action_set(actions: &Actions) -> ActionSet {
    let mut set = ActionSet::EMPTY;
    for item in &actions.items {
        set = set.union(ActionSet::matching(|name| action_matches(&item.node, name)));
    }
    if actions.negated {
        set.complement()
    } else {
        set
    }
}

fn action_matches(pattern: &ActionPattern, qualified_name: &str) -> bool {
    pattern.matches(qualified_name)
}

/// Compile every statement of `policy`; resources are matched against
/// `key_arns` (by key index).
pub(crate) fn compile_policy(
    policy: &Policy,
    meta: &Arc<PolicyMeta>,
    key_arns: &mut KeyArns,
) -> Vec<CStmt> {
    let variables = policy.variables_enabled();
    policy
        .statements
        .iter()
        .map(|s| compile_statement(s, meta, variables, key_arns))
        .collect()
}

fn compile_statement(
    s: &Statement,
    meta: &Arc<PolicyMeta>,
    variables: bool,
    key_arns: &mut KeyArns,
) -> CStmt {
    CStmt {
        meta: meta.clone(),
        index: index_u32(s.index),
        sid: s.sid.as_ref().map(|sid| sid.node.as_str().into()),
        span: s.span,
        effect: s.effect.node,
        actions: action_set(&s.action.node),
        principal: s
            .principal
            .as_ref()
            .map(|p| PrincipalMatcher::compile(&p.node)),
        resource: match &s.resource {
            None => CResource::Absent,
            Some(r) => compile_resource(&r.node, variables, key_arns),
        },
        conditions: s
            .condition
            .as_ref()
            .map(|c| {
                c.node
                    .entries
                    .iter()
                    .map(|e| cond::compile(e, variables))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn compile_resource(r: &Resources, variables: bool, key_arns: &mut KeyArns) -> CResource {
    if variables && r.items.iter().any(|t| t.node.has_variables()) {
        return CResource::Dynamic {
            negated: r.negated,
            items: r.items.iter().map(|t| t.node.clone()).collect(),
        };
    }
    let items: Vec<&str> = r.items.iter().map(|t| t.node.raw()).collect();
    CResource::Static(key_arns.cover(r.negated, &items))
}

/// Combine per-pattern results: any match (or, for `NotResource`, none).
fn resource_tri(negated: bool, results: impl Iterator<Item = Option<bool>>) -> Tri {
    let mut error = false;
    let mut hit = false;
    for r in results {
        match r {
            Some(true) => hit = true,
            Some(false) => {}
            None => error = true,
        }
    }
    if hit {
        Tri::from_bool(!negated)
    } else if error {
        Tri::Error
    } else {
        Tri::from_bool(negated)
    }
}

impl CResource {
    /// Does the resource element cover the request's key?
    pub(crate) fn eval(&self, key: usize, key_arn: &str, env: &Env<'_>) -> Tri {
        match self {
            CResource::Absent => Tri::No,
            CResource::Static(per_key) => per_key[key],
            CResource::Dynamic { negated, items } => resource_tri(
                *negated,
                items.iter().map(|t| match resolve_tokens(t, env) {
                    Ok(Some(tokens)) => ArnPat::from_tokens(&tokens).matches(key_arn),
                    Ok(None) => Some(false),
                    Err(_) => None,
                }),
            ),
        }
    }
}
