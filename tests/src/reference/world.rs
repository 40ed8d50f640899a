//! What the reference evaluator decides over: keys, principals, grants,
//! organization policies, one request; and its answer. Plain data with
//! public fields, so tests and generators build it directly.

use keyward_policy::Policy;

/// Grant operations (rule 16, plus `DeriveSharedSecret`).
pub const GRANT_OPERATIONS: [&str; 17] = [
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "VerifyMac",
    "CreateGrant",
    "DescribeKey",
    "GetPublicKey",
    "RetireGrant",
    "DeriveSharedSecret",
];

/// Key states (rule 28).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Disabled.
    Disabled,
    /// Scheduled for deletion.
    PendingDeletion,
    /// Multi-Region primary scheduled for deletion while replicas exist.
    PendingReplicaDeletion,
    /// Imported-material key waiting for its material.
    PendingImport,
    /// Custom-key-store key whose store is disconnected.
    Unavailable,
    /// Multi-Region replica being created.
    Creating,
    /// Multi-Region key whose primary Region is being updated.
    Updating,
}

impl KeyState {
    /// Every state.
    pub const ALL: [KeyState; 8] = [
        KeyState::Enabled,
        KeyState::Disabled,
        KeyState::PendingDeletion,
        KeyState::PendingReplicaDeletion,
        KeyState::PendingImport,
        KeyState::Unavailable,
        KeyState::Creating,
        KeyState::Updating,
    ];
}

/// Where a key's material lives (`kms:KeyOrigin`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyOrigin {
    /// `AWS_KMS`.
    AwsKms,
    /// `EXTERNAL`: imported material.
    External,
    /// `AWS_CLOUDHSM`: a CloudHSM custom key store.
    AwsCloudHsm,
    /// `EXTERNAL_KEY_STORE`.
    ExternalKeyStore,
}

impl KeyOrigin {
    /// As the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyOrigin::AwsKms => "AWS_KMS",
            KeyOrigin::External => "EXTERNAL",
            KeyOrigin::AwsCloudHsm => "AWS_CLOUDHSM",
            KeyOrigin::ExternalKeyStore => "EXTERNAL_KEY_STORE",
        }
    }
}

/// A KMS key.
#[derive(Clone, Debug)]
pub struct Key {
    /// Name in scenarios (`CMK-A`).
    pub name: String,
    /// `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`.
    pub arn: String,
    /// The key policy.
    pub policy: Policy,
    /// Key state.
    pub state: KeyState,
    /// Origin.
    pub origin: KeyOrigin,
    /// `kms:KeySpec`.
    pub key_spec: String,
    /// `kms:KeyUsage`.
    pub key_usage: String,
    /// `kms:MultiRegion`; `None`: the key id starts with `mrk-`.
    pub multi_region: Option<bool>,
    /// `kms:MultiRegionKeyType`.
    pub multi_region_key_type: Option<String>,
    /// Alias names (`alias/app`): `kms:ResourceAliases`.
    pub aliases: Vec<String>,
    /// Tags: `aws:ResourceTag/*`.
    pub tags: Vec<(String, String)>,
    /// An AWS managed key (`KeyManager: AWS`, `alias/aws/SERVICE`).
    pub aws_managed: bool,
}

impl Key {
    /// A key with default properties (Enabled, AWS_KMS, symmetric).
    pub fn new(name: &str, arn: &str, policy: Policy) -> Key {
        Key {
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
            aws_managed: false,
        }
    }

    /// The Region and account of the key ARN (empty when malformed).
    pub fn region_and_account(&self) -> (&str, &str) {
        let parts: Vec<&str> = self.arn.splitn(6, ':').collect();
        match parts.as_slice() {
            [_, _, _, region, account, _] => (region, account),
            _ => ("", ""),
        }
    }

    /// The key id (after `key/`).
    pub fn key_id(&self) -> &str {
        self.arn.rsplit_once("key/").map(|(_, id)| id).unwrap_or("")
    }
}

/// Who makes a request, read from its ARN by plain string splitting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The account's root user.
    Root {
        /// Partition.
        partition: String,
        /// Account id.
        account: String,
    },
    /// An IAM user.
    User {
        /// The ARN as given.
        arn: String,
        /// Partition.
        partition: String,
        /// Account id.
        account: String,
        /// User name (last path segment).
        name: String,
    },
    /// Some session of a role, the caller given as the role ARN.
    Role {
        /// The role ARN as given (with its path).
        arn: String,
        /// Partition.
        partition: String,
        /// Account id.
        account: String,
        /// Role name (last path segment).
        name: String,
    },
    /// One role session (`assumed-role/ROLE/SESSION`).
    Session {
        /// The session ARN.
        arn: String,
        /// Partition.
        partition: String,
        /// Account id.
        account: String,
        /// Role name.
        role: String,
        /// Session name.
        session: String,
    },
    /// An STS federated user.
    FederatedUser {
        /// The ARN.
        arn: String,
        /// Partition.
        partition: String,
        /// Account id.
        account: String,
        /// Name.
        name: String,
    },
    /// An AWS service principal calling for itself.
    Service {
        /// `s3.amazonaws.com`.
        name: String,
    },
}

/// True for a 12-digit account id.
pub(crate) fn is_account(text: &str) -> bool {
    text.len() == 12 && text.chars().all(|c| c.is_ascii_digit())
}

impl Caller {
    /// Read an IAM/STS ARN or a bare account id (the root user).
    pub fn parse(text: &str) -> Option<Caller> {
        if is_account(text) {
            return Some(Caller::Root {
                partition: "aws".into(),
                account: text.into(),
            });
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let [arn, partition, service, region, account, resource] = parts.as_slice() else {
            return None;
        };
        if *arn != "arn" || partition.is_empty() || !region.is_empty() || !is_account(account) {
            return None;
        }
        if text.contains('*') || text.contains('?') {
            return None;
        }
        let (partition, account) = (partition.to_string(), account.to_string());
        let last = |r: &str| r.rsplit('/').next().unwrap_or("").to_string();
        match (*service, *resource) {
            ("iam", "root") => Some(Caller::Root { partition, account }),
            ("iam", r) if r.starts_with("user/") && !last(r).is_empty() => Some(Caller::User {
                arn: text.into(),
                partition,
                account,
                name: last(r),
            }),
            ("iam", r) if r.starts_with("role/") && !last(r).is_empty() => Some(Caller::Role {
                arn: text.into(),
                partition,
                account,
                name: last(r),
            }),
            ("sts", r) if r.starts_with("assumed-role/") => {
                let rest = &r["assumed-role/".len()..];
                let (role, session) = rest.split_once('/')?;
                if role.is_empty() || session.is_empty() || session.contains('/') {
                    return None;
                }
                Some(Caller::Session {
                    arn: text.into(),
                    partition,
                    account,
                    role: role.into(),
                    session: session.into(),
                })
            }
            ("sts", r) if r.starts_with("federated-user/") => {
                let name = &r["federated-user/".len()..];
                if name.is_empty() {
                    return None;
                }
                Some(Caller::FederatedUser {
                    arn: text.into(),
                    partition,
                    account,
                    name: name.into(),
                })
            }
            _ => None,
        }
    }

    /// An AWS service principal.
    pub fn service(name: &str) -> Caller {
        Caller::Service { name: name.into() }
    }

    /// The caller's account; `None` for services.
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Root { account, .. }
            | Caller::User { account, .. }
            | Caller::Role { account, .. }
            | Caller::Session { account, .. }
            | Caller::FederatedUser { account, .. } => Some(account),
            Caller::Service { .. } => None,
        }
    }

    /// The partition; `None` for services.
    pub fn partition(&self) -> Option<&str> {
        match self {
            Caller::Root { partition, .. }
            | Caller::User { partition, .. }
            | Caller::Role { partition, .. }
            | Caller::Session { partition, .. }
            | Caller::FederatedUser { partition, .. } => Some(partition),
            Caller::Service { .. } => None,
        }
    }
}

/// A principal that can make requests, with the policies attached to it.
#[derive(Clone, Debug)]
pub struct Principal {
    /// Name in scenarios (`Alice`).
    pub name: String,
    /// Who calls.
    pub caller: Caller,
    /// Identity policies.
    pub policies: Vec<Policy>,
    /// Permissions boundary.
    pub boundary: Option<Policy>,
    /// Session policy.
    pub session_policy: Option<Policy>,
    /// Principal tags.
    pub tags: Vec<(String, String)>,
}

impl Principal {
    /// A principal with no policies.
    pub fn new(name: &str, caller: Caller) -> Principal {
        Principal {
            name: name.into(),
            caller,
            policies: Vec::new(),
            boundary: None,
            session_policy: None,
            tags: Vec::new(),
        }
    }
}

/// A grant's encryption-context constraint (rule 17).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// `EncryptionContextEquals`.
    Equals(Vec<(String, String)>),
    /// `EncryptionContextSubset`.
    Subset(Vec<(String, String)>),
}

/// A grant (rule 15).
#[derive(Clone, Debug)]
pub struct Grant {
    /// Index of the key in [`World::keys`].
    pub key: usize,
    /// The grantee principal.
    pub grantee: String,
    /// Operation names (`Decrypt`), from [`GRANT_OPERATIONS`].
    pub operations: Vec<String>,
    /// Constraints.
    pub constraints: Option<Constraint>,
    /// The retiring principal.
    pub retiring_principal: Option<String>,
    /// The account that created it (default: the key's).
    pub issuing_account: Option<String>,
}

/// Everything that bears on decisions.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// Keys.
    pub keys: Vec<Key>,
    /// Principals.
    pub principals: Vec<Principal>,
    /// Grants.
    pub grants: Vec<Grant>,
    /// SCP chains: (account, levels); every level must allow.
    pub scps: Vec<(String, Vec<Vec<Policy>>)>,
    /// RCP chains: (account, levels) of key accounts.
    pub rcps: Vec<(String, Vec<Vec<Policy>>)>,
    /// Interface VPC endpoints for KMS: (`vpce-…`, endpoint policy).
    pub endpoints: Vec<(String, Policy)>,
}

/// The grant a `CreateGrant` request asks for.
#[derive(Clone, Debug)]
pub struct NewGrant {
    /// Grantee.
    pub grantee: String,
    /// Operation names.
    pub operations: Vec<String>,
    /// Constraints.
    pub constraints: Option<Constraint>,
    /// Retiring principal.
    pub retiring_principal: Option<String>,
}

/// One value of the caller-supplied request context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A single value.
    One(String),
    /// A list (multi-valued keys).
    Many(Vec<String>),
}

/// A request.
#[derive(Clone, Debug)]
pub struct Request {
    /// Index into [`World::principals`].
    pub principal: usize,
    /// `kms:Decrypt`.
    pub action: String,
    /// Index into [`World::keys`].
    pub key: usize,
    /// The Region the request is sent to; `None`: the key's.
    pub region: Option<String>,
    /// Encryption context pairs, distinct keys.
    pub encryption_context: Vec<(String, String)>,
    /// Caller-supplied context keys (`kms:ViaService`, `aws:SourceIp`, …).
    pub context: Vec<(String, Value)>,
    /// `aws:CurrentTime`, epoch seconds.
    pub time: i64,
    /// `kms:RequestAlias`.
    pub alias: Option<String>,
    /// For RetireGrant: the grant retired (index into [`World::grants`]).
    pub grant: Option<usize>,
    /// For CreateGrant: the grant asked for.
    pub new_grant: Option<NewGrant>,
}

impl Request {
    /// `principal` calls `action` on `key` at time 2025-01-01T00:00:00Z.
    pub fn new(principal: usize, action: &str, key: usize) -> Request {
        Request {
            principal,
            action: action.into(),
            key,
            region: None,
            encryption_context: Vec::new(),
            context: Vec::new(),
            time: 1_735_689_600,
            alias: None,
            grant: None,
            new_grant: None,
        }
    }
}

/// Allow, or which kind of deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// An applicable Deny statement.
    ExplicitDeny,
    /// Nothing allowed it.
    ImplicitDeny,
}

/// KMS exceptions after authorization (key state, Region, key type), and
/// `NotFoundException` for a key named by an alias where the operation
/// takes none (with an implicit deny: no policy is read).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KmsError {
    /// `DisabledException`.
    Disabled,
    /// `KMSInvalidStateException`.
    InvalidState,
    /// `NotFoundException`.
    NotFound,
    /// `UnsupportedOperationException`.
    UnsupportedOperation,
    /// `InvalidKeyUsageException`.
    InvalidKeyUsage,
}

/// The reference's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Answer {
    /// The authorization decision.
    pub decision: Decision,
    /// A KMS error that turns an Allow into a failure (never set on a deny).
    pub error: Option<KmsError>,
}

/// Known deviations of the fast engine from the spec, reproduced on demand
/// so the differential tests can tell them apart from new disagreements.
/// Each is reported to the integrator; once the engine is fixed, its flag
/// goes from [`Quirks::ENGINE`] and then from here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quirks {
    /// String and ARN operators see `aws:EpochTime` as ISO 8601 text
    /// (`2025-01-01T00:00:00Z`) instead of epoch seconds (`1735689600`).
    pub epoch_time_as_iso: bool,
    /// `DeleteImportedKeyMaterial` ignores footnote 9 of the key-state
    /// table: on a key without imported material it succeeds (or fails on
    /// the state) instead of `UnsupportedOperationException`.
    pub delete_imported_ignores_origin: bool,
}

impl Quirks {
    /// The spec, with no deviation.
    pub const NONE: Quirks = Quirks {
        epoch_time_as_iso: false,
        delete_imported_ignores_origin: false,
    };

    /// The deviations the engine has today.
    pub const ENGINE: Quirks = Quirks {
        epoch_time_as_iso: false,
        delete_imported_ignores_origin: false,
    };

    /// Each deviation of [`Quirks::ENGINE`] alone, with its name.
    pub fn each_of_engine() -> Vec<(&'static str, Quirks)> {
        let mut out = Vec::new();
        if Quirks::ENGINE.epoch_time_as_iso {
            out.push((
                "aws:EpochTime as ISO 8601 under String operators",
                Quirks {
                    epoch_time_as_iso: true,
                    ..Quirks::NONE
                },
            ));
        }
        if Quirks::ENGINE.delete_imported_ignores_origin {
            out.push((
                "DeleteImportedKeyMaterial without imported material not Unsupported",
                Quirks {
                    delete_imported_ignores_origin: true,
                    ..Quirks::NONE
                },
            ));
        }
        out
    }
}
