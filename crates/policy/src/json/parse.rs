//! The parser proper. (Placeholder until the nom parser lands.)

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;
use crate::json::JsonValue;
use crate::span::Span;

/// Limits that keep hostile input bounded in time and memory.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// Deepest nesting of arrays and objects accepted (default 128).
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

/// Parse `text` as one JSON document.
pub fn parse(text: &str, options: &ParseOptions) -> Parsed {
    let _ = (text, options);
    Parsed {
        value: None,
        diagnostics: vec![Diagnostic::error(
            "json::unsupported",
            "the JSON parser is not built yet",
            Span::default(),
        )],
    }
}

/// Decode raw bytes as UTF-8 for [`parse`]. Invalid UTF-8 yields the text
/// decoded lossily (so it can still be shown) and an error located in it.
pub fn parse_bytes(bytes: &[u8]) -> (Cow<'_, str>, Option<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(e) => {
            let at = e.valid_up_to();
            (
                String::from_utf8_lossy(bytes),
                Some(Diagnostic::error(
                    "json::invalid-utf8",
                    "the input is not valid UTF-8",
                    Span::new(at, at + 1),
                )),
            )
        }
    }
}
