//! The human format: miette's graphical snippets, then a summary line.

mod focus;

use miette::{GraphicalReportHandler, GraphicalTheme};

use super::{RenderOptions, Report, Reporter};

/// Renders each finding with the marked source text.
#[derive(Debug, Clone, Copy)]
pub struct HumanReporter {
    options: RenderOptions,
}

impl HumanReporter {
    /// A reporter with these options.
    pub fn new(options: RenderOptions) -> HumanReporter {
        HumanReporter { options }
    }

    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.options.width)
            .with_links(false)
            .with_urls(false)
    }
}

impl Reporter for HumanReporter {
    fn render(&self, report: &Report, out: &mut String) {
        let handler = self.handler();
        // A focused snippet's header names the place in the file itself.
        let focused_handler = self.handler().without_primary_span_start();
        for file in &report.files {
            for diagnostic in &file.diagnostics {
                let focused = focus::focus(&file.source, diagnostic, self.options.width);
                let rendered = match &focused {
                    Some(f) => {
                        focused_handler.render_report(out, &f.diagnostic.with_source(&f.source))
                    }
                    None => handler.render_report(out, &diagnostic.with_source(&file.source)),
                };
                if rendered.is_err() {
                    // Rendering into a String cannot fail; keep the message if it does.
                    out.push_str(&diagnostic.message);
                }
                out.push('\n');
            }
        }
        out.push_str(&report.summary().describe());
        out.push('\n');
    }
}
