//! `no-public-access`: can a principal outside the zone of trust be allowed?

use std::ops::ControlFlow;

use keyward_eval::PolicyDoc;

use super::{decide, finish_witness, CheckOptions, Collector, Outcome};
use crate::dims::Facet;
use crate::explain::allowed;
use crate::principals::RepKind;
use crate::space::Space;
use crate::witness::Witness;
use crate::world::{build, Kind};

/// The zone of trust of [`no_public_access`].
#[derive(Clone, Debug, Default)]
pub struct Trust {
    /// Accounts inside the zone (besides the key's own).
    pub accounts: Vec<String>,
    /// An organization inside the zone: callers whose `aws:PrincipalOrgID` is it.
    pub org: Option<String>,
    /// Report only callers of accounts no statement names (anyone), as
    /// Access Analyzer's "public" does; named outside accounts pass.
    pub public_only: bool,
}

/// Can a principal outside the zone of trust (the key's account, the
/// trusted accounts and organization) be allowed by the key policy?
/// Service principals are AWS itself and inside the zone.
pub fn no_public_access(policy: &PolicyDoc, trust: &Trust, options: &CheckOptions) -> Outcome {
    const CHECK: &str = "no-public-access";
    let kind = Kind::KeyPolicy;
    let mut space_options = options.space.clone();
    space_options
        .accounts
        .extend(trust.accounts.iter().cloned());
    if let Some(org) = &trust.org {
        space_options
            .split
            .push(("aws:PrincipalOrgID".into(), org.clone()));
    }
    let space = match Space::new(&[policy], kind, &space_options) {
        Ok(s) => s,
        Err(u) => return Outcome::unknown(CHECK, kind, &u),
    };
    let built = match build(
        kind,
        policy,
        &space.keys,
        &space.principals,
        &space.accounts,
    ) {
        Ok(b) => b,
        Err(u) => return Outcome::unknown(CHECK, kind, &u),
    };
    let outsider = |p: &crate::principals::PrincipalRep, k: &crate::keys::KeyRep| {
        let Some(a) = p.account else { return false };
        if p.kind == RepKind::Service || a == k.account {
            return false;
        }
        let account = &space.accounts[a];
        let trusted = trust.accounts.contains(&account.id);
        let named_and_tolerated = trust.public_only && account.named;
        !(trusted || named_and_tolerated)
    };
    let trusted_org = |facet: &Facet| match (facet, &trust.org) {
        (
            Facet::Context {
                key,
                value: Some(v),
            },
            Some(org),
        ) => {
            key.eq_ignore_ascii_case("aws:PrincipalOrgID")
                && matches!(v, keyward_eval::ContextValue::One(s) if s.as_ref() == org.as_str())
        }
        _ => false,
    };
    let mut c = Collector::new(options.max_witnesses);
    let walk = space.for_each(
        |p, _, k, _| outsider(p, k),
        |choice| !trusted_org(&choice.facet),
        |class| {
            c.classes += 1;
            let facets = class.facets();
            let mut slot = None;
            let r = match decide(&built, class, &facets, &mut slot) {
                Ok(r) => r,
                Err(u) => return c.fail(u),
            };
            if !allowed(&r) {
                return ControlFlow::Continue(());
            }
            let mut w = Witness::of(&space, class);
            let named = space.principals[class.principal]
                .account
                .is_some_and(|a| space.accounts[a].named);
            w.scope = Some(if named { "external" } else { "public" });
            finish_witness(&mut c, w, &r, &policy.name)
        },
    );
    c.finish(CHECK, kind, walk, None)
}
