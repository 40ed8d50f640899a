//! What a condition may look at during one decision: the request, the
//! key, the principal and the clock (docs/evaluation.md, "The decision,
//! step by step", step 0: the request context).

use std::cell::Cell;

use crate::action::KmsAction;
use crate::caller::CallerKind;
use crate::clock::Clock;
use crate::context::{ContextValue, CtxKey, Found, Instant, Val};
use crate::request::Request;
use crate::world::{KeyEntry, PrincipalEntry};

/// Everything a condition may look at during one decision.
pub(crate) struct Env<'a> {
    pub(crate) req: &'a Request,
    pub(crate) key: &'a KeyEntry,
    pub(crate) principal: &'a PrincipalEntry,
    clock: &'a Clock,
    now: Cell<Option<Option<Instant>>>,
}

impl<'a> Env<'a> {
    pub(crate) fn new(
        req: &'a Request,
        key: &'a KeyEntry,
        principal: &'a PrincipalEntry,
        clock: &'a Clock,
    ) -> Env<'a> {
        Env {
            req,
            key,
            principal,
            clock,
            now: Cell::new(None),
        }
    }

    fn now(&self) -> Option<Instant> {
        if let Some(t) = self.req.time {
            return Some(t);
        }
        if let Some(cached) = self.now.get() {
            return cached;
        }
        let t = (self.clock)();
        self.now.set(Some(t));
        t
    }

    fn user(&self, key: &CtxKey) -> Option<Found<'a>> {
        let req: &'a Request = self.req;
        req.context_entries()
            .find(|(k, _)| k == key)
            .map(|(_, v)| match v {
                ContextValue::One(s) => Found::One(Val::Str(s)),
                ContextValue::Many(list) if list.is_empty() => Found::Missing,
                ContextValue::Many(list) => Found::Strs(list),
            })
    }

    /// What the request has for `key`.
    pub(crate) fn lookup(&self, key: &CtxKey) -> Found<'a> {
        let caller = &self.principal.caller;
        let service = caller.is_service();
        let req: &'a Request = self.req;
        let k: &'a KeyEntry = self.key;
        let p: &'a PrincipalEntry = self.principal;
        let opt = |v: Option<&'a str>| v.map_or(Found::Missing, |s| Found::One(Val::Str(s)));
        match key {
            CtxKey::PrincipalArn if !service => Found::One(Val::Str(p.caller.principal_arn())),
            CtxKey::PrincipalAccount | CtxKey::CallerAccount if !service => {
                Found::One(Val::Str(p.caller.account()))
            }
            CtxKey::PrincipalType => opt(p.caller.principal_type()),
            CtxKey::Username => opt(p.caller.user_name()),
            CtxKey::Userid => opt(p.caller.user_id()),
            CtxKey::PrincipalTag(t) => {
                opt(p.tags.iter().find(|(tk, _)| tk == t).map(|(_, v)| &**v))
            }
            CtxKey::PrincipalIsAwsService => Found::One(Val::Bool(service)),
            CtxKey::PrincipalServiceName => match p.caller.kind() {
                CallerKind::Service { name } => Found::One(Val::Str(name)),
                _ => Found::Missing,
            },
            CtxKey::PrincipalArn | CtxKey::PrincipalAccount | CtxKey::CallerAccount => {
                Found::Missing
            }
            CtxKey::RequestedRegion => {
                Found::One(Val::Str(req.region.as_deref().unwrap_or(&k.region)))
            }
            CtxKey::CurrentTime => match self.now() {
                Some(t) => Found::One(Val::Time(t)),
                None => Found::NoClock,
            },
            CtxKey::EpochTime => match self.now() {
                Some(t) => Found::One(Val::Epoch(t)),
                None => Found::NoClock,
            },
            CtxKey::EncryptionContext(name) => opt(req
                .encryption_context
                .iter()
                .find(|(ek, _)| crate::context::eq_ignore_case(ek, name))
                .map(|(_, v)| &**v)),
            CtxKey::EncryptionContextKeys if req.encryption_context.is_empty() => Found::Missing,
            CtxKey::EncryptionContextKeys => Found::EcKeys(&req.encryption_context),
            CtxKey::RequestAlias => opt(req.alias.as_deref()),
            // True when an integrated service calls CreateGrant, ListGrants or
            // RevokeGrant on the principal's behalf (KMS guide, "Controlling
            // access to grants"): the request came through `kms:ViaService`.
            // A value given by hand stands, like `aws:ViaAWSService`'s.
            CtxKey::GrantIsForAwsResource => self.user(key).unwrap_or(match req.action {
                KmsAction::CreateGrant | KmsAction::ListGrants | KmsAction::RevokeGrant => {
                    Found::One(Val::Bool(req.via_service))
                }
                _ => Found::Missing,
            }),
            CtxKey::ResourceTag(t) => opt(k.tags.iter().find(|(tk, _)| tk == t).map(|(_, v)| &**v)),
            CtxKey::ResourceAliases if k.aliases.is_empty() => Found::Missing,
            CtxKey::ResourceAliases => Found::Strs(&k.aliases),
            CtxKey::KeySpec => Found::One(Val::Str(k.key_spec.as_str())),
            CtxKey::KeyUsage => Found::One(Val::Str(k.key_usage.as_str())),
            CtxKey::KeyOrigin => Found::One(Val::Str(k.origin.as_str())),
            CtxKey::MultiRegion => Found::One(Val::Bool(k.multi_region)),
            CtxKey::MultiRegionKeyType => opt(k.multi_region_key_type.as_deref()),
            CtxKey::SecureTransport => self.user(key).unwrap_or(Found::One(Val::Bool(true))),
            CtxKey::ViaAwsService => self
                .user(key)
                .unwrap_or(Found::One(Val::Bool(req.via_service))),
            CtxKey::Other(_) => self.user(key).unwrap_or(Found::Missing),
        }
    }
}
