//! Byte offsets (what the engine reports) turned into what a browser editor
//! needs: 1-based line and column, and the UTF-16 offset JavaScript strings use.

use serde::Serialize;

/// A place in a text, in the units a browser editor understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values (as the CLI prints it).
    pub column: u32,
    /// Offset from the start of the text in UTF-16 code units, for
    /// `textarea.setSelectionRange` and `String.prototype.slice`.
    pub offset: u32,
}

/// Line starts of one text, for turning many byte offsets into positions.
#[derive(Debug)]
pub struct TextIndex<'a> {
    text: &'a str,
    /// Byte offset of the first byte of every line.
    line_starts: Vec<usize>,
    /// UTF-16 offset of the first code unit of every line.
    line_starts16: Vec<usize>,
}

impl<'a> TextIndex<'a> {
    /// Index `text` (one pass).
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        let mut line_starts16 = vec![0];
        let mut units = 0usize;
        for (i, c) in text.char_indices() {
            units += c.len_utf16();
            if c == '\n' {
                line_starts.push(i + 1);
                line_starts16.push(units);
            }
        }
        TextIndex {
            text,
            line_starts,
            line_starts16,
        }
    }

    /// The position of byte offset `byte`, clamped to the text and moved back
    /// to the start of the character it falls in.
    pub fn position(&self, byte: u32) -> Position {
        let mut byte = (byte as usize).min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let start16 = self.line_starts16.get(line).copied().unwrap_or(0);
        let prefix = self.text.get(start..byte).unwrap_or("");
        let (chars, units) = prefix
            .chars()
            .fold((0usize, 0usize), |(n, u), c| (n + 1, u + c.len_utf16()));
        Position {
            line: to_u32(line + 1),
            column: to_u32(chars + 1),
            offset: to_u32(start16 + units),
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, byte: u32) -> (u32, u32, u32) {
        let p = TextIndex::new(text).position(byte);
        (p.line, p.column, p.offset)
    }

    #[test]
    fn ascii_positions_are_byte_offsets() {
        assert_eq!(at("ab\ncd", 0), (1, 1, 0));
        assert_eq!(at("ab\ncd", 4), (2, 2, 4));
        assert_eq!(at("ab\ncd", 5), (2, 3, 5));
    }

    #[test]
    fn non_ascii_text_counts_utf16_units_for_offsets_and_chars_for_columns() {
        // 'é' is 2 bytes / 1 unit; '😀' is 4 bytes / 2 units.
        let text = "é😀\nx";
        assert_eq!(at(text, 6), (1, 3, 3));
        assert_eq!(at(text, 7), (2, 1, 4));
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        assert_eq!(at("é", 1), (1, 1, 0));
        assert_eq!(at("ab", 99), (1, 3, 2));
    }
}
