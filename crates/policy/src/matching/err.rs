//! Errors of the matching area: text that is not an action, an ARN or an ARN
//! pattern. Messages follow the house style: lowercase, the input in backticks.

use std::fmt;

/// Why an `Action` string was rejected.
///
/// ```
/// use keyward_policy::matching::{ActionPattern, ActionPatternErrorKind};
///
/// let err = ActionPattern::parse("kmsEncrypt").unwrap_err();
/// assert_eq!(err.kind(), ActionPatternErrorKind::MissingColon);
/// assert_eq!(err.to_string(), "`kmsEncrypt` is not an action: expected `service:action`");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionPatternError {
    input: Box<str>,
    kind: ActionPatternErrorKind,
}

/// What is wrong with an `Action` string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ActionPatternErrorKind {
    /// The string is empty.
    Empty,
    /// No `:` separates the service prefix from the action name.
    MissingColon,
    /// Nothing before the `:`.
    EmptyService,
    /// The service prefix holds something other than letters, digits and `-`.
    InvalidService,
    /// Nothing after the `:`.
    EmptyName,
    /// The action name holds a `:` or whitespace.
    InvalidName,
    /// The service prefix is longer than 4 GiB (offsets are 32-bit).
    TooLong,
}

impl ActionPatternError {
    pub(super) fn new(input: &str, kind: ActionPatternErrorKind) -> ActionPatternError {
        // A text too long to be an action is not copied whole: its start
        // shows what it was.
        let input = match kind {
            ActionPatternErrorKind::TooLong => {
                let end = (0..=64)
                    .rev()
                    .find(|&i| input.is_char_boundary(i))
                    .unwrap_or(0);
                input.get(..end).unwrap_or("")
            }
            _ => input,
        };
        ActionPatternError {
            input: input.into(),
            kind,
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> ActionPatternErrorKind {
        self.kind
    }

    /// The rejected text.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ActionPatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        let service = input.split_once(':').map_or("", |(s, _)| s);
        match self.kind {
            ActionPatternErrorKind::Empty => {
                f.write_str("the action is empty: expected `service:action` or `*`")
            }
            ActionPatternErrorKind::MissingColon => {
                write!(f, "`{input}` is not an action: expected `service:action`")
            }
            ActionPatternErrorKind::EmptyService => write!(
                f,
                "`{input}` is not an action: the service prefix before `:` is missing"
            ),
            ActionPatternErrorKind::InvalidService => write!(
                f,
                "`{input}` is not an action: the service prefix `{service}` may hold only letters, digits and `-`"
            ),
            ActionPatternErrorKind::EmptyName => write!(
                f,
                "`{input}` is not an action: the action name after `:` is missing"
            ),
            ActionPatternErrorKind::InvalidName => write!(
                f,
                "`{input}` is not an action: the action name cannot contain `:` or whitespace"
            ),
            ActionPatternErrorKind::TooLong => {
                f.write_str("the action's service prefix is longer than 4 GiB, which no policy can hold")
            }
        }
    }
}

impl std::error::Error for ActionPatternError {}

/// Why a string is not an ARN.
///
/// ```
/// use keyward_policy::matching::{Arn, ArnErrorKind};
///
/// let err = Arn::parse("arn:aws:kms").unwrap_err();
/// assert_eq!(err.kind(), ArnErrorKind::TooFewParts { found: 3 });
/// assert_eq!(
///     err.to_string(),
///     "`arn:aws:kms` is not an ARN: expected 6 parts `arn:partition:service:region:account:resource`, found 3"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArnError {
    input: Box<str>,
    kind: ArnErrorKind,
}

/// What is wrong with an ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArnErrorKind {
    /// The text does not start with `arn:`.
    NotArn,
    /// Fewer than six `:`-separated parts.
    TooFewParts {
        /// How many parts there are.
        found: usize,
    },
    /// The partition (second part) is empty.
    EmptyPartition,
    /// The service (third part) is empty.
    EmptyService,
    /// The resource (after the fifth `:`) is empty.
    EmptyResource,
}

impl ArnError {
    pub(super) fn new(input: &str, kind: ArnErrorKind) -> ArnError {
        ArnError {
            input: input.into(),
            kind,
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> ArnErrorKind {
        self.kind
    }

    /// The rejected text.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = &self.input;
        write!(f, "`{input}` is not an ARN: ")?;
        match self.kind {
            ArnErrorKind::NotArn => {
                f.write_str("expected `arn:partition:service:region:account:resource`")
            }
            ArnErrorKind::TooFewParts { found } => write!(
                f,
                "expected 6 parts `arn:partition:service:region:account:resource`, found {found}"
            ),
            ArnErrorKind::EmptyPartition => f.write_str("the partition is empty"),
            ArnErrorKind::EmptyService => f.write_str("the service is empty"),
            ArnErrorKind::EmptyResource => f.write_str("the resource is empty"),
        }
    }
}

impl std::error::Error for ArnError {}

/// A `Resource` or ARN-condition value that is neither `*` nor six
/// `:`-separated parts.
///
/// ```
/// use keyward_policy::matching::ArnPattern;
///
/// let err = ArnPattern::parse("arn:aws:kms:*").unwrap_err();
/// assert_eq!(err.found(), 4);
/// assert_eq!(
///     err.to_string(),
///     "`arn:aws:kms:*` is not an ARN pattern: expected `*` or 6 parts `arn:partition:service:region:account:resource`, found 4"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArnPatternError {
    input: Box<str>,
    found: usize,
}

impl ArnPatternError {
    pub(super) fn new(input: &str, found: usize) -> ArnPatternError {
        ArnPatternError {
            input: input.into(),
            found,
        }
    }

    /// How many `:`-separated parts the pattern has (fewer than six).
    pub fn found(&self) -> usize {
        self.found
    }

    /// The rejected text.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ArnPatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an ARN pattern: expected `*` or 6 parts `arn:partition:service:region:account:resource`, found {}",
            self.input, self.found
        )
    }
}

impl std::error::Error for ArnPatternError {}
