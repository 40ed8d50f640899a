//! Writing an evaluated policy as JSON text, remembering for every byte the
//! place in the `.tf` file it came from (a [`SpanMap`] then takes findings
//! back there).
//!
//! Unknown values are written as `{"Ref": "?"}`, so the CloudFormation
//! resolver turns them into the same placeholders as an unresolved
//! intrinsic (a principal ARN, an action name, a condition value of the
//! right type…) and findings about them are dropped. A policy whose
//! statements cannot all be known (a `dynamic` block of unknown size, an
//! unknown `effect`) is *partial*: findings about the policy as a whole (the
//! lockout check) are dropped too, since the missing statements might
//! change them.

use keyward_policy::Span;

use super::policy_document::UNCERTAIN;
use super::value::{format_number, At, Kind, Text, Value};

/// An evaluated policy written as JSON.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub text: String,
    /// File offset of every byte of `text`, plus one for its end.
    pub origins: Vec<u32>,
    /// File spans whose findings are dropped (unknown values, uncertain
    /// statements, the policy's first byte when it is partial).
    pub opaque: Vec<Span>,
    /// The unknown values written, for the note that says what was not checked.
    pub unknowns: Vec<At>,
    /// How many `{"Ref":"?"}` were written (they add nothing to the size).
    pub refs: usize,
}

const UNKNOWN: &str = r#"{"Ref":"?"}"#;

/// Write the policy `root` (an object) for the file `file`.
pub(crate) fn render_policy(root: &Value, file: u32) -> Rendered {
    let mut w = Writer {
        file,
        out: Rendered::default(),
    };
    let start = w.start(root, 0);
    let end = w.end(root, start);
    match &root.kind {
        Kind::Object(members) => {
            // `{` at the policy's place and a newline just after it: a
            // finding about the whole policy spans exactly these two.
            w.push("{", start);
            w.push("\n", start + 1);
            let mut partial = false;
            let mut first = true;
            for m in members {
                if m.key == UNCERTAIN {
                    continue;
                }
                if !first {
                    w.push(",", start);
                }
                first = false;
                w.key(&m.key, m.key_at, start);
                if m.key == "Statement" {
                    partial |= w.statements(&m.value, start);
                } else {
                    w.value(&m.value, start);
                }
            }
            w.push("}", end.saturating_sub(1).max(start));
            if partial {
                w.out
                    .opaque
                    .push(Span::new(start as usize, start as usize + 1));
            }
        }
        _ => w.value(root, start),
    }
    let last = w.out.origins.last().copied().unwrap_or(start);
    w.out.origins.push(end.max(last));
    w.out
}

/// The compact JSON text of a known value, each byte at its place;
/// `None` when some part is unknown.
pub(crate) fn encode_text(value: &Value) -> Option<Text> {
    let mut out = Text {
        text: String::new(),
        origins: Vec::new(),
    };
    encode_into(value, &mut out)?;
    Some(out)
}

fn encode_into(value: &Value, out: &mut Text) -> Option<()> {
    let here = At::new(value.at.file, Span::point(value.at.span.start as usize));
    let push = |out: &mut Text, s: &str| {
        out.text.push_str(s);
        out.origins.extend(std::iter::repeat_n(here, s.len()));
    };
    match &value.kind {
        Kind::Null => push(out, "null"),
        Kind::Bool(b) => push(out, if *b { "true" } else { "false" }),
        Kind::Number(n) => push(out, &format_number(*n)),
        Kind::Str(t) => {
            push(out, "\"");
            for (i, c) in t.text.char_indices() {
                let origin = t.origins.get(i).copied().unwrap_or(here);
                let before = out.text.len();
                escape_into(&mut out.text, c);
                let written = out.text.len() - before;
                out.origins.extend(std::iter::repeat_n(origin, written));
            }
            push(out, "\"");
        }
        Kind::List(items) => {
            push(out, "[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    push(out, ",");
                }
                encode_into(item, out)?;
            }
            push(out, "]");
        }
        Kind::Object(members) => {
            push(out, "{");
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    push(out, ",");
                }
                let key = Value::string(&m.key, m.key_at);
                encode_into(&key, out)?;
                push(out, ":");
                encode_into(&m.value, out)?;
            }
            push(out, "}");
        }
        Kind::Encoded(inner) => {
            let inner = encode_text(inner)?;
            encode_into(&Value::new(Kind::Str(inner), value.at), out)?;
        }
        Kind::Partial(_) | Kind::Unknown(_) => return None,
    }
    Some(())
}

/// Append `c` as it is written inside a JSON string.
fn escape_into(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x20 => {
            let _ = std::fmt::Write::write_fmt(out, format_args!("\\u{:04x}", c as u32));
        }
        c => out.push(c),
    }
}

struct Writer {
    file: u32,
    out: Rendered,
}

impl Writer {
    fn push(&mut self, s: &str, origin: u32) {
        self.out.text.push_str(s);
        self.out
            .origins
            .extend(std::iter::repeat_n(origin, s.len()));
    }

    /// The place of `value` in this file: its own, else where it was used,
    /// else the enclosing element's.
    fn place(&self, value: &Value) -> Option<At> {
        if value.at.file == self.file {
            Some(value.at)
        } else {
            value.via.filter(|v| v.file == self.file)
        }
    }

    fn start(&self, value: &Value, fallback: u32) -> u32 {
        self.place(value).map_or(fallback, |a| a.span.start)
    }

    fn end(&self, value: &Value, fallback: u32) -> u32 {
        self.place(value)
            .map_or(fallback, |a| a.span.end.max(a.span.start))
    }

    fn key(&mut self, key: &str, at: At, fallback: u32) {
        let origin = if at.file == self.file {
            at.span.start
        } else {
            fallback
        };
        self.string_bytes(key, &[], origin);
        self.push(":", origin);
    }

    fn string_bytes(&mut self, text: &str, origins: &[At], fallback: u32) {
        self.push("\"", fallback);
        for (i, c) in text.char_indices() {
            let origin = origins
                .get(i)
                .filter(|a| a.file == self.file)
                .map_or(fallback, |a| a.span.start);
            let before = self.out.text.len();
            escape_into(&mut self.out.text, c);
            let written = self.out.text.len() - before;
            self.out
                .origins
                .extend(std::iter::repeat_n(origin, written));
        }
        self.push("\"", fallback);
    }

    fn unknown(&mut self, value: &Value, fallback: u32) {
        let start = self.start(value, fallback);
        let end = self.end(value, start + 1).max(start + 1);
        self.push(UNKNOWN, start);
        self.push(" ", end);
        self.out
            .opaque
            .push(Span::new(start as usize, end as usize));
        self.out
            .unknowns
            .push(At::new(self.file, Span::new(start as usize, end as usize)));
        self.out.refs += 1;
    }

    /// Write a value, then a space placed at its end (so a span over the
    /// value maps back to exactly the value's place).
    fn value(&mut self, value: &Value, fallback: u32) {
        let start = self.start(value, fallback);
        match &value.kind {
            Kind::Null => self.push("null", start),
            Kind::Bool(b) => self.push(if *b { "true" } else { "false" }, start),
            Kind::Number(n) => self.push(&format_number(*n), start),
            Kind::Str(t) => self.string_bytes(&t.text, &t.origins, start),
            Kind::List(items) => {
                self.push("[", start);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(",", start);
                    }
                    self.value(item, start);
                }
                self.push("]", start);
            }
            Kind::Object(members) => {
                self.push("{", start);
                let mut first = true;
                for m in members {
                    if m.key == UNCERTAIN {
                        continue;
                    }
                    if !first {
                        self.push(",", start);
                    }
                    first = false;
                    self.key(&m.key, m.key_at, start);
                    self.value(&m.value, start);
                }
                self.push("}", start);
            }
            Kind::Encoded(inner) => match encode_text(inner) {
                Some(t) => self.string_bytes(&t.text, &t.origins, start),
                None => self.unknown(value, fallback),
            },
            Kind::Partial(_) | Kind::Unknown(_) => {
                self.unknown(value, fallback);
                return;
            }
        }
        let end = self.end(value, start);
        self.push(" ", end);
    }

    /// The `Statement` element: unknown statements are left out, and so
    /// are findings about uncertain ones. True when the statements are
    /// not all known.
    fn statements(&mut self, value: &Value, fallback: u32) -> bool {
        let start = self.start(value, fallback);
        let items: Vec<&Value> = match &value.kind {
            Kind::List(items) => items.iter().collect(),
            Kind::Object(_) => vec![value],
            _ => {
                self.push("[]", start);
                if !value.is_known() {
                    self.out
                        .unknowns
                        .push(At::new(self.file, Span::point(start as usize)));
                }
                return true;
            }
        };
        let mut partial = false;
        self.push("[", start);
        let mut first = true;
        for item in items {
            let uncertain = match &item.kind {
                Kind::Object(members) => members.iter().any(|m| {
                    m.key == UNCERTAIN
                        || (m.key == "Effect" && !m.value.is_known())
                        || (m.key == "Condition" && !condition_shape_known(&m.value))
                }),
                _ => {
                    // An unknown statement: left out.
                    partial = true;
                    let at = self.start(item, start);
                    self.out
                        .unknowns
                        .push(At::new(self.file, Span::point(at as usize)));
                    continue;
                }
            };
            if !first {
                self.push(",", start);
            }
            first = false;
            if uncertain {
                partial = true;
                let s = self.start(item, start);
                let e = self.end(item, s + 1).max(s + 1);
                self.out.opaque.push(Span::new(s as usize, e as usize));
                self.out
                    .unknowns
                    .push(At::new(self.file, Span::new(s as usize, e as usize)));
                self.statement_with_effect(item, start);
            } else {
                self.value(&principal_shape(item), start);
            }
        }
        self.push("]", start);
        partial
    }

    /// An uncertain statement, written so the rest of the policy still
    /// lints (its own findings are dropped): an unknown `Effect` as `Allow`,
    /// a `Condition` of unknown shape left out.
    fn statement_with_effect(&mut self, item: &Value, fallback: u32) {
        let item = &principal_shape(item);
        let Kind::Object(members) = &item.kind else {
            return self.value(item, fallback);
        };
        let mut members = members.clone();
        members.retain(|m| m.key != "Condition" || condition_shape_known(&m.value));
        for m in &mut members {
            if m.key == "Effect" && !m.value.is_known() {
                m.value = Value::string("Allow", m.value.at);
            }
        }
        self.value(&Value::new(Kind::Object(members), item.at), fallback);
    }
}

/// A `Condition` whose operators and keys are known (its values may not be):
/// the only shape a placeholder can stand in.
fn condition_shape_known(condition: &Value) -> bool {
    match &condition.kind {
        Kind::Object(operators) => operators
            .iter()
            .all(|op| matches!(op.value.kind, Kind::Object(_))),
        _ => false,
    }
}

/// A statement whose `Principal` (or `NotPrincipal`) is unknown as a whole
/// gets an unknown AWS principal there: the placeholder of a principal ARN,
/// rather than a value no policy accepts.
fn principal_shape(statement: &Value) -> Value {
    let Kind::Object(members) = &statement.kind else {
        return statement.clone();
    };
    if !members
        .iter()
        .any(|m| (m.key == "Principal" || m.key == "NotPrincipal") && !m.value.is_known())
    {
        return statement.clone();
    }
    let mut members = members.clone();
    for m in &mut members {
        if (m.key == "Principal" || m.key == "NotPrincipal") && !m.value.is_known() {
            let unknown = m.value.clone();
            m.value = Value::new(
                Kind::Object(vec![super::value::Member {
                    key: "AWS".into(),
                    key_at: unknown.at,
                    value: unknown.clone(),
                }]),
                unknown.at,
            );
        }
    }
    Value::new(Kind::Object(members), statement.at)
}
