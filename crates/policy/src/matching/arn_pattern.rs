//! ARN patterns from `Resource` elements and `ArnLike`/`ArnEquals` values.

use std::fmt;
use std::str::FromStr;

use super::arn::Arn;
use super::err::ArnPatternError;
use super::wildcard::{tokenize, CaseMode, Pattern, PatternToken};

/// The number of `:`-separated parts of an ARN.
const PARTS: usize = 6;

/// A pattern over ARNs: `*` (every ARN, indeed every string), or six
/// `:`-separated parts matched one by one, case-sensitively.
///
/// A wildcard in the first five parts never spans a `:`; the sixth part (the
/// resource) is everything after the fifth `:`, and a `*` there crosses `/`
/// and `:`. A text that is not an ARN matches only `*`.
///
/// ```
/// use keyward_policy::matching::ArnPattern;
///
/// let p = ArnPattern::parse("arn:aws:kms:*:111122223333:key/*").unwrap();
/// assert!(p.matches("arn:aws:kms:eu-west-1:111122223333:key/1234"));
/// assert!(!p.matches("arn:aws:kms:eu-west-1:111122223333:alias/prod"));
/// assert!(!p.matches("arn:aws:kms:eu-west-1:444455556666:key/1234"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArnPattern {
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// `*`.
    All,
    /// `arn`, partition, service, region, account, resource.
    Parts(Box<[Pattern; PARTS]>),
}

impl ArnPattern {
    /// Parse a `Resource` element or ARN-condition value; `*` and `?` are
    /// wildcards.
    ///
    /// ```
    /// use keyward_policy::matching::ArnPattern;
    ///
    /// assert!(ArnPattern::parse("*").unwrap().is_match_all());
    /// assert!(ArnPattern::parse("arn:aws:s3:::bucket/*").is_ok());
    /// assert!(ArnPattern::parse("arn:aws:kms:*").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<ArnPattern, ArnPatternError> {
        let tokens = tokenize(text);
        ArnPattern::build(&tokens).map_err(|found| ArnPatternError::new(text, found))
    }

    /// Build from tokens: a template after policy-variable substitution, where
    /// a `${*}` became a literal `*`. The parts are split at the first five
    /// `:` of the literal text.
    ///
    /// ```
    /// use keyward_policy::matching::{ArnPattern, PatternToken};
    ///
    /// let p = ArnPattern::from_tokens(&[
    ///     PatternToken::Literal("arn:aws:iam::111122223333:user/".into()),
    ///     PatternToken::Literal("alice".into()),
    ///     PatternToken::AnyString,
    /// ])
    /// .unwrap();
    /// assert!(p.matches("arn:aws:iam::111122223333:user/alice-2"));
    /// ```
    pub fn from_tokens(tokens: &[PatternToken]) -> Result<ArnPattern, ArnPatternError> {
        ArnPattern::build(tokens).map_err(|found| {
            let text = Pattern::from_tokens(tokens.iter().cloned()).to_string();
            ArnPatternError::new(&text, found)
        })
    }

    /// Split tokens into parts; on failure, the number of parts found.
    fn build(tokens: &[PatternToken]) -> Result<ArnPattern, usize> {
        let mut parts: Vec<Vec<PatternToken>> = vec![Vec::new()];
        for token in tokens {
            match token {
                PatternToken::Literal(text) => {
                    let mut rest: &str = text;
                    while parts.len() < PARTS {
                        let Some(at) = rest.find(':') else { break };
                        push(&mut parts, PatternToken::Literal(rest[..at].into()));
                        parts.push(Vec::new());
                        rest = &rest[at + 1..];
                    }
                    push(&mut parts, PatternToken::Literal(rest.into()));
                }
                other => push(&mut parts, other.clone()),
            }
        }
        if parts.len() < PARTS {
            let whole = Pattern::from_tokens(tokens.iter().cloned());
            return if whole.is_match_all() {
                Ok(ArnPattern { kind: Kind::All })
            } else {
                Err(parts.len())
            };
        }
        let mut patterns = parts.into_iter().map(Pattern::from_tokens);
        let mut next = || patterns.next().unwrap_or_else(|| Pattern::new(""));
        let parts = [next(), next(), next(), next(), next(), next()];
        Ok(ArnPattern {
            kind: Kind::Parts(Box::new(parts)),
        })
    }

    /// Does `text` match? Never allocates; a text that is not an ARN matches
    /// only `*`.
    ///
    /// ```
    /// use keyward_policy::matching::ArnPattern;
    ///
    /// let p = ArnPattern::parse("arn:aws:iam::*:role/Admin?").unwrap();
    /// assert!(p.matches("arn:aws:iam::111122223333:role/Admin1"));
    /// assert!(!p.matches("arn:aws:iam::111122223333:role/admin1"));
    /// assert!(!p.matches("not an arn"));
    /// ```
    pub fn matches(&self, text: &str) -> bool {
        match &self.kind {
            Kind::All => true,
            Kind::Parts(_) => Arn::split(text).is_ok_and(|arn| self.matches_arn(&arn)),
        }
    }

    /// Does a parsed ARN match?
    ///
    /// ```
    /// use keyward_policy::matching::{Arn, ArnPattern};
    ///
    /// let arn = Arn::parse("arn:aws:kms:us-east-1:111122223333:key/1234").unwrap();
    /// assert!(ArnPattern::parse("arn:aws:kms:us-east-?:*:key/*").unwrap().matches_arn(&arn));
    /// ```
    pub fn matches_arn(&self, arn: &Arn<'_>) -> bool {
        let Kind::Parts(parts) = &self.kind else {
            return true;
        };
        let [prefix, partition, service, region, account, resource] = &**parts;
        let s = CaseMode::Sensitive;
        account.matches(arn.account(), s)
            && resource.matches(arn.resource(), s)
            && service.matches(arn.service(), s)
            && region.matches(arn.region(), s)
            && partition.matches(arn.partition(), s)
            && prefix.matches("arn", s)
    }

    /// True for `*`.
    ///
    /// ```
    /// use keyward_policy::matching::ArnPattern;
    ///
    /// assert!(ArnPattern::parse("*").unwrap().is_match_all());
    /// assert!(!ArnPattern::parse("*:*:*:*:*:*").unwrap().is_match_all());
    /// ```
    pub fn is_match_all(&self) -> bool {
        matches!(self.kind, Kind::All)
    }

    /// The six part patterns (`arn`, partition, service, region, account,
    /// resource); `None` for `*`.
    ///
    /// ```
    /// use keyward_policy::matching::ArnPattern;
    ///
    /// let p = ArnPattern::parse("arn:aws:kms:*:111122223333:key/*").unwrap();
    /// assert_eq!(p.account().and_then(|a| a.as_literal()), Some("111122223333"));
    /// ```
    pub fn parts(&self) -> Option<&[Pattern; PARTS]> {
        match &self.kind {
            Kind::All => None,
            Kind::Parts(parts) => Some(parts),
        }
    }

    /// The partition pattern; `None` for `*`.
    pub fn partition(&self) -> Option<&Pattern> {
        self.parts().map(|p| &p[1])
    }

    /// The service pattern; `None` for `*`.
    pub fn service(&self) -> Option<&Pattern> {
        self.parts().map(|p| &p[2])
    }

    /// The region pattern; `None` for `*`.
    pub fn region(&self) -> Option<&Pattern> {
        self.parts().map(|p| &p[3])
    }

    /// The account pattern; `None` for `*`.
    pub fn account(&self) -> Option<&Pattern> {
        self.parts().map(|p| &p[4])
    }

    /// The resource pattern (after the fifth `:`); `None` for `*`.
    pub fn resource(&self) -> Option<&Pattern> {
        self.parts().map(|p| &p[5])
    }
}

/// Append to the last part, which always exists.
fn push(parts: &mut [Vec<PatternToken>], token: PatternToken) {
    if let Some(last) = parts.last_mut() {
        last.push(token);
    }
}

/// Writes the pattern as policy text (literal `*` and `?` as `${*}`, `${?}`).
impl fmt::Display for ArnPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::All => f.write_str("*"),
            Kind::Parts(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(":")?;
                    }
                    write!(f, "{part}")?;
                }
                Ok(())
            }
        }
    }
}

/// Same as [`ArnPattern::parse`].
impl FromStr for ArnPattern {
    type Err = ArnPatternError;

    fn from_str(text: &str) -> Result<ArnPattern, ArnPatternError> {
        ArnPattern::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, arn: &str) -> bool {
        ArnPattern::parse(pattern).unwrap().matches(arn)
    }

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab";

    #[test]
    fn star_matches_everything() {
        assert!(m("*", KEY));
        assert!(m("*", "not an arn"));
        assert!(m("**", ""));
    }

    #[test]
    fn typical_key_patterns() {
        assert!(m("arn:aws:kms:*:111122223333:key/*", KEY));
        assert!(m(KEY, KEY));
        assert!(!m("arn:aws:kms:*:111122223333:alias/*", KEY));
        assert!(!m(
            "arn:aws:kms:*:111122223333:key/*",
            "arn:aws-cn:kms:cn-north-1:111122223333:key/x"
        ));
        assert!(m(
            "arn:aws*:kms:*:111122223333:key/*",
            "arn:aws-cn:kms:cn-north-1:111122223333:key/x"
        ));
    }

    #[test]
    fn star_in_region_never_crosses_a_colon() {
        // As a whole-string glob this would match, the region `*` absorbing
        // `us-east-1:111122223333`; part by part the account must be `log-group`.
        let group = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/x";
        assert!(!m("arn:aws:logs:*:log-group:*", group));
        assert!(m("arn:aws:logs:*:*:log-group:*", group));
        assert!(!m("arn:aws:kms:us-*:1111:key/*", KEY));
        assert!(m("arn:aws:kms:us-*:*:*", KEY));
    }

    #[test]
    fn star_in_resource_crosses_slash_and_colon() {
        let group = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f:*";
        assert!(m("arn:aws:logs:*:*:*", group));
        assert!(m("arn:aws:logs:*:*:log-group:*", group));
        assert!(m("arn:aws:logs:*:*:*/lambda/*", group));
    }

    #[test]
    fn matching_is_case_sensitive() {
        assert!(!m("arn:aws:kms:*:111122223333:KEY/*", KEY));
        assert!(!m("arn:aws:KMS:*:111122223333:key/*", KEY));
        assert!(!m("arn:aws:kms:*:111122223333:key/1234ABCD-12AB", KEY));
    }

    #[test]
    fn question_marks_match_one_character_per_part() {
        assert!(m("arn:aws:kms:us-east-?:111122223333:key/*", KEY));
        assert!(!m("arn:aws:kms:us-east-??:111122223333:key/*", KEY));
        assert!(m("arn:???:kms:*:*:key/????????-????", KEY));
        // `?` never matches the `:` between parts.
        let group = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/x";
        assert!(!m("arn:aws:logs:us-east-1?111122223333:*:*", group));
    }

    #[test]
    fn non_arns_match_only_star() {
        assert!(!m("*:*:*:*:*:*", "111122223333"));
        assert!(!m("arn:*:*:*:*:*", "arn:aws:kms"));
        assert!(m("*:*:*:*:*:*", "arn:a:b:::c"));
    }

    #[test]
    fn fewer_than_six_parts_is_an_error() {
        assert_eq!(ArnPattern::parse("arn:aws:kms:*").unwrap_err().found(), 4);
        assert_eq!(ArnPattern::parse("key/*").unwrap_err().found(), 1);
        assert_eq!(ArnPattern::parse("").unwrap_err().found(), 1);
        assert!(ArnPattern::parse("*?").is_err());
    }

    #[test]
    fn literal_star_from_a_template_is_not_a_wildcard() {
        let p = ArnPattern::from_tokens(&[
            PatternToken::Literal("arn:aws:s3:::bucket/".into()),
            PatternToken::Literal("*".into()),
        ])
        .unwrap();
        assert!(p.matches("arn:aws:s3:::bucket/*"));
        assert!(!p.matches("arn:aws:s3:::bucket/x"));
        assert_eq!(p.to_string(), "arn:aws:s3:::bucket/${*}");
        let err = ArnPattern::from_tokens(&[PatternToken::Literal("*".into())]).unwrap_err();
        assert_eq!(err.input(), "${*}");
    }

    #[test]
    fn display_round_trips() {
        let text = "arn:aws:kms:*:111122223333:key/*";
        assert_eq!(ArnPattern::parse(text).unwrap().to_string(), text);
        assert_eq!(
            text.parse::<ArnPattern>().unwrap(),
            ArnPattern::parse(text).unwrap()
        );
    }
}
