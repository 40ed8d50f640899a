//! The entry points: limits, the byte-order mark, and UTF-8 decoding.

use std::borrow::Cow;

use super::err::{self, Sink};
use super::lex::Lexer;
use super::tree;
use crate::diagnostic::Diagnostic;
use crate::json::JsonValue;
use crate::span::Span;

/// The deepest nesting [`ParseOptions::max_depth`] can allow, whatever it is
/// set to. Parsing itself never recurses, but the tree's `Drop`, `Clone`,
/// `PartialEq` and `Debug` do: at this depth they fit in a 1 MiB stack (a
/// wasm32 module's default) even in a debug build, with room to spare.
pub const MAX_DEPTH_CAP: usize = 1024;

/// Limits that keep hostile input bounded in time and memory.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// Deepest nesting of arrays and objects accepted (default 128, at most
    /// [`MAX_DEPTH_CAP`]).
    pub max_depth: usize,
    /// Largest input accepted, in bytes (default 16 MiB).
    pub max_size: usize,
    /// Most diagnostics reported before the parser stops (default 100).
    pub max_diagnostics: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 128,
            max_size: 16 * 1024 * 1024,
            max_diagnostics: 100,
        }
    }
}

/// What the parser produced: the value when the text was valid JSON, and
/// every diagnostic found (warnings may accompany a value).
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The document, present only when there was no error.
    pub value: Option<JsonValue>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse `text` as one JSON document (RFC 8259), reporting every error.
///
/// ```
/// use keyward_policy::json::{parse, ParseOptions};
///
/// let parsed = parse(r#"{"Version": "2012-10-17"}"#, &ParseOptions::default());
/// let doc = parsed.value.unwrap();
/// assert_eq!(doc.get("Version").and_then(|v| v.as_str()), Some("2012-10-17"));
///
/// let broken = parse(r#"{"a": 1,}"#, &ParseOptions::default());
/// assert!(broken.value.is_none());
/// assert_eq!(broken.diagnostics[0].code, "json::trailing-comma");
/// ```
pub fn parse(text: &str, options: &ParseOptions) -> Parsed {
    let mut sink = Sink::new(options.max_diagnostics.max(1));
    if text.len() > options.max_size.min(u32::MAX as usize) {
        sink.push(err::too_large(text.len(), options.max_size));
        return Parsed {
            value: None,
            diagnostics: sink.list,
        };
    }
    let mut start = 0;
    if text.starts_with('\u{feff}') {
        start = '\u{feff}'.len_utf8();
        sink.push(err::bom(Span::new(0, start)));
    }
    let max_depth = options.max_depth.min(MAX_DEPTH_CAP);
    let value = tree::Parser::new(Lexer::new(text, start), &mut sink, max_depth).run();
    Parsed {
        value: if sink.has_errors() { None } else { value },
        diagnostics: sink.list,
    }
}

/// Decode raw bytes as UTF-8 for [`parse`]. Invalid UTF-8 yields the text
/// decoded lossily (so it can still be shown) and an error at the first
/// invalid byte (the offset is the same in both).
///
/// ```
/// use keyward_policy::json::parse_bytes;
///
/// let (text, error) = parse_bytes(b"{\"a\": \"\xff\"}");
/// assert_eq!(error.unwrap().span().start, 7);
/// assert!(text.contains('\u{fffd}'));
/// ```
pub fn parse_bytes(bytes: &[u8]) -> (Cow<'_, str>, Option<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(e) => {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(bytes.len() - at).max(1);
            let byte = bytes.get(at).copied().unwrap_or(0);
            (
                String::from_utf8_lossy(bytes),
                Some(err::invalid_utf8(Span::new(at, at + len), byte)),
            )
        }
    }
}
