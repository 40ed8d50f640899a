//! The configuration file, `.keyward.json`: rule, family or category →
//! level, per-path overrides, ignored paths.
//!
//! ```json
//! {
//!   "rules": { "security": "error", "KW305": "off", "unknown-action": "info" },
//!   "accounts": ["111122223333"],
//!   "ignore": ["vendor/**"],
//!   "overrides": [{ "files": ["legacy/**"], "rules": { "KW204": "warn" } }],
//!   "suppress": [{ "sid": "AuditRead", "code": "KW208", "reason": "the audit account reads every key" }]
//! }
//! ```
//!
//! Path patterns are kept as text: matching them is the caller's job (the CLI
//! compiles them with `globset`), so this crate stays free of a glob engine.

mod levels;
mod parse;
mod suppress;

pub use levels::{Levels, RuleSetting, Selector};
pub use parse::parse_config;

use crate::suppress::SidSuppression;
use crate::PolicyKind;

/// The name the CLI looks for, from the linted path upwards.
pub const CONFIG_FILE_NAME: &str = ".keyward.json";

/// A parsed configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Settings for every file.
    pub base: Settings,
    /// Glob patterns of paths never linted.
    pub ignore: Vec<String>,
    /// Settings for some paths, applied in order after `base`.
    pub overrides: Vec<Override>,
}

/// Settings that a config (or an override) can give.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Rule, family or category → level, in the order written.
    pub rules: Vec<RuleSetting>,
    /// The policy kind, when detection should not decide.
    pub kind: Option<PolicyKind>,
    /// The accounts that own the keys (so other accounts are "external").
    pub accounts: Vec<String>,
    /// Findings accepted in the statements with a given `Sid`.
    pub suppress: Vec<SidSuppression>,
}

/// Settings for the paths matching `files`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Override {
    /// Glob patterns, relative to the config file's folder.
    pub files: Vec<String>,
    /// What changes for those paths.
    pub settings: Settings,
}

/// The effective settings for one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    /// Level of each rule.
    pub levels: Levels,
    /// Forced policy kind, if any.
    pub kind: Option<PolicyKind>,
    /// The accounts that own the keys.
    pub accounts: Vec<String>,
    /// The suppressions by `Sid` (the top level's, then the matching
    /// overrides').
    pub suppressions: Vec<SidSuppression>,
}

impl Config {
    /// Every suppression by `Sid`, the top level's then each override's.
    pub fn suppressions(&self) -> impl Iterator<Item = &SidSuppression> {
        self.base
            .suppress
            .iter()
            .chain(self.overrides.iter().flat_map(|o| &o.settings.suppress))
    }

    /// The settings for a file, given which overrides match it
    /// (`matches(&override.files)`); later overrides win.
    pub fn resolve(&self, mut matches: impl FnMut(&[String]) -> bool) -> Resolved {
        let mut resolved = Resolved::default();
        let layers = std::iter::once(&self.base).chain(
            self.overrides
                .iter()
                .filter(|o| matches(&o.files))
                .map(|o| &o.settings),
        );
        for settings in layers {
            resolved.levels.apply(&settings.rules);
            if settings.kind.is_some() {
                resolved.kind = settings.kind;
            }
            if !settings.accounts.is_empty() {
                resolved.accounts = settings.accounts.clone();
            }
            resolved
                .suppressions
                .extend(settings.suppress.iter().cloned());
        }
        resolved
    }
}

#[cfg(test)]
mod tests;
