//! Which key a question names: resolved as KMS resolves it (through the
//! evaluator's own resolution), or not at all when the aliases it needs are
//! not in the snapshot.

use keyward_eval::{Instant, Request, Resolution};

use crate::ask::{Ask, AskError};
use crate::model::{KeyData, PrincipalData};
use crate::problem::{Gap, GapKind};
use crate::snapshot::Snapshot;
use crate::world::{Case, World};

/// Where a key reference led.
pub(crate) enum Resolved {
    Key { index: usize, alias: Option<String> },
    NotFound { world: Box<World>, request: Request },
    Unknowable(Gap),
}

impl Snapshot {
    pub(crate) fn resolve_key(
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
