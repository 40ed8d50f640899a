//! The three checks, decided over every class of requests:
//!
//! - [`no_new_access`]: does the head policy allow a request the base does not?
//! - [`access_not_granted`]: can any request for these actions (and
//!   principals) be allowed?
//! - [`no_public_access`]: can a principal outside the zone of trust be allowed?
//!
//! A PASS means no request at all breaks the property; a FAIL carries
//! witnesses (concrete requests, decided by the forward evaluator); what
//! cannot be decided exactly is UNKNOWN.

mod access_not_granted;
mod no_new_access;
mod no_public_access;

use std::ops::ControlFlow;

use keyward_eval::KmsAction;
use serde_json::Value;

use crate::dims::Facet;
use crate::err::Unknown;
use crate::explain::{allowing_statement, answer, reasons};
use crate::json::OutcomeJson;
use crate::space::{Class, SpaceOptions};
use crate::witness::Witness;
use crate::world::{request, Built, Kind};

pub use access_not_granted::access_not_granted;
pub use no_new_access::no_new_access;
pub use no_public_access::{no_public_access, Trust};

/// The result of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// No request breaks the property.
    Pass,
    /// Some request does (see the witnesses).
    Fail,
    /// The analysis cannot decide exactly.
    Unknown,
}

impl Verdict {
    /// `pass`, `fail` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Unknown => "unknown",
        }
    }
}

/// What a check found.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// `no-new-access`, `access-not-granted` or `no-public-access`.
    pub check: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// Requests that break the property (for a FAIL).
    pub witnesses: Vec<Witness>,
    /// Why the answer is unknown, or a note on a pass.
    pub reason: Option<String>,
    /// How many classes of requests were decided.
    pub classes: usize,
    /// The kind of policy checked.
    pub kind: Kind,
}

impl Outcome {
    /// A pass decided before any class was formed.
    pub(crate) fn passed(check: &'static str, kind: Kind) -> Outcome {
        Outcome {
            check,
            verdict: Verdict::Pass,
            witnesses: Vec::new(),
            reason: None,
            classes: 0,
            kind,
        }
    }

    pub(crate) fn unknown(check: &'static str, kind: Kind, u: &Unknown) -> Outcome {
        Outcome {
            check,
            verdict: Verdict::Unknown,
            witnesses: Vec::new(),
            reason: Some(u.reason.clone()),
            classes: 0,
            kind,
        }
    }

    /// The JSON answer (an [`OutcomeJson`]): `{"check", "result",
    /// "witnesses", …}`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(OutcomeJson::from(self)).unwrap_or(Value::Null)
    }
}

/// How to check.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// How to split the request space.
    pub space: SpaceOptions,
    /// The most witnesses to report (at least one is always found for a FAIL).
    pub max_witnesses: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            space: SpaceOptions::default(),
            max_witnesses: 5,
        }
    }
}

/// Decide `class` under `built`.
pub(crate) fn decide<'b>(
    built: &'b Built,
    class: &Class<'_>,
    facets: &[&Facet],
    slot: &'b mut Option<keyward_eval::Request>,
) -> Result<keyward_eval::Response<'b>, Unknown> {
    decide_as(built, class, class.action.rep, facets, slot)
}

/// Decide `class` under `built` for one action of the class (every action
/// of a class is decided alike; this gives its own explanation).
pub(crate) fn decide_as<'b>(
    built: &'b Built,
    class: &Class<'_>,
    action: KmsAction,
    facets: &[&Facet],
    slot: &'b mut Option<keyward_eval::Request>,
) -> Result<keyward_eval::Response<'b>, Unknown> {
    let (layer, req) = request(
        built,
        class.principal,
        class.world_index,
        class.key,
        action,
        facets,
    )?;
    let auth = built
        .layers
        .get(layer)
        .ok_or_else(|| Unknown::internal("a key names no authorizer"))?;
    let req: &'b keyward_eval::Request = slot.insert(req);
    Ok(auth.decide(req))
}

/// Collect witnesses, at most one per principal class and action class,
/// up to `max`.
pub(crate) struct Collector {
    max: usize,
    seen: Vec<(String, KmsAction)>,
    witnesses: Vec<Witness>,
    error: Option<Unknown>,
    classes: usize,
}

impl Collector {
    pub(crate) fn new(max: usize) -> Collector {
        Collector {
            max: max.max(1),
            seen: Vec::new(),
            witnesses: Vec::new(),
            error: None,
            classes: 0,
        }
    }

    pub(crate) fn wants(&self, w: &Witness) -> bool {
        !self.seen.contains(&(w.principal_class.clone(), w.action))
    }

    pub(crate) fn push(&mut self, w: Witness) -> ControlFlow<()> {
        self.seen.push((w.principal_class.clone(), w.action));
        self.witnesses.push(w);
        if self.witnesses.len() >= self.max {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    pub(crate) fn fail(&mut self, u: Unknown) -> ControlFlow<()> {
        self.error = Some(u);
        ControlFlow::Break(())
    }

    pub(crate) fn finish(
        self,
        check: &'static str,
        kind: Kind,
        walk: Result<(), Unknown>,
        undecided: Option<String>,
    ) -> Outcome {
        let error = walk.err().or(self.error);
        let (verdict, reason) = match (self.witnesses.is_empty(), error, undecided) {
            (false, _, _) => (Verdict::Fail, None),
            (true, Some(e), _) => (Verdict::Unknown, Some(e.reason)),
            (true, None, Some(u)) => (Verdict::Unknown, Some(u)),
            (true, None, None) => (Verdict::Pass, None),
        };
        Outcome {
            check,
            verdict,
            witnesses: self.witnesses,
            reason,
            classes: self.classes,
            kind,
        }
    }
}

/// Fill a witness's explanation from `r` and keep it, unless its classes
/// are already witnessed.
pub(crate) fn finish_witness(
    c: &mut Collector,
    mut w: Witness,
    r: &keyward_eval::Response<'_>,
    policy: &str,
) -> ControlFlow<()> {
    if !c.wants(&w) {
        return ControlFlow::Continue(());
    }
    w.reasons = reasons(r);
    w.answer = Some(answer(r));
    w.statement = allowing_statement(r, policy);
    c.push(w)
}

/// Actions as a list for people.
pub(crate) fn names(actions: &[KmsAction]) -> String {
    actions
        .iter()
        .map(|a| format!("`{}`", a.qualified_name()))
        .collect::<Vec<_>>()
        .join(", ")
}
