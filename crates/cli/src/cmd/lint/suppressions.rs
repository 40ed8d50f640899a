//! What the suppressions did in one run: the findings they covered (for the
//! reports), and the configuration's suppressions that matched or were
//! unused, reported in `.keyward.json` itself.

use std::collections::HashSet;

use keyward_lint::report::{FileReport, Report, SuppressedFinding};
use keyward_lint::suppress::config_findings;
use keyward_lint::{FileLint, LintOptions};
use keyward_policy::{Source, Span};

use super::config::Loaded;

/// The suppressions' effects, gathered file by file.
#[derive(Debug, Default)]
pub struct Tally {
    suppressed: Vec<SuppressedFinding>,
    /// Configuration suppressions (by their place) that matched a finding.
    used: HashSet<Span>,
    /// Configuration suppressions that applied to a file linted.
    applied: HashSet<Span>,
}

impl Tally {
    /// Take the suppressed findings out of `linted` (of `source`, linted
    /// with `options`).
    pub fn record(&mut self, source: &Source, options: &LintOptions, linted: &mut FileLint) {
        self.applied
            .extend(options.suppressions.iter().map(|s| s.at));
        self.used.extend(linted.used_suppressions.drain());
        for s in linted.suppressed.drain(..) {
            // A Terraform file read by several modules is linted several times.
            let seen = self.suppressed.iter().any(|x| {
                x.source.name() == source.name()
                    && x.diagnostic.code == s.diagnostic.code
                    && x.diagnostic.span() == s.diagnostic.span()
                    && x.diagnostic.message == s.diagnostic.message
            });
            if !seen {
                self.suppressed.push(SuppressedFinding {
                    source: source.clone(),
                    diagnostic: s.diagnostic,
                    reason: s.reason,
                });
            }
        }
    }

    /// Add what another part of the run gathered.
    pub fn merge(&mut self, other: Tally) {
        let Tally {
            suppressed,
            used,
            applied,
        } = other;
        self.suppressed.extend(suppressed);
        self.used.extend(used);
        self.applied.extend(applied);
    }

    /// Put the suppressed findings in `report`, and the findings about the
    /// configuration's suppressions (without a reason, unused) in a report
    /// of the configuration file.
    pub fn finish(self, report: &mut Report, config: &Loaded) {
        report.suppressed.extend(self.suppressed);
        let Some(source) = config.source() else {
            return;
        };
        let all: Vec<_> = config.suppressions().cloned().collect();
        let diagnostics = config_findings(&all, &self.applied, &self.used);
        if !diagnostics.is_empty() {
            report.files.push(FileReport {
                source: source.clone(),
                diagnostics,
            });
        }
    }
}
