//! Suppressions: findings accepted on purpose, each with a reason, written
//! where the code lives.
//!
//! * In a CloudFormation template, in the resource's `Metadata`:
//!   `Metadata: {keyward: {suppress: [{code: KW201, reason: "…"}]}}`
//!   covers the findings inside that resource ([`cloudformation`]).
//! * In a Terraform file, a comment `# keyward:suppress KW201 reason…`
//!   covers the findings inside the block it stands in or before
//!   ([`terraform`]).
//! * In `.keyward.json`, `suppress: [{sid, code, reason}]` covers the
//!   findings of the statements with that `Sid` ([`SidSuppression`], read by
//!   [`crate::config`]).
//!
//! A suppression without a reason suppresses nothing and is a finding of
//! its own (`suppression::missing-reason`); one that covers no finding is
//! reported too, at info level (`suppression::unused`).

pub(crate) mod cloudformation;
#[cfg(feature = "terraform-hcl")]
pub mod terraform;

use std::collections::HashSet;

use keyward_policy::model::Policy;
use keyward_policy::{Diagnostic, Severity, Span};

use crate::registry::{self, Rule};

/// The family of diagnostics about suppressions themselves.
pub const FAMILY: &str = "suppression";

/// A suppression written beside the code: it covers the findings of one
/// rule inside a region of the same file.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// The rule whose findings it covers.
    pub rule: &'static Rule,
    /// Why the findings are accepted; `None` when not given.
    pub reason: Option<String>,
    /// The region covered: findings whose primary span lies inside it.
    pub scope: Span,
    /// Where the suppression is written.
    pub at: Span,
    /// Its JSON pointer, when it has one.
    pub pointer: Option<String>,
    /// What the region is, for messages: ``resource `MyKey` ``.
    pub scope_name: String,
}

/// A suppression in `.keyward.json`: the findings of one rule in the
/// statements with this `Sid`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SidSuppression {
    /// The statements' `Sid`.
    pub sid: String,
    /// The code of the rule (or family) whose findings it covers.
    pub rule: &'static str,
    /// Why the findings are accepted; `None` when not given.
    pub reason: Option<String>,
    /// Where it is written in the configuration file (also its identity).
    pub at: Span,
}

/// A finding a suppression covers.
#[derive(Clone, Debug)]
pub struct Suppressed {
    /// The finding, at its configured severity.
    pub diagnostic: Diagnostic,
    /// The suppression's reason.
    pub reason: String,
}

/// The rule a suppression names: a rule code or name, or a family (`json`,
/// `policy`). Suppressions cannot suppress their own family.
pub fn named_rule(name: &str) -> Option<&'static Rule> {
    registry::find(name).filter(|rule| rule.code() != FAMILY)
}

/// True for findings no suppression may cover: problems of suppressions
/// and unreadable inputs.
fn unsuppressible(d: &Diagnostic) -> bool {
    d.code.starts_with("suppression::") || d.code.starts_with("input::")
}

/// Take out of `diagnostics` the findings that `suppressions` (written in
/// the same file) cover with a reason, and add the findings about the
/// suppressions themselves.
pub(crate) fn apply_in_source(
    suppressions: &[Suppression],
    diagnostics: Vec<Diagnostic>,
    suppressed: &mut Vec<Suppressed>,
) -> Vec<Diagnostic> {
    if suppressions.is_empty() {
        return diagnostics;
    }
    let mut used = vec![false; suppressions.len()];
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        if unsuppressible(&d) {
            kept.push(d);
            continue;
        }
        let span = d.span();
        let mut reason = None;
        for (i, s) in suppressions.iter().enumerate() {
            if s.rule.owns(d.code) && inside(span, s.scope) {
                used[i] = true;
                if reason.is_none() {
                    reason = s.reason.clone();
                }
            }
        }
        match reason {
            Some(reason) => suppressed.push(Suppressed {
                diagnostic: d,
                reason,
            }),
            None => kept.push(d),
        }
    }
    for (s, used) in suppressions.iter().zip(used) {
        let finding = match (&s.reason, used) {
            (None, _) => missing_reason(s.rule.code(), s.at),
            (Some(_), false) => unused(s.rule.code(), &s.scope_name, s.at),
            (Some(_), true) => continue,
        };
        kept.push(match &s.pointer {
            Some(pointer) => finding.with_pointer(pointer.clone()),
            None => finding,
        });
    }
    kept
}

/// The `Sid` of the statement of `policy` that a finding (its pointer and
/// span relative to the policy) is about.
pub(crate) fn statement_sid<'p>(policy: &'p Policy, d: &Diagnostic) -> Option<&'p str> {
    let by_pointer = d.pointer.as_deref().and_then(|pointer| {
        policy.statements.iter().find(|s| {
            let prefix = s.pointer(policy.statement_array);
            pointer
                .strip_prefix(&prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    });
    let statement = by_pointer.or_else(|| {
        let span = d.span();
        policy.statements.iter().find(|s| inside(span, s.span))
    })?;
    statement.sid.as_ref().map(|sid| sid.node.as_str())
}

/// Whether a finding in the statement with `sid` is covered by one of the
/// configuration's suppressions. Every suppression that matches is marked
/// in `used`; the reason of the first that gives one is returned.
pub(crate) fn sid_reason(
    suppressions: &[SidSuppression],
    sid: &str,
    d: &Diagnostic,
    used: &mut HashSet<Span>,
) -> Option<String> {
    if unsuppressible(d) {
        return None;
    }
    let mut reason = None;
    for s in suppressions {
        let covers = s.sid == sid && registry::find(s.rule).is_some_and(|rule| rule.owns(d.code));
        if covers {
            used.insert(s.at);
            if reason.is_none() {
                reason = s.reason.clone();
            }
        }
    }
    reason
}

/// The findings about the configuration's suppressions, located in the
/// configuration file: each without a reason, and each with a reason that
/// covered nothing in a run that linted files it applies to (`applied`)
/// although it matched none (`used`).
pub fn config_findings(
    suppressions: &[SidSuppression],
    applied: &HashSet<Span>,
    used: &HashSet<Span>,
) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for s in suppressions {
        if !seen.insert(s.at) {
            continue;
        }
        if s.reason.is_none() {
            out.push(missing_reason(s.rule, s.at));
        } else if applied.contains(&s.at) && !used.contains(&s.at) {
            out.push(unused(
                s.rule,
                &format!("the statements with Sid `{}`", s.sid),
                s.at,
            ));
        }
    }
    out.sort_by_key(|d| d.span().start);
    out
}

fn inside(span: Span, region: Span) -> bool {
    region.start <= span.start && span.end <= region.end
}

fn missing_reason(code: &str, at: Span) -> Diagnostic {
    Diagnostic::error(
        "suppression::missing-reason",
        format!("the suppression of `{code}` gives no reason, so it suppresses nothing"),
        at,
    )
    .with_label("no `reason`")
    .with_help("add a `reason` that says why the finding is accepted, for the next reviewer")
}

fn unused(code: &str, scope: &str, at: Span) -> Diagnostic {
    Diagnostic::new(
        Severity::Info,
        "suppression::unused",
        format!("the suppression of `{code}` covers no finding in {scope}"),
        at,
    )
    .with_label("suppresses nothing")
    .with_help("remove it: the finding it was written for is gone, or its rule is off here")
}

#[cfg(test)]
mod tests;
