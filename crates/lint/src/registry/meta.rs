//! Rule metadata: code, name, category, default level, scope, docs.

use std::fmt;

use keyward_policy::Severity;

/// What kind of problem a rule finds. Separate from how loudly it is
/// reported ([`Level`]); a config can set the level of a whole category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// AWS rejects the policy, or it does not do what it says.
    Correctness,
    /// The policy gives away more access than intended.
    Security,
    /// Probably a mistake: unknown names, statements that never apply.
    Suspicious,
    /// Clarity and convention.
    Style,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 4] = [
        Category::Correctness,
        Category::Security,
        Category::Suspicious,
        Category::Style,
    ];

    /// `correctness`, `security`, `suspicious` or `style`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Suspicious => "suspicious",
            Category::Style => "style",
        }
    }

    /// The category named `name` (case-insensitive).
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a finding is reported: not at all, or at a severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as information; never fails a run.
    Info,
    /// Reported as a warning; fails a run only with `--deny-warnings`.
    Warn,
    /// Reported as an error; fails the run (exit code 1).
    Error,
}

impl Level {
    /// Every level, quietest first.
    pub const ALL: [Level; 4] = [Level::Off, Level::Info, Level::Warn, Level::Error];

    /// `off`, `info`, `warn` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// The level named `name` (`warning` is accepted for `warn`).
    pub fn parse(name: &str) -> Option<Level> {
        match name.to_ascii_lowercase().as_str() {
            "off" => Some(Level::Off),
            "info" => Some(Level::Info),
            "warn" | "warning" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => None,
        }
    }

    /// The diagnostic severity for this level; `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warn => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    /// The level that reports at `severity`.
    pub fn from_severity(severity: Severity) -> Level {
        match severity {
            Severity::Info => Level::Info,
            Severity::Warning => Level::Warn,
            Severity::Error => Level::Error,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which policies a rule checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// KMS key policies only.
    KeyPolicy,
    /// IAM identity policies only.
    IdentityPolicy,
    /// Both.
    Any,
    /// The KMS keys templates, plans and `.tf` files declare (their
    /// settings).
    KeyResource,
}

impl Scope {
    /// `key policies`, `identity policies`, `key and identity policies` or
    /// `KMS keys in templates, plans and .tf files`.
    pub fn describe(self) -> &'static str {
        match self {
            Scope::KeyPolicy => "key policies",
            Scope::IdentityPolicy => "identity policies",
            Scope::Any => "key and identity policies",
            Scope::KeyResource => "KMS keys in templates, plans and .tf files",
        }
    }
}

/// Everything about a rule except its check.
#[derive(Clone, Copy, Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `KW201`; for parser families, `json` or `policy`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `wildcard-principal-without-condition`.
    pub name: &'static str,
    /// What kind of problem it finds.
    pub category: Category,
    /// The level it reports at unless configured otherwise. For parser
    /// families this is the most severe level their diagnostics use: each
    /// diagnostic keeps its own severity unless the config sets one.
    pub default_level: Level,
    /// Which policies it checks.
    pub scope: Scope,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Markdown: *What it does*, *Why it matters*, *Examples* (the examples
    /// are run as tests).
    pub docs: &'static str,
}
