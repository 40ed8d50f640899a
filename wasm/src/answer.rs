//! The evaluator's answer, as JSON for the page: the decision, the KMS
//! error, and reasons that point at their statements by file and position.

use keyward_eval::{Decision, KmsAction, Response, StatementRef};
use keyward_policy::model::Effect;
use keyward_policy::{Source, Span};
use serde::Serialize;

use crate::positions::{Position, TextIndex};

/// The answer to one request.
#[derive(Debug, Serialize)]
pub struct AnswerOut {
    /// `allow`, `explicit-deny` or `implicit-deny`.
    pub decision: &'static str,
    /// The KMS exception an allowed call still ends in, e.g. `DisabledException`.
    pub error: Option<&'static str>,
    /// Whether the key policy delegates this action to the caller's account
    /// (IAM policies); `None` after an explicit deny, which is decided first.
    pub delegated: Option<bool>,
    /// The deciding statements and grant, the delegation, then what was missing.
    pub reasons: Vec<ReasonOut>,
}

/// One reason, located when it comes from a statement.
#[derive(Debug, Serialize)]
pub struct ReasonOut {
    /// `statement`, `grant`, `delegation`, `error`, `missing` or `unevaluable`.
    pub kind: &'static str,
    /// One sentence for people.
    pub message: String,
    /// The source the statement was read from (a workspace path for files).
    pub file: Option<String>,
    /// Where the statement starts.
    pub start: Option<Position>,
    /// Where the statement ends.
    pub end: Option<Position>,
    /// `allow` or `deny` for statements and grants.
    pub effect: Option<&'static str>,
}

impl ReasonOut {
    fn note(kind: &'static str, message: String) -> Self {
        ReasonOut {
            kind,
            message,
            file: None,
            start: None,
            end: None,
            effect: None,
        }
    }
}

/// Turns spans of many sources into positions, indexing each source once.
#[derive(Debug, Default)]
pub struct Locator<'a> {
    indexes: Vec<(&'a str, TextIndex<'a>)>,
}

impl<'a> Locator<'a> {
    /// The start and end positions of `span` in `source`.
    pub fn locate(&mut self, source: &'a Source, span: Span) -> (Position, Position) {
        let slot = match self.indexes.iter().position(|(n, _)| *n == source.name()) {
            Some(i) => i,
            None => {
                self.indexes
                    .push((source.name(), TextIndex::new(source.text())));
                self.indexes.len() - 1
            }
        };
        let index = &self.indexes[slot].1;
        (index.position(span.start), index.position(span.end))
    }

    fn statement(
        &mut self,
        kind: &'static str,
        message: String,
        s: &StatementRef<'a>,
        effect: Option<&'static str>,
    ) -> ReasonOut {
        let (file, start, end) = match s.source() {
            Some(source) => {
                let (start, end) = self.locate(source, s.span());
                (Some(source.name().to_string()), Some(start), Some(end))
            }
            None => (None, None, None),
        };
        ReasonOut {
            kind,
            message,
            file,
            start,
            end,
            effect,
        }
    }
}

fn effect_word(effect: Effect) -> &'static str {
    match effect {
        Effect::Allow => "allow",
        Effect::Deny => "deny",
    }
}

/// The answer for `response` (to a request for `action`), its statements
/// located through `locator`.
pub fn answer<'a>(
    response: &Response<'a>,
    action: KmsAction,
    locator: &mut Locator<'a>,
) -> AnswerOut {
    let e = response.explanation();
    let mut reasons = Vec::new();
    match response.decision() {
        Decision::ExplicitDeny => {
            for s in e.deciding() {
                reasons.push(locator.statement(
                    "statement",
                    format!("denied by {s}"),
                    &s,
                    Some("deny"),
                ));
            }
        }
        Decision::Allow => {
            for s in e.deciding() {
                let effect = Some(effect_word(s.effect()));
                reasons.push(locator.statement("statement", format!("allowed by {s}"), &s, effect));
            }
            if let Some(g) = e.grant() {
                let mut r = ReasonOut::note("grant", format!("allowed by {g}"));
                r.effect = Some("allow");
                reasons.push(r);
            }
        }
        Decision::ImplicitDeny => {}
    }
    let delegation = e.delegation();
    // For an implicit deny the delegation is half of the story (IAM did not
    // allow); for an allow through IAM it is already a deciding statement.
    if let (Some(d), Decision::ImplicitDeny) = (&delegation, response.decision()) {
        let message = format!(
            "the key policy delegates `{}` to IAM policies through statement `{}`",
            action.qualified_name(),
            d.name()
        );
        reasons.push(locator.statement("delegation", message, d, None));
    }
    if let Some(err) = response.error() {
        reasons.push(ReasonOut::note(
            "error",
            format!("but the call fails: {err}"),
        ));
    }
    for gap in e.missing() {
        reasons.push(ReasonOut::note("missing", gap.to_string()));
    }
    if response.decision() == Decision::ImplicitDeny && reasons.is_empty() {
        reasons.push(ReasonOut::note(
            "missing",
            "nothing allows the request".to_string(),
        ));
    }
    for s in e.unevaluable() {
        let message = format!("{s} could not be evaluated");
        reasons.push(locator.statement("unevaluable", message, &s, None));
    }
    AnswerOut {
        decision: response.decision().as_str(),
        error: response.error().map(|err| err.kind().as_str()),
        delegated: (response.decision() != Decision::ExplicitDeny).then_some(delegation.is_some()),
        reasons,
    }
}
