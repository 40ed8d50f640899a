//! `whoCan` and `whatCan`: the reverse queries of `keyward who-can` and
//! `keyward what-can` over the workspace's scenario. The answer is the
//! CLI's JSON contract (`keyward_analysis::reverse_json`, docs/who-can.md);
//! every entry's witness is a request `evaluate` allows.

use keyward_analysis::reverse::{report, Inventory, InventoryOptions};
use keyward_analysis::reverse_json::ReportJson;
use keyward_eval::{closest_action, ActionSet, KmsAction};
use serde::Deserialize;

use crate::evaluate::loaded;
use crate::guard::ApiError;
use crate::workspace::Workspace;

/// What `whoCan` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WhoCanInput {
    /// The scenario and its files.
    pub workspace: Workspace,
    /// The key: its scenario name, ARN, key id or alias.
    pub key: String,
    /// The actions asked about; every KMS action that takes a key when
    /// absent or empty.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub actions: Vec<String>,
}

/// What `whatCan` takes.
#[derive(Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WhatCanInput {
    /// The scenario and its files.
    pub workspace: Workspace,
    /// The principal: its scenario name or ARN.
    pub principal: String,
    /// The keys asked about; every key of the scenario when absent or empty.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub keys: Vec<String>,
    /// The actions asked about; every KMS action that takes a key when
    /// absent or empty.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub actions: Vec<String>,
}

/// The actions asked about, as `keyward who-can --action` reads them.
fn actions(list: &[String]) -> Result<ActionSet, ApiError> {
    if list.is_empty() {
        return Ok(report::all_actions());
    }
    let mut set = ActionSet::EMPTY;
    for a in list.iter().map(|a| a.trim()) {
        match KmsAction::parse(a).filter(|x| x.targets_key()) {
            Some(x) => set.insert(x),
            None => {
                let help = match closest_action(a) {
                    Some(c) => format!(" (did you mean `{c}`?)"),
                    None => String::new(),
                };
                return Err(ApiError::bad_input(format!(
                    "`{a}` is not a KMS action on a key{help}"
                )));
            }
        }
    }
    Ok(set)
}

/// Who can be allowed each action on `input.key`.
pub fn who_can(input: &WhoCanInput) -> Result<ReportJson, ApiError> {
    let wanted = actions(&input.actions)?;
    let scenario = loaded(&input.workspace)?;
    let inv = Inventory::new(&scenario.world, &InventoryOptions::default());
    let k = inv.key(input.key.trim()).map_err(ApiError::bad_input)?;
    Ok(ReportJson::from(&keyward_analysis::reverse::who_can(
        &inv, k, wanted,
    )))
}

/// What `input.principal` can be allowed on each key.
pub fn what_can(input: &WhatCanInput) -> Result<ReportJson, ApiError> {
    let wanted = actions(&input.actions)?;
    let scenario = loaded(&input.workspace)?;
    let inv = Inventory::new(&scenario.world, &InventoryOptions::default());
    let p = inv
        .principal_named(input.principal.trim())
        .map_err(ApiError::bad_input)?;
    let keys = input
        .keys
        .iter()
        .map(|k| inv.key(k.trim()).map_err(ApiError::bad_input))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ReportJson::from(&keyward_analysis::reverse::what_can(
        &inv, p, &keys, wanted,
    )))
}
