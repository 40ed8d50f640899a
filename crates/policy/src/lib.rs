//! # keyward-policy
//!
//! The policy language of AWS IAM and KMS key policies: a JSON parser that
//! keeps the span of every value, a typed model lowered from it, and the
//! matching primitives (wildcards, actions, ARNs) the evaluator and linter use.

pub mod diagnostic;
pub mod diagnostic_json;
pub mod json;
pub mod matching;
pub mod model;
pub mod source;
pub mod span;
mod text;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use diagnostic_json::{DiagnosticJson, LabelJson, Location, Locator, Position};
pub use json::ParseOptions;
pub use model::Policy;
pub use source::{LineCol, Source};
pub use span::{Span, Spanned};

/// The result of reading a policy: the model when it is valid, and every
/// diagnostic found (warnings may accompany a valid policy).
#[derive(Clone, Debug, Default)]
pub struct PolicyParse {
    /// The policy, present only when no error was found.
    pub policy: Option<Policy>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and lower policy text with explicit limits.
///
/// A valid policy is read straight from the tokens, without building the
/// generic JSON tree; anything else is read by [`parse_policy_via_tree`],
/// which reports every mistake. The result is the same either way.
pub fn parse_policy_with(text: &str, options: &ParseOptions) -> PolicyParse {
    model::parse_valid(text, options).unwrap_or_else(|| parse_policy_via_tree(text, options))
}

/// [`parse_policy_with`] by the general route: the spanned JSON tree
/// ([`json::parse`]), then [`model::lower`]. It gives the same result, more
/// slowly; it is public so that differential tests and fuzzers can hold the
/// two routes to the same answers.
pub fn parse_policy_via_tree(text: &str, options: &ParseOptions) -> PolicyParse {
    let parsed = json::parse(text, options);
    let mut diagnostics = parsed.diagnostics;
    let Some(value) = parsed.value else {
        return PolicyParse {
            policy: None,
            diagnostics,
        };
    };
    let (policy, lowered) = model::lower(value);
    diagnostics.extend(lowered);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    PolicyParse {
        policy: if failed { None } else { policy },
        diagnostics,
    }
}

/// Parse and lower policy text with default limits; `Err` holds every
/// diagnostic when the policy is invalid.
pub fn parse_policy(text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let parse = parse_policy_with(text, &ParseOptions::default());
    match parse.policy {
        Some(policy) => Ok(policy),
        None => Err(parse.diagnostics),
    }
}
