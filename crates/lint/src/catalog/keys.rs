//! Typed condition keys: KMS's own, the global `aws:` keys and (with the
//! `service-condition-keys` feature) those of every other service.

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

/// Index over the keys: exact names, then names with a variable part.
#[derive(Debug)]
pub(super) struct KeyTable {
    exact: HashMap<String, KeyInfo>,
    /// Keys with a variable part (`kms:EncryptionContext:${…}`,
    /// `s3:ExistingObjectTag/${TagKey}`), by the lowercase text before their
    /// first `:`; the most specific pattern first.
    variable: HashMap<String, Vec<VariableKey>>,
    /// Keys whose prefix itself has a variable (OIDC providers such as
    /// `agent.${Domain}.buildkite.dev:…`).
    variable_prefix: Vec<VariableKey>,
    /// Every KMS and global key once: KMS keys, then global keys, each group
    /// by name (other services' keys are only looked up).
    listed: Vec<KeyInfo>,
}

/// A key name with variable parts: its literal pieces, lowercase. Each
/// variable stands for at least one character.
#[derive(Debug)]
struct VariableKey {
    pieces: Vec<String>,
    info: KeyInfo,
}

impl VariableKey {
    fn matches(&self, lower: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return false;
        };
        let Some(mut tail) = lower.strip_prefix(first.as_str()) else {
            return false;
        };
        for (i, piece) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            // The variable before this piece takes at least one character.
            let Some(found) = (if last {
                tail.len()
                    .checked_sub(piece.len())
                    .filter(|&at| at >= 1 && tail.ends_with(piece.as_str()))
            } else {
                tail.get(1..)
                    .and_then(|t| t.find(piece.as_str()))
                    .map(|at| at + 1)
            }) else {
                return false;
            };
            tail = tail.get(found + piece.len()..).unwrap_or("");
        }
        true
    }

    fn literal_len(&self) -> usize {
        self.pieces.iter().map(String::len).sum()
    }
}

impl KeyTable {
    pub(super) fn new(data: &KmsData) -> KeyTable {
        let mut table = KeyTable {
            exact: HashMap::new(),
            variable: HashMap::new(),
            variable_prefix: Vec::new(),
            listed: Vec::new(),
        };
        let kms_keys = data.condition_keys.iter().map(|k| (k, false));
        let global_keys = data.global_condition_keys.iter().map(|k| (k, true));
        for (key, listed_global) in kms_keys.chain(global_keys) {
            let global = listed_global || key.key.starts_with("aws:");
            table.add(&key.key, &key.key_type, global, true);
        }
        for (name, key_type) in service_keys() {
            table.add(&name, key_type, false, false);
        }
        for keys in table.variable.values_mut() {
            keys.sort_by_key(|k| std::cmp::Reverse(k.literal_len()));
        }
        table
            .variable_prefix
            .sort_by_key(|k| std::cmp::Reverse(k.literal_len()));
        table
            .listed
            .sort_by(|a, b| (a.global, &a.name).cmp(&(b.global, &b.name)));
        table
    }

    /// Every KMS and global key once.
    pub(super) fn all(&self) -> impl Iterator<Item = &KeyInfo> {
        self.listed.iter()
    }

    /// Add a key, to [`KeyTable::all`] too when `listed`.
    fn add(&mut self, name: &str, key_type: &str, global: bool, listed: bool) {
        let Some((ty, multi_valued)) = KeyType::parse(key_type) else {
            return;
        };
        let info = KeyInfo {
            name: name.to_string(),
            ty,
            multi_valued,
            global,
        };
        if self.insert(info.clone()) && listed {
            self.listed.push(info);
        }
    }

    /// Add a key; the first of two keys with the same name wins. True when
    /// it was added.
    fn insert(&mut self, info: KeyInfo) -> bool {
        let lower = info.name.to_ascii_lowercase();
        let pieces = variable_pieces(&lower);
        if pieces.len() == 1 {
            return match self.exact.entry(lower) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(info);
                    true
                }
                std::collections::hash_map::Entry::Occupied(_) => false,
            };
        }
        let key = VariableKey { pieces, info };
        let list = match lower.split_once(':') {
            Some((prefix, _)) if !prefix.contains("${") => {
                self.variable.entry(prefix.to_string()).or_default()
            }
            _ => &mut self.variable_prefix,
        };
        if list.iter().any(|k| k.pieces == key.pieces) {
            return false;
        }
        list.push(key);
        true
    }

    pub(super) fn lookup(&self, name: &str) -> Option<&KeyInfo> {
        let lower = name.to_ascii_lowercase();
        if let Some(info) = self.exact.get(&lower) {
            return Some(info);
        }
        let by_prefix = lower
            .split_once(':')
            .and_then(|(prefix, _)| self.variable.get(prefix))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        by_prefix
            .iter()
            .chain(&self.variable_prefix)
            .find(|k| k.matches(&lower))
            .map(|k| &k.info)
    }
}

/// The literal pieces of a lowercase key name around its variables:
/// `${…}` or `<…>` anywhere, or a trailing `tag-key` after `/` (how some
/// keys write `aws:PrincipalTag/tag-key`). One piece when there is no
/// variable.
fn variable_pieces(lower: &str) -> Vec<String> {
    if let Some(stem) = lower.strip_suffix("tag-key").filter(|s| s.ends_with('/')) {
        return vec![stem.to_string(), String::new()];
    }
    let mut pieces = Vec::new();
    let mut rest = lower;
    while let Some((start, close)) = [("${", '}'), ("<", '>')]
        .iter()
        .filter_map(|(open, close)| rest.find(open).map(|at| (at, *close)))
        .min()
    {
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        pieces.push(rest[..start].to_string());
        rest = &rest[start + len + 1..];
    }
    pieces.push(rest.to_string());
    pieces
}

/// The typed condition keys of every other service (`data/condition-keys.txt`,
/// one line per prefix: `prefix:Type=Name1,Name2;Type=Name3`): `(full name, type)`.
#[cfg(feature = "service-condition-keys")]
fn service_keys() -> impl Iterator<Item = (String, &'static str)> {
    const KEYS: &str = include_str!("../../data/condition-keys.txt");
    KEYS.lines()
        .filter_map(|line| line.split_once(':'))
        .flat_map(|(prefix, groups)| {
            groups
                .split(';')
                .filter_map(|g| g.split_once('='))
                .flat_map(move |(ty, names)| {
                    names
                        .split(',')
                        .map(move |name| (format!("{prefix}:{name}"), ty))
                })
        })
}

/// Without the `service-condition-keys` feature only KMS and the global keys
/// are typed.
#[cfg(not(feature = "service-condition-keys"))]
fn service_keys() -> impl Iterator<Item = (String, &'static str)> {
    std::iter::empty()
}
