//! A named source text shared by every node and diagnostic read from it.

use std::sync::{Arc, OnceLock};

use crate::span::Span;

/// A 1-based line and column. Columns count Unicode scalar values, as
/// editors and most JSON tools do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A source file (or stdin, or an inline string): its display name and text.
///
/// Cloning is cheap; the text is shared.
#[derive(Clone, Debug)]
pub struct Source {
    name: Arc<str>,
    text: Arc<str>,
    /// Where each line starts, found on first use: only a diagnostic needs
    /// them, and finding them costs a pass over the text (a snapshot's
    /// tens of megabytes are mostly read without one). Shared by clones.
    line_starts: Arc<OnceLock<Box<[u32]>>>,
    /// The UTF-16 offset of each line start, found on first use (editors
    /// count in UTF-16 code units); `None` for ASCII text, where UTF-16
    /// offsets are byte offsets. Shared by clones.
    utf16_line_starts: Arc<OnceLock<Option<Box<[u32]>>>>,
}

impl Source {
    /// A source named `name` holding `text`.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
            line_starts: Arc::default(),
            utf16_line_starts: Arc::default(),
        }
    }

    /// The UTF-16 offset of byte `offset` (a character boundary within the
    /// text).
    pub fn utf16_offset(&self, offset: u32) -> u32 {
        let starts = self.utf16_line_starts.get_or_init(|| {
            if self.text.is_ascii() {
                return None;
            }
            let mut starts = vec![0u32];
            let mut units = 0u32;
            for c in self.text.chars() {
                units += c.len_utf16() as u32;
                if c == '\n' {
                    starts.push(units);
                }
            }
            Some(starts.into())
        });
        let Some(starts) = starts else {
            return offset;
        };
        let line = self.line_index(offset as usize);
        let start = self.line_range(line).start;
        let units: u32 = self
            .text
            .get(start..offset as usize)
            .unwrap_or("")
            .chars()
            .map(|c| c.len_utf16() as u32)
            .sum();
        starts.get(line).copied().unwrap_or(0) + units
    }

    /// The offset where each line starts (the first is 0).
    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    memchr_newlines(self.text.as_bytes())
                        .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
                )
                .collect()
        })
    }

    /// The display name (a path, `<stdin>`, or a label).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The shared text.
    pub fn text_arc(&self) -> &Arc<str> {
        &self.text
    }

    /// The text under `span`, or `""` when the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line_index = match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts().get(line_index).copied().unwrap_or(0);
        let prefix = self
            .text
            .get(line_start as usize..offset as usize)
            .unwrap_or("");
        LineCol {
            line: u32::try_from(line_index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(prefix.chars().count() + 1).unwrap_or(u32::MAX),
        }
    }

    /// The 0-based index of the line holding byte `offset` (clamped).
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// How many lines the text has (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The byte range of line `index` (0-based), its newline included.
    pub fn line_range(&self, index: usize) -> std::ops::Range<usize> {
        let line_starts = self.line_starts();
        let start = line_starts
            .get(index)
            .map_or(self.text.len(), |s| *s as usize);
        let end = line_starts
            .get(index + 1)
            .map_or(self.text.len(), |s| *s as usize);
        start.min(self.text.len())..end.min(self.text.len())
    }

    /// Line and column of the first byte of `span`.
    pub fn start_of(&self, span: Span) -> LineCol {
        self.line_col(span.start)
    }

    /// Line and column just past the last byte of `span`.
    pub fn end_of(&self, span: Span) -> LineCol {
        self.line_col(span.end)
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| (*b == b'\n').then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let src = Source::new("t", "ab\ncd\n\nxé z");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(4), LineCol { line: 2, column: 2 });
        assert_eq!(src.line_col(6), LineCol { line: 3, column: 1 });
        // "xé z": 'é' is two bytes but one column.
        assert_eq!(src.line_col(11), LineCol { line: 4, column: 4 });
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let src = Source::new("t", "ab");
        assert_eq!(src.line_col(99), LineCol { line: 1, column: 3 });
    }
}
