//! What an [`crate::Authorizer`] is built from: keys, principals and
//! grants as the caller describes them.

use keyward_policy::{Source, Span};

use crate::action::ActionSet;
use crate::caller::Caller;
use crate::compile::PolicyDoc;
use crate::grant::GrantConstraints;
use crate::key_manager::KeyManager;
use crate::key_state::{KeyOrigin, KeyState};
use crate::world::KeyId;

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
    /// `kms:KeySpec`, as the KMS API spells it (default `SYMMETRIC_DEFAULT`;
    /// see [`crate::KeySpec`]).
    pub key_spec: String,
    /// `kms:KeyUsage`, as the KMS API spells it; empty (the default) means
    /// the spec's usage ([`crate::KeySpec::default_usage`]:
    /// `ENCRYPT_DECRYPT` for symmetric encryption, RSA and SM2 keys,
    /// `GENERATE_VERIFY_MAC` for HMAC keys, …).
    pub key_usage: String,
    /// `kms:MultiRegion` (default: the key id starts with `mrk-`).
    pub multi_region: Option<bool>,
    /// `kms:MultiRegionKeyType` (`PRIMARY` or `REPLICA`), when multi-Region.
    pub multi_region_key_type: Option<String>,
    /// Alias names (`alias/app`), for `kms:ResourceAliases`.
    pub aliases: Vec<String>,
    /// Resource tags, for `aws:ResourceTag/*`.
    pub tags: Vec<(String, String)>,
    /// Who manages the key (default: the customer). An AWS managed key has
    /// its service's policy ([`crate::aws_managed_key_policy`]), no RCPs,
    /// and only `alias/aws/…` aliases, which no customer key may take.
    pub manager: KeyManager,
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
            key_usage: String::new(),
            multi_region: None,
            multi_region_key_type: None,
            aliases: Vec::new(),
            tags: Vec::new(),
            manager: KeyManager::Customer,
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
    /// Where the grant is written (a scenario's `grants` entry), so that an
    /// explanation can point at it like at a statement.
    pub written_at: Option<(Source, Span)>,
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
            written_at: None,
        }
    }
}
