//! JUnit XML, the test-report format CI systems read (GitLab, Jenkins,
//! Azure Pipelines, CircleCI, the JUnit-report actions of GitHub).
//!
//! One `<testsuite>` per file linted, one `<testcase>` per finding:
//! * a finding at error level is a `<failure>` (it fails the run, exit 1);
//! * an input that could not be read (`input::…` at error level) is an `<error>`;
//! * a warning or an info is a passing test case whose `<system-out>` says
//!   what was found (it does not fail the run either);
//! * a suppressed finding is `<skipped>`, with the suppression's reason;
//! * a file without findings has one passing test case, `no findings`.

use keyward_policy::{Diagnostic, Severity, Source};

use super::{Location, Report, Reporter, SuppressedFinding, TOOL_NAME};
use crate::registry;

/// Renders the report as a JUnit XML document.
#[derive(Debug, Clone, Copy, Default)]
pub struct JunitReporter;

/// The counts a `<testsuite>` or `<testsuites>` element carries.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    fn attributes(&self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}" time="0""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

impl Reporter for JunitReporter {
    fn render(&self, report: &Report, out: &mut String) {
        let mut total = Counts::default();
        let mut suites = String::new();
        for file in &report.files {
            let name = file.source.name();
            let suppressed: Vec<&SuppressedFinding> = report
                .suppressed
                .iter()
                .filter(|s| s.source.name() == name)
                .collect();
            let (counts, text) = suite(&file.source, &file.diagnostics, &suppressed);
            total.add(counts);
            suites.push_str(&text);
        }
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&format!(
            "<testsuites name=\"{TOOL_NAME} lint\" {}>\n",
            total.attributes()
        ));
        out.push_str(&suites);
        out.push_str("</testsuites>\n");
    }
}

/// One file's `<testsuite>` and its counts.
fn suite(
    source: &Source,
    diagnostics: &[Diagnostic],
    suppressed: &[&SuppressedFinding],
) -> (Counts, String) {
    let file = escape(source.name());
    let mut counts = Counts::default();
    let mut cases = String::new();
    for d in diagnostics {
        counts.tests += 1;
        let at = Location::of(source, d.span());
        cases.push_str(&open_case(source, d, at));
        let kind = match d.severity {
            Severity::Error if d.code.starts_with("input::") => Some("error"),
            Severity::Error => Some("failure"),
            Severity::Warning | Severity::Info => None,
        };
        let body = escape(&describe(source, d, at));
        match kind {
            Some(element) => {
                if element == "error" {
                    counts.errors += 1;
                } else {
                    counts.failures += 1;
                }
                cases.push_str(&format!(
                    "      <{element} message=\"{}\" type=\"{}\">{body}</{element}>\n",
                    escape(&d.message),
                    escape(d.code),
                ));
            }
            None => cases.push_str(&format!("      <system-out>{body}</system-out>\n")),
        }
        cases.push_str("    </testcase>\n");
    }
    for s in suppressed {
        counts.tests += 1;
        counts.skipped += 1;
        let at = Location::of(source, s.diagnostic.span());
        cases.push_str(&open_case(source, &s.diagnostic, at));
        cases.push_str(&format!(
            "      <skipped message=\"{}\"/>\n    </testcase>\n",
            escape(&format!("suppressed: {}", s.reason)),
        ));
    }
    if counts.tests == 0 {
        counts.tests = 1;
        cases.push_str(&format!(
            "    <testcase name=\"no findings\" classname=\"{file}\" file=\"{file}\" time=\"0\"/>\n"
        ));
    }
    let text = format!(
        "  <testsuite name=\"{file}\" {}>\n{cases}  </testsuite>\n",
        counts.attributes()
    );
    (counts, text)
}

/// `<testcase …>`: named after the rule and the place, which stays the same
/// when lines move (the JSON pointer, else the line and column).
fn open_case(source: &Source, d: &Diagnostic, at: Location) -> String {
    let file = escape(source.name());
    let rule = match registry::for_diagnostic(d.code) {
        Some(rule) if !rule.is_family() => format!("{} {}", d.code, rule.meta().name),
        _ => d.code.to_string(),
    };
    let place = match &d.pointer {
        Some(pointer) if !pointer.is_empty() => pointer.clone(),
        _ => format!("{}:{}", at.start.line, at.start.column),
    };
    format!(
        "    <testcase name=\"{}\" classname=\"{file}\" file=\"{file}\" line=\"{}\" time=\"0\">\n",
        escape(&format!("{rule} at {place}")),
        at.start.line,
    )
}

/// `file:line:column: severity: message`, the help and the rule's page.
fn describe(source: &Source, d: &Diagnostic, at: Location) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let mut text = format!(
        "{}:{}:{}: {severity}: {} [{}]",
        source.name(),
        at.start.line,
        at.start.column,
        d.message,
        d.code
    );
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if let Some(rule) = registry::for_diagnostic(d.code) {
        text.push_str("\nrule: ");
        text.push_str(&rule.help_uri());
    }
    text
}

/// Text for XML content and attribute values: markup characters escaped,
/// line breaks kept as character references (attribute values would
/// otherwise fold them into spaces), and the control characters XML 1.0
/// cannot carry replaced by U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_line_breaks_and_control_characters_are_escaped() {
        assert_eq!(
            escape("a<b & \"c\"\nd\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;d\u{FFFD}"
        );
    }

    #[test]
    fn an_empty_report_is_an_empty_testsuites_element() {
        let mut out = String::new();
        JunitReporter.render(&Report::default(), &mut out);
        assert!(out.contains(r#"<testsuites name="keyward lint" tests="0" failures="0" errors="0" skipped="0" time="0">"#));
    }
}
