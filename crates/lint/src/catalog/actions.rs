//! The list of every action, embedded from `data/actions.txt` (packed by
//! the build script; see `pack.rs`).

use std::fmt;

use keyward_policy::matching::{CaseMode, Pattern, PatternToken};

/// The words of the action names, the commonest first (see `pack.rs`).
#[cfg(feature = "full-catalog")]
pub(super) const WORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/action-words.txt"));
/// The action names, packed (see `pack.rs`).
#[cfg(feature = "full-catalog")]
pub(super) const PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/actions.packed"));

/// One service: its prefix and its actions, sorted case-insensitively.
#[derive(Clone, Debug)]
pub struct Service {
    prefix: &'static str,
    actions: Vec<&'static str>,
    /// FNV-1a hashes of the lowercase names, sorted: a cache-friendly
    /// membership test (a 64-bit collision among a service's few hundred
    /// names is not a practical concern).
    hashes: Vec<u64>,
}

impl Service {
    /// The service prefix, e.g. `kms`.
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The action names without the prefix, as AWS spells them.
    pub fn actions(&self) -> &[&'static str] {
        &self.actions
    }

    /// The action named `name` (case-insensitive), as AWS spells it.
    pub fn action(&self, name: &str) -> Option<&'static str> {
        self.actions
            .binary_search_by(|a| cmp_ignore_case(a, name))
            .ok()
            .and_then(|i| self.actions.get(i).copied())
    }

    /// True when the service has an action named `name` (case-insensitive).
    pub fn has_action(&self, name: &str) -> bool {
        self.hashes.binary_search(&hash_ignore_case(name)).is_ok()
    }

    /// True when some action matches the wildcard `pattern` (case-insensitive).
    /// `Prefix*` patterns, the common form, take a binary search.
    pub fn any_match(&self, pattern: &Pattern) -> bool {
        if let [PatternToken::Literal(prefix), PatternToken::AnyString] = pattern.tokens() {
            let start = self
                .actions
                .partition_point(|a| cmp_ignore_case(a, prefix).is_lt());
            return self.actions.get(start).is_some_and(|a| {
                a.len() >= prefix.len()
                    && a.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
            });
        }
        self.actions
            .iter()
            .any(|a| pattern.matches(a, CaseMode::AsciiInsensitive))
    }
}

/// A known action: `service:Name`, as AWS spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActionName {
    /// The service prefix.
    pub service: &'static str,
    /// The action name.
    pub name: &'static str,
}

impl ActionName {
    pub(crate) fn new(service: &'static str, name: &'static str) -> ActionName {
        ActionName { service, name }
    }
}

impl fmt::Display for ActionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.name)
    }
}

pub(crate) fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Every service, from the embedded list.
#[cfg(feature = "full-catalog")]
pub(super) fn load() -> Vec<Service> {
    // The unpacked text lives as long as the process, as the embedded text
    // did; the names borrow from it. The round trip is checked by a test.
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    parse(TEXT.get_or_init(|| super::packed::unpack(WORDS, PACKED).unwrap_or_default()))
}

/// Without the full catalog: KMS alone, from `kms.json`.
#[cfg(not(feature = "full-catalog"))]
pub(super) fn load() -> Vec<Service> {
    Vec::new()
}

/// A service from its prefix and action names.
pub(super) fn service(prefix: &'static str, mut actions: Vec<&'static str>) -> Service {
    actions.sort_by(|a, b| cmp_ignore_case(a, b));
    let mut hashes: Vec<u64> = actions.iter().map(|a| hash_ignore_case(a)).collect();
    hashes.sort_unstable();
    Service {
        prefix,
        actions,
        hashes,
    }
}

/// FNV-1a over the ASCII-lowercased bytes.
fn hash_ignore_case(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg_attr(not(feature = "full-catalog"), allow(dead_code))]
fn parse(text: &'static str) -> Vec<Service> {
    let mut services: Vec<Service> = text
        .lines()
        .filter_map(|line| {
            let (prefix, names) = line.split_once(':')?;
            let actions: Vec<&'static str> = names.split(',').filter(|n| !n.is_empty()).collect();
            Some(service(prefix, actions))
        })
        .collect();
    services.sort_by(|a, b| a.prefix.cmp(b.prefix));
    services
}
