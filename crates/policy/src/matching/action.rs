//! Action names and patterns: `*`, or `service:name` where the name may hold
//! `*` and `?`. Both parts compare without regard to ASCII case.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::sync::OnceLock;

use super::err::{ActionPatternError, ActionPatternErrorKind};
use super::wildcard::{CaseMode, Pattern};
use crate::text::SharedStr;

/// A pattern from an `Action` or `NotAction` element.
///
/// Equality and hashing follow the text as written (`KMS:Encrypt` and
/// `kms:Encrypt` are different patterns that match the same actions).
///
/// ```
/// use keyward_policy::matching::ActionPattern;
///
/// let p = ActionPattern::parse("kms:ReEncrypt*").unwrap();
/// assert!(p.matches("kms:ReEncryptFrom"));
/// assert!(p.matches("KMS:reencryptto"));
/// assert!(!p.matches("kms:Encrypt"));
/// assert_eq!(p.service(), Some("kms"));
/// ```
#[derive(Clone, Debug)]
pub struct ActionPattern {
    /// The text as written; read by `parse_policy`, a range of the policy's
    /// text, shared with its other actions (no allocation per action).
    text: SharedStr,
    /// Byte offset of the `:` in `text`; 0 for `*` (a pattern's colon is
    /// never its first byte).
    colon: u32,
    /// Whether the service prefix has upper case: [`ActionPattern::service`]
    /// then answers from `compiled`.
    upper: bool,
    /// What matching needs, made on first use: a policy read only to be
    /// linted or printed never pays for it. Boxed, so that an action read is
    /// small (policies hold many; reading them writes every byte).
    compiled: OnceLock<Box<Compiled>>,
}

/// The parts of an [`ActionPattern`] made when it is first matched.
#[derive(Clone, Debug)]
struct Compiled {
    /// The service prefix lowercased, when it has upper case (else empty).
    service_lower: Box<str>,
    /// The pattern over the name part.
    name: Pattern,
}

/// [`BYTE_CLASS`]: an ASCII letter, digit or `-` (may be in a service prefix).
const ALNUM_OR_DASH: u8 = 1;
/// [`BYTE_CLASS`]: an ASCII upper-case letter.
const UPPER: u8 = 2;

/// What each byte is, for reading service prefixes with one lookup a byte.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() || byte == b'-' {
            table[b] |= ALNUM_OR_DASH;
        }
        if byte.is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        b += 1;
    }
    table
};

/// Check an action pattern's text: the offset of its `:` (0 for `*`) and
/// whether its service prefix has upper case, or why it is not an action.
///
/// A byte loop up to the colon and a word-at-a-time check of the name, not
/// `split_once` and `char` iteration: every action of every policy read
/// comes through here.
#[inline]
pub(super) fn classify(raw: &str) -> Result<(u32, bool), ActionPatternErrorKind> {
    if raw.is_empty() {
        return Err(ActionPatternErrorKind::Empty);
    }
    if raw == "*" {
        return Ok((0, false));
    }
    let bytes = raw.as_bytes();
    let mut colon = None;
    // The classes of the service's bytes, ANDed and ORed.
    let (mut every, mut some) = (ALNUM_OR_DASH, 0);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' {
            colon = Some(i);
            break;
        }
        let class = BYTE_CLASS[usize::from(b)];
        every &= class;
        some |= class;
    }
    let Some(colon) = colon else {
        return Err(ActionPatternErrorKind::MissingColon);
    };
    if colon == 0 {
        return Err(ActionPatternErrorKind::EmptyService);
    }
    if every & ALNUM_OR_DASH == 0 {
        return Err(ActionPatternErrorKind::InvalidService);
    }
    let name = &bytes[colon + 1..];
    if name.is_empty() {
        return Err(ActionPatternErrorKind::EmptyName);
    }
    // Only a colon, a byte up to space (which covers ASCII whitespace) or a
    // non-ASCII byte can make the name invalid: check exactly then.
    if has_suspect_byte(name) && raw[colon + 1..].contains(|c: char| c == ':' || c.is_whitespace())
    {
        return Err(ActionPatternErrorKind::InvalidName);
    }
    // A service prefix of 4 GiB is refused, not wrapped.
    let colon = u32::try_from(colon).map_err(|_| ActionPatternErrorKind::TooLong)?;
    Ok((colon, some & UPPER != 0))
}

/// Whether some byte of `name` is `:`, at most a space, or not ASCII,
/// eight bytes at a time (the last word overlaps the one before).
fn has_suspect_byte(name: &[u8]) -> bool {
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or_default());
    let Some(last) = name.len().checked_sub(8) else {
        let mut padded = [b'a'; 8];
        padded[..name.len()].copy_from_slice(name);
        return suspect_bytes(u64::from_le_bytes(padded)) != 0;
    };
    let found = name
        .chunks_exact(8)
        .fold(suspect_bytes(word(&name[last..])), |found, chunk| {
            found | suspect_bytes(word(chunk))
        });
    found != 0
}

/// High bit set in some byte of the result iff some byte of `word` is `:`,
/// below `!` (space and the control characters) or not ASCII.
fn suspect_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let colon = word ^ (ONES * u64::from(b':'));
    let colon = colon.wrapping_sub(ONES) & !colon;
    let below_bang = word.wrapping_sub(ONES * u64::from(b'!')) & !word;
    (colon | below_bang | word) & HIGHS
}

impl PartialEq for ActionPattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ActionPattern {}

impl Hash for ActionPattern {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl ActionPattern {
    /// Parse an `Action` element string.
    ///
    /// ```
    /// use keyward_policy::matching::ActionPattern;
    ///
    /// assert!(ActionPattern::parse("*").is_ok());
    /// assert!(ActionPattern::parse("kms:*").is_ok());
    /// assert!(ActionPattern::parse("kms").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<ActionPattern, ActionPatternError> {
        ActionPattern::from_shared(SharedStr::copy(text))
    }

    /// Like [`ActionPattern::parse`], taking the text as a box.
    pub fn from_boxed(raw: Box<str>) -> Result<ActionPattern, ActionPatternError> {
        ActionPattern::parse(&raw)
    }

    /// Read `text` (a range of a shared text) as an action pattern.
    pub(crate) fn from_shared(text: SharedStr) -> Result<ActionPattern, ActionPatternError> {
        match classify(text.as_str()) {
            Ok((colon, upper)) => Ok(ActionPattern::from_parts(text, colon, upper)),
            Err(kind) => Err(ActionPatternError::new(text.as_str(), kind)),
        }
    }

    /// Like [`ActionPattern::from_shared`] for a reader that needs no
    /// reason: `None` when `text` is not an action. Built in place (no
    /// `Result` of the error's size to copy through).
    #[inline]
    pub(crate) fn from_shared_valid(text: SharedStr) -> Option<ActionPattern> {
        let (colon, upper) = classify(text.as_str()).ok()?;
        Some(ActionPattern::from_parts(text, colon, upper))
    }

    /// An action that [`super::action_scan::scan`] read from `text`: `colon`
    /// and `upper` are what `classify` would find.
    #[inline]
    pub(crate) fn from_scanned(text: SharedStr, colon: u32, upper: bool) -> ActionPattern {
        ActionPattern::from_parts(text, colon, upper)
    }

    #[inline]
    fn from_parts(text: SharedStr, colon: u32, upper: bool) -> ActionPattern {
        ActionPattern {
            text,
            colon,
            upper,
            compiled: OnceLock::new(),
        }
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let service = self.as_str().get(..self.colon as usize).unwrap_or("");
            Box::new(Compiled {
                service_lower: if self.upper {
                    service.to_ascii_lowercase().into()
                } else {
                    Box::default()
                },
                name: Pattern::new(self.name()),
            })
        })
    }

    /// Does the concrete action `service:Name` match? Case-insensitive in both
    /// parts; never allocates. `*` matches every string.
    ///
    /// ```
    /// use keyward_policy::matching::ActionPattern;
    ///
    /// let p = ActionPattern::parse("kms:Re?ncrypt*").unwrap();
    /// assert!(p.matches("kms:ReEncryptTo"));
    /// assert!(!p.matches("kms:Encrypt"));
    /// assert!(!p.matches("ReEncryptTo"));
    /// ```
    pub fn matches(&self, action: &str) -> bool {
        let Some(service) = self.service() else {
            return true;
        };
        let Some((prefix, name)) = action.split_once(':') else {
            return false;
        };
        prefix.eq_ignore_ascii_case(service)
            && self
                .name_pattern()
                .matches(name, CaseMode::AsciiInsensitive)
    }

    /// The service prefix, lowercased; `None` for `*`.
    ///
    /// ```
    /// use keyward_policy::matching::ActionPattern;
    ///
    /// assert_eq!(ActionPattern::parse("KMS:Encrypt").unwrap().service(), Some("kms"));
    /// assert_eq!(ActionPattern::parse("*").unwrap().service(), None);
    /// ```
    pub fn service(&self) -> Option<&str> {
        if self.is_all() {
            return None;
        }
        if self.upper {
            return Some(&self.compiled().service_lower);
        }
        self.as_str().get(..self.colon as usize)
    }

    /// The name part as written (after the `:`); `*` for the all-actions pattern.
    ///
    /// ```
    /// use keyward_policy::matching::ActionPattern;
    ///
    /// assert_eq!(ActionPattern::parse("kms:Describe*").unwrap().name(), "Describe*");
    /// ```
    pub fn name(&self) -> &str {
        if self.is_all() {
            return "*";
        }
        self.as_str().get(self.colon as usize + 1..).unwrap_or("")
    }

    /// The pattern over action names (after the `:`), as written; `*` for the
    /// all-actions pattern. Match it with [`CaseMode::AsciiInsensitive`].
    ///
    /// ```
    /// use keyward_policy::matching::ActionPattern;
    ///
    /// let p = ActionPattern::parse("kms:Describe*").unwrap();
    /// assert_eq!(p.name_pattern().to_string(), "Describe*");
    /// ```
    pub fn name_pattern(&self) -> &Pattern {
        &self.compiled().name
    }

    /// True for `*`: every action of every service.
    ///
    /// ```
    /// use keyward_policy::matching::ActionPattern;
    ///
    /// assert!(ActionPattern::parse("*").unwrap().is_all());
    /// assert!(!ActionPattern::parse("kms:*").unwrap().is_all());
    /// ```
    pub fn is_all(&self) -> bool {
        self.colon == 0
    }

    /// The text as written.
    ///
    /// ```
    /// use keyward_policy::matching::ActionPattern;
    ///
    /// assert_eq!(ActionPattern::parse("KMS:encrypt").unwrap().as_str(), "KMS:encrypt");
    /// ```
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }
}

/// Writes the text as written.
impl fmt::Display for ActionPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Same as [`ActionPattern::parse`].
impl FromStr for ActionPattern {
    type Err = ActionPatternError;

    fn from_str(text: &str) -> Result<ActionPattern, ActionPatternError> {
        ActionPattern::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> ActionPattern {
        ActionPattern::parse(text).unwrap()
    }

    #[test]
    fn star_matches_every_action() {
        assert!(p("*").matches("kms:Encrypt"));
        assert!(p("*").matches("s3:GetObject"));
    }

    #[test]
    fn service_wide_pattern_stays_in_its_service() {
        assert!(p("kms:*").matches("kms:Encrypt"));
        assert!(p("kms:*").matches("KMS:Decrypt"));
        assert!(!p("kms:*").matches("kmsx:Encrypt"));
        assert!(!p("kms:*").matches("s3:GetObject"));
    }

    #[test]
    fn case_is_ignored_in_both_parts() {
        assert!(p("KMS:encrypt").matches("kms:Encrypt"));
        assert!(p("kms:Encrypt").matches("Kms:ENCRYPT"));
        assert!(!p("kms:Encrypt").matches("kms:Encrypt2"));
    }

    #[test]
    fn wildcards_in_the_name() {
        assert!(p("kms:ReEncrypt*").matches("kms:ReEncryptFrom"));
        assert!(p("kms:ReEncrypt*").matches("kms:ReEncryptTo"));
        assert!(p("kms:Re?ncrypt*").matches("kms:ReEncryptFrom"));
        assert!(!p("kms:Re?ncrypt*").matches("kms:Rncrypt"));
        assert!(p("kms:Generate*Key*").matches("kms:GenerateDataKeyPair"));
        assert!(!p("kms:Generate*Key*").matches("kms:GenerateMac"));
    }

    #[test]
    fn malformed_actions_are_rejected_with_a_reason() {
        let kind = |t: &str| ActionPattern::parse(t).unwrap_err().kind();
        assert_eq!(kind(""), ActionPatternErrorKind::Empty);
        assert_eq!(kind("kmsEncrypt"), ActionPatternErrorKind::MissingColon);
        assert_eq!(kind(":Encrypt"), ActionPatternErrorKind::EmptyService);
        assert_eq!(kind("k*s:Encrypt"), ActionPatternErrorKind::InvalidService);
        assert_eq!(kind(" kms:Encrypt"), ActionPatternErrorKind::InvalidService);
        assert_eq!(kind("kms:"), ActionPatternErrorKind::EmptyName);
        assert_eq!(kind("kms:En crypt"), ActionPatternErrorKind::InvalidName);
        assert_eq!(kind("kms:a:b"), ActionPatternErrorKind::InvalidName);
        assert_eq!(
            ActionPattern::parse("k*s:Encrypt").unwrap_err().to_string(),
            "`k*s:Encrypt` is not an action: the service prefix `k*s` may hold only letters, digits and `-`"
        );
    }

    #[test]
    fn equality_follows_the_written_text() {
        assert_eq!(p("kms:Encrypt"), p("kms:Encrypt"));
        assert_ne!(p("kms:Encrypt"), p("KMS:Encrypt"));
        assert_eq!(p("KMS:Encrypt").to_string(), "KMS:Encrypt");
        assert_eq!("kms:*".parse::<ActionPattern>().unwrap(), p("kms:*"));
    }
}
