//! Properties every scenario text must keep, whatever it is: checked by the
//! `scenario` fuzz target and, on its committed seeds, by
//! `tests/tests/adversarial_fuzz_corpus.rs`. Scenario fields are an input
//! path of their own (keys with `keyManager`/`service`, `vpcEndpoints`,
//! context values, expected errors), so they are fuzzed as such.
//!
//! A scenario that loads is run and its matrix built; every answer renders
//! as JSON and as reasons, and only a key reference that found no key is a
//! deny with a KMS error. A scenario that does not load reports problems
//! whose spans lie inside the text they point into.

use keyward_eval::answer::Answer;
use keyward_eval::{Decision, KmsAction};
use keyward_policy::{Locator, Source};
use keyward_scenario::{load, matrix, run, MemoryLoader};

use crate::invariants::diagnostics_inside;

/// A policy file the scenario may name as `{"file": "p.json"}`.
const POLICY_FILE: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}"#;

/// Load, run and explain `text` as a scenario.
pub fn check_scenario_text(text: &str) -> Result<(), String> {
    let loader = MemoryLoader::new().with("s/p.json", POLICY_FILE);
    let scenario = match load(Source::new("s/scenario.json", text), &loader) {
        Ok(s) => s,
        Err(problems) => {
            if problems.is_empty() {
                return Err("a scenario refused with no problem".into());
            }
            for p in &problems {
                if !p.diagnostic.is_error() {
                    return Err(format!("a refusal that is no error: {:?}", p.diagnostic));
                }
                diagnostics_inside(p.source.text(), std::slice::from_ref(&p.diagnostic))?;
            }
            return Ok(());
        }
    };
    let mut locator = Locator::new();
    for result in run(&scenario) {
        let r = &result.response;
        let not_found = result.check.request.not_found().is_some();
        if r.decision() != Decision::Allow && r.error().is_some() != not_found {
            return Err(format!(
                "{:?} with error {:?} for {:?}",
                r.decision(),
                r.error(),
                result.check.request
            ));
        }
        let answer = Answer::new(r, &mut locator);
        if answer
            .reasons
            .iter()
            .any(|reason| reason.message.is_empty())
        {
            return Err(format!("an empty reason in {answer:?}"));
        }
        serde_json::to_string(&answer).map_err(|e| e.to_string())?;
    }
    let cells = matrix(&scenario, &[KmsAction::Decrypt, KmsAction::CreateGrant]);
    serde_json::to_string(&keyward_scenario::MatrixJson::new(&cells)).map_err(|e| e.to_string())?;
    Ok(())
}
