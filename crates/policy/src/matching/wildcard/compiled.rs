//! A pattern compiled for matching: anchored first and last segments and the
//! middle segments with their searchers.

use super::segment::Segment;
use super::shift_and::Searcher;
use super::{CaseMode, PatternToken};

/// The matching form of a pattern.
#[derive(Clone, Debug)]
pub(super) enum Compiled {
    /// No `*`: the text must match this one segment exactly.
    Exact(Segment),
    /// At least one `*`.
    Star {
        /// Before the first `*`, anchored at the start; `None` when empty.
        prefix: Option<Segment>,
        /// Between `*`s, each non-empty, found leftmost in order.
        middles: Box<[Middle]>,
        /// After the last `*`, anchored at the end; `None` when empty.
        suffix: Option<Segment>,
    },
}

/// A middle segment and what finds it.
#[derive(Clone, Debug)]
pub(super) struct Middle {
    segment: Segment,
    /// True when case folding cannot change the segment's matches (no ASCII
    /// letter and no `?`), so `str::find` serves both modes.
    fold_free: bool,
    searcher: Searcher,
}

impl Middle {
    fn new(segment: Segment) -> Middle {
        let units = segment.units();
        let fold_free = matches!(&segment, Segment::Literal(text) if !text.bytes().any(|b| b.is_ascii_alphabetic()));
        Middle {
            searcher: Searcher::new(&units),
            segment,
            fold_free,
        }
    }

    /// The byte offset just past the leftmost occurrence in `hay`.
    fn find_end(&self, hay: &str, case: CaseMode) -> Option<usize> {
        match &self.segment {
            Segment::Literal(lit) if self.fold_free || case == CaseMode::Sensitive => {
                hay.find(&**lit).map(|at| at + lit.len())
            }
            _ => self.searcher.find_end(hay, case),
        }
    }
}

impl Compiled {
    /// Compile normalized tokens.
    pub(super) fn new(tokens: &[PatternToken]) -> Compiled {
        let mut segments: Vec<Segment> = Vec::new();
        let mut current: Vec<Option<char>> = Vec::new();
        for token in tokens {
            match token {
                PatternToken::Literal(text) => current.extend(text.chars().map(Some)),
                PatternToken::AnyChar => current.push(None),
                PatternToken::AnyString => {
                    segments.push(Segment::new(std::mem::take(&mut current)))
                }
            }
        }
        let last = Segment::new(current);
        if segments.is_empty() {
            return Compiled::Exact(last);
        }
        // Empty segments are dropped rather than compared: besides saving
        // work, comparing an empty slice can cost ~100 ns on some CPUs (a
        // masked vector load at a dangling pointer needs a microcode assist).
        let mut iter = segments.into_iter();
        let prefix = iter.next().filter(|s| !s.is_empty());
        let middles = iter.filter(|s| !s.is_empty()).map(Middle::new).collect();
        Compiled::Star {
            prefix,
            middles,
            suffix: Some(last).filter(|s| !s.is_empty()),
        }
    }

    /// Does `text` match the whole pattern?
    pub(super) fn matches(&self, text: &str, case: CaseMode) -> bool {
        match self {
            Compiled::Exact(segment) => segment.match_start(text, case) == Some(text.len()),
            Compiled::Star {
                prefix,
                middles,
                suffix,
            } => {
                let mut at = 0;
                if let Some(prefix) = prefix {
                    match prefix.match_start(text, case) {
                        Some(len) => at = len,
                        None => return false,
                    }
                }
                let mut end = text.len();
                if let Some(suffix) = suffix {
                    match suffix.match_end(text, case) {
                        Some(start) => end = start,
                        None => return false,
                    }
                }
                if at > end {
                    return false;
                }
                for middle in middles.iter() {
                    let Some(hay) = text.get(at..end) else {
                        return false;
                    };
                    match middle.find_end(hay, case) {
                        Some(len) => at += len,
                        None => return false,
                    }
                }
                true
            }
        }
    }
}
