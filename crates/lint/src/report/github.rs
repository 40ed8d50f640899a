//! GitHub Actions workflow commands: one annotation per finding.
//!
//! `::error file=policy.json,line=3,col=5,endLine=3,endColumn=12,title=KW201 wildcard-principal-without-condition::message`

use keyward_policy::Severity;

use super::{Location, Report, Reporter};
use crate::registry;

/// Renders findings as `::error …::` / `::warning …::` / `::notice …::` lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct GithubReporter;

impl Reporter for GithubReporter {
    fn render(&self, report: &Report, out: &mut String) {
        for (source, d) in report.findings() {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let at = Location::of(source, d.span());
            let title = match registry::for_diagnostic(d.code) {
                Some(rule) if !rule.is_family() => format!("{} {}", d.code, rule.meta().name),
                _ => d.code.to_string(),
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(source.name()),
                at.start.line,
                at.start.column,
                at.end.line,
                at.end.column,
                escape_property(&title),
                escape_data(&message),
            ));
        }
    }
}

/// Escaping for the message part of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for `key=value` properties: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_syntax_is_escaped() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
