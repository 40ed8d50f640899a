//! The answers of reverse queries: one entry per principal (or class of
//! principals), action and key, with how and when it is allowed, and the
//! request that proves it. The JSON shape is a contract (`docs/who-can.md`).

use keyward_eval::answer::Answer;
use keyward_eval::{AllowPath, ContextValue, KmsAction, KmsErrorKind, NewGrant};
use serde_json::{json, Map, Value};

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
        let context: Map<String, Value> = self
            .context
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    ContextValue::One(s) => json!(s.as_ref()),
                    ContextValue::Many(list) => {
                        json!(list.iter().map(AsRef::as_ref).collect::<Vec<&str>>())
                    }
                };
                (k.clone(), value)
            })
            .collect();
        let ec: Map<String, Value> = self
            .encryption_context
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let mut out = json!({
            "principal": self.principal,
            "action": self.action.qualified_name(),
            "key": self.key,
            "context": context,
            "encryptionContext": ec,
        });
        if let Some(r) = &self.region {
            out["region"] = json!(r);
        }
        if let Some(g) = &self.new_grant {
            out["newGrant"] = json!({
                "grantee": g.grantee,
                "operations": g.operations.iter().map(|a| a.name()).collect::<Vec<_>>(),
                "constraints": g.constraints.as_ref().map(constraints_json),
            });
        }
        if let Some(w) = self.assumes {
            out["callerPolicies"] = json!({
                "identityPoliciesAllow": w.iam_allows,
                "boundaryAllows": !w.bounded,
            });
        }
        out
    }
}

fn constraints_json(c: &keyward_eval::GrantConstraints) -> Value {
    let (name, pairs) = match c {
        keyward_eval::GrantConstraints::EncryptionContextEquals(p) => {
            ("encryptionContextEquals", p)
        }
        keyward_eval::GrantConstraints::EncryptionContextSubset(p) => {
            ("encryptionContextSubset", p)
        }
    };
    let map: Map<String, Value> = pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    json!({ name: map })
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
        let reasons = self
            .answer
            .as_ref()
            .map(|a| serde_json::to_value(&a.reasons).unwrap_or(Value::Null))
            .unwrap_or_else(|| json!([]));
        let mut out = json!({
            "principal": self.principal,
            "kind": self.kind.as_str(),
            "action": self.action.qualified_name(),
            "key": self.key,
            "conditional": self.conditional,
            "conditions": self.conditions,
            "via": self.via.iter().map(|v| v.as_str()).collect::<Vec<_>>(),
            "error": self.error.map(|e| e.as_str()),
            "reasons": reasons,
            "witness": self.witness.to_json(),
        });
        if let Some(n) = &self.name {
            out["name"] = json!(n);
        }
        out
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
        json!({"principal": self.principal, "key": self.key, "reason": self.reason})
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
        json!({
            "entries": self.entries.iter().map(Entry::to_json).collect::<Vec<_>>(),
            "unknown": self.unknown.iter().map(Undecided::to_json).collect::<Vec<_>>(),
            "complete": self.unknown.is_empty(),
        })
    }
}
