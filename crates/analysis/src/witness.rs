//! A witness: one concrete request, with the same fields `keyward query`
//! takes, and why the policies decide it as the check says.

use keyward_eval::answer::Answer;
use keyward_eval::{ContextValue, KmsAction};
use serde_json::Value;

use crate::dims::Facet;
use crate::explain::StatementLoc;
use crate::json::WitnessJson;
use crate::keys::KeyRep;
use crate::principals::{PrincipalRep, RepKind};
use crate::scalars::instant_text;
use crate::space::{Class, Space};
use crate::world::{Kind, World};

/// One concrete request and its explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct Witness {
    /// The caller's ARN (or service name).
    pub principal: String,
    /// The class of callers it stands for.
    pub principal_class: String,
    /// The caller's unique id, when the class needs one (`aws:userid`).
    pub user_id: Option<String>,
    /// The caller's tags, when the class needs them.
    pub principal_tags: Vec<(String, String)>,
    /// What the caller's own policies were assumed to do (key policies;
    /// `None` where they do not matter: root, services, identity policies).
    pub caller_policies: Option<World>,
    /// The action.
    pub action: KmsAction,
    /// Every action the class stands for.
    pub actions: Vec<KmsAction>,
    /// The key's ARN.
    pub key: String,
    /// The key's properties, when the class needs them.
    pub key_class: Option<KeyRep>,
    /// The request context (including `aws:CurrentTime` and `kms:RequestAlias`).
    pub context: Vec<(String, ContextValue)>,
    /// The encryption context.
    pub encryption_context: Vec<(String, String)>,
    /// The Region the request is sent to, when it matters.
    pub region: Option<String>,
    /// The conditions of the class, for people.
    pub conditions: Vec<String>,
    /// Why the policy under check allows it.
    pub reasons: Vec<String>,
    /// Why the base policy does not (no-new-access, diff).
    pub base_reasons: Vec<String>,
    /// The checked policy's answer, in keyward's one answer format.
    pub answer: Option<Answer>,
    /// The base policy's answer (no-new-access, diff).
    pub base_answer: Option<Answer>,
    /// The statement that allows it.
    pub statement: Option<StatementLoc>,
    /// For no-public-access: `public` (an account no policy names) or
    /// `external` (a named account outside the zone of trust).
    pub scope: Option<&'static str>,
}

impl Witness {
    /// The request of `class`, described.
    pub fn of(space: &Space<'_>, class: &Class<'_>) -> Witness {
        let p: &PrincipalRep = &space.principals[class.principal];
        let k: &KeyRep = &space.keys[class.key];
        let mut w = Witness {
            principal: p.caller.arn().to_string(),
            principal_class: p.label.clone(),
            user_id: p.user_id.clone(),
            principal_tags: p.tags.clone(),
            caller_policies: (space.kind == Kind::KeyPolicy
                && !matches!(p.kind, RepKind::Root | RepKind::Service))
            .then_some(class.world),
            action: class.action.rep,
            actions: class.action.actions.iter().collect(),
            key: k.arn.clone(),
            key_class: (!k.label.is_empty()).then(|| k.clone()),
            context: Vec::new(),
            encryption_context: Vec::new(),
            region: None,
            conditions: class.choices.iter().map(|c| c.label.clone()).collect(),
            reasons: Vec::new(),
            base_reasons: Vec::new(),
            answer: None,
            base_answer: None,
            statement: None,
            scope: None,
        };
        for f in class.facets() {
            match f {
                Facet::Context {
                    key,
                    value: Some(v),
                } => w.context.push((key.clone(), v.clone())),
                Facet::Context { value: None, .. } | Facet::Alias(None) => {}
                Facet::EncryptionContext(pairs) => w.encryption_context.clone_from(pairs),
                Facet::Time(t) => w.context.push((
                    "aws:CurrentTime".into(),
                    ContextValue::One(instant_text(*t).into()),
                )),
                Facet::Region(r) => w.region = Some(r.clone()),
                Facet::Alias(Some(a)) => w.context.push((
                    "kms:RequestAlias".into(),
                    ContextValue::One(a.as_str().into()),
                )),
            }
        }
        w
    }

    /// The witness as the JSON answer writes it (a [`WitnessJson`]): the
    /// fields of a `keyward query` request first, then what the class
    /// assumes.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(WitnessJson::from(self)).unwrap_or(Value::Null)
    }
}
