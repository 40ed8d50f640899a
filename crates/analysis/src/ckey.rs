//! Condition keys by where their value comes from, as the evaluator fills
//! them (`crates/eval/src/context.rs`): from the principal, from the key,
//! from the request keyward builds, or from the user-given context.
//!
//! The split decides which dimension of the request space a test belongs
//! to. A test in this crate checks it against the evaluator: every key this
//! module calls derived is one `Request::with_context` refuses.

/// A condition key, resolved (names compare case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CKey {
    /// `aws:PrincipalArn`.
    PrincipalArn,
    /// `aws:PrincipalAccount` and `kms:CallerAccount` (the same value).
    PrincipalAccount,
    /// `aws:PrincipalType`.
    PrincipalType,
    /// `aws:username`.
    Username,
    /// `aws:userid`.
    Userid,
    /// `aws:PrincipalTag/<key>`, the tag key lowercased.
    PrincipalTag(String),
    /// `aws:PrincipalIsAWSService`.
    PrincipalIsAwsService,
    /// `aws:PrincipalServiceName`.
    PrincipalServiceName,
    /// `aws:RequestedRegion`.
    RequestedRegion,
    /// `aws:CurrentTime` (false) or `aws:EpochTime` (true).
    Time {
        /// Written as epoch seconds.
        epoch: bool,
    },
    /// `kms:EncryptionContext:<key>`, the context key lowercased.
    EncryptionContext(String),
    /// `kms:EncryptionContextKeys`.
    EncryptionContextKeys,
    /// `kms:RequestAlias`.
    RequestAlias,
    /// `aws:ResourceTag/<key>`, the tag key lowercased.
    ResourceTag(String),
    /// `kms:ResourceAliases`.
    ResourceAliases,
    /// `kms:KeySpec` (and `kms:CustomerMasterKeySpec`).
    KeySpec,
    /// `kms:KeyUsage` (and `kms:CustomerMasterKeyUsage`).
    KeyUsage,
    /// `kms:KeyOrigin`.
    KeyOrigin,
    /// `kms:MultiRegion`.
    MultiRegion,
    /// `kms:MultiRegionKeyType`.
    MultiRegionKeyType,
    /// `aws:SecureTransport` (default true).
    SecureTransport,
    /// `aws:ViaAWSService` (default: whether `kms:ViaService` is given).
    ViaAwsService,
    /// Any other key, lowercased: only the request context has it.
    User(String),
}

/// Where a key's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The caller.
    Principal,
    /// The key.
    Key,
    /// The request: encryption context, alias, Region, time, user context.
    Request,
}

/// Keys AWS documents as multi-valued (a list in every request).
const MULTI_VALUED: &[&str] = &[
    "kms:grantoperations",
    "aws:tagkeys",
    "aws:calledvia",
    "aws:principalorgpaths",
    "aws:principalservicenameslist",
];

impl CKey {
    /// Resolve a key name.
    pub fn parse(name: &str) -> CKey {
        let lower = name.to_ascii_lowercase();
        if let Some(tag) = lower.strip_prefix("aws:principaltag/") {
            return CKey::PrincipalTag(tag.to_string());
        }
        if let Some(tag) = lower.strip_prefix("aws:resourcetag/") {
            return CKey::ResourceTag(tag.to_string());
        }
        if let Some(k) = lower.strip_prefix("kms:encryptioncontext:") {
            return CKey::EncryptionContext(k.to_string());
        }
        match lower.as_str() {
            "aws:principalarn" => CKey::PrincipalArn,
            "aws:principalaccount" | "kms:calleraccount" => CKey::PrincipalAccount,
            "aws:principaltype" => CKey::PrincipalType,
            "aws:username" => CKey::Username,
            "aws:userid" => CKey::Userid,
            "aws:principalisawsservice" => CKey::PrincipalIsAwsService,
            "aws:principalservicename" => CKey::PrincipalServiceName,
            "aws:requestedregion" => CKey::RequestedRegion,
            "aws:currenttime" => CKey::Time { epoch: false },
            "aws:epochtime" => CKey::Time { epoch: true },
            "kms:encryptioncontextkeys" => CKey::EncryptionContextKeys,
            "kms:requestalias" => CKey::RequestAlias,
            "kms:resourcealiases" => CKey::ResourceAliases,
            "kms:keyspec" | "kms:customermasterkeyspec" => CKey::KeySpec,
            "kms:keyusage" | "kms:customermasterkeyusage" => CKey::KeyUsage,
            "kms:keyorigin" => CKey::KeyOrigin,
            "kms:multiregion" => CKey::MultiRegion,
            "kms:multiregionkeytype" => CKey::MultiRegionKeyType,
            "aws:securetransport" => CKey::SecureTransport,
            "aws:viaawsservice" => CKey::ViaAwsService,
            _ => CKey::User(lower),
        }
    }

    /// Where the value comes from.
    pub fn source(&self) -> Source {
        match self {
            CKey::PrincipalArn
            | CKey::PrincipalAccount
            | CKey::PrincipalType
            | CKey::Username
            | CKey::Userid
            | CKey::PrincipalTag(_)
            | CKey::PrincipalIsAwsService
            | CKey::PrincipalServiceName => Source::Principal,
            CKey::ResourceTag(_)
            | CKey::ResourceAliases
            | CKey::KeySpec
            | CKey::KeyUsage
            | CKey::KeyOrigin
            | CKey::MultiRegion
            | CKey::MultiRegionKeyType => Source::Key,
            _ => Source::Request,
        }
    }

    /// True for keys whose value is a list: documented multi-valued keys.
    /// (A key used with a set qualifier is treated as a list too, by the caller.)
    pub fn documented_multi_valued(&self) -> bool {
        match self {
            CKey::EncryptionContextKeys | CKey::ResourceAliases => true,
            CKey::User(name) => MULTI_VALUED.iter().any(|m| m.eq_ignore_ascii_case(name)),
            _ => false,
        }
    }

    /// The key as a request context names it (`kms:viaservice`).
    pub fn name(&self) -> String {
        match self {
            CKey::PrincipalArn => "aws:PrincipalArn".into(),
            CKey::PrincipalAccount => "aws:PrincipalAccount".into(),
            CKey::PrincipalType => "aws:PrincipalType".into(),
            CKey::Username => "aws:username".into(),
            CKey::Userid => "aws:userid".into(),
            CKey::PrincipalTag(t) => format!("aws:PrincipalTag/{t}"),
            CKey::PrincipalIsAwsService => "aws:PrincipalIsAWSService".into(),
            CKey::PrincipalServiceName => "aws:PrincipalServiceName".into(),
            CKey::RequestedRegion => "aws:RequestedRegion".into(),
            CKey::Time { .. } => "aws:CurrentTime".into(),
            CKey::EncryptionContext(k) => format!("kms:EncryptionContext:{k}"),
            CKey::EncryptionContextKeys => "kms:EncryptionContextKeys".into(),
            CKey::RequestAlias => "kms:RequestAlias".into(),
            CKey::ResourceTag(t) => format!("aws:ResourceTag/{t}"),
            CKey::ResourceAliases => "kms:ResourceAliases".into(),
            CKey::KeySpec => "kms:KeySpec".into(),
            CKey::KeyUsage => "kms:KeyUsage".into(),
            CKey::KeyOrigin => "kms:KeyOrigin".into(),
            CKey::MultiRegion => "kms:MultiRegion".into(),
            CKey::MultiRegionKeyType => "kms:MultiRegionKeyType".into(),
            CKey::SecureTransport => "aws:SecureTransport".into(),
            CKey::ViaAwsService => "aws:ViaAWSService".into(),
            CKey::User(name) => name.clone(),
        }
    }
}
