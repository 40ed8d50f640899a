//! Machine-readable results: the JSON of `keyward scenario run --format
//! json` and `scenario matrix --format json`. Every answer in them is a
//! [`keyward_eval::answer::Answer`], every problem a
//! [`keyward_policy::DiagnosticJson`], as everywhere else.

use keyward_eval::answer::{Answer, AnsweredRequest};
use keyward_eval::KmsErrorKind;
use keyward_policy::{DiagnosticJson, Locator};
use serde::{Deserialize, Serialize};

use crate::matrix::Matrix;
use crate::model::{ExpectedDecision, Problem};
use crate::run::CheckResult;

/// What an expectation expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExpectedJson {
    /// `allow`, `deny`, `explicit-deny` or `implicit-deny`.
    pub decision: ExpectedDecision,
    /// The KMS error expected (`null`: none).
    pub error: Option<KmsErrorKind>,
}

/// One checked expectation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckJson {
    /// The scenario file.
    pub file: String,
    /// The principal as written.
    pub principal: String,
    /// `kms:…`.
    pub action: String,
    /// The key as written.
    pub key: String,
    /// What the expectation expects.
    pub expected: ExpectedJson,
    /// What keyward answers.
    pub actual: Answer,
    /// Whether it is the expected answer.
    pub pass: bool,
}

/// `keyward scenario run --format json`: every check of every file, and
/// the problems of the files that could not be loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunJson {
    /// Every check, file by file.
    pub results: Vec<CheckJson>,
    /// How many hold.
    pub passed: usize,
    /// How many do not.
    pub failed: usize,
    /// Problems of scenarios that could not be loaded.
    pub errors: Vec<DiagnosticJson>,
}

/// `keyward scenario matrix --format json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MatrixJson {
    /// Principal names, in scenario order.
    pub principals: Vec<String>,
    /// Key names, in scenario order.
    pub keys: Vec<String>,
    /// The actions asked about.
    pub actions: Vec<String>,
    /// One per principal × key × action.
    pub cells: Vec<AnsweredRequest>,
}

impl CheckJson {
    /// One check's result, its statements located through `locator`.
    pub fn new(result: &CheckResult<'_>, file: &str, locator: &mut Locator) -> CheckJson {
        let c = result.check;
        CheckJson {
            file: file.to_string(),
            principal: c.principal.clone(),
            action: c.action.qualified_name().to_string(),
            key: c.key.clone(),
            expected: ExpectedJson {
                decision: c.expected.decision,
                error: c.expected.error,
            },
            actual: Answer::new(&result.response, locator),
            pass: result.pass,
        }
    }
}

impl RunJson {
    /// Add the results of one scenario file.
    pub fn add(&mut self, file: &str, results: &[CheckResult<'_>]) {
        let mut locator = Locator::new();
        for r in results {
            self.results.push(CheckJson::new(r, file, &mut locator));
            if r.pass {
                self.passed += 1;
            } else {
                self.failed += 1;
            }
        }
    }

    /// Add the problems of a scenario that could not be loaded.
    pub fn add_problems(&mut self, problems: &[Problem]) {
        self.errors.extend(problems_json(problems));
    }
}

/// Problems as JSON diagnostics.
pub fn problems_json(problems: &[Problem]) -> Vec<DiagnosticJson> {
    let mut locator = Locator::new();
    problems
        .iter()
        .map(|p| locator.diagnostic(&p.source, &p.diagnostic))
        .collect()
}

impl MatrixJson {
    /// The matrix's cells, principal by principal, key by key, action by action.
    pub fn new(m: &Matrix) -> MatrixJson {
        let mut cells = Vec::new();
        for (p, row) in m.cells.iter().enumerate() {
            for (k, per_action) in row.iter().enumerate() {
                for c in per_action {
                    cells.push(AnsweredRequest {
                        principal: m.principals[p].clone(),
                        action: c.action.qualified_name().to_string(),
                        key: m.keys[k].clone(),
                        notes: Vec::new(),
                        answer: c.answer.clone(),
                    });
                }
            }
        }
        MatrixJson {
            principals: m.principals.clone(),
            keys: m.keys.clone(),
            actions: m
                .actions
                .iter()
                .map(|a| a.qualified_name().to_string())
                .collect(),
            cells,
        }
    }
}
