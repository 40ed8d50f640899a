//! Checking a scenario's expectations.

use keyward_eval::Response;

use crate::model::{Check, Scenario};

/// The outcome of one check.
#[derive(Debug)]
pub struct CheckResult<'a> {
    /// The check.
    pub check: &'a Check,
    /// What the evaluator answered.
    pub response: Response<'a>,
    /// Whether the answer is the expected one (decision and error).
    pub pass: bool,
}

/// Decide every check of the scenario, in file order.
pub fn run(scenario: &Scenario) -> Vec<CheckResult<'_>> {
    scenario
        .checks
        .iter()
        .map(|check| {
            let response = scenario.authorizer.decide(&check.request);
            let pass = check.expected.decision.accepts(response.decision())
                && check.expected.error == response.error().map(|e| e.kind());
            CheckResult {
                check,
                response,
                pass,
            }
        })
        .collect()
}
