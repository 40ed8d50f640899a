//! What the analyzed statements say about principals: the names in their
//! `Principal`/`NotPrincipal` elements, and the tests on the condition keys
//! the evaluator fills from the caller.

use std::collections::BTreeMap;

use keyward_policy::matching::PrincipalArn;
use keyward_policy::model::{ConditionValues, OperatorBase, PrincipalKind, PrincipalSpec};

use crate::ckey::CKey;
use crate::err::Unknown;
use crate::stmts::Stmt;
use crate::theory::KeyTests;

/// A string test as written: the operator and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Raw {
    /// The base operator.
    pub base: OperatorBase,
    /// The value, as written.
    pub value: String,
}

/// Everything principal-side the statements mention.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// `AWS` principal values (not `*`).
    pub aws: Vec<String>,
    /// `Service` principal values (not `*`).
    pub services: Vec<String>,
    /// String tests on `aws:PrincipalArn`.
    pub arn: Vec<Raw>,
    /// String tests on `aws:PrincipalAccount` / `kms:CallerAccount`.
    pub account: Vec<Raw>,
    /// String tests on `aws:username`.
    pub username: Vec<Raw>,
    /// String tests on `aws:userid`.
    pub userid: Vec<Raw>,
    /// String tests on `aws:PrincipalServiceName`.
    pub service_name: Vec<Raw>,
    /// Tests on each principal tag (key lowercased).
    pub tags: BTreeMap<String, KeyTests>,
}

impl Facts {
    /// Gather the facts of `stmts`.
    pub fn gather(stmts: &[Stmt<'_>]) -> Result<Facts, Unknown> {
        let mut f = Facts::default();
        for s in stmts {
            if let Some(p) = s.principal {
                if let PrincipalSpec::Map(groups) = &p.spec {
                    for g in groups {
                        for v in &g.values {
                            let v = v.node.as_str();
                            if v == "*" {
                                continue;
                            }
                            match g.kind.node {
                                PrincipalKind::Aws => push_unique(&mut f.aws, v),
                                PrincipalKind::Service => push_unique(&mut f.services, v),
                                PrincipalKind::Federated | PrincipalKind::CanonicalUser => {}
                            }
                        }
                    }
                }
            }
            for (key, cond) in &s.conditions {
                let list = match key {
                    CKey::PrincipalArn => &mut f.arn,
                    CKey::PrincipalAccount => &mut f.account,
                    CKey::Username => &mut f.username,
                    CKey::Userid => &mut f.userid,
                    CKey::PrincipalServiceName => &mut f.service_name,
                    CKey::PrincipalTag(t) => {
                        f.tags
                            .entry(t.clone())
                            .or_default()
                            .add(cond, s.variables)?;
                        continue;
                    }
                    _ => continue,
                };
                match &cond.values {
                    ConditionValues::String(values) => {
                        for v in values {
                            let raw = Raw {
                                base: cond.operator.node.base,
                                value: v.node.raw().to_string(),
                            };
                            if !list.contains(&raw) {
                                list.push(raw);
                            }
                        }
                    }
                    ConditionValues::Null(_) => {}
                    _ => {
                        return Err(Unknown::new(format!(
                            "`{}` is compared with `{}`, which the checks decide only for text",
                            cond.key.node.as_str(),
                            cond.operator.node.name()
                        )))
                    }
                }
            }
        }
        Ok(f)
    }

    /// Every account id the facts name literally.
    pub fn literal_accounts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for v in &self.aws {
            if let Some(a) = PrincipalArn::parse(v).account() {
                push_unique(&mut out, a);
            }
        }
        for raw in self.account.iter().chain(&self.userid) {
            if is_account(&raw.value) {
                push_unique(&mut out, &raw.value);
            }
        }
        for raw in &self.arn {
            if let Some(a) = PrincipalArn::parse(&raw.value).account() {
                push_unique(&mut out, a);
            }
        }
        out
    }
}

/// Twelve ASCII digits.
pub fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn push_unique(list: &mut Vec<String>, v: &str) {
    if !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}
