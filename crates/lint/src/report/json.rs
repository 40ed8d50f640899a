//! keyward's JSON format: a summary and a flat list of findings. Each
//! finding is keyward's one diagnostic shape
//! ([`keyward_policy::DiagnosticJson`]) plus the rule's name and category;
//! each suppressed finding also carries its suppression's `reason`.

use keyward_policy::{Diagnostic, Locator, Source};
use serde_json::{json, Value};

use super::{Report, Reporter, TOOL_NAME, TOOL_VERSION};
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
        let mut locator = Locator::new();
        let findings: Vec<Value> = report
            .findings()
            .map(|(s, d)| finding(&mut locator, s, d))
            .collect();
        // Each suppressed finding, with the reason it is accepted.
        let suppressed: Vec<Value> = report
            .suppressed
            .iter()
            .map(|s| {
                let mut value = finding(&mut locator, &s.source, &s.diagnostic);
                if let Value::Object(object) = &mut value {
                    object.insert("reason".into(), s.reason.clone().into());
                }
                value
            })
            .collect();
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
                "suppressed": summary.suppressed,
                "baselined": summary.baselined,
            },
            "files": report.files.iter().map(|f| f.source.name()).collect::<Vec<_>>(),
            "findings": findings,
            "suppressed": suppressed,
        });
        out.push_str(&serde_json::to_string_pretty(&value).unwrap_or_default());
        out.push('\n');
    }
}

fn finding(locator: &mut Locator, source: &Source, d: &Diagnostic) -> Value {
    let mut value = serde_json::to_value(locator.diagnostic(source, d)).unwrap_or(Value::Null);
    if let (Value::Object(object), Some(rule)) = (&mut value, registry::for_diagnostic(d.code)) {
        object.insert("rule".into(), rule.meta().name.into());
        object.insert("category".into(), rule.meta().category.as_str().into());
    }
    value
}
