//! The IAM wildcard matcher. (Placeholder until the linear-time matcher lands.)

/// Whether letter case matters when matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseMode {
    /// Exact comparison.
    Sensitive,
    /// ASCII letters compare without regard to case.
    AsciiInsensitive,
}

/// One piece of a wildcard pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PatternToken {
    /// Text that must appear as written.
    Literal(Box<str>),
    /// `*`: any run of characters, possibly empty.
    AnyString,
    /// `?`: exactly one character.
    AnyChar,
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pattern {
    tokens: Vec<PatternToken>,
}

impl Pattern {
    /// Parse `text`, treating `*` and `?` as wildcards.
    pub fn new(text: &str) -> Pattern {
        let mut tokens = Vec::new();
        let mut lit = String::new();
        for c in text.chars() {
            match c {
                '*' | '?' => {
                    if !lit.is_empty() {
                        tokens.push(PatternToken::Literal(std::mem::take(&mut lit).into()));
                    }
                    tokens.push(if c == '*' {
                        PatternToken::AnyString
                    } else {
                        PatternToken::AnyChar
                    });
                }
                _ => lit.push(c),
            }
        }
        if !lit.is_empty() {
            tokens.push(PatternToken::Literal(lit.into()));
        }
        Pattern { tokens }
    }

    /// Build from tokens (a template may carry a literal `*`).
    pub fn from_tokens(tokens: impl IntoIterator<Item = PatternToken>) -> Pattern {
        Pattern {
            tokens: tokens.into_iter().collect(),
        }
    }

    /// The tokens.
    pub fn tokens(&self) -> &[PatternToken] {
        &self.tokens
    }

    /// Does `text` match the whole pattern?
    pub fn matches(&self, text: &str, case: CaseMode) -> bool {
        let _ = (text, case);
        false
    }
}
