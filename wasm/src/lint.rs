//! `lint`: one policy's parse diagnostics and lint findings.

use keyward_lint::{lint_source, LintOptions, PolicyKind};
use keyward_policy::Source;
use serde::{Deserialize, Serialize};

use crate::diagnostics::DiagnosticOut;
use crate::guard::ApiError;
use crate::positions::TextIndex;

/// What `lint` takes.
#[derive(Debug, Deserialize)]
pub struct LintInput {
    /// The policy text (or a CloudFormation template, or a Terraform plan).
    pub text: String,
    /// `key` or `identity`; detected when absent.
    #[serde(default)]
    pub kind: Option<String>,
    /// The file's name, shown in messages.
    #[serde(default)]
    pub name: Option<String>,
    /// The accounts that own the keys: access for others is reported.
    #[serde(default)]
    pub accounts: Vec<String>,
}

/// What `lint` answers.
#[derive(Debug, Serialize)]
pub struct LintReport {
    /// Parse diagnostics and findings, in source order.
    pub diagnostics: Vec<DiagnosticOut>,
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
    let mut found = lint_source(&source, &options);
    found.sort_by_key(|d| d.span().start);
    let index = TextIndex::new(&input.text);
    Ok(LintReport {
        diagnostics: found
            .iter()
            .map(|d| DiagnosticOut::new(d, &index))
            .collect(),
    })
}
