//! Which principal a question names, and the request context the
//! organization gives it (`aws:PrincipalOrgID`, `aws:ResourceAccount`, …).

use keyward_eval::{is_account_id, Caller, CallerKind, ContextValue};

use crate::ask::AskError;
use crate::model::{KeyData, Mentions, PrincipalData, PrincipalKind};
use crate::problem::{Gap, GapKind};
use crate::snapshot::Snapshot;

impl Snapshot {
    /// The principal `text` names: an ARN (a role session ARN stands for a
    /// session of the role, with the role's policies), an account id (its
    /// root user), `user/NAME`, `role/NAME`, or a name only one user or role
    /// has. A principal of an account the snapshot does not hold (or whose
    /// IAM export is incomplete) is an outsider: its policies are unknown.
    pub(crate) fn find_principal(&self, text: &str) -> Result<PrincipalData, AskError> {
        if let Some(p) = self.principals.iter().find(|p| p.caller.arn() == text) {
            return Ok(p.clone());
        }
        if text.starts_with("arn:") || is_account_id(text) {
            let caller = Caller::from_arn(text).map_err(|e| AskError {
                message: e.message,
                help: e.help.unwrap_or_default(),
            })?;
            return self.by_caller(caller, text);
        }
        let (kind, name) = match text.split_once('/') {
            Some(("user", n)) => (Some(PrincipalKind::User), n),
            Some(("role", n)) => (Some(PrincipalKind::Role), n),
            _ => (None, text),
        };
        let found: Vec<&PrincipalData> = self
            .principals
            .iter()
            .filter(|p| {
                kind.is_none_or(|k| p.kind == k)
                    && !p.name.is_empty()
                    && p.name.eq_ignore_ascii_case(name)
            })
            .collect();
        match found.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(AskError {
                message: format!("no user or role `{text}` in the snapshot"),
                help: "name a principal by its ARN, `user/NAME`, `role/NAME` or its name; `keyward snapshot check` counts what was loaded".into(),
            }),
            many => Err(AskError {
                message: format!("`{text}` could name several principals: {}", many.iter().map(|p| p.caller.arn()).collect::<Vec<_>>().join(", ")),
                help: "name the principal by its ARN".into(),
            }),
        }
    }

    fn by_caller(&self, caller: Caller, text: &str) -> Result<PrincipalData, AskError> {
        let account = caller.account().to_string();
        let same = |p: &&PrincipalData| p.account == account;
        let found = match caller.kind() {
            CallerKind::Root => self
                .principals
                .iter()
                .filter(same)
                .find(|p| p.kind == PrincipalKind::Root)
                .cloned(),
            CallerKind::User { name } => self
                .principals
                .iter()
                .filter(same)
                .find(|p| p.kind == PrincipalKind::User && p.name == **name)
                .cloned(),
            CallerKind::AssumedRole { role, session } => self
                .principals
                .iter()
                .filter(same)
                .find(|p| p.kind == PrincipalKind::Role && p.name == **role)
                .map(|p| match session {
                    // A session of the role: the role's policies, the session's identity.
                    Some(s) => {
                        let user_id = p.caller.user_id().map(|id| format!("{id}:{s}"));
                        let c = match user_id {
                            Some(id) => caller.clone().with_user_id(&id),
                            None => caller.clone(),
                        };
                        PrincipalData {
                            caller: c,
                            ..p.clone()
                        }
                    }
                    None => p.clone(),
                }),
            _ => None,
        };
        if let Some(p) = found {
            return Ok(p);
        }
        let loaded = self.regions.contains_key(&account);
        if let Some(gap) = self.iam_gaps.get(&account) {
            return Ok(outsider(caller, gap.what.clone()));
        }
        if loaded && !caller.is_root() {
            return Err(AskError {
                message: format!("no principal `{text}` in account {account}"),
                help:
                    "the snapshot holds this account's IAM export, and it has no such user or role"
                        .into(),
            });
        }
        Ok(outsider(
            caller,
            format!("account {account} is not in the snapshot"),
        ))
    }

    /// Context the organization implies for a request of `p` on `k`,
    /// unless the question gives it: `aws:ResourceAccount`, and for
    /// accounts in the organization's tree `aws:PrincipalOrgID`,
    /// `aws:PrincipalOrgPaths`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths`.
    pub(crate) fn org_context(
        &self,
        p: &PrincipalData,
        k: &KeyData,
        given: &[(String, ContextValue)],
    ) -> Vec<(String, ContextValue)> {
        let mut out: Vec<(String, ContextValue)> =
            vec![("aws:ResourceAccount".into(), k.account.as_str().into())];
        if let Some(org) = self.org.as_ref().filter(|o| o.tree_gap.is_none()) {
            for (account, id_key, paths_key) in [
                (&p.account, "aws:PrincipalOrgID", "aws:PrincipalOrgPaths"),
                (&k.account, "aws:ResourceOrgID", "aws:ResourceOrgPaths"),
            ] {
                if p.caller.is_service() && id_key == "aws:PrincipalOrgID" {
                    continue;
                }
                if let Some(path) = org.paths.get(account.as_str()) {
                    out.push((id_key.into(), org.id.as_str().into()));
                    out.push((
                        paths_key.into(),
                        ContextValue::Many(vec![path.as_str().into()]),
                    ));
                }
            }
        }
        out.retain(|(name, _)| !given.iter().any(|(g, _)| g.eq_ignore_ascii_case(name)));
        out
    }

    /// Why `aws:PrincipalOrgID` (or `aws:ResourceOrgID`) of `account` is
    /// unknown, if it is: the tree is missing, or the account is not in it
    /// (it may belong to another organization).
    pub(crate) fn org_context_gap(&self, account: &str, name: &str) -> Option<Gap> {
        let org = self.org.as_ref()?;
        let why = if org.tree_gap.is_some() {
            "the organization's tree is not in the snapshot"
        } else if !org.holds(account) {
            "the account is not in the organization's tree, and may belong to another organization"
        } else {
            return None;
        };
        Some(Gap {
            kind: GapKind::Scp,
            what: format!("`{name}` of account {account}: {why}"),
            place: None,
        })
    }
}

/// A principal whose policies the snapshot does not hold.
fn outsider(caller: Caller, why: String) -> PrincipalData {
    let account = caller.account().to_string();
    let root = caller.is_root();
    let gaps = if root {
        // The root user has no identity policies or boundary to miss.
        Vec::new()
    } else {
        vec![
            Gap {
                kind: GapKind::Identity,
                what: format!("the identity policies of `{}`: {why}", caller.arn()),
                place: None,
            },
            Gap {
                kind: GapKind::Boundary,
                what: format!("the permissions boundary of `{}`: {why}", caller.arn()),
                place: None,
            },
        ]
    };
    PrincipalData {
        caller,
        kind: if root {
            PrincipalKind::Root
        } else {
            PrincipalKind::Outsider
        },
        name: String::new(),
        account,
        tags: Vec::new(),
        policies: Vec::new(),
        boundary: None,
        gaps,
        mentions: Mentions::default(),
    }
}
