//! The keys' ARNs as static `Resource` elements are matched against them:
//! split once and grouped by everything before the resource part, so a
//! pattern's first five parts are matched once per group rather than once
//! per key; and one answer per distinct `Resource` element, shared by every
//! statement that writes it (a world of thousands of principals repeats
//! `"Resource": "*"` and the same key ARNs over and over).

use std::collections::HashMap;
use std::sync::Arc;

use keyward_policy::matching::{Arn, ArnPattern, CaseMode};

use crate::arn_pattern::ArnPat;
use crate::cond::Tri;

/// Keys (by index) whose ARNs agree up to the resource part.
#[derive(Clone, Debug)]
struct Group {
    partition: Box<str>,
    service: Box<str>,
    region: Box<str>,
    account: Box<str>,
    /// (key index, resource part)
    keys: Vec<(usize, Box<str>)>,
}

/// A `Resource` element as written: `NotResource` or not, and its items.
type Element = (bool, Vec<Box<str>>);

/// Every key's ARN, by key index, ready for matching static resources.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyArns {
    arns: Vec<Box<str>>,
    groups: Vec<Group>,
    /// Per-key answers of the elements seen so far.
    seen: HashMap<Element, Arc<[Tri]>>,
}

impl KeyArns {
    /// The ARNs of the keys, by key index.
    pub(crate) fn new(arns: Vec<Box<str>>) -> KeyArns {
        let mut groups: Vec<Group> = Vec::new();
        for (i, text) in arns.iter().enumerate() {
            // A text that is not an ARN matches only `*`: in no group.
            let Ok(arn) = Arn::parse(text) else { continue };
            let same = |g: &&mut Group| {
                *g.partition == *arn.partition()
                    && *g.service == *arn.service()
                    && *g.region == *arn.region()
                    && *g.account == *arn.account()
            };
            match groups.iter_mut().find(same) {
                Some(g) => g.keys.push((i, arn.resource().into())),
                None => groups.push(Group {
                    partition: arn.partition().into(),
                    service: arn.service().into(),
                    region: arn.region().into(),
                    account: arn.account().into(),
                    keys: vec![(i, arn.resource().into())],
                }),
            }
        }
        KeyArns {
            arns,
            groups,
            seen: HashMap::new(),
        }
    }

    /// How many keys.
    pub(crate) fn len(&self) -> usize {
        self.arns.len()
    }

    /// Does a static `Resource` element (`negated` for `NotResource`) with
    /// these items cover each key? Any item matching covers (for
    /// `NotResource`, none); an item that is not an ARN pattern makes the
    /// answer `Error` unless another item matches.
    pub(crate) fn cover(&mut self, negated: bool, items: &[&str]) -> Arc<[Tri]> {
        let element: Element = (negated, items.iter().map(|&t| t.into()).collect());
        if let Some(hit) = self.seen.get(&element) {
            return hit.clone();
        }
        let mut hit = vec![false; self.len()];
        let mut error = vec![false; self.len()];
        for item in items {
            match ArnPat::new(item).pattern() {
                None => error.iter_mut().for_each(|e| *e = true),
                Some(p) => self.mark(p, &mut hit),
            }
        }
        let per_key: Arc<[Tri]> = hit
            .iter()
            .zip(&error)
            .map(|(&hit, &error)| {
                if hit {
                    Tri::from_bool(!negated)
                } else if error {
                    Tri::Error
                } else {
                    Tri::from_bool(negated)
                }
            })
            .collect();
        self.seen.insert(element, per_key.clone());
        per_key
    }

    /// Set `hit` for every key `p` matches, as [`ArnPattern::matches`] would
    /// on its ARN.
    fn mark(&self, p: &ArnPattern, hit: &mut [bool]) {
        let Some([prefix, partition, service, region, account, resource]) = p.parts() else {
            hit.iter_mut().for_each(|h| *h = true);
            return;
        };
        let s = CaseMode::Sensitive;
        if !prefix.matches("arn", s) {
            return;
        }
        for g in &self.groups {
            if account.matches(&g.account, s)
                && service.matches(&g.service, s)
                && region.matches(&g.region, s)
                && partition.matches(&g.partition, s)
            {
                for (i, r) in &g.keys {
                    if resource.matches(r, s) {
                        hit[*i] = true;
                    }
                }
            }
        }
    }
}
