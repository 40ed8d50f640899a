//! The request dimensions of one action class, cached by what determines
//! them: the statements' part once per set of conditioned statements, the
//! encryption context cut again per set of constrained grants.

use std::collections::HashMap;
use std::rc::Rc;

use keyward_eval::{GrantConstraints, KmsAction};

use super::enumerate::{ignores_constraints, GrantView, Subject};
use crate::ckey::{CKey, Source};
use crate::dims::{ec_dim, statement_dims, Dim};
use crate::ec::EcTests;
use crate::err::Unknown;
use crate::stmts::Stmt;

/// What determines a class's request dimensions: the statements' content
/// ids, the constrained grants' ids, the caller's values the statements'
/// policy variables resolve to, and the key's Region.
type DimsKey = (Vec<u32>, Vec<u32>, Vec<(CKey, String)>, String);

/// What determines the statements' part of a class's dimensions.
type StatementsKey = (Vec<u32>, Vec<(CKey, String)>, String);

/// The statements' part of a class's dimensions: every dimension but the
/// encryption context's, and the tests on the encryption context.
type StatementDims = (Vec<Dim>, EcTests);

/// Request dimensions, by what determines them.
#[derive(Debug, Default)]
pub struct DimsCache {
    map: HashMap<DimsKey, Result<Rc<Vec<Dim>>, Unknown>>,
    /// The statements' part, by what determines it (no grants).
    statements: HashMap<StatementsKey, Result<Rc<StatementDims>, Unknown>>,
}

/// The request dimensions of one action class.
pub(super) fn dims_of(
    subject: &Subject<'_, '_>,
    cache: &mut DimsCache,
    applying: &[usize],
    stmts: &[&Stmt<'_>],
    grants: &[&GrantView<'_>],
    rep: KmsAction,
) -> Result<Rc<Vec<Dim>>, Unknown> {
    let constrained: Vec<&GrantView<'_>> = if ignores_constraints(rep) {
        Vec::new()
    } else {
        grants
            .iter()
            .copied()
            .filter(|g| g.constraints.is_some())
            .collect()
    };
    let split = crate::links::resolved(stmts, subject.principal);
    if stmts.iter().any(|s| !s.links.is_empty()) {
        // The same exactness rules as for classes of callers.
        let owned: Vec<Stmt<'_>> = stmts.iter().map(|s| (*s).clone()).collect();
        crate::links::prepare(&owned, &mut Default::default(), &mut Vec::new())?;
    }
    // Only statements with request conditions shape the dimensions: the
    // others share them, and so share the cache entry.
    let mut ids: Vec<u32> = applying
        .iter()
        .filter(|&&i| {
            subject.stmts[i]
                .conditions
                .iter()
                .any(|(k, _)| k.source() == Source::Request)
        })
        .map(|&i| subject.ids[i])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut grant_ids: Vec<u32> = constrained.iter().map(|g| g.id).collect();
    grant_ids.sort_unstable();
    grant_ids.dedup();
    let key = (ids, grant_ids, split, subject.key_region.to_string());
    if let Some(d) = cache.map.get(&key) {
        return d.clone();
    }
    // The statements' dimensions do not depend on the grants: keys whose
    // constrained grants differ share them, and only the encryption
    // context is cut again.
    let base_key = (key.0.clone(), key.2.clone(), key.3.clone());
    let base = match cache.statements.get(&base_key) {
        Some(b) => b.clone(),
        None => {
            let b = statement_dims(stmts, subject.key_region, &key.2).map(Rc::new);
            cache.statements.insert(base_key, b.clone());
            b
        }
    };
    let constraints: Vec<&GrantConstraints> =
        constrained.iter().filter_map(|g| g.constraints).collect();
    let dims = base.and_then(|b| {
        let mut dims = b.0.clone();
        dims.extend(ec_dim(&b.1, &constraints)?);
        Ok(Rc::new(dims))
    });
    cache.map.insert(key, dims.clone());
    dims
}
