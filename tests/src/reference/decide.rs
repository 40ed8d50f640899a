//! The decision, in the order of the spec's section K: an alias where the
//! operation takes none finds no key; explicit denies everywhere;
//! organization and endpoint filters (RCPs, SCPs, the VPC endpoint's
//! policy); the three allow paths (key policy directly, key policy
//! delegating to IAM, grants); then Region, key state and key type.

use keyward_policy::model::{Effect, Statement};
use keyward_policy::Policy;

use super::condition::{self, arn_matches, resolve, Truth};
use super::context::Ctx;
use super::key_state::state_error_with;
use super::key_type::key_type_error;
use super::principal::{fit, grantee_fit, Fit, GranteeFit};
use super::wildcard;
use super::world::{Answer, Caller, Constraint, Decision, KmsError, Quirks, Request, Value, World};

/// True when `action` (`kms:Decrypt`) takes its key by alias.
pub(crate) fn takes_alias(action: &str) -> bool {
    let name = action.strip_prefix("kms:").unwrap_or(action);
    ALIAS_OPERATIONS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(name))
}

/// The operations whose `KeyId` takes an alias.
const ALIAS_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "DeriveSharedSecret",
    "DescribeKey",
    "GetPublicKey",
    "DeleteAlias",
];

/// Does one `Action`/`NotAction` element cover the action? Action names are
/// case-insensitive (rule 49); `NotAction` covers everything else (rule 50).
fn action_covered(s: &Statement, action: &str) -> bool {
    let action = action.to_lowercase();
    let hit = s
        .action
        .node
        .items
        .iter()
        .any(|p| wildcard::like(&p.node.as_str().to_lowercase(), &action));
    hit != s.action.node.negated
}

/// Does the `Resource`/`NotResource` element cover the key (rule 51)? A
/// statement without one has no effect.
fn resource_covered(s: &Statement, variables: bool, ctx: &Ctx<'_>) -> Truth {
    let Some(r) = &s.resource else {
        return Truth::False;
    };
    let hit =
        Truth::any(
            r.node
                .items
                .iter()
                .map(|t| match resolve(&t.node, variables, true, ctx) {
                    Err(()) => Truth::Unknown,
                    Ok(None) => Truth::False,
                    Ok(Some(pieces)) => match arn_matches(&pieces, &ctx.key.arn) {
                        Some(b) => Truth::of(b),
                        None => Truth::Unknown,
                    },
                }),
        );
    if r.node.negated {
        match hit {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    } else {
        hit
    }
}

/// Does a statement apply to the request, and how does its principal
/// element relate to the caller?
fn applies(s: &Statement, policy: &Policy, ctx: &Ctx<'_>) -> (Truth, Fit) {
    if !action_covered(s, &ctx.req.action) {
        return (Truth::False, Fit::default());
    }
    let variables = policy.variables_enabled();
    let (principal, f) = match &s.principal {
        // Identity-side policies name no principal: they are the caller's.
        None => (
            Truth::True,
            Fit {
                direct: true,
                ..Fit::default()
            },
        ),
        Some(p) => {
            let f = fit(
                &p.node,
                &ctx.principal.caller,
                s.effect.node == Effect::Deny,
            );
            let t = if f.direct || f.account {
                Truth::True
            } else if f.unknown {
                Truth::Unknown
            } else {
                Truth::False
            };
            (t, f)
        }
    };
    let mut parts = vec![principal, resource_covered(s, variables, ctx)];
    if let Some(c) = &s.condition {
        parts.extend(
            c.node
                .entries
                .iter()
                .map(|e| condition::evaluate(e, variables, ctx)),
        );
    }
    (Truth::all(parts), f)
}

/// Some Allow statement of `policy` applies for sure.
fn allows(policy: &Policy, ctx: &Ctx<'_>) -> bool {
    policy
        .statements
        .iter()
        .any(|s| s.effect.node == Effect::Allow && applies(s, policy, ctx).0 == Truth::True)
}

/// Some Deny statement of `policy` applies, or might (fail closed).
fn denies(policy: &Policy, ctx: &Ctx<'_>) -> bool {
    policy
        .statements
        .iter()
        .any(|s| s.effect.node == Effect::Deny && applies(s, policy, ctx).0 != Truth::False)
}

/// Does the request's encryption context satisfy a grant constraint (rule
/// 17)? Keys and values are case-sensitive.
fn admits(c: &Constraint, ec: &[(String, String)]) -> bool {
    let has = |pair: &(String, String)| ec.contains(pair);
    match c {
        Constraint::Equals(pairs) => {
            pairs.iter().all(has) && ec.iter().all(|pair| pairs.contains(pair))
        }
        Constraint::Subset(pairs) => pairs.iter().all(has),
    }
}

/// Is a child grant's constraint equally or more strict (rule 18)?
fn stricter_or_equal(parent: &Constraint, child: Option<&Constraint>) -> bool {
    let Some(child) = child else {
        return false;
    };
    match (parent, child) {
        (Constraint::Subset(mine), Constraint::Subset(theirs) | Constraint::Equals(theirs)) => {
            mine.iter().all(|p| theirs.contains(p))
        }
        (Constraint::Equals(mine), Constraint::Equals(theirs)) => {
            mine.iter().all(|p| theirs.contains(p)) && theirs.iter().all(|p| mine.contains(p))
        }
        (Constraint::Equals(_), Constraint::Subset(_)) => false,
    }
}

/// Decide `req` in `world`, as the spec says.
pub fn decide(world: &World, req: &Request) -> Answer {
    decide_with(world, req, Quirks::NONE)
}

/// Decide `req` in `world`, reproducing the engine deviations in `quirks`.
pub fn decide_with(world: &World, req: &Request, quirks: Quirks) -> Answer {
    let no = |decision| Answer {
        decision,
        error: None,
    };
    let (Some(key), Some(principal)) =
        (world.keys.get(req.key), world.principals.get(req.principal))
    else {
        return no(Decision::ImplicitDeny);
    };
    let ctx = Ctx {
        req,
        key,
        principal,
        quirks,
    };
    let caller = &principal.caller;
    let service = matches!(caller, Caller::Service { .. });
    let root = matches!(caller, Caller::Root { .. });
    let (key_region, key_account) = key.region_and_account();
    let action = req.action.strip_prefix("kms:").unwrap_or(&req.action);

    // 0. Only cryptographic operations, DescribeKey and GetPublicKey take an
    // alias (KMS guide, "Using aliases"; DeleteAlias names its alias): any
    // other operation named by an alias finds no key, before any policy.
    if req.alias.is_some() && !takes_alias(action) {
        return Answer {
            decision: Decision::ImplicitDeny,
            error: Some(KmsError::NotFound),
        };
    }

    // SCPs bind the caller's account (not services, not service-linked
    // roles: "SCPs don't affect service-linked roles", Organizations User
    // Guide); RCPs the key's account.
    let service_linked = matches!(caller, Caller::Role { arn, .. }
        if arn.split_once(":role/").is_some_and(|(_, path)| path.starts_with("aws-service-role/")));
    let scp_levels: &[Vec<Policy>] = match caller.account() {
        Some(_) if service_linked => &[],
        Some(account) => world
            .scps
            .iter()
            .find(|(a, _)| a == account)
            .map(|(_, levels)| levels.as_slice())
            .unwrap_or(&[]),
        None => &[],
    };
    // RCPs do not apply to AWS managed keys, and kms:RetireGrant is not
    // effective in an RCP (KMS guide, "Resource control policies in AWS KMS").
    let rcp_levels: &[Vec<Policy>] =
        if key.aws_managed || action.eq_ignore_ascii_case("RetireGrant") {
            &[]
        } else {
            world
                .rcps
                .iter()
                .find(|(a, _)| a == key_account)
                .map(|(_, levels)| levels.as_slice())
                .unwrap_or(&[])
        };
    // The policy of the VPC endpoint the request came through; an endpoint
    // the world does not list has the default policy (everything allowed).
    let endpoint: Option<&Policy> = req
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("aws:SourceVpce"))
        .and_then(|(_, v)| match v {
            Value::One(id) => Some(id.as_str()),
            Value::Many(list) => list.first().map(String::as_str),
        })
        .and_then(|id| world.endpoints.iter().find(|(e, _)| e == id))
        .map(|(_, p)| p);

    // 1. An explicit deny in any policy wins, over grants too (rules 11, 13).
    let mut every_policy: Vec<&Policy> = vec![&key.policy];
    if !service {
        every_policy.extend(principal.policies.iter());
    }
    every_policy.extend(principal.boundary.iter());
    every_policy.extend(principal.session_policy.iter());
    every_policy.extend(scp_levels.iter().flatten());
    every_policy.extend(rcp_levels.iter().flatten());
    every_policy.extend(endpoint);
    if every_policy.iter().any(|p| denies(p, &ctx)) {
        return no(Decision::ExplicitDeny);
    }

    // 2. Every level of the RCP and SCP chains must allow (K steps 2–3).
    let level_allows = |level: &Vec<Policy>| level.iter().any(|p| allows(p, &ctx));
    let org_ok = rcp_levels.iter().all(level_allows)
        && scp_levels.iter().all(level_allows)
        && endpoint.is_none_or(|p| allows(p, &ctx));

    // 3. The key policy: who it addresses directly, and delegation (rules 4–9).
    let mut direct_exact = false;
    let mut direct_other = false;
    let mut delegated = false;
    for s in &key.policy.statements {
        if s.effect.node != Effect::Allow {
            continue;
        }
        let (t, f) = applies(s, &key.policy, &ctx);
        if t != Truth::True {
            continue;
        }
        direct_exact |= f.direct && f.exact;
        direct_other |= f.direct && !f.exact;
        delegated |= f.account;
    }

    // 4. The caller's side: identity policies (the root user has every
    // identity permission, rule 5), permissions boundary, session policy
    // (a federated user without one is implicitly denied, K step 7).
    let identity_allows = root || (!service && principal.policies.iter().any(|p| allows(p, &ctx)));
    let boundary_ok = principal.boundary.as_ref().is_none_or(|p| allows(p, &ctx));
    let session_ok = match &principal.session_policy {
        None => !matches!(caller, Caller::FederatedUser { .. }),
        Some(p) => allows(p, &ctx),
    };
    let gate = boundary_ok && session_ok;
    let same_account = service || caller.account() == Some(key_account);

    // 5. The allow paths.
    let retire = action.eq_ignore_ascii_case("RetireGrant");
    // Same account: a user, session or the root user named exactly needs
    // nothing more (rule 6); a role, `*` or NotPrincipal is bounded by the
    // boundary and session policy. Cross-account: the caller's own IAM
    // must allow too (rule 8). Services act for themselves (rule 24).
    let direct_ok = |exact: bool| {
        service
            || if same_account {
                exact || gate
            } else {
                identity_allows && gate
            }
    };
    // `kms:RetireGrant` is not effective in a key policy (rule 19).
    let by_key_policy = !retire
        && ((direct_exact && direct_ok(true))
            || (direct_other && direct_ok(false))
            || (delegated && identity_allows && gate));

    let grants_of_key = || {
        world
            .grants
            .iter()
            .enumerate()
            .filter(|(_, g)| g.key == req.key)
            .filter(|(i, _)| !retire || req.grant.is_none_or(|wanted| wanted == *i))
    };
    let by_grant = grants_of_key().any(|(_, g)| {
        if !g
            .operations
            .iter()
            .any(|op| op.eq_ignore_ascii_case(action))
        {
            return false;
        }
        let who = match grantee_fit(&g.grantee, caller) {
            GranteeFit::Yes => true,
            GranteeFit::Account => identity_allows,
            GranteeFit::No => false,
        };
        // Constraints are ignored for DescribeKey and RetireGrant; for
        // CreateGrant they bind the child grant instead (rules 17, 18).
        let constrained_op = !["DescribeKey", "RetireGrant", "CreateGrant"]
            .iter()
            .any(|op| op.eq_ignore_ascii_case(action));
        let context_ok = match &g.constraints {
            Some(c) if constrained_op => admits(c, &req.encryption_context),
            _ => true,
        };
        let child_ok = !action.eq_ignore_ascii_case("CreateGrant")
            || req.new_grant.as_ref().is_some_and(|child| {
                child
                    .operations
                    .iter()
                    .all(|op| g.operations.iter().any(|mine| mine == op))
                    && g.constraints
                        .as_ref()
                        .is_none_or(|c| stricter_or_equal(c, child.constraints.as_ref()))
            });
        who && context_ok && child_ok && gate
    });

    // RetireGrant by the retiring principal, or by the account that issued
    // the grant through its IAM policies (rule 19).
    let by_retiring = retire
        && gate
        && grants_of_key().any(|(_, g)| {
            let retiring = match g
                .retiring_principal
                .as_deref()
                .map(|r| grantee_fit(r, caller))
            {
                Some(GranteeFit::Yes) => true,
                Some(GranteeFit::Account) => identity_allows,
                _ => false,
            };
            let issuer = g.issuing_account.as_deref().unwrap_or(key_account);
            retiring || (!service && caller.account() == Some(issuer) && identity_allows)
        });

    if !(org_ok && (by_key_policy || by_grant || by_retiring)) {
        return no(Decision::ImplicitDeny);
    }

    // 6. Region, then key state, then key type: they turn an Allow into an
    // error (rules 29, 32; the key type table).
    let error = match &req.region {
        Some(region) if region != key_region => Some(KmsError::NotFound),
        _ => state_error_with(action, key.state, key.origin, quirks)
            .or_else(|| key_type_error(action, &key.key_spec, &key.key_usage, key.origin)),
    };
    Answer {
        decision: Decision::Allow,
        error,
    }
}
