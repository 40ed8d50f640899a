//! The lowering context: collects diagnostics and offers the small checks
//! every element uses.

use crate::diagnostic::Diagnostic;
use crate::json::{JsonKind, JsonMember, JsonValue};
use crate::span::{Span, Spanned};

use super::codes::{EMPTY_VALUE, TOO_MANY_ERRORS, UNKNOWN_ELEMENT, WRONG_TYPE};
use super::path::Path;

/// Most diagnostics one lowering reports; a hostile document cannot make it
/// build an unbounded list.
const MAX_DIAGNOSTICS: usize = 200;

pub(crate) struct Lowerer {
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    /// Whether `${…}` is substituted (`Version` 2012-10-17).
    pub(crate) variables: bool,
    /// A list buffer reused across elements (see [`Lowerer::recycle`]).
    scratch: Vec<Spanned<Box<str>>>,
}

impl Lowerer {
    pub(crate) fn new() -> Self {
        Lowerer {
            diagnostics: Vec::new(),
            errors: 0,
            variables: false,
            scratch: Vec::new(),
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
        at: &Path<'_>,
    ) {
        self.push(
            Diagnostic::error(
                WRONG_TYPE,
                format!("{what} must be {expected}, not {}", value.kind_name()),
                value.span,
            )
            .with_label(format!("this is {}", value.kind_name()))
            .with_help(format!("write {what} as {expected}"))
            .with_pointer(at.render()),
        );
    }

    pub(crate) fn expect_object<'v>(
        &mut self,
        value: &'v mut JsonValue,
        what: &str,
        at: &Path<'_>,
    ) -> Option<&'v mut [JsonMember]> {
        if !matches!(value.kind, JsonKind::Object(_)) {
            self.wrong_type(value, what, "an object", at);
            return None;
        }
        match &mut value.kind {
            JsonKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Take the string out of `value` (lowering consumes the tree).
    pub(crate) fn string(
        &mut self,
        value: &mut JsonValue,
        what: &str,
        at: &Path<'_>,
    ) -> Option<Spanned<Box<str>>> {
        match &mut value.kind {
            JsonKind::String(s) => Some(Spanned::new(std::mem::take(s), value.span)),
            _ => {
                self.wrong_type(value, what, "a string", at);
                None
            }
        }
    }

    /// A string or a non-empty array of strings, as `Action`, `Resource` and
    /// principal values are written. Returns the items and whether an array
    /// was used; hand the emptied list back with [`Lowerer::recycle`].
    pub(crate) fn string_or_list(
        &mut self,
        value: &mut JsonValue,
        what: &str,
        at: &Path<'_>,
    ) -> Option<(Vec<Spanned<Box<str>>>, bool)> {
        let span = value.span;
        match &mut value.kind {
            JsonKind::String(s) => {
                let mut out = std::mem::take(&mut self.scratch);
                out.push(Spanned::new(std::mem::take(s), span));
                Some((out, false))
            }
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.empty_list(span, what, at);
                    return None;
                }
                let mut out = std::mem::take(&mut self.scratch);
                out.reserve(items.len());
                let mut ok = true;
                for (i, item) in items.iter_mut().enumerate() {
                    match &mut item.kind {
                        JsonKind::String(s) => out.push(Spanned::new(std::mem::take(s), item.span)),
                        _ => {
                            self.wrong_type(
                                item,
                                &format!("each item of {what}"),
                                "a string",
                                &at.index(i),
                            );
                            ok = false;
                        }
                    }
                }
                ok.then_some((out, true))
            }
            _ => {
                self.wrong_type(value, what, "a string or an array of strings", at);
                None
            }
        }
    }

    /// Give back a list from [`Lowerer::string_or_list`] so its capacity is reused.
    pub(crate) fn recycle(&mut self, mut list: Vec<Spanned<Box<str>>>) {
        list.clear();
        self.scratch = list;
    }

    pub(crate) fn empty_list(&mut self, span: Span, what: &str, at: &Path<'_>) {
        self.push(
            Diagnostic::error(EMPTY_VALUE, format!("{what} is an empty list"), span)
                .with_help("give at least one value, or remove the element")
                .with_pointer(at.render()),
        );
    }

    pub(crate) fn unknown_element(
        &mut self,
        name: &str,
        span: Span,
        at: &Path<'_>,
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
            .with_pointer(at.render()),
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
