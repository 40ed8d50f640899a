//! Byte offsets (what the engine reports) turned into what editors need:
//! 1-based line and column, the UTF-16 offset JavaScript strings use (the
//! browser playground), and 0-based line and column in UTF-16 or UTF-8 units
//! (the Language Server Protocol), and back.

/// A place in a text, in the units a browser editor understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// The unit an editor counts columns in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (JavaScript strings; the LSP default).
    Utf16,
}

impl Encoding {
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

impl TextIndex<'_> {
    /// The 0-based line of byte offset `byte` and its 0-based column in
    /// `encoding` units (clamped to the text, moved back to the start of the
    /// character it falls in).
    pub fn line_column(&self, byte: u32, encoding: Encoding) -> (u32, u32) {
        let mut byte = (byte as usize).min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column: usize = match encoding {
            Encoding::Utf8 => byte - start,
            Encoding::Utf16 => self
                .text
                .get(start..byte)
                .unwrap_or("")
                .chars()
                .map(char::len_utf16)
                .sum(),
        };
        (to_u32(line), to_u32(column))
    }

    /// The byte offset of 0-based `line` and `column` (in `encoding` units).
    /// A column past the end of its line means the line's end (its newline
    /// excluded), a line past the last means the end of the text, and a
    /// column inside a character means that character's start.
    pub fn offset(&self, line: u32, column: u32, encoding: Encoding) -> usize {
        let Some(&start) = self.line_starts.get(line as usize) else {
            return self.text.len();
        };
        let end = self
            .line_starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text.get(start..end).unwrap_or("");
        let content = content.strip_suffix('\n').unwrap_or(content);
        let content = content.strip_suffix('\r').unwrap_or(content);
        let mut units = 0usize;
        for (i, c) in content.char_indices() {
            let next = units + encoding.width(c);
            if next > column as usize {
                return start + i;
            }
            units = next;
        }
        start + content.len()
    }

    /// How many lines the text has (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
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
    fn editor_columns_count_utf16_or_utf8_units_per_line() {
        // 'é' is 2 bytes / 1 unit; '😀' is 4 bytes / 2 units.
        let text = "é😀x\nab";
        let index = TextIndex::new(text);
        assert_eq!(index.line_column(6, Encoding::Utf16), (0, 3));
        assert_eq!(index.line_column(6, Encoding::Utf8), (0, 6));
        assert_eq!(index.line_column(7, Encoding::Utf16), (0, 4));
        assert_eq!(index.line_column(8, Encoding::Utf16), (1, 0));
        assert_eq!(index.offset(0, 3, Encoding::Utf16), 6);
        assert_eq!(index.offset(0, 6, Encoding::Utf8), 6);
        assert_eq!(index.offset(1, 1, Encoding::Utf16), 9);
    }

    #[test]
    fn editor_positions_past_a_line_or_inside_a_character_are_clamped() {
        let text = "é😀\r\nab";
        let index = TextIndex::new(text);
        // Past the end of line 0: its end, before "\r\n".
        assert_eq!(index.offset(0, 99, Encoding::Utf16), 6);
        // Inside the surrogate pair of '😀': its start.
        assert_eq!(index.offset(0, 2, Encoding::Utf16), 2);
        // Inside 'é' in UTF-8 units: its start.
        assert_eq!(index.offset(0, 1, Encoding::Utf8), 0);
        // Past the last line: the end of the text.
        assert_eq!(index.offset(9, 0, Encoding::Utf16), text.len());
        assert_eq!(index.line_column(99, Encoding::Utf16), (1, 2));
    }

    #[test]
    fn editor_positions_round_trip_on_character_boundaries() {
        let text = "{\"Sid\": \"ключ 🔑\"}\n\t\"x\"\r\n";
        let index = TextIndex::new(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (byte, _) in text.char_indices() {
                let (line, column) = index.line_column(to_u32(byte), encoding);
                let back = index.offset(line, column, encoding);
                // A newline's own place is the end of its line.
                let expected = if text[byte..].starts_with("\n") && text[..byte].ends_with('\r') {
                    byte - 1
                } else {
                    byte
                };
                assert_eq!(back, expected, "{encoding:?} at {byte}");
            }
        }
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        assert_eq!(at("é", 1), (1, 1, 0));
        assert_eq!(at("ab", 99), (1, 3, 2));
    }
}
