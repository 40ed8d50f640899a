//! Strings that share one allocation: the text a policy was read from.
//!
//! Reading a policy makes hundreds of small strings (one per action).
//! Copying each into an allocation of its own costs more than reading it; a
//! [`SharedStr`] is a range of a reference-counted text instead, so the
//! strings read from one document share that document's one copy.

use std::fmt;
use std::sync::Arc;

/// A string that is a range of a shared text.
#[derive(Clone)]
pub(crate) struct SharedStr {
    source: Arc<str>,
    start: u32,
    /// One past the last byte, or [`TO_END`].
    end: u32,
}

/// [`SharedStr::end`] of a string that runs to the end of its source (a copy
/// of its own, which may be longer than 32-bit offsets reach).
const TO_END: u32 = u32::MAX;

impl SharedStr {
    /// `source[start..end]`, sharing `source`; `None` if the range is not
    /// inside it on character boundaries, or ends beyond 4 GiB.
    pub(crate) fn new(source: &Arc<str>, start: usize, end: usize) -> Option<SharedStr> {
        source.get(start..end)?;
        let end = u32::try_from(end).ok().filter(|&end| end != TO_END)?;
        Some(SharedStr {
            source: Arc::clone(source),
            start: u32::try_from(start).ok()?,
            end,
        })
    }

    /// A copy of `text` of its own.
    pub(crate) fn copy(text: &str) -> SharedStr {
        SharedStr {
            source: Arc::from(text),
            start: 0,
            end: TO_END,
        }
    }

    /// The string.
    pub(crate) fn as_str(&self) -> &str {
        let start = self.start as usize;
        match self.end {
            TO_END => self.source.get(start..),
            end => self.source.get(start..end as usize),
        }
        .unwrap_or("")
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl std::hash::Hash for SharedStr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// Shows the string, as `str` does (not the text it shares).
impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_shares_its_source_and_shows_only_itself() {
        let source: Arc<str> = Arc::from(r#"["kms:Decrypt","é"]"#);
        let s = SharedStr::new(&source, 2, 13).unwrap();
        assert_eq!(s.as_str(), "kms:Decrypt");
        assert_eq!(format!("{s:?}"), "\"kms:Decrypt\"");
        assert_eq!(Arc::strong_count(&source), 2);
        assert!(SharedStr::new(&source, 16, 17).is_none(), "inside `é`");
        assert!(SharedStr::new(&source, 2, 99).is_none());
        assert_eq!(SharedStr::copy("x").as_str(), "x");
        assert_eq!(SharedStr::copy("k"), SharedStr::new(&source, 2, 3).unwrap());
    }
}
