//! Statements by what they say. Two statements with the same effect, KMS
//! actions, principal, resource and conditions (and the same policy
//! version, which decides whether `${…}` is a variable) decide every
//! request alike wherever they are written, so a reverse query decides
//! them once: each gets a content id, equal for equal statements.

use std::collections::HashMap;
use std::fmt::Write as _;

use keyward_policy::model::{ConditionValues, Effect, PrincipalSpec};

use crate::ckey::CKey;
use crate::stmts::Stmt;

/// Content ids for statements (and for anything else given as text).
#[derive(Debug, Default)]
pub struct Canon {
    ids: HashMap<String, u32>,
}

impl Canon {
    /// The id of `text`.
    pub fn intern(&mut self, text: String) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(text).or_insert(next)
    }

    /// The content id of a statement.
    pub fn statement(&mut self, s: &Stmt<'_>) -> u32 {
        self.intern(canonical(s, false))
    }

    /// The content id of `s` as seen from a key its `Resource` covers: the
    /// resource is that key, whichever ARNs name it (statements that differ
    /// only in the key they name then read the same).
    pub fn statement_on_its_key(&mut self, s: &Stmt<'_>) -> u32 {
        self.intern(canonical(s, true))
    }
}

/// A text that two statements share exactly when they mean the same.
fn canonical(s: &Stmt<'_>, resource_is_the_key: bool) -> String {
    let sep = '\u{1}';
    let mut out = String::with_capacity(128);
    out.push(if s.effect == Effect::Allow { 'A' } else { 'D' });
    out.push(if s.variables { 'v' } else { '-' });
    for a in s.actions.iter() {
        out.push_str(a.name());
        out.push(',');
    }
    out.push(sep);
    match s.principal {
        None => out.push('-'),
        Some(p) => {
            out.push(if p.negated { '!' } else { '=' });
            match &p.spec {
                PrincipalSpec::Wildcard => out.push('*'),
                PrincipalSpec::Map(groups) => {
                    for g in groups {
                        out.push_str(g.kind.node.as_str());
                        out.push(':');
                        for v in &g.values {
                            out.push_str(&v.node);
                            out.push(sep);
                        }
                    }
                }
            }
        }
    }
    out.push(sep);
    match s.resource {
        _ if resource_is_the_key => out.push('@'),
        None => out.push('-'),
        Some(r) => {
            out.push(if r.negated { '!' } else { '=' });
            for item in &r.items {
                out.push_str(item.node.raw());
                out.push(sep);
            }
        }
    }
    for (_, c) in &s.conditions {
        out.push(sep);
        out.push_str(&c.operator.node.name());
        out.push(sep);
        out.push_str(c.key.node.as_str());
        out.push(sep);
        let _ = match &c.values {
            ConditionValues::String(v) => v
                .iter()
                .try_for_each(|x| write!(out, "s{}{sep}", x.node.raw())),
            ConditionValues::Numeric(v) => {
                v.iter().try_for_each(|x| write!(out, "n{}{sep}", x.node))
            }
            ConditionValues::Date(v) => v
                .iter()
                .try_for_each(|x| write!(out, "d{}.{}{sep}", x.node.epoch_seconds, x.node.nanos)),
            ConditionValues::Bool(v) => v.iter().try_for_each(|x| write!(out, "b{}{sep}", x.node)),
            ConditionValues::Binary(v) => {
                v.iter().try_for_each(|x| write!(out, "x{}{sep}", x.node))
            }
            ConditionValues::Ip(v) => v.iter().try_for_each(|x| write!(out, "i{}{sep}", x.node)),
            ConditionValues::Null(v) => v.iter().try_for_each(|x| write!(out, "0{}{sep}", x.node)),
        };
        if c.array {
            out.push('[');
        }
    }
    out
}

/// What the statements of a world read about callers and keys beyond
/// their principal and resource elements: what makes two callers (or two
/// keys) tell apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// Something reads the caller's ARN, name or unique id.
    pub caller_arn: bool,
    /// The principal tags read (keys lowercased).
    pub principal_tags: Vec<String>,
    /// The resource tags read (keys lowercased).
    pub resource_tags: Vec<String>,
    /// Something reads the key's aliases (`kms:ResourceAliases`, `kms:RequestAlias`).
    pub aliases: bool,
}

impl Reads {
    /// Note what `s` reads.
    pub fn note(&mut self, s: &Stmt<'_>) {
        let keys = s
            .conditions
            .iter()
            .map(|(k, _)| k)
            .chain(s.links.iter().map(|l| &l.source));
        for key in keys {
            match key {
                CKey::PrincipalArn | CKey::Username | CKey::Userid | CKey::PrincipalServiceName => {
                    self.caller_arn = true
                }
                CKey::PrincipalTag(t) => push_unique(&mut self.principal_tags, t),
                CKey::ResourceTag(t) => push_unique(&mut self.resource_tags, t),
                CKey::ResourceAliases | CKey::RequestAlias => self.aliases = true,
                _ => {}
            }
        }
    }
}

fn push_unique(list: &mut Vec<String>, v: &str) {
    if !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}
