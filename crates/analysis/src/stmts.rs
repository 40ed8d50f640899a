//! The statements under analysis, read once: their KMS action sets, their
//! principal, resource and condition elements, and which policy they come
//! from.

use keyward_eval::{ActionSet, PolicyDoc};
use keyward_policy::model::{
    Actions, Condition, ConditionValues, Effect, OperatorBase, Principals, Resources, Statement,
    Template, TemplatePart,
};

use crate::ckey::CKey;
use crate::err::Unknown;

/// One statement of an analyzed policy.
#[derive(Clone, Debug)]
pub struct Stmt<'p> {
    /// Which of the analyzed policies.
    pub policy: usize,
    /// The statement.
    pub statement: &'p Statement,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// The KMS actions it covers (after `NotAction`).
    pub actions: ActionSet,
    /// Its `Principal`/`NotPrincipal`.
    pub principal: Option<&'p Principals>,
    /// Its `Resource`/`NotResource`.
    pub resource: Option<&'p Resources>,
    /// Its conditions, with their keys resolved.
    pub conditions: Vec<(CKey, &'p Condition)>,
    /// Policy variables are substituted (`Version` 2012-10-17).
    pub variables: bool,
    /// Its condition values that are a policy variable naming a principal
    /// attribute, compared for equality with a request key.
    pub links: Vec<Link>,
}

/// `"TARGET": "${SOURCE}"` under `StringEquals`/`StringNotEquals`: the
/// request key TARGET compared with an attribute of the caller. Per
/// principal class the variable has one value, which splits TARGET's
/// values like a literal would. Exact because every test on TARGET is an
/// equality (checked when the space is built) and the caller's classes are
/// split at TARGET's literals: values neither names are interchangeable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The request key compared.
    pub target: CKey,
    /// The principal attribute the variable names.
    pub source: CKey,
    /// The variable's default (`${key, 'default'}`).
    pub default: Option<String>,
}

/// The principal attributes a link may name.
fn linkable(source: &CKey) -> bool {
    matches!(
        source,
        CKey::PrincipalAccount
            | CKey::PrincipalTag(_)
            | CKey::Username
            | CKey::Userid
            | CKey::PrincipalType
    )
}

/// The request keys a link may compare: single-valued keys of the request
/// context, the Region and the alias.
fn link_target(target: &CKey) -> bool {
    match target {
        CKey::User(_) => !target.documented_multi_valued(),
        CKey::RequestedRegion | CKey::RequestAlias => true,
        _ => false,
    }
}

/// The link a condition value makes, or why it cannot be decided exactly.
fn link(key: &CKey, cond: &Condition, t: &Template) -> Result<Link, String> {
    let op = cond.operator.node;
    let equality = matches!(
        op.base,
        OperatorBase::StringEquals | OperatorBase::StringNotEquals
    );
    let parts: Vec<TemplatePart<'_>> = t.parts().collect();
    let [TemplatePart::Variable(v)] = parts.as_slice() else {
        return Err(format!("`{}` mixes a policy variable with text", t.raw()));
    };
    let source = CKey::parse(&v.key);
    if !equality || op.qualifier.is_some() {
        return Err(format!("`{}` is compared with `{}`", t.raw(), op.name()));
    }
    if !linkable(&source) {
        return Err(format!("`{}` names `{}`", t.raw(), v.key));
    }
    if !link_target(key) {
        return Err(format!(
            "`{}` is compared with `{}`",
            t.raw(),
            cond.key.node.as_str()
        ));
    }
    Ok(Link {
        target: key.clone(),
        source,
        default: v.default.as_deref().map(str::to_string),
    })
}

/// Every KMS action an `Action`/`NotAction` element covers, as the
/// evaluator compiles it.
pub fn action_set(actions: &Actions) -> ActionSet {
    let mut set = ActionSet::EMPTY;
    for item in &actions.items {
        set = set.union(ActionSet::matching(|name| item.node.matches(name)));
    }
    if actions.negated {
        set.complement()
    } else {
        set
    }
}

/// Read every statement of `policies`. Policy variables (under
/// `2012-10-17`) are not decided exactly yet: such a policy is unknown.
pub fn statements<'p>(policies: &[&'p PolicyDoc]) -> Result<Vec<Stmt<'p>>, Unknown> {
    let mut out = Vec::new();
    for (i, doc) in policies.iter().enumerate() {
        let variables = doc.policy.variables_enabled();
        for s in &doc.policy.statements {
            let actions = action_set(&s.action.node);
            // A statement without a KMS action cannot bear on a KMS request.
            if actions.is_empty() {
                continue;
            }
            let unsupported = |why: String| {
                Unknown::new(format!(
                    "statement `{}` of `{}` uses a policy variable the checks do not decide exactly: {why}",
                    s.display_name(),
                    doc.name
                ))
            };
            if variables && resource_uses_variables(s) {
                return Err(unsupported("in its resource".into()));
            }
            let conditions: Vec<(CKey, &Condition)> = s
                .condition
                .as_ref()
                .map(|c| {
                    c.node
                        .entries
                        .iter()
                        .map(|e| (CKey::parse(e.key.node.as_str()), e))
                        .collect()
                })
                .unwrap_or_default();
            let mut links = Vec::new();
            for (key, cond) in &conditions {
                let ConditionValues::String(values) = &cond.values else {
                    continue;
                };
                for v in values
                    .iter()
                    .filter(|v| variables && v.node.has_variables())
                {
                    links.push(link(key, cond, &v.node).map_err(unsupported)?);
                }
            }
            out.push(Stmt {
                policy: i,
                statement: s,
                effect: s.effect.node,
                actions,
                principal: s.principal.as_ref().map(|p| &p.node),
                resource: s.resource.as_ref().map(|r| &r.node),
                conditions,
                variables,
                links,
            });
        }
    }
    Ok(out)
}

fn resource_uses_variables(s: &Statement) -> bool {
    s.resource
        .as_ref()
        .is_some_and(|r| r.node.items.iter().any(|t| t.node.has_variables()))
}
