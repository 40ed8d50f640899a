//! Rendering for people (miette snippets, reason lines) and machines
//! (the shared JSON shapes).
//!
//! Text from inputs is escaped ([`escape`]) before it reaches a line of
//! human output; [`human`] and [`snippets`] draw cleaned sources.

pub mod escape;
pub mod grid;

use std::fmt;

use keyward_eval::{Gap, Reason, Response};
use keyward_policy::diagnostic::SourcedDiagnostic;
use keyward_policy::{Diagnostic, Locator, Severity, Source, Span};
use serde_json::Value;

pub use self::escape::escape;
use crate::out;

/// Render diagnostics with source snippets, as miette draws them (the
/// source cleaned and the texts escaped: see [`escape::clean`]).
pub fn human(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let handler = handler();
    let cleaned = escape::clean(source, diagnostics);
    let mut out = String::new();
    for d in &cleaned.diagnostics {
        let _ = handler.render_report(&mut out, &d.with_source(&cleaned.source));
    }
    out
}

/// A lint report made safe for the human and GitHub formats: every file's
/// source cleaned and its findings' texts escaped ([`escape::clean`]).
pub fn clean_report(report: &keyward_lint::report::Report) -> keyward_lint::report::Report {
    let files = report
        .files
        .iter()
        .map(|file| {
            let cleaned = escape::clean(&file.source, &file.diagnostics);
            keyward_lint::report::FileReport {
                source: cleaned.source,
                diagnostics: cleaned.diagnostics,
            }
        })
        .collect();
    // Suppressed findings, with their reasons, reach some formats too:
    // cleaned the same way.
    let suppressed = report
        .suppressed
        .iter()
        .map(|s| {
            let cleaned = escape::clean(&s.source, std::slice::from_ref(&s.diagnostic));
            keyward_lint::report::SuppressedFinding {
                source: cleaned.source,
                diagnostic: cleaned
                    .diagnostics
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| s.diagnostic.clone()),
                reason: escape::escape(&s.reason).into_owned(),
            }
        })
        .collect();
    keyward_lint::report::Report {
        files,
        suppressed,
        baselined: report.baselined,
    }
}

fn handler() -> miette::GraphicalReportHandler {
    miette::GraphicalReportHandler::new_themed(theme())
        .with_context_lines(2)
        .with_links(false)
}

fn theme() -> miette::GraphicalTheme {
    let colour = std::env::var_os("NO_COLOR").is_none() && out::stdout_is_terminal();
    if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    }
}

/// One diagnostic as JSON: keyward's one diagnostic shape
/// ([`keyward_policy::DiagnosticJson`]).
pub fn json(source: &Source, d: &Diagnostic) -> Value {
    serde_json::to_value(Locator::new().diagnostic(source, d)).unwrap_or(Value::Null)
}

/// Where a reason points: the statement or grant it names.
fn place<'a>(reason: &Reason<'a>) -> Option<(&'a Source, Span)> {
    if let Some(s) = reason.statement() {
        return Some((s.source(), s.span()));
    }
    reason.grant().and_then(|g| g.written_at())
}

/// The reasons of a response, one indented line each with the
/// `file:line:column` of what it names, and what would help under it.
pub fn reason_lines(r: &Response<'_>, indent: &str) -> String {
    let mut out = String::new();
    for reason in r.explanation().reasons() {
        out.push_str(&format!("{indent}{}", escape(&reason.to_string())));
        if let Some((source, span)) = place(&reason) {
            let at = source.start_of(span);
            out.push_str(&format!(
                "  ({}:{}:{})",
                escape(source.name()),
                at.line,
                at.column
            ));
        }
        out.push('\n');
        if let Some(help) = reason.help() {
            out.push_str(&format!("{indent}  help: {}\n", escape(&help.to_string())));
        }
    }
    out
}

/// A snippet's heading and the label on its span.
fn snippet_words(reason: &Reason<'_>) -> (String, String) {
    let label = match reason {
        Reason::Denied(_) => "denies the request".to_string(),
        Reason::Allowed(_) | Reason::Grant(_) => "allows the request".to_string(),
        Reason::RetiringPrincipal(_) | Reason::IssuingAccount(_) => {
            "lets the caller retire it".to_string()
        }
        Reason::Delegation(_) => "delegates the action to IAM".to_string(),
        Reason::Unevaluable(_) => "could not be evaluated".to_string(),
        Reason::Missing(gap) => missing_label(gap),
        _ => String::new(),
    };
    let heading = match (reason.statement(), reason.grant()) {
        (Some(s), _) => format!(
            "{} `{}` statement `{}` ({})",
            s.kind(),
            s.policy_name(),
            s.name(),
            s.effect().as_str()
        ),
        (None, Some(g)) => g.to_string(),
        (None, None) => String::new(),
    };
    (heading, label)
}

/// The label on the statement or grant a gap names.
fn missing_label(gap: &Gap<'_>) -> String {
    if let Some(m) = gap.near_miss() {
        return m.unmet.to_string();
    }
    match gap {
        Gap::Identity { .. } => "delegates the action to IAM".to_string(),
        Gap::CrossAccountIdentity { .. } => "allows the caller of another account".to_string(),
        Gap::GrantConstraints { .. } => "its constraints are not met".to_string(),
        Gap::ChildGrant { .. } => "the new grant is not within it".to_string(),
        _ => String::new(),
    }
}

/// Snippets of what the reasons name (statements and grants), each once.
pub fn snippets(r: &Response<'_>) -> String {
    let handler = handler();
    let mut shown: Vec<(*const str, Span)> = Vec::new();
    let mut out = String::new();
    for reason in r.explanation().reasons() {
        let Some((source, span)) = place(&reason) else {
            continue;
        };
        let key = (std::sync::Arc::as_ptr(source.text_arc()), span);
        if shown.contains(&key) {
            continue;
        }
        shown.push(key);
        let (heading, label) = snippet_words(&reason);
        let d = Diagnostic::new(Severity::Info, "", heading, span).with_label(label);
        let cleaned = escape::clean(source, &[d]);
        out.push('\n');
        for d in &cleaned.diagnostics {
            let _ = handler.render_report(
                &mut out,
                &Snippet {
                    inner: d.with_source(&cleaned.source),
                },
            );
        }
    }
    out
}

/// A diagnostic drawn as a plain snippet: no code heading.
#[derive(Debug)]
struct Snippet<'a> {
    inner: SourcedDiagnostic<'a>,
}

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl std::error::Error for Snippet<'_> {}

impl miette::Diagnostic for Snippet<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        miette::Diagnostic::source_code(&self.inner)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        miette::Diagnostic::labels(&self.inner)
    }
}
