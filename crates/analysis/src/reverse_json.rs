//! The JSON answer of `who-can` and `what-can` (the contract of
//! `docs/who-can.md`), as typed values: what `keyward who-can --format json`
//! prints and what the browser's who-can view reads (`wasm/www/keyward.d.ts`
//! is generated from these types with the `ts` feature). A witness's fields
//! are those of a `keyward query` request, so it replays as is.

use std::collections::BTreeMap;

use keyward_eval::answer::ReasonJson;
use keyward_eval::{AllowPath, GrantConstraints, KmsErrorKind, NewGrant};
use serde::Serialize;

use crate::json::ContextValueJson;
use crate::reverse::{Entry, EntryKind, Replay, Report, Undecided};

/// What an entry's principal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "EntryKind"))]
#[serde(rename_all = "lowercase")]
pub enum EntryKindJson {
    /// A principal of the world (or one a policy names by ARN).
    Principal,
    /// Principals of an account the world does not hold.
    Account,
    /// An AWS service principal.
    Service,
    /// Any principal of an organization.
    Organization,
    /// Anyone: principals of accounts no policy names.
    Public,
    /// The grantee of a grant, outside the world.
    Grantee,
}

impl From<EntryKind> for EntryKindJson {
    fn from(k: EntryKind) -> Self {
        match k {
            EntryKind::Principal => EntryKindJson::Principal,
            EntryKind::Account => EntryKindJson::Account,
            EntryKind::Service => EntryKindJson::Service,
            EntryKind::Organization => EntryKindJson::Organization,
            EntryKind::Public => EntryKindJson::Public,
            EntryKind::Grantee => EntryKindJson::Grantee,
        }
    }
}

/// The grant a `CreateGrant` witness asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewGrantJson {
    /// The grantee principal.
    pub grantee: String,
    /// The operations asked for (`Decrypt`, …).
    pub operations: Vec<String>,
    /// `{"encryptionContextEquals": {…}}` or `{"encryptionContextSubset": {…}}`.
    pub constraints: Option<BTreeMap<String, BTreeMap<String, String>>>,
}

impl From<&NewGrant> for NewGrantJson {
    fn from(g: &NewGrant) -> Self {
        let constraints = g.constraints.as_ref().map(|c| {
            let (name, pairs) = match c {
                GrantConstraints::EncryptionContextEquals(p) => ("encryptionContextEquals", p),
                GrantConstraints::EncryptionContextSubset(p) => ("encryptionContextSubset", p),
            };
            BTreeMap::from([(name.to_string(), pairs.iter().cloned().collect())])
        });
        NewGrantJson {
            grantee: g.grantee.clone(),
            operations: g.operations.iter().map(|a| a.name().to_string()).collect(),
            constraints,
        }
    }
}

/// What a class's own IAM policies are assumed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AssumedPoliciesJson {
    /// Its identity policies allow the request.
    pub identity_policies_allow: bool,
    /// Its permissions boundary (if any) allows it.
    pub boundary_allows: bool,
}

/// The request that proves an entry: the fields of a `keyward query` request.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ReplayJson {
    /// The caller's ARN (or service name).
    pub principal: String,
    /// The action.
    pub action: String,
    /// The key's ARN.
    pub key: String,
    /// The request context (with `aws:CurrentTime` and `kms:RequestAlias`).
    pub context: BTreeMap<String, ContextValueJson>,
    /// The encryption context.
    pub encryption_context: BTreeMap<String, String>,
    /// The Region the request is sent to, when not the key's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub region: Option<String>,
    /// For `CreateGrant` through a grant: the grant asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub new_grant: Option<NewGrantJson>,
    /// For a class outside the world: what its own policies are assumed to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub caller_policies: Option<AssumedPoliciesJson>,
}

impl From<&Replay> for ReplayJson {
    fn from(r: &Replay) -> Self {
        ReplayJson {
            principal: r.principal.clone(),
            action: r.action.qualified_name().to_string(),
            key: r.key.clone(),
            context: r
                .context
                .iter()
                .map(|(k, v)| (k.clone(), ContextValueJson::from(v)))
                .collect(),
            encryption_context: r.encryption_context.iter().cloned().collect(),
            region: r.region.clone(),
            new_grant: r.new_grant.as_ref().map(NewGrantJson::from),
            caller_policies: r.assumes.map(|w| AssumedPoliciesJson {
                identity_policies_allow: w.iam_allows,
                boundary_allows: !w.bounded,
            }),
        }
    }
}

/// One entry: this principal (or class) may be allowed this action on this
/// key, this way, under these conditions.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WhoCanEntry"))]
pub struct EntryJson {
    /// The principal's ARN, or how the class reads.
    pub principal: String,
    /// The principal's name in the world, when it has one of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    /// What the principal is.
    pub kind: EntryKindJson,
    /// The action.
    pub action: String,
    /// The key's ARN.
    pub key: String,
    /// Not every request of the principal is allowed.
    pub conditional: bool,
    /// Alternatives, each a list of conditions that hold together.
    pub conditions: Vec<Vec<String>>,
    /// How the allowed requests were allowed.
    pub via: Vec<AllowPath>,
    /// The KMS exception every allowed request still ends in, if they all do.
    pub error: Option<KmsErrorKind>,
    /// Why the witness is allowed, in keyward's one answer format.
    pub reasons: Vec<ReasonJson>,
    /// A request that is allowed.
    pub witness: ReplayJson,
}

impl From<&Entry> for EntryJson {
    fn from(e: &Entry) -> Self {
        EntryJson {
            principal: e.principal.clone(),
            name: e.name.clone(),
            kind: e.kind.into(),
            action: e.action.qualified_name().to_string(),
            key: e.key.clone(),
            conditional: e.conditional,
            conditions: e.conditions.clone(),
            via: e.via.clone(),
            error: e.error,
            reasons: e
                .answer
                .as_ref()
                .map(|a| a.reasons.clone())
                .unwrap_or_default(),
            witness: ReplayJson::from(&e.witness),
        }
    }
}

/// A principal and key the analysis could not decide exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UndecidedJson {
    /// The principal (ARN or class).
    pub principal: String,
    /// The key's ARN.
    pub key: String,
    /// Why.
    pub reason: String,
}

impl From<&Undecided> for UndecidedJson {
    fn from(u: &Undecided) -> Self {
        UndecidedJson {
            principal: u.principal.clone(),
            key: u.key.clone(),
            reason: u.reason.clone(),
        }
    }
}

/// The answer of a reverse query.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WhoCanReport"))]
pub struct ReportJson {
    /// Every entry.
    pub entries: Vec<EntryJson>,
    /// What could not be decided exactly: the report may be incomplete there.
    pub unknown: Vec<UndecidedJson>,
    /// Nothing is undecided.
    pub complete: bool,
}

impl From<&Report> for ReportJson {
    fn from(r: &Report) -> Self {
        ReportJson {
            entries: r.entries.iter().map(EntryJson::from).collect(),
            unknown: r.unknown.iter().map(UndecidedJson::from).collect(),
            complete: r.unknown.is_empty(),
        }
    }
}
