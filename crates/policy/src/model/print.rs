//! Model → normalized JSON text: canonical element order, two-space
//! indentation, and the forms the author chose (scalar or array) kept.
//!
//! Printing then parsing gives back an equal model (a property test checks it).

use std::fmt::Write;

use crate::model::lower::format_number;
use crate::model::{
    Actions, Condition, ConditionValues, Conditions, DateValue, Policy, PrincipalSpec, Principals,
    Resources, Statement,
};

/// Print `policy` as normalized, pretty JSON.
///
/// ```
/// let policy = keyward_policy::parse_policy(
///     r#"{"Statement":[{"Resource":"*","Action":"kms:*","Effect":"Allow"}],"Version":"2012-10-17"}"#,
/// ).unwrap();
/// let text = keyward_policy::model::to_json_string(&policy);
/// assert!(text.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": ["));
/// ```
pub fn to_json_string(policy: &Policy) -> String {
    let mut out = Writer::default();
    out.open('{');
    if let Some(v) = &policy.version {
        out.key("Version");
        out.string(v.node.as_str());
    }
    if let Some(id) = &policy.id {
        out.key("Id");
        out.string(&id.node);
    }
    out.key("Statement");
    if policy.statement_array {
        out.open('[');
        for s in &policy.statements {
            out.item();
            statement(&mut out, s);
        }
        out.close(']');
    } else if let Some(s) = policy.statements.first() {
        statement(&mut out, s);
    }
    out.close('}');
    out.text.push('\n');
    out.text
}

fn statement(out: &mut Writer, s: &Statement) {
    out.open('{');
    if let Some(sid) = &s.sid {
        out.key("Sid");
        out.string(&sid.node);
    }
    out.key("Effect");
    out.string(s.effect.node.as_str());
    if let Some(p) = &s.principal {
        principals(out, &p.node);
    }
    actions(out, &s.action.node);
    if let Some(r) = &s.resource {
        resources(out, &r.node);
    }
    if let Some(c) = &s.condition {
        conditions(out, &c.node);
    }
    out.close('}');
}

fn principals(out: &mut Writer, p: &Principals) {
    out.key(if p.negated {
        "NotPrincipal"
    } else {
        "Principal"
    });
    match &p.spec {
        PrincipalSpec::Wildcard => out.string("*"),
        PrincipalSpec::Map(groups) => {
            out.open('{');
            for g in groups {
                out.key(g.kind.node.as_str());
                out.list(g.array, g.values.iter().map(|v| v.node.as_str()));
            }
            out.close('}');
        }
    }
}

fn actions(out: &mut Writer, a: &Actions) {
    out.key(if a.negated { "NotAction" } else { "Action" });
    out.list(a.array, a.items.iter().map(|i| i.node.as_str()));
}

fn resources(out: &mut Writer, r: &Resources) {
    out.key(if r.negated { "NotResource" } else { "Resource" });
    out.list(r.array, r.items.iter().map(|i| i.node.raw()));
}

fn conditions(out: &mut Writer, c: &Conditions) {
    out.key("Condition");
    out.open('{');
    // Entries are stored flat; regroup consecutive entries by operator.
    let mut i = 0;
    while let Some(first) = c.entries.get(i) {
        let name = first.operator.node.name();
        out.key(&name);
        out.open('{');
        while let Some(entry) = c.entries.get(i).filter(|e| {
            e.operator.node == first.operator.node && e.operator.span == first.operator.span
        }) {
            out.key(entry.key.node.as_str());
            condition_values(out, entry);
            i += 1;
        }
        out.close('}');
    }
    out.close('}');
}

fn condition_values(out: &mut Writer, c: &Condition) {
    let texts: Vec<String> = match &c.values {
        ConditionValues::String(v) => v.iter().map(|t| t.node.raw().to_string()).collect(),
        ConditionValues::Numeric(v) => v.iter().map(|n| format_number(n.node)).collect(),
        ConditionValues::Date(v) => v.iter().map(|d| format_date(&d.node)).collect(),
        ConditionValues::Bool(v) | ConditionValues::Null(v) => {
            v.iter().map(|b| b.node.to_string()).collect()
        }
        ConditionValues::Binary(v) => v.iter().map(|b| b.node.to_string()).collect(),
        ConditionValues::Ip(v) => v.iter().map(|n| n.node.to_string()).collect(),
    };
    out.list(c.array, texts.iter().map(String::as_str));
}

/// An instant as ISO 8601 UTC (`2026-01-31T12:00:00Z`).
fn format_date(d: &DateValue) -> String {
    match chrono::DateTime::from_timestamp(d.epoch_seconds, d.nanos) {
        Some(dt) if d.nanos == 0 => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
        None => d.epoch_seconds.to_string(),
    }
}

/// A tiny pretty-printing JSON writer.
#[derive(Default)]
struct Writer {
    text: String,
    depth: usize,
    /// Whether the current container already has a member.
    has_member: Vec<bool>,
}

impl Writer {
    fn open(&mut self, bracket: char) {
        self.text.push(bracket);
        self.depth += 1;
        self.has_member.push(false);
    }

    fn close(&mut self, bracket: char) {
        self.depth = self.depth.saturating_sub(1);
        if self.has_member.pop() == Some(true) {
            self.newline();
        }
        self.text.push(bracket);
    }

    fn separator(&mut self) {
        if let Some(has) = self.has_member.last_mut() {
            if *has {
                self.text.push(',');
            }
            *has = true;
        }
        self.newline();
    }

    fn newline(&mut self) {
        self.text.push('\n');
        for _ in 0..self.depth {
            self.text.push_str("  ");
        }
    }

    fn key(&mut self, key: &str) {
        self.separator();
        self.string(key);
        self.text.push_str(": ");
    }

    fn item(&mut self) {
        self.separator();
    }

    fn list<'a>(&mut self, array: bool, items: impl Iterator<Item = &'a str>) {
        if array {
            self.open('[');
            for item in items {
                self.item();
                self.string(item);
            }
            self.close(']');
        } else if let Some(first) = items.into_iter().next() {
            self.string(first);
        }
    }

    fn string(&mut self, s: &str) {
        self.text.push('"');
        for c in s.chars() {
            match c {
                '"' => self.text.push_str("\\\""),
                '\\' => self.text.push_str("\\\\"),
                '\n' => self.text.push_str("\\n"),
                '\r' => self.text.push_str("\\r"),
                '\t' => self.text.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.text, "\\u{:04x}", c as u32);
                }
                c => self.text.push(c),
            }
        }
        self.text.push('"');
    }
}
