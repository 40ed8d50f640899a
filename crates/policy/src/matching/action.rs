//! Action names and patterns. (Interim minimal version; replaced by the matching work.)

use std::fmt;

/// A pattern from an `Action` element: `*` or `service:name` with wildcards.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActionPattern {
    raw: Box<str>,
}

/// Why a string is not an action pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionPatternError(String);

impl fmt::Display for ActionPatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ActionPattern {
    /// Parse an action pattern.
    pub fn parse(text: &str) -> Result<ActionPattern, ActionPatternError> {
        let ok = text == "*"
            || text.split_once(':').is_some_and(|(s, n)| {
                !s.is_empty()
                    && !n.is_empty()
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'*' || b == b'?')
            });
        if ok {
            Ok(ActionPattern { raw: text.into() })
        } else {
            Err(ActionPatternError(format!(
                "`{text}` is not an action: expected `service:action`"
            )))
        }
    }

    /// As written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}
