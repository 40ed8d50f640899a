//! The answers of reverse queries: one entry per principal (or class of
//! principals), action and key, with how and when it is allowed, and the
//! request that proves it. The JSON shape is a contract (`docs/who-can.md`).

use keyward_eval::answer::Answer;
use keyward_eval::{AllowPath, ContextValue, KmsAction, KmsErrorKind, NewGrant};
use serde_json::Value;

use crate::reverse_json::{EntryJson, ReplayJson, ReportJson, UndecidedJson};

use crate::scalars::instant_text;
use crate::world::World;

use super::super::dims::Facet;

/// What an entry's principal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// A principal of the world (or one a policy names by ARN).
    Principal,
    /// Principals of an account the world does not hold, whose own IAM
    /// policies the world does not know.
    Account,
    /// An AWS service principal.
    Service,
    /// Any principal of an organization (`aws:PrincipalOrgID`).
    Organization,
    /// Anyone: principals of accounts no policy names.
    Public,
    /// The grantee of a grant, outside the world.
    Grantee,
}

impl EntryKind {
    /// `principal`, `account`, `service`, `organization`, `public` or `grantee`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Principal => "principal",
            EntryKind::Account => "account",
            EntryKind::Service => "service",
            EntryKind::Organization => "organization",
            EntryKind::Public => "public",
            EntryKind::Grantee => "grantee",
        }
    }
}

/// A request that proves an entry: the fields of `keyward query`.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    /// The caller's ARN (or service name).
    pub principal: String,
    /// The action.
    pub action: KmsAction,
    /// The key's ARN.
    pub key: String,
    /// The Region the request is sent to, when not the key's.
    pub region: Option<String>,
    /// The request context (with `aws:CurrentTime` and `kms:RequestAlias`).
    pub context: Vec<(String, ContextValue)>,
    /// The encryption context.
    pub encryption_context: Vec<(String, String)>,
    /// For `CreateGrant` through a grant: the grant asked for.
    pub new_grant: Option<NewGrant>,
    /// For a class outside the world: what its own policies are assumed to do.
    pub assumes: Option<World>,
}

impl Replay {
    /// The request of a class's facets.
    pub fn new(
        principal: &str,
        action: KmsAction,
        key: &str,
        region: Option<&str>,
        facets: &[Facet],
    ) -> Replay {
        let mut r = Replay {
            principal: principal.to_string(),
            action,
            key: key.to_string(),
            region: region.map(str::to_string),
            context: Vec::new(),
            encryption_context: Vec::new(),
            new_grant: None,
            assumes: None,
        };
        for f in facets {
            match f {
                Facet::Context {
                    key,
                    value: Some(v),
                } => r.context.push((key.clone(), v.clone())),
                Facet::Context { value: None, .. } | Facet::Alias(None) => {}
                Facet::EncryptionContext(pairs) => r.encryption_context.clone_from(pairs),
                Facet::Time(t) => r.context.push((
                    "aws:CurrentTime".into(),
                    ContextValue::One(instant_text(*t).into()),
                )),
                Facet::Region(reg) => r.region = Some(reg.clone()),
                Facet::Alias(Some(a)) => r.context.push((
                    "kms:RequestAlias".into(),
                    ContextValue::One(a.as_str().into()),
                )),
            }
        }
        r
    }

    /// Does the request carry anything beyond principal, action and key?
    pub fn has_optional_context(&self) -> bool {
        !self.context.is_empty() || !self.encryption_context.is_empty() || self.new_grant.is_some()
    }

    /// As JSON: the fields of a `keyward query` request.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(ReplayJson::from(self)).unwrap_or(Value::Null)
    }
}

/// One answer: this principal (or class) may be allowed this action on
/// this key, this way, under these conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The principal's ARN, or how the class reads.
    pub principal: String,
    /// The principal's name in the world, when it has one of its own.
    pub name: Option<String>,
    /// What the principal is.
    pub kind: EntryKind,
    /// The action.
    pub action: KmsAction,
    /// The key's ARN.
    pub key: String,
    /// Not every request of the principal is allowed.
    pub conditional: bool,
    /// When: alternatives, each a list of conditions that hold together
    /// (empty when unconditional).
    pub conditions: Vec<Vec<String>>,
    /// How the allowed requests were allowed.
    pub via: Vec<AllowPath>,
    /// The KMS exception every allowed request still ends in (disabled key,
    /// another Region, …), if they all do.
    pub error: Option<KmsErrorKind>,
    /// A request that is allowed (with no optional context when unconditional).
    pub witness: Replay,
    /// The witness's answer, in keyward's one answer format.
    pub answer: Option<Answer>,
}

impl Entry {
    /// The JSON entry (`docs/who-can.md`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(EntryJson::from(self)).unwrap_or(Value::Null)
    }

    /// When, for people: `always`, or the alternatives.
    pub fn when(&self) -> String {
        if !self.conditional {
            return "always".into();
        }
        if self.conditions.is_empty() {
            return "under some conditions".into();
        }
        self.conditions
            .iter()
            .map(|alt| alt.join(" and "))
            .collect::<Vec<_>>()
            .join("; or ")
    }

    /// How, for people.
    pub fn how(&self) -> String {
        let words: Vec<&str> = self
            .via
            .iter()
            .map(|v| match v {
                AllowPath::KeyPolicy => "the key policy",
                AllowPath::KeyPolicyAndIam => "IAM through the key policy",
                AllowPath::Grant => "a grant",
                AllowPath::RetiringPrincipal => "retiring a grant",
            })
            .collect();
        if words.len() > 1 {
            format!("several ways: {}", words.join(", "))
        } else {
            words.join("")
        }
    }
}

/// A principal and key for which the analysis could not decide exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecided {
    /// The principal (ARN or class).
    pub principal: String,
    /// The key's ARN.
    pub key: String,
    /// Why.
    pub reason: String,
}

impl Undecided {
    /// As JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(UndecidedJson::from(self)).unwrap_or(Value::Null)
    }
}

/// The answer of a reverse query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Every entry.
    pub entries: Vec<Entry>,
    /// What could not be decided exactly: the report may be incomplete there.
    pub unknown: Vec<Undecided>,
    /// How many classes of requests were decided.
    pub classes: usize,
}

impl Report {
    /// The JSON answer: `{"entries": [...], "unknown": [...], "complete": bool}`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(ReportJson::from(self)).unwrap_or(Value::Null)
    }
}
