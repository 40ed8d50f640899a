//! The open documents: their text as the editor has it, kept in step with
//! full or incremental changes.

use std::collections::HashMap;
use std::sync::Arc;

use keyward_policy::Source;
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use crate::positions::{self, Encoding};

/// One open document.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    /// The text, shared with analyses in flight.
    pub(crate) text: Arc<str>,
    /// The editor's version number.
    pub(crate) version: i32,
}

/// Every open document, by URI.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    pub(crate) fn open(&mut self, uri: Uri, text: String, version: i32) {
        let text = Arc::from(text);
        self.open.insert(uri, Document { text, version });
    }

    pub(crate) fn close(&mut self, uri: &Uri) {
        self.open.remove(uri);
    }

    pub(crate) fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Uri, &Document)> {
        self.open.iter()
    }

    /// Apply the changes of one `didChange`, in order. Returns false when the
    /// document is not open (the change is dropped).
    pub(crate) fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> bool {
        let Some(document) = self.open.get_mut(uri) else {
            return false;
        };
        let mut text = String::from(&*document.text);
        for change in changes {
            apply(&mut text, change, encoding);
        }
        document.text = Arc::from(text);
        document.version = version;
        true
    }
}

/// Apply one change: a whole new text, or a replacement of a range (whose
/// positions are clamped into the text, as the protocol asks).
pub(crate) fn apply(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let (start, end) = byte_range(text, range, encoding);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// The byte range of an LSP range in `text` (start and end ordered).
pub(crate) fn byte_range(text: &str, range: Range, encoding: Encoding) -> (usize, usize) {
    let source = Source::new("", text);
    let start = offset(&source, range.start, encoding);
    let end = offset(&source, range.end, encoding);
    (start.min(end), start.max(end))
}

/// The byte offset of an LSP position.
pub(crate) fn offset(source: &Source, position: Position, encoding: Encoding) -> usize {
    positions::offset(source, position.line, position.character, encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| {
                Range::new(Position::new(l1, c1), Position::new(l2, c2))
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_changes_count_utf16_units_by_default() {
        // "ключ 🔑": the key emoji is two UTF-16 units, four bytes.
        let mut text = String::from("{\"Sid\": \"ключ 🔑\", \"x\": 1}");
        // Replace "x" (after the emoji) with "Effect".
        let at = 20; // UTF-16 column of `x`
        apply(
            &mut text,
            change(Some(((0, at), (0, at + 1))), "Effect"),
            Encoding::Utf16,
        );
        assert_eq!(text, "{\"Sid\": \"ключ 🔑\", \"Effect\": 1}");
    }

    #[test]
    fn utf8_columns_are_bytes() {
        let mut text = String::from("é\nab");
        apply(
            &mut text,
            change(Some(((0, 2), (1, 1))), "-"),
            Encoding::Utf8,
        );
        assert_eq!(text, "é-b");
    }

    #[test]
    fn full_changes_replace_and_ranges_past_the_end_are_clamped() {
        let mut text = String::from("abc");
        apply(
            &mut text,
            change(Some(((0, 99), (7, 0))), "!"),
            Encoding::Utf16,
        );
        assert_eq!(text, "abc!");
        apply(&mut text, change(None, "new"), Encoding::Utf16);
        assert_eq!(text, "new");
        // A reversed range is read in order.
        apply(
            &mut text,
            change(Some(((0, 2), (0, 1))), "E"),
            Encoding::Utf16,
        );
        assert_eq!(text, "nEw");
    }
}
