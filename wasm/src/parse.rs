//! `parse`: read one policy and report every diagnostic, located.

use keyward_policy::{parse_policy_with, ParseOptions};
use serde::Serialize;

use crate::diagnostics::DiagnosticOut;
use crate::positions::TextIndex;

/// What `parse` answers.
#[derive(Debug, Serialize)]
pub struct ParseReport {
    /// True when the policy has no error (warnings allowed).
    pub valid: bool,
    /// Every error and warning, in source order.
    pub diagnostics: Vec<DiagnosticOut>,
}

/// Parse `text` as a policy document.
pub fn parse_report(text: &str) -> ParseReport {
    let parse = parse_policy_with(text, &ParseOptions::default());
    let index = TextIndex::new(text);
    ParseReport {
        valid: parse.policy.is_some(),
        diagnostics: parse
            .diagnostics
            .iter()
            .map(|d| DiagnosticOut::new(d, &index))
            .collect(),
    }
}
