//! The IAM wildcard matcher: `*` matches any run of characters (possibly
//! empty), `?` matches exactly one Unicode scalar value, everything else
//! matches itself.
//!
//! Matching runs in time linear in the text on every pattern: the pattern is
//! split at `*` into segments of fixed length; the first segment is anchored
//! at the start, the last at the end, and each middle segment is taken at its
//! leftmost occurrence after the previous one (leftmost is always safe because
//! a `*` on either side absorbs whatever is skipped). Middle segments are found
//! with `str::find` or a bit-parallel Shift-And scan, so the text is read once.

mod compiled;
mod segment;
mod shift_and;

use std::fmt;
use std::hash::{Hash, Hasher};

use compiled::Compiled;

/// Whether letter case matters when matching.
///
/// ```
/// use keyward_policy::matching::{CaseMode, Pattern};
///
/// let p = Pattern::new("Re*");
/// assert!(!p.matches("reEncrypt", CaseMode::Sensitive));
/// assert!(p.matches("reEncrypt", CaseMode::AsciiInsensitive));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseMode {
    /// Exact comparison.
    Sensitive,
    /// ASCII letters compare without regard to case; other characters exactly.
    AsciiInsensitive,
}

/// One piece of a wildcard pattern.
///
/// ```
/// use keyward_policy::matching::{Pattern, PatternToken};
///
/// let p = Pattern::new("key/*");
/// assert_eq!(p.tokens(), &[PatternToken::Literal("key/".into()), PatternToken::AnyString]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PatternToken {
    /// Text that must appear as written (a `*` or `?` in it is literal).
    Literal(Box<str>),
    /// `*`: any run of characters, possibly empty.
    AnyString,
    /// `?`: exactly one character (one Unicode scalar value).
    AnyChar,
}

/// A compiled wildcard pattern.
///
/// The tokens are kept in a normal form: adjacent literals are merged, empty
/// literals dropped and runs of `*` collapsed to one. Equality and hashing
/// compare that token list, so `a**b` equals `a*b`.
///
/// ```
/// use keyward_policy::matching::{CaseMode, Pattern};
///
/// let p = Pattern::new("arn:aws:kms:*:111122223333:key/*");
/// assert!(p.matches("arn:aws:kms:eu-west-1:111122223333:key/1234", CaseMode::Sensitive));
/// assert!(!p.matches("arn:aws:kms:eu-west-1:444455556666:key/1234", CaseMode::Sensitive));
/// ```
#[derive(Clone)]
pub struct Pattern {
    tokens: Vec<PatternToken>,
    compiled: Compiled,
}

impl Pattern {
    /// Parse `text`, treating `*` and `?` as wildcards.
    ///
    /// ```
    /// use keyward_policy::matching::{CaseMode, Pattern};
    ///
    /// assert!(Pattern::new("Re?ncrypt*").matches("ReEncryptFrom", CaseMode::Sensitive));
    /// ```
    pub fn new(text: &str) -> Pattern {
        Pattern::from_tokens(tokenize(text))
    }

    /// A pattern that matches exactly `text`: `*` and `?` in it are literal.
    ///
    /// ```
    /// use keyward_policy::matching::{CaseMode, Pattern};
    ///
    /// let p = Pattern::literal("a*");
    /// assert!(p.matches("a*", CaseMode::Sensitive));
    /// assert!(!p.matches("ab", CaseMode::Sensitive));
    /// ```
    pub fn literal(text: &str) -> Pattern {
        Pattern::from_tokens([PatternToken::Literal(text.into())])
    }

    /// Build from tokens (a template may carry a literal `*` via `${*}`).
    ///
    /// ```
    /// use keyward_policy::matching::{CaseMode, Pattern, PatternToken};
    ///
    /// let p = Pattern::from_tokens([
    ///     PatternToken::Literal("home/".into()),
    ///     PatternToken::Literal("*".into()),
    ///     PatternToken::AnyString,
    /// ]);
    /// assert!(p.matches("home/*/x", CaseMode::Sensitive));
    /// assert!(!p.matches("home/x", CaseMode::Sensitive));
    /// ```
    pub fn from_tokens(tokens: impl IntoIterator<Item = PatternToken>) -> Pattern {
        let tokens = normalize(tokens);
        let compiled = Compiled::new(&tokens);
        Pattern { tokens, compiled }
    }

    /// The tokens, in normal form.
    ///
    /// ```
    /// use keyward_policy::matching::{Pattern, PatternToken};
    ///
    /// assert_eq!(Pattern::new("**").tokens(), &[PatternToken::AnyString]);
    /// ```
    pub fn tokens(&self) -> &[PatternToken] {
        &self.tokens
    }

    /// Does `text` match the whole pattern? Linear in `text`, never allocates
    /// (except for a middle segment longer than 1,024 characters that needs a
    /// bit-parallel scan, which no real policy has).
    ///
    /// ```
    /// use keyward_policy::matching::{CaseMode, Pattern};
    ///
    /// let p = Pattern::new("*.amazonaws.com");
    /// assert!(p.matches("ec2.amazonaws.com", CaseMode::Sensitive));
    /// assert!(!p.matches("ec2.amazonaws.com.evil", CaseMode::Sensitive));
    /// ```
    pub fn matches(&self, text: &str, case: CaseMode) -> bool {
        self.compiled.matches(text, case)
    }

    /// True when the pattern has no wildcard: it matches one text only.
    ///
    /// ```
    /// use keyward_policy::matching::Pattern;
    ///
    /// assert!(Pattern::new("kms").is_literal());
    /// assert!(!Pattern::new("km?").is_literal());
    /// ```
    pub fn is_literal(&self) -> bool {
        !self.has_wildcards()
    }

    /// The one text a wildcard-free pattern matches (`""` for the empty pattern).
    ///
    /// ```
    /// use keyward_policy::matching::Pattern;
    ///
    /// assert_eq!(Pattern::new("kms").as_literal(), Some("kms"));
    /// assert_eq!(Pattern::new("k*").as_literal(), None);
    /// ```
    pub fn as_literal(&self) -> Option<&str> {
        match self.tokens.as_slice() {
            [] => Some(""),
            [PatternToken::Literal(text)] => Some(text),
            _ => None,
        }
    }

    /// True for `*` alone: the pattern matches every text.
    ///
    /// ```
    /// use keyward_policy::matching::Pattern;
    ///
    /// assert!(Pattern::new("*").is_match_all());
    /// assert!(!Pattern::new("*?").is_match_all());
    /// ```
    pub fn is_match_all(&self) -> bool {
        matches!(self.tokens.as_slice(), [PatternToken::AnyString])
    }

    /// True when the pattern holds at least one `*` or `?`.
    ///
    /// ```
    /// use keyward_policy::matching::Pattern;
    ///
    /// assert!(Pattern::new("key/*").has_wildcards());
    /// assert!(!Pattern::literal("key/*").has_wildcards());
    /// ```
    pub fn has_wildcards(&self) -> bool {
        self.tokens
            .iter()
            .any(|t| !matches!(t, PatternToken::Literal(_)))
    }
}

/// Split `text` into tokens, `*` and `?` being wildcards.
pub(super) fn tokenize(text: &str) -> Vec<PatternToken> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['*', '?']) {
        if at > 0 {
            tokens.push(PatternToken::Literal(rest[..at].into()));
        }
        tokens.push(if rest[at..].starts_with('*') {
            PatternToken::AnyString
        } else {
            PatternToken::AnyChar
        });
        rest = &rest[at + 1..];
    }
    if !rest.is_empty() {
        tokens.push(PatternToken::Literal(rest.into()));
    }
    tokens
}

/// Merge adjacent literals, drop empty ones and collapse runs of `*`.
fn normalize(tokens: impl IntoIterator<Item = PatternToken>) -> Vec<PatternToken> {
    let mut out: Vec<PatternToken> = Vec::new();
    for token in tokens {
        match token {
            PatternToken::Literal(text) if text.is_empty() => {}
            PatternToken::Literal(text) => match out.last_mut() {
                Some(PatternToken::Literal(prev)) => {
                    let mut joined = String::with_capacity(prev.len() + text.len());
                    joined.push_str(prev);
                    joined.push_str(&text);
                    *prev = joined.into();
                }
                _ => out.push(PatternToken::Literal(text)),
            },
            PatternToken::AnyString => {
                if !matches!(out.last(), Some(PatternToken::AnyString)) {
                    out.push(PatternToken::AnyString);
                }
            }
            PatternToken::AnyChar => out.push(PatternToken::AnyChar),
        }
    }
    out
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.tokens == other.tokens
    }
}

impl Eq for Pattern {}

impl Hash for Pattern {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.tokens.hash(state);
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern")
            .field(&format_args!("{self}"))
            .finish()
    }
}

/// Writes the pattern as policy text: wildcards as `*` and `?`, a literal `*`
/// or `?` as `${*}` or `${?}`.
///
/// ```
/// use keyward_policy::matching::{Pattern, PatternToken};
///
/// let p = Pattern::from_tokens([PatternToken::Literal("a*".into()), PatternToken::AnyChar]);
/// assert_eq!(p.to_string(), "a${*}?");
/// ```
impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for token in &self.tokens {
            match token {
                PatternToken::AnyString => f.write_str("*")?,
                PatternToken::AnyChar => f.write_str("?")?,
                PatternToken::Literal(text) => {
                    for c in text.chars() {
                        match c {
                            '*' => f.write_str("${*}")?,
                            '?' => f.write_str("${?}")?,
                            _ => fmt::Write::write_char(f, c)?,
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
