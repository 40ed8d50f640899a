//! What a rule sees: the policy, its kind, its text, and a sink for findings.

use keyward_policy::model::{Policy, Statement};
use keyward_policy::{Diagnostic, Severity, Span};

use crate::registry::{Level, RuleMeta};
use crate::PolicyKind;

/// The input of one rule run over one policy.
#[derive(Debug)]
pub struct Context<'a> {
    policy: &'a Policy,
    kind: PolicyKind,
    text: &'a str,
    size: usize,
    accounts: &'a [String],
    meta: &'static RuleMeta,
    out: &'a mut Vec<Diagnostic>,
}

/// Facts about the document a policy came from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DocumentFacts<'a> {
    pub(crate) text: &'a str,
    pub(crate) size: usize,
    pub(crate) kind: PolicyKind,
    pub(crate) accounts: &'a [String],
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        policy: &'a Policy,
        facts: DocumentFacts<'a>,
        meta: &'static RuleMeta,
        out: &'a mut Vec<Diagnostic>,
    ) -> Context<'a> {
        Context {
            policy,
            kind: facts.kind,
            text: facts.text,
            size: facts.size,
            accounts: facts.accounts,
            meta,
            out,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &'a Policy {
        self.policy
    }

    /// The statements.
    pub fn statements(&self) -> &'a [Statement] {
        &self.policy.statements
    }

    /// Key policy or identity policy.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The text the spans point into.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The text under `span` (empty if out of range).
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The size of the policy as AWS receives it, in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The accounts known to own the key (from the config, `--account`, or
    /// the template's own account).
    pub fn home_accounts(&self) -> &'a [String] {
        self.accounts
    }

    /// A finding of the running rule at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>, span: Span) -> Diagnostic {
        let severity = match self.meta.default_level {
            Level::Error => Severity::Error,
            Level::Info | Level::Off => Severity::Info,
            Level::Warn => Severity::Warning,
        };
        Diagnostic::new(severity, self.meta.code, message, span)
    }

    /// Report a finding.
    pub fn emit(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    /// The JSON pointer of a statement, with `suffix` (e.g. `/Principal`).
    pub fn pointer(&self, statement: &Statement, suffix: &str) -> String {
        format!("{}{suffix}", statement.pointer(self.policy.statement_array))
    }
}
