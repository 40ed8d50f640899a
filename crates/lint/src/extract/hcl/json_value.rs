//! Policies written as JSON strings inside Terraform (heredocs, `file()`,
//! templates): read into values whose elements keep their places in the
//! `.tf` (or `.json`) file. A template with unknown parts is read with a
//! marker in each hole; a JSON string holding a marker is an unknown value.

use keyward_policy::json::{self, JsonKind, JsonValue};
use keyward_policy::{Diagnostic, ParseOptions, Span};

use super::value::{At, Kind, Member, Piece, Text, Value};

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The policy held by a value used as a JSON string: the tree of
/// `jsonencode`, or the parsed text of a string (unknown parts unknown).
/// `None` when it is unknown or not JSON.
pub(crate) fn policy_value(value: &Value) -> Option<Value> {
    match &value.kind {
        Kind::Encoded(inner) => Some((**inner).clone()),
        Kind::Str(t) => from_json_text(t, value.at).ok(),
        Kind::Partial(pieces) => from_pieces(pieces, value.at).ok(),
        _ => None,
    }
}

/// Parse JSON text whose bytes have places.
pub(crate) fn from_json_text(text: &Text, at: At) -> Result<Value, Vec<Diagnostic>> {
    let parsed = json::parse(&text.text, &ParseOptions::default());
    match parsed.value {
        Some(root) if parsed.diagnostics.iter().all(|d| !d.is_error()) => {
            Ok(convert(&root, text, at))
        }
        _ => Err(parsed.diagnostics),
    }
}

/// Parse a template with holes: each hole becomes a marker (inside a JSON
/// string, or as a string of its own between values).
pub(crate) fn from_pieces(pieces: &[Piece], at: At) -> Result<Value, Vec<Diagnostic>> {
    let mut text = Text {
        text: String::new(),
        origins: Vec::new(),
    };
    let mut in_string = false;
    let mut escaped = false;
    for (n, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => {
                for c in t.text.chars() {
                    if in_string {
                        if escaped {
                            escaped = false;
                        } else if c == '\\' {
                            escaped = true;
                        } else if c == '"' {
                            in_string = false;
                        }
                    } else if c == '"' {
                        in_string = true;
                    }
                }
                text.push(t);
            }
            Piece::Hole(hole) => {
                let marker = if in_string {
                    format!("{OPEN}{n}{CLOSE}")
                } else {
                    format!("\"{OPEN}{n}{CLOSE}\"")
                };
                let start = At::new(hole.file, Span::point(hole.span.start as usize));
                text.text.push_str(&marker);
                text.origins
                    .extend(std::iter::repeat_n(start, marker.len()));
            }
        }
    }
    from_json_text(&text, at)
}

fn place(text: &Text, span: Span, fallback: At) -> At {
    let start = text.origins.get(span.start as usize).copied();
    let last = span
        .end
        .checked_sub(1)
        .and_then(|e| text.origins.get(e as usize))
        .copied();
    match (start, last) {
        (Some(s), Some(l)) if s.file == l.file && l.span.end >= s.span.start => At::new(
            s.file,
            Span::new(s.span.start as usize, l.span.end as usize),
        ),
        (Some(s), _) => s,
        _ => fallback,
    }
}

fn convert(value: &JsonValue, text: &Text, fallback: At) -> Value {
    let at = place(text, value.span, fallback);
    let kind = match &value.kind {
        JsonKind::Null => Kind::Null,
        JsonKind::Bool(b) => Kind::Bool(*b),
        JsonKind::Number(n) => Kind::Number(*n),
        JsonKind::String(s) => {
            if s.contains(OPEN) {
                return Value::unknown(
                    text.text.get(value.span.range()).unwrap_or("").to_string(),
                    at,
                );
            }
            Kind::Str(string_text(s, value.span, text, at))
        }
        JsonKind::Array(items) => Kind::List(items.iter().map(|v| convert(v, text, at)).collect()),
        JsonKind::Object(members) => Kind::Object(
            members
                .iter()
                .map(|m| Member {
                    key: m.key.to_string(),
                    key_at: place(text, m.key_span, at),
                    value: convert(&m.value, text, at),
                })
                .collect(),
        ),
    };
    Value::new(kind, at)
}

/// The places of a JSON string's decoded bytes: byte for byte when the
/// literal has no escapes, else all at the literal.
fn string_text(decoded: &str, span: Span, text: &Text, at: At) -> Text {
    let inner_start = span.start as usize + 1;
    let raw = text
        .text
        .get(inner_start..(span.end as usize).saturating_sub(1))
        .unwrap_or("");
    if raw == decoded {
        Text {
            text: decoded.to_string(),
            origins: text.origins[inner_start..inner_start + raw.len()].to_vec(),
        }
    } else {
        Text::at(decoded.to_string(), at)
    }
}
