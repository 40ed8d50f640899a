//! `access-not-granted`: can any request for these actions (by these
//! principals) be allowed?

use std::ops::ControlFlow;

use keyward_eval::{ActionSet, PolicyDoc};
use keyward_policy::matching::{CaseMode, Pattern};
use keyward_policy::model::OperatorBase;

use super::{decide, decide_as, finish_witness, names, CheckOptions, Collector, Outcome};
use crate::err::Unknown;
use crate::explain::allowed;
use crate::nonkey::possibly_allowed;
use crate::principals::facts::{is_account, Raw};
use crate::space::Space;
use crate::stmts::statements;
use crate::witness::Witness;
use crate::world::{build, Kind};

/// Can any request for one of `actions`, by a principal matching one of
/// `principals` (ARNs or wildcard patterns, account ids, service names;
/// empty: anyone), be allowed by `policy`?
pub fn access_not_granted(
    policy: &PolicyDoc,
    kind: Kind,
    actions: ActionSet,
    principals: &[String],
    options: &CheckOptions,
) -> Outcome {
    const CHECK: &str = "access-not-granted";
    let mut space_options = options.space.clone();
    let mut patterns = Vec::new();
    for p in principals {
        if is_account(p) {
            space_options.accounts.push(p.clone());
        }
        patterns.push(Pattern::new(p));
    }
    space_options
        .principal_patterns
        .extend(principals.iter().filter(|p| !is_account(p)).map(|p| Raw {
            base: OperatorBase::StringLike,
            value: p.clone(),
        }));
    let space = match Space::new(&[policy], kind, &space_options) {
        Ok(s) => s,
        Err(u) => return Outcome::unknown(CHECK, kind, &u),
    };
    let built = match build(
        kind,
        policy,
        &space.keys,
        &space.principals,
        &space.accounts,
    ) {
        Ok(b) => b,
        Err(u) => return Outcome::unknown(CHECK, kind, &u),
    };
    let undecided = match (kind, statements(&[policy])) {
        (Kind::Identity, Ok(stmts)) => {
            let open = possibly_allowed(&stmts, actions);
            (!open.is_empty()).then(|| {
                format!(
                    "{} take no key; keyward cannot decide whether the policy allows them",
                    names(&open)
                )
            })
        }
        _ => None,
    };
    let matches_principal = |caller: &keyward_eval::Caller| {
        patterns.is_empty()
            || principals.iter().zip(&patterns).any(|(text, p)| {
                (text.len() == 12 && text == caller.account())
                    || p.matches(caller.arn(), CaseMode::Sensitive)
                    || p.matches(caller.principal_arn(), CaseMode::Sensitive)
            })
    };
    let mut c = Collector::new(options.max_witnesses);
    let walk = space.for_each(
        |p, _, _, a| matches_principal(&p.caller) && a.actions.iter().any(|x| actions.contains(x)),
        |_| true,
        |class| {
            c.classes += 1;
            let facets = class.facets();
            let mut slot = None;
            let r = match decide(&built, class, &facets, &mut slot) {
                Ok(r) => r,
                Err(u) => return c.fail(u),
            };
            if !allowed(&r) {
                return ControlFlow::Continue(());
            }
            let mut w = Witness::of(&space, class);
            // Every action of the class is decided alike: show one asked about.
            let asked = class.action.actions.iter().find(|a| actions.contains(*a));
            match asked.filter(|a| *a != class.action.rep) {
                None => finish_witness(&mut c, w, &r, &policy.name),
                Some(a) => {
                    w.action = a;
                    let mut slot = None;
                    match decide_as(&built, class, a, &facets, &mut slot) {
                        Ok(r) if allowed(&r) => finish_witness(&mut c, w, &r, &policy.name),
                        Ok(_) => c.fail(Unknown::internal(format!(
                            "`{}` and `{}` are in one class but decided apart",
                            class.action.rep, a
                        ))),
                        Err(u) => c.fail(u),
                    }
                }
            }
        },
    );
    c.finish(CHECK, kind, walk, undecided)
}
