//! Why an analysis cannot answer exactly.

use std::fmt;

/// The analysis cannot decide the question exactly: the answer is
/// "unknown", never a pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// What could not be decided, for people.
    pub reason: String,
    /// True when the cause is a defect of the analysis itself (a witness
    /// that does not behave as its class claims), not a limit.
    pub internal: bool,
}

impl Unknown {
    /// A construct the analysis does not decide exactly, or a budget hit.
    pub fn new(reason: impl Into<String>) -> Unknown {
        Unknown {
            reason: reason.into(),
            internal: false,
        }
    }

    /// A self-check that failed.
    pub fn internal(reason: impl Into<String>) -> Unknown {
        Unknown {
            reason: format!("internal check failed: {}", reason.into()),
            internal: true,
        }
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}
