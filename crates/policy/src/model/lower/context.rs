//! The lowering context: collects diagnostics and offers the small checks
//! every element uses.

use crate::diagnostic::Diagnostic;
use crate::json::{JsonKind, JsonMember, JsonValue};
use crate::span::{Span, Spanned};

use super::codes::{EMPTY_VALUE, TOO_MANY_ERRORS, UNKNOWN_ELEMENT, WRONG_TYPE};

/// Most diagnostics one lowering reports; a hostile document cannot make it
/// build an unbounded list.
const MAX_DIAGNOSTICS: usize = 200;

pub(crate) struct Lowerer {
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    /// Whether `${…}` is substituted (`Version` 2012-10-17).
    pub(crate) variables: bool,
}

impl Lowerer {
    pub(crate) fn new() -> Self {
        Lowerer {
            diagnostics: Vec::new(),
            errors: 0,
            variables: false,
        }
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        if diagnostic.is_error() {
            self.errors += 1;
        }
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else if self.diagnostics.len() == MAX_DIAGNOSTICS {
            let span = diagnostic.span();
            self.diagnostics.push(
                Diagnostic::error(
                    TOO_MANY_ERRORS,
                    "too many problems; stopped reporting",
                    span,
                )
                .with_help("fix the problems above and run again"),
            );
        }
    }

    /// The result, dropped when any error was reported.
    pub(crate) fn finish<T>(self, value: Option<T>) -> (Option<T>, Vec<Diagnostic>) {
        let value = if self.errors > 0 { None } else { value };
        (value, self.diagnostics)
    }

    pub(crate) fn wrong_type(
        &mut self,
        value: &JsonValue,
        what: &str,
        expected: &str,
        pointer: &str,
    ) {
        self.push(
            Diagnostic::error(
                WRONG_TYPE,
                format!("{what} must be {expected}, not {}", value.kind_name()),
                value.span,
            )
            .with_label(format!("this is {}", value.kind_name()))
            .with_help(format!("write {what} as {expected}"))
            .with_pointer(pointer),
        );
    }

    pub(crate) fn expect_object<'v>(
        &mut self,
        value: &'v JsonValue,
        what: &str,
        pointer: &str,
    ) -> Option<&'v [JsonMember]> {
        match &value.kind {
            JsonKind::Object(members) => Some(members),
            _ => {
                self.wrong_type(value, what, "an object", pointer);
                None
            }
        }
    }

    pub(crate) fn string<'v>(
        &mut self,
        value: &'v JsonValue,
        what: &str,
        pointer: &str,
    ) -> Option<Spanned<&'v str>> {
        match &value.kind {
            JsonKind::String(s) => Some(Spanned::new(&**s, value.span)),
            _ => {
                self.wrong_type(value, what, "a string", pointer);
                None
            }
        }
    }

    /// A string or a non-empty array of strings, as `Action`, `Resource` and
    /// principal values are written. Returns the items and whether an array was used.
    pub(crate) fn string_or_list<'v>(
        &mut self,
        value: &'v JsonValue,
        what: &str,
        pointer: &str,
    ) -> Option<(Vec<Spanned<&'v str>>, bool)> {
        match &value.kind {
            JsonKind::String(s) => Some((vec![Spanned::new(&**s, value.span)], false)),
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.empty_list(value.span, what, pointer);
                    return None;
                }
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match &item.kind {
                        JsonKind::String(s) => out.push(Spanned::new(&**s, item.span)),
                        _ => {
                            self.wrong_type(
                                item,
                                &format!("each item of {what}"),
                                "a string",
                                &format!("{pointer}/{i}"),
                            );
                            ok = false;
                        }
                    }
                }
                ok.then_some((out, true))
            }
            _ => {
                self.wrong_type(value, what, "a string or an array of strings", pointer);
                None
            }
        }
    }

    pub(crate) fn empty_list(&mut self, span: Span, what: &str, pointer: &str) {
        self.push(
            Diagnostic::error(EMPTY_VALUE, format!("{what} is an empty list"), span)
                .with_help("give at least one value, or remove the element")
                .with_pointer(pointer),
        );
    }

    pub(crate) fn unknown_element(
        &mut self,
        name: &str,
        span: Span,
        pointer: &str,
        known: &[&str],
    ) {
        let suggestion = known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(name))
            .map(|k| format!("element names are case-sensitive: write `{k}`"))
            .unwrap_or_else(|| format!("the elements allowed here are {}", list(known)));
        self.push(
            Diagnostic::error(
                UNKNOWN_ELEMENT,
                format!("`{name}` is not a policy element here"),
                span,
            )
            .with_help(suggestion)
            .with_pointer(pointer),
        );
    }
}

/// `a`, `b` and `c` — names in backticks for messages.
pub(crate) fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
