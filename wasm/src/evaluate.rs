//! `evaluate`: one request against the workspace's scenario.

use std::collections::BTreeMap;

use keyward_eval::answer::{Answer, AnsweredRequest};
use keyward_eval::{closest_action, Caller, ContextValue, KmsAction, PrincipalConfig};
use keyward_policy::Locator;
use serde::Deserialize;

use crate::guard::ApiError;
use crate::scenario::load;
use crate::workspace::Workspace;

/// What `evaluate` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EvaluateInput {
    /// The scenario and its files.
    pub workspace: Workspace,
    /// The request.
    pub request: RequestIn,
}

/// A request as the page's form gives it.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Request"))]
#[serde(rename_all = "camelCase")]
pub struct RequestIn {
    /// A principal's scenario name or ARN, or any IAM ARN (an outsider,
    /// with no identity policies of its own).
    pub principal: String,
    /// `kms:Decrypt`, …
    pub action: String,
    /// A key's scenario name, ARN or alias.
    pub key: String,
    /// The Region of the call; the scenario's when absent.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub region: Option<String>,
    /// The encryption context.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<BTreeMap<String, String>>", optional))]
    pub encryption_context: BTreeMap<String, String>,
    /// Further context keys (`kms:ViaService`, `aws:SourceVpc`, …).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<BTreeMap<String, OneOrMany>>", optional))]
    pub context: BTreeMap<String, OneOrMany>,
}

/// A context value: one string or several.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// A multivalued key.
    Many(Vec<String>),
}

/// The workspace's scenario, or a `bad-input` error naming its first error.
/// (Inlined: the engine module stays as small as before it was shared.)
#[inline]
pub fn loaded(ws: &Workspace) -> Result<keyward_scenario::Scenario, ApiError> {
    load(ws)?.map_err(|files| {
        let first = files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
            .find(|(_, d)| d.severity == keyward_policy::Severity::Error);
        let at = first.map_or(String::new(), |(f, d)| match d.start {
            Some(at) => format!(" (first: {}:{}: {})", f.file, at.line, d.message),
            None => format!(" (first: {}: {})", f.file, d.message),
        });
        ApiError::bad_input(format!("the scenario has errors{at}"))
    })
}

/// Decide `input.request`.
pub fn evaluate(input: &EvaluateInput) -> Result<AnsweredRequest, ApiError> {
    let mut scenario = loaded(&input.workspace)?;
    let r = &input.request;
    let mut notes = Vec::new();
    let asked = r.principal.trim();
    let principal = match scenario.authorizer.principal(asked) {
        Some(p) => p,
        None => {
            let caller = Caller::from_arn(asked).map_err(|_| {
                ApiError::bad_input(format!(
                    "no principal `{asked}` in this scenario (name one, or give any principal by its IAM ARN)"
                ))
            })?;
            notes.push(format!(
                "`{asked}` is not a principal of the scenario: it is asked about with no identity policies of its own"
            ));
            scenario
                .authorizer
                .add_principal(PrincipalConfig::new(asked, caller))
        }
    };
    let auth = &scenario.authorizer;
    let action = KmsAction::parse(r.action.trim()).ok_or_else(|| {
        let hint = closest_action(&r.action)
            .map(|a| format!(": did you mean `{a}`?"))
            .unwrap_or_default();
        ApiError::bad_input(format!("`{}` is not a KMS action{hint}", r.action))
    })?;
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
    let response = auth.decide(&request);
    Ok(AnsweredRequest {
        principal: asked.to_string(),
        action: action.qualified_name().to_string(),
        key: r.key.trim().to_string(),
        notes,
        answer: Answer::new(&response, &mut Locator::new()),
    })
}
