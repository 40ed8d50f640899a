//! Reporters: one file per output format, all behind [`Reporter`], all fed
//! the same [`Report`].

mod github;
#[cfg(feature = "human")]
mod human;
mod json;
mod junit;
mod location;
mod markdown;
mod sarif;

use keyward_policy::{Diagnostic, Severity, Source};

pub use github::GithubReporter;
#[cfg(feature = "human")]
pub use human::HumanReporter;
pub use json::JsonReporter;
pub use junit::JunitReporter;
pub use location::Location;
pub use markdown::MarkdownReporter;
pub use sarif::SarifReporter;

/// The findings of one input file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The file, as its findings' spans refer to it.
    pub source: Source,
    /// The findings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// The findings of a whole run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// One entry per file linted, including clean ones.
    pub files: Vec<FileReport>,
    /// Findings left out because a suppression with a reason covers them
    /// (see [`crate::suppress`]).
    pub suppressed: Vec<SuppressedFinding>,
    /// How many findings were left out because the baseline holds them
    /// (see [`crate::baseline`]).
    pub baselined: usize,
}

/// A finding a suppression covers, with the suppression's reason.
#[derive(Clone, Debug)]
pub struct SuppressedFinding {
    /// The file the finding's span refers to.
    pub source: Source,
    /// The finding, at its configured severity.
    pub diagnostic: Diagnostic,
    /// Why it is accepted, as the suppression says.
    pub reason: String,
}

/// How many findings of each severity a report holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Findings at info level.
    pub infos: usize,
    /// Findings a suppression covers (not counted above).
    pub suppressed: usize,
    /// Findings the baseline holds (not counted above).
    pub baselined: usize,
}

impl Report {
    /// Count the findings.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            files: self.files.len(),
            suppressed: self.suppressed.len(),
            baselined: self.baselined,
            ..Summary::default()
        };
        for d in self.files.iter().flat_map(|f| &f.diagnostics) {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }

    /// Every finding with its file.
    pub fn findings(&self) -> impl Iterator<Item = (&Source, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (&f.source, d)))
    }
}

impl Summary {
    /// `2 errors, 1 warning and 3 infos in 4 files`, or `no problems in 4
    /// files`, then what was left out: ` (1 suppressed, 2 in the baseline)`.
    pub fn describe(&self) -> String {
        let mut text = self.describe_findings();
        let left_out: Vec<String> = [
            (self.suppressed, "suppressed"),
            (self.baselined, "in the baseline"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if !left_out.is_empty() {
            text.push_str(&format!(" ({})", left_out.join(", ")));
        }
        text
    }

    fn describe_findings(&self) -> String {
        let files = plural(self.files, "file", "files");
        let parts: Vec<String> = [
            (self.errors, "error", "errors"),
            (self.warnings, "warning", "warnings"),
            (self.infos, "info", "infos"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect();
        match parts.as_slice() {
            [] => format!("no problems in {files}"),
            [one] => format!("{one} in {files}"),
            [init @ .., last] => format!("{} and {last} in {files}", init.join(", ")),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Snippets with the marked source, for people.
    Human,
    /// keyward's own JSON, for scripts.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, for CI systems' test reports.
    Junit,
    /// A Markdown summary, for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Markdown,
    ];

    /// `human`, `json`, `sarif`, `github`, `junit` or `markdown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
        }
    }
}

/// Options shared by the reporters.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Use colour (human format only).
    pub color: bool,
    /// Wrap width (human format only).
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 100,
        }
    }
}

/// Turns a report into text in one format.
pub trait Reporter {
    /// Append the rendering of `report` to `out`.
    fn render(&self, report: &Report, out: &mut String);
}

/// The reporter for `format`. Without the `human` feature, the human format
/// falls back to the GitHub-style one-line-per-finding text.
pub fn reporter(format: Format, options: RenderOptions) -> Box<dyn Reporter> {
    match format {
        #[cfg(feature = "human")]
        Format::Human => Box::new(HumanReporter::new(options)),
        #[cfg(not(feature = "human"))]
        Format::Human => {
            let _ = options;
            Box::new(GithubReporter)
        }
        Format::Json => Box::new(JsonReporter),
        Format::Sarif => Box::new(SarifReporter),
        Format::Github => Box::new(GithubReporter),
        Format::Junit => Box::new(JunitReporter),
        Format::Markdown => Box::new(MarkdownReporter),
    }
}

/// The tool's name and version, as reporters print them.
pub const TOOL_NAME: &str = "keyward";
/// The version reporters print.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
