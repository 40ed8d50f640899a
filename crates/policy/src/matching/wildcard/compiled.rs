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
        /// Before the first `*`, anchored at the start (may be empty).
        prefix: Segment,
        /// Between `*`s, each non-empty, found leftmost in order.
        middles: Box<[Middle]>,
        /// After the last `*`, anchored at the end (may be empty).
        suffix: Segment,
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
        let mut iter = segments.into_iter();
        let prefix = iter.next().unwrap_or_else(|| Segment::new(Vec::new()));
        let middles = iter.filter(|s| !s.is_empty()).map(Middle::new).collect();
        Compiled::Star {
            prefix,
            middles,
            suffix: last,
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
                let Some(mut at) = prefix.match_start(text, case) else {
                    return false;
                };
                let Some(end) = suffix.match_end(text, case) else {
                    return false;
                };
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
