//! A loaded scenario: the compiled world and the checks to run.

use keyward_eval::{Authorizer, AuthorizerBuilder, Decision, KmsAction, KmsErrorKind, Request};
use keyward_policy::{Diagnostic, Source, Span};

/// A diagnostic and the text it points into (the scenario or a policy file).
#[derive(Clone, Debug)]
pub struct Problem {
    /// The file the spans refer to.
    pub source: Source,
    /// What is wrong.
    pub diagnostic: Diagnostic,
}

/// What a check expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ExpectedDecision {
    /// `allow`
    Allow,
    /// `deny`: either kind of deny.
    Deny,
    /// `explicit-deny`
    ExplicitDeny,
    /// `implicit-deny`
    ImplicitDeny,
}

impl ExpectedDecision {
    /// Read the scenario spelling.
    pub fn parse(text: &str) -> Option<ExpectedDecision> {
        Some(match text {
            "allow" => ExpectedDecision::Allow,
            "deny" => ExpectedDecision::Deny,
            "explicit-deny" => ExpectedDecision::ExplicitDeny,
            "implicit-deny" => ExpectedDecision::ImplicitDeny,
            _ => return None,
        })
    }

    /// The scenario spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ExpectedDecision::Allow => "allow",
            ExpectedDecision::Deny => "deny",
            ExpectedDecision::ExplicitDeny => "explicit-deny",
            ExpectedDecision::ImplicitDeny => "implicit-deny",
        }
    }

    /// Does `actual` satisfy it?
    pub fn accepts(self, actual: Decision) -> bool {
        match self {
            ExpectedDecision::Allow => actual == Decision::Allow,
            ExpectedDecision::Deny => actual.is_deny(),
            ExpectedDecision::ExplicitDeny => actual == Decision::ExplicitDeny,
            ExpectedDecision::ImplicitDeny => actual == Decision::ImplicitDeny,
        }
    }
}

/// The expected answer: a decision and the KMS error (`None`: no error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    /// The decision.
    pub decision: ExpectedDecision,
    /// The error; `None` when the call must not fail.
    pub error: Option<KmsErrorKind>,
}

/// One expectation of the scenario, ready to decide.
#[derive(Clone, Debug)]
pub struct Check {
    /// The principal as written.
    pub principal: String,
    /// The action.
    pub action: KmsAction,
    /// The key as written.
    pub key: String,
    /// The request.
    pub request: Request,
    /// What is expected.
    pub expected: Expected,
    /// The `expect` entry in the scenario text.
    pub span: Span,
}

/// A loaded scenario.
#[derive(Debug)]
pub struct Scenario {
    /// The scenario text.
    pub source: Source,
    /// `description`.
    pub description: Option<String>,
    /// `region` (default for checks; keys' own Regions otherwise).
    pub region: Option<String>,
    /// The compiled world.
    pub authorizer: Authorizer,
    /// What the world was compiled from (keys, principals, grants, SCPs and
    /// RCPs), for analyses over the whole world (who can use a key).
    pub world: AuthorizerBuilder,
    /// The checks, in file order.
    pub checks: Vec<Check>,
    /// Warnings found while loading.
    pub warnings: Vec<Problem>,
}
