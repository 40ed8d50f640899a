//! The JSON answers of the checks and of the diff, as typed values: what
//! `keyward check --format json` and `keyward diff --format json` print,
//! and what the browser's compare view reads (`wasm/www/keyward.d.ts` is
//! generated from these types with the `ts` feature). A witness's first
//! fields are those of a `keyward query` request, so it replays as is.

use std::collections::BTreeMap;

use keyward_eval::answer::Answer;
use keyward_eval::ContextValue;
use serde::Serialize;

use crate::checks::{Outcome, Verdict};
use crate::diff::{Change, Diff};
use crate::explain::StatementLoc;
use crate::keys::KeyRep;
use crate::witness::Witness;

/// `pass`, `fail` or `unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CheckResult"))]
#[serde(rename_all = "lowercase")]
pub enum VerdictJson {
    /// No request breaks the property.
    Pass,
    /// Some request does (see the witnesses).
    Fail,
    /// The analysis cannot decide exactly.
    Unknown,
}

impl From<Verdict> for VerdictJson {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Pass => VerdictJson::Pass,
            Verdict::Fail => VerdictJson::Fail,
            Verdict::Unknown => VerdictJson::Unknown,
        }
    }
}

/// A context value: one string or several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum ContextValueJson {
    /// One value.
    One(String),
    /// A multivalued key.
    Many(Vec<String>),
}

impl From<&ContextValue> for ContextValueJson {
    fn from(v: &ContextValue) -> Self {
        match v {
            ContextValue::One(s) => ContextValueJson::One(s.to_string()),
            ContextValue::Many(list) => {
                ContextValueJson::Many(list.iter().map(ToString::to_string).collect())
            }
        }
    }
}

/// The statement that allows a witness, located in its file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementAt {
    /// The file.
    pub file: String,
    /// 1-based line of the statement's start.
    pub line: u32,
    /// 1-based column of the statement's start.
    pub column: u32,
    /// The policy's name.
    pub policy: String,
    /// The statement's Sid, or `#index`.
    pub statement: String,
}

impl From<&StatementLoc> for StatementAt {
    fn from(s: &StatementLoc) -> Self {
        StatementAt {
            file: s.file.clone(),
            line: s.line,
            column: s.column,
            policy: s.policy.clone(),
            statement: s.statement.clone(),
        }
    }
}

/// What the caller's own policies were assumed to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CallerPoliciesJson {
    /// Its IAM identity policies allow the request.
    pub identity_policies_allow: bool,
    /// Its permissions boundary (if any) allows it.
    pub boundary_allows: bool,
    /// The same, for people.
    pub description: String,
}

/// The key properties a witness's key class has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct KeyPropertiesJson {
    /// `aws:ResourceTag/*`.
    pub tags: BTreeMap<String, String>,
    /// `kms:ResourceAliases`.
    pub aliases: Vec<String>,
    /// `kms:KeySpec`.
    pub key_spec: String,
    /// `kms:KeyUsage`.
    pub key_usage: String,
    /// `kms:KeyOrigin`.
    pub origin: String,
    /// `kms:MultiRegionKeyType`.
    pub multi_region_key_type: Option<String>,
}

impl From<&KeyRep> for KeyPropertiesJson {
    fn from(k: &KeyRep) -> Self {
        KeyPropertiesJson {
            tags: k.tags.iter().cloned().collect(),
            aliases: k.aliases.clone(),
            key_spec: k.key_spec.clone(),
            key_usage: k.key_usage.clone(),
            origin: k.origin.as_str().to_string(),
            multi_region_key_type: k.multi_region_key_type.clone(),
        }
    }
}

/// A witness: one concrete request, and why it is decided as the check
/// says. `principal`, `action`, `key`, `context`, `encryptionContext` and
/// `region` are the fields of a `keyward query` request.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WitnessJson {
    /// The caller's ARN (or service name).
    pub principal: String,
    /// The action.
    pub action: String,
    /// The key's ARN.
    pub key: String,
    /// The request context (including `aws:CurrentTime`, `kms:RequestAlias`).
    pub context: BTreeMap<String, ContextValueJson>,
    /// The encryption context.
    pub encryption_context: BTreeMap<String, String>,
    /// Why the policy under check allows it (for a loss: why the base did).
    pub reasons: Vec<String>,
    /// The statement that allows it.
    pub statement: Option<StatementAt>,
    /// The class of callers it stands for.
    pub principal_class: String,
    /// Every action the class stands for.
    pub actions: Vec<String>,
    /// The conditions of the class, for people.
    pub conditions: Vec<String>,
    /// The Region the request is sent to, when it matters.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub region: Option<String>,
    /// What the caller's own policies were assumed to do (key policies).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub caller_policies: Option<CallerPoliciesJson>,
    /// The caller's unique id (`aws:userid`), when the class needs one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub user_id: Option<String>,
    /// The caller's tags, when the class needs them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub principal_tags: Option<BTreeMap<String, String>>,
    /// The key's properties, when the class needs them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub key_properties: Option<KeyPropertiesJson>,
    /// Why the other policy decides otherwise (no-new-access, diff).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub base_reasons: Option<Vec<String>>,
    /// No-public-access: `public` or `external`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub scope: Option<String>,
    /// The answer of the policy that allows it, in keyward's one answer format.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub answer: Option<Answer>,
    /// The other policy's answer (no-new-access, diff).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub base_answer: Option<Answer>,
}

impl From<&Witness> for WitnessJson {
    fn from(w: &Witness) -> Self {
        let nonempty = |tags: &[(String, String)]| {
            (!tags.is_empty()).then(|| tags.iter().cloned().collect::<BTreeMap<_, _>>())
        };
        WitnessJson {
            principal: w.principal.clone(),
            action: w.action.qualified_name().to_string(),
            key: w.key.clone(),
            context: w
                .context
                .iter()
                .map(|(k, v)| (k.clone(), v.into()))
                .collect(),
            encryption_context: w.encryption_context.iter().cloned().collect(),
            reasons: w.reasons.clone(),
            statement: w.statement.as_ref().map(StatementAt::from),
            principal_class: w.principal_class.clone(),
            actions: qualified(&w.actions),
            conditions: w.conditions.clone(),
            region: w.region.clone(),
            caller_policies: w.caller_policies.map(|c| CallerPoliciesJson {
                identity_policies_allow: c.iam_allows,
                boundary_allows: !c.bounded,
                description: c.describe().to_string(),
            }),
            user_id: w.user_id.clone(),
            principal_tags: nonempty(&w.principal_tags),
            key_properties: w.key_class.as_ref().map(KeyPropertiesJson::from),
            base_reasons: (!w.base_reasons.is_empty()).then(|| w.base_reasons.clone()),
            scope: w.scope.map(str::to_string),
            answer: w.answer.clone(),
            base_answer: w.base_answer.clone(),
        }
    }
}

/// What a check found for one policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutcomeJson {
    /// `no-new-access`, `access-not-granted` or `no-public-access`.
    pub check: String,
    /// The verdict.
    pub result: VerdictJson,
    /// `key` or `identity`.
    pub kind: String,
    /// Requests that break the property (for a fail).
    pub witnesses: Vec<WitnessJson>,
    /// Why the answer is unknown, or a note on a pass.
    pub reason: Option<String>,
    /// How many classes of requests were decided.
    pub classes: usize,
}

impl From<&Outcome> for OutcomeJson {
    fn from(o: &Outcome) -> Self {
        OutcomeJson {
            check: o.check.to_string(),
            result: o.verdict.into(),
            kind: o.kind.as_str().to_string(),
            witnesses: o.witnesses.iter().map(WitnessJson::from).collect(),
            reason: o.reason.clone(),
            classes: o.classes,
        }
    }
}

/// Gained or lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The head allows it, the base does not.
    Gained,
    /// The base allowed it, the head does not.
    Lost,
}

/// One change of access.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChangeJson {
    /// Gained or lost.
    pub change: ChangeKind,
    /// The class of callers.
    pub principal_class: String,
    /// The key (the ARN of its class).
    pub key: String,
    /// The actions.
    pub actions: Vec<String>,
    /// When it holds: alternatives, each a list of conditions that hold
    /// together; a single empty list means always.
    pub when: Vec<Vec<String>>,
    /// One request of the change; `answer` is the policy that allows it
    /// (the head for a gain, the base for a loss), `baseAnswer` the other.
    pub example: WitnessJson,
}

impl From<&Change> for ChangeJson {
    fn from(c: &Change) -> Self {
        ChangeJson {
            change: if c.gained {
                ChangeKind::Gained
            } else {
                ChangeKind::Lost
            },
            principal_class: c.principal_class.clone(),
            key: c.key.clone(),
            actions: qualified(&c.actions),
            when: c.when.clone(),
            example: (&c.example).into(),
        }
    }
}

/// The changes between two policies.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiffJson {
    /// The changes, gains first.
    pub changes: Vec<ChangeJson>,
    /// Why the diff may be incomplete (then it is not a proof of no change).
    pub unknown: Option<String>,
    /// How many classes of requests were decided.
    pub classes: usize,
}

impl From<&Diff> for DiffJson {
    fn from(d: &Diff) -> Self {
        DiffJson {
            changes: d.changes.iter().map(ChangeJson::from).collect(),
            unknown: d.unknown.clone(),
            classes: d.classes,
        }
    }
}

fn qualified(actions: &[keyward_eval::KmsAction]) -> Vec<String> {
    actions
        .iter()
        .map(|a| a.qualified_name().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use keyward_eval::PolicyDoc;
    use keyward_policy::{parse_policy, Source};
    use serde_json::Value;

    use crate::checks::CheckOptions;
    use crate::diff::diff;
    use crate::world::Kind;

    fn doc(name: &str, users: &[&str]) -> Result<PolicyDoc, String> {
        let principals: Vec<String> = users
            .iter()
            .map(|u| format!("\"arn:aws:iam::111122223333:user/{u}\""))
            .collect();
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "Users", "Effect": "Allow",
                "Principal": {{"AWS": [{}]}}, "Action": "kms:Decrypt", "Resource": "*"}}]}}"#,
            principals.join(", ")
        );
        let policy = parse_policy(&text).map_err(|e| format!("{e:?}"))?;
        Ok(PolicyDoc::new(
            name,
            Source::new(name, text.as_str()),
            policy,
        ))
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The documented fields of a change and its witness (docs/checks.md),
    /// and none of the optional ones a plain key policy does not need.
    #[test]
    fn a_change_serializes_with_the_documented_fields() -> Result<(), String> {
        let (base, head) = (
            doc("old.json", &["Bob"])?,
            doc("new.json", &["Bob", "Alice"])?,
        );
        let mut options = CheckOptions::default();
        options.space.key_arn = Some(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        );
        let d = diff(&base, &head, Kind::KeyPolicy, &options);
        let json = d.to_json();
        assert_eq!(keys(&json), ["changes", "classes", "unknown"]);
        let change = &json["changes"][0];
        assert_eq!(change["change"], "gained");
        assert_eq!(
            keys(change),
            [
                "actions",
                "change",
                "example",
                "key",
                "principalClass",
                "when"
            ]
        );
        let w = &change["example"];
        assert_eq!(w["principal"], "arn:aws:iam::111122223333:user/Alice");
        assert_eq!(w["statement"]["statement"], "Users");
        assert_eq!(w["statement"]["file"], "new.json");
        assert_eq!(w["answer"]["decision"], "allow");
        assert_eq!(
            keys(w),
            [
                "action",
                "actions",
                "answer",
                "baseAnswer",
                "baseReasons",
                "callerPolicies",
                "conditions",
                "context",
                "encryptionContext",
                "key",
                "principal",
                "principalClass",
                "reasons",
                "statement"
            ]
        );
        Ok(())
    }
}
