//! `lint`: one policy's parse diagnostics and lint findings.

use keyward_lint::{lint_file, LintOptions, PolicyKind};
use keyward_policy::{DiagnosticJson, Locator, Source};
use serde::{Deserialize, Serialize};

use crate::guard::ApiError;

/// What `lint` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LintInput {
    /// The policy text (or a CloudFormation template, or a Terraform plan).
    pub text: String,
    /// `key` or `identity`; detected when absent.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub kind: Option<String>,
    /// The file's name, shown in messages.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub name: Option<String>,
    /// The accounts that own the keys: access for others is reported.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub accounts: Vec<String>,
}

/// What `lint` answers.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LintReport {
    /// Parse diagnostics and findings, in source order.
    pub diagnostics: Vec<DiagnosticJson>,
    /// The findings that suppressions in the text cover (a template
    /// resource's `Metadata`), in source order.
    pub suppressed: Vec<SuppressedJson>,
}

/// A finding a suppression covers: the diagnostic and the suppression's
/// reason (as in the `suppressed` list of `keyward lint --format json`).
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SuppressedJson {
    /// The finding.
    #[serde(flatten)]
    #[cfg_attr(test, ts(flatten))]
    pub diagnostic: DiagnosticJson,
    /// Why it is accepted.
    pub reason: String,
}

/// Lint one document with the default rule levels.
pub fn lint(input: &LintInput) -> Result<LintReport, ApiError> {
    let kind = match input.kind.as_deref() {
        None => None,
        Some(name) => Some(PolicyKind::parse(name).ok_or_else(|| {
            ApiError::bad_input(format!(
                "`{name}` is not a policy kind: use `key` or `identity`"
            ))
        })?),
    };
    let options = LintOptions {
        kind,
        accounts: input.accounts.clone(),
        ..LintOptions::default()
    };
    let source = Source::new(
        input.name.as_deref().unwrap_or("policy.json"),
        input.text.as_str(),
    );
    let mut linted = lint_file(&source, &options);
    linted.diagnostics.sort_by_key(|d| d.span().start);
    linted.suppressed.sort_by_key(|s| s.diagnostic.span().start);
    let mut locator = Locator::new();
    Ok(LintReport {
        diagnostics: linted
            .diagnostics
            .iter()
            .map(|d| locator.diagnostic(&source, d))
            .collect(),
        suppressed: linted
            .suppressed
            .iter()
            .map(|s| SuppressedJson {
                diagnostic: locator.diagnostic(&source, &s.diagnostic),
                reason: s.reason.clone(),
            })
            .collect(),
    })
}
