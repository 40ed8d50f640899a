//! Typed condition keys: KMS's own and the global `aws:` keys.

use std::collections::HashMap;

use super::kms::KmsData;

/// The type of a condition key's values, as the service authorization
/// reference states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// Text.
    String,
    /// An ARN (string and ARN operators both apply).
    Arn,
    /// `true` / `false`.
    Bool,
    /// A number.
    Numeric,
    /// A date and time.
    Date,
    /// An IP address.
    Ip,
    /// Base64 binary data.
    Binary,
}

impl KeyType {
    /// The type as the AWS documentation names it.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::Arn => "ARN",
            KeyType::Bool => "Bool",
            KeyType::Numeric => "Numeric",
            KeyType::Date => "Date",
            KeyType::Ip => "IPAddress",
            KeyType::Binary => "Binary",
        }
    }

    fn parse(text: &str) -> Option<(KeyType, bool)> {
        let (multi, base) = match text.strip_prefix("ArrayOf") {
            Some(base) => (true, base),
            None => (false, text),
        };
        let ty = match base {
            "String" => KeyType::String,
            "ARN" => KeyType::Arn,
            "Bool" => KeyType::Bool,
            "Numeric" => KeyType::Numeric,
            "Date" => KeyType::Date,
            "IPAddress" => KeyType::Ip,
            "Binary" => KeyType::Binary,
            _ => return None,
        };
        Some((ty, multi))
    }
}

/// What the catalog knows about one condition key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    name: String,
    ty: KeyType,
    multi_valued: bool,
    global: bool,
}

impl KeyInfo {
    /// The key as the catalog names it; keys with a variable part keep their
    /// placeholder, e.g. `kms:EncryptionContext:${EncryptionContextKey}`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The type of its values.
    pub fn key_type(&self) -> KeyType {
        self.ty
    }

    /// True for multi-valued keys (`ArrayOf…`), which need `ForAnyValue` or
    /// `ForAllValues`.
    pub fn is_multi_valued(&self) -> bool {
        self.multi_valued
    }

    /// True for global keys (`aws:…` and the few service keys AWS lists as
    /// global), which apply to every action.
    pub fn is_global(&self) -> bool {
        self.global
    }
}

/// Index over the keys: exact names, then names with a variable suffix.
#[derive(Debug)]
pub(super) struct KeyTable {
    exact: HashMap<String, KeyInfo>,
    /// (lowercase prefix, info), longest prefix first.
    prefixes: Vec<(String, KeyInfo)>,
    /// Every key once: KMS keys, then global keys, each group by name.
    listed: Vec<KeyInfo>,
}

impl KeyTable {
    pub(super) fn new(data: &KmsData) -> KeyTable {
        let mut table = KeyTable {
            exact: HashMap::new(),
            prefixes: Vec::new(),
            listed: Vec::new(),
        };
        let kms_keys = data.condition_keys.iter().map(|k| (k, false));
        let global_keys = data.global_condition_keys.iter().map(|k| (k, true));
        for (key, listed_global) in kms_keys.chain(global_keys) {
            let Some((ty, multi_valued)) = KeyType::parse(&key.key_type) else {
                continue;
            };
            let info = KeyInfo {
                name: key.key.clone(),
                ty,
                multi_valued,
                global: listed_global || key.key.starts_with("aws:"),
            };
            table.insert(info);
        }
        table.prefixes.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        table
            .listed
            .sort_by(|a, b| (a.global, &a.name).cmp(&(b.global, &b.name)));
        table
    }

    /// Every key once.
    pub(super) fn all(&self) -> impl Iterator<Item = &KeyInfo> {
        self.listed.iter()
    }

    fn insert(&mut self, info: KeyInfo) {
        let lower = info.name.to_ascii_lowercase();
        // `kms:EncryptionContext:${EncryptionContextKey}`, `aws:PrincipalTag/tag-key`.
        let variable_at = lower.find("${").or_else(|| {
            lower
                .ends_with("/tag-key")
                .then(|| lower.len() - "tag-key".len())
        });
        match variable_at {
            Some(at) => {
                let prefix = lower[..at].to_string();
                if !self.prefixes.iter().any(|(p, _)| *p == prefix) {
                    self.listed.push(info.clone());
                    self.prefixes.push((prefix, info));
                }
            }
            None => {
                if let std::collections::hash_map::Entry::Vacant(slot) = self.exact.entry(lower) {
                    self.listed.push(info.clone());
                    slot.insert(info);
                }
            }
        }
    }

    pub(super) fn lookup(&self, name: &str) -> Option<&KeyInfo> {
        let lower = name.to_ascii_lowercase();
        if let Some(info) = self.exact.get(&lower) {
            return Some(info);
        }
        self.prefixes
            .iter()
            .find(|(prefix, _)| lower.len() > prefix.len() && lower.starts_with(prefix.as_str()))
            .map(|(_, info)| info)
    }
}
