//! Reading JSON values as the types a scenario wants: every mistake becomes
//! a diagnostic at its place, and loading goes on to find the next one.

use keyward_policy::json::{JsonKind, JsonMember, JsonValue};
use keyward_policy::{Diagnostic, Source, Span};

use super::Cx;
use crate::model::Problem;

impl Cx<'_> {
    pub(crate) fn report(&mut self, source: Source, diagnostic: Diagnostic) {
        if diagnostic.is_error() {
            self.problems.push(Problem { source, diagnostic });
        } else {
            self.warnings.push(Problem { source, diagnostic });
        }
    }

    pub(crate) fn error(&mut self, code: &'static str, message: String, span: Span, help: &str) {
        let mut d = Diagnostic::error(code, message, span);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.report(self.source.clone(), d);
    }

    pub(super) fn object<'v>(&mut self, v: &'v JsonValue, what: &str) -> Option<&'v [JsonMember]> {
        let members = v.as_object();
        if members.is_none() {
            self.error(
                "scenario::type",
                format!("{what} must be an object, not {}", v.kind_name()),
                v.span,
                "",
            );
        }
        members
    }

    pub(super) fn string<'v>(&mut self, v: &'v JsonValue, what: &str) -> Option<&'v str> {
        let s = v.as_str();
        if s.is_none() {
            self.error(
                "scenario::type",
                format!("{what} must be a string, not {}", v.kind_name()),
                v.span,
                "",
            );
        }
        s
    }

    pub(super) fn strings(&mut self, v: &JsonValue, what: &str) -> Vec<String> {
        match &v.kind {
            JsonKind::String(s) => vec![s.to_string()],
            JsonKind::Array(items) => items
                .iter()
                .filter_map(|i| self.string(i, what).map(str::to_string))
                .collect(),
            _ => {
                self.error(
                    "scenario::type",
                    format!(
                        "{what} must be a string or a list of strings, not {}",
                        v.kind_name()
                    ),
                    v.span,
                    "",
                );
                Vec::new()
            }
        }
    }

    /// Scalars as text (`true`, `3`), for context values.
    pub(super) fn scalar_text(&mut self, v: &JsonValue, what: &str) -> Option<String> {
        match &v.kind {
            JsonKind::String(s) => Some(s.to_string()),
            JsonKind::Bool(b) => Some(b.to_string()),
            JsonKind::Number(_) => Some(self.source.slice(v.span).to_string()),
            _ => {
                self.error(
                    "scenario::type",
                    format!(
                        "{what} must be a string, number or boolean, not {}",
                        v.kind_name()
                    ),
                    v.span,
                    "",
                );
                None
            }
        }
    }

    pub(super) fn pairs(&mut self, v: &JsonValue, what: &str) -> Vec<(String, String)> {
        let Some(members) = self.object(v, what) else {
            return Vec::new();
        };
        members
            .iter()
            .filter_map(|m| {
                self.scalar_text(&m.value, what)
                    .map(|t| (m.key.to_string(), t))
            })
            .collect()
    }

    pub(super) fn unknown(&mut self, m: &JsonMember, known: &[&str], within: &str) {
        if !known.contains(&&*m.key) {
            self.error(
                "scenario::unknown-field",
                format!("`{}` is not a field of {within}", m.key),
                m.key_span,
                &format!("the fields are: {}", known.join(", ")),
            );
        }
    }
}
