//! The statements under analysis, read once: their KMS action sets, their
//! principal, resource and condition elements, and which policy they come
//! from.

use keyward_eval::{ActionSet, PolicyDoc};
use keyward_policy::model::{Actions, Condition, Effect, Principals, Resources, Statement};

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
            if variables && uses_variables(s) {
                return Err(Unknown::new(format!(
                    "statement `{}` of `{}` uses policy variables, which the checks do not decide exactly yet",
                    s.display_name(),
                    doc.name
                )));
            }
            out.push(Stmt {
                policy: i,
                statement: s,
                effect: s.effect.node,
                actions,
                principal: s.principal.as_ref().map(|p| &p.node),
                resource: s.resource.as_ref().map(|r| &r.node),
                conditions: s
                    .condition
                    .as_ref()
                    .map(|c| {
                        c.node
                            .entries
                            .iter()
                            .map(|e| (CKey::parse(e.key.node.as_str()), e))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

fn uses_variables(s: &Statement) -> bool {
    let resource = s
        .resource
        .as_ref()
        .is_some_and(|r| r.node.items.iter().any(|t| t.node.has_variables()));
    let condition = s.condition.as_ref().is_some_and(|c| {
        c.node.entries.iter().any(|e| match &e.values {
            keyward_policy::model::ConditionValues::String(v) => {
                v.iter().any(|t| t.node.has_variables())
            }
            _ => false,
        })
    });
    resource || condition
}
