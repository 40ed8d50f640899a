//! `no-new-access`: does the head policy allow a request the base does not?

use std::ops::ControlFlow;

use keyward_eval::PolicyDoc;
use keyward_policy::model::Effect;

use super::{decide, names, CheckOptions, Collector, Outcome};
use crate::err::Unknown;
use crate::explain::{allowed, allowing_statement, answer, reasons};
use crate::nonkey::undecided_new_access;
use crate::space::Space;
use crate::stmts::statements;
use crate::witness::Witness;
use crate::world::{build, Kind};

/// Does `head` allow any request that `base` does not?
pub fn no_new_access(
    base: &PolicyDoc,
    head: &PolicyDoc,
    kind: Kind,
    options: &CheckOptions,
) -> Outcome {
    const CHECK: &str = "no-new-access";
    // Without a KMS Allow in the head, no request is allowed by it.
    if let Ok(stmts) = statements(&[base, head]) {
        let head_allows = stmts
            .iter()
            .any(|s| s.policy == 1 && s.effect == Effect::Allow);
        let undecided = kind == Kind::Identity && !undecided_new_access(&stmts).is_empty();
        if !head_allows && !undecided {
            return Outcome::passed(CHECK, kind);
        }
    }
    let space = match Space::new(&[base, head], kind, &options.space) {
        Ok(s) => s,
        Err(u) => return Outcome::unknown(CHECK, kind, &u),
    };
    let built =
        [base, head].map(|p| build(kind, p, &space.keys, &space.principals, &space.accounts));
    let [Ok(built_base), Ok(built_head)] = built else {
        let u = built
            .into_iter()
            .find_map(Result::err)
            .unwrap_or_else(|| Unknown::internal("build"));
        return Outcome::unknown(CHECK, kind, &u);
    };
    let undecided = match kind {
        Kind::Identity => {
            let actions = undecided_new_access(&space.stmts);
            (!actions.is_empty()).then(|| {
                format!(
                    "{} take no key; keyward cannot decide them, and the statements covering them changed",
                    names(&actions)
                )
            })
        }
        Kind::KeyPolicy => None,
    };
    let mut c = Collector::new(options.max_witnesses);
    let walk = space.for_each(
        |_, _, _, _| true,
        |_| true,
        |class| {
            c.classes += 1;
            let facets = class.facets();
            let mut slot = None;
            let r = match decide(&built_head, class, &facets, &mut slot) {
                Ok(r) => r,
                Err(u) => return c.fail(u),
            };
            if !allowed(&r) {
                return ControlFlow::Continue(());
            }
            let mut slot_b = None;
            let rb = match decide(&built_base, class, &facets, &mut slot_b) {
                Ok(r) => r,
                Err(u) => return c.fail(u),
            };
            if allowed(&rb) {
                return ControlFlow::Continue(());
            }
            let mut w = Witness::of(&space, class);
            if !c.wants(&w) {
                return ControlFlow::Continue(());
            }
            w.reasons = reasons(&r);
            w.base_reasons = reasons(&rb);
            w.answer = Some(answer(&r));
            w.base_answer = Some(answer(&rb));
            w.statement = allowing_statement(&r, &head.name);
            c.push(w)
        },
    );
    c.finish(CHECK, kind, walk, undecided)
}
