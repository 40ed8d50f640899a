//! Rendering diagnostics for people (miette snippets) and machines (JSON).

use keyward_policy::{Diagnostic, Source};
use serde_json::{json, Value};

/// Render diagnostics with source snippets, as miette draws them.
pub fn human(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let handler = miette::GraphicalReportHandler::new_themed(theme()).with_context_lines(2);
    let mut out = String::new();
    for d in diagnostics {
        let _ = handler.render_report(&mut out, &d.with_source(source));
    }
    out
}

fn theme() -> miette::GraphicalTheme {
    let colour = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout());
    if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    }
}

/// One diagnostic as JSON, with 1-based line/column for each label.
pub fn json(source: &Source, d: &Diagnostic) -> Value {
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|l| {
            let start = source.start_of(l.span);
            let end = source.end_of(l.span);
            json!({
                "message": l.message,
                "start": l.span.start,
                "end": l.span.end,
                "line": start.line,
                "column": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            })
        })
        .collect();
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "help": d.help,
        "pointer": d.pointer,
        "file": source.name(),
        "labels": labels,
    })
}
