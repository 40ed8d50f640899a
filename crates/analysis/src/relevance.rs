//! Which statements can apply to a principal class, a key and an action
//! class. A statement that cannot apply, whatever the request's context,
//! leaves the decision alone, so its condition keys need not be varied.
//!
//! The answer errs on the side of "can apply": saying so wrongly costs
//! classes; saying "cannot" wrongly would lose requests.

use keyward_eval::ActionSet;
use keyward_policy::matching::{ArnPattern, PrincipalArn};
use keyward_policy::model::{PrincipalKind, PrincipalSpec, Principals, Resources};

use crate::principals::PrincipalRep;
use crate::stmts::Stmt;

/// Can `s` apply to a request of `principal` on `key_arn` for an action of `actions`?
pub fn can_apply(
    s: &Stmt<'_>,
    principal: &PrincipalRep,
    key_arn: &str,
    actions: ActionSet,
) -> bool {
    s.actions.iter().any(|a| actions.contains(a))
        && s.resource.is_some_and(|r| may_cover(r, key_arn))
        && s.principal.is_none_or(|p| may_name(p, principal))
}

/// Can a `Resource`/`NotResource` element cover the key (or fail to be
/// evaluated, which also makes a Deny apply)?
pub fn may_cover(r: &Resources, key_arn: &str) -> bool {
    let mut hit = false;
    for item in &r.items {
        match ArnPattern::parse(item.node.raw()) {
            Ok(p) => hit |= p.matches(key_arn),
            Err(_) => return true,
        }
    }
    hit != r.negated
}

/// Can a `Principal`/`NotPrincipal` element name the caller (or fail to be
/// evaluated)?
pub fn may_name(p: &Principals, principal: &PrincipalRep) -> bool {
    if p.negated {
        return true;
    }
    let PrincipalSpec::Map(groups) = &p.spec else {
        return true;
    };
    let caller = &principal.caller;
    groups.iter().any(|g| {
        g.values.iter().any(|v| {
            let v = v.node.as_str();
            match g.kind.node {
                PrincipalKind::Aws => {
                    if v == "*" || v.contains(['*', '?']) {
                        return true;
                    }
                    match PrincipalArn::parse(v) {
                        PrincipalArn::UniqueId { .. }
                        | PrincipalArn::Group { .. }
                        | PrincipalArn::Other(_) => true,
                        named => !caller.is_service() && named.account() == Some(caller.account()),
                    }
                }
                PrincipalKind::Service => {
                    caller.is_service() && (v == "*" || v.eq_ignore_ascii_case(caller.arn()))
                }
                PrincipalKind::Federated | PrincipalKind::CanonicalUser => false,
            }
        })
    })
}
