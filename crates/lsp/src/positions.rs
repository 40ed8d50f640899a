//! Protocol positions and byte offsets, both ways, over the line index every
//! [`Source`] keeps: LSP counts columns per line, in UTF-16 units unless
//! client and server agree on UTF-8.

use keyward_policy::Source;

/// The unit an editor counts columns in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (JavaScript strings; the protocol's default).
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

/// The 0-based line of byte `byte` and its 0-based column in `encoding`
/// units (clamped to the text, moved back to the start of the character it
/// falls in).
pub(crate) fn line_column(source: &Source, byte: u32, encoding: Encoding) -> (u32, u32) {
    let text = source.text();
    let mut byte = (byte as usize).min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let line = source.line_index(byte);
    let start = source.line_range(line).start.min(byte);
    let prefix = text.get(start..byte).unwrap_or("");
    let column: usize = prefix.chars().map(|c| encoding.width(c)).sum();
    (to_u32(line), to_u32(column))
}

/// The byte offset of 0-based `line` and `column` (in `encoding` units). A
/// column past the end of its line means the line's end (its line break
/// excluded), a line past the last means the end of the text, and a column
/// inside a character means that character's start.
pub(crate) fn offset(source: &Source, line: u32, column: u32, encoding: Encoding) -> usize {
    let text = source.text();
    if line as usize >= source.line_count() {
        return text.len();
    }
    let range = source.line_range(line as usize);
    let start = range.start;
    let content = text.get(range).unwrap_or("");
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

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source::new("t", text)
    }

    #[test]
    fn columns_count_utf16_or_utf8_units_per_line() {
        // 'é' is 2 bytes / 1 unit; '😀' is 4 bytes / 2 units.
        let s = source("é😀x\nab");
        assert_eq!(line_column(&s, 6, Encoding::Utf16), (0, 3));
        assert_eq!(line_column(&s, 6, Encoding::Utf8), (0, 6));
        assert_eq!(line_column(&s, 7, Encoding::Utf16), (0, 4));
        assert_eq!(line_column(&s, 8, Encoding::Utf16), (1, 0));
        assert_eq!(offset(&s, 0, 3, Encoding::Utf16), 6);
        assert_eq!(offset(&s, 0, 6, Encoding::Utf8), 6);
        assert_eq!(offset(&s, 1, 1, Encoding::Utf16), 9);
    }

    #[test]
    fn positions_past_a_line_or_inside_a_character_are_clamped() {
        let text = "é😀\r\nab";
        let s = source(text);
        // Past the end of line 0: its end, before "\r\n".
        assert_eq!(offset(&s, 0, 99, Encoding::Utf16), 6);
        // Inside the surrogate pair of '😀': its start.
        assert_eq!(offset(&s, 0, 2, Encoding::Utf16), 2);
        // Inside 'é' in UTF-8 units: its start.
        assert_eq!(offset(&s, 0, 1, Encoding::Utf8), 0);
        // Past the last line: the end of the text.
        assert_eq!(offset(&s, 9, 0, Encoding::Utf16), text.len());
        assert_eq!(line_column(&s, 99, Encoding::Utf16), (1, 2));
        // Inside a character: its start.
        assert_eq!(line_column(&s, 1, Encoding::Utf16), (0, 0));
    }

    #[test]
    fn positions_round_trip_on_character_boundaries() {
        let text = "{\"Sid\": \"ключ 🔑\"}\n\t\"x\"\r\n";
        let s = source(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (byte, _) in text.char_indices() {
                let (line, column) = line_column(&s, to_u32(byte), encoding);
                let back = offset(&s, line, column, encoding);
                // The newline of "\r\n" is the end of its line, like the "\r".
                let expected = if text[byte..].starts_with('\n') && text[..byte].ends_with('\r') {
                    byte - 1
                } else {
                    byte
                };
                assert_eq!(back, expected, "{encoding:?} at {byte}");
            }
        }
    }
}
