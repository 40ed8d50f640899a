//! Which key a request names: a key ARN, an alias (ARN or bare name) or a
//! key id, resolved as KMS resolves it (rules 8, 30, 32).
//!
//! An ARN carries its own Region and account. A bare alias name or key id
//! is looked up in the caller's account and the Region the request is sent
//! to, so a caller from another account never reaches a key through an
//! alias name: KMS answers `NotFoundException`, and the caller must use the
//! key ARN (rule 8).

use std::sync::Arc;

use crate::action::KmsAction;
use crate::authorizer::Authorizer;
use crate::err::EvalError;
use crate::reference::{Elsewhere, NotFound, Resolution};
use crate::request::Request;
use crate::world::{index_u32, KeyEntry, KeyId, PrincipalId};

/// What a reference names, apart from where.
#[derive(Clone, Copy, Debug)]
enum Target<'r> {
    /// `alias/NAME`.
    Alias(&'r str),
    /// A key id (`1234abcd-…`, `mrk-…`).
    KeyId(&'r str),
}

/// Where a reference is looked up; `None` parts match anything.
#[derive(Clone, Copy, Debug, Default)]
struct Scope<'s> {
    partition: Option<&'s str>,
    account: Option<&'s str>,
    region: Option<&'s str>,
}

impl Scope<'_> {
    fn holds(&self, k: &KeyEntry) -> bool {
        self.partition.is_none_or(|p| *k.partition == *p)
            && self.account.is_none_or(|a| *k.account == *a)
            && self.region.is_none_or(|r| *k.region == *r)
    }
}

impl Target<'_> {
    fn on(self, k: &KeyEntry) -> bool {
        match self {
            Target::Alias(a) => k.aliases.iter().any(|x| **x == *a),
            Target::KeyId(id) => *k.key_id == *id,
        }
    }
}

/// `arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME` or `…:key/ID`.
fn split_arn(reference: &str) -> Option<(Target<'_>, Scope<'_>)> {
    let mut it = reference.splitn(6, ':');
    let (_, partition, service, region, account, resource) = (
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    );
    if partition.is_empty()
        || service != "kms"
        || region.is_empty()
        || !crate::caller::is_account_id(account)
    {
        return None;
    }
    let target = if let Some(name) = resource.strip_prefix("alias/") {
        (!name.is_empty()).then_some(Target::Alias(resource))?
    } else {
        let id = resource.strip_prefix("key/")?;
        (!id.is_empty()).then_some(Target::KeyId(id))?
    };
    let scope = Scope {
        partition: Some(partition),
        account: Some(account),
        region: Some(region),
    };
    Some((target, scope))
}

/// A bare alias name or key id: `None` for text that is neither.
fn bare(reference: &str) -> Option<Target<'_>> {
    if let Some(name) = reference.strip_prefix("alias/") {
        return (!name.is_empty() && !name.contains(['*', '?']))
            .then_some(Target::Alias(reference));
    }
    let key_id = !reference.is_empty()
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    key_id.then_some(Target::KeyId(reference))
}

/// What `reference` names and where to look: an ARN carries its own
/// Region and account; a bare name is looked up within `scope`.
fn target<'r, 's>(
    reference: &'r str,
    scope: &Scope<'s>,
) -> Result<(Target<'r>, Scope<'s>), EvalError>
where
    'r: 's,
{
    if reference.starts_with("arn:") {
        return split_arn(reference).ok_or_else(|| {
            EvalError::new(
                "eval::key-reference",
                format!("`{reference}` is not a KMS key ARN or alias ARN"),
            )
            .with_help("write `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID` or `arn:aws:kms:REGION:ACCOUNT:alias/NAME`")
        });
    }
    match bare(reference) {
        Some(found) => Ok((found, *scope)),
        None => Err(unknown(reference)),
    }
}

fn unknown(reference: &str) -> EvalError {
    EvalError::new("eval::unknown-key", format!("no key `{reference}`")).with_help(
        "name a key by its name, its key ARN, an alias (`alias/NAME` or its ARN) or its key id",
    )
}

impl Authorizer {
    /// The key named `name`: its scenario name, its key ARN, an alias ARN
    /// (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`, looked up in that Region
    /// and account), or an alias name or key id that exactly one key has.
    ///
    /// This ignores who asks. To name the key of a request, use
    /// [`Authorizer::resolve`] or [`Authorizer::request`]: a bare alias or
    /// key id resolves in the caller's account and the request's Region.
    pub fn key(&self, name: &str) -> Option<KeyId> {
        self.find_key(name, &Scope::default()).ok().flatten()
    }

    /// The key a request names by `reference`, asked by `caller` in
    /// `region` (the Region the request is sent to, if known).
    ///
    /// - a scenario name or key ARN names that key (a key ARN in another
    ///   Region than the request's still names it; the allowed call then
    ///   ends in `NotFoundException`, rule 32);
    /// - an alias ARN is looked up in its own Region and account (rule 30);
    /// - a bare alias name (`alias/NAME`) or key id is looked up in the
    ///   caller's account and the request's Region: a caller from another
    ///   account must use the key ARN (rule 8). A service principal has no
    ///   account, so every account is searched.
    ///
    /// An alias or key id that exists, but not there, resolves to
    /// [`Resolution::NotFound`]. A reference that names nothing in this
    /// authorizer, a malformed ARN, or a bare name that several keys fit
    /// (no Region given) is an error.
    ///
    /// ```
    /// # use keyward_eval::{Authorizer, Caller, KeyConfig, PolicyDoc, PrincipalConfig, Resolution};
    /// # use keyward_policy::{parse_policy, Source};
    /// # let kp = |n: &str| { let t = r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}"#;
    /// #     PolicyDoc::new(n, Source::new(n, t), parse_policy(t).unwrap()) };
    /// let mut b = Authorizer::builder();
    /// let mut us = KeyConfig::new("us", "arn:aws:kms:us-east-1:111122223333:key/u", kp("us"));
    /// us.aliases.push("alias/app".into());
    /// let mut eu = KeyConfig::new("eu", "arn:aws:kms:eu-west-1:111122223333:key/e", kp("eu"));
    /// eu.aliases.push("alias/app".into());
    /// let (us, eu) = (b.add_key(us).unwrap(), b.add_key(eu).unwrap());
    /// let me = b.add_principal(PrincipalConfig::new("me",
    ///     Caller::from_arn("arn:aws:iam::111122223333:user/me").unwrap()));
    /// let other = b.add_principal(PrincipalConfig::new("other",
    ///     Caller::from_arn("arn:aws:iam::444455556666:user/other").unwrap()));
    /// let auth = b.build();
    ///
    /// // An alias ARN names the key of its own Region.
    /// let arn = "arn:aws:kms:eu-west-1:111122223333:alias/app";
    /// assert_eq!(auth.resolve(arn, None, me).unwrap(), Resolution::Key { key: eu, alias: Some("alias/app") });
    /// // A bare alias resolves in the request's Region…
    /// assert_eq!(auth.resolve("alias/app", Some("us-east-1"), me).unwrap(), Resolution::Key { key: us, alias: Some("alias/app") });
    /// // …and in the caller's account: another account finds nothing (rule 8).
    /// assert!(matches!(auth.resolve("alias/app", Some("us-east-1"), other), Ok(Resolution::NotFound(_))));
    /// // Without a Region, `alias/app` could be either key.
    /// assert!(auth.resolve("alias/app", None, me).is_err());
    /// ```
    pub fn resolve<'r>(
        &self,
        reference: &'r str,
        region: Option<&str>,
        caller: PrincipalId,
    ) -> Result<Resolution<'r>, EvalError> {
        let Some(principal) = self.principals.get(caller.0 as usize) else {
            return Err(EvalError::new(
                "eval::unknown-principal",
                "the caller is not a principal of this authorizer",
            ));
        };
        let service = principal.caller.is_service();
        let scope = Scope {
            partition: (!service).then(|| principal.caller.partition()),
            account: (!service).then(|| principal.caller.account()),
            region,
        };
        match self.find_key(reference, &scope)? {
            Some(key) => {
                let named = self
                    .keys
                    .get(key.0 as usize)
                    .is_some_and(|k| *k.arn == *reference || *k.name == *reference);
                let alias = match target(reference, &scope) {
                    Ok((Target::Alias(a), _)) if !named => Some(a),
                    _ => None,
                };
                Ok(Resolution::Key { key, alias })
            }
            None => Ok(Resolution::NotFound(self.not_found(reference, &scope)?)),
        }
    }

    /// A request of `principal` for `action` on the key named by
    /// `reference`, sent to `region` (default: the key's Region): the
    /// reference is resolved with [`Authorizer::resolve`], and an alias
    /// used becomes `kms:RequestAlias`. A reference that finds no key gives
    /// a request whose answer is `NotFoundException`.
    ///
    /// ```
    /// # use keyward_eval::{Authorizer, Caller, Decision, KeyConfig, KmsAction, KmsErrorKind, PolicyDoc, PrincipalConfig};
    /// # use keyward_policy::{parse_policy, Source};
    /// let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]},
    ///   "Action": "kms:*", "Resource": "*"}]}"#;
    /// let mut key = KeyConfig::new("prod", "arn:aws:kms:us-east-1:111122223333:key/p",
    ///     PolicyDoc::new("prod", Source::new("kp.json", text), parse_policy(text).unwrap()));
    /// key.aliases.push("alias/prod".into());
    /// let mut b = Authorizer::builder();
    /// b.add_key(key).unwrap();
    /// let backup = b.add_principal(PrincipalConfig::new("backup",
    ///     Caller::from_arn("arn:aws:iam::444455556666:root").unwrap()));
    /// let auth = b.build();
    ///
    /// // By key ARN, the other account is allowed (rule 8)…
    /// let req = auth.request(backup, KmsAction::Decrypt, "arn:aws:kms:us-east-1:111122223333:key/p", None).unwrap();
    /// assert!(auth.decide(&req).is_success());
    /// // …but a bare alias is looked up in the caller's own account: not found.
    /// let req = auth.request(backup, KmsAction::Decrypt, "alias/prod", Some("us-east-1")).unwrap();
    /// let answer = auth.decide(&req);
    /// assert_eq!(answer.decision(), Decision::ImplicitDeny);
    /// assert_eq!(answer.error().map(|e| e.kind()), Some(KmsErrorKind::NotFoundException));
    /// ```
    pub fn request(
        &self,
        principal: PrincipalId,
        action: KmsAction,
        reference: &str,
        region: Option<&str>,
    ) -> Result<Request, EvalError> {
        let resolution = self.resolve(reference, region, principal)?;
        let request = Request::resolved_from(principal, action, reference, resolution)?;
        Ok(match region {
            Some(r) => request.in_region(r),
            None => request,
        })
    }

    /// The key `reference` names within `scope` (for bare names): `None`
    /// when its alias or key id exists but not there.
    fn find_key(&self, reference: &str, scope: &Scope<'_>) -> Result<Option<KeyId>, EvalError> {
        let id = |i: usize| KeyId(index_u32(i));
        if let Some(i) = self
            .keys
            .iter()
            .position(|k| *k.name == *reference || *k.arn == *reference)
        {
            return Ok(Some(id(i)));
        }
        let (target, scope) = target(reference, scope)?;
        if !self.keys.iter().any(|k| target.on(k)) {
            return Err(unknown(reference));
        }
        let mut fits = self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| target.on(k) && scope.holds(k));
        let Some((first, k)) = fits.next() else {
            return Ok(None);
        };
        let others: Vec<&KeyEntry> = fits.map(|(_, k)| k).collect();
        if others.is_empty() {
            return Ok(Some(id(first)));
        }
        let mut places: Vec<String> = std::iter::once(k)
            .chain(others)
            .map(|k| format!("{} in account {} ({})", k.region, k.account, k.name))
            .collect();
        places.dedup();
        Err(EvalError::new(
            "eval::ambiguous-key",
            format!(
                "`{reference}` could name several keys: {}",
                places.join(", ")
            ),
        )
        .with_help("give the Region the request is sent to, or name the key by its key ARN"))
    }

    /// Describe a reference that exists, but not within `scope`.
    fn not_found(&self, reference: &str, scope: &Scope<'_>) -> Result<NotFound, EvalError> {
        let (target, scope) = target(reference, scope)?;
        let same_account = self
            .keys
            .iter()
            .any(|k| target.on(k) && scope.account.is_none_or(|a| *k.account == *a));
        let (alias, name) = match target {
            Target::Alias(a) => (true, a),
            Target::KeyId(id) => (false, id),
        };
        let looked_up: Arc<str> = if reference.starts_with("arn:") {
            reference.into()
        } else {
            match (scope.partition, scope.account, scope.region) {
                (Some(p), Some(a), Some(r)) if alias => {
                    format!("arn:{p}:kms:{r}:{a}:{name}").into()
                }
                (Some(p), Some(a), Some(r)) => format!("arn:{p}:kms:{r}:{a}:key/{name}").into(),
                _ => reference.into(),
            }
        };
        Ok(NotFound {
            reference: reference.into(),
            looked_up,
            name: name.into(),
            alias,
            account: scope.account.map(Into::into),
            region: scope.region.map(Into::into),
            elsewhere: if same_account {
                Elsewhere::OtherRegion
            } else {
                Elsewhere::OtherAccount
            },
        })
    }
}
