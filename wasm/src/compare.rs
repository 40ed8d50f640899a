//! `compare`: one policy before and after a change — the access gained and
//! the access lost, each change with a witness request and why each
//! version decides it as it does. The changes are `keyward diff --format
//! json`'s (`keyward_analysis::json`), decided over every request.

use keyward_analysis::checks::CheckOptions;
use keyward_analysis::diff::diff;
use keyward_analysis::json::{ChangeKind, DiffJson, VerdictJson};
use keyward_analysis::world::Kind;
use keyward_eval::{key_policy_refusals, PolicyDoc};
use keyward_policy::model::Policy;
use keyward_policy::{parse_policy_with, DiagnosticJson, Locator, ParseOptions, Source};
use serde::{Deserialize, Serialize};

use crate::guard::ApiError;

/// What `compare` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CompareInput {
    /// The policy before the change; blank for a policy that did not exist
    /// (it allows nothing).
    pub before: String,
    /// The policy after the change.
    pub after: String,
    /// The file the policy is (`policy.json` when absent): the after's
    /// explanations point into it, the before's into `NAME (before)`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub name: Option<String>,
    /// `key` or `identity`; detected from the policies when absent (a
    /// statement with `Principal` makes a key policy).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub kind: Option<String>,
    /// The ARN of the key the key policy is for: witnesses name it. Without
    /// it every account the key could be in is considered.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub key: Option<String>,
}

/// What `compare` answers.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CompareReport {
    /// `no-new-access`'s verdict: `fail` when anything is gained, `unknown`
    /// when the comparison could not be completed (or a policy does not
    /// parse), else `pass`.
    pub result: VerdictJson,
    /// The kind compared: `key` or `identity`.
    pub kind: String,
    /// The name the before's explanations use (`NAME (before)`).
    #[serde(rename = "beforeName")]
    pub before_name: String,
    /// The before's errors and warnings (it is not compared while it has
    /// errors), then, for a key policy, why KMS would refuse it.
    pub before: Vec<DiagnosticJson>,
    /// The after's errors and warnings.
    pub after: Vec<DiagnosticJson>,
    /// The changes, gains first; `null` while a version has errors (a key
    /// policy KMS refuses included).
    pub diff: Option<DiffJson>,
}

/// One version, parsed.
struct Version {
    policy: Option<Policy>,
    diagnostics: Vec<DiagnosticJson>,
}

/// A policy that allows nothing, of each kind: the before of a policy that
/// did not exist (a key policy's statements must name a principal, or KMS
/// refuses it; an identity policy's must not).
const NOTHING_KEY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "*", "Resource": "*"}]}"#;
const NOTHING_IDENTITY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "*", "Resource": "*"}]}"#;

fn read(name: &str, text: &str) -> Version {
    let parse = parse_policy_with(text, &ParseOptions::default());
    let source = Source::new(name, text);
    let mut locator = Locator::new();
    Version {
        diagnostics: parse
            .diagnostics
            .iter()
            .map(|d| locator.diagnostic(&source, d))
            .collect(),
        policy: parse.policy,
    }
}

/// Compare `input.before` with `input.after`.
pub fn compare(input: &CompareInput) -> Result<CompareReport, ApiError> {
    let name = input
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("policy.json");
    let before_name = format!("{name} (before)");
    let forced = match input.kind.as_deref().map(str::trim) {
        None => None,
        Some("key") => Some(Kind::KeyPolicy),
        Some("identity") => Some(Kind::Identity),
        Some(k) => {
            return Err(ApiError::bad_input(format!(
                "`{k}` is not a policy kind: use `key` or `identity`"
            )))
        }
    };
    let blank = input.before.trim().is_empty();
    let mut before = read(&before_name, &input.before);
    let mut after = read(name, &input.after);
    // As `keyward lint` detects it: a statement with `Principal` makes a key policy.
    let kind = forced.unwrap_or_else(|| {
        let key_policy = [&after.policy, &before.policy]
            .into_iter()
            .flatten()
            .flat_map(|p| &p.statements)
            .any(|s| s.principal.is_some());
        if key_policy {
            Kind::KeyPolicy
        } else {
            Kind::Identity
        }
    });
    let before_text = match (blank, kind) {
        (false, _) => input.before.as_str(),
        (true, Kind::KeyPolicy) => NOTHING_KEY,
        (true, Kind::Identity) => NOTHING_IDENTITY,
    };
    if blank {
        before = read(&before_name, before_text);
    }
    let diff = match (before.policy.take(), after.policy.take()) {
        (Some(b), Some(a)) => {
            let mut options = CheckOptions::default();
            options.space.key_arn = input
                .key
                .as_deref()
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string);
            let b = PolicyDoc::new(
                &before_name,
                Source::new(before_name.as_str(), before_text),
                b,
            );
            let a = PolicyDoc::new(name, Source::new(name, input.after.as_str()), a);
            // A key policy KMS refuses is no version a key can have: say
            // where it is refused instead of comparing.
            let refused = kind == Kind::KeyPolicy
                && [(&b, &mut before), (&a, &mut after)]
                    .into_iter()
                    .map(|(doc, version)| {
                        let mut locator = Locator::new();
                        let found = key_policy_refusals(doc);
                        version
                            .diagnostics
                            .extend(found.iter().map(|d| locator.diagnostic(&doc.source, d)));
                        !found.is_empty()
                    })
                    .fold(false, |any, r| any | r);
            (!refused).then(|| DiffJson::from(&diff(&b, &a, kind, &options)))
        }
        _ => None,
    };
    let result = match &diff {
        Some(d) if d.changes.iter().any(|c| c.change == ChangeKind::Gained) => VerdictJson::Fail,
        Some(d) if d.unknown.is_none() => VerdictJson::Pass,
        _ => VerdictJson::Unknown,
    };
    Ok(CompareReport {
        result,
        kind: kind.as_str().to_string(),
        before_name,
        before: before.diagnostics,
        after: after.diagnostics,
        diff,
    })
}
