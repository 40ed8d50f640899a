//! Asking a snapshot: which principal and key a question names, the request
//! context the organization implies, and the answer — complete, or
//! incomplete with what is missing and the best and worst it could be.

use keyward_eval::{
    system_clock, ContextValue, Decision, EvalError, Instant, KmsAction, KmsErrorKind, Request,
    Resolution, Response,
};

use crate::model::{ChainView, KeyData, Mentions, PrincipalData};
use crate::problem::{Gap, GapKind};
use crate::snapshot::Snapshot;
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
    fn new(message: impl Into<String>, help: impl Into<String>) -> AskError {
        AskError {
            message: message.into(),
            help: help.into(),
        }
    }

    fn eval(e: EvalError) -> AskError {
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
    Complete(Response<'q>),
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

    /// What of the slice (principal, key, their chains) is missing; which of
    /// it feeds conditions (no best or worst case); whether the key's state
    /// is unknown.
    pub(crate) fn missing(
        &self,
        p: &PrincipalData,
        k: &KeyData,
        given: &[(String, ContextValue)],
    ) -> (Vec<Gap>, Vec<Gap>, bool) {
        let mut missing: Vec<Gap> = p.gaps.iter().chain(&k.gaps).cloned().collect();
        let mut mentions = p.mentions.or(k.mentions);
        if let Some(org) = &self.org {
            for view in [org.scp_of(&p.account), org.rcp_of(&k.account)] {
                match view {
                    ChainView::None => {}
                    ChainView::Unknown(g) => missing.push(g),
                    ChainView::Known(chain) => {
                        for level in &chain.levels {
                            mentions = mentions.or(Mentions::of(&level.docs));
                            missing.extend(level.gaps.iter().cloned());
                        }
                    }
                }
            }
        }
        if let Some(g) = self.alias_gaps.get(&(k.account.clone(), k.region.clone())) {
            missing.push(g.clone());
        }
        let given_key = |name: &str| given.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        let mut unknowns = Vec::new();
        let mut keep = |g: &Gap| match g.kind {
            GapKind::KeyMetadata if mentions.key_metadata => {
                unknowns.push(g.clone());
                true
            }
            GapKind::KeyTags if mentions.resource_tags => {
                unknowns.push(g.clone());
                true
            }
            GapKind::Aliases if mentions.resource_aliases => {
                unknowns.push(g.clone());
                true
            }
            GapKind::KeyMetadata => true,
            GapKind::KeyTags | GapKind::Aliases => false,
            _ => true,
        };
        missing.retain(|g| keep(g));
        if mentions.org_context {
            for (account, name) in [
                (&p.account, "aws:PrincipalOrgID"),
                (&k.account, "aws:ResourceOrgID"),
            ] {
                if !given_key(name) {
                    if let Some(g) = self.org_context_gap(account, name) {
                        unknowns.push(g.clone());
                        missing.push(g);
                    }
                }
            }
        }
        let key_metadata_missing = k.gaps.iter().any(|g| g.kind == GapKind::KeyMetadata);
        (missing, unknowns, key_metadata_missing)
    }
}

impl Question {
    /// The principal's ARN.
    pub fn principal_arn(&self) -> &str {
        self.principal.caller.arn()
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
            Kind::NotFound { world, request } => Verdict::Complete(world.auth.decide(request)),
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

/// The rule of `docs/snapshot-format.md`, "Incomplete answers".
pub(crate) fn judge<'w>(
    rw: Response<'w>,
    rb: Response<'w>,
    unknowns: &[Gap],
    key_metadata_missing: bool,
    missing: &[Gap],
) -> Verdict<'w> {
    let (ow, ob) = (Outcome::of(&rw), Outcome::of(&rb));
    if !unknowns.is_empty() {
        return Verdict::Incomplete(Incomplete {
            worst: None,
            best: None,
            missing: missing.to_vec(),
            why: "a policy's condition tests a value the snapshot does not hold".into(),
        });
    }
    if ow != ob {
        let why = match (ow.decision, ob.decision) {
            (Decision::Allow, _) | (_, Decision::Allow) => {
                "whether it is allowed depends on the missing data"
            }
            _ => {
                "it is denied whatever the missing data holds, but whether explicitly depends on it"
            }
        };
        return Verdict::Incomplete(Incomplete {
            worst: Some(ow),
            best: Some(ob),
            missing: missing.to_vec(),
            why: why.into(),
        });
    }
    if key_metadata_missing && ob.decision == Decision::Allow {
        return Verdict::Incomplete(Incomplete {
            worst: Some(ow),
            best: Some(ob),
            missing: missing.to_vec(),
            why: "the policies allow it, but whether the call succeeds depends on the key's state, which the snapshot does not hold".into(),
        });
    }
    // Equal: the worst case has no stand-in allow and the best no stand-in
    // deny, so the one whose stand-ins did not apply explains it.
    if ow.decision == Decision::ExplicitDeny {
        Verdict::Complete(rb)
    } else {
        Verdict::Complete(rw)
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

/// Where a key reference led.
enum Resolved {
    Key { index: usize, alias: Option<String> },
    NotFound { world: Box<World>, request: Request },
    Unknowable(Gap),
}

impl Snapshot {
    fn resolve_key(
        &self,
        principal: &PrincipalData,
        ask: &Ask,
        now: Option<Instant>,
    ) -> Result<Resolved, AskError> {
        // A key ARN names its key wherever the request goes (rule 32).
        if let Some(index) = self.keys.iter().position(|k| k.arn == ask.key) {
            return Ok(Resolved::Key { index, alias: None });
        }
        // Resolution reads no policy: compile every key with a stand-in.
        let keys: Vec<KeyData> = self
            .keys
            .iter()
            .map(|k| KeyData {
                policy: Some(self.stock.deny_everyone.clone()),
                grants: Vec::new(),
                ..k.clone()
            })
            .collect();
        let refs: Vec<&KeyData> = keys.iter().collect();
        let world = self.world(&[principal], &refs, Case::Worst, false, now);
        let Some(&pid) = world.principals.first() else {
            return Err(AskError::new("the principal cannot be compiled", ""));
        };
        let reference = ask.key.as_str();
        match world.auth.resolve(reference, ask.region.as_deref(), pid) {
            Ok(Resolution::Key { key, alias }) => {
                let index = world
                    .keys
                    .iter()
                    .position(|k| *k == Some(key))
                    .ok_or_else(|| AskError::new("internal: a key lost its place", ""))?;
                Ok(Resolved::Key {
                    index,
                    alias: alias.map(str::to_string),
                })
            }
            Ok(Resolution::NotFound(nf)) => {
                if nf.is_alias() {
                    if let Some(g) = self.alias_unknowable(nf.account(), nf.region(), nf.name()) {
                        return Ok(Resolved::Unknowable(g));
                    }
                }
                let request = Request::resolved(pid, ask.action, Resolution::NotFound(nf))
                    .map_err(AskError::eval)?;
                Ok(Resolved::NotFound {
                    world: Box::new(world),
                    request,
                })
            }
            Err(e) if e.code == "eval::unknown-key" => self.unknown_key(principal, ask),
            Err(e) => Err(AskError::eval(e)),
        }
    }

    /// An alias looked up where the snapshot's aliases are incomplete, or
    /// that names a key the snapshot does not hold.
    fn alias_unknowable(
        &self,
        account: Option<&str>,
        region: Option<&str>,
        name: &str,
    ) -> Option<Gap> {
        let fits =
            |a: &str, r: &str| account.is_none_or(|x| x == a) && region.is_none_or(|x| x == r);
        if let Some(d) = self
            .dangling
            .iter()
            .find(|d| d.name == name && fits(&d.account, &d.region))
        {
            return Some(Gap {
                kind: GapKind::Aliases,
                what: format!(
                    "`{name}` of account {} in {} names key `{}`, which is not in the snapshot",
                    d.account, d.region, d.target
                ),
                place: None,
            });
        }
        self.alias_gaps
            .iter()
            .find(|((a, r), _)| fits(a, r))
            .map(|(_, g)| g.clone())
    }

    fn unknown_key(&self, principal: &PrincipalData, ask: &Ask) -> Result<Resolved, AskError> {
        let reference = ask.key.as_str();
        let (account, region, alias) = match reference.strip_prefix("arn:") {
            Some(_) => {
                let parts: Vec<&str> = reference.splitn(6, ':').collect();
                let resource = parts.get(5).copied().unwrap_or("");
                (
                    parts.get(4).map(|s| s.to_string()),
                    parts.get(3).map(|s| s.to_string()),
                    resource.starts_with("alias/").then_some(resource),
                )
            }
            None => (
                Some(principal.account.clone()),
                ask.region.clone(),
                reference.starts_with("alias/").then_some(reference),
            ),
        };
        if let Some(name) = alias {
            if let Some(g) = self.alias_unknowable(account.as_deref(), region.as_deref(), name) {
                return Ok(Resolved::Unknowable(g));
            }
        }
        if let Some(a) = &account {
            match self.regions.get(a) {
                None => {
                    return Err(AskError::new(
                        format!("the snapshot holds no KMS data of account {a}, so it cannot say what `{reference}` names"),
                        "collect that account too (scripts/collect-snapshot.sh with its profile, into the same folder)",
                    ))
                }
                Some(regions) => {
                    if let Some(r) = region.as_ref().filter(|r| !regions.contains(*r)) {
                        return Err(AskError::new(
                            format!("the snapshot holds no KMS data of account {a} in {r}, so it cannot say what `{reference}` names"),
                            "collect that Region too (`--regions`)",
                        ));
                    }
                }
            }
        }
        Err(AskError::new(
            format!("no key `{reference}` in the snapshot"),
            "name a key by its key ARN, key id, alias name or alias ARN; `keyward snapshot check` lists what was loaded",
        ))
    }
}
