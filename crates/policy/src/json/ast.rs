//! The spanned JSON tree.

use crate::span::Span;

/// A JSON value and the bytes it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonValue {
    /// The whole value, from its first to its last byte.
    pub span: Span,
    /// What kind of value it is.
    pub kind: JsonKind,
}

/// The kinds of JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonKind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A finite number; its exact spelling is the source text under the span.
    Number(f64),
    /// A string, unescaped.
    String(Box<str>),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object, members in source order (keys are unique).
    Object(Vec<JsonMember>),
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonMember {
    /// The key, unescaped.
    pub key: Box<str>,
    /// The key's span, quotes included.
    pub key_span: Span,
    /// The value.
    pub value: JsonValue,
}

impl JsonValue {
    /// A short name of the kind for messages: `a string`, `an object`, …
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[JsonMember]> {
        match &self.kind {
            JsonKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[JsonValue]> {
        match &self.kind {
            JsonKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The member named `key` (exact, case-sensitive), if this is an object.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.as_object()?
            .iter()
            .find(|m| &*m.key == key)
            .map(|m| &m.value)
    }
}
