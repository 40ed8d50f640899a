//! `check` and `matrix`: exactly the JSON of `keyward scenario run --format
//! json` and `keyward scenario matrix --format json`, for a workspace (the
//! npm package's answers are the CLI's).

use keyward_eval::KmsAction;
use keyward_policy::Source;
use keyward_scenario::{matrix as decide_matrix, problems_json, MatrixJson, RunJson};
use serde::Deserialize;

use crate::guard::ApiError;
use crate::workspace::Workspace;

/// What `check` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CheckInput {
    /// The scenario and its files.
    pub workspace: Workspace,
}

/// What `matrix` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MatrixInput {
    /// The scenario and its files.
    pub workspace: Workspace,
    /// KMS actions that take a key, as `--actions` names them; `kms:Encrypt`
    /// and `kms:Decrypt` when absent.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub actions: Vec<String>,
}

fn scenario_source(ws: &Workspace) -> Result<Source, ApiError> {
    let text = ws.scenario_text().ok_or_else(|| {
        ApiError::bad_input(format!("the workspace has no file `{}`", ws.scenario))
    })?;
    Ok(Source::new(ws.scenario.as_str(), text))
}

/// Check every expectation of the scenario: a `RunJson`, its `errors` the
/// scenario's problems when it cannot be loaded.
pub fn check(input: &CheckInput) -> Result<RunJson, ApiError> {
    let ws = &input.workspace;
    let mut out = RunJson::default();
    match keyward_scenario::load(scenario_source(ws)?, ws) {
        Ok(scenario) => out.add(&ws.scenario, &keyward_scenario::run(&scenario)),
        Err(problems) => out.errors = problems_json(&problems),
    }
    Ok(out)
}

/// Decide every principal × key × action of the scenario.
pub fn matrix(input: &MatrixInput) -> Result<MatrixJson, ApiError> {
    let actions = if input.actions.is_empty() {
        vec![KmsAction::Encrypt, KmsAction::Decrypt]
    } else {
        input
            .actions
            .iter()
            .map(|name| {
                let name = name.trim();
                KmsAction::parse(name)
                    .filter(|a| a.targets_key())
                    .ok_or_else(|| {
                        ApiError::bad_input(format!("`{name}` is not a KMS action on a key"))
                    })
            })
            .collect::<Result<_, _>>()?
    };
    let ws = &input.workspace;
    let scenario = keyward_scenario::load(scenario_source(ws)?, ws).map_err(|problems| {
        let first = problems_json(&problems).into_iter().next();
        let at = first.map_or(String::new(), |d| match d.start {
            Some(at) => format!(" (first: {}:{}: {})", d.file, at.line, d.message),
            None => format!(" (first: {}: {})", d.file, d.message),
        });
        ApiError::bad_input(format!("the scenario has errors{at}"))
    })?;
    Ok(MatrixJson::new(&decide_matrix(&scenario, &actions)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(scenario: &str) -> Workspace {
        Workspace {
            scenario: "s.json".into(),
            files: [("s.json".to_string(), scenario.to_string())].into(),
        }
    }

    const SCENARIO: &str = r#"{
      "region": "us-east-1",
      "principals": {"Alice": {"arn": "arn:aws:iam::111122223333:user/Alice"}},
      "keys": {"K": {"arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "kms:Decrypt", "Resource": "*"}]}}},
      "expect": [{"principal": "Alice", "action": "kms:Decrypt", "key": "K", "decision": "allow"}]
    }"#;

    #[test]
    fn check_counts_and_reports_problems_as_the_cli_does() {
        let ok = check(&CheckInput {
            workspace: workspace(SCENARIO),
        })
        .unwrap();
        assert_eq!((ok.passed, ok.failed, ok.errors.len()), (1, 0, 0));
        assert_eq!(ok.results[0].file, "s.json");
        let broken = check(&CheckInput {
            workspace: workspace("{"),
        })
        .unwrap();
        assert!(broken.results.is_empty());
        assert_eq!(broken.errors[0].file, "s.json");
    }

    #[test]
    fn the_matrix_takes_key_actions_only() {
        let m = matrix(&MatrixInput {
            workspace: workspace(SCENARIO),
            actions: Vec::new(),
        })
        .unwrap();
        assert_eq!(m.actions, ["kms:Encrypt", "kms:Decrypt"]);
        assert_eq!(m.cells.len(), 2);
        let err = matrix(&MatrixInput {
            workspace: workspace(SCENARIO),
            actions: vec!["kms:ListKeys".into()],
        })
        .unwrap_err();
        assert_eq!(err.code, "bad-input");
    }
}
