//! `evaluate`: one request against the workspace's scenario.

use std::collections::BTreeMap;

use keyward_eval::{ContextValue, KmsAction};
use serde::Deserialize;

use crate::answer::{answer, AnswerOut, Locator};
use crate::guard::ApiError;
use crate::scenario::load;
use crate::workspace::Workspace;

/// What `evaluate` takes.
#[derive(Debug, Deserialize)]
pub struct EvaluateInput {
    /// The scenario and its files.
    pub workspace: Workspace,
    /// The request.
    pub request: RequestIn,
}

/// A request as the page's form gives it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestIn {
    /// A principal's scenario name or ARN.
    pub principal: String,
    /// `kms:Decrypt`, …
    pub action: String,
    /// A key's scenario name, ARN or alias.
    pub key: String,
    /// The Region of the call; the scenario's when absent.
    #[serde(default)]
    pub region: Option<String>,
    /// The encryption context.
    #[serde(default)]
    pub encryption_context: BTreeMap<String, String>,
    /// Further context keys.
    #[serde(default)]
    pub context: BTreeMap<String, OneOrMany>,
}

/// A context value: one string or several.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// A multivalued key.
    Many(Vec<String>),
}

/// Decide `input.request`.
pub fn evaluate(input: &EvaluateInput) -> Result<AnswerOut, ApiError> {
    let scenario = load(&input.workspace)?.map_err(|files| {
        let first = files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
            .find(|(_, d)| d.severity == "error");
        let at = first.map_or(String::new(), |(f, d)| {
            let line = d.labels.first().map_or(0, |l| l.start.line);
            format!(" (first: {}:{line}: {})", f.file, d.message)
        });
        ApiError::bad_input(format!("the scenario has errors{at}"))
    })?;
    let auth = &scenario.authorizer;
    let r = &input.request;
    let principal = auth.principal(r.principal.trim()).ok_or_else(|| {
        ApiError::bad_input(format!("no principal `{}` in this scenario", r.principal))
    })?;
    let action = KmsAction::parse(r.action.trim())
        .ok_or_else(|| ApiError::bad_input(format!("`{}` is not a KMS action", r.action)))?;
    // The key reference resolves as KMS resolves it: a name or key ARN, an
    // alias ARN in its own Region and account, a bare alias in the caller's
    // account and the request's Region (else NotFoundException).
    let region = r.region.as_deref().or(scenario.region.as_deref());
    let mut request = auth
        .request(principal, action, r.key.trim(), region)
        .map_err(|e| ApiError::bad_input(e.to_string()))?;
    for (k, v) in &r.encryption_context {
        request = request.with_encryption_context(k, v);
    }
    for (k, v) in &r.context {
        let value = match v {
            OneOrMany::One(s) => ContextValue::from(s.as_str()),
            OneOrMany::Many(list) => {
                ContextValue::from(list.iter().map(String::as_str).collect::<Vec<_>>())
            }
        };
        request = request
            .with_context(k, value)
            .map_err(|e| ApiError::bad_input(e.to_string()))?;
    }
    let mut locator = Locator::default();
    Ok(answer(&auth.decide(&request), action, &mut locator))
}
