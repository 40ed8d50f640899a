//! `Principal` / `NotPrincipal` against a caller (rules 4–6, 9, 21–27), and
//! grantees (rule 15).
//!
//! A caller is seen in layers, as AWS evaluates it (rule 26): its account,
//! its role (for role sessions), and its own identity (user, session,
//! federated user, service).

use keyward_policy::model::{PrincipalKind, PrincipalSpec, Principals};

use super::world::{is_account, Caller};

/// One layer of a caller's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layer {
    /// The account principal.
    Account,
    /// The role a session belongs to.
    Role,
    /// The caller itself.
    Identity,
}

/// The layers a caller has.
pub(crate) fn layers(caller: &Caller) -> &'static [Layer] {
    match caller {
        Caller::Root { .. } => &[Layer::Account],
        Caller::User { .. } | Caller::FederatedUser { .. } => &[Layer::Account, Layer::Identity],
        Caller::Role { .. } => &[Layer::Account, Layer::Role],
        Caller::Session { .. } => &[Layer::Account, Layer::Role, Layer::Identity],
        Caller::Service { .. } => &[Layer::Identity],
    }
}

/// Which layer of `caller` an `AWS` principal value names, if any.
/// `Err(())` for a value that is not a principal at all.
pub(crate) fn aws_names(value: &str, caller: &Caller) -> Result<Option<Layer>, ()> {
    if value == "*" {
        return Err(()); // handled by the callers: every layer
    }
    if is_account(value) {
        return Ok((caller.account() == Some(value)).then_some(Layer::Account));
    }
    // Unique ids (AIDA…, AROA…) name a principal that no longer exists as
    // written (rule 25): they match no caller given by ARN.
    if (value.starts_with("AIDA") || value.starts_with("AROA")) && !value.contains(':') {
        return Ok(None);
    }
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, _, account, resource] = parts.as_slice() else {
        return Err(());
    };
    if *arn != "arn" {
        return Err(());
    }
    let same_account = caller.account() == Some(*account) && caller.partition() == Some(*partition);
    let last = |r: &str| r.rsplit('/').next().unwrap_or("").to_string();
    Ok(match (*service, *resource) {
        ("iam", "root") => same_account.then_some(Layer::Account),
        ("iam", r) if r.starts_with("user/") => match caller {
            Caller::User { arn, .. } if arn == value => Some(Layer::Identity),
            _ => None,
        },
        ("iam", r) if r.starts_with("role/") => {
            let name = last(r);
            match caller {
                Caller::Role { name: n, .. } if same_account && *n == name => Some(Layer::Role),
                Caller::Session { role, .. } if same_account && *role == name => Some(Layer::Role),
                _ => None,
            }
        }
        ("sts", r) if r.starts_with("assumed-role/") => match caller {
            Caller::Session { arn, .. } if arn == value => Some(Layer::Identity),
            _ => None,
        },
        ("sts", r) if r.starts_with("federated-user/") => match caller {
            Caller::FederatedUser { arn, .. } if arn == value => Some(Layer::Identity),
            _ => None,
        },
        _ => return Err(()),
    })
}

/// What a principal element lists of `caller`.
struct Listed {
    /// The layers named one by one.
    layers: Vec<Layer>,
    /// `*` / `{"AWS": "*"}`: everyone.
    everyone: bool,
    /// Some value could not be understood.
    unknown: bool,
}

fn listed(p: &Principals, caller: &Caller) -> Listed {
    let mut out = Vec::new();
    let mut everyone = false;
    let mut unknown = false;
    match &p.spec {
        PrincipalSpec::Wildcard => everyone = true,
        PrincipalSpec::Map(groups) => {
            for g in groups {
                for v in &g.values {
                    let value = v.node.as_str();
                    match g.kind.node {
                        PrincipalKind::Aws if value == "*" => everyone = true,
                        PrincipalKind::Aws => match aws_names(value, caller) {
                            Ok(Some(layer)) => out.push(layer),
                            Ok(None) => {}
                            Err(()) => unknown = true,
                        },
                        PrincipalKind::Service => {
                            if let Caller::Service { name } = caller {
                                if value == "*" || value.eq_ignore_ascii_case(name) {
                                    out.push(Layer::Identity);
                                }
                            }
                        }
                        // Web-identity providers and canonical users never call KMS.
                        PrincipalKind::Federated | PrincipalKind::CanonicalUser => {}
                    }
                }
            }
        }
    }
    Listed {
        layers: out,
        everyone,
        unknown,
    }
}

/// How a statement's principal element relates to the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fit {
    /// The statement addresses the caller itself (or everyone).
    pub(crate) direct: bool,
    /// ... by a name that is exactly the caller (user, session, federated
    /// user, service, or the root user through its account): rule 6.
    pub(crate) exact: bool,
    /// The statement names the caller's account principal: delegation (rule 4).
    pub(crate) account: bool,
    /// Some value could not be understood.
    pub(crate) unknown: bool,
}

/// Relate a `Principal` / `NotPrincipal` element to the caller. `deny`
/// matters for `NotPrincipal` only.
pub(crate) fn fit(p: &Principals, caller: &Caller, deny: bool) -> Fit {
    let Listed {
        layers: names,
        everyone,
        unknown,
    } = listed(p, caller);
    if p.negated {
        // Rule 26: a Deny exempts only a caller listed at every layer; an
        // Allow (discouraged) leaves out a caller listed at any layer.
        let all_listed = everyone || layers(caller).iter().all(|l| names.contains(l));
        let any_listed = everyone || !names.is_empty();
        return Fit {
            direct: if deny { !all_listed } else { !any_listed },
            exact: false,
            account: false,
            unknown,
        };
    }
    let root = matches!(caller, Caller::Root { .. });
    let mut f = Fit {
        unknown,
        ..Fit::default()
    };
    if everyone {
        f.direct = true;
    }
    for layer in names {
        match layer {
            Layer::Account if root => {
                f.direct = true;
                f.exact = true;
                f.account = true;
            }
            Layer::Account => f.account = true,
            Layer::Identity => {
                f.direct = true;
                f.exact = true;
            }
            Layer::Role => f.direct = true,
        }
    }
    f
}

/// How a grant's grantee (or retiring principal) relates to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GranteeFit {
    /// Not this caller.
    No,
    /// The caller itself, or its role.
    Yes,
    /// The caller's account: the caller needs an IAM allow (rule 15).
    Account,
}

/// Relate a grantee to the caller.
pub(crate) fn grantee_fit(grantee: &str, caller: &Caller) -> GranteeFit {
    if let Caller::Service { name } = caller {
        return if grantee.eq_ignore_ascii_case(name) {
            GranteeFit::Yes
        } else {
            GranteeFit::No
        };
    }
    match aws_names(grantee, caller) {
        Ok(Some(Layer::Account)) if matches!(caller, Caller::Root { .. }) => GranteeFit::Yes,
        Ok(Some(Layer::Account)) => GranteeFit::Account,
        Ok(Some(_)) => GranteeFit::Yes,
        _ => GranteeFit::No,
    }
}
