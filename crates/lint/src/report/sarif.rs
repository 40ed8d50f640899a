//! SARIF 2.1.0 for code scanning: the rule table (with help links) and one
//! result per finding.

use std::collections::BTreeMap;

use keyward_policy::{Diagnostic, Severity, Source};
use serde_json::{json, Map, Value};

use super::{Location, Report, Reporter, TOOL_NAME, TOOL_VERSION};
use crate::registry::{self, Category, Level, Rule};

/// The `$schema` written into SARIF logs.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the report as a SARIF 2.1.0 log with one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct SarifReporter;

impl Reporter for SarifReporter {
    fn render(&self, report: &Report, out: &mut String) {
        let mut rules: Vec<Value> = registry::rules()
            .iter()
            .map(|r| rule_descriptor(r, r.code()))
            .collect();
        let mut index: BTreeMap<String, usize> = registry::rules()
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code().to_string(), i))
            .collect();
        // Parser diagnostics (`json::…`) get a descriptor each, documented by their family's page.
        for (_, d) in report.findings() {
            if index.contains_key(d.code) {
                continue;
            }
            if let Some(family) = registry::for_diagnostic(d.code) {
                index.insert(d.code.to_string(), rules.len());
                rules.push(rule_descriptor(family, d.code));
            }
        }
        let results: Vec<Value> = report
            .findings()
            .map(|(source, d)| result(source, d, index.get(d.code).copied()))
            .collect();
        let log = json!({
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": TOOL_NAME,
                    "version": TOOL_VERSION,
                    "semanticVersion": TOOL_VERSION,
                    "informationUri": "https://github.com/keyward/keyward",
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        out.push_str(&serde_json::to_string_pretty(&log).unwrap_or_default());
        out.push('\n');
    }
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Off => "none",
        Level::Info => "note",
        Level::Warn => "warning",
        Level::Error => "error",
    }
}

fn rule_descriptor(rule: &Rule, id: &str) -> Value {
    let meta = rule.meta();
    let mut properties = Map::new();
    properties.insert("tags".into(), json!([meta.category.as_str(), "kms", "iam"]));
    properties.insert("precision".into(), "high".into());
    if meta.category == Category::Security {
        // GitHub ranks security alerts by this score (0.0 to 10.0).
        let score = match meta.default_level {
            Level::Error => "8.0",
            Level::Warn => "5.0",
            Level::Info | Level::Off => "2.0",
        };
        properties.insert("security-severity".into(), score.into());
    }
    json!({
        "id": id,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": meta.summary },
        "helpUri": rule.help_uri(),
        "help": { "text": meta.summary, "markdown": meta.docs },
        "defaultConfiguration": { "level": sarif_level(meta.default_level) },
        "properties": properties,
    })
}

fn result(source: &Source, d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut primary = location(source, d.span(), None);
    if let Some(pointer) = &d.pointer {
        if let Some(object) = primary.as_object_mut() {
            object.insert(
                "logicalLocations".into(),
                json!([{ "fullyQualifiedName": pointer, "kind": "object" }]),
            );
        }
    }
    let related: Vec<Value> = d
        .labels
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, label)| {
            let message = (!label.message.is_empty()).then_some(label.message.as_str());
            let mut loc = location(source, label.span, message);
            if let Some(object) = loc.as_object_mut() {
                object.insert("id".into(), i.into());
            }
            loc
        })
        .collect();
    let mut object = Map::new();
    object.insert("ruleId".into(), d.code.into());
    if let Some(i) = rule_index {
        object.insert("ruleIndex".into(), i.into());
    }
    object.insert("level".into(), level.into());
    object.insert("message".into(), json!({ "text": text }));
    object.insert("locations".into(), json!([primary]));
    if !related.is_empty() {
        object.insert("relatedLocations".into(), related.into());
    }
    Value::Object(object)
}

fn location(source: &Source, span: keyward_policy::Span, message: Option<&str>) -> Value {
    let at = Location::of(source, span);
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": file_uri(source.name()) },
            "region": {
                "startLine": at.start.line,
                "startColumn": at.start.column,
                "endLine": at.end.line,
                "endColumn": at.end.column,
                "charOffset": at.span.start,
                "charLength": at.span.len(),
            },
        },
    });
    if let (Some(message), Some(object)) = (message, location.as_object_mut()) {
        object.insert("message".into(), json!({ "text": message }));
    }
    location
}

/// A URI reference for a file name: relative paths stay relative (code
/// scanning resolves them against the repository root), absolute ones
/// become `file://` URIs; reserved characters are percent-encoded.
pub fn file_uri(name: &str) -> String {
    let path = name.replace('\\', "/");
    let encoded: String = path
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded.trim_start_matches("./").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(file_uri("policies/key 1.json"), "policies/key%201.json");
        assert_eq!(file_uri("./a.json"), "a.json");
        assert_eq!(file_uri("/tmp/a.json"), "file:///tmp/a.json");
        assert_eq!(file_uri("dir\\a.json"), "dir/a.json");
    }
}
