//! Requests that differ only in the Region they are sent to, decided the
//! key's own Region first (see [`RegionShortcut`]).

use keyward_policy::model::Effect;

use super::enumerate::Said;
use crate::ckey::CKey;
use crate::dims::{Dim, Facet};
use crate::err::Unknown;
use crate::stmts::Stmt;

/// Requests that differ only in the Region they are sent to, decided the
/// key's own Region first. Sent elsewhere, a request never succeeds (rule
/// 32); its answer matters only when nothing at home is allowed. When no
/// Allow that can apply reads `aws:RequestedRegion`, the Region changes no
/// Allow's verdict, so a request denied at home for want of an Allow is
/// denied in every Region, and a request allowed at home (with or without
/// a KMS error) already decides what the class reports: in both cases its
/// copies sent elsewhere cannot change the outcome and are not decided.
/// (The statements must be every one that can apply: [`super::enumerate::Subject::complete`].)
pub(super) struct RegionShortcut<'d> {
    /// The Region dimension.
    axis: usize,
    /// Its choice for the key's own Region.
    home: usize,
    home_facet: &'d Facet,
    /// A tuple's position in the product, for [`RegionShortcut::memo`].
    strides: Vec<usize>,
    /// How many tuples the product has.
    tuples: usize,
    /// How many grants a `CreateGrant` request may ask for (and none).
    children: usize,
    /// By (world, the tuple sent home, child grant): what the home request got.
    memo: Vec<Option<Said>>,
}

impl<'d> RegionShortcut<'d> {
    pub(super) fn new(
        dims: &'d [Dim],
        key_region: &str,
        stmts: &[&Stmt<'_>],
        (worlds, children): (usize, usize),
    ) -> Option<RegionShortcut<'d>> {
        let reads_region = stmts.iter().any(|s| {
            s.effect == Effect::Allow
                && s.conditions
                    .iter()
                    .any(|(k, _)| *k == CKey::RequestedRegion)
        });
        if reads_region {
            return None;
        }
        let axis = dims.iter().position(|d| {
            d.choices
                .iter()
                .any(|c| matches!(c.facet, Facet::Region(_)))
        })?;
        let home = dims[axis]
            .choices
            .iter()
            .position(|c| matches!(&c.facet, Facet::Region(r) if r == key_region))?;
        let mut strides = Vec::with_capacity(dims.len());
        let mut stride = 1usize;
        for d in dims {
            strides.push(stride);
            stride = stride.saturating_mul(d.choices.len());
        }
        Some(RegionShortcut {
            axis,
            home,
            home_facet: &dims[axis].choices[home].facet,
            strides,
            tuples: stride,
            children,
            memo: vec![None; worlds.saturating_mul(stride).saturating_mul(children)],
        })
    }

    /// What the request of the tuple `indices` (with `facets`) gets, from
    /// `decide`; `None` when it is not decided because its answer cannot
    /// change the outcome.
    pub(super) fn said(
        &mut self,
        world: usize,
        indices: &[usize],
        child: usize,
        facets: &[&'d Facet],
        mut decide: impl FnMut(&[&Facet]) -> Result<Said, Unknown>,
    ) -> Result<Option<Said>, Unknown> {
        let at_home: usize = indices
            .iter()
            .enumerate()
            .map(|(j, &i)| if j == self.axis { self.home } else { i } * self.strides[j])
            .sum();
        let slot = (world * self.tuples + at_home) * self.children + child;
        let is_home = indices.get(self.axis) == Some(&self.home);
        let home_said = match self.memo.get(slot).copied().flatten() {
            Some(said) => said,
            None => {
                let said = if is_home {
                    decide(facets)?
                } else {
                    let mut sent_home = facets.to_vec();
                    sent_home[self.axis] = self.home_facet;
                    decide(&sent_home)?
                };
                if let Some(m) = self.memo.get_mut(slot) {
                    *m = Some(said);
                }
                said
            }
        };
        if is_home {
            return Ok(Some(home_said));
        }
        match home_said {
            Said::Denied { implicit: false } => decide(facets).map(Some),
            Said::Denied { implicit: true } | Said::Allowed(..) => Ok(None),
        }
    }
}
