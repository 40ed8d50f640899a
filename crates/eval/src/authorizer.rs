//! The compiled form of everything that bears on KMS decisions: keys with
//! their policies and grants, principals with their identity policies,
//! boundaries and session policies, and organization policies.
//!
//! Build once with [`AuthorizerBuilder`], then [`Authorizer::decide`] as
//! often as needed.

use std::ops::Range;
use std::sync::Arc;

use keyward_policy::Source;

use crate::action::ActionSet;
use crate::caller::Caller;
use crate::compile::{compile_policy, CStmt, PolicyDoc};
use crate::context::Instant;
use crate::err::EvalError;
use crate::grant::{CGrant, GrantConstraints};
use crate::key_state::{KeyOrigin, KeyState};
use crate::principal_match::Named;

/// A key in an [`Authorizer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub(crate) u32);

/// A principal in an [`Authorizer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrincipalId(pub(crate) u32);

/// A grant in an [`Authorizer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GrantId(pub(crate) u32);

/// The kinds of policy that take part in a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// The key's key policy.
    KeyPolicy,
    /// An IAM identity policy of the caller.
    Identity,
    /// The caller's permissions boundary.
    PermissionsBoundary,
    /// The caller's session policy.
    SessionPolicy,
    /// A service control policy of the caller's account.
    Scp,
    /// A resource control policy of the key's account.
    Rcp,
}

impl SourceKind {
    /// How the kind is named to users.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::KeyPolicy => "key policy",
            SourceKind::Identity => "IAM policy",
            SourceKind::PermissionsBoundary => "permissions boundary",
            SourceKind::SessionPolicy => "session policy",
            SourceKind::Scp => "SCP",
            SourceKind::Rcp => "RCP",
        }
    }

    /// A short machine name (`key-policy`, `identity`, …).
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::KeyPolicy => "key-policy",
            SourceKind::Identity => "identity",
            SourceKind::PermissionsBoundary => "permissions-boundary",
            SourceKind::SessionPolicy => "session-policy",
            SourceKind::Scp => "scp",
            SourceKind::Rcp => "rcp",
        }
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key to add: its ARN, policy and properties.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct KeyConfig {
    /// The name used in scenarios and explanations (`CMK-A`).
    pub name: String,
    /// `arn:aws:kms:REGION:ACCOUNT:key/ID`.
    pub arn: String,
    /// The key policy.
    pub policy: PolicyDoc,
    /// The key state (default Enabled).
    pub state: KeyState,
    /// The key's origin (default AWS_KMS).
    pub origin: KeyOrigin,
    /// `kms:KeySpec` (default `SYMMETRIC_DEFAULT`).
    pub key_spec: String,
    /// `kms:KeyUsage` (default `ENCRYPT_DECRYPT`).
    pub key_usage: String,
    /// `kms:MultiRegion` (default: the key id starts with `mrk-`).
    pub multi_region: Option<bool>,
    /// `kms:MultiRegionKeyType` (`PRIMARY` or `REPLICA`), when multi-Region.
    pub multi_region_key_type: Option<String>,
    /// Alias names (`alias/app`), for `kms:ResourceAliases`.
    pub aliases: Vec<String>,
    /// Resource tags, for `aws:ResourceTag/*`.
    pub tags: Vec<(String, String)>,
}

impl KeyConfig {
    /// A key with default properties.
    pub fn new(name: impl Into<String>, arn: impl Into<String>, policy: PolicyDoc) -> KeyConfig {
        KeyConfig {
            name: name.into(),
            arn: arn.into(),
            policy,
            state: KeyState::Enabled,
            origin: KeyOrigin::AwsKms,
            key_spec: "SYMMETRIC_DEFAULT".into(),
            key_usage: "ENCRYPT_DECRYPT".into(),
            multi_region: None,
            multi_region_key_type: None,
            aliases: Vec::new(),
            tags: Vec::new(),
        }
    }
}

/// A principal to add: the caller and the policies attached to it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PrincipalConfig {
    /// The name used in scenarios and explanations (`Alice`).
    pub name: String,
    /// Who calls.
    pub caller: Caller,
    /// Identity policies (for a role session: the role's policies).
    pub policies: Vec<PolicyDoc>,
    /// The permissions boundary, if any.
    pub permissions_boundary: Option<PolicyDoc>,
    /// The session policy, if any.
    pub session_policy: Option<PolicyDoc>,
    /// Principal tags, for `aws:PrincipalTag/*`.
    pub tags: Vec<(String, String)>,
}

impl PrincipalConfig {
    /// A principal with no policies.
    pub fn new(name: impl Into<String>, caller: Caller) -> PrincipalConfig {
        PrincipalConfig {
            name: name.into(),
            caller,
            policies: Vec::new(),
            permissions_boundary: None,
            session_policy: None,
            tags: Vec::new(),
        }
    }
}

/// A grant to add.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GrantConfig {
    /// The key the grant is for.
    pub key: KeyId,
    /// The grantee: an IAM principal ARN, an account, or a service principal.
    pub grantee: String,
    /// The operations (see [`crate::parse_grant_operations`]).
    pub operations: ActionSet,
    /// Encryption-context constraints.
    pub constraints: Option<GrantConstraints>,
    /// The retiring principal.
    pub retiring_principal: Option<String>,
    /// The grant's name (idempotency only; shown in explanations).
    pub name: Option<String>,
    /// The grant id, when known.
    pub id: Option<String>,
    /// The account that created the grant (default: the key's account).
    pub issuing_account: Option<String>,
}

impl GrantConfig {
    /// A grant of `operations` on `key` to `grantee`.
    pub fn new(key: KeyId, grantee: impl Into<String>, operations: ActionSet) -> GrantConfig {
        GrantConfig {
            key,
            grantee: grantee.into(),
            operations,
            constraints: None,
            retiring_principal: None,
            name: None,
            id: None,
            issuing_account: None,
        }
    }
}

/// A clock for `aws:CurrentTime` / `aws:EpochTime`.
pub type Clock = Arc<dyn Fn() -> Option<Instant> + Send + Sync>;

/// The system clock (`None` on `wasm32-unknown-unknown`, which has none:
/// inject one with [`AuthorizerBuilder::clock`]).
pub fn system_clock() -> Option<Instant> {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some(Instant {
            seconds: i64::try_from(now.as_secs()).ok()?,
            nanos: now.subsec_nanos(),
        })
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        None
    }
}

/// Policy metadata kept for explanations.
#[derive(Clone, Debug)]
pub(crate) struct PolicyMeta {
    pub(crate) kind: SourceKind,
    pub(crate) name: Arc<str>,
    pub(crate) source: Source,
    pub(crate) statement_array: bool,
}

/// One level of an organization policy chain: every level must allow;
/// within a level, any policy may.
#[derive(Clone, Debug)]
pub(crate) struct Level {
    pub(crate) stmts: Range<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct KeyEntry {
    pub(crate) name: Box<str>,
    pub(crate) arn: Arc<str>,
    pub(crate) partition: Box<str>,
    pub(crate) region: Box<str>,
    pub(crate) account: Box<str>,
    pub(crate) key_id: Box<str>,
    pub(crate) state: KeyState,
    pub(crate) origin: KeyOrigin,
    pub(crate) key_spec: Box<str>,
    pub(crate) key_usage: Box<str>,
    pub(crate) multi_region: bool,
    pub(crate) multi_region_key_type: Option<Box<str>>,
    pub(crate) aliases: Vec<Box<str>>,
    /// (lowercased key, value)
    pub(crate) tags: Vec<(Box<str>, Box<str>)>,
    pub(crate) policy: u32,
    pub(crate) stmts: Range<u32>,
    pub(crate) grants: Vec<u32>,
    pub(crate) rcp: Option<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct PrincipalEntry {
    pub(crate) name: Box<str>,
    pub(crate) caller: Caller,
    /// (lowercased key, value)
    pub(crate) tags: Vec<(Box<str>, Box<str>)>,
    pub(crate) identity: Range<u32>,
    pub(crate) boundary: Option<(u32, Range<u32>)>,
    pub(crate) session: Option<(u32, Range<u32>)>,
    pub(crate) scp: Option<u32>,
}

#[derive(Clone, Debug)]
pub(crate) struct OrgChain {
    pub(crate) account: Box<str>,
    pub(crate) levels: Vec<Level>,
}

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
/// assert_eq!(answer.explanation().reasons(), ["no SCP at level 1 of account 111122223333 allows the action"]);
/// ```
#[derive(Default)]
pub struct AuthorizerBuilder {
    keys: Vec<KeyConfig>,
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
pub(crate) struct KeyArn<'a> {
    pub(crate) partition: &'a str,
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
    pub(crate) key_id: &'a str,
}

/// Split `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`.
pub(crate) fn split_key_arn(arn: &str) -> Option<KeyArn<'_>> {
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
        for alias in &key.aliases {
            let taken = self.keys.iter().find(|other| {
                other.aliases.contains(alias)
                    && split_key_arn(&other.arn).is_some_and(|o| {
                        o.partition == parts.partition
                            && o.region == parts.region
                            && o.account == parts.account
                    })
            });
            if let Some(other) = taken {
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
        let id = KeyId(u32::try_from(self.keys.len()).unwrap_or(u32::MAX));
        self.keys.push(key);
        Ok(id)
    }

    /// Add a principal.
    pub fn add_principal(&mut self, principal: PrincipalConfig) -> PrincipalId {
        let id = PrincipalId(u32::try_from(self.principals.len()).unwrap_or(u32::MAX));
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
        let id = GrantId(u32::try_from(self.grants.len()).unwrap_or(u32::MAX));
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
        let key_arns: Vec<&str> = self.keys.iter().map(|k| k.arn.as_str()).collect();
        let mut c = Compiler {
            key_arns: &key_arns,
            stmts: Vec::new(),
            policies: Vec::new(),
        };
        let chains = |c: &mut Compiler<'_>, list: &[(String, Vec<Vec<PolicyDoc>>)], kind| {
            list.iter()
                .map(|(account, levels)| OrgChain {
                    account: account.as_str().into(),
                    levels: levels
                        .iter()
                        .map(|docs| {
                            let s0 = c.stmts.len();
                            for d in docs {
                                c.add(kind, d);
                            }
                            Level {
                                stmts: to_u32(s0)..to_u32(c.stmts.len()),
                            }
                        })
                        .collect(),
                })
                .collect::<Vec<_>>()
        };
        let scps = chains(&mut c, &self.scps, SourceKind::Scp);
        let rcps = chains(&mut c, &self.rcps, SourceKind::Rcp);
        let mut keys: Vec<KeyEntry> = Vec::with_capacity(self.keys.len());
        for k in &self.keys {
            let parts = split_key_arn(&k.arn);
            let (partition, region, account, key_id) = parts
                .map(|p| (p.partition, p.region, p.account, p.key_id))
                .unwrap_or(("", "", "", ""));
            let (policy, stmts) = c.add(SourceKind::KeyPolicy, &k.policy);
            keys.push(KeyEntry {
                name: k.name.as_str().into(),
                arn: k.arn.as_str().into(),
                partition: partition.into(),
                region: region.into(),
                account: account.into(),
                key_id: key_id.into(),
                state: k.state,
                origin: k.origin,
                key_spec: k.key_spec.as_str().into(),
                key_usage: k.key_usage.as_str().into(),
                multi_region: k.multi_region.unwrap_or_else(|| key_id.starts_with("mrk-")),
                multi_region_key_type: k.multi_region_key_type.as_deref().map(Into::into),
                aliases: k.aliases.iter().map(|a| a.as_str().into()).collect(),
                tags: lower_tags(&k.tags),
                policy,
                stmts,
                grants: Vec::new(),
                rcp: rcps.iter().position(|r| *r.account == *account).map(to_u32),
            });
        }
        let mut principals = Vec::with_capacity(self.principals.len());
        for p in &self.principals {
            let s0 = c.stmts.len();
            for d in &p.policies {
                c.add(SourceKind::Identity, d);
            }
            let identity = to_u32(s0)..to_u32(c.stmts.len());
            let boundary = p
                .permissions_boundary
                .as_ref()
                .map(|d| c.add(SourceKind::PermissionsBoundary, d));
            let session = p
                .session_policy
                .as_ref()
                .map(|d| c.add(SourceKind::SessionPolicy, d));
            let account = p.caller.account();
            principals.push(PrincipalEntry {
                name: p.name.as_str().into(),
                caller: p.caller.clone(),
                tags: lower_tags(&p.tags),
                identity,
                boundary,
                session,
                scp: if p.caller.is_service() {
                    None
                } else {
                    scps.iter().position(|s| *s.account == *account).map(to_u32)
                },
            });
        }
        let mut grants = Vec::with_capacity(self.grants.len());
        for (i, g) in self.grants.iter().enumerate() {
            let key = g.key.0;
            if let Some(k) = keys.get_mut(key as usize) {
                k.grants.push(to_u32(i));
            }
            let key_account = keys
                .get(key as usize)
                .map(|k| k.account.clone())
                .unwrap_or_default();
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
                    .map(Into::into)
                    .unwrap_or(key_account),
            });
        }
        Authorizer {
            stmts: c.stmts,
            policies: c.policies,
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

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Compiler<'k> {
    key_arns: &'k [&'k str],
    stmts: Vec<CStmt>,
    policies: Vec<PolicyMeta>,
}

impl Compiler<'_> {
    fn add(&mut self, kind: SourceKind, doc: &PolicyDoc) -> (u32, Range<u32>) {
        let index = to_u32(self.policies.len());
        self.policies.push(PolicyMeta {
            kind,
            name: doc.name.as_str().into(),
            source: doc.source.clone(),
            statement_array: doc.policy.statement_array,
        });
        let s0 = self.stmts.len();
        self.stmts
            .extend(compile_policy(&doc.policy, index, self.key_arns));
        (index, to_u32(s0)..to_u32(self.stmts.len()))
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
    pub(crate) stmts: Vec<CStmt>,
    pub(crate) policies: Vec<PolicyMeta>,
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
            .field("statements", &self.stmts.len())
            .finish_non_exhaustive()
    }
}

impl Authorizer {
    /// A builder.
    pub fn builder() -> AuthorizerBuilder {
        AuthorizerBuilder::new()
    }

    /// The key named `name`: its scenario name, its key ARN, an alias ARN
    /// (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`, looked up in that Region
    /// and account), or an alias name or key id that exactly one key has.
    ///
    /// This ignores who asks. To name the key of a request, use
    /// [`Authorizer::resolve`] or [`Authorizer::request`]: a bare alias or
    /// key id resolves in the caller's account and the request's Region.
    pub fn key(&self, name: &str) -> Option<KeyId> {
        let any = crate::resolve::Scope::default();
        self.find_key(name, &any).ok().flatten()
    }

    /// The principal named `name`: its scenario name or its ARN.
    pub fn principal(&self, name: &str) -> Option<PrincipalId> {
        self.principals
            .iter()
            .position(|p| *p.name == *name || p.caller.arn() == name)
            .map(|i| PrincipalId(to_u32(i)))
    }

    /// Every key, in the order added.
    pub fn keys(&self) -> impl Iterator<Item = KeyId> + '_ {
        (0..self.keys.len()).map(|i| KeyId(to_u32(i)))
    }

    /// Every principal, in the order added.
    pub fn principals(&self) -> impl Iterator<Item = PrincipalId> + '_ {
        (0..self.principals.len()).map(|i| PrincipalId(to_u32(i)))
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
            .map(|i| GrantId(to_u32(i)))
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
