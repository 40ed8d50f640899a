//! keyward's one diagnostic type, in the protocol's terms: byte spans become
//! ranges in the negotiated unit, codes link to their rule page, secondary
//! labels become related locations, and a certain fix rides along in `data`.

use keyward_lint::registry;
use keyward_policy::{Diagnostic, Severity, Source, Span};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, Uri,
};

use crate::code_actions;
use crate::positions::{line_column, Encoding};

/// Where the scenario format is described (for `scenario::…` codes).
const SCENARIO_DOCS: &str = "https://github.com/keyward/keyward/blob/main/docs/scenario-format.md";

/// Turns spans of one text into ranges.
#[derive(Debug)]
pub(crate) struct Ranges {
    source: Source,
    encoding: Encoding,
}

impl Ranges {
    /// Ranges in `source` (sharing its text and line index).
    pub(crate) fn new(source: &Source, encoding: Encoding) -> Self {
        Ranges {
            source: source.clone(),
            encoding,
        }
    }

    /// Ranges in `text` (indexed here).
    pub(crate) fn of_text(text: &str, encoding: Encoding) -> Self {
        Ranges::new(&Source::new("", text), encoding)
    }

    pub(crate) fn encoding(&self) -> Encoding {
        self.encoding
    }

    pub(crate) fn position(&self, byte: u32) -> Position {
        let (line, character) = line_column(&self.source, byte, self.encoding);
        Position { line, character }
    }

    pub(crate) fn range(&self, span: Span) -> Range {
        Range {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }
}

/// The protocol's diagnostic for `d`, found in `text` (the document at `uri`).
pub(crate) fn diagnostic(
    d: &Diagnostic,
    uri: &Uri,
    text: &str,
    ranges: &Ranges,
) -> lsp_types::Diagnostic {
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), ranges.range(label.span)),
            message: if label.message.is_empty() {
                "related".to_string()
            } else {
                label.message.clone()
            },
        })
        .collect();
    let mut message = message;
    if let Some(primary) = d.labels.first().filter(|l| !l.message.is_empty()) {
        // The primary label says what is at the place: keep it in the text
        // (clients show only the message at the range).
        if !message.contains(&primary.message) {
            message = format!("{message} ({})", primary.message);
        }
    }
    lsp_types::Diagnostic {
        range: ranges.range(d.span()),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: help_uri(d.code).and_then(|href| {
            href.parse::<Uri>()
                .ok()
                .map(|href| CodeDescription { href })
        }),
        source: Some("keyward".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: code_actions::fix_for(d, text).map(|fix| code_actions::locate(fix, ranges).to_data()),
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The page that explains a code: its rule's, or the scenario format's.
pub(crate) fn help_uri(code: &str) -> Option<String> {
    if let Some(rule) = registry::for_diagnostic(code) {
        return Some(rule.help_uri());
    }
    code.starts_with("scenario")
        .then(|| SCENARIO_DOCS.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_labels_and_links_carry_over() {
        let text = "{\"Sid\": \"ключ\",\n \"Action\": \"kms:Decrpyt\"}";
        let uri: Uri = "file:///p.json".parse().unwrap();
        let at = text.find("\"kms").unwrap();
        let d = Diagnostic::warning(
            "KW302",
            "`kms:Decrpyt` is not an action of `kms`",
            Span::new(at, at + 13),
        )
        .with_label("unknown action")
        .with_help("did you mean `kms:Decrypt`?")
        .with_related(Span::new(8, 18), "named here");
        let ranges = Ranges::of_text(text, Encoding::Utf16);
        let lsp = diagnostic(&d, &uri, text, &ranges);
        assert_eq!(
            lsp.range,
            Range::new(Position::new(1, 11), Position::new(1, 24))
        );
        assert_eq!(lsp.code, Some(NumberOrString::String("KW302".into())));
        assert_eq!(
            lsp.code_description.unwrap().href.as_str(),
            "https://github.com/keyward/keyward/blob/main/docs/rules/KW302.md"
        );
        assert!(lsp.message.contains("help: did you mean `kms:Decrypt`?"));
        let related = lsp.related_information.unwrap();
        // "ключ" is four UTF-16 units (and eight bytes).
        assert_eq!(
            related[0].location.range,
            Range::new(Position::new(0, 8), Position::new(0, 14))
        );
        assert_eq!(related[0].message, "named here");
        assert!(lsp.data.is_some(), "a certain fix rides along");
    }

    #[test]
    fn parser_families_and_scenario_codes_have_pages() {
        assert!(help_uri("json::trailing-comma").unwrap().ends_with(".md"));
        assert!(help_uri("scenario::unknown-principal")
            .unwrap()
            .ends_with("scenario-format.md"));
    }
}
