//! Errors found while building an authorizer or a request.

use std::fmt;

/// A problem with the input to the evaluator (not a denial): an ARN that
/// does not parse, an unknown action, a grant operation that does not exist.
///
/// It has no span: the scenario layer, which knows where the value came
/// from, turns it into a [`keyward_policy::Diagnostic`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// Stable code, e.g. `eval::caller-arn`.
    pub code: &'static str,
    /// What is wrong (lowercase, no trailing period, input in backticks).
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl EvalError {
    /// An error with `code` and `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> EvalError {
        EvalError {
            code,
            message: message.into(),
            help: None,
        }
    }

    /// Add the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> EvalError {
        self.help = Some(help.into());
        self
    }

    /// As a diagnostic marking `span`.
    pub fn to_diagnostic(&self, span: keyward_policy::Span) -> keyward_policy::Diagnostic {
        let d = keyward_policy::Diagnostic::error(self.code, self.message.clone(), span);
        match &self.help {
            Some(help) => d.with_help(help.clone()),
            None => d,
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}
