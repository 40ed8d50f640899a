//! Condition keys, resolved once into an enum, and the values a request has
//! for them.
//!
//! Policies name keys as text (case-insensitive, rule 46). At compile time
//! each key becomes a [`CtxKey`]: the keys keyward fills from the request are
//! variants of their own, tag and encryption-context keys keep their
//! (lowercased) suffix, and any other key is looked up in the context the
//! user supplied. No string hashing happens per request.

/// A condition key, resolved.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CtxKey {
    // --- filled from the principal
    /// `aws:PrincipalArn`
    PrincipalArn,
    /// `aws:PrincipalAccount`
    PrincipalAccount,
    /// `aws:PrincipalType`
    PrincipalType,
    /// `aws:username`
    Username,
    /// `aws:userid`
    Userid,
    /// `aws:PrincipalTag/<key>` (key lowercased)
    PrincipalTag(Box<str>),
    /// `aws:PrincipalIsAWSService`
    PrincipalIsAwsService,
    /// `aws:PrincipalServiceName`
    PrincipalServiceName,
    /// `kms:CallerAccount`
    CallerAccount,
    // --- filled from the request
    /// `aws:RequestedRegion`
    RequestedRegion,
    /// `aws:CurrentTime`
    CurrentTime,
    /// `aws:EpochTime`
    EpochTime,
    /// `kms:EncryptionContext:<key>` (context key as written; compared case-insensitively)
    EncryptionContext(Box<str>),
    /// `kms:EncryptionContextKeys`
    EncryptionContextKeys,
    /// `kms:RequestAlias`
    RequestAlias,
    /// `kms:GrantIsForAWSResource`: for CreateGrant, ListGrants and
    /// RevokeGrant, defaults to whether `kms:ViaService` was given
    GrantIsForAwsResource,
    // --- filled from the key
    /// `aws:ResourceTag/<key>` (key lowercased)
    ResourceTag(Box<str>),
    /// `kms:ResourceAliases`
    ResourceAliases,
    /// `kms:KeySpec` (and the deprecated `kms:CustomerMasterKeySpec`)
    KeySpec,
    /// `kms:KeyUsage` (and the deprecated `kms:CustomerMasterKeyUsage`)
    KeyUsage,
    /// `kms:KeyOrigin`
    KeyOrigin,
    /// `kms:MultiRegion`
    MultiRegion,
    /// `kms:MultiRegionKeyType`
    MultiRegionKeyType,
    // --- defaults the user context may override
    /// `aws:SecureTransport` (KMS endpoints are HTTPS only: defaults to true)
    SecureTransport,
    /// `aws:ViaAWSService` (defaults to whether `kms:ViaService` was given)
    ViaAwsService,
    // --- anything else
    /// Any other key (lowercased): only the user-given context has it.
    Other(Box<str>),
}

/// Who fills a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Filled {
    /// keyward derives it from the principal, key or request; a user may not set it.
    Derived,
    /// keyward has a default the user may override.
    Default,
    /// Only the user-given context has it.
    User,
}

impl CtxKey {
    /// Resolve a key name (case-insensitive).
    pub(crate) fn parse(name: &str) -> CtxKey {
        let lower = name.to_ascii_lowercase();
        if let Some(tag) = lower.strip_prefix("aws:principaltag/") {
            return CtxKey::PrincipalTag(tag.into());
        }
        if let Some(tag) = lower.strip_prefix("aws:resourcetag/") {
            return CtxKey::ResourceTag(tag.into());
        }
        if lower.starts_with("kms:encryptioncontext:") {
            let suffix = &name["kms:encryptioncontext:".len()..];
            return CtxKey::EncryptionContext(suffix.into());
        }
        match lower.as_str() {
            "aws:principalarn" => CtxKey::PrincipalArn,
            "aws:principalaccount" => CtxKey::PrincipalAccount,
            "aws:principaltype" => CtxKey::PrincipalType,
            "aws:username" => CtxKey::Username,
            "aws:userid" => CtxKey::Userid,
            "aws:principalisawsservice" => CtxKey::PrincipalIsAwsService,
            "aws:principalservicename" => CtxKey::PrincipalServiceName,
            "kms:calleraccount" => CtxKey::CallerAccount,
            "aws:requestedregion" => CtxKey::RequestedRegion,
            "aws:currenttime" => CtxKey::CurrentTime,
            "aws:epochtime" => CtxKey::EpochTime,
            "kms:encryptioncontextkeys" => CtxKey::EncryptionContextKeys,
            "kms:requestalias" => CtxKey::RequestAlias,
            "kms:grantisforawsresource" => CtxKey::GrantIsForAwsResource,
            "kms:resourcealiases" => CtxKey::ResourceAliases,
            "kms:keyspec" | "kms:customermasterkeyspec" => CtxKey::KeySpec,
            "kms:keyusage" | "kms:customermasterkeyusage" => CtxKey::KeyUsage,
            "kms:keyorigin" => CtxKey::KeyOrigin,
            "kms:multiregion" => CtxKey::MultiRegion,
            "kms:multiregionkeytype" => CtxKey::MultiRegionKeyType,
            "aws:securetransport" => CtxKey::SecureTransport,
            "aws:viaawsservice" => CtxKey::ViaAwsService,
            _ => CtxKey::Other(lower.into()),
        }
    }

    /// Who fills the key.
    pub(crate) fn filled(&self) -> Filled {
        match self {
            CtxKey::SecureTransport | CtxKey::ViaAwsService | CtxKey::GrantIsForAwsResource => {
                Filled::Default
            }
            CtxKey::Other(_) => Filled::User,
            _ => Filled::Derived,
        }
    }
}

/// What the catalog says of the condition key `name`: `Some(true)` for a
/// multi-valued key, `Some(false)` for a single-valued one ("single-valued
/// context keys have at most one value in the request context", IAM User
/// Guide, "Single-valued vs. multivalued context keys"), `None` for a key of
/// another service the catalog does not list.
pub(crate) fn multi_valued(name: &str) -> Option<bool> {
    let lower = name.to_ascii_lowercase();
    crate::condition_keys::CONDITION_KEYS
        .iter()
        .find(|(key, prefix, _)| {
            if *prefix {
                lower.len() > key.len() && lower.starts_with(key)
            } else {
                lower == *key
            }
        })
        .map(|(_, _, multi)| *multi)
}

/// One value a request has for a key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Val<'a> {
    /// Text (every user-given value is text; typed operators parse it).
    Str(&'a str),
    /// A boolean fact (`kms:MultiRegion`, `aws:SecureTransport`).
    Bool(bool),
    /// An instant written as ISO 8601 where text is needed (`aws:CurrentTime`).
    Time(Instant),
    /// An instant written as epoch seconds where text is needed (`aws:EpochTime`).
    Epoch(Instant),
}

/// An instant: seconds since the Unix epoch and nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub seconds: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
}

impl Instant {
    /// The instant `seconds` after the epoch.
    pub fn from_epoch_seconds(seconds: i64) -> Instant {
        Instant { seconds, nanos: 0 }
    }

    /// Parse ISO 8601 (`2024-05-01T12:00:00Z`, `2024-05-01`) or epoch seconds.
    ///
    /// ```
    /// use keyward_eval::Instant;
    /// assert_eq!(Instant::parse("1970-01-02T00:00:00Z"), Some(Instant::from_epoch_seconds(86400)));
    /// assert_eq!(Instant::parse("86400"), Some(Instant::from_epoch_seconds(86400)));
    /// assert_eq!(Instant::parse("yesterday"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Instant> {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            if let Ok(seconds) = text.parse::<i64>() {
                return Some(Instant::from_epoch_seconds(seconds));
            }
        }
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
            return Some(Instant {
                seconds: t.timestamp(),
                nanos: t.timestamp_subsec_nanos(),
            });
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
                let t = t.and_utc();
                return Some(Instant {
                    seconds: t.timestamp(),
                    nanos: t.timestamp_subsec_nanos(),
                });
            }
        }
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| Instant::from_epoch_seconds(t.and_utc().timestamp()))
    }

    /// ISO 8601 in UTC, as `aws:CurrentTime` is written.
    pub fn to_iso8601(self) -> String {
        chrono::DateTime::from_timestamp(self.seconds, self.nanos)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    }
}

/// A value of the user-given context: one string or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextValue {
    /// One value.
    One(Box<str>),
    /// A list (for multi-valued keys).
    Many(Vec<Box<str>>),
}

impl ContextValue {
    /// The values as a slice.
    pub(crate) fn as_slice(&self) -> &[Box<str>] {
        match self {
            ContextValue::One(v) => std::slice::from_ref(v),
            ContextValue::Many(v) => v,
        }
    }
}

impl From<&str> for ContextValue {
    fn from(v: &str) -> Self {
        ContextValue::One(v.into())
    }
}

impl From<Vec<&str>> for ContextValue {
    fn from(v: Vec<&str>) -> Self {
        ContextValue::Many(v.into_iter().map(Into::into).collect())
    }
}

/// What the request has for a key.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Found<'a> {
    /// Nothing: the key is absent.
    Missing,
    /// One value.
    One(Val<'a>),
    /// A set of text values (never empty: an empty set is `Missing`).
    Strs(&'a [Box<str>]),
    /// The keys of the request's encryption context (never empty).
    EcKeys(&'a [(Box<str>, Box<str>)]),
    /// The key needs a clock and none is set: cannot be evaluated.
    NoClock,
}

impl<'a> Found<'a> {
    /// Visit each value; stop early when `f` returns `Some`.
    pub(crate) fn each<R>(&self, mut f: impl FnMut(Val<'a>) -> Option<R>) -> Option<R> {
        match *self {
            Found::Missing | Found::NoClock => None,
            Found::One(v) => f(v),
            Found::Strs(list) => list.iter().find_map(|s| f(Val::Str(s))),
            Found::EcKeys(pairs) => pairs.iter().find_map(|(k, _)| f(Val::Str(k))),
        }
    }
}

/// Compare two strings ignoring case, Unicode-aware, without allocating.
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_resolve_case_insensitively() {
        assert_eq!(CtxKey::parse("AWS:PrincipalARN"), CtxKey::PrincipalArn);
        assert_eq!(
            CtxKey::parse("aws:PrincipalTag/Team"),
            CtxKey::PrincipalTag("team".into())
        );
        assert_eq!(
            CtxKey::parse("KMS:EncryptionContext:Dept"),
            CtxKey::EncryptionContext("Dept".into())
        );
        assert_eq!(
            CtxKey::parse("kms:ViaService"),
            CtxKey::Other("kms:viaservice".into())
        );
        assert_eq!(CtxKey::parse("kms:ViaService").filled(), Filled::User);
        assert_eq!(CtxKey::parse("aws:username").filled(), Filled::Derived);
    }

    #[test]
    fn the_condition_key_table_is_current_with_the_service_reference() {
        use keyward_policy::json::{self, JsonValue, ParseOptions};
        let parsed = json::parse(
            crate::action::KmsAction::SERVICE_REFERENCE,
            &ParseOptions::default(),
        );
        let root = parsed
            .value
            .unwrap_or_else(|| panic!("{:?}", parsed.diagnostics));
        let mut seen = 0;
        for list in ["conditionKeys", "globalConditionKeys"] {
            for k in root
                .get(list)
                .and_then(JsonValue::as_array)
                .unwrap_or_default()
            {
                let name = k.get("key").and_then(JsonValue::as_str).unwrap_or("?");
                let kind = k.get("type").and_then(JsonValue::as_str).unwrap_or("?");
                let written = name
                    .replace("${TagKey}", "x")
                    .replace("${EncryptionContextKey}", "x")
                    .replace("tag-key", "x");
                assert_eq!(
                    multi_valued(&written),
                    Some(kind.starts_with("ArrayOf")),
                    "{name}: run `python3 crates/eval/build-data.py`"
                );
                seen += 1;
            }
        }
        assert!(seen > 100);
        assert_eq!(multi_valued("aws:SourceVpce"), Some(false));
        assert_eq!(multi_valued("AWS:TagKeys"), Some(true));
        assert_eq!(multi_valued("aws:RequestTag/team"), Some(false));
        assert_eq!(multi_valued("s3:prefix"), None);
    }

    #[test]
    fn unicode_case_folding_without_allocation() {
        assert!(eq_ignore_case("Straße", "STRAßE"));
        assert!(eq_ignore_case("ÉTÉ", "été"));
        assert!(!eq_ignore_case("a", "b"));
    }

    #[test]
    fn instants_print_as_iso8601() {
        assert_eq!(
            Instant::from_epoch_seconds(0).to_iso8601(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Instant::parse("2024-02-29"),
            Instant::parse("2024-02-29T00:00:00Z")
        );
    }
}
