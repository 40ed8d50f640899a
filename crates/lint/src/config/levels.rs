//! Rule levels: defaults from the registry, changed by category, family or rule.

use crate::registry::{self, Category, Level, Rule};

/// What a `rules` entry of the config names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    /// Every rule of a category.
    Category(Category),
    /// One rule (or a parser family), by its index in the registry.
    Rule(usize),
}

/// One `"name": "level"` entry of a config's `rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSetting {
    /// What it applies to.
    pub selector: Selector,
    /// The level to use.
    pub level: Level,
}

impl RuleSetting {
    /// Read `name` (a code, rule name, family or category) and `level`.
    ///
    /// ```
    /// use keyward_lint::config::RuleSetting;
    /// assert!(RuleSetting::parse("security", "error").is_ok());
    /// assert!(RuleSetting::parse("KW201", "off").is_ok());
    /// assert!(RuleSetting::parse("no-such-rule", "off").is_err());
    /// ```
    pub fn parse(name: &str, level: &str) -> Result<RuleSetting, SettingError> {
        let selector = if let Some(category) = Category::parse(name) {
            Selector::Category(category)
        } else if let Some(rule) = registry::find(name) {
            Selector::Rule(registry::index_of(rule))
        } else {
            return Err(SettingError::UnknownRule);
        };
        let level = Level::parse(level).ok_or(SettingError::UnknownLevel)?;
        Ok(RuleSetting { selector, level })
    }
}

/// Why a `rules` entry was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingError {
    /// No rule, family or category has that name.
    UnknownRule,
    /// Not one of `off`, `info`, `warn`, `error`.
    UnknownLevel,
}

/// The level of every rule. A category setting applies to the rules of
/// that category; a rule setting wins over a category setting in the same
/// layer; later layers win over earlier ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    /// Per registry index: `None` means the rule's default.
    set: Vec<Option<Level>>,
}

impl Levels {
    /// Every rule at its default level.
    pub fn defaults() -> Levels {
        Levels::default()
    }

    /// Apply one layer of settings.
    pub fn apply(&mut self, settings: &[RuleSetting]) {
        let rules = registry::rules();
        self.set.resize(rules.len(), None);
        // Categories first, so a rule named in the same layer wins.
        for setting in settings {
            if let Selector::Category(category) = setting.selector {
                for (slot, rule) in self.set.iter_mut().zip(rules) {
                    if rule.meta().category == category {
                        *slot = Some(setting.level);
                    }
                }
            }
        }
        for setting in settings {
            if let Selector::Rule(i) = setting.selector {
                if let Some(slot) = self.set.get_mut(i) {
                    *slot = Some(setting.level);
                }
            }
        }
    }

    /// The configured level of `rule`, or `None` when it keeps its default.
    pub fn configured(&self, rule: &Rule) -> Option<Level> {
        self.set.get(registry::index_of(rule)).copied().flatten()
    }

    /// The level `rule` reports at.
    pub fn level(&self, rule: &Rule) -> Level {
        self.configured(rule).unwrap_or(rule.meta().default_level)
    }
}
