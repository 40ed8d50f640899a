//! The typed policy model, lowered from the JSON tree.
//!
//! Every node keeps the span it was read from. The types are
//! `#[non_exhaustive]`: outside this crate a model can only come from
//! [`crate::parse_policy`] (or [`lower`]), so holding one means the policy was valid.

mod condition;
mod lower;
mod principal;
mod print;
mod template;

pub use condition::{
    Condition, ConditionKey, ConditionValues, Conditions, DateValue, Operator, OperatorBase,
    SetQualifier, ValueType,
};
pub(crate) use lower::parse_valid;
pub use lower::{codes, lower, lower_statement, parse_date};
pub use principal::{PrincipalGroup, PrincipalKind, PrincipalSpec, Principals};
pub use print::to_json_string;
pub use template::{Template, TemplatePart, Variable};

use crate::matching::ActionPattern;
use crate::span::{Span, Spanned};

/// The policy language version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// `2012-10-17`: the current language, with policy variables.
    V2012_10_17,
    /// `2008-10-17`: the old language; `${…}` is literal text.
    V2008_10_17,
}

impl Version {
    /// The version string as written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
        }
    }
}

/// A whole policy document.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Policy {
    /// `Version`, when present. Absent means the old language (no variables).
    pub version: Option<Spanned<Version>>,
    /// `Id`, when present.
    pub id: Option<Spanned<String>>,
    /// The statements, in source order.
    pub statements: Vec<Statement>,
    /// Whether `Statement` was written as an array (rather than one object).
    pub statement_array: bool,
    /// The whole document.
    pub span: Span,
}

impl Policy {
    /// True when policy variables (`${…}`) are substituted: only under `2012-10-17`.
    pub fn variables_enabled(&self) -> bool {
        matches!(
            self.version.as_ref().map(|v| v.node),
            Some(Version::V2012_10_17)
        )
    }
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Grants the actions.
    Allow,
    /// Refuses the actions, whatever else allows them.
    Deny,
}

impl Effect {
    /// `Allow` or `Deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One statement.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Statement {
    /// Position in the policy's statement list (0-based).
    pub index: usize,
    /// The statement object.
    pub span: Span,
    /// `Sid`, when present.
    pub sid: Option<Spanned<String>>,
    /// `Effect`.
    pub effect: Spanned<Effect>,
    /// `Principal` or `NotPrincipal`; absent in identity policies.
    pub principal: Option<Spanned<Principals>>,
    /// `Action` or `NotAction`.
    pub action: Spanned<Actions>,
    /// `Resource` or `NotResource`; a key-policy statement without one has no effect.
    pub resource: Option<Spanned<Resources>>,
    /// `Condition`, when present.
    pub condition: Option<Spanned<Conditions>>,
}

impl Statement {
    /// The JSON pointer of this statement in a policy with `statement_array` form.
    pub fn pointer(&self, statement_array: bool) -> String {
        if statement_array {
            format!("/Statement/{}", self.index)
        } else {
            "/Statement".to_string()
        }
    }

    /// The Sid, or `#index` when there is none: how the statement is named to users.
    pub fn display_name(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.node.is_empty() => sid.node.clone(),
            _ => format!("#{}", self.index),
        }
    }
}

/// `Action` or `NotAction`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Actions {
    /// True for `NotAction`.
    pub negated: bool,
    /// The patterns.
    pub items: Vec<Spanned<ActionPattern>>,
    /// Whether written as an array.
    pub array: bool,
}

/// `Resource` or `NotResource`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Resources {
    /// True for `NotResource`.
    pub negated: bool,
    /// The ARN patterns (or `*`), possibly with policy variables.
    pub items: Vec<Spanned<Template>>,
    /// Whether written as an array.
    pub array: bool,
}

/// Equality means "the same policy": spans (where it was written) are ignored.
impl PartialEq for Policy {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.id == other.id
            && self.statements == other.statements
            && self.statement_array == other.statement_array
    }
}

/// Equality means "the same statement": spans are ignored.
impl PartialEq for Statement {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
            && self.sid == other.sid
            && self.effect == other.effect
            && self.principal == other.principal
            && self.action == other.action
            && self.resource == other.resource
            && self.condition == other.condition
    }
}
