//! One document analysed: what it is, its diagnostics, and (for scenario
//! files) the decision of each expectation. Pure apart from reading the
//! files a scenario names and the `.keyward.json` that applies.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use keyward_lint::config::parse_config;
use keyward_lint::{lint_file, LintOptions};
use keyward_policy::Source;
use lsp_types::Uri;

use crate::classify::classify;
pub use crate::classify::Kind;
use crate::convert::{self, Ranges};
use crate::files::{config_for, uri_to_path, OverlayLoader};
use crate::positions::Encoding;
pub use crate::scenario::Lens;

/// A document to analyse, as the editor has it now.
#[derive(Clone, Debug)]
pub struct Input {
    /// Its URI.
    pub uri: Uri,
    /// The editor's version of the text.
    pub version: i32,
    /// The text.
    pub text: Arc<str>,
    /// What it was at the last analysis, if any.
    pub previous: Option<Kind>,
    /// The unit of columns the client and server agreed on.
    pub encoding: Encoding,
    /// The other open documents by path: a scenario reads the editor's copy
    /// of a policy file before the disk's.
    pub open: HashMap<PathBuf, Arc<str>>,
}

/// What the analysis found.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The document.
    pub uri: Uri,
    /// The version analysed.
    pub version: i32,
    /// What the document is.
    pub kind: Kind,
    /// Diagnostics, ready to publish.
    pub diagnostics: Vec<lsp_types::Diagnostic>,
    /// Scenario files: each expectation's decision.
    pub lenses: Vec<Lens>,
}

/// Analyse one document.
pub fn analyse(input: &Input) -> Analysis {
    let path = uri_to_path(input.uri.as_str());
    let name = path.as_ref().map_or_else(
        || input.uri.as_str().to_string(),
        |p| p.to_string_lossy().into_owned(),
    );
    let kind = classify(&name, &input.text, input.previous);
    let source = Source::new(name, input.text.clone());
    let ranges = Ranges::new(&source, input.encoding);
    let to_lsp = |ds: &[keyward_policy::Diagnostic]| -> Vec<lsp_types::Diagnostic> {
        ds.iter()
            .map(|d| convert::diagnostic(d, &input.uri, &input.text, &ranges))
            .collect()
    };
    let (diagnostics, lenses) = match kind {
        Kind::Unrelated => (Vec::new(), Vec::new()),
        Kind::Config => match parse_config(&input.text) {
            Ok(_) => (Vec::new(), Vec::new()),
            Err(found) => (to_lsp(&found), Vec::new()),
        },
        Kind::Lintable => {
            let linted = lint_file(&source, &lint_options(path.as_deref()));
            (to_lsp(&linted.diagnostics), Vec::new())
        }
        Kind::Terraform => {
            let options = lint_options(path.as_deref());
            let found = crate::terraform::lint(&source, path.as_deref(), &input.open, &options);
            (to_lsp(&found), Vec::new())
        }
        Kind::Scenario => {
            let loader = OverlayLoader {
                open: input.open.clone(),
            };
            crate::scenario::analyse(&source, &input.uri, &loader, &ranges)
        }
    };
    Analysis {
        uri: input.uri.clone(),
        version: input.version,
        kind,
        diagnostics,
        lenses,
    }
}

/// The linter's options for a file: its `.keyward.json` settings.
fn lint_options(path: Option<&std::path::Path>) -> LintOptions {
    let settings = path.and_then(config_for).unwrap_or_default();
    LintOptions {
        kind: settings.kind,
        levels: settings.levels,
        accounts: settings.accounts,
        ..LintOptions::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(uri: &str, text: &str) -> Input {
        Input {
            uri: uri.parse().unwrap(),
            version: 1,
            text: Arc::from(text),
            previous: None,
            encoding: Encoding::Utf16,
            open: HashMap::new(),
        }
    }

    #[test]
    fn policies_are_linted_and_other_json_is_left_alone() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrpyt", "Resource": "*"}]}"#;
        let analysis = analyse(&input("file:///nowhere/key.json", policy));
        assert_eq!(analysis.kind, Kind::Lintable);
        let codes: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter_map(|d| match &d.code {
                Some(lsp_types::NumberOrString::String(c)) => Some(c.as_str()),
                _ => None,
            })
            .collect();
        assert!(codes.contains(&"KW302"), "{codes:?}");
        let other = analyse(&input("file:///nowhere/package.json", r#"{"name": "x",}"#));
        assert_eq!(other.kind, Kind::Unrelated);
        assert!(other.diagnostics.is_empty());
    }

    #[test]
    fn a_broken_policy_reports_its_syntax_errors() {
        let analysis = analyse(&input(
            "untitled:Untitled-1",
            r#"{"Statement": [{"Effect": "Allow",}]}"#,
        ));
        assert_eq!(analysis.kind, Kind::Lintable);
        assert!(
            analysis
                .diagnostics
                .iter()
                .any(|d| d.message.contains("trailing comma")),
            "{:?}",
            analysis.diagnostics
        );
    }

    #[test]
    fn a_broken_config_reports_its_mistakes() {
        let analysis = analyse(&input(
            "file:///nowhere/.keyward.json",
            r#"{"rules": {"KW999": "off"}}"#,
        ));
        assert_eq!(analysis.kind, Kind::Config);
        assert_eq!(analysis.diagnostics.len(), 1, "{:?}", analysis.diagnostics);
    }
}
