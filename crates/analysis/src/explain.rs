//! What a check says about one decision, taken from the evaluator's
//! explanation. Everything this crate reads from `Response::explanation()`
//! goes through this file, so a change of the explanation API touches
//! only it.

use keyward_eval::answer::Answer;
use keyward_eval::{Decision, Response};
use keyward_policy::{Locator, Span};

/// A statement, located in the file it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLoc {
    /// The policy's name.
    pub policy: String,
    /// The file (the policy's source name).
    pub file: String,
    /// The statement's Sid, or `#index`.
    pub statement: String,
    /// The statement's span in the file.
    pub span: Span,
    /// 1-based line of the statement's start.
    pub line: u32,
    /// 1-based column of the statement's start.
    pub column: u32,
}

/// True when the request is allowed (a KMS error such as the key being in
/// another Region does not count against it: that is not policy).
pub fn allowed(r: &Response<'_>) -> bool {
    r.decision() == Decision::Allow
}

/// Why the evaluator decided as it did, one sentence per reason.
pub fn reasons(r: &Response<'_>) -> Vec<String> {
    r.explanation()
        .reasons()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The answer in keyward's one answer format (what `keyward query
/// --format json` prints as `answer`).
pub fn answer(r: &Response<'_>) -> Answer {
    Answer::new(r, &mut Locator::new())
}

/// The statement of the policy named `policy` that allowed the request.
pub fn allowing_statement(r: &Response<'_>, policy: &str) -> Option<StatementLoc> {
    if r.decision() != Decision::Allow {
        return None;
    }
    let e = r.explanation();
    let candidates = e.deciding().chain(e.delegation());
    for s in candidates {
        if s.policy_name() != policy {
            continue;
        }
        let source = s.source();
        let at = source.start_of(s.span());
        return Some(StatementLoc {
            policy: s.policy_name().to_string(),
            file: source.name().to_string(),
            statement: s.name(),
            span: s.span(),
            line: at.line,
            column: at.column,
        });
    }
    None
}
