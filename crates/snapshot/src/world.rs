//! Compiling (a slice of) a snapshot into a [`keyward_eval::Authorizer`],
//! with what the snapshot lacks replaced by its worst case (everything
//! denied) or its best case (everything allowed): see
//! `docs/snapshot-format.md`, "Incomplete answers".

use std::collections::BTreeSet;
use std::sync::Arc;

use keyward_eval::{
    parse_grant_operations, Authorizer, AuthorizerBuilder, GrantConfig, Instant, KeyConfig, KeyId,
    PolicyDoc, PrincipalConfig, PrincipalId,
};

use crate::model::{ChainView, KeyData, PrincipalData};
use crate::problem::GapKind;
use crate::snapshot::Snapshot;

/// Which stand-in replaces missing data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// Missing policies deny everything; missing grants grant nothing.
    Worst,
    /// Missing policies allow everything; missing boundaries and SCP/RCP
    /// chains restrict nothing.
    Best,
}

/// A compiled slice: the authorizer, and the eval ids of the principals
/// and keys it was built from, in the order given (`None` for a key the
/// evaluator refused, which loading prevents).
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) auth: Authorizer,
    pub(crate) principals: Vec<PrincipalId>,
    pub(crate) keys: Vec<Option<KeyId>>,
}

/// Every grant operation: a missing grant may carry any of them.
const ALL_GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "VerifyMac",
    "DeriveSharedSecret",
    "GetPublicKey",
    "DescribeKey",
    "CreateGrant",
    "RetireGrant",
];

impl Snapshot {
    /// Compile `principals` × `keys`. In the best case, `synthetic_grants`
    /// gives each principal an unconstrained grant of every operation on
    /// each key whose grants are not all known.
    pub(crate) fn world(
        &self,
        principals: &[&PrincipalData],
        keys: &[&KeyData],
        case: Case,
        synthetic_grants: bool,
        now: Option<Instant>,
    ) -> World {
        let (b, principals, keys) = self.builder(principals, keys, case, synthetic_grants, now);
        World {
            auth: b.build(),
            principals,
            keys,
        }
    }

    /// What [`Snapshot::world`] compiles, not compiled yet (with the eval
    /// ids its principals and keys will have).
    pub(crate) fn builder(
        &self,
        principals: &[&PrincipalData],
        keys: &[&KeyData],
        case: Case,
        synthetic_grants: bool,
        now: Option<Instant>,
    ) -> (AuthorizerBuilder, Vec<PrincipalId>, Vec<Option<KeyId>>) {
        let stock = &self.stock;
        let mut b = Authorizer::builder();
        b.clock(Arc::new(move || now));
        let mut key_ids = Vec::with_capacity(keys.len());
        for k in keys {
            let policy = match (&k.policy, case) {
                (Some(p), _) => p.clone(),
                (None, Case::Worst) => stock.deny_everyone.clone(),
                (None, Case::Best) => {
                    stock.allow_key_policy(principals.iter().map(|p| p.caller.arn()))
                }
            };
            let mut cfg = KeyConfig::new(k.arn.clone(), k.arn.clone(), policy);
            if let Some(m) = &k.meta {
                cfg.state = m.state;
                cfg.origin = m.origin;
                cfg.key_spec = m.key_spec.clone();
                cfg.key_usage = m.key_usage.clone();
                cfg.multi_region = m.multi_region;
                cfg.multi_region_key_type = m.multi_region_key_type.clone();
            }
            cfg.aliases = k.aliases.clone();
            cfg.manager = k.manager();
            cfg.tags = k.tags.clone();
            key_ids.push(b.add_key(cfg).ok());
        }
        let mut principal_ids = Vec::with_capacity(principals.len());
        for p in principals {
            let mut cfg = PrincipalConfig::new(p.caller.arn(), p.caller.clone());
            cfg.policies = p.policies.clone();
            if p.gaps.iter().any(|g| g.kind == GapKind::Identity) {
                cfg.policies.push(match case {
                    Case::Worst => stock.deny_all.clone(),
                    Case::Best => stock.allow_all.clone(),
                });
            }
            cfg.permissions_boundary = p.boundary.clone();
            if p.gaps.iter().any(|g| g.kind == GapKind::Boundary) && case == Case::Worst {
                cfg.permissions_boundary = Some(stock.deny_all.clone());
            }
            cfg.tags = p.tags.clone();
            principal_ids.push(b.add_principal(cfg));
        }
        for (k, id) in keys.iter().zip(&key_ids) {
            let Some(id) = *id else { continue };
            for g in &k.grants {
                let mut cfg = GrantConfig::new(id, g.grantee.clone(), g.operations);
                cfg.constraints = g.constraints.clone();
                cfg.retiring_principal = g.retiring.clone();
                cfg.name = g.name.clone();
                cfg.id = g.id.clone();
                cfg.issuing_account = g.issuing_account.clone();
                cfg.written_at = Some(g.written_at.clone());
                let _ = b.add_grant(cfg);
            }
            let missing = k.gaps.iter().any(|g| g.kind == GapKind::Grants);
            if case == Case::Best && synthetic_grants && missing {
                let Ok(ops) = parse_grant_operations(ALL_GRANT_OPERATIONS) else {
                    continue;
                };
                for p in principals {
                    let grantee = p.caller.principal_arn().to_string();
                    let mut cfg = GrantConfig::new(id, grantee.clone(), ops);
                    cfg.retiring_principal = Some(grantee);
                    cfg.name = Some("stand-in for a missing grant (best case)".into());
                    let _ = b.add_grant(cfg);
                }
            }
        }
        let (deny, allow) = (&stock.deny_all, &stock.allow_all);
        let accounts: BTreeSet<&str> = principals
            .iter()
            .filter(|p| !p.caller.is_service())
            .map(|p| p.account.as_str())
            .collect();
        for account in accounts {
            let view = self
                .org
                .as_ref()
                .map_or(ChainView::None, |o| o.scp_of(account));
            for level in levels(view, case, deny, allow) {
                b.add_scp_level(account, level);
            }
        }
        let (deny, allow) = (&stock.deny_everyone, &stock.allow_everyone);
        let accounts: BTreeSet<&str> = keys.iter().map(|k| k.account.as_str()).collect();
        for account in accounts {
            let view = self
                .org
                .as_ref()
                .map_or(ChainView::None, |o| o.rcp_of(account));
            for level in levels(view, case, deny, allow) {
                b.add_rcp_level(account, level);
            }
        }
        (b, principal_ids, key_ids)
    }
}

/// The levels of a chain: each with its stand-in when some of its policies
/// are missing; an unknown chain is one level denying everything (worst)
/// or no level at all (best).
fn levels(
    view: ChainView<'_>,
    case: Case,
    deny: &PolicyDoc,
    allow: &PolicyDoc,
) -> Vec<Vec<PolicyDoc>> {
    match view {
        ChainView::None => Vec::new(),
        ChainView::Unknown(_) => match case {
            Case::Worst => vec![vec![deny.clone()]],
            Case::Best => Vec::new(),
        },
        ChainView::Known(chain) => chain
            .levels
            .iter()
            .map(|l| {
                let mut docs = l.docs.clone();
                if !l.gaps.is_empty() {
                    docs.push(match case {
                        Case::Worst => deny.clone(),
                        Case::Best => allow.clone(),
                    });
                }
                docs
            })
            .collect(),
    }
}
