//! keyward's JSON format: a summary and a flat list of findings with
//! line/column ranges, JSON pointers and rule metadata.

use keyward_policy::{Diagnostic, Source};
use serde_json::{json, Map, Value};

use super::{Location, Report, Reporter, TOOL_NAME, TOOL_VERSION};
use crate::catalog::{CATALOG_DATE, CATALOG_VERSION};
use crate::registry;

/// Renders the report as one pretty-printed JSON object.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonReporter;

/// The version of the JSON output format.
pub const JSON_FORMAT_VERSION: u32 = 1;

impl Reporter for JsonReporter {
    fn render(&self, report: &Report, out: &mut String) {
        let summary = report.summary();
        let findings: Vec<Value> = report.findings().map(|(s, d)| finding(s, d)).collect();
        let value = json!({
            "format_version": JSON_FORMAT_VERSION,
            "tool": {
                "name": TOOL_NAME,
                "version": TOOL_VERSION,
                "catalog": { "version": CATALOG_VERSION, "date": CATALOG_DATE },
            },
            "summary": {
                "files": summary.files,
                "errors": summary.errors,
                "warnings": summary.warnings,
                "infos": summary.infos,
            },
            "files": report.files.iter().map(|f| f.source.name()).collect::<Vec<_>>(),
            "findings": findings,
        });
        out.push_str(&serde_json::to_string_pretty(&value).unwrap_or_default());
        out.push('\n');
    }
}

fn finding(source: &Source, d: &Diagnostic) -> Value {
    let mut object = Map::new();
    object.insert("file".into(), source.name().into());
    object.insert("code".into(), d.code.into());
    if let Some(rule) = registry::for_diagnostic(d.code) {
        object.insert("rule".into(), rule.meta().name.into());
        object.insert("category".into(), rule.meta().category.as_str().into());
    }
    object.insert("severity".into(), d.severity.as_str().into());
    object.insert("message".into(), d.message.clone().into());
    object.insert("help".into(), d.help.clone().into());
    object.insert("pointer".into(), d.pointer.clone().into());
    let at = Location::of(source, d.span());
    object.insert(
        "start".into(),
        position(at.start.line, at.start.column, at.span.start),
    );
    object.insert(
        "end".into(),
        position(at.end.line, at.end.column, at.span.end),
    );
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|label| {
            let at = Location::of(source, label.span);
            json!({
                "message": label.message,
                "start": position(at.start.line, at.start.column, at.span.start),
                "end": position(at.end.line, at.end.column, at.span.end),
            })
        })
        .collect();
    object.insert("labels".into(), labels.into());
    Value::Object(object)
}

fn position(line: u32, column: u32, offset: u32) -> Value {
    json!({ "line": line, "column": column, "offset": offset })
}
