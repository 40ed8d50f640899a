//! One request: who, what, on which key, and the facts around it.
//!
//! A request is built once (parsing its context keys) and can be decided
//! many times without allocating.

use std::sync::Arc;

use crate::action::{ActionSet, KmsAction};
use crate::context::{multi_valued, ContextValue, CtxKey, Filled, Instant};
use crate::err::EvalError;
use crate::grant::GrantConstraints;
use crate::reference::{NotFound, Resolution};
use crate::world::{GrantId, KeyId, PrincipalId};

/// The grant a `CreateGrant` request asks for. It fills
/// `kms:GrantOperations`, `kms:GranteePrincipal`, `kms:RetiringPrincipal`
/// and `kms:GrantConstraintType`, and lets a parent grant's limits be
/// checked (rule 18).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGrant {
    /// The grantee principal (ARN or service name).
    pub grantee: String,
    /// The operations asked for.
    pub operations: ActionSet,
    /// The constraints asked for.
    pub constraints: Option<GrantConstraints>,
    /// The retiring principal, if any.
    pub retiring_principal: Option<String>,
}

/// A KMS request to decide: who calls which action on which key, and the
/// facts around it (encryption context, request context, Region, time).
///
/// ```
/// # use keyward_eval::{Authorizer, Caller, KeyConfig, PolicyDoc, PrincipalConfig};
/// # use keyward_policy::{parse_policy, Source};
/// use keyward_eval::{Decision, KmsAction, KmsErrorKind, Request};
/// // Bob may decrypt through S3, for the HR department's objects only.
/// # let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "BobViaS3", "Effect": "Allow",
/// #   "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
/// #   "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:Department": "HR"}}}]}"#;
/// # let mut b = Authorizer::builder();
/// # let key = b.add_key(KeyConfig::new("K", "arn:aws:kms:us-east-1:111122223333:key/k",
/// #     PolicyDoc::new("K", Source::new("kp.json", text), parse_policy(text).unwrap()))).unwrap();
/// # let bob = b.add_principal(PrincipalConfig::new("Bob", Caller::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap()));
/// # let auth = b.build();
/// let through_s3 = Request::new(bob, KmsAction::Decrypt, key)?
///     .with_context("kms:ViaService", "s3.us-east-1.amazonaws.com")?
///     .with_encryption_context("Department", "HR");
/// assert!(auth.decide(&through_s3).is_success());
///
/// let other_department = through_s3.clone().with_encryption_context("Department", "Finance");
/// assert_eq!(auth.decide(&other_department).decision(), Decision::ImplicitDeny);
///
/// // Sent to another Region, the allowed call does not find the key (rule 32).
/// let elsewhere = through_s3.in_region("eu-west-1");
/// let answer = auth.decide(&elsewhere);
/// assert_eq!(answer.decision(), Decision::Allow);
/// assert_eq!(answer.error().map(|e| e.kind()), Some(KmsErrorKind::NotFoundException));
///
/// // Keys keyward derives from the principal cannot be set by hand.
/// assert!(Request::new(bob, KmsAction::Decrypt, key)?.with_context("aws:PrincipalArn", "x").is_err());
/// # Ok::<(), keyward_eval::EvalError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Request {
    pub(crate) principal: PrincipalId,
    pub(crate) target: KeyTarget,
    pub(crate) action: KmsAction,
    pub(crate) region: Option<Box<str>>,
    pub(crate) encryption_context: Vec<(Box<str>, Box<str>)>,
    pub(crate) context: Vec<(CtxKey, ContextValue)>,
    /// Context shared by the copies of a request ([`Request::share_context`]),
    /// read after `context`, which overrides it.
    pub(crate) shared_context: Option<Arc<[(CtxKey, ContextValue)]>>,
    pub(crate) time: Option<Instant>,
    pub(crate) alias: Option<Box<str>>,
    pub(crate) grant: Option<GrantId>,
    pub(crate) new_grant: Option<NewGrant>,
    pub(crate) via_service: bool,
    /// `aws:SourceVpce`: the VPC endpoint the request came through.
    pub(crate) source_vpce: Option<Box<str>>,
}

/// Refuses actions that do not act on a key (`kms:CreateKey`, …).
fn without_key(action: KmsAction) -> Result<(), EvalError> {
    if action.targets_key() {
        return Ok(());
    }
    Err(EvalError::new(
        "eval::action-without-key",
        format!("`{action}` does not act on a key, so no key policy decides it"),
    )
    .with_help("ask about an action that takes a KeyId, such as `kms:Decrypt`"))
}

/// What the request's key reference found.
#[derive(Clone, Debug)]
pub(crate) enum KeyTarget {
    /// A key of the authorizer.
    Key(KeyId),
    /// No key where KMS looks: the answer is `NotFoundException`.
    NotFound(Box<NotFound>),
}

impl Request {
    /// `principal` calls `action` on `key`.
    ///
    /// Fails for actions that do not act on a key (`kms:CreateKey`,
    /// `kms:ListKeys`, …): no key policy governs them.
    pub fn new(
        principal: PrincipalId,
        action: KmsAction,
        key: KeyId,
    ) -> Result<Request, EvalError> {
        Request::targeting(principal, action, KeyTarget::Key(key))
    }

    /// The same request for `action`: everything else kept, the context
    /// shared rather than copied when [`Request::share_context`] shared it.
    /// Fails like [`Request::new`] for an action that does not act on a
    /// key, and for a request naming its key by an alias (which operations
    /// take one differs: build that request again).
    pub fn for_action(&self, action: KmsAction) -> Result<Request, EvalError> {
        without_key(action)?;
        if self.alias.is_some() {
            return Err(EvalError::new(
                "eval::action-change-alias",
                "a request that names its key by an alias cannot change its action",
            ));
        }
        let mut other = self.clone();
        other.action = action;
        Ok(other)
    }

    fn targeting(
        principal: PrincipalId,
        action: KmsAction,
        target: KeyTarget,
    ) -> Result<Request, EvalError> {
        without_key(action)?;
        Ok(Request {
            principal,
            target,
            action,
            region: None,
            encryption_context: Vec::new(),
            context: Vec::new(),
            shared_context: None,
            time: None,
            alias: None,
            grant: None,
            new_grant: None,
            via_service: false,
            source_vpce: None,
        })
    }

    /// `principal` calls `action` on the key a [`Resolution`] found: an
    /// alias it went through becomes `kms:RequestAlias`; a reference that
    /// found no key makes a request that every authorizer answers with
    /// `NotFoundException` (and an implicit deny: no policy is read).
    ///
    /// Fails, like [`Request::new`], for actions that do not act on a key.
    pub fn resolved(
        principal: PrincipalId,
        action: KmsAction,
        resolution: Resolution<'_>,
    ) -> Result<Request, EvalError> {
        match resolution {
            Resolution::Key { key, alias } => {
                let request = Request::new(principal, action, key)?;
                Ok(match alias {
                    Some(a) => request.via_alias(a),
                    None => request,
                })
            }
            // KMS reads an alias only where the operation takes one.
            Resolution::NotFound(not_found) if not_found.is_alias() && !action.accepts_alias() => {
                let not_accepted =
                    NotFound::alias_not_accepted(not_found.reference(), not_found.name(), action);
                Request::targeting(
                    principal,
                    action,
                    KeyTarget::NotFound(Box::new(not_accepted)),
                )
            }
            Resolution::NotFound(not_found) => {
                Request::targeting(principal, action, KeyTarget::NotFound(Box::new(not_found)))
            }
        }
    }

    /// As [`Request::resolved`], for the key reference `reference` the
    /// resolution came from: when the operation takes no alias, the answer's
    /// `Invalid keyId` message quotes the reference as written (an alias
    /// ARN), not only its alias name.
    pub fn resolved_from(
        principal: PrincipalId,
        action: KmsAction,
        reference: &str,
        resolution: Resolution<'_>,
    ) -> Result<Request, EvalError> {
        match resolution {
            Resolution::Key {
                alias: Some(alias), ..
            } if !action.accepts_alias() => {
                let not_accepted = NotFound::alias_not_accepted(reference, alias, action);
                let request = Request::targeting(
                    principal,
                    action,
                    KeyTarget::NotFound(Box::new(not_accepted)),
                )?;
                Ok(Request {
                    alias: Some(alias.into()),
                    ..request
                })
            }
            other => Request::resolved(principal, action, other),
        }
    }

    /// The Region the request is sent to (default: the key's Region).
    #[must_use]
    pub fn in_region(mut self, region: &str) -> Request {
        self.region = Some(region.into());
        self
    }

    /// Add an encryption-context pair (fills `kms:EncryptionContext:*` and
    /// `kms:EncryptionContextKeys`). A later pair with the same key replaces
    /// the earlier one.
    #[must_use]
    pub fn with_encryption_context(mut self, key: &str, value: &str) -> Request {
        self.encryption_context.retain(|(k, _)| &**k != key);
        self.encryption_context.push((key.into(), value.into()));
        self
    }

    /// Add a value to the request context. Keys keyward fills from the
    /// principal, key or request (`aws:PrincipalArn`, `kms:CallerAccount`,
    /// `kms:EncryptionContext:*`, …) are refused; those it only defaults
    /// (`aws:SecureTransport`, `aws:ViaAWSService`,
    /// `kms:GrantIsForAWSResource`) take the value given; `aws:CurrentTime` and `aws:EpochTime` set the request's
    /// time. Several values for a key the catalog lists as single-valued
    /// (`aws:SourceVpce`, `kms:ViaService`, …) are refused: no request has
    /// them, and a Deny testing one of them must not be slipped past.
    pub fn with_context(
        mut self,
        key: &str,
        value: impl Into<ContextValue>,
    ) -> Result<Request, EvalError> {
        let value = value.into();
        let ctx_key = CtxKey::parse(key);
        if matches!(ctx_key, CtxKey::CurrentTime | CtxKey::EpochTime) {
            let text = value.as_slice().first().map(|s| &**s).unwrap_or("");
            let time = Instant::parse(text).ok_or_else(|| {
                EvalError::new("eval::context-time", format!("`{text}` is not a date"))
                    .with_help("write ISO 8601 (`2025-01-31T12:00:00Z`) or epoch seconds")
            })?;
            self.time = Some(time);
            return Ok(self);
        }
        if ctx_key == CtxKey::RequestAlias {
            let text = value.as_slice().first().map(|s| &**s).unwrap_or("");
            return Ok(self.via_alias(text));
        }
        if ctx_key.filled() == Filled::Derived {
            let help = match ctx_key {
                CtxKey::EncryptionContext(_) | CtxKey::EncryptionContextKeys => {
                    "give the request's encryption context instead (`encryptionContext` / `--encryption-context`)"
                }
                _ => "keyward fills it from the principal, the key and the request",
            };
            return Err(EvalError::new(
                "eval::context-derived",
                format!("the context key `{key}` cannot be set by hand"),
            )
            .with_help(help));
        }
        if let ContextValue::Many(list) = &value {
            if list.len() > 1 && multi_valued(key) == Some(false) {
                return Err(EvalError::new(
                    "eval::context-single-valued",
                    format!(
                        "`{key}` is a single-valued condition key: a request has at most one value for it, not {}",
                        list.len()
                    ),
                )
                .with_help("give one value; a request with two (two endpoints, two accounts) is two requests"));
            }
        }
        if let CtxKey::Other(name) = &ctx_key {
            match &**name {
                "kms:viaservice" => self.via_service = true,
                "aws:sourcevpce" => self.source_vpce = value.as_slice().first().cloned(),
                _ => {}
            }
        }
        self.context.retain(|(k, _)| *k != ctx_key);
        self.context.push((ctx_key, value));
        Ok(self)
    }

    /// The request's time (`aws:CurrentTime`), overriding the clock.
    #[must_use]
    pub fn at(mut self, time: Instant) -> Request {
        self.time = Some(time);
        self
    }

    /// The request names the key by this alias (`kms:RequestAlias`). For
    /// an operation that takes no alias ([`KmsAction::accepts_alias`]) the
    /// request then finds no key: KMS answers `NotFoundException`
    /// (`Invalid keyId alias/NAME`) before any policy is read.
    #[must_use]
    pub fn via_alias(mut self, alias: &str) -> Request {
        if !self.action.accepts_alias() {
            let not_accepted = NotFound::alias_not_accepted(alias, alias, self.action);
            self.target = KeyTarget::NotFound(Box::new(not_accepted));
        }
        self.alias = Some(alias.into());
        self
    }

    /// For `RetireGrant`: the grant being retired. Without it, the request
    /// asks whether the caller may retire some grant of the key.
    #[must_use]
    pub fn retiring(mut self, grant: GrantId) -> Request {
        self.grant = Some(grant);
        self
    }

    /// For `CreateGrant`: the grant asked for.
    #[must_use]
    pub fn creating(mut self, grant: NewGrant) -> Request {
        let mut fill = |name: &str, value: ContextValue| {
            let key = CtxKey::parse(name);
            if !self.context_entries().any(|(k, _)| *k == key) {
                self.context.push((key, value));
            }
        };
        fill(
            "kms:GrantOperations",
            ContextValue::Many(grant.operations.iter().map(|a| a.name().into()).collect()),
        );
        fill(
            "kms:GranteePrincipal",
            ContextValue::One(grant.grantee.as_str().into()),
        );
        if let Some(r) = &grant.retiring_principal {
            fill(
                "kms:RetiringPrincipal",
                ContextValue::One(r.as_str().into()),
            );
        }
        if let Some(c) = &grant.constraints {
            fill(
                "kms:GrantConstraintType",
                ContextValue::One(c.type_name().into()),
            );
        }
        self.new_grant = Some(grant);
        self
    }

    /// Move the context given so far where copies of this request share
    /// it: cloning the request then copies none of it. Context added later
    /// overrides it. What the request decides is unchanged.
    #[must_use]
    pub fn share_context(mut self) -> Request {
        let mut entries: Vec<(CtxKey, ContextValue)> = std::mem::take(&mut self.context);
        if let Some(shared) = &self.shared_context {
            for entry in shared.iter() {
                if !entries.iter().any(|(k, _)| *k == entry.0) {
                    entries.push(entry.clone());
                }
            }
        }
        self.shared_context = (!entries.is_empty()).then(|| entries.into());
        self
    }

    /// The user-given context: the request's own entries, then the shared
    /// ones it does not override.
    pub(crate) fn context_entries(&self) -> impl Iterator<Item = &(CtxKey, ContextValue)> {
        self.context
            .iter()
            .chain(self.shared_context.iter().flat_map(|s| s.iter()))
    }

    /// The principal.
    pub fn principal(&self) -> PrincipalId {
        self.principal
    }

    /// The key, or `None` when the key reference found no key (see
    /// [`Request::not_found`]).
    pub fn key(&self) -> Option<KeyId> {
        match &self.target {
            KeyTarget::Key(key) => Some(*key),
            KeyTarget::NotFound(_) => None,
        }
    }

    /// The key reference that found no key, if that is what this request
    /// names.
    pub fn not_found(&self) -> Option<&NotFound> {
        match &self.target {
            KeyTarget::Key(_) => None,
            KeyTarget::NotFound(not_found) => Some(not_found),
        }
    }

    /// The action.
    pub fn action(&self) -> KmsAction {
        self.action
    }

    /// The Region asked for, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The encryption context.
    pub fn encryption_context(&self) -> impl Iterator<Item = (&str, &str)> {
        self.encryption_context.iter().map(|(k, v)| (&**k, &**v))
    }
}
