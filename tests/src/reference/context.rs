//! The request context: what a request has for each condition key (rules
//! 37, 41 and the engine note under 41: keys derived from the principal, the
//! key and the request are filled automatically).

use super::world::{Caller, Constraint, Key, Principal, Quirks, Request, Value};

/// What the request has for a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// Absent.
    Missing,
    /// One value.
    One(String),
    /// Several values (never empty).
    Many(Vec<String>),
    /// A Boolean fact (`kms:MultiRegion`, `aws:SecureTransport` when
    /// not given, …): the key's type is Bool (rules 37, 41).
    Bool(bool),
    /// `aws:CurrentTime` (`epoch` false) or `aws:EpochTime` (true), in
    /// epoch seconds: Date-typed keys.
    Time {
        /// Seconds since the epoch.
        seconds: i64,
        /// Written as epoch seconds rather than ISO 8601.
        epoch: bool,
    },
}

/// Everything one decision looks at.
pub(crate) struct Ctx<'a> {
    pub(crate) req: &'a Request,
    pub(crate) key: &'a Key,
    pub(crate) principal: &'a Principal,
    pub(crate) quirks: Quirks,
}

fn one(v: Option<&str>) -> Found {
    match v {
        Some(s) => Found::One(s.to_string()),
        None => Found::Missing,
    }
}

fn many(list: Vec<String>) -> Found {
    if list.is_empty() {
        Found::Missing
    } else {
        Found::Many(list)
    }
}

fn tag(tags: &[(String, String)], name: &str) -> Found {
    one(tags
        .iter()
        .find(|(k, _)| k.to_lowercase() == name)
        .map(|(_, v)| v.as_str()))
}

/// `YYYY-MM-DDTHH:MM:SSZ` for epoch seconds.
pub(crate) fn iso8601(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

impl Ctx<'_> {
    fn user(&self, lower: &str) -> Option<Found> {
        self.req
            .context
            .iter()
            .find(|(k, _)| k.to_lowercase() == lower)
            .map(|(_, v)| match v {
                Value::One(s) => Found::One(s.clone()),
                Value::Many(list) => many(list.clone()),
            })
    }

    /// The value of condition key `name` (names are case-insensitive, rule 46).
    pub(crate) fn lookup(&self, name: &str) -> Found {
        let lower = name.to_lowercase();
        let caller = &self.principal.caller;
        let service = matches!(caller, Caller::Service { .. });
        if let Some(t) = lower.strip_prefix("aws:principaltag/") {
            return tag(&self.principal.tags, t);
        }
        if let Some(t) = lower.strip_prefix("aws:resourcetag/") {
            return tag(&self.key.tags, t);
        }
        if let Some(wanted) = lower.strip_prefix("kms:encryptioncontext:") {
            // The context key part is case-insensitive (rule 38).
            return one(self
                .req
                .encryption_context
                .iter()
                .find(|(k, _)| k.to_lowercase() == wanted)
                .map(|(_, v)| v.as_str()));
        }
        match lower.as_str() {
            "aws:principalarn" => match caller {
                Caller::Root { partition, account } => {
                    Found::One(format!("arn:{partition}:iam::{account}:root"))
                }
                Caller::User { arn, .. } | Caller::Role { arn, .. } => Found::One(arn.clone()),
                Caller::FederatedUser { arn, .. } => Found::One(arn.clone()),
                // A session's principal ARN is its role's (rule 22); the
                // session ARN carries no path, so neither does this.
                Caller::Session {
                    partition,
                    account,
                    role,
                    ..
                } => Found::One(format!("arn:{partition}:iam::{account}:role/{role}")),
                Caller::Service { .. } => Found::Missing,
            },
            "aws:principalaccount" | "kms:calleraccount" => one(caller.account()),
            "aws:principaltype" => one(match caller {
                Caller::Root { .. } => Some("Account"),
                Caller::User { .. } => Some("User"),
                Caller::Role { .. } | Caller::Session { .. } => Some("AssumedRole"),
                Caller::FederatedUser { .. } => Some("FederatedUser"),
                Caller::Service { .. } => None,
            }),
            "aws:username" => match caller {
                Caller::User { name, .. } => Found::One(name.clone()),
                _ => Found::Missing,
            },
            "aws:userid" => match caller {
                Caller::Root { account, .. } => Found::One(account.clone()),
                Caller::FederatedUser { account, name, .. } => {
                    Found::One(format!("{account}:{name}"))
                }
                _ => Found::Missing,
            },
            "aws:principalisawsservice" => Found::Bool(service),
            "aws:principalservicename" => match caller {
                Caller::Service { name } => Found::One(name.clone()),
                _ => Found::Missing,
            },
            "aws:requestedregion" => Found::One(
                self.req
                    .region
                    .clone()
                    .unwrap_or_else(|| self.key.region_and_account().0.to_string()),
            ),
            "aws:currenttime" => Found::Time {
                seconds: self.req.time,
                epoch: false,
            },
            "aws:epochtime" => Found::Time {
                seconds: self.req.time,
                epoch: true,
            },
            "kms:encryptioncontextkeys" => many(
                self.req
                    .encryption_context
                    .iter()
                    .map(|(k, _)| k.clone())
                    .collect(),
            ),
            "kms:requestalias" => one(self.req.alias.as_deref()),
            "kms:resourcealiases" => many(self.key.aliases.clone()),
            "kms:keyspec" | "kms:customermasterkeyspec" => Found::One(self.key.key_spec.clone()),
            "kms:keyusage" | "kms:customermasterkeyusage" => Found::One(self.key.key_usage.clone()),
            "kms:keyorigin" => Found::One(self.key.origin.as_str().to_string()),
            "kms:multiregion" => Found::Bool(
                self.key
                    .multi_region
                    .unwrap_or_else(|| self.key.key_id().starts_with("mrk-")),
            ),
            "kms:multiregionkeytype" => one(self.key.multi_region_key_type.as_deref()),
            // KMS endpoints are HTTPS only.
            "aws:securetransport" => self.user(&lower).unwrap_or(Found::Bool(true)),
            "aws:viaawsservice" => self
                .user(&lower)
                .unwrap_or_else(|| Found::Bool(self.user("kms:viaservice").is_some())),
            // True when an integrated service calls CreateGrant, ListGrants
            // or RevokeGrant on the principal's behalf (KMS guide,
            // "Controlling access to grants"); other operations lack it.
            "kms:grantisforawsresource" => {
                if let Some(given) = self.user(&lower) {
                    return given;
                }
                let action = self
                    .req
                    .action
                    .strip_prefix("kms:")
                    .unwrap_or(&self.req.action);
                if ["CreateGrant", "ListGrants", "RevokeGrant"]
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(action))
                {
                    Found::Bool(self.user("kms:viaservice").is_some())
                } else {
                    Found::Missing
                }
            }
            // CreateGrant fills these from the grant asked for (rule 18),
            // unless the caller gave them.
            "kms:grantoperations"
            | "kms:granteeprincipal"
            | "kms:retiringprincipal"
            | "kms:grantconstrainttype" => {
                if let Some(found) = self.user(&lower) {
                    return found;
                }
                let Some(g) = &self.req.new_grant else {
                    return Found::Missing;
                };
                match lower.as_str() {
                    "kms:grantoperations" => many(g.operations.clone()),
                    "kms:granteeprincipal" => Found::One(g.grantee.clone()),
                    "kms:retiringprincipal" => one(g.retiring_principal.as_deref()),
                    _ => one(g.constraints.as_ref().map(|c| match c {
                        Constraint::Equals(_) => "EncryptionContextEquals",
                        Constraint::Subset(_) => "EncryptionContextSubset",
                    })),
                }
            }
            _ => self.user(&lower).unwrap_or(Found::Missing),
        }
    }
}
