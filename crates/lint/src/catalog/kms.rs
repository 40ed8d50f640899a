//! KMS in detail: actions with their condition keys, from the service
//! reference the evaluator's [`keyward_eval::KmsAction`] is generated from
//! (`crates/eval/data/kms.json`), so linter and evaluator know the same actions.

use std::collections::HashMap;

use serde::Deserialize;

const KMS_JSON: &str = keyward_eval::KmsAction::SERVICE_REFERENCE;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct KmsData {
    #[serde(default)]
    resource_types: Vec<ResourceTypeData>,
    #[serde(default)]
    actions: Vec<ActionData>,
    #[serde(default)]
    pub(super) condition_keys: Vec<KeyData>,
    #[serde(default)]
    pub(super) global_condition_keys: Vec<KeyData>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceTypeData {
    name: String,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionData {
    name: String,
    #[serde(default)]
    access_level: String,
    /// `key`, `alias`: what the action acts on.
    #[serde(default)]
    resource_types: Vec<String>,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct KeyData {
    pub(super) key: String,
    #[serde(rename = "type")]
    pub(super) key_type: String,
}

impl KmsData {
    /// The embedded data; empty (and caught by the catalog tests) if it were
    /// ever malformed.
    pub(super) fn load() -> KmsData {
        serde_json::from_str(KMS_JSON).unwrap_or_default()
    }
}

/// One KMS action and the condition keys that apply to it.
#[derive(Clone, Debug)]
pub struct KmsAction {
    name: String,
    full_name: String,
    access_level: String,
    resource_types: Vec<String>,
    condition_keys: Vec<String>,
}

impl KmsAction {
    /// The name without `kms:`, e.g. `Decrypt`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name with its prefix, e.g. `kms:Decrypt`.
    pub fn full_name(&self) -> &str {
        &self.full_name
    }

    /// `Read`, `Write`, `List`, `Permissions management` or `Tagging`.
    pub fn access_level(&self) -> &str {
        &self.access_level
    }

    /// The resource types it acts on (`key`, `alias`); empty for account-level actions.
    pub fn resource_types(&self) -> &[String] {
        &self.resource_types
    }

    /// True when the action acts on a KMS key (so a key policy can govern it).
    pub fn acts_on_key(&self) -> bool {
        self.resource_types.iter().any(|r| r == "key")
    }

    /// The service-specific condition keys that apply: the action's own and
    /// those of its resource types, as the catalog names them.
    pub fn condition_keys(&self) -> &[String] {
        &self.condition_keys
    }
}

#[derive(Debug)]
pub(super) struct KmsTable {
    actions: Vec<KmsAction>,
    by_name: HashMap<String, usize>,
}

impl KmsTable {
    pub(super) fn new(data: KmsData) -> KmsTable {
        let resource_keys: HashMap<&str, &[String]> = data
            .resource_types
            .iter()
            .map(|r| (r.name.as_str(), r.condition_keys.as_slice()))
            .collect();
        let actions: Vec<KmsAction> = data
            .actions
            .iter()
            .map(|a| {
                let mut keys = a.condition_keys.clone();
                for r in &a.resource_types {
                    for k in resource_keys.get(r.as_str()).copied().unwrap_or(&[]) {
                        if !keys.contains(k) {
                            keys.push(k.clone());
                        }
                    }
                }
                KmsAction {
                    name: a.name.clone(),
                    full_name: format!("kms:{}", a.name),
                    access_level: a.access_level.clone(),
                    resource_types: a.resource_types.clone(),
                    condition_keys: keys,
                }
            })
            .collect();
        let by_name = actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name.to_ascii_lowercase(), i))
            .collect();
        KmsTable { actions, by_name }
    }

    pub(super) fn actions(&self) -> &[KmsAction] {
        &self.actions
    }

    pub(super) fn action(&self, name: &str) -> Option<&KmsAction> {
        self.by_name
            .get(&name.to_ascii_lowercase())
            .and_then(|&i| self.actions.get(i))
    }
}
