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

/// Decide every check of the scenario, in file order. A check passes when
/// the decision and the KMS error are the expected ones (see [`crate::load`]
/// for a scenario run end to end).
///
/// ```
/// # use keyward_policy::Source;
/// # use keyward_scenario::{load, run, MemoryLoader};
/// let scenario = r#"{"keys": {"K": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "state": "Disabled",
///     "policy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/ops"},
///                               "Action": "kms:*", "Resource": "*"}]}}},
///   "principals": {"ops": {"arn": "arn:aws:iam::111122223333:user/ops"}},
///   "expect": [
///     {"principal": "ops", "action": "kms:Decrypt", "key": "K", "decision": "allow", "error": "DisabledException"},
///     {"principal": "ops", "action": "kms:Decrypt", "key": "K", "decision": "allow"}
///   ]}"#;
/// let loaded = load(Source::new("disabled.json", scenario), &MemoryLoader::new()).unwrap();
/// let pass: Vec<bool> = run(&loaded).iter().map(|r| r.pass).collect();
/// assert_eq!(pass, [true, false]); // the key is disabled: no plain success
/// ```
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
