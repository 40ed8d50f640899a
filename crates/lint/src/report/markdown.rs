//! A Markdown summary for people reading a pull request: a heading with
//! the counts, a table of the findings (the most severe first, at most
//! [`MAX_ROWS`] rows, so a comment stays under GitHub's size limits) and the
//! suppressed findings with their reasons, folded.
//!
//! Write it to `$GITHUB_STEP_SUMMARY` or post it as a comment.

use keyward_policy::{Diagnostic, Severity, Source};

use super::{Location, Report, Reporter};
use crate::registry;

/// The most findings listed; the rest are counted.
pub const MAX_ROWS: usize = 100;

/// Renders the report as GitHub-flavoured Markdown.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownReporter;

impl Reporter for MarkdownReporter {
    fn render(&self, report: &Report, out: &mut String) {
        let summary = report.summary();
        out.push_str(&format!("### keyward lint: {}\n\n", summary.describe()));
        let mut findings: Vec<(&Source, &Diagnostic)> = report.findings().collect();
        // The most severe first; files and places keep their order within a severity.
        findings.sort_by_key(|(_, d)| std::cmp::Reverse(rank(d.severity)));
        if findings.is_empty() {
            out.push_str(":white_check_mark: No findings.\n");
        } else {
            out.push_str("| Severity | Where | Rule | Finding |\n|---|---|---|---|\n");
            for (source, d) in findings.iter().take(MAX_ROWS) {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    severity(d.severity),
                    place(source, d),
                    rule(d),
                    cell(&d.message),
                ));
            }
            if findings.len() > MAX_ROWS {
                out.push_str(&format!(
                    "\n… and {} more: see the full report (`--format sarif` or `--format json`).\n",
                    findings.len() - MAX_ROWS
                ));
            }
        }
        if !report.suppressed.is_empty() {
            let n = report.suppressed.len();
            out.push_str(&format!(
                "\n<details><summary>{n} suppressed finding{}</summary>\n\n| Where | Rule | Finding | Reason |\n|---|---|---|---|\n",
                if n == 1 { "" } else { "s" }
            ));
            for s in report.suppressed.iter().take(MAX_ROWS) {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    place(&s.source, &s.diagnostic),
                    rule(&s.diagnostic),
                    cell(&s.diagnostic.message),
                    cell(&s.reason),
                ));
            }
            if n > MAX_ROWS {
                out.push_str(&format!("\n… and {} more.\n", n - MAX_ROWS));
            }
            out.push_str("\n</details>\n");
        }
    }
}

fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 2,
        Severity::Warning => 1,
        Severity::Info => 0,
    }
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => ":x: error",
        Severity::Warning => ":warning: warning",
        Severity::Info => ":information_source: info",
    }
}

/// `` `file:line:column` ``.
fn place(source: &Source, d: &Diagnostic) -> String {
    let at = Location::of(source, d.span());
    let text = format!("{}:{}:{}", source.name(), at.start.line, at.start.column);
    format!("`{}`", text.replace('`', "'").replace('|', "\\|"))
}

/// The code, linked to the rule's page, and the rule's name.
fn rule(d: &Diagnostic) -> String {
    match registry::for_diagnostic(d.code) {
        Some(rule) if rule.is_family() => format!("[{}]({})", d.code, rule.help_uri()),
        Some(rule) => format!("[{}]({}) {}", d.code, rule.help_uri(), rule.meta().name),
        None => format!("`{}`", d.code),
    }
}

/// Text made safe for one table cell: no line breaks, no column
/// separators, no HTML.
fn cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_holds_one_line_and_no_markup() {
        assert_eq!(cell("a|b\n<c>"), "a\\|b<br>&lt;c&gt;");
    }

    #[test]
    fn an_empty_report_says_so() {
        let mut out = String::new();
        MarkdownReporter.render(&Report::default(), &mut out);
        assert_eq!(
            out,
            "### keyward lint: no problems in 0 files\n\n:white_check_mark: No findings.\n"
        );
    }
}
