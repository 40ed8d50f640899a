//! The one JSON shape of an answer, for every front end: `keyward query`,
//! `scenario run`, `scenario matrix`, the browser and the editor. Built from
//! an [`Explanation`]'s reasons; a front end adds nothing but formatting.

use keyward_policy::model::Effect;
use keyward_policy::{Location, Locator};
use serde::{Deserialize, Serialize};

use crate::decision::{AllowPath, Decision};
use crate::key_state::KmsErrorKind;
use crate::reason::Reason;
use crate::refs::{GrantRef, StatementRef};
use crate::response::Response;
use crate::world::SourceKind;

/// The answer to one request, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    /// The authorization decision.
    pub decision: Decision,
    /// The KMS exception the call still ends in (an allowed call on a
    /// disabled key, in another Region; or a key reference that found no key).
    pub error: Option<KmsErrorKind>,
    /// The exception's message, as KMS words it.
    pub error_message: Option<String>,
    /// How an allowed request was allowed.
    pub path: Option<AllowPath>,
    /// The statements that decided (see `Explanation::deciding`).
    pub statements: Vec<StatementJson>,
    /// The grant used.
    pub grant: Option<GrantJson>,
    /// The key-policy statement delegating to IAM, when delegation is what
    /// happened.
    pub delegation: Option<StatementJson>,
    /// Every reason, in order.
    pub reasons: Vec<ReasonJson>,
}

/// `Allow` or `Deny`, as policies spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EffectJson {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

impl From<Effect> for EffectJson {
    fn from(effect: Effect) -> Self {
        match effect {
            Effect::Allow => EffectJson::Allow,
            Effect::Deny => EffectJson::Deny,
        }
    }
}

/// A statement, located in its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementJson {
    /// The kind of policy it is in.
    pub kind: SourceKind,
    /// The policy's name.
    pub policy: String,
    /// The Sid, when it has one.
    pub sid: Option<String>,
    /// Its position in the policy (0-based).
    pub index: u32,
    /// Its effect.
    pub effect: EffectJson,
    /// Its JSON pointer within the policy (`/Statement/1`).
    pub pointer: String,
    /// Where it is written.
    pub location: Location,
}

/// A grant, located in its file when it has a place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GrantJson {
    /// Its name or id, or `#n`.
    pub label: String,
    /// The grantee as written.
    pub grantee: String,
    /// Where it is written (a scenario's `grants` entry).
    pub location: Option<Location>,
}

/// The kinds of reason (see [`Reason::code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ReasonKind {
    /// A Deny that applies.
    Denied,
    /// A statement that let the request through.
    Allowed,
    /// The grant that allowed it.
    Grant,
    /// The caller is the grant's retiring principal.
    RetiringPrincipal,
    /// The caller's account issued the grant.
    IssuingAccount,
    /// The key policy delegates to IAM.
    Delegation,
    /// The allowed call fails.
    CallFails,
    /// What was missing for an allow.
    Missing,
    /// The policies read for an implicit deny.
    Consulted,
    /// A statement that could not be evaluated.
    Unevaluable,
}

impl ReasonKind {
    fn of(reason: &Reason<'_>) -> ReasonKind {
        match reason {
            Reason::Denied(_) => ReasonKind::Denied,
            Reason::Allowed(_) => ReasonKind::Allowed,
            Reason::Grant(_) => ReasonKind::Grant,
            Reason::RetiringPrincipal(_) => ReasonKind::RetiringPrincipal,
            Reason::IssuingAccount(_) => ReasonKind::IssuingAccount,
            Reason::Delegation(_) => ReasonKind::Delegation,
            Reason::CallFails(_) => ReasonKind::CallFails,
            Reason::Missing(_) | Reason::NothingAllows => ReasonKind::Missing,
            Reason::Consulted(_) => ReasonKind::Consulted,
            Reason::Unevaluable(_) => ReasonKind::Unevaluable,
        }
    }
}

/// One reason: its sentence, what would help, and what it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReasonJson {
    /// What kind of reason.
    pub kind: ReasonKind,
    /// One sentence for people.
    pub message: String,
    /// For a missing piece: what would make the request allowed.
    pub help: Option<String>,
    /// How what it names bears on the decision: `Allow` for what let the
    /// request through, `Deny` for what denied it, `null` for near misses
    /// and notes.
    pub effect: Option<EffectJson>,
    /// The statement it names.
    pub statement: Option<StatementJson>,
    /// The grant it names.
    pub grant: Option<GrantJson>,
}

/// A question and its answer: what `keyward query` prints, and every cell
/// of a matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnsweredRequest {
    /// The principal as asked (a scenario name or an ARN).
    pub principal: String,
    /// `kms:…`.
    pub action: String,
    /// The key as asked, or its ARN.
    pub key: String,
    /// What keyward adds about the question itself (an outsider principal,
    /// for one).
    pub notes: Vec<String>,
    /// The answer.
    pub answer: Answer,
}

impl StatementJson {
    /// `s`, located through `locator`.
    pub fn new(s: &StatementRef<'_>, locator: &mut Locator) -> StatementJson {
        StatementJson {
            kind: s.kind(),
            policy: s.policy_name().to_string(),
            sid: s.sid().map(str::to_string),
            index: s.position(),
            effect: s.effect().into(),
            pointer: s.pointer(),
            location: locator.location(s.source(), s.span()),
        }
    }
}

impl GrantJson {
    /// `g`, located through `locator` when it has a place.
    pub fn new(g: &GrantRef<'_>, locator: &mut Locator) -> GrantJson {
        GrantJson {
            label: g.label(),
            grantee: g.grantee().to_string(),
            location: g
                .written_at()
                .map(|(source, span)| locator.location(source, span)),
        }
    }
}

impl ReasonJson {
    /// `reason`, with what it names located through `locator`.
    pub fn new(reason: &Reason<'_>, locator: &mut Locator) -> ReasonJson {
        ReasonJson {
            kind: ReasonKind::of(reason),
            message: reason.to_string(),
            help: reason.help().map(|h| h.to_string()),
            effect: reason.effect().map(Into::into),
            statement: reason.statement().map(|s| StatementJson::new(&s, locator)),
            grant: reason.grant().map(|g| GrantJson::new(&g, locator)),
        }
    }
}

impl Answer {
    /// The answer of `response`, its statements and grants located through
    /// `locator` (share one locator across answers that read the same files).
    pub fn new(response: &Response<'_>, locator: &mut Locator) -> Answer {
        let e = response.explanation();
        let error = e.error();
        Answer {
            decision: e.decision(),
            error: error.as_ref().map(|err| err.kind()),
            error_message: error.as_ref().map(|err| err.message()),
            path: e.path(),
            statements: e
                .deciding()
                .map(|s| StatementJson::new(&s, locator))
                .collect(),
            grant: e.grant().map(|g| GrantJson::new(&g, locator)),
            delegation: e.delegation().map(|s| StatementJson::new(&s, locator)),
            reasons: e
                .reasons()
                .iter()
                .map(|r| ReasonJson::new(r, locator))
                .collect(),
        }
    }
}
