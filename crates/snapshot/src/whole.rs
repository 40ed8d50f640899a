//! The whole snapshot as one world, for analyses over every principal and
//! key at once (who can use a key, what can a principal do): the world
//! compiled with what the snapshot lacks replaced by its worst case, the
//! accounts it holds completely, the organization facts every request
//! carries, and — per principal and per key — what the snapshot lacks that
//! answers about them depend on (those answers are incomplete).

use std::collections::HashMap;

use keyward_eval::{system_clock, AuthorizerBuilder, Caller, ContextValue};

use crate::model::{ChainView, KeyData, Mentions, PrincipalData, PrincipalKind};
use crate::problem::{Gap, GapKind};
use crate::snapshot::Snapshot;
use crate::world::Case;

/// The whole snapshot, ready to be analyzed.
#[derive(Debug)]
pub struct WholeWorld {
    /// Every principal and key (in load order), what is missing denied.
    pub builder: AuthorizerBuilder,
    /// Accounts whose every user and role the snapshot holds (their IAM
    /// export is complete): a principal of another account is an outsider.
    pub held_accounts: Vec<String>,
    /// Per principal ARN: the context its requests carry, and why answers
    /// about it are incomplete.
    principals: HashMap<String, Facts>,
    /// Per key ARN: the same.
    keys: HashMap<String, Facts>,
}

/// What a request carries and what the snapshot lacks, for one principal
/// or key.
#[derive(Debug, Default)]
struct Facts {
    context: Vec<(String, ContextValue)>,
    incomplete: Option<String>,
}

impl WholeWorld {
    /// The organization facts every request of `caller` carries
    /// (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, when known).
    pub fn principal_context(&self, caller: &Caller) -> Vec<(String, ContextValue)> {
        self.principals
            .get(caller.arn())
            .map(|f| f.context.clone())
            .unwrap_or_default()
    }

    /// The facts every request on the key `arn` carries
    /// (`aws:ResourceAccount`, its organization when known).
    pub fn key_context(&self, arn: &str) -> Vec<(String, ContextValue)> {
        self.keys
            .get(arn)
            .map(|f| f.context.clone())
            .unwrap_or_default()
    }

    /// Why answers about the principal `arn` depend on data the snapshot
    /// lacks (its policies or boundary, its account's SCPs, its
    /// organization when a policy asks for it).
    pub fn principal_incomplete(&self, arn: &str) -> Option<String> {
        self.principals.get(arn).and_then(|f| f.incomplete.clone())
    }

    /// Why answers about the key `arn` depend on data the snapshot lacks
    /// (its policy, grants or state, its account's RCPs, its tags or
    /// aliases when a policy reads them).
    pub fn key_incomplete(&self, arn: &str) -> Option<String> {
        self.keys.get(arn).and_then(|f| f.incomplete.clone())
    }
}

fn describe(gaps: &[Gap]) -> Option<String> {
    if gaps.is_empty() {
        return None;
    }
    let mut what: Vec<&str> = gaps.iter().map(|g| g.what.as_str()).collect();
    what.dedup();
    Some(format!("the snapshot lacks {}", what.join("; ")))
}

impl Snapshot {
    /// The whole snapshot as one world.
    pub fn whole_world(&self) -> WholeWorld {
        let principals: Vec<_> = self.principals.iter().collect();
        let keys: Vec<_> = self.keys.iter().collect();
        let (builder, _, _) = self.builder(&principals, &keys, Case::Worst, false, system_clock());
        let mut held: Vec<String> = self
            .principals
            .iter()
            .filter(|p| p.kind != PrincipalKind::Outsider)
            .map(|p| p.account.clone())
            .filter(|a| !self.iam_gaps.contains_key(a))
            .collect();
        held.sort();
        held.dedup();
        let mentions = self.all_mentions();
        let principals = self
            .principals
            .iter()
            .map(|p| {
                let facts = Facts {
                    context: self.caller_org_context(&p.caller),
                    incomplete: self.principal_gaps(p, mentions),
                };
                (p.caller.arn().to_string(), facts)
            })
            .collect();
        let keys = self
            .keys
            .iter()
            .map(|k| {
                let facts = Facts {
                    context: self.key_org_context(&k.arn),
                    incomplete: self.key_gaps(k, mentions),
                };
                (k.arn.clone(), facts)
            })
            .collect();
        WholeWorld {
            builder,
            held_accounts: held,
            principals,
            keys,
        }
    }

    /// What every policy of the snapshot mentions, together.
    fn all_mentions(&self) -> Mentions {
        let mut m = Mentions::default();
        for p in &self.principals {
            m = m.or(p.mentions);
        }
        for k in &self.keys {
            m = m.or(k.mentions);
        }
        if let Some(org) = &self.org {
            for chain in org.scp.values().chain(org.rcp.values()) {
                for level in &chain.levels {
                    m = m.or(Mentions::of(&level.docs));
                }
            }
        }
        m
    }

    /// The organization facts every request of `caller` carries:
    /// `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`, when the snapshot
    /// knows the caller's account's place in the organization.
    fn caller_org_context(&self, caller: &Caller) -> Vec<(String, ContextValue)> {
        let mut out = Vec::new();
        if caller.is_service() {
            return out;
        }
        if let Some(org) = self.org.as_ref().filter(|o| o.tree_gap.is_none()) {
            if let Some(path) = org.paths.get(caller.account()) {
                out.push(("aws:PrincipalOrgID".into(), org.id.as_str().into()));
                out.push((
                    "aws:PrincipalOrgPaths".into(),
                    ContextValue::Many(vec![path.as_str().into()]),
                ));
            }
        }
        out
    }

    /// The facts every request on the key `key_arn` carries:
    /// `aws:ResourceAccount`, and its organization when known.
    fn key_org_context(&self, key_arn: &str) -> Vec<(String, ContextValue)> {
        let account = key_arn.split(':').nth(4).unwrap_or("");
        let mut out: Vec<(String, ContextValue)> =
            vec![("aws:ResourceAccount".into(), account.into())];
        if let Some(org) = self.org.as_ref().filter(|o| o.tree_gap.is_none()) {
            if let Some(path) = org.paths.get(account) {
                out.push(("aws:ResourceOrgID".into(), org.id.as_str().into()));
                out.push((
                    "aws:ResourceOrgPaths".into(),
                    ContextValue::Many(vec![path.as_str().into()]),
                ));
            }
        }
        out
    }

    /// Why answers about principal `p` depend on data the snapshot lacks:
    /// its policies or boundary, its account's SCPs, its organization when
    /// a policy (`m`: what every policy mentions) asks for it.
    fn principal_gaps(&self, p: &PrincipalData, m: Mentions) -> Option<String> {
        let mut gaps: Vec<Gap> = p.gaps.clone();
        if let Some(org) = &self.org {
            if !p.caller.is_service() {
                match org.scp_of(&p.account) {
                    ChainView::None => {}
                    ChainView::Unknown(g) => gaps.push(g),
                    ChainView::Known(chain) => {
                        for level in &chain.levels {
                            gaps.extend(level.gaps.iter().cloned());
                        }
                    }
                }
            }
        }
        if m.org_context && !p.caller.is_service() {
            gaps.extend(self.org_context_gap(&p.account, "aws:PrincipalOrgID"));
        }
        describe(&gaps)
    }

    /// Why answers about key `k` depend on data the snapshot lacks: its
    /// policy, grants or state, its account's RCPs, and its tags or aliases
    /// when a policy (`m`) reads them.
    fn key_gaps(&self, k: &KeyData, m: Mentions) -> Option<String> {
        let mut gaps: Vec<Gap> = k
            .gaps
            .iter()
            .filter(|g| match g.kind {
                GapKind::KeyTags => m.resource_tags,
                GapKind::Aliases => m.resource_aliases,
                _ => true,
            })
            .cloned()
            .collect();
        if let Some(org) = &self.org {
            match org.rcp_of(&k.account) {
                ChainView::None => {}
                ChainView::Unknown(g) => gaps.push(g),
                ChainView::Known(chain) => {
                    for level in &chain.levels {
                        gaps.extend(level.gaps.iter().cloned());
                    }
                }
            }
        }
        if m.resource_aliases {
            if let Some(g) = self.alias_gaps.get(&(k.account.clone(), k.region.clone())) {
                gaps.push(g.clone());
            }
        }
        if m.org_context {
            gaps.extend(self.org_context_gap(&k.account, "aws:ResourceOrgID"));
        }
        describe(&gaps)
    }
}
