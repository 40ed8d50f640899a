//! Line/column ranges of diagnostics, as every machine format needs them.

use keyward_policy::{LineCol, Source, Span};

/// Where a span starts and ends, in 1-based lines and columns (characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// First character.
    pub start: LineCol,
    /// Just past the last character.
    pub end: LineCol,
    /// Byte offsets.
    pub span: Span,
}

impl Location {
    /// The location of `span` in `source`.
    pub fn of(source: &Source, span: Span) -> Location {
        Location {
            start: source.start_of(span),
            end: source.end_of(span),
            span,
        }
    }
}
