//! The one JSON shape of a [`Diagnostic`], and of a place in a source, for
//! every machine output: the CLI's `--format json`, the browser's exports
//! and the editor.
//!
//! A [`Position`] carries the 1-based line and column (in characters, as
//! people and the human output count), the byte offset (as the engine
//! counts), and the offset in UTF-16 code units (as JavaScript strings and
//! the Language Server Protocol count).

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;
use crate::span::Span;

/// A place in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in Unicode characters.
    pub column: u32,
    /// Offset from the start of the text, in bytes of UTF-8.
    pub offset: u32,
    /// Offset from the start of the text, in UTF-16 code units (what
    /// JavaScript strings and `textarea.setSelectionRange` count).
    pub utf16: u32,
}

/// A range of a named text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Location {
    /// The text's name: a path, `<stdin>`, or a workspace path in the browser.
    pub file: String,
    /// The first character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}

/// A marked range of a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LabelJson {
    /// What is there (may be empty).
    pub message: String,
    /// The first character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}

/// A [`Diagnostic`] as JSON, located in its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiagnosticJson {
    /// The file the positions refer to.
    pub file: String,
    /// Stable code, e.g. `json::trailing-comma` or `KW201`.
    pub code: String,
    /// `info`, `warning` or `error`.
    pub severity: Severity,
    /// One line: what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// JSON pointer of the node concerned (`/Statement/2/Condition`), when known.
    pub pointer: Option<String>,
    /// Where the primary label starts (`None` for a diagnostic without a place).
    pub start: Option<Position>,
    /// Where the primary label ends.
    pub end: Option<Position>,
    /// The primary place first, then related places.
    pub labels: Vec<LabelJson>,
}

/// Turns byte offsets of many sources into [`Position`]s (each source
/// indexes its own lines, once, on first use).
#[derive(Debug, Default)]
pub struct Locator;

impl Locator {
    /// A locator.
    pub fn new() -> Locator {
        Locator
    }

    /// The position of byte `offset` in `source`, clamped to the text and
    /// moved back to the start of the character it falls in.
    pub fn position(&mut self, source: &Source, offset: u32) -> Position {
        let text = source.text();
        let mut byte = offset;
        if byte as usize > text.len() {
            // Shorter than `offset`, a `u32`: the length fits.
            byte = text.len() as u32;
        }
        while !text.is_char_boundary(byte as usize) {
            byte -= 1;
        }
        let at = source.line_col(byte);
        Position {
            line: at.line,
            column: at.column,
            offset: byte,
            utf16: source.utf16_offset(byte),
        }
    }

    /// Where `span` is in `source`.
    pub fn location(&mut self, source: &Source, span: Span) -> Location {
        Location {
            file: source.name().to_string(),
            start: self.position(source, span.start),
            end: self.position(source, span.end),
        }
    }

    /// `diagnostic`, located in `source`.
    pub fn diagnostic(&mut self, source: &Source, diagnostic: &Diagnostic) -> DiagnosticJson {
        let labels: Vec<LabelJson> = diagnostic
            .labels
            .iter()
            .map(|label| LabelJson {
                message: label.message.clone(),
                start: self.position(source, label.span.start),
                end: self.position(source, label.span.end),
            })
            .collect();
        DiagnosticJson {
            file: source.name().to_string(),
            code: diagnostic.code.to_string(),
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            pointer: diagnostic.pointer.clone(),
            start: labels.first().map(|l| l.start),
            end: labels.first().map(|l| l.end),
            labels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, byte: u32) -> (u32, u32, u32, u32) {
        let source = Source::new("t", text);
        let p = Locator::new().position(&source, byte);
        (p.line, p.column, p.offset, p.utf16)
    }

    #[test]
    fn ascii_offsets_are_the_same_in_every_unit() {
        assert_eq!(at("ab\ncd", 0), (1, 1, 0, 0));
        assert_eq!(at("ab\ncd", 4), (2, 2, 4, 4));
        assert_eq!(at("ab\ncd", 5), (2, 3, 5, 5));
    }

    #[test]
    fn non_ascii_text_counts_characters_for_columns_and_code_units_for_utf16() {
        // 'é' is 2 bytes / 1 unit; '😀' is 4 bytes / 2 units.
        let text = "é😀\nx";
        assert_eq!(at(text, 6), (1, 3, 6, 3));
        assert_eq!(at(text, 7), (2, 1, 7, 4));
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        assert_eq!(at("é", 1), (1, 1, 0, 0));
        assert_eq!(at("ab", 99), (1, 3, 2, 2));
    }

    #[test]
    fn a_diagnostic_keeps_its_labels_and_locates_its_primary_place() {
        let source = Source::new("p.json", "{\n  \"x\": 1\n}");
        let d = Diagnostic::warning("t::x", "unknown `x`", Span::new(4, 7))
            .with_related(Span::new(0, 1), "in this object");
        let json = Locator::new().diagnostic(&source, &d);
        assert_eq!(json.file, "p.json");
        assert_eq!(json.labels.len(), 2);
        assert_eq!(json.start.map(|p| (p.line, p.column)), Some((2, 3)));
        assert_eq!(json.labels[1].message, "in this object");
        assert_eq!(json.severity, Severity::Warning);
    }
}
