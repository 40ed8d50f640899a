//! A segment: the part of a pattern between two `*`, a fixed number of
//! characters each either literal or `?`.

use super::CaseMode;

/// One `*`-free run of a pattern.
#[derive(Clone, Debug)]
pub(super) enum Segment {
    /// No `?`: compared byte-wise.
    Literal(Box<str>),
    /// At least one `?` (`None`); compared character by character.
    Mixed(Box<[Option<char>]>),
}

impl Segment {
    /// Build from characters, `None` standing for `?`.
    pub(super) fn new(units: Vec<Option<char>>) -> Segment {
        if units.iter().all(Option::is_some) {
            Segment::Literal(units.into_iter().flatten().collect::<String>().into())
        } else {
            Segment::Mixed(units.into())
        }
    }

    /// True for the empty segment (matches only the empty text).
    pub(super) fn is_empty(&self) -> bool {
        match self {
            Segment::Literal(text) => text.is_empty(),
            Segment::Mixed(units) => units.is_empty(),
        }
    }

    /// The characters, `None` for `?`.
    pub(super) fn units(&self) -> Vec<Option<char>> {
        match self {
            Segment::Literal(text) => text.chars().map(Some).collect(),
            Segment::Mixed(units) => units.to_vec(),
        }
    }

    /// If the segment matches a prefix of `text`, the byte length of that prefix.
    pub(super) fn match_start(&self, text: &str, case: CaseMode) -> Option<usize> {
        match self {
            Segment::Literal(lit) => {
                let head = text.as_bytes().get(..lit.len())?;
                bytes_eq(head, lit.as_bytes(), case).then_some(lit.len())
            }
            Segment::Mixed(units) => {
                let mut chars = text.char_indices();
                for unit in units.iter() {
                    let (_, c) = chars.next()?;
                    if !unit_matches(*unit, c, case) {
                        return None;
                    }
                }
                Some(chars.offset())
            }
        }
    }

    /// If the segment matches a suffix of `text`, the byte offset where it starts.
    pub(super) fn match_end(&self, text: &str, case: CaseMode) -> Option<usize> {
        match self {
            Segment::Literal(lit) => {
                let start = text.len().checked_sub(lit.len())?;
                let tail = text.as_bytes().get(start..)?;
                bytes_eq(tail, lit.as_bytes(), case).then_some(start)
            }
            Segment::Mixed(units) => {
                let mut chars = text.char_indices().rev();
                let mut start = text.len();
                for unit in units.iter().rev() {
                    let (at, c) = chars.next()?;
                    if !unit_matches(*unit, c, case) {
                        return None;
                    }
                    start = at;
                }
                Some(start)
            }
        }
    }
}

/// Byte-wise equality; ASCII folding is safe on UTF-8 because it only
/// touches bytes below 0x80, which never occur inside a multi-byte character.
///
/// Empty slices return early: `memcmp` on an empty slice whose pointer is
/// dangling (an empty `Box<str>`) costs ~100 ns on some CPUs, where a masked
/// vector load at an unmapped address needs a microcode assist.
pub(super) fn bytes_eq(a: &[u8], b: &[u8], case: CaseMode) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.is_empty() {
        return true;
    }
    match case {
        CaseMode::Sensitive => a == b,
        CaseMode::AsciiInsensitive => a.eq_ignore_ascii_case(b),
    }
}

fn unit_matches(unit: Option<char>, c: char, case: CaseMode) -> bool {
    match unit {
        None => true,
        Some(p) => match case {
            CaseMode::Sensitive => p == c,
            CaseMode::AsciiInsensitive => p.eq_ignore_ascii_case(&c),
        },
    }
}
