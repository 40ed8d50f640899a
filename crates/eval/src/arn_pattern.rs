//! ARN patterns for `Resource` and `Arn…` conditions, over the policy
//! crate's segment-aware [`ArnPattern`], keeping malformed patterns apart so
//! they fail closed.

use keyward_policy::matching::{ArnPattern, PatternToken};

/// A compiled ARN pattern, or the fact that it was not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArnPat(Option<ArnPattern>);

impl ArnPat {
    /// Compile pattern text where `*` and `?` are wildcards.
    pub(crate) fn new(text: &str) -> ArnPat {
        ArnPat(ArnPattern::parse(text).ok())
    }

    /// Compile from wildcard tokens (a `${*}` stays a literal `*`).
    pub(crate) fn from_tokens(tokens: &[PatternToken]) -> ArnPat {
        ArnPat(ArnPattern::from_tokens(tokens).ok())
    }

    /// The pattern; `None` when it is malformed.
    pub(crate) fn pattern(&self) -> Option<&ArnPattern> {
        self.0.as_ref()
    }

    /// Does `arn` match? `None` when the pattern is malformed: it cannot be
    /// evaluated.
    pub(crate) fn matches(&self, arn: &str) -> Option<bool> {
        self.0.as_ref().map(|p| p.matches(arn))
    }
}
