//! ARNs and ARN patterns. (Placeholder.)

/// A parsed ARN.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Arn;

/// A pattern over ARNs, matched segment by segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArnPattern;
