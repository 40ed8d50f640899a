//! The one list of rules. It feeds `keyward rules`, the SARIF rule table, the
//! generated pages under `docs/rules/` and the config schema; the meta-tests
//! in `tests/registry.rs` guard it.

mod meta;

pub use meta::{Category, Level, RuleMeta, Scope};

use crate::rules::{self, Check};

/// A rule: its metadata and its check.
#[derive(Debug)]
pub struct Rule {
    meta: RuleMeta,
    pub(crate) check: Check,
}

impl Rule {
    pub(crate) const fn new(meta: RuleMeta, check: Check) -> Rule {
        Rule { meta, check }
    }

    /// The rule's metadata.
    pub fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    /// The stable code, e.g. `KW201`.
    pub fn code(&self) -> &'static str {
        self.meta.code
    }

    /// True for the entries that stand for a family of parser diagnostics
    /// (`json::…`, `policy::…`) rather than a check of their own.
    pub fn is_family(&self) -> bool {
        matches!(self.check, Check::Family)
    }

    /// Does a diagnostic with this code belong to the rule?
    pub fn owns(&self, code: &str) -> bool {
        if self.is_family() {
            code.split_once("::")
                .is_some_and(|(family, _)| family == self.meta.code)
        } else {
            code == self.meta.code
        }
    }

    /// The address of the rule's documentation page.
    pub fn help_uri(&self) -> String {
        format!("{DOCS_BASE}/{}.md", self.meta.code)
    }
}

/// Where the generated rule pages are published.
pub const DOCS_BASE: &str = "https://github.com/keyward/keyward/blob/main/docs/rules";

/// Every rule, in code order.
///
/// ```
/// let rules = keyward_lint::registry::rules();
/// assert!(rules.iter().any(|r| r.meta().name == "wildcard-principal-without-condition"));
/// ```
pub fn rules() -> &'static [Rule] {
    rules::ALL
}

/// The rule with this code or name (case-insensitive), e.g. `KW201` or
/// `wildcard-principal-without-condition`.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    rules().iter().find(|r| {
        r.meta.code.eq_ignore_ascii_case(code_or_name)
            || r.meta.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// The rule a diagnostic code belongs to (a rule code, or a family's `json::…`).
pub fn for_diagnostic(code: &str) -> Option<&'static Rule> {
    rules().iter().find(|r| r.owns(code))
}

/// The position of a rule in [`rules()`].
pub fn index_of(rule: &Rule) -> usize {
    rules()
        .iter()
        .position(|r| std::ptr::eq(r, rule))
        .unwrap_or(usize::MAX)
}
