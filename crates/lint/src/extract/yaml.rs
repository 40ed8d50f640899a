//! YAML (CloudFormation templates) → the spanned JSON tree, with byte spans
//! into the YAML text and the short-form tags (`!Sub`, `!Ref`, `!GetAtt`, …)
//! turned into their long forms (`{"Fn::Sub": …}`).

use std::collections::HashMap;

use keyward_policy::json::{JsonKind, JsonMember, JsonValue};
use keyward_policy::{Diagnostic, Span};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};

/// Parse the first document of `text`; `Ok(None)` for an empty stream.
pub(super) fn parse(text: &str) -> Result<Option<JsonValue>, Diagnostic> {
    let offsets = CharOffsets::new(text);
    let mut builder = Builder {
        parser: Parser::new_from_str(text),
        offsets: &offsets,
        anchors: HashMap::new(),
        depth: 0,
        nodes: 0,
    };
    builder.document()
}

/// Char index → byte offset (saphyr's markers count characters).
struct CharOffsets {
    /// Byte offset of each char; empty when the text is ASCII (index = offset).
    table: Vec<u32>,
    len: u32,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                .collect()
        };
        CharOffsets {
            table,
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }

    fn byte(&self, marker: &Marker) -> u32 {
        let index = marker.index();
        if self.table.is_empty() {
            u32::try_from(index).unwrap_or(u32::MAX).min(self.len)
        } else {
            self.table.get(index).copied().unwrap_or(self.len)
        }
    }

    /// The span of the one character at `marker` (empty at the end of the text).
    fn char_at(&self, marker: &Marker) -> Span {
        let start = self.byte(marker);
        let end = if self.table.is_empty() {
            start.saturating_add(1).min(self.len)
        } else {
            self.table
                .get(marker.index() + 1)
                .copied()
                .unwrap_or(self.len)
        };
        Span::new(start as usize, end.max(start) as usize)
    }

    fn span(&self, span: &saphyr_parser::Span) -> Span {
        Span::new(
            self.byte(&span.start) as usize,
            self.byte(&span.end) as usize,
        )
    }
}

/// Deepest nesting accepted: CloudFormation key policies nest about 12 deep;
/// 64 keeps the recursive builder within a 1 MiB stack even in debug builds.
const MAX_DEPTH: usize = 64;
/// Most nodes a document may expand to, aliases included (a few aliases of
/// aliases can otherwise make billions: the "billion laughs").
const MAX_NODES: usize = 1_000_000;

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    offsets: &'a CharOffsets,
    anchors: HashMap<usize, JsonValue>,
    depth: usize,
    nodes: usize,
}

type Next<'a> = (Event<'a>, Span);

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<Next<'a>, Diagnostic> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => Ok((event, self.offsets.span(&span))),
            Some(Err(e)) => Err(self.error(&e)),
            None => Ok((Event::StreamEnd, Span::point(self.offsets.len as usize))),
        }
    }

    fn error(&self, e: &ScanError) -> Diagnostic {
        Diagnostic::error(
            "yaml::syntax",
            format!("invalid YAML: {}", e.info()),
            self.offsets.char_at(e.marker()),
        )
        .with_help("fix the YAML syntax at this place")
    }

    fn document(&mut self) -> Result<Option<JsonValue>, Diagnostic> {
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
                Event::StreamEnd | Event::DocumentEnd => return Ok(None),
                other => return self.node(other, span).map(Some),
            }
        }
    }

    fn node(&mut self, event: Event<'a>, span: Span) -> Result<JsonValue, Diagnostic> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(too_big(span));
        }
        let nested = matches!(event, Event::SequenceStart(..) | Event::MappingStart(..));
        if nested {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(Diagnostic::error(
                    "yaml::too-deep",
                    format!("the YAML nests deeper than {MAX_DEPTH} levels"),
                    span,
                )
                .with_help("a CloudFormation template never needs this depth; flatten it"));
            }
        }
        let node = self.node_inner(event, span);
        if nested {
            self.depth -= 1;
        }
        node
    }

    fn node_inner(&mut self, event: Event<'a>, span: Span) -> Result<JsonValue, Diagnostic> {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let node = scalar(&value, style, tag.as_deref(), span);
                Ok(self.finish(node, anchor, tag.as_deref()))
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                let end = loop {
                    let (event, at) = self.next()?;
                    match event {
                        Event::SequenceEnd => break at,
                        Event::StreamEnd => return Err(unexpected_end(at)),
                        other => items.push(self.node(other, at)?),
                    }
                };
                let node = JsonValue {
                    span: span.join(end),
                    kind: JsonKind::Array(items),
                };
                Ok(self.finish(node, anchor, tag.as_deref()))
            }
            Event::MappingStart(anchor, tag) => {
                let mut members = Vec::new();
                let end = loop {
                    let (event, at) = self.next()?;
                    let key = match event {
                        Event::MappingEnd => break at,
                        Event::StreamEnd => return Err(unexpected_end(at)),
                        other => self.node(other, at)?,
                    };
                    let (event, at) = self.next()?;
                    let value = self.node(event, at)?;
                    let Some(name) = key_text(&key) else {
                        return Err(Diagnostic::error(
                            "yaml::complex-key",
                            "mapping keys must be plain text",
                            key.span,
                        )
                        .with_help("write the key as a string"));
                    };
                    members.push(JsonMember {
                        key: name.into(),
                        key_span: key.span,
                        value,
                    });
                };
                let node = JsonValue {
                    span: span.join(end),
                    kind: JsonKind::Object(members),
                };
                Ok(self.finish(node, anchor, tag.as_deref()))
            }
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err(Diagnostic::error(
                        "yaml::unknown-alias",
                        "alias of an unknown anchor",
                        span,
                    )
                    .with_help("define the anchor (`&name`) before using it"));
                };
                self.nodes += count_nodes(anchored);
                if self.nodes > MAX_NODES {
                    return Err(too_big(span));
                }
                Ok(anchored.clone())
            }
            Event::StreamEnd | Event::DocumentEnd => Err(unexpected_end(span)),
            _ => Err(Diagnostic::error(
                "yaml::unexpected",
                "unexpected YAML structure",
                span,
            )),
        }
    }

    /// Apply a CloudFormation short-form tag, and remember an anchor.
    fn finish(&mut self, node: JsonValue, anchor: usize, tag: Option<&Tag>) -> JsonValue {
        let node = match tag.and_then(short_form) {
            Some(function) => {
                let span = node.span;
                let arg = match (function, &node.kind) {
                    // `!GetAtt Resource.Attribute` is `Fn::GetAtt: [Resource, Attribute]`.
                    ("Fn::GetAtt", JsonKind::String(s)) => match s.split_once('.') {
                        Some((resource, attribute)) => JsonValue {
                            span,
                            kind: JsonKind::Array(vec![
                                string_value(resource, span),
                                string_value(attribute, span),
                            ]),
                        },
                        None => node,
                    },
                    _ => node,
                };
                JsonValue {
                    span,
                    kind: JsonKind::Object(vec![JsonMember {
                        key: function.into(),
                        key_span: span,
                        value: arg,
                    }]),
                }
            }
            None => node,
        };
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        node
    }
}

/// `!Sub` → `Fn::Sub`, `!Ref` → `Ref`, `!Condition` → `Condition`.
fn short_form(tag: &Tag) -> Option<&'static str> {
    if tag.handle != "!" {
        return None;
    }
    Some(match tag.suffix.as_str() {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "Join" => "Fn::Join",
        "If" => "Fn::If",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "Transform" => "Fn::Transform",
        "ToJsonString" => "Fn::ToJsonString",
        "Length" => "Fn::Length",
        _ => return None,
    })
}

fn scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> JsonValue {
    let explicit_string = tag.is_some_and(|t| t.handle == "!!" && t.suffix == "str")
        || tag.is_some_and(|t| t.handle == "!");
    let kind = if style != ScalarStyle::Plain || explicit_string {
        JsonKind::String(value.into())
    } else {
        plain_scalar(value)
    };
    JsonValue { span, kind }
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn plain_scalar(value: &str) -> JsonKind {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => JsonKind::Null,
        "true" | "True" | "TRUE" => JsonKind::Bool(true),
        "false" | "False" | "FALSE" => JsonKind::Bool(false),
        _ => match parse_number(value) {
            Some(n) => JsonKind::Number(n),
            None => JsonKind::String(value.into()),
        },
    }
}

fn parse_number(value: &str) -> Option<f64> {
    let body = value.strip_prefix(['-', '+']).unwrap_or(value);
    let numeric = !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if !numeric {
        return None;
    }
    value.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn key_text(key: &JsonValue) -> Option<String> {
    match &key.kind {
        JsonKind::String(s) => Some(s.to_string()),
        JsonKind::Number(_) | JsonKind::Bool(_) | JsonKind::Null => Some(key_scalar_text(key)),
        _ => None,
    }
}

fn key_scalar_text(key: &JsonValue) -> String {
    match &key.kind {
        JsonKind::Number(n) => n.to_string(),
        JsonKind::Bool(b) => b.to_string(),
        _ => "null".to_string(),
    }
}

fn string_value(text: &str, span: Span) -> JsonValue {
    JsonValue {
        span,
        kind: JsonKind::String(text.into()),
    }
}

fn count_nodes(value: &JsonValue) -> usize {
    1 + match &value.kind {
        JsonKind::Array(items) => items.iter().map(count_nodes).sum(),
        JsonKind::Object(members) => members.iter().map(|m| count_nodes(&m.value)).sum(),
        _ => 0,
    }
}

fn too_big(span: Span) -> Diagnostic {
    Diagnostic::error(
        "yaml::too-large",
        format!("the YAML expands to more than {MAX_NODES} values (aliases included)"),
        span,
    )
    .with_help("expand fewer aliases; a template this large is not a CloudFormation template")
}

fn unexpected_end(span: Span) -> Diagnostic {
    Diagnostic::error(
        "yaml::unexpected-end",
        "the YAML document ends too early",
        span,
    )
    .with_help("close the open sequence or mapping")
}

#[cfg(test)]
mod tests;
