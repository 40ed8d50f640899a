//! Segment-aware ARN wildcard matching for `Resource` and `Arn…` conditions.
//!
//! An ARN has six `:`-separated fields; the last (the resource) may itself
//! contain colons. Each field of the pattern is matched against the same
//! field of the ARN with `*`/`?` wildcards, case-sensitively (rule 46), so a
//! wildcard never crosses a field boundary, but `*` in the resource field
//! crosses `/` (rule 51).

use keyward_policy::matching::{CaseMode, Pattern, PatternToken};

/// A compiled ARN pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ArnPat {
    /// `*`: every ARN.
    Any,
    /// Six field patterns.
    Fields(Box<[Pattern; 6]>),
    /// Not an ARN pattern: cannot be evaluated (fails closed).
    Malformed,
}

impl ArnPat {
    /// Compile pattern text where `*` and `?` are wildcards.
    pub(crate) fn new(text: &str) -> ArnPat {
        ArnPat::from_tokens(&Pattern::new(text).tokens().to_vec())
    }

    /// Compile from wildcard tokens (literal `*` from `${*}` stays literal).
    pub(crate) fn from_tokens(tokens: &[PatternToken]) -> ArnPat {
        if matches!(tokens, [PatternToken::AnyString]) {
            return ArnPat::Any;
        }
        let mut fields: Vec<Vec<PatternToken>> = vec![Vec::new()];
        for token in tokens {
            match token {
                PatternToken::Literal(text) => {
                    let mut pieces = text.split(':');
                    if let Some(first) = pieces.next() {
                        push_literal(&mut fields, first);
                    }
                    for piece in pieces {
                        if fields.len() < 6 {
                            fields.push(Vec::new());
                            push_literal(&mut fields, piece);
                        } else {
                            push_literal(&mut fields, ":");
                            push_literal(&mut fields, piece);
                        }
                    }
                }
                other => {
                    if let Some(last) = fields.last_mut() {
                        last.push(other.clone());
                    }
                }
            }
        }
        if fields.len() != 6 {
            return ArnPat::Malformed;
        }
        let first_is_arn = matches!(fields[0].as_slice(), [PatternToken::Literal(t)] if &**t == "arn");
        if !first_is_arn {
            return ArnPat::Malformed;
        }
        let mut built = fields.into_iter().map(Pattern::from_tokens);
        let array = [(); 6].map(|()| built.next().unwrap_or_else(|| Pattern::new("")));
        ArnPat::Fields(Box::new(array))
    }

    /// Does `arn` match? `None` when the pattern is malformed.
    pub(crate) fn matches(&self, arn: &str) -> Option<bool> {
        match self {
            ArnPat::Any => Some(true),
            ArnPat::Malformed => None,
            ArnPat::Fields(fields) => {
                let mut parts = arn.splitn(6, ':');
                for field in fields.iter() {
                    let Some(part) = parts.next() else {
                        return Some(false);
                    };
                    if !field.matches(part, CaseMode::Sensitive) {
                        return Some(false);
                    }
                }
                Some(true)
            }
        }
    }
}

fn push_literal(fields: &mut [Vec<PatternToken>], text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = fields.last_mut() {
        match last.last_mut() {
            Some(PatternToken::Literal(prev)) => {
                let joined = format!("{prev}{text}");
                *prev = joined.into();
            }
            _ => last.push(PatternToken::Literal(text.into())),
        }
    }
}
