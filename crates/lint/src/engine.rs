//! Lint one input file: extract its policies, lower them, run the rules,
//! map findings back into the file, apply the configured levels.

mod partial;

use std::collections::HashSet;

use keyward_policy::json::{self, ParseOptions};
use keyward_policy::model::{self, Policy};
use keyward_policy::{Diagnostic, Source, Span};

use crate::config::Levels;
use crate::extract::{self, Document, DocumentText, InputFormat, KeyResource};
use crate::registry::{self, Level, Scope};
use crate::rules::context::DocumentFacts;
use crate::rules::{Check, Context, KeyContext};
use crate::suppress::{self, SidSuppression, Suppressed};
use crate::PolicyKind;

/// How to lint.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// What the input is (default: detect).
    pub format: InputFormat,
    /// Force the policy kind (default: from the context, else a policy with
    /// `Principal` is a key policy).
    pub kind: Option<PolicyKind>,
    /// Rule levels.
    pub levels: Levels,
    /// The accounts that own the keys.
    pub accounts: Vec<String>,
    /// The configuration's suppressions by statement `Sid`.
    pub suppressions: Vec<SidSuppression>,
}

/// The outcome of linting one file.
#[derive(Clone, Debug, Default)]
pub struct FileLint {
    /// The findings, in source order, at their configured severity.
    pub diagnostics: Vec<Diagnostic>,
    /// How many policies were found.
    pub documents: usize,
    /// False when the file looked like no known input (see [`extract::Extraction`]).
    pub recognized: bool,
    /// The findings that suppressions cover, with their reasons.
    pub suppressed: Vec<Suppressed>,
    /// The configuration's suppressions ([`LintOptions::suppressions`],
    /// by their place in the configuration) that matched a finding here.
    pub used_suppressions: HashSet<Span>,
}

/// Lint `source` and return its findings.
pub fn lint_source(source: &Source, options: &LintOptions) -> Vec<Diagnostic> {
    lint_file(source, options).diagnostics
}

/// Lint `source`, with details for the caller.
pub fn lint_file(source: &Source, options: &LintOptions) -> FileLint {
    lint_extraction(source, extract::extract(source, options.format), options)
}

/// Lint what was already extracted from `source` (e.g. the files of a
/// Terraform module, see [`extract::hcl`]).
pub fn lint_extraction(
    source: &Source,
    extraction: extract::Extraction,
    options: &LintOptions,
) -> FileLint {
    let documents = extraction.documents.len();
    let mut outcome = FileLint {
        documents,
        recognized: extraction.recognized,
        ..FileLint::default()
    };
    let mut diagnostics: Vec<Diagnostic> = extraction
        .diagnostics
        .into_iter()
        .filter_map(|d| apply_level(d, &options.levels))
        .collect();
    for document in extraction.documents {
        lint_document(source, document, options, &mut diagnostics, &mut outcome);
    }
    let mut key_findings = Vec::new();
    for key in &extraction.keys {
        run_key_rules(key, &options.levels, &mut key_findings);
    }
    diagnostics.extend(
        key_findings
            .into_iter()
            .filter_map(|d| apply_level(d, &options.levels)),
    );
    // Levels come first (a rule turned off leaves nothing to suppress); then
    // the file's own suppressions, whose findings get their levels too.
    let found = suppress::apply_in_source(
        &extraction.suppressions,
        diagnostics,
        &mut outcome.suppressed,
    );
    let mut diagnostics: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|d| {
            if d.code.starts_with("suppression::") {
                apply_level(d, &options.levels)
            } else {
                Some(d)
            }
        })
        .collect();
    diagnostics.sort_by(|a, b| (a.span().start, a.code).cmp(&(b.span().start, b.code)));
    outcome.diagnostics = diagnostics;
    outcome
}

/// The kind of a policy with no context: statements with a principal make a
/// key (resource) policy.
pub fn detect_kind(policy: &Policy) -> PolicyKind {
    if policy.statements.iter().any(|s| s.principal.is_some()) {
        PolicyKind::Key
    } else {
        PolicyKind::Identity
    }
}

/// Lint one document; its findings go to `out` at their configured level,
/// or to `outcome.suppressed` when the configuration suppresses them by Sid.
fn lint_document(
    source: &Source,
    document: Document,
    options: &LintOptions,
    out: &mut Vec<Diagnostic>,
    outcome: &mut FileLint,
) {
    let Document {
        value,
        text: document_text,
        kind: document_kind,
        pointer,
        opaque,
        size,
        origin,
        ..
    } = document;
    let text = match &document_text {
        DocumentText::File => source.text(),
        DocumentText::Decoded(text, _) => text.as_str(),
    };
    // Lowering consumes the tree. Should a statement not lower, the others
    // are lowered again from a fresh tree: a policy file's tree is the file
    // parsed, so it is read again (the common case costs nothing); any other
    // tree (a template's, a plan's, a `.tf` file's) is copied beforehand.
    let policy_file = pointer.is_empty() && matches!(document_text, DocumentText::File);
    let root = value.span;
    let copy = (!policy_file).then(|| value.clone());
    let (policy, mut found) = model::lower(value);
    let fresh = || {
        copy.or_else(|| {
            json::parse(text, &ParseOptions::default())
                .value
                .filter(|v| v.span == root)
        })
    };
    let (policy, written_kind) = match policy {
        Some(policy) => (Some(policy), None),
        None => match fresh() {
            // The kind as written: the statement left out may be the one
            // with the `Principal`.
            Some(value) => {
                let kind = partial::written_kind(&value);
                (partial::readable_statements(value), Some(kind))
            }
            None => (None, None),
        },
    };
    if let Some(policy) = policy.as_ref() {
        let kind = options
            .kind
            .or(document_kind)
            .or(written_kind)
            .unwrap_or_else(|| detect_kind(policy));
        let facts = DocumentFacts {
            text,
            size,
            kind,
            accounts: &options.accounts,
            origin,
            partial: written_kind.is_some(),
        };
        run_rules(policy, facts, &options.levels, &mut found);
    }
    for mut d in found {
        let sid = match (&policy, options.suppressions.is_empty()) {
            (Some(policy), false) => suppress::statement_sid(policy, &d).map(str::to_string),
            _ => None,
        };
        if let DocumentText::Decoded(_, map) = &document_text {
            map.map_labels(&mut d.labels);
        }
        // A finding about (or relating to) a value nobody knows yet is dropped.
        if d.labels.iter().any(|l| inside_any(l.span, &opaque))
            || (!opaque.is_empty() && extract::mentions_placeholder(&d.message))
        {
            continue;
        }
        if !pointer.is_empty() {
            d.pointer = Some(format!("{pointer}{}", d.pointer.as_deref().unwrap_or("")));
        }
        let Some(d) = apply_level(d, &options.levels) else {
            continue;
        };
        let reason = sid.as_deref().and_then(|sid| {
            suppress::sid_reason(
                &options.suppressions,
                sid,
                &d,
                &mut outcome.used_suppressions,
            )
        });
        match reason {
            Some(reason) => outcome.suppressed.push(Suppressed {
                diagnostic: d,
                reason,
            }),
            None => out.push(d),
        }
    }
}

fn run_rules(
    policy: &Policy,
    facts: DocumentFacts<'_>,
    levels: &Levels,
    out: &mut Vec<Diagnostic>,
) {
    for rule in registry::rules() {
        let check = match rule.check {
            Check::Policy(check) => check,
            // A statement left out could change a whole-policy answer.
            Check::WholePolicy(check) if !facts.partial => check,
            Check::WholePolicy(_) | Check::Family | Check::Key(_) => continue,
        };
        let applies = match rule.meta().scope {
            Scope::Any => true,
            Scope::KeyPolicy => facts.kind == PolicyKind::Key,
            Scope::IdentityPolicy => facts.kind == PolicyKind::Identity,
            Scope::KeyResource => false,
        };
        if !applies || levels.level(rule) == Level::Off {
            continue;
        }
        let mut cx = Context::new(policy, facts, rule.meta(), out);
        check(&mut cx);
    }
}

fn run_key_rules(key: &KeyResource, levels: &Levels, out: &mut Vec<Diagnostic>) {
    for rule in registry::rules() {
        let Check::Key(check) = rule.check else {
            continue;
        };
        if levels.level(rule) == Level::Off {
            continue;
        }
        let mut cx = KeyContext::new(key, rule.meta(), out);
        check(&mut cx);
    }
}

fn inside_any(span: Span, regions: &[Span]) -> bool {
    regions
        .iter()
        .any(|r| r.start <= span.start && span.end <= r.end)
}

/// Give a finding its configured severity; `None` when its rule is off.
fn apply_level(mut d: Diagnostic, levels: &Levels) -> Option<Diagnostic> {
    let Some(rule) = registry::for_diagnostic(d.code) else {
        return Some(d);
    };
    let level = match levels.configured(rule) {
        Some(level) => level,
        // Parser families keep each diagnostic's own severity.
        None if rule.is_family() => Level::from_severity(d.severity),
        None => rule.meta().default_level,
    };
    d.severity = level.severity()?;
    Some(d)
}
