//! Policy variables that compare a request key with an attribute of the
//! caller (`"aws:ResourceAccount": "${aws:PrincipalAccount}"`): checked to
//! be decidable exactly, and resolved per principal class.

use std::collections::BTreeMap;

use keyward_policy::model::{ConditionValues, OperatorBase};

use crate::ckey::CKey;
use crate::err::Unknown;
use crate::principals::facts::Raw;
use crate::principals::{Facts, PrincipalRep};
use crate::stmts::Stmt;
use crate::strings::StringTest;
use crate::theory::Test;

/// Check that every key a link compares is only ever compared for
/// equality, with literals or one caller attribute; then split the caller
/// attributes at those literals (in `facts`, and `named` accounts).
pub fn prepare(
    stmts: &[Stmt<'_>],
    facts: &mut Facts,
    named: &mut Vec<String>,
) -> Result<(), Unknown> {
    let mut sources: BTreeMap<CKey, Vec<CKey>> = BTreeMap::new();
    for s in stmts {
        for l in &s.links {
            let list = sources.entry(l.target.clone()).or_default();
            if !list.contains(&l.source) {
                list.push(l.source.clone());
            }
        }
    }
    for (target, from) in &sources {
        if from.len() > 1 {
            return Err(Unknown::new(format!(
                "`{}` is compared with several policy variables",
                target.name()
            )));
        }
        let mut literals = Vec::new();
        for s in stmts {
            for (key, cond) in s.conditions.iter().filter(|(k, _)| k == target) {
                let base = cond.operator.node.base;
                let values = match &cond.values {
                    ConditionValues::Null(_) => continue,
                    ConditionValues::String(v)
                        if matches!(
                            base,
                            OperatorBase::StringEquals | OperatorBase::StringNotEquals
                        ) && cond.operator.node.qualifier.is_none() =>
                    {
                        v
                    }
                    _ => {
                        return Err(Unknown::new(format!(
                            "`{}` is compared with a policy variable and with `{}`",
                            key.name(),
                            cond.operator.node.name()
                        )))
                    }
                };
                for v in values {
                    if !(s.variables && v.node.has_variables()) {
                        literals.push(v.node.raw().to_string());
                    }
                }
            }
        }
        for source in from {
            split(source, &literals, facts, named);
        }
    }
    Ok(())
}

/// Split the caller attribute `source` at `literals`.
fn split(source: &CKey, literals: &[String], facts: &mut Facts, named: &mut Vec<String>) {
    for lit in literals {
        let raw = Raw {
            base: OperatorBase::StringEquals,
            value: lit.clone(),
        };
        match source {
            CKey::PrincipalAccount
                if lit.len() == 12
                    && lit.bytes().all(|b| b.is_ascii_digit())
                    && !named.contains(lit) =>
            {
                named.push(lit.clone());
            }
            CKey::PrincipalTag(t) => {
                let tests = facts.tags.entry(t.clone()).or_default();
                tests.tests.push(Test::Str(StringTest::equals(lit)));
                tests.clauses.push(vec![tests.tests.len() - 1]);
            }
            CKey::Username => facts.username.push(raw),
            CKey::Userid => facts.userid.push(raw),
            _ => {}
        }
    }
}

/// The value of a caller attribute for a principal class (`None`: the
/// caller has no such attribute).
pub fn resolve(source: &CKey, principal: &PrincipalRep) -> Option<String> {
    let c = &principal.caller;
    match source {
        CKey::PrincipalAccount => (!c.is_service()).then(|| c.account().to_string()),
        CKey::PrincipalTag(t) => principal
            .tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(t))
            .map(|(_, v)| v.clone()),
        CKey::Username => c.user_name().map(str::to_string),
        CKey::Userid => c.user_id().map(str::to_string),
        CKey::PrincipalType => c.principal_type().map(str::to_string),
        _ => None,
    }
}

/// The values `stmts`' links take for `principal`: (target, value).
pub fn resolved(stmts: &[&Stmt<'_>], principal: &PrincipalRep) -> Vec<(CKey, String)> {
    let mut out = Vec::new();
    for s in stmts {
        for l in &s.links {
            if let Some(v) = resolve(&l.source, principal).or_else(|| l.default.clone()) {
                let pair = (l.target.clone(), v);
                if !out.contains(&pair) {
                    out.push(pair);
                }
            }
        }
    }
    out
}
