//! `runScenario` and `benchmark`: load a workspace's scenario, decide its
//! matrix and check its expectations.

use std::collections::BTreeMap;

use keyward_eval::answer::{Answer, AnsweredRequest};
use keyward_eval::{KeyId, KmsAction, PrincipalId, Request};
use keyward_policy::{DiagnosticJson, Locator, Position};
use keyward_scenario::{ExpectedDecision, Problem, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::guard::ApiError;
use crate::workspace::Workspace;

/// The actions a matrix shows when neither the caller nor the scenario's
/// expectations name any.
const DEFAULT_ACTIONS: [KmsAction; 2] = [KmsAction::Encrypt, KmsAction::Decrypt];

/// The most rounds `benchmark` runs, so that a typo cannot hang the page.
const MAX_ROUNDS: u32 = 100_000;

/// What `runScenario` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ScenarioInput {
    /// The scenario and its files.
    pub workspace: Workspace,
    /// The matrix's actions; the actions of the expectations when absent.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub actions: Option<Vec<String>>,
}

/// The diagnostics of one file.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FileDiagnostics {
    /// The workspace path (or the scenario's name for inline policies).
    pub file: String,
    /// Its diagnostics, in the order found.
    pub diagnostics: Vec<DiagnosticJson>,
}

/// What `runScenario` answers.
#[derive(Debug, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ScenarioReport {
    /// Problems of the scenario and its policies; when any is an error,
    /// the rest of the report is empty.
    pub diagnostics: Vec<FileDiagnostics>,
    /// Principal names, in scenario order.
    pub principals: Vec<String>,
    /// Key names, in scenario order.
    pub keys: Vec<String>,
    /// The matrix's actions.
    pub actions: Vec<&'static str>,
    /// Asked-for actions that are not KMS actions.
    pub unknown_actions: Vec<String>,
    /// One cell per principal × key × action.
    pub cells: Vec<AnsweredRequest>,
    /// Every expectation, checked.
    pub expectations: Vec<ExpectationOut>,
    /// How many expectations hold.
    pub passed: usize,
    /// How many do not.
    pub failed: usize,
}

/// One checked expectation.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExpectationOut {
    /// Position among the scenario's checked expectations.
    pub index: usize,
    /// Principal name.
    pub principal: String,
    /// `kms:…`.
    pub action: &'static str,
    /// Key name.
    pub key: String,
    /// `region`, when the expectation gives one.
    pub region: Option<String>,
    /// `context`, as written (values as strings).
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub context: BTreeMap<String, Value>,
    /// `encryptionContext`, as written.
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub encryption_context: BTreeMap<String, Value>,
    /// True when the request is a matrix cell: the scenario's Region, no
    /// context, no alias, no grant.
    pub plain: bool,
    /// `allow`, `deny`, `explicit-deny` or `implicit-deny`.
    pub expected: ExpectedDecision,
    /// The expected KMS error, if any.
    pub expected_error: Option<keyward_eval::KmsErrorKind>,
    /// What keyward answers.
    pub actual: Answer,
    /// Whether it is the expected answer.
    pub pass: bool,
    /// Where the `expect` entry starts in the scenario file.
    pub start: Position,
    /// Where it ends.
    pub end: Position,
}

/// What `benchmark` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BenchmarkInput {
    /// The scenario and its files.
    pub workspace: Workspace,
    /// The matrix's actions, as for `runScenario`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub actions: Option<Vec<String>>,
    /// How many times to decide the whole matrix.
    pub rounds: u32,
}

/// What `benchmark` answers.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BenchmarkReport {
    /// Requests in one round (the matrix cells).
    pub requests: usize,
    /// Decisions made: requests × rounds (rounds are capped at 100 000).
    #[cfg_attr(test, ts(type = "number"))]
    pub decisions: u64,
}

/// Load the workspace's scenario: `Ok(Err(…))` holds its problems by file.
pub fn load(ws: &Workspace) -> Result<Result<Scenario, Vec<FileDiagnostics>>, ApiError> {
    let Some(text) = ws.scenario_text() else {
        return Err(ApiError::bad_input(format!(
            "the workspace has no file `{}`",
            ws.scenario
        )));
    };
    let source = keyward_policy::Source::new(ws.scenario.as_str(), text);
    Ok(keyward_scenario::load(source, ws).map_err(|p| by_file(&p)))
}

/// Problems grouped by file, files in the order first met.
pub fn by_file(problems: &[Problem]) -> Vec<FileDiagnostics> {
    let mut locator = Locator::new();
    let mut out: Vec<FileDiagnostics> = Vec::new();
    for p in problems {
        let d = locator.diagnostic(&p.source, &p.diagnostic);
        match out.iter_mut().find(|f| f.file == d.file) {
            Some(f) => f.diagnostics.push(d),
            None => out.push(FileDiagnostics {
                file: d.file.clone(),
                diagnostics: vec![d],
            }),
        }
    }
    out
}

/// The actions asked for (unknown names returned apart), or the actions of
/// the scenario's expectations, or Encrypt and Decrypt.
fn matrix_actions(scenario: &Scenario, asked: Option<&[String]>) -> (Vec<KmsAction>, Vec<String>) {
    let mut actions = Vec::new();
    let mut unknown = Vec::new();
    match asked {
        Some(names) if !names.is_empty() => {
            for name in names {
                match KmsAction::parse(name.trim()) {
                    Some(a) if !actions.contains(&a) => actions.push(a),
                    Some(_) => {}
                    None => unknown.push(name.clone()),
                }
            }
        }
        _ => {
            for check in &scenario.checks {
                if !actions.contains(&check.action) {
                    actions.push(check.action);
                }
            }
        }
    }
    if actions.is_empty() && unknown.is_empty() {
        actions.extend(DEFAULT_ACTIONS);
    }
    (actions, unknown)
}

/// Every matrix request: principal × key × action, in the scenario's Region.
fn matrix_requests(
    scenario: &Scenario,
    actions: &[KmsAction],
) -> Vec<(PrincipalId, KeyId, KmsAction, Request)> {
    let auth = &scenario.authorizer;
    let mut out = Vec::new();
    for p in auth.principals() {
        for k in auth.keys() {
            for &a in actions {
                let Ok(mut request) = Request::new(p, a, k) else {
                    continue;
                };
                if let Some(region) = &scenario.region {
                    request = request.in_region(region);
                }
                out.push((p, k, a, request));
            }
        }
    }
    out
}

/// The fields of an `expect` entry that make it more than a matrix cell.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExpectDetails {
    region: Option<String>,
    #[serde(default)]
    context: BTreeMap<String, Value>,
    #[serde(default)]
    encryption_context: BTreeMap<String, Value>,
    grant: Option<Value>,
    new_grant: Option<Value>,
}

/// Decide the matrix and check every expectation.
pub fn run(input: &ScenarioInput) -> Result<ScenarioReport, ApiError> {
    let scenario = match load(&input.workspace)? {
        Ok(s) => s,
        Err(diagnostics) => {
            return Ok(ScenarioReport {
                diagnostics,
                ..ScenarioReport::default()
            })
        }
    };
    let auth = &scenario.authorizer;
    let (actions, unknown_actions) = matrix_actions(&scenario, input.actions.as_deref());
    let requests = matrix_requests(&scenario, &actions);
    let mut locator = Locator::new();
    let cells = requests
        .iter()
        .map(|(p, k, a, request)| AnsweredRequest {
            principal: auth.principal_name(*p).to_string(),
            action: a.qualified_name().to_string(),
            key: auth.key_name(*k).to_string(),
            notes: Vec::new(),
            answer: Answer::new(&auth.decide(request), &mut locator),
        })
        .collect();
    let mut expectations = Vec::with_capacity(scenario.checks.len());
    for (index, result) in keyward_scenario::run(&scenario).iter().enumerate() {
        let check = result.check;
        let details: ExpectDetails =
            serde_json::from_str(scenario.source.slice(check.span)).unwrap_or_default();
        let key_name = check
            .request
            .key()
            .map_or(check.key.as_str(), |k| auth.key_name(k));
        let by_alias = check
            .request
            .key()
            .is_none_or(|k| check.key != auth.key_name(k) && check.key != auth.key_arn(k));
        let plain = details
            .region
            .as_ref()
            .is_none_or(|r| Some(r) == scenario.region.as_ref())
            && details.context.is_empty()
            && details.encryption_context.is_empty()
            && details.grant.is_none()
            && details.new_grant.is_none()
            && !by_alias;
        expectations.push(ExpectationOut {
            index,
            principal: auth.principal_name(check.request.principal()).to_string(),
            action: check.action.qualified_name(),
            key: key_name.to_string(),
            region: details.region,
            context: details.context,
            encryption_context: details.encryption_context,
            plain,
            expected: check.expected.decision,
            expected_error: check.expected.error,
            actual: Answer::new(&result.response, &mut locator),
            pass: result.pass,
            start: locator.position(&scenario.source, check.span.start),
            end: locator.position(&scenario.source, check.span.end),
        });
    }
    let passed = expectations.iter().filter(|e| e.pass).count();
    Ok(ScenarioReport {
        diagnostics: by_file(&scenario.warnings),
        principals: auth
            .principals()
            .map(|p| auth.principal_name(p).to_string())
            .collect(),
        keys: auth.keys().map(|k| auth.key_name(k).to_string()).collect(),
        actions: actions.iter().map(|a| a.qualified_name()).collect(),
        unknown_actions,
        cells,
        failed: expectations.len() - passed,
        passed,
        expectations,
    })
}

/// Decide the matrix `rounds` times on one compiled scenario.
pub fn benchmark(input: &BenchmarkInput) -> Result<BenchmarkReport, ApiError> {
    let scenario = load(&input.workspace)?.map_err(|_| {
        ApiError::bad_input("the scenario has errors; fix them before benchmarking")
    })?;
    let (actions, _) = matrix_actions(&scenario, input.actions.as_deref());
    let requests: Vec<Request> = matrix_requests(&scenario, &actions)
        .into_iter()
        .map(|(_, _, _, r)| r)
        .collect();
    let rounds = input.rounds.min(MAX_ROUNDS);
    let mut decisions = 0u64;
    for _ in 0..rounds {
        for request in &requests {
            let response = scenario.authorizer.decide(std::hint::black_box(request));
            std::hint::black_box(response.decision());
            decisions += 1;
        }
    }
    Ok(BenchmarkReport {
        requests: requests.len(),
        decisions,
    })
}
