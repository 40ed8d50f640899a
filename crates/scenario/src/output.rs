//! Machine-readable results (the JSON shape of `keyward scenario run
//! --format json`, a contract: extend it, never rename).

use keyward_eval::Response;
use serde_json::{json, Value};

use crate::run::CheckResult;

/// The deciding statements of a response as JSON objects.
pub(crate) fn statements_json(r: &Response<'_>) -> Value {
    let e = r.explanation();
    Value::Array(
        e.deciding()
            .map(|s| {
                let at = s
                    .source()
                    .map(|src| (src.name().to_string(), src.start_of(s.span())));
                json!({
                    "source": s.kind().code(),
                    "policy": s.policy_name(),
                    "sid": s.sid(),
                    "index": s.index(),
                    "effect": s.effect().as_str(),
                    "file": at.as_ref().map(|(n, _)| n.clone()),
                    "line": at.as_ref().map(|(_, lc)| lc.line),
                    "column": at.as_ref().map(|(_, lc)| lc.column),
                })
            })
            .collect(),
    )
}

/// `{"decision", "error", "reasons", …}` for one response.
pub fn actual_json(r: &Response<'_>) -> Value {
    let e = r.explanation();
    json!({
        "decision": r.decision().as_str(),
        "error": r.error().map(|e| e.kind().as_str()),
        "errorMessage": r.error().map(|e| e.message()),
        "reasons": e.reasons(),
        "statements": statements_json(r),
        "grant": e.grant().map(|g| g.label()),
        "path": e.path().map(|p| p.as_str()),
        "delegatedBy": e.delegation().map(|d| d.name()),
    })
}

/// One check's result.
pub fn check_json(result: &CheckResult<'_>) -> Value {
    let c = result.check;
    json!({
        "principal": c.principal,
        "action": c.action.qualified_name(),
        "key": c.key,
        "expected": {
            "decision": c.expected.decision.as_str(),
            "error": c.expected.error.map(|k| k.as_str()),
        },
        "actual": actual_json(&result.response),
        "pass": result.pass,
    })
}

/// `{"results": […], "passed": N, "failed": M}`.
pub fn results_json(results: &[CheckResult<'_>]) -> Value {
    let passed = results.iter().filter(|r| r.pass).count();
    json!({
        "results": results.iter().map(check_json).collect::<Vec<_>>(),
        "passed": passed,
        "failed": results.len() - passed,
    })
}
