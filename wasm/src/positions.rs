//! Byte offsets (what the engine reports) turned into what a browser editor
//! needs: 1-based line and column, and the UTF-16 offset JavaScript strings
//! use. The counting is [`keyward_policy::positions`], shared with the
//! language server; this adds the JSON shape.

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
pub struct TextIndex<'a>(keyward_policy::positions::TextIndex<'a>);

impl<'a> TextIndex<'a> {
    /// Index `text` (one pass).
    pub fn new(text: &'a str) -> Self {
        TextIndex(keyward_policy::positions::TextIndex::new(text))
    }

    /// The position of byte offset `byte`, clamped to the text and moved back
    /// to the start of the character it falls in.
    pub fn position(&self, byte: u32) -> Position {
        let p = self.0.position(byte);
        Position {
            line: p.line,
            column: p.column,
            offset: p.offset,
        }
    }
}
