//! Reading the policies a check compares: raw policy files, CloudFormation
//! templates and Terraform plans (through the linter's extractors, each
//! policy with its resource address), from disk or from a git revision.

use std::process::Command;

use keyward_analysis::explain::StatementLoc;
use keyward_eval::PolicyDoc;
use keyward_lint::extract::{extract, DocumentText, InputFormat, SpanMap};
use keyward_lint::{detect_kind, PolicyKind};
use keyward_policy::model::lower;
use keyward_policy::{parse_policy, Diagnostic, Source};

use crate::input;

/// One policy found in a file.
pub struct LoadedDoc {
    /// Its resource address (`MyKey`, `aws_kms_key.main`), `None` for a raw policy.
    pub label: Option<String>,
    /// The policy, named after its file (and address).
    pub doc: PolicyDoc,
    /// The kind its resource type implies, else detected.
    pub kind: PolicyKind,
    /// For a policy stored as a string in the file: decoded offsets → file offsets.
    pub map: Option<SpanMap>,
}

/// Every policy of one file.
pub struct Loaded {
    /// The file.
    pub file: Source,
    /// Its policies.
    pub docs: Vec<LoadedDoc>,
}

/// A file that could not be read as policies: its diagnostics.
pub struct Invalid {
    /// The file the diagnostics point into.
    pub source: Source,
    /// What is wrong.
    pub diagnostics: Vec<Diagnostic>,
}

/// Read a file from disk (`-` is standard input).
pub fn read_path(path: &str) -> Result<Source, String> {
    input::read_text(std::path::Path::new(path))
}

/// Read `path` as it is at git revision `reference`; `Ok(None)` when the
/// file does not exist there (a new file: everything in it is new).
pub fn read_git(reference: &str, path: &str) -> Result<Option<Source>, String> {
    let relative = if std::path::Path::new(path).is_absolute() {
        let top = Command::new("git")
            .args(["rev-parse", "--show-toplevel"])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let top = String::from_utf8_lossy(&top.stdout).trim().to_string();
        path.strip_prefix(&top)
            .map(|p| p.trim_start_matches('/').to_string())
            .ok_or_else(|| format!("`{path}` is not inside the git repository at `{top}`"))?
    } else {
        format!("./{path}")
    };
    let spec = format!("{reference}:{relative}");
    let out = Command::new("git")
        .args(["show", &spec])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("does not exist") || err.contains("exists on disk, but not in") {
            return Ok(None);
        }
        return Err(format!("`git show {spec}` failed: {}", err.trim()));
    }
    let text = String::from_utf8(out.stdout).map_err(|_| format!("`{spec}` is not UTF-8"))?;
    Ok(Some(Source::new(format!("{reference}:{path}"), text)))
}

/// A policy that allows nothing: the base of a file that did not exist.
/// A key policy names a principal in every statement, as KMS requires.
pub fn empty(name: &str, kind: PolicyKind) -> Result<LoadedDoc, String> {
    let text = match kind {
        PolicyKind::Key => {
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "*", "Resource": "*"}]}"#
        }
        PolicyKind::Identity => {
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "*", "Resource": "*"}]}"#
        }
    };
    let policy = parse_policy(text).map_err(|_| "the empty policy does not parse".to_string())?;
    Ok(LoadedDoc {
        label: None,
        doc: PolicyDoc::new(name, Source::new(name, text), policy),
        kind,
        map: None,
    })
}

/// Find and lower every policy of `file`.
pub fn load(
    file: Source,
    format: InputFormat,
    kind: Option<PolicyKind>,
) -> Result<Loaded, Invalid> {
    let extraction = extract(&file, format);
    let mut diagnostics: Vec<Diagnostic> = extraction
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    let mut docs = Vec::new();
    for document in extraction.documents {
        let (policy, found) = lower(document.value);
        let (text, map) = match document.text {
            DocumentText::File => (file.text().to_string(), None),
            DocumentText::Decoded(text, map) => (text, Some(map)),
        };
        let mut errors: Vec<Diagnostic> = found.into_iter().filter(Diagnostic::is_error).collect();
        if let Some(map) = &map {
            for d in &mut errors {
                map.map_labels(&mut d.labels);
            }
        }
        let Some(policy) = policy.filter(|_| errors.is_empty()) else {
            diagnostics.extend(errors);
            continue;
        };
        let name = match &document.label {
            Some(label) => format!("{}#{label}", file.name()),
            None => file.name().to_string(),
        };
        let kind = kind
            .or(document.kind)
            .unwrap_or_else(|| detect_kind(&policy));
        docs.push(LoadedDoc {
            label: document.label,
            doc: PolicyDoc::new(name.clone(), Source::new(name, text), policy),
            kind,
            map,
        });
    }
    if !diagnostics.is_empty() || (docs.is_empty() && !extraction.recognized) {
        if diagnostics.is_empty() {
            diagnostics.push(Diagnostic::error(
                "input::no-policy",
                "no policy found in this file",
                keyward_policy::Span::point(0),
            ));
        }
        return Err(Invalid {
            source: file,
            diagnostics,
        });
    }
    Ok(Loaded { file, docs })
}

impl Loaded {
    /// Where a statement of one of this file's policies is, in the file.
    pub fn locate(&self, doc: &LoadedDoc, at: &StatementLoc) -> StatementLoc {
        let span = doc.map.as_ref().map_or(at.span, |m| m.map(at.span));
        let start = self.file.start_of(span);
        StatementLoc {
            file: self.file.name().to_string(),
            span,
            line: start.line,
            column: start.column,
            ..at.clone()
        }
    }
}
