//! What a rule sees: the policy, its kind, its text, and a sink for findings.

use keyward_policy::matching::PrincipalArn;
use keyward_policy::model::{Policy, Statement};
use keyward_policy::{Diagnostic, Severity, Span};

use crate::extract::{Origin, STACK_ACCOUNT};
use crate::registry::{Level, RuleMeta};
use crate::PolicyKind;

/// An account named in a policy, as a rule must read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account<'a> {
    /// An account id as written.
    Id(&'a str),
    /// The account a CloudFormation template is deployed to
    /// (`AWS::AccountId`): the key's own account, whose id keyward cannot
    /// know. Never compare it with a real account id.
    Stack,
}

/// The input of one rule run over one policy.
#[derive(Debug)]
pub struct Context<'a> {
    policy: &'a Policy,
    kind: PolicyKind,
    text: &'a str,
    size: usize,
    accounts: &'a [String],
    origin: Origin,
    partial: bool,
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
    pub(crate) origin: Origin,
    /// True when some statements could not be read and were left out.
    pub(crate) partial: bool,
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
            origin: facts.origin,
            partial: facts.partial,
            meta,
            out,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &'a Policy {
        self.policy
    }

    /// True when the policy has statements that could not be read (they
    /// have their own `policy::…` findings): [`Context::statements`] holds
    /// only the others, each with its position in the document.
    pub fn is_partial(&self) -> bool {
        self.partial
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

    /// The accounts configured as owning the keys (`accounts` of
    /// `.keyward.json`, or `--account`); empty when none are.
    pub fn home_accounts(&self) -> &'a [String] {
        self.accounts
    }

    /// How the policy's values were written.
    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// What an account id written in the policy stands for.
    pub fn account<'t>(&self, written: &'t str) -> Account<'t> {
        if matches!(self.origin, Origin::Template(_)) && written == STACK_ACCOUNT {
            Account::Stack
        } else {
            Account::Id(written)
        }
    }

    /// The account a principal value belongs to (accounts, users, roles,
    /// sessions); `None` for other principals.
    pub fn principal_account<'t>(&self, value: &'t str) -> Option<Account<'t>> {
        PrincipalArn::parse(value)
            .account()
            .map(|account| self.account(account))
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
