//! The IAM wildcard matcher, written the obvious way: `*` matches any run of
//! characters, `?` exactly one, recursively, character by character.
//!
//! Exponential in the worst case; the reference only ever sees short
//! generated patterns. The engine uses the policy crate's linear-time
//! `Pattern`, and the two check each other.

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A character that must appear as is.
    Char(char),
    /// `*`.
    Star,
    /// `?`.
    One,
}

/// Pieces of `text` where `*` and `?` are wildcards.
pub fn pieces(text: &str) -> Vec<Piece> {
    text.chars()
        .map(|c| match c {
            '*' => Piece::Star,
            '?' => Piece::One,
            c => Piece::Char(c),
        })
        .collect()
}

/// Pieces of `text` taken literally.
pub fn literal(text: &str) -> Vec<Piece> {
    text.chars().map(Piece::Char).collect()
}

/// Does `pattern` match all of `text`?
pub fn matches(pattern: &[Piece], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((Piece::Star, rest)) => (0..=text.len()).any(|skip| matches(rest, &text[skip..])),
        Some((Piece::One, rest)) => !text.is_empty() && matches(rest, &text[1..]),
        Some((Piece::Char(c), rest)) => text.first() == Some(c) && matches(rest, &text[1..]),
    }
}

/// Does `pattern` (with wildcards) match `text`, case-sensitively?
pub fn like(pattern: &str, text: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    matches(&pieces(pattern), &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks() {
        assert!(like("kms:*", "kms:Decrypt"));
        assert!(like("*", ""));
        assert!(like("a?c", "abc"));
        assert!(!like("a?c", "ac"));
        assert!(like("*a*b*", "xxaxxbxx"));
        assert!(!like("*a*b*", "xxbxxaxx"));
        assert!(!like("Abc", "abc"));
        assert!(like("é?", "éé"));
    }
}
