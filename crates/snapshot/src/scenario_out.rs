//! `to-scenario`: the slice of a snapshot that decides the requests of some
//! principals on some keys, written as a scenario file
//! (`docs/scenario-format.md`) with the snapshot's answers as expectations.

use std::collections::BTreeSet;

use keyward_eval::{system_clock, ContextValue, GrantConstraints, KmsAction};
use keyward_policy::model::to_json_string;

use crate::ask::{AskError, RequestSpec, Verdict};
use crate::model::{ChainView, KeyData, PrincipalData};
use crate::problem::Gap;
use crate::snapshot::Snapshot;
use crate::verdict::judge;
use crate::world::Case;

mod json_out;

use json_out::{pairs, Node};

/// A written slice.
#[derive(Clone, Debug)]
pub struct ToScenario {
    /// The scenario file's text.
    pub text: String,
    /// What the slice lacks (empty unless incomplete slices were allowed).
    pub missing: Vec<Gap>,
    /// How many expectations were written.
    pub expectations: usize,
    /// How many requests were left out because their answer is incomplete.
    pub incomplete: usize,
}

/// Why no slice was written.
#[derive(Clone, Debug)]
pub enum ToScenarioError {
    /// A principal or key could not be found.
    Ask(AskError),
    /// The slice depends on data the snapshot lacks (a scenario cannot say
    /// "unknown"); allow it to write the data present only.
    Incomplete(Vec<Gap>),
}

impl Snapshot {
    /// Write the slice deciding `principals` (all of the snapshot's when
    /// empty) × `keys` × `actions`.
    pub fn to_scenario(
        &self,
        keys: &[String],
        principals: &[String],
        actions: &[KmsAction],
        allow_incomplete: bool,
    ) -> Result<ToScenario, ToScenarioError> {
        let keys: Vec<&KeyData> = keys
            .iter()
            .map(|k| self.select_key(k))
            .collect::<Result<_, _>>()
            .map_err(ToScenarioError::Ask)?;
        let principals: Vec<PrincipalData> = if principals.is_empty() {
            self.principals.clone()
        } else {
            principals
                .iter()
                .map(|p| self.find_principal(p))
                .collect::<Result<_, _>>()
                .map_err(ToScenarioError::Ask)?
        };
        let mut missing: Vec<Gap> = Vec::new();
        for p in &principals {
            for k in &keys {
                for g in self.missing(p, k, &[]).0 {
                    if !missing.contains(&g) {
                        missing.push(g);
                    }
                }
            }
        }
        if !missing.is_empty() && !allow_incomplete {
            return Err(ToScenarioError::Incomplete(missing));
        }
        let mut w = Writer::new(self, &principals, &keys);
        let (expect, incomplete) = w.expectations(actions);
        let description = if missing.is_empty() {
            format!(
                "{} principals × {} keys of a snapshot (keyward snapshot to-scenario)",
                principals.len(),
                keys.len()
            )
        } else {
            format!(
                "{} principals × {} keys of a snapshot (keyward snapshot to-scenario); the snapshot lacks {} pieces of data this slice depends on, left out here: {}",
                principals.len(),
                keys.len(),
                missing.len(),
                missing.iter().map(|g| g.what.as_str()).collect::<Vec<_>>().join("; ")
            )
        };
        let expectations = match &expect {
            Node::Arr(items) => items.len(),
            _ => 0,
        };
        let root = Node::Obj(vec![
            ("description".into(), Node::Str(description)),
            ("principals".into(), w.principals()),
            ("keys".into(), w.keys()),
            ("grants".into(), w.grants()),
            ("scps".into(), w.chains(true)),
            ("rcps".into(), w.chains(false)),
            ("expect".into(), expect),
        ]);
        let mut text = String::new();
        root.write(&mut text, 0);
        text.push('\n');
        Ok(ToScenario {
            text,
            missing,
            expectations,
            incomplete,
        })
    }

    /// A key by key ARN, alias ARN, key id or alias name (the last two must
    /// name one key of the snapshot).
    fn select_key(&self, reference: &str) -> Result<&KeyData, AskError> {
        let fits: Vec<&KeyData> = self
            .keys
            .iter()
            .filter(|k| {
                k.arn == reference
                    || k.key_id == reference
                    || k.aliases.iter().any(|a| {
                        a == reference
                            || format!("arn:{}:kms:{}:{}:{a}", k.partition, k.region, k.account)
                                == reference
                    })
            })
            .collect();
        match fits.as_slice() {
            [one] => Ok(one),
            [] => Err(AskError {
                message: format!("no key `{reference}` in the snapshot"),
                help: "name a key by its key ARN, key id, alias name or alias ARN".into(),
            }),
            many => Err(AskError {
                message: format!(
                    "`{reference}` could name several keys: {}",
                    many.iter()
                        .map(|k| k.arn.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                help: "name the key by its key ARN".into(),
            }),
        }
    }
}

struct Writer<'s> {
    snap: &'s Snapshot,
    principals: &'s [PrincipalData],
    /// Keys with a policy (a scenario key needs one).
    keys: Vec<&'s KeyData>,
    principal_names: Vec<String>,
    key_names: Vec<String>,
}

impl<'s> Writer<'s> {
    fn new(
        snap: &'s Snapshot,
        principals: &'s [PrincipalData],
        keys: &[&'s KeyData],
    ) -> Writer<'s> {
        let keys: Vec<&KeyData> = keys
            .iter()
            .copied()
            .filter(|k| k.policy.is_some())
            .collect();
        let principal_names = principals
            .iter()
            .map(|p| {
                let unique = !p.name.is_empty()
                    && principals.iter().filter(|q| q.name == p.name).count() == 1;
                if unique {
                    p.name.clone()
                } else {
                    p.caller.arn().to_string()
                }
            })
            .collect();
        let key_names = keys
            .iter()
            .map(|k| {
                let label = k
                    .aliases
                    .first()
                    .and_then(|a| a.strip_prefix("alias/"))
                    .unwrap_or(&k.key_id);
                format!("{label} ({} {})", k.account, k.region)
            })
            .collect();
        Writer {
            snap,
            principals,
            keys,
            principal_names,
            key_names,
        }
    }

    fn principals(&self) -> Node {
        Node::Obj(
            self.principals
                .iter()
                .zip(&self.principal_names)
                .map(|(p, name)| {
                    let mut m = vec![("arn".to_string(), Node::Str(p.caller.arn().to_string()))];
                    if !p.policies.is_empty() {
                        m.push((
                            "policies".into(),
                            Node::Arr(
                                p.policies
                                    .iter()
                                    .map(|d| Node::Raw(to_json_string(&d.policy)))
                                    .collect(),
                            ),
                        ));
                    }
                    if let Some(b) = &p.boundary {
                        m.push((
                            "permissionsBoundary".into(),
                            Node::Raw(to_json_string(&b.policy)),
                        ));
                    }
                    if !p.tags.is_empty() {
                        m.push(("tags".into(), pairs(&p.tags)));
                    }
                    if let Some(id) = p.caller.user_id().filter(|_| !p.caller.is_root()) {
                        m.push(("userId".into(), Node::Str(id.to_string())));
                    }
                    (name.clone(), Node::Obj(m))
                })
                .collect(),
        )
    }

    fn keys(&self) -> Node {
        Node::Obj(
            self.keys
                .iter()
                .zip(&self.key_names)
                .filter_map(|(k, name)| {
                    let policy = k.policy.as_ref()?;
                    let mut m = vec![
                        ("arn".to_string(), Node::Str(k.arn.clone())),
                        ("policy".into(), Node::Raw(to_json_string(&policy.policy))),
                    ];
                    if k.manager() == keyward_eval::KeyManager::Aws {
                        m.push(("keyManager".into(), Node::Str("AWS".into())));
                    }
                    if let Some(meta) = &k.meta {
                        m.push(("state".into(), Node::Str(meta.state.as_str().into())));
                        m.push(("origin".into(), Node::Str(meta.origin.as_str().into())));
                        m.push(("keySpec".into(), Node::Str(meta.key_spec.clone())));
                        m.push(("keyUsage".into(), Node::Str(meta.key_usage.clone())));
                        if let Some(mr) = meta.multi_region {
                            m.push(("multiRegion".into(), Node::Bool(mr)));
                        }
                        if let Some(t) = &meta.multi_region_key_type {
                            m.push(("multiRegionKeyType".into(), Node::Str(t.clone())));
                        }
                    }
                    if !k.aliases.is_empty() {
                        m.push((
                            "aliases".into(),
                            Node::Arr(k.aliases.iter().map(|a| Node::Str(a.clone())).collect()),
                        ));
                    }
                    if !k.tags.is_empty() {
                        m.push(("tags".into(), pairs(&k.tags)));
                    }
                    Some((name.clone(), Node::Obj(m)))
                })
                .collect(),
        )
    }

    fn grants(&self) -> Node {
        let mut out = Vec::new();
        for (k, name) in self.keys.iter().zip(&self.key_names) {
            for g in &k.grants {
                let mut m = vec![
                    ("key".to_string(), Node::Str(name.clone())),
                    ("grantee".into(), Node::Str(g.grantee.clone())),
                    (
                        "operations".into(),
                        Node::Arr(
                            g.operation_names
                                .iter()
                                .map(|o| Node::Str(o.clone()))
                                .collect(),
                        ),
                    ),
                ];
                if let Some(c) = &g.constraints {
                    let (field, list) = match c {
                        GrantConstraints::EncryptionContextEquals(l) => {
                            ("encryptionContextEquals", l)
                        }
                        GrantConstraints::EncryptionContextSubset(l) => {
                            ("encryptionContextSubset", l)
                        }
                    };
                    m.push((
                        "constraints".into(),
                        Node::Obj(vec![(field.into(), pairs(list))]),
                    ));
                }
                if let Some(r) = &g.retiring {
                    m.push(("retiringPrincipal".into(), Node::Str(r.clone())));
                }
                if let Some(n) = &g.name {
                    m.push(("name".into(), Node::Str(n.clone())));
                }
                if let Some(i) = &g.id {
                    m.push(("id".into(), Node::Str(i.clone())));
                }
                if let Some(a) = &g.issuing_account {
                    m.push(("issuingAccount".into(), Node::Str(a.clone())));
                }
                out.push(Node::Obj(m));
            }
        }
        Node::Arr(out)
    }

    /// `{ACCOUNT: [[POLICY, …], …]}`: the principals' SCP chains, or the
    /// keys' RCP chains. Levels whose policies are all missing are left out.
    fn chains(&self, scp: bool) -> Node {
        let Some(org) = &self.snap.org else {
            return Node::Obj(Vec::new());
        };
        let accounts: BTreeSet<&str> = if scp {
            self.principals
                .iter()
                .filter(|p| !p.caller.is_service())
                .map(|p| p.account.as_str())
                .collect()
        } else {
            self.keys.iter().map(|k| k.account.as_str()).collect()
        };
        let mut out = Vec::new();
        for account in accounts {
            let view = if scp {
                org.scp_of(account)
            } else {
                org.rcp_of(account)
            };
            let ChainView::Known(chain) = view else {
                continue;
            };
            let levels: Vec<Node> = chain
                .levels
                .iter()
                .filter(|l| !l.docs.is_empty())
                .map(|l| {
                    Node::Arr(
                        l.docs
                            .iter()
                            .map(|d| Node::Raw(to_json_string(&d.policy)))
                            .collect(),
                    )
                })
                .collect();
            out.push((account.to_string(), Node::Arr(levels)));
        }
        Node::Obj(out)
    }

    /// Each complete answer as an expectation; incomplete ones are counted.
    fn expectations(&mut self, actions: &[KmsAction]) -> (Node, usize) {
        let now = system_clock();
        let mut items = Vec::new();
        let mut incomplete = 0;
        for (p, pname) in self.principals.iter().zip(&self.principal_names) {
            for k in &self.keys {
                let worst = self.snap.world(&[p], &[k], Case::Worst, false, now);
                let best = self.snap.world(&[p], &[k], Case::Best, true, now);
                let (missing, unknowns, meta) = self.snap.missing(p, k, &[]);
                for &action in actions {
                    let spec = RequestSpec {
                        action,
                        alias: None,
                        region: None,
                        encryption_context: &[],
                        context: &[],
                    };
                    let (Ok(rw), Ok(rb)) = (
                        self.snap.request(&worst, 0, 0, p, k, &spec),
                        self.snap.request(&best, 0, 0, p, k, &spec),
                    ) else {
                        continue;
                    };
                    let r = match judge(
                        worst.auth.decide(&rw),
                        best.auth.decide(&rb),
                        &unknowns,
                        meta,
                        &missing,
                    ) {
                        Verdict::Complete(r) => r,
                        Verdict::Incomplete(_) => {
                            incomplete += 1;
                            continue;
                        }
                    };
                    let mut m = vec![
                        ("principal".to_string(), Node::Str(pname.clone())),
                        ("action".into(), Node::Str(action.qualified_name().into())),
                        ("key".into(), Node::Str(k.arn.clone())),
                    ];
                    let context = self.snap.org_context(p, k, &[]);
                    if !context.is_empty() {
                        m.push((
                            "context".into(),
                            Node::Obj(context.into_iter().map(|(n, v)| (n, value(v))).collect()),
                        ));
                    }
                    m.push(("decision".into(), Node::Str(r.decision().as_str().into())));
                    m.push((
                        "error".into(),
                        match r.error() {
                            Some(e) => Node::Str(e.kind().as_str().into()),
                            None => Node::Raw("null".into()),
                        },
                    ));
                    items.push(Node::Obj(m));
                }
            }
        }
        (Node::Arr(items), incomplete)
    }
}

fn value(v: ContextValue) -> Node {
    match v {
        ContextValue::One(s) => Node::Str(s.to_string()),
        ContextValue::Many(list) => {
            Node::Arr(list.into_iter().map(|s| Node::Str(s.to_string())).collect())
        }
    }
}
