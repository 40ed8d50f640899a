//! Values of evaluated Terraform expressions, each remembering where in
//! which file it was written, so findings land on the `.tf` line that
//! produced an element.

use keyward_policy::Span;

/// A place in one of the files read (`.tf` files and those read by `file()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct At {
    /// Index into the file table.
    pub file: u32,
    /// Bytes in that file.
    pub span: Span,
}

impl At {
    pub(crate) fn new(file: u32, span: Span) -> At {
        At { file, span }
    }
}

/// A string and, for every byte of it, the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Text {
    pub text: String,
    /// `origins[i]` is where byte `i` of `text` came from.
    pub origins: Vec<At>,
}

impl Text {
    /// `text`, every byte at `at`'s start.
    pub(crate) fn at(text: String, at: At) -> Text {
        let start = At::new(at.file, Span::point(at.span.start as usize));
        Text {
            origins: vec![start; text.len()],
            text,
        }
    }

    /// Append another text.
    pub(crate) fn push(&mut self, other: &Text) {
        self.text.push_str(&other.text);
        self.origins.extend_from_slice(&other.origins);
    }
}

/// Why a value cannot be known without a plan.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Unknown {
    /// What it is, for messages: usually the expression as written.
    pub what: String,
    /// True when evaluating it failed (a missing attribute, an index out of
    /// range): `try()` moves on to its next argument.
    pub failed: bool,
}

/// One piece of a string with unknown parts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Piece {
    Text(Text),
    Hole(At),
}

/// An object member.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    pub key: String,
    pub key_at: At,
    pub value: Value,
}

/// What a value is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    Str(Text),
    List(Vec<Value>),
    Object(Vec<Member>),
    /// A JSON string whose structure is known (`jsonencode(...)`, the
    /// `json` of an `aws_iam_policy_document`): kept as a tree so its
    /// elements keep their places.
    Encoded(Box<Value>),
    /// A string with unknown parts (a template interpolating an unknown).
    Partial(Vec<Piece>),
    Unknown(Unknown),
}

/// An evaluated value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Value {
    pub kind: Kind,
    pub at: At,
    /// Where it was used through a reference (`local.x`, `var.x`): findings
    /// in a policy of another file land there.
    pub via: Option<At>,
}

impl Value {
    pub(crate) fn new(kind: Kind, at: At) -> Value {
        Value {
            kind,
            at,
            via: None,
        }
    }

    pub(crate) fn unknown(what: impl Into<String>, at: At) -> Value {
        Value::new(
            Kind::Unknown(Unknown {
                what: what.into(),
                failed: false,
            }),
            at,
        )
    }

    pub(crate) fn failed(what: impl Into<String>, at: At) -> Value {
        Value::new(
            Kind::Unknown(Unknown {
                what: what.into(),
                failed: true,
            }),
            at,
        )
    }

    pub(crate) fn string(text: &str, at: At) -> Value {
        Value::new(Kind::Str(Text::at(text.to_string(), at)), at)
    }

    /// True unless the value is (or is a string with) something unknown at
    /// its top level.
    pub(crate) fn is_known(&self) -> bool {
        !matches!(self.kind, Kind::Unknown(_) | Kind::Partial(_))
    }

    pub(crate) fn is_failed(&self) -> bool {
        matches!(&self.kind, Kind::Unknown(u) if u.failed)
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(t) => Some(&t.text),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::Str(t) if t.text == "true" => Some(true),
            Kind::Str(t) if t.text == "false" => Some(false),
            _ => None,
        }
    }

    pub(crate) fn as_number(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => Some(*n),
            Kind::Str(t) => t.text.trim().parse().ok(),
            _ => None,
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match &self.kind {
            Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// The value as a string the way Terraform converts primitives.
    pub(crate) fn to_text(&self) -> Option<Text> {
        match &self.kind {
            Kind::Str(t) => Some(t.clone()),
            Kind::Number(n) => Some(Text::at(format_number(*n), self.at)),
            Kind::Bool(b) => Some(Text::at(b.to_string(), self.at)),
            _ => None,
        }
    }

    /// Nodes and string bytes in the value: what evaluating it costs.
    pub(crate) fn weight(&self) -> u64 {
        1 + match &self.kind {
            Kind::Str(t) => t.text.len() as u64 / 16,
            Kind::List(items) => items.iter().map(Value::weight).sum(),
            Kind::Object(members) => members.iter().map(|m| m.value.weight()).sum(),
            Kind::Encoded(inner) => inner.weight(),
            Kind::Partial(pieces) => pieces.len() as u64,
            _ => 0,
        }
    }

    /// Equality of content, places ignored (Terraform's `==`).
    pub(crate) fn same(&self, other: &Value) -> Option<bool> {
        Some(match (&self.kind, &other.kind) {
            (Kind::Unknown(_) | Kind::Partial(_), _) | (_, Kind::Unknown(_) | Kind::Partial(_)) => {
                return None
            }
            (Kind::Null, Kind::Null) => true,
            (Kind::Bool(a), Kind::Bool(b)) => a == b,
            (Kind::Number(a), Kind::Number(b)) => a == b,
            (Kind::Str(a), Kind::Str(b)) => a.text == b.text,
            (Kind::List(a), Kind::List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                for (x, y) in a.iter().zip(b) {
                    if !x.same(y)? {
                        return Some(false);
                    }
                }
                true
            }
            (Kind::Object(a), Kind::Object(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                for m in a {
                    match b.iter().find(|n| n.key == m.key) {
                        Some(n) if m.value.same(&n.value)? => {}
                        _ => return Some(false),
                    }
                }
                true
            }
            (Kind::Encoded(a), Kind::Encoded(b)) => a.same(b)?,
            _ => false,
        })
    }
}

/// A number as Terraform prints it: integers without a fraction.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
