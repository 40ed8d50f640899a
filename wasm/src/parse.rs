//! `parse`: read one policy and report every diagnostic, located.

use keyward_policy::{parse_policy_with, DiagnosticJson, Locator, ParseOptions, Source};
use serde::Serialize;

/// What `parse` answers.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ParseReport {
    /// True when the policy has no error (warnings allowed).
    pub valid: bool,
    /// Every error and warning, in source order (`file` is `policy.json`).
    pub diagnostics: Vec<DiagnosticJson>,
}

/// Parse `text` as a policy document.
pub fn parse_report(text: &str) -> ParseReport {
    let parse = parse_policy_with(text, &ParseOptions::default());
    let source = Source::new("policy.json", text);
    let mut locator = Locator::new();
    ParseReport {
        valid: parse.policy.is_some(),
        diagnostics: parse
            .diagnostics
            .iter()
            .map(|d| locator.diagnostic(&source, d))
            .collect(),
    }
}
