//! The same world, handed to the fast engine (`keyward-eval`), so the
//! differential tests can ask both the same question and compare answers
//! in the reference's vocabulary.

use std::sync::Arc;

use keyward_eval as eval;
use keyward_policy::{model, Policy, Source};

use super::world::{
    Answer, Caller, Constraint, Decision, KeyOrigin, KeyState, KmsError, NewGrant, Request, Value,
    World,
};

/// A world compiled into the fast engine.
#[derive(Debug)]
pub struct Fast {
    auth: eval::Authorizer,
    keys: Vec<eval::KeyId>,
    principals: Vec<eval::PrincipalId>,
    grants: Vec<eval::GrantId>,
}

fn doc(name: &str, policy: &Policy) -> eval::PolicyDoc {
    // The engine keeps the text only to show snippets in explanations.
    let text = model::to_json_string(policy);
    eval::PolicyDoc::new(name, Source::new(name, text), policy.clone())
}

fn caller(c: &Caller) -> Result<eval::Caller, String> {
    let r = match c {
        Caller::Root { partition, account } => Ok(eval::Caller::root(partition, account)),
        Caller::User { arn, .. }
        | Caller::Role { arn, .. }
        | Caller::Session { arn, .. }
        | Caller::FederatedUser { arn, .. } => eval::Caller::from_arn(arn),
        Caller::Service { name } => eval::Caller::service(name),
    };
    r.map_err(|e| format!("caller {c:?}: {e:?}"))
}

fn constraints(c: &Constraint) -> eval::GrantConstraints {
    match c {
        Constraint::Equals(p) => eval::GrantConstraints::EncryptionContextEquals(p.clone()),
        Constraint::Subset(p) => eval::GrantConstraints::EncryptionContextSubset(p.clone()),
    }
}

fn state(s: KeyState) -> eval::KeyState {
    match s {
        KeyState::Enabled => eval::KeyState::Enabled,
        KeyState::Disabled => eval::KeyState::Disabled,
        KeyState::PendingDeletion => eval::KeyState::PendingDeletion,
        KeyState::PendingReplicaDeletion => eval::KeyState::PendingReplicaDeletion,
        KeyState::PendingImport => eval::KeyState::PendingImport,
        KeyState::Unavailable => eval::KeyState::Unavailable,
        KeyState::Creating => eval::KeyState::Creating,
        KeyState::Updating => eval::KeyState::Updating,
    }
}

fn origin(o: KeyOrigin) -> eval::KeyOrigin {
    match o {
        KeyOrigin::AwsKms => eval::KeyOrigin::AwsKms,
        KeyOrigin::External => eval::KeyOrigin::External,
        KeyOrigin::AwsCloudHsm => eval::KeyOrigin::AwsCloudHsm,
        KeyOrigin::ExternalKeyStore => eval::KeyOrigin::ExternalKeyStore,
    }
}

fn operations(names: &[String]) -> Result<eval::ActionSet, String> {
    eval::parse_grant_operations(names).map_err(|e| format!("grant operations {names:?}: {e:?}"))
}

impl Fast {
    /// Compile `world`. Fails when the engine refuses part of it (a key
    /// ARN, a grantee): the generators only build worlds both accept.
    pub fn build(world: &World) -> Result<Fast, String> {
        let mut b = eval::Authorizer::builder();
        b.clock(Arc::new(|| None));
        let mut keys = Vec::new();
        for k in &world.keys {
            let mut config =
                eval::KeyConfig::new(k.name.as_str(), k.arn.as_str(), doc(&k.name, &k.policy));
            config.state = state(k.state);
            config.origin = origin(k.origin);
            config.key_spec = k.key_spec.clone();
            config.key_usage = k.key_usage.clone();
            config.multi_region = k.multi_region;
            config.multi_region_key_type = k.multi_region_key_type.clone();
            config.aliases = k.aliases.clone();
            config.tags = k.tags.clone();
            if k.aws_managed {
                config.manager = eval::KeyManager::Aws;
            }
            keys.push(
                b.add_key(config)
                    .map_err(|e| format!("key {}: {e:?}", k.arn))?,
            );
        }
        let mut principals = Vec::new();
        for p in &world.principals {
            let mut config = eval::PrincipalConfig::new(p.name.as_str(), caller(&p.caller)?);
            config.policies = p
                .policies
                .iter()
                .enumerate()
                .map(|(i, policy)| doc(&format!("{}-iam-{i}", p.name), policy))
                .collect();
            config.permissions_boundary = p.boundary.as_ref().map(|b| doc("boundary", b));
            config.session_policy = p.session_policy.as_ref().map(|s| doc("session", s));
            config.tags = p.tags.clone();
            principals.push(b.add_principal(config));
        }
        let mut grants = Vec::new();
        for g in &world.grants {
            let key = *keys.get(g.key).ok_or("grant on an unknown key")?;
            let mut config =
                eval::GrantConfig::new(key, g.grantee.as_str(), operations(&g.operations)?);
            config.constraints = g.constraints.as_ref().map(constraints);
            config.retiring_principal = g.retiring_principal.clone();
            config.issuing_account = g.issuing_account.clone();
            grants.push(b.add_grant(config).map_err(|e| format!("grant: {e:?}"))?);
        }
        for (kind, chains) in [("scp", &world.scps), ("rcp", &world.rcps)] {
            for (account, levels) in chains.iter() {
                for (n, level) in levels.iter().enumerate() {
                    let docs = level
                        .iter()
                        .enumerate()
                        .map(|(i, p)| doc(&format!("{kind}-{account}-{n}-{i}"), p))
                        .collect();
                    if kind == "scp" {
                        b.add_scp_level(account, docs);
                    } else {
                        b.add_rcp_level(account, docs);
                    }
                }
            }
        }
        for (id, policy) in &world.endpoints {
            b.add_vpc_endpoint(id, doc(id, policy))
                .map_err(|e| format!("endpoint {id}: {e:?}"))?;
        }
        Ok(Fast {
            auth: b.build(),
            keys,
            principals,
            grants,
        })
    }

    /// The engine's request for `req`.
    pub fn request(&self, req: &Request) -> Result<eval::Request, String> {
        let principal = *self
            .principals
            .get(req.principal)
            .ok_or("unknown principal")?;
        let key = *self.keys.get(req.key).ok_or("unknown key")?;
        let action = eval::KmsAction::parse(&req.action)
            .ok_or_else(|| format!("unknown action {}", req.action))?;
        let mut r = eval::Request::new(principal, action, key).map_err(|e| format!("{e:?}"))?;
        if let Some(region) = &req.region {
            r = r.in_region(region);
        }
        for (k, v) in &req.encryption_context {
            r = r.with_encryption_context(k, v);
        }
        for (k, v) in &req.context {
            let value = match v {
                Value::One(s) => eval::ContextValue::One(s.as_str().into()),
                Value::Many(list) => {
                    eval::ContextValue::Many(list.iter().map(|s| s.as_str().into()).collect())
                }
            };
            r = r
                .with_context(k, value)
                .map_err(|e| format!("context {k}: {e:?}"))?;
        }
        r = r.at(eval::Instant::from_epoch_seconds(req.time));
        if let Some(alias) = &req.alias {
            r = r.via_alias(alias);
        }
        if let Some(g) = req.grant {
            r = r.retiring(*self.grants.get(g).ok_or("unknown grant")?);
        }
        if let Some(NewGrant {
            grantee,
            operations: ops,
            constraints: c,
            retiring_principal,
        }) = &req.new_grant
        {
            r = r.creating(eval::NewGrant {
                grantee: grantee.clone(),
                operations: operations(ops)?,
                constraints: c.as_ref().map(constraints),
                retiring_principal: retiring_principal.clone(),
            });
        }
        Ok(r)
    }

    /// Decide an engine request, answering in the reference's vocabulary.
    pub fn decide_request(&self, r: &eval::Request) -> Answer {
        let response = self.auth.decide(r);
        let decision = match response.decision() {
            eval::Decision::Allow => Decision::Allow,
            eval::Decision::ExplicitDeny => Decision::ExplicitDeny,
            eval::Decision::ImplicitDeny => Decision::ImplicitDeny,
        };
        let error = response.error().map(|e| match e.kind() {
            eval::KmsErrorKind::DisabledException => KmsError::Disabled,
            eval::KmsErrorKind::KmsInvalidStateException => KmsError::InvalidState,
            eval::KmsErrorKind::NotFoundException => KmsError::NotFound,
            eval::KmsErrorKind::InvalidKeyUsageException => KmsError::InvalidKeyUsage,
            _ => KmsError::UnsupportedOperation,
        });
        Answer { decision, error }
    }

    /// Decide `req` with the fast engine.
    pub fn decide(&self, req: &Request) -> Result<Answer, String> {
        Ok(self.decide_request(&self.request(req)?))
    }

    /// How the engine allowed `req` (`key-policy`, `grant`, …), if it did.
    pub fn allow_path(&self, req: &Request) -> Option<&'static str> {
        let r = self.request(req).ok()?;
        let response = self.auth.decide(&r);
        response.explanation().path().map(|p| p.as_str())
    }

    /// Check what the engine promises about any answer, whatever the
    /// policies: an unevaluable Deny means an explicit deny (fail closed);
    /// an explicit deny names its deciding statements; a denied request
    /// carries no KMS error, except `NotFoundException` when its key
    /// reference found no key (then always); the explanation can be
    /// rendered.
    pub fn check_response(&self, req: &Request) -> Result<(), String> {
        let r = self.request(req)?;
        let response = self.auth.decide(&r);
        let explanation = response.explanation();
        let decision = response.decision();
        let unevaluable_deny = explanation
            .unevaluable()
            .any(|s| s.effect() == keyward_policy::model::Effect::Deny);
        if unevaluable_deny && decision != eval::Decision::ExplicitDeny {
            return Err(format!(
                "a Deny could not be evaluated, yet the decision is {decision:?}"
            ));
        }
        if decision == eval::Decision::ExplicitDeny && explanation.deciding().next().is_none() {
            return Err("an explicit deny names no deciding statement".into());
        }
        // Only a key reference that found no key is a deny with an error.
        let not_found = r.not_found().is_some();
        if decision != eval::Decision::Allow && response.error().is_some() != not_found {
            return Err(format!(
                "a {decision:?} {} a KMS error",
                if not_found { "lacks" } else { "carries" }
            ));
        }
        if response.is_success()
            != (decision == eval::Decision::Allow && response.error().is_none())
        {
            return Err("is_success disagrees with the decision and error".into());
        }
        let reasons: Vec<String> = explanation
            .reasons()
            .iter()
            .map(ToString::to_string)
            .collect();
        if reasons.iter().any(String::is_empty) {
            return Err(format!("an empty reason among {reasons:?}"));
        }
        let _ = format!("{explanation:?}");
        for s in explanation.deciding().chain(explanation.unevaluable()) {
            let _ = (s.name(), s.pointer(), s.span(), s.policy_name());
        }
        Ok(())
    }

    /// The engine's own explanation of `req` (for failure reports).
    pub fn explain(&self, req: &Request) -> Vec<String> {
        match self.request(req) {
            Ok(r) => self
                .auth
                .decide(&r)
                .explanation()
                .reasons()
                .iter()
                .map(ToString::to_string)
                .collect(),
            Err(e) => vec![e],
        }
    }
}
