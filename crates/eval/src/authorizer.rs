//! The compiled form of everything that bears on KMS decisions: keys with
//! their policies and grants, principals with their identity policies,
//! boundaries and session policies, and organization policies.
//!
//! Build once with [`AuthorizerBuilder`], then [`Authorizer::decide`] as
//! often as needed.

use std::sync::Arc;

mod inputs;

use crate::action::ActionSet;
use crate::caller::Caller;
use crate::clock::{system_clock, Clock};
use crate::compile::{compile_policy, CStmt, PolicyDoc};
use crate::config::{GrantConfig, KeyConfig, PrincipalConfig};
use crate::err::EvalError;
use crate::grant::CGrant;
use crate::key_arns::KeyArns;
use crate::key_manager::{self, Managed};
use crate::key_spec::{KeySpec, KeyUsage};
use crate::key_type::key_type_error;
use crate::principal_match::Named;
use crate::refusal::key_policy_refusals;
use crate::world::{
    index_u32, CPolicy, Endpoint, GrantId, GrantSite, KeyEntry, KeyId, Level, OrgChain, PolicyMeta,
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
#[derive(Clone, Default)]
pub struct AuthorizerBuilder {
    keys: Vec<(KeyConfig, KeyParts)>,
    principals: Vec<PrincipalConfig>,
    grants: Vec<GrantConfig>,
    scps: Vec<(String, Vec<Vec<PolicyDoc>>)>,
    rcps: Vec<(String, Vec<Vec<PolicyDoc>>)>,
    endpoints: Vec<(String, PolicyDoc)>,
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

/// The parts of a key ARN `add_key` accepted, and the key's type.
#[derive(Clone, Debug)]
struct KeyParts {
    partition: Box<str>,
    region: Box<str>,
    account: Box<str>,
    key_id: Box<str>,
    spec: KeySpec,
    usage: KeyUsage,
}

/// The key's spec and usage: names the KMS API knows, in a combination
/// CreateKey accepts (the guide's key spec reference).
fn key_type(key: &KeyConfig) -> Result<(KeySpec, KeyUsage), EvalError> {
    let Some(spec) = KeySpec::parse(&key.key_spec) else {
        let all: Vec<&str> = KeySpec::ALL.iter().map(|s| s.as_str()).collect();
        return Err(EvalError::new(
            "eval::key-spec",
            format!("`{}` is not a KMS key spec", key.key_spec),
        )
        .with_help(format!("use one of {}", all.join(", "))));
    };
    let usages = || {
        let list: Vec<&str> = spec.usages().iter().map(|u| u.as_str()).collect();
        list.join(" or ")
    };
    if key.key_usage.is_empty() {
        return spec.default_usage().map(|u| (spec, u)).ok_or_else(|| {
            EvalError::new(
                "eval::key-usage",
                format!("a key of spec `{spec}` needs its key usage"),
            )
            .with_help(format!("give the key usage: {}", usages()))
        });
    }
    let Some(usage) = KeyUsage::parse(&key.key_usage) else {
        let all: Vec<&str> = KeyUsage::ALL.iter().map(|u| u.as_str()).collect();
        return Err(EvalError::new(
            "eval::key-usage",
            format!("`{}` is not a KMS key usage", key.key_usage),
        )
        .with_help(format!("use one of {}", all.join(", "))));
    };
    if !spec.usages().contains(&usage) {
        return Err(EvalError::new(
            "eval::key-usage",
            format!("a key of spec `{spec}` cannot have the key usage `{usage}`"),
        )
        .with_help(format!("a key of spec `{spec}` is {}", usages())));
    }
    Ok((spec, usage))
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

    /// Add a key. Fails when its ARN is not a key ARN, its spec or usage is
    /// not one KMS has (or not a combination CreateKey accepts), its key
    /// policy is one KMS refuses ([`crate::key_policy_refusals`], which
    /// gives every problem with its place), an alias is reserved for AWS
    /// managed keys (or an AWS managed key is something it cannot be), or
    /// when one of its aliases already names a key of the same account and
    /// Region (an alias name is unique per account and Region, rule 30).
    pub fn add_key(&mut self, key: KeyConfig) -> Result<KeyId, EvalError> {
        let Some(parts) = split_key_arn(&key.arn) else {
            return Err(EvalError::new(
                "eval::key-arn",
                format!("`{}` is not a KMS key ARN", key.arn),
            )
            .with_help("write `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`"));
        };
        let (spec, usage) = key_type(&key)?;
        key_manager::check(&Managed {
            manager: key.manager,
            aliases: &key.aliases,
            state: key.state,
            spec,
            origin: key.origin,
            multi_region: key
                .multi_region
                .unwrap_or_else(|| parts.key_id.starts_with("mrk-")),
        })?;
        if let Some(d) = key_policy_refusals(&key.policy).into_iter().next() {
            let e = EvalError::new(d.code, d.message);
            return Err(match d.help {
                Some(help) => e.with_help(help),
                None => e,
            });
        }
        let parts = KeyParts {
            partition: parts.partition.into(),
            region: parts.region.into(),
            account: parts.account.into(),
            key_id: parts.key_id.into(),
            spec,
            usage,
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

    /// Add an interface VPC endpoint for KMS (`vpce-…`) with its endpoint
    /// policy. A request whose `aws:SourceVpce` is this endpoint must also
    /// be allowed by the policy: a Deny there is an explicit deny, no Allow
    /// an implicit deny. An endpoint not added has the default endpoint
    /// policy, which allows everything. Fails for an id that is not a VPC
    /// endpoint id, or one added twice.
    ///
    /// ```
    /// use keyward_eval::{Authorizer, Caller, Decision, KeyConfig, KmsAction, PolicyDoc, PrincipalConfig, Request};
    /// use keyward_policy::{parse_policy, Source};
    /// let doc = |name: &str, text: &str| PolicyDoc::new(name, Source::new(name, text), parse_policy(text).unwrap());
    /// let mut b = Authorizer::builder();
    /// let key = b.add_key(KeyConfig::new("K", "arn:aws:kms:us-east-1:111122223333:key/k", doc("K",
    ///     r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}]}"#))).unwrap();
    /// let root = b.add_principal(PrincipalConfig::new("root", Caller::from_arn("arn:aws:iam::111122223333:root").unwrap()));
    /// // The endpoint lets callers only decrypt.
    /// b.add_vpc_endpoint("vpce-0a1b2c3d", doc("vpce-0a1b2c3d", r#"{"Statement": [{"Effect": "Allow",
    ///     "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]}"#)).unwrap();
    /// let auth = b.build();
    /// let through = |action| Request::new(root, action, key).unwrap().with_context("aws:SourceVpce", "vpce-0a1b2c3d").unwrap();
    /// assert_eq!(auth.decide(&through(KmsAction::Decrypt)).decision(), Decision::Allow);
    /// assert_eq!(auth.decide(&through(KmsAction::Encrypt)).decision(), Decision::ImplicitDeny);
    /// // Not through the endpoint: its policy does not apply.
    /// assert!(auth.decide(&Request::new(root, KmsAction::Encrypt, key).unwrap()).is_success());
    /// ```
    pub fn add_vpc_endpoint(&mut self, id: &str, policy: PolicyDoc) -> Result<(), EvalError> {
        if !is_vpc_endpoint_id(id) {
            return Err(EvalError::new(
                "eval::vpc-endpoint",
                format!("`{id}` is not a VPC endpoint id"),
            )
            .with_help(
                "write the endpoint id as `aws:SourceVpce` holds it: `vpce-` and letters or digits",
            ));
        }
        if self.endpoints.iter().any(|(other, _)| other == id) {
            return Err(EvalError::new(
                "eval::vpc-endpoint",
                format!("the VPC endpoint `{id}` is given twice"),
            )
            .with_help("an endpoint has one endpoint policy"));
        }
        self.endpoints.push((id.to_string(), policy));
        Ok(())
    }

    /// The clock for `aws:CurrentTime` when a request has no time of its own
    /// (default: [`system_clock`]).
    pub fn clock(&mut self, clock: Clock) {
        self.clock = Some(clock);
    }

    /// Compile everything.
    pub fn build(self) -> Authorizer {
        let mut store = Store {
            key_arns: KeyArns::new(
                self.keys
                    .iter()
                    .map(|(k, _)| k.arn.as_str().into())
                    .collect(),
            ),
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
                key_spec: parts.spec,
                key_usage: parts.usage,
                unsupported: ActionSet::matching_actions(|a| {
                    key_type_error(a, parts.spec, parts.usage, k.origin).is_some()
                }),
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
                manager: k.manager,
            });
        }
        let principals = self
            .principals
            .iter()
            .map(|p| principal_entry(&mut store, &scps, p))
            .collect();
        let endpoints = self
            .endpoints
            .iter()
            .map(|(id, doc)| Endpoint {
                id: id.as_str().into(),
                policy: store.add(SourceKind::VpcEndpoint, doc),
            })
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
            endpoints,
            clock: self.clock.unwrap_or_else(|| Arc::new(system_clock)),
        }
    }
}

/// `vpce-` followed by letters and digits, as `aws:SourceVpce` holds it.
fn is_vpc_endpoint_id(id: &str) -> bool {
    id.strip_prefix("vpce-")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
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
        // Services and service-linked roles are not subject to SCPs.
        scp: if p.caller.is_service() || p.caller.is_service_linked_role() {
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
    key_arns: KeyArns,
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
            .extend(compile_policy(&doc.policy, &meta, &mut self.key_arns));
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
    pub(crate) endpoints: Vec<Endpoint>,
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
