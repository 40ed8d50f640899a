//! KMS actions that take no key (`kms:CreateKey`, `kms:ListKeys`, …) are
//! outside the evaluator's request model: no key policy governs them and
//! `keyward query` cannot ask about them. For identity policies they still
//! matter, so the checks compare the statements covering them: a policy
//! that covers such an action only with statements the base policy also
//! has (Allows), and keeps every Deny of the base, gives no new access to
//! it. Anything else is left unknown, never passed.

use keyward_eval::{ActionSet, KmsAction};
use keyward_policy::model::{Effect, Statement};

use crate::stmts::Stmt;

/// Every KMS action that names no key.
pub fn non_key_actions() -> ActionSet {
    ActionSet::matching(|_| true)
        .iter()
        .filter(|a| !a.targets_key())
        .fold(ActionSet::EMPTY, |mut s, a| {
            s.insert(a);
            s
        })
}

/// The same statement apart from its actions (and Sid and position).
fn same_but_actions(a: &Statement, b: &Statement) -> bool {
    a.effect == b.effect
        && a.principal == b.principal
        && a.resource == b.resource
        && a.condition == b.condition
}

/// The actions without a key to which `head` may give access `base` does
/// not (policy index 0 is the base, 1 the head).
pub fn undecided_new_access(stmts: &[Stmt<'_>]) -> Vec<KmsAction> {
    let mut out = Vec::new();
    for action in non_key_actions().iter() {
        let covering = |policy: usize, effect: Effect| {
            stmts
                .iter()
                .filter(move |s| {
                    s.policy == policy && s.effect == effect && s.actions.contains(action)
                })
                .map(|s| s.statement)
        };
        let allows_kept = covering(1, Effect::Allow)
            .all(|h| covering(0, Effect::Allow).any(|b| same_but_actions(b, h)));
        let denies_kept = covering(0, Effect::Deny)
            .all(|b| covering(1, Effect::Deny).any(|h| same_but_actions(b, h)));
        if !(allows_kept && denies_kept) {
            out.push(action);
        }
    }
    out
}

/// The actions without a key among `actions` that some Allow of policy
/// `policy` covers (whether it applies cannot be decided here).
pub fn possibly_allowed(stmts: &[Stmt<'_>], actions: ActionSet) -> Vec<KmsAction> {
    actions
        .iter()
        .filter(|a| !a.targets_key())
        .filter(|a| {
            stmts
                .iter()
                .any(|s| s.effect == Effect::Allow && s.actions.contains(*a))
        })
        .collect()
}
