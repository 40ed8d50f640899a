//! The engine's one `Diagnostic` type, as JSON for the page.

use keyward_policy::Diagnostic;
use serde::Serialize;

use crate::positions::{Position, TextIndex};

/// A diagnostic located in the text of one document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticOut {
    /// Stable code such as `json::trailing-comma` or `KW201`.
    pub code: &'static str,
    /// `info`, `warning` or `error`.
    pub severity: &'static str,
    /// One line: what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// JSON pointer of the node concerned, when known.
    pub pointer: Option<String>,
    /// The primary place first, then related places.
    pub labels: Vec<LabelOut>,
}

/// A marked range of the document.
#[derive(Debug, Serialize)]
pub struct LabelOut {
    /// What is there (may be empty).
    pub message: String,
    /// First character of the range.
    pub start: Position,
    /// Just past the last character of the range.
    pub end: Position,
}

impl DiagnosticOut {
    /// Locate `diagnostic` in the text `index` was built from.
    pub fn new(diagnostic: &Diagnostic, index: &TextIndex<'_>) -> Self {
        DiagnosticOut {
            code: diagnostic.code,
            severity: diagnostic.severity.as_str(),
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            pointer: diagnostic.pointer.clone(),
            labels: diagnostic
                .labels
                .iter()
                .map(|label| LabelOut {
                    message: label.message.clone(),
                    start: index.position(label.span.start),
                    end: index.position(label.span.end),
                })
                .collect(),
        }
    }
}
