//! The compiled form of everything that bears on KMS decisions: keys with
//! their policies and grants, principals with their identity policies,
//! boundaries and session policies, and organization policies.
//!
//! Build once with [`AuthorizerBuilder`], then [`Authorizer::decide`] as
//! often as needed.

use std::sync::Arc;

use crate::caller::Caller;
use crate::clock::{system_clock, Clock};
use crate::compile::{compile_policy, CStmt, PolicyDoc};
use crate::config::{GrantConfig, KeyConfig, PrincipalConfig};
use crate::err::EvalError;
use crate::grant::CGrant;
use crate::principal_match::Named;
use crate::world::{
    index_u32, CPolicy, GrantId, GrantSite, KeyEntry, KeyId, Level, OrgChain, PolicyMeta,
    PrincipalEntry, PrincipalId, SourceKind,
};

/// Collects keys, principals, grants and organization policies, then
/// compiles them into an [`Authorizer`] (see there for keys, principals and
/// grants).
///
/// Organization policies are added level by level: every level must allow.
/// Here the account's SCP keeps KMS to the Regions the company uses:
///
/// ```
/// use keyward_eval::{Authorizer, Caller, Decision, KeyConfig, KmsAction, PolicyDoc, PrincipalConfig, Request};
/// use keyward_policy::{parse_policy, Source};
///
/// let doc = |name: &str, text: &str| PolicyDoc::new(name, Source::new(name, text), parse_policy(text).unwrap());
/// let everything = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
/// let mut b = Authorizer::builder();
/// let key = b.add_key(KeyConfig::new("k", "arn:aws:kms:ap-east-1:111122223333:key/k", doc("k",
///     r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}]}"#))).unwrap();
/// let root = b.add_principal(PrincipalConfig::new("root", Caller::from_arn("arn:aws:iam::111122223333:root").unwrap()));
/// b.add_scp_level("111122223333", vec![doc("FullAWSAccess", everything)]);
/// b.add_scp_level("111122223333", vec![doc("approved-regions", r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
///     "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}]}"#)]);
/// let auth = b.build();
///
/// let req = Request::new(root, KmsAction::Decrypt, key).unwrap();
/// let answer = auth.decide(&req);
/// assert_eq!(answer.decision(), Decision::ImplicitDeny);
/// let why = answer.explanation().reasons();
/// assert_eq!(why[0].to_string(), "no SCP at level 1 of account 111122223333 allows the action: \
///     statement `#0` of SCP `approved-regions` covers it, but its condition `aws:RequestedRegion` does not hold");
/// ```
#[derive(Default)]
pub struct AuthorizerBuilder {
    keys: Vec<(KeyConfig, KeyParts)>,
    principals: Vec<PrincipalConfig>,
    grants: Vec<GrantConfig>,
    scps: Vec<(String, Vec<Vec<PolicyDoc>>)>,
    rcps: Vec<(String, Vec<Vec<PolicyDoc>>)>,
    clock: Option<Clock>,
}

impl std::fmt::Debug for AuthorizerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizerBuilder")
            .field("keys", &self.keys.len())
            .field("principals", &self.principals.len())
            .field("grants", &self.grants.len())
            .finish_non_exhaustive()
    }
}

/// The parts of a key ARN.
struct KeyArn<'a> {
    partition: &'a str,
    region: &'a str,
    account: &'a str,
    key_id: &'a str,
}

/// Split `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`.
fn split_key_arn(arn: &str) -> Option<KeyArn<'_>> {
    let mut it = arn.splitn(6, ':');
    let (a, partition, service, region, account, resource) = (
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    );
    let key_id = resource.strip_prefix("key/")?;
    let ok = a == "arn"
        && !partition.is_empty()
        && service == "kms"
        && !region.is_empty()
        && crate::caller::is_account_id(account)
        && !key_id.is_empty()
        && !arn.contains(['*', '?']);
    ok.then_some(KeyArn {
        partition,
        region,
        account,
        key_id,
    })
}

/// The parts of a key ARN `add_key` accepted.
#[derive(Clone, Debug)]
struct KeyParts {
    partition: Box<str>,
    region: Box<str>,
    account: Box<str>,
    key_id: Box<str>,
}

fn lower_tags(tags: &[(String, String)]) -> Vec<(Box<str>, Box<str>)> {
    tags.iter()
        .map(|(k, v)| (k.to_ascii_lowercase().into(), v.as_str().into()))
        .collect()
}

impl AuthorizerBuilder {
    /// An empty builder.
    pub fn new() -> AuthorizerBuilder {
        AuthorizerBuilder::default()
    }

    /// Add a key. Fails when its ARN is not a key ARN, or when one of its
    /// aliases already names a key of the same account and Region (an alias
    /// name is unique per account and Region, rule 30).
    pub fn add_key(&mut self, key: KeyConfig) -> Result<KeyId, EvalError> {
        let Some(parts) = split_key_arn(&key.arn) else {
            return Err(EvalError::new(
                "eval::key-arn",
                format!("`{}` is not a KMS key ARN", key.arn),
            )
            .with_help("write `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`"));
        };
        let parts = KeyParts {
            partition: parts.partition.into(),
            region: parts.region.into(),
            account: parts.account.into(),
            key_id: parts.key_id.into(),
        };
        for alias in &key.aliases {
            let taken = self.keys.iter().find(|(other, o)| {
                other.aliases.contains(alias)
                    && o.partition == parts.partition
                    && o.region == parts.region
                    && o.account == parts.account
            });
            if let Some((other, _)) = taken {
                return Err(EvalError::new(
                    "eval::alias-taken",
                    format!(
                        "`{alias}` already names key `{}` in account {} in {}",
                        other.name, parts.account, parts.region
                    ),
                )
                .with_help(
                    "an alias names one key per account and Region; give this key another alias",
                ));
            }
        }
        let id = KeyId(index_u32(self.keys.len()));
        self.keys.push((key, parts));
        Ok(id)
    }

    /// Add a principal.
    pub fn add_principal(&mut self, principal: PrincipalConfig) -> PrincipalId {
        let id = PrincipalId(index_u32(self.principals.len()));
        self.principals.push(principal);
        id
    }

    /// Add a grant. Fails when its key is unknown or its grantee is not a
    /// principal a grant can name (rule 15).
    pub fn add_grant(&mut self, grant: GrantConfig) -> Result<GrantId, EvalError> {
        if grant.key.0 as usize >= self.keys.len() {
            return Err(EvalError::new(
                "eval::grant-key",
                "the grant's key is not known",
            ));
        }
        if matches!(
            Named::grantee(&grant.grantee),
            Named::Invalid | Named::Everyone
        ) {
            return Err(EvalError::new(
                "eval::grantee",
                format!("`{}` cannot be a grantee", grant.grantee),
            )
            .with_help("a grantee is one IAM user, role, role session, federated user, account, or an AWS service principal (rule 15)"));
        }
        if let Some(r) = &grant.retiring_principal {
            if matches!(Named::grantee(r), Named::Invalid | Named::Everyone) {
                return Err(EvalError::new(
                    "eval::retiring-principal",
                    format!("`{r}` cannot be a retiring principal"),
                )
                .with_help("name one IAM principal, account or AWS service principal"));
            }
        }
        let id = GrantId(index_u32(self.grants.len()));
        self.grants.push(grant);
        Ok(id)
    }

    /// Add one level of SCPs for `account` (the caller's side): every level
    /// must allow; within a level, one policy allowing is enough.
    pub fn add_scp_level(&mut self, account: &str, level: Vec<PolicyDoc>) {
        push_level(&mut self.scps, account, level);
    }

    /// Add one level of RCPs for `account` (the key's side).
    pub fn add_rcp_level(&mut self, account: &str, level: Vec<PolicyDoc>) {
        push_level(&mut self.rcps, account, level);
    }

    /// The clock for `aws:CurrentTime` when a request has no time of its own
    /// (default: [`system_clock`]).
    pub fn clock(&mut self, clock: Clock) {
        self.clock = Some(clock);
    }

    /// Compile everything.
    pub fn build(self) -> Authorizer {
        let mut store = Store {
            key_arns: self
                .keys
                .iter()
                .map(|(k, _)| k.arn.as_str().into())
                .collect(),
            stmts: Vec::new(),
        };
        let scps = chains(&mut store, &self.scps, SourceKind::Scp);
        let rcps = chains(&mut store, &self.rcps, SourceKind::Rcp);
        let mut keys: Vec<KeyEntry> = Vec::with_capacity(self.keys.len());
        for (k, parts) in &self.keys {
            let policy = store.add(SourceKind::KeyPolicy, &k.policy);
            keys.push(KeyEntry {
                name: k.name.as_str().into(),
                arn: k.arn.as_str().into(),
                partition: parts.partition.clone(),
                region: parts.region.clone(),
                account: parts.account.clone(),
                key_id: parts.key_id.clone(),
                state: k.state,
                origin: k.origin,
                key_spec: k.key_spec.as_str().into(),
                key_usage: k.key_usage.as_str().into(),
                multi_region: k
                    .multi_region
                    .unwrap_or_else(|| parts.key_id.starts_with("mrk-")),
                multi_region_key_type: k.multi_region_key_type.as_deref().map(Into::into),
                aliases: k.aliases.iter().map(|a| a.as_str().into()).collect(),
                tags: lower_tags(&k.tags),
                policy,
                grants: Vec::new(),
                rcp: rcps
                    .iter()
                    .position(|r| *r.account == *parts.account)
                    .map(index_u32),
            });
        }
        let principals = self
            .principals
            .iter()
            .map(|p| principal_entry(&mut store, &scps, p))
            .collect();
        let mut grants = Vec::with_capacity(self.grants.len());
        for (i, g) in self.grants.iter().enumerate() {
            // `add_grant` refused grants of unknown keys.
            let key = &mut keys[g.key.0 as usize];
            key.grants.push(index_u32(i));
            grants.push(CGrant {
                grantee: Named::grantee(&g.grantee),
                retiring: g.retiring_principal.as_deref().map(Named::grantee),
                operations: g.operations,
                constraints: g.constraints.clone(),
                name: g.name.as_deref().map(Into::into),
                id: g.id.as_deref().map(Into::into),
                grantee_text: g.grantee.as_str().into(),
                issuing_account: g
                    .issuing_account
                    .as_deref()
                    .map_or_else(|| key.account.clone(), Into::into),
                site: g
                    .written_at
                    .clone()
                    .map(|(source, span)| GrantSite { source, span }),
            });
        }
        Authorizer {
            store,
            keys,
            principals,
            grants,
            scps,
            rcps,
            clock: self.clock.unwrap_or_else(|| Arc::new(system_clock)),
        }
    }
}

fn push_level(list: &mut Vec<(String, Vec<Vec<PolicyDoc>>)>, account: &str, level: Vec<PolicyDoc>) {
    match list.iter_mut().find(|(a, _)| a == account) {
        Some((_, levels)) => levels.push(level),
        None => list.push((account.to_string(), vec![level])),
    }
}

/// Compile organization chains, level by level.
fn chains(
    store: &mut Store,
    list: &[(String, Vec<Vec<PolicyDoc>>)],
    kind: SourceKind,
) -> Vec<OrgChain> {
    list.iter()
        .map(|(account, levels)| OrgChain {
            account: account.as_str().into(),
            levels: levels
                .iter()
                .map(|docs| {
                    let s0 = store.stmts.len();
                    let policies = docs.iter().map(|d| store.add(kind, d).meta).collect();
                    Level {
                        policies,
                        stmts: index_u32(s0)..index_u32(store.stmts.len()),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Compile a principal's policies and find its SCP chain.
fn principal_entry(store: &mut Store, scps: &[OrgChain], p: &PrincipalConfig) -> PrincipalEntry {
    let s0 = store.stmts.len();
    let identity_policies = p
        .policies
        .iter()
        .map(|d| store.add(SourceKind::Identity, d).meta)
        .collect();
    let identity = index_u32(s0)..index_u32(store.stmts.len());
    let boundary = p
        .permissions_boundary
        .as_ref()
        .map(|d| store.add(SourceKind::PermissionsBoundary, d));
    let session = p
        .session_policy
        .as_ref()
        .map(|d| store.add(SourceKind::SessionPolicy, d));
    let account = p.caller.account();
    PrincipalEntry {
        name: p.name.as_str().into(),
        caller: p.caller.clone(),
        tags: lower_tags(&p.tags),
        identity_policies,
        identity,
        boundary,
        session,
        scp: if p.caller.is_service() {
            None
        } else {
            scps.iter()
                .position(|s| *s.account == *account)
                .map(index_u32)
        },
    }
}

/// Every compiled statement, and the key ARNs static resources were
/// matched against (by key index).
#[derive(Clone, Debug)]
pub(crate) struct Store {
    key_arns: Vec<Box<str>>,
    pub(crate) stmts: Vec<CStmt>,
}

impl Store {
    fn add(&mut self, kind: SourceKind, doc: &PolicyDoc) -> CPolicy {
        let meta = Arc::new(PolicyMeta {
            kind,
            name: doc.name.as_str().into(),
            source: doc.source.clone(),
            statement_array: doc.policy.statement_array,
        });
        let s0 = self.stmts.len();
        self.stmts
            .extend(compile_policy(&doc.policy, &meta, &self.key_arns));
        CPolicy {
            meta,
            stmts: index_u32(s0)..index_u32(self.stmts.len()),
        }
    }
}

/// Keys, principals, grants and organization policies, compiled for fast
/// decisions. See [`Authorizer::decide`].
///
/// A key with the console's default statement (the account delegates
/// `kms:*` to IAM), a developer whose IAM policy allows `kms:Encrypt`, and a
/// worker role that may only decrypt through a grant:
///
/// ```
/// use keyward_eval::{parse_grant_operations, AllowPath, Authorizer, Caller, Decision, GrantConfig,
///     KeyConfig, KmsAction, PolicyDoc, PrincipalConfig, Request};
/// use keyward_policy::{parse_policy, Source};
///
/// let doc = |name: &str, text: &str| PolicyDoc::new(name, Source::new(name, text), parse_policy(text).unwrap());
/// let mut b = Authorizer::builder();
/// let key = b.add_key(KeyConfig::new("app-key", "arn:aws:kms:us-east-1:111122223333:key/app",
///     doc("app-key", r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM policies", "Effect": "Allow",
///       "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#))).unwrap();
/// let mut dev = PrincipalConfig::new("dev", Caller::from_arn("arn:aws:iam::111122223333:user/dev").unwrap());
/// dev.policies.push(doc("dev-kms", r#"{"Version": "2012-10-17", "Statement": [
///     {"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]}"#));
/// let dev = b.add_principal(dev);
/// let worker = b.add_principal(PrincipalConfig::new("worker",
///     Caller::from_arn("arn:aws:sts::111122223333:assumed-role/Worker/job-7").unwrap()));
/// // A grant to the role covers its sessions (rule 22).
/// b.add_grant(GrantConfig::new(key, "arn:aws:iam::111122223333:role/Worker",
///     parse_grant_operations(&["Decrypt"]).unwrap())).unwrap();
/// let auth = b.build();
///
/// let encrypt = Request::new(dev, KmsAction::Encrypt, key).unwrap();
/// let answer = auth.decide(&encrypt);
/// assert_eq!(answer.explanation().path(), Some(AllowPath::KeyPolicyAndIam));
/// assert_eq!(answer.explanation().delegation().and_then(|s| s.sid()), Some("Enable IAM policies"));
///
/// let decrypt = Request::new(worker, KmsAction::Decrypt, key).unwrap();
/// assert_eq!(auth.decide(&decrypt).explanation().path(), Some(AllowPath::Grant));
/// let encrypt = Request::new(worker, KmsAction::Encrypt, key).unwrap();
/// assert_eq!(auth.decide(&encrypt).decision(), Decision::ImplicitDeny);
/// ```
pub struct Authorizer {
    pub(crate) store: Store,
    pub(crate) keys: Vec<KeyEntry>,
    pub(crate) principals: Vec<PrincipalEntry>,
    pub(crate) grants: Vec<CGrant>,
    pub(crate) scps: Vec<OrgChain>,
    pub(crate) rcps: Vec<OrgChain>,
    pub(crate) clock: Clock,
}

impl std::fmt::Debug for Authorizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorizer")
            .field("keys", &self.keys.len())
            .field("principals", &self.principals.len())
            .field("grants", &self.grants.len())
            .field("statements", &self.store.stmts.len())
            .finish_non_exhaustive()
    }
}

impl Authorizer {
    /// A builder.
    pub fn builder() -> AuthorizerBuilder {
        AuthorizerBuilder::new()
    }

    /// Add a principal to a built authorizer: one that is not part of the
    /// world it was built from, such as an outsider asked about by ARN.
    /// Its policies are compiled against the authorizer's keys, and its
    /// account's SCPs apply to it.
    ///
    /// ```
    /// # use keyward_eval::{Authorizer, Caller, Decision, KeyConfig, KmsAction, PolicyDoc, PrincipalConfig, Request};
    /// # use keyward_policy::{parse_policy, Source};
    /// # let text = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}]}"#;
    /// # let mut b = Authorizer::builder();
    /// # let key = b.add_key(KeyConfig::new("K", "arn:aws:kms:us-east-1:111122223333:key/k",
    /// #     PolicyDoc::new("K", Source::new("kp.json", text), parse_policy(text).unwrap()))).unwrap();
    /// let mut auth = b.build();
    /// let outsider = auth.add_principal(PrincipalConfig::new("mallory",
    ///     Caller::from_arn("arn:aws:iam::999988887777:user/mallory").unwrap()));
    /// let req = Request::new(outsider, KmsAction::Decrypt, key).unwrap();
    /// assert_eq!(auth.decide(&req).decision(), Decision::ImplicitDeny);
    /// ```
    pub fn add_principal(&mut self, principal: PrincipalConfig) -> PrincipalId {
        let entry = principal_entry(&mut self.store, &self.scps, &principal);
        self.principals.push(entry);
        PrincipalId(index_u32(self.principals.len() - 1))
    }

    /// The compiled statements.
    pub(crate) fn stmts(&self) -> &[CStmt] {
        &self.store.stmts
    }

    /// The principal named `name`: its scenario name or its ARN.
    pub fn principal(&self, name: &str) -> Option<PrincipalId> {
        self.principals
            .iter()
            .position(|p| *p.name == *name || p.caller.arn() == name)
            .map(|i| PrincipalId(index_u32(i)))
    }

    /// Every key, in the order added.
    pub fn keys(&self) -> impl Iterator<Item = KeyId> + '_ {
        (0..self.keys.len()).map(|i| KeyId(index_u32(i)))
    }

    /// Every principal, in the order added.
    pub fn principals(&self) -> impl Iterator<Item = PrincipalId> + '_ {
        (0..self.principals.len()).map(|i| PrincipalId(index_u32(i)))
    }

    /// Every grant of `key`, in the order added.
    pub fn grants_of(&self, key: KeyId) -> impl Iterator<Item = GrantId> + '_ {
        self.keys
            .get(key.0 as usize)
            .map(|k| k.grants.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(|g| GrantId(*g))
    }

    /// The grant named or with id `name`.
    pub fn grant(&self, name: &str) -> Option<GrantId> {
        self.grants
            .iter()
            .position(|g| g.name.as_deref() == Some(name) || g.id.as_deref() == Some(name))
            .map(|i| GrantId(index_u32(i)))
    }

    /// A key's name.
    pub fn key_name(&self, key: KeyId) -> &str {
        self.keys
            .get(key.0 as usize)
            .map(|k| &*k.name)
            .unwrap_or("")
    }

    /// A key's ARN.
    pub fn key_arn(&self, key: KeyId) -> &str {
        self.keys.get(key.0 as usize).map(|k| &*k.arn).unwrap_or("")
    }

    /// A principal's name.
    pub fn principal_name(&self, principal: PrincipalId) -> &str {
        self.principals
            .get(principal.0 as usize)
            .map(|p| &*p.name)
            .unwrap_or("")
    }

    /// A principal's caller identity.
    pub fn caller(&self, principal: PrincipalId) -> Option<&Caller> {
        self.principals.get(principal.0 as usize).map(|p| &p.caller)
    }
}
