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

use std::ops::ControlFlow;

use keyward_eval::{ActionSet, KmsAction, PolicyDoc};
use keyward_policy::matching::{CaseMode, Pattern};
use keyward_policy::model::{Effect, OperatorBase};
use serde_json::{json, Value};

use crate::dims::Facet;
use crate::err::Unknown;
use crate::explain::{allowed, allowing_statement, reasons};
use crate::nonkey::{possibly_allowed, undecided_new_access};
use crate::principals::facts::{is_account, Raw};
use crate::principals::RepKind;
use crate::space::{Class, Space, SpaceOptions};
use crate::stmts::statements;
use crate::witness::Witness;
use crate::world::{build, request, Built, Kind};

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
    fn passed(check: &'static str, kind: Kind) -> Outcome {
        Outcome {
            check,
            verdict: Verdict::Pass,
            witnesses: Vec::new(),
            reason: None,
            classes: 0,
            kind,
        }
    }

    fn unknown(check: &'static str, kind: Kind, u: &Unknown) -> Outcome {
        Outcome {
            check,
            verdict: Verdict::Unknown,
            witnesses: Vec::new(),
            reason: Some(u.reason.clone()),
            classes: 0,
            kind,
        }
    }

    /// The JSON answer: `{"check", "result", "witnesses", …}`.
    pub fn to_json(&self) -> Value {
        json!({
            "check": self.check,
            "result": self.verdict.as_str(),
            "kind": self.kind.as_str(),
            "witnesses": self.witnesses.iter().map(Witness::to_json).collect::<Vec<_>>(),
            "reason": self.reason,
            "classes": self.classes,
        })
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
fn decide<'b>(
    built: &'b Built,
    class: &Class<'_>,
    facets: &[&Facet],
    slot: &'b mut Option<keyward_eval::Request>,
) -> Result<keyward_eval::Response<'b>, Unknown> {
    let (layer, req) = request(
        built,
        class.principal,
        class.world_index,
        class.key,
        class.action.rep,
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
struct Collector {
    max: usize,
    seen: Vec<(String, KmsAction)>,
    witnesses: Vec<Witness>,
    error: Option<Unknown>,
    classes: usize,
}

impl Collector {
    fn new(max: usize) -> Collector {
        Collector {
            max: max.max(1),
            seen: Vec::new(),
            witnesses: Vec::new(),
            error: None,
            classes: 0,
        }
    }

    fn wants(&self, w: &Witness) -> bool {
        !self.seen.contains(&(w.principal_class.clone(), w.action))
    }

    fn push(&mut self, w: Witness) -> ControlFlow<()> {
        self.seen.push((w.principal_class.clone(), w.action));
        self.witnesses.push(w);
        if self.witnesses.len() >= self.max {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    fn fail(&mut self, u: Unknown) -> ControlFlow<()> {
        self.error = Some(u);
        ControlFlow::Break(())
    }

    fn finish(
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
            w.statement = allowing_statement(&r, &head.name);
            c.push(w)
        },
    );
    c.finish(CHECK, kind, walk, undecided)
}

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
            // Every action of the class is decided alike: name one asked about.
            if let Some(a) = class.action.actions.iter().find(|a| actions.contains(*a)) {
                w.action = a;
            }
            finish_witness(&mut c, w, &r, &policy.name)
        },
    );
    c.finish(CHECK, kind, walk, undecided)
}

fn finish_witness(
    c: &mut Collector,
    mut w: Witness,
    r: &keyward_eval::Response<'_>,
    policy: &str,
) -> ControlFlow<()> {
    if !c.wants(&w) {
        return ControlFlow::Continue(());
    }
    w.reasons = reasons(r);
    w.statement = allowing_statement(r, policy);
    c.push(w)
}

/// The zone of trust of [`no_public_access`].
#[derive(Clone, Debug, Default)]
pub struct Trust {
    /// Accounts inside the zone (besides the key's own).
    pub accounts: Vec<String>,
    /// An organization inside the zone: callers whose `aws:PrincipalOrgID` is it.
    pub org: Option<String>,
    /// Report only callers of accounts no statement names (anyone), as
    /// Access Analyzer's "public" does; named outside accounts pass.
    pub public_only: bool,
}

/// Can a principal outside the zone of trust (the key's account, the
/// trusted accounts and organization) be allowed by the key policy?
/// Service principals are AWS itself and inside the zone.
pub fn no_public_access(policy: &PolicyDoc, trust: &Trust, options: &CheckOptions) -> Outcome {
    const CHECK: &str = "no-public-access";
    let kind = Kind::KeyPolicy;
    let mut space_options = options.space.clone();
    space_options
        .accounts
        .extend(trust.accounts.iter().cloned());
    if let Some(org) = &trust.org {
        space_options
            .split
            .push(("aws:PrincipalOrgID".into(), org.clone()));
    }
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
    let outsider = |p: &crate::principals::PrincipalRep, k: &crate::keys::KeyRep| {
        let Some(a) = p.account else { return false };
        if p.kind == RepKind::Service || a == k.account {
            return false;
        }
        let account = &space.accounts[a];
        let trusted = trust.accounts.contains(&account.id);
        let named_and_tolerated = trust.public_only && account.named;
        !(trusted || named_and_tolerated)
    };
    let trusted_org = |facet: &Facet| match (facet, &trust.org) {
        (
            Facet::Context {
                key,
                value: Some(v),
            },
            Some(org),
        ) => {
            key.eq_ignore_ascii_case("aws:PrincipalOrgID")
                && matches!(v, keyward_eval::ContextValue::One(s) if s.as_ref() == org.as_str())
        }
        _ => false,
    };
    let mut c = Collector::new(options.max_witnesses);
    let walk = space.for_each(
        |p, _, k, _| outsider(p, k),
        |choice| !trusted_org(&choice.facet),
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
            let named = space.principals[class.principal]
                .account
                .is_some_and(|a| space.accounts[a].named);
            w.scope = Some(if named { "external" } else { "public" });
            finish_witness(&mut c, w, &r, &policy.name)
        },
    );
    c.finish(CHECK, kind, walk, None)
}

fn names(actions: &[KmsAction]) -> String {
    actions
        .iter()
        .map(|a| format!("`{}`", a.qualified_name()))
        .collect::<Vec<_>>()
        .join(", ")
}
