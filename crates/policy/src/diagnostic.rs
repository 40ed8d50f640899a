//! The one diagnostic type every part of keyward reports with.
//!
//! Style (see `docs/diagnostics.md`): the message is lowercase with no
//! trailing period and quotes the user's input in backticks; `help` says what
//! to do; the primary label marks the place.

use std::fmt;

use crate::source::Source;
use crate::span::Span;

/// How serious a diagnostic is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Probably a mistake.
    Warning,
    /// The input is invalid or dangerous.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A marked place in the source, with an optional short message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The marked bytes.
    pub span: Span,
    /// What is there (may be empty).
    pub message: String,
}

/// A problem found in some input: what is wrong, where, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `json::trailing-comma` or `KW201`.
    pub code: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// One line: what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The primary place first, then any related places.
    pub labels: Vec<Label>,
    /// JSON pointer of the node concerned (`/Statement/2/Condition`), when known.
    pub pointer: Option<String>,
}

impl Diagnostic {
    /// An error with `code` and `message`, marking `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic::new(Severity::Error, code, message, span)
    }

    /// A warning with `code` and `message`, marking `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic::new(Severity::Warning, code, message, span)
    }

    /// A diagnostic of any severity, marking `span`.
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            help: None,
            labels: vec![Label {
                span,
                message: String::new(),
            }],
            pointer: None,
        }
    }

    /// Add the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Set the primary label's message.
    #[must_use]
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        if let Some(first) = self.labels.first_mut() {
            first.message = message.into();
        }
        self
    }

    /// Add a secondary label.
    #[must_use]
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Set the JSON pointer.
    #[must_use]
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// The primary span (the first label's), or an empty span at 0.
    pub fn span(&self) -> Span {
        self.labels.first().map(|l| l.span).unwrap_or_default()
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Pair with its source for rendering through miette.
    pub fn with_source<'a>(&'a self, source: &'a Source) -> SourcedDiagnostic<'a> {
        SourcedDiagnostic {
            diagnostic: self,
            source,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A diagnostic with its source text, implementing [`miette::Diagnostic`].
#[derive(Debug)]
pub struct SourcedDiagnostic<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a Source,
}

impl fmt::Display for SourcedDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for SourcedDiagnostic<'_> {}

impl miette::Diagnostic for SourcedDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Info => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let text_len = self.source.text().len();
        Some(Box::new(self.diagnostic.labels.iter().enumerate().map(
            move |(i, label)| {
                let start = (label.span.start as usize).min(text_len);
                let len = label.span.len().min(text_len - start);
                let text = (!label.message.is_empty()).then(|| label.message.clone());
                if i == 0 {
                    miette::LabeledSpan::new_primary_with_span(text, (start, len))
                } else {
                    miette::LabeledSpan::new_with_span(text, (start, len))
                }
            },
        )))
    }
}

impl miette::SourceCode for SourcedDiagnostic<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        // Lines are found through the source's line index: miette's own
        // `read_span` on a `&str` scans from the start of the text, which
        // makes a report with many findings quadratic in the file size.
        let source = self.source;
        let text = source.text();
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        let last_byte = if end > start { end - 1 } else { end };
        let first_line = source
            .line_index(start)
            .saturating_sub(context_lines_before);
        let last_line = (source.line_index(last_byte) + context_lines_after)
            .min(source.line_count().saturating_sub(1));
        let data_start = source.line_range(first_line).start;
        let mut data_end = source.line_range(last_line).end;
        // Like miette, stop before the newline that ends the last line.
        if text[data_start..data_end].ends_with('\n') {
            data_end -= 1;
            if text[data_start..data_end].ends_with('\r') {
                data_end -= 1;
            }
        }
        if data_end - data_start <= MAX_SNIPPET_BYTES {
            return Ok(Box::new(miette::MietteSpanContents::new_named(
                source.name().to_string(),
                &text.as_bytes()[data_start..data_end],
                miette::SourceSpan::new(data_start.into(), data_end - data_start),
                first_line,
                // miette reads the column as the span's own (it heads the report).
                source
                    .line_col(u32::try_from(start).unwrap_or(u32::MAX))
                    .column as usize
                    - 1,
                last_line - first_line + 1,
            )));
        }
        // miette asks for the union of labels that share a line, to draw
        // them in one snippet. On a long line that union may not fit one
        // window: refuse it, and miette draws each label in its own.
        let text_len = text.len();
        let one_label = self.diagnostic.labels.iter().any(|l| {
            let start = (l.span.start as usize).min(text_len);
            start == span.offset() && l.span.len().min(text_len - start) == span.len()
        });
        if !one_label && span.len() > MAX_SNIPPET_BYTES - 2 * SNIPPET_MARGIN {
            return Err(miette::MietteError::OutOfBounds);
        }
        // A snippet of very long lines (minified JSON is one line) would be
        // copied whole into every diagnostic: show a window around the span,
        // within the span's own line and without context lines, instead.
        let span_start = span.offset().min(text.len());
        let line = source.line_range(source.line_index(span_start));
        let start = floor_char_boundary(
            text,
            span_start.saturating_sub(SNIPPET_MARGIN).max(line.start),
        );
        // A long span (a whole statement, or labels far apart) is cut too:
        // the window never exceeds the snippet limit.
        let end = ceil_char_boundary(
            text,
            (span.offset() + span.len() + SNIPPET_MARGIN)
                .min(start + MAX_SNIPPET_BYTES)
                .min(text.len()),
        );
        // The window ends with the span's first line.
        let end = text[span_start..end]
            .find('\n')
            .map_or(end, |at| span_start + at);
        let window = &text[start..end];
        let at = self
            .source
            .line_col(u32::try_from(start).unwrap_or(u32::MAX));
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.source.name().to_string(),
            window.as_bytes(),
            miette::SourceSpan::new(start.into(), window.len()),
            at.line.saturating_sub(1) as usize,
            at.column.saturating_sub(1) as usize,
            1,
        )))
    }
}

/// Snippets larger than this are cut down to a window around the span.
const MAX_SNIPPET_BYTES: usize = 4096;
/// Bytes of context kept on each side of the span in a cut-down snippet.
const SNIPPET_MARGIN: usize = 120;

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use miette::SourceCode;

    use super::*;

    /// The window cut from a long snippet holds the span's own line, even
    /// when the span sits just after a very long line.
    #[test]
    fn long_snippets_keep_the_line_of_the_span() {
        let text = format!("{{\"Sid\": \"{}\",\n \"x\": }}", "a".repeat(5000));
        let at = text.rfind('}').unwrap();
        let source = Source::new("p.json", text.as_str());
        let d = Diagnostic::error("t", "m", Span::new(at, at + 1));
        let sourced = d.with_source(&source);
        let span = miette::SourceSpan::new(at.into(), 1);
        let contents = sourced.read_span(&span, 2, 2).unwrap();
        let data = std::str::from_utf8(contents.data()).unwrap();
        assert_eq!(data, " \"x\": }");
        let shown = contents.span();
        assert!(shown.offset() <= at && at < shown.offset() + shown.len());
        assert_eq!(contents.line(), 1, "0-based line of the window");
        // On the long line itself, a window around the span.
        let at = 3000;
        let span = miette::SourceSpan::new(at.into(), 1);
        let contents = sourced.read_span(&span, 2, 2).unwrap();
        assert!(contents.data().len() <= 2 * SNIPPET_MARGIN + 1);
        assert!(contents.span().offset() <= at);
        // A label longer than the limit gets a window of the limit's size.
        let d = Diagnostic::error("t", "m", Span::new(20, 4_520));
        let sourced = d.with_source(&source);
        let span = miette::SourceSpan::new(20.into(), 4_500);
        let contents = sourced.read_span(&span, 2, 2).unwrap();
        assert!(contents.data().len() <= MAX_SNIPPET_BYTES + 4);
    }

    /// Two labels far apart on one long line are drawn in two snippets,
    /// both marked, rather than one window that misses the second.
    #[test]
    fn far_apart_labels_on_a_long_line_are_each_shown() {
        let text = format!("[{}x", " ".repeat(6000));
        let source = Source::new("p.json", text.as_str());
        let d = Diagnostic::error("t", "unexpected `x`", Span::new(6001, 6002))
            .with_related(Span::new(0, 1), "opened here");
        let sourced = d.with_source(&source);
        let union = miette::SourceSpan::new(0.into(), 6002);
        assert!(sourced.read_span(&union, 2, 2).is_err());
        let mut out = String::new();
        let handler = miette::NarratableReportHandler::new();
        handler.render_report(&mut out, &sourced).unwrap();
        assert!(out.contains("opened here"), "{out}");
        assert!(out.contains('x'), "{out}");
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }
}
