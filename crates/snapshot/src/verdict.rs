//! The incomplete-answer rule (`docs/snapshot-format.md`, "Incomplete
//! answers"): what of a question's slice is missing, and how the worst and
//! best cases decide whether the answer stands.

use keyward_eval::{ContextValue, Decision, Response};

use crate::ask::{Incomplete, Outcome, Verdict};
use crate::model::{ChainView, KeyData, Mentions, PrincipalData};
use crate::problem::{Gap, GapKind};
use crate::snapshot::Snapshot;

impl Snapshot {
    /// What of the slice (principal, key, their chains) is missing; which of
    /// it feeds conditions (no best or worst case); whether the key's state
    /// is unknown.
    pub(crate) fn missing(
        &self,
        p: &PrincipalData,
        k: &KeyData,
        given: &[(String, ContextValue)],
    ) -> (Vec<Gap>, Vec<Gap>, bool) {
        let mut missing: Vec<Gap> = p.gaps.iter().chain(&k.gaps).cloned().collect();
        let mut mentions = p.mentions.or(k.mentions);
        if let Some(org) = &self.org {
            for view in [org.scp_of(&p.account), org.rcp_of(&k.account)] {
                match view {
                    ChainView::None => {}
                    ChainView::Unknown(g) => missing.push(g),
                    ChainView::Known(chain) => {
                        for level in &chain.levels {
                            mentions = mentions.or(Mentions::of(&level.docs));
                            missing.extend(level.gaps.iter().cloned());
                        }
                    }
                }
            }
        }
        if let Some(g) = self.alias_gaps.get(&(k.account.clone(), k.region.clone())) {
            missing.push(g.clone());
        }
        let given_key = |name: &str| given.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        let mut unknowns = Vec::new();
        let mut keep = |g: &Gap| match g.kind {
            GapKind::KeyMetadata if mentions.key_metadata => {
                unknowns.push(g.clone());
                true
            }
            GapKind::KeyTags if mentions.resource_tags => {
                unknowns.push(g.clone());
                true
            }
            GapKind::Aliases if mentions.resource_aliases => {
                unknowns.push(g.clone());
                true
            }
            GapKind::KeyMetadata => true,
            GapKind::KeyTags | GapKind::Aliases => false,
            _ => true,
        };
        missing.retain(|g| keep(g));
        if mentions.org_context {
            for (account, name) in [
                (&p.account, "aws:PrincipalOrgID"),
                (&k.account, "aws:ResourceOrgID"),
            ] {
                if !given_key(name) {
                    if let Some(g) = self.org_context_gap(account, name) {
                        unknowns.push(g.clone());
                        missing.push(g);
                    }
                }
            }
        }
        let key_metadata_missing = k.gaps.iter().any(|g| g.kind == GapKind::KeyMetadata);
        (missing, unknowns, key_metadata_missing)
    }
}

/// The rule of `docs/snapshot-format.md`, "Incomplete answers".
pub(crate) fn judge<'w>(
    rw: Response<'w>,
    rb: Response<'w>,
    unknowns: &[Gap],
    key_metadata_missing: bool,
    missing: &[Gap],
) -> Verdict<'w> {
    let (ow, ob) = (Outcome::of(&rw), Outcome::of(&rb));
    if !unknowns.is_empty() {
        return Verdict::Incomplete(Incomplete {
            worst: None,
            best: None,
            missing: missing.to_vec(),
            why: "a policy's condition tests a value the snapshot does not hold".into(),
        });
    }
    if ow != ob {
        let why = match (ow.decision, ob.decision) {
            (Decision::Allow, _) | (_, Decision::Allow) => {
                "whether it is allowed depends on the missing data"
            }
            _ => {
                "it is denied whatever the missing data holds, but whether explicitly depends on it"
            }
        };
        return Verdict::Incomplete(Incomplete {
            worst: Some(ow),
            best: Some(ob),
            missing: missing.to_vec(),
            why: why.into(),
        });
    }
    if key_metadata_missing && ob.decision == Decision::Allow {
        return Verdict::Incomplete(Incomplete {
            worst: Some(ow),
            best: Some(ob),
            missing: missing.to_vec(),
            why: "the policies allow it, but whether the call succeeds depends on the key's state, which the snapshot does not hold".into(),
        });
    }
    // Equal: the worst case has no stand-in allow and the best no stand-in
    // deny, so the one whose stand-ins did not apply explains it.
    if ow.decision == Decision::ExplicitDeny {
        Verdict::Complete(Box::new(rb))
    } else {
        Verdict::Complete(Box::new(rw))
    }
}
