//! Asking a snapshot: which principal and key a question names, the request
//! context the organization implies, and the answer — complete, or
//! incomplete with what is missing and the best and worst it could be.

use keyward_eval::{
    system_clock, ContextValue, Decision, EvalError, KmsAction, KmsErrorKind, Request, Response,
};

use crate::model::{KeyData, PrincipalData};
use crate::problem::Gap;
use crate::resolve::Resolved;
use crate::snapshot::Snapshot;
use crate::verdict::judge;
use crate::world::{Case, World};

/// A question about a snapshot: may `principal` do `action` on `key`?
#[derive(Clone, Debug)]
pub struct Ask {
    /// The principal: an ARN (user, role, role session, root), an account
    /// id, or a user or role name that only one principal has.
    pub principal: String,
    /// The action.
    pub action: KmsAction,
    /// The key as a KMS call names it: key ARN, key id, alias name or
    /// alias ARN (bare names resolve in the caller's account and Region).
    pub key: String,
    /// The Region the request is sent to (default: the key's).
    pub region: Option<String>,
    /// Request-context values (`kms:ViaService`, …).
    pub context: Vec<(String, ContextValue)>,
    /// Encryption-context pairs.
    pub encryption_context: Vec<(String, String)>,
}

impl Ask {
    /// A question with no context.
    pub fn new(principal: impl Into<String>, action: KmsAction, key: impl Into<String>) -> Ask {
        Ask {
            principal: principal.into(),
            action,
            key: key.into(),
            region: None,
            context: Vec::new(),
            encryption_context: Vec::new(),
        }
    }
}

/// A question the snapshot cannot even pose: an unknown principal or key,
/// an ambiguous name, an action that takes no key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskError {
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

impl AskError {
    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> AskError {
        AskError {
            message: message.into(),
            help: help.into(),
        }
    }

    pub(crate) fn eval(e: EvalError) -> AskError {
        AskError {
            message: e.message,
            help: e.help.unwrap_or_default(),
        }
    }
}

impl std::fmt::Display for AskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A decision and the KMS error of an allowed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// The error an allowed call ends in.
    pub error: Option<KmsErrorKind>,
}

impl Outcome {
    pub(crate) fn of(r: &Response<'_>) -> Outcome {
        Outcome {
            decision: r.decision(),
            error: r.error().map(|e| e.kind()),
        }
    }
}

/// An answer that depends on what the snapshot lacks.
#[derive(Clone, Debug)]
pub struct Incomplete {
    /// The answer when everything missing is as restrictive as it can be,
    /// when that bounds the answer (`None` when the missing data feeds a
    /// condition, which has no worst case).
    pub worst: Option<Outcome>,
    /// The answer when everything missing is as permissive as it can be.
    pub best: Option<Outcome>,
    /// What is missing, with where it was referenced.
    pub missing: Vec<Gap>,
    /// Why the missing data matters, in words.
    pub why: String,
}

/// The answer to an [`Ask`].
#[derive(Debug)]
pub enum Verdict<'q> {
    /// The data present decides it, whatever the missing data holds.
    Complete(Box<Response<'q>>),
    /// It depends on data the snapshot lacks.
    Incomplete(Incomplete),
}

/// A posed question: the slices it is decided in. Decide with
/// [`Question::answer`].
#[derive(Debug)]
pub struct Question {
    principal: PrincipalData,
    key_arn: String,
    action: KmsAction,
    kind: Kind,
}

/// The worst and best slices of a question, and what they lack.
#[derive(Debug)]
struct Slices {
    worst: World,
    best: World,
    worst_request: Request,
    best_request: Request,
    unknowns: Vec<Gap>,
    key_metadata_missing: bool,
    missing: Vec<Gap>,
}

#[derive(Debug)]
enum Kind {
    /// Decided in the worst and best slices.
    Slices(Box<Slices>),
    /// The reference finds no key: answered by KMS before any policy.
    NotFound { world: Box<World>, request: Request },
    /// Which key the reference names cannot be known.
    Unknowable(Gap),
}

impl Snapshot {
    /// Pose `ask`: find its principal and key, and compile what decides it.
    ///
    /// ```
    /// use keyward_eval::{Decision, KmsAction};
    /// use keyward_snapshot::{load, Ask, LoadOptions, Verdict};
    /// # let files = keyward_snapshot::synthetic::small();
    /// let snapshot = load(&files, &LoadOptions::default());
    /// let q = snapshot.ask(&Ask::new("app-0", KmsAction::Decrypt, "alias/data-0")).unwrap();
    /// match q.answer() {
    ///     Verdict::Complete(r) => assert_eq!(r.decision(), Decision::Allow),
    ///     Verdict::Incomplete(i) => panic!("{}", i.why),
    /// }
    /// ```
    pub fn ask(&self, ask: &Ask) -> Result<Question, AskError> {
        if !ask.action.targets_key() {
            return Err(AskError::new(
                format!(
                    "`{}` does not act on a key, so no key policy decides it",
                    ask.action
                ),
                "ask about an action that takes a KeyId, such as `kms:Decrypt`",
            ));
        }
        let principal = self.find_principal(&ask.principal)?;
        let now = system_clock();
        let (key, alias) = match self.resolve_key(&principal, ask, now)? {
            Resolved::Key { index, alias } => (index, alias),
            Resolved::NotFound { world, request } => {
                return Ok(Question {
                    key_arn: request
                        .not_found()
                        .map_or_else(|| ask.key.clone(), |nf| nf.arn().to_string()),
                    principal,
                    action: ask.action,
                    kind: Kind::NotFound { world, request },
                })
            }
            Resolved::Unknowable(gap) => {
                return Ok(Question {
                    principal,
                    key_arn: ask.key.clone(),
                    action: ask.action,
                    kind: Kind::Unknowable(gap),
                })
            }
        };
        let k = &self.keys[key];
        let worst = self.world(&[&principal], &[k], Case::Worst, false, now);
        let best = self.world(&[&principal], &[k], Case::Best, true, now);
        let spec = RequestSpec {
            action: ask.action,
            alias: alias.as_deref(),
            region: ask.region.as_deref(),
            encryption_context: &ask.encryption_context,
            context: &ask.context,
        };
        let worst_request = self.request(&worst, 0, 0, &principal, k, &spec)?;
        let best_request = self.request(&best, 0, 0, &principal, k, &spec)?;
        let (missing, unknowns, key_metadata_missing) = self.missing(&principal, k, &ask.context);
        Ok(Question {
            principal,
            key_arn: k.arn.clone(),
            action: ask.action,
            kind: Kind::Slices(Box::new(Slices {
                worst,
                best,
                worst_request,
                best_request,
                unknowns,
                key_metadata_missing,
                missing,
            })),
        })
    }
}

impl Question {
    /// The principal's ARN.
    pub fn principal_arn(&self) -> &str {
        self.principal.caller.arn()
    }

    /// What kind of principal asks (an outsider's policies are unknown).
    pub fn principal_kind(&self) -> crate::model::PrincipalKind {
        self.principal.kind
    }

    /// The key's ARN (for a reference that finds no key: what KMS looked for).
    pub fn key_arn(&self) -> &str {
        &self.key_arn
    }

    /// The action.
    pub fn action(&self) -> KmsAction {
        self.action
    }

    /// Decide.
    pub fn answer(&self) -> Verdict<'_> {
        match &self.kind {
            Kind::NotFound { world, request } => {
                Verdict::Complete(Box::new(world.auth.decide(request)))
            }
            Kind::Unknowable(gap) => Verdict::Incomplete(Incomplete {
                worst: None,
                best: None,
                missing: vec![gap.clone()],
                why: "which key the reference names depends on aliases the snapshot does not hold"
                    .into(),
            }),
            Kind::Slices(s) => {
                let rw = s.worst.auth.decide(&s.worst_request);
                let rb = s.best.auth.decide(&s.best_request);
                judge(rw, rb, &s.unknowns, s.key_metadata_missing, &s.missing)
            }
        }
    }
}

/// The parts of a request beyond who and which key.
pub(crate) struct RequestSpec<'a> {
    pub(crate) action: KmsAction,
    pub(crate) alias: Option<&'a str>,
    pub(crate) region: Option<&'a str>,
    pub(crate) encryption_context: &'a [(String, String)],
    pub(crate) context: &'a [(String, ContextValue)],
}

impl Snapshot {
    /// The request of principal `pi` on key `ki` of world `w` (`p` and `k`
    /// are their data), with the organization's context.
    pub(crate) fn request(
        &self,
        w: &World,
        pi: usize,
        ki: usize,
        p: &PrincipalData,
        k: &KeyData,
        spec: &RequestSpec<'_>,
    ) -> Result<Request, AskError> {
        let (Some(&pid), Some(Some(kid))) = (w.principals.get(pi), w.keys.get(ki)) else {
            return Err(AskError::new(
                format!("key `{}` cannot be compiled", k.arn),
                "see `keyward snapshot check`",
            ));
        };
        let mut r = Request::new(pid, spec.action, *kid).map_err(AskError::eval)?;
        if let Some(a) = spec.alias {
            r = r.via_alias(a);
        }
        if let Some(region) = spec.region {
            r = r.in_region(region);
        }
        for (name, value) in spec.encryption_context {
            r = r.with_encryption_context(name, value);
        }
        for (name, value) in self.org_context(p, k, spec.context) {
            r = r.with_context(&name, value).map_err(AskError::eval)?;
        }
        for (name, value) in spec.context {
            r = r
                .with_context(name, value.clone())
                .map_err(AskError::eval)?;
        }
        Ok(r)
    }
}
