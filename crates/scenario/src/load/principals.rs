//! `principals`: who calls (an ARN or a service), with identity policies,
//! a permissions boundary, a session policy and tags.

use keyward_eval::{AuthorizerBuilder, Caller, PrincipalConfig};
use keyward_policy::json::{JsonKind, JsonValue};

use super::{Cx, Names};

impl Cx<'_> {
    pub(super) fn principals(
        &mut self,
        v: &JsonValue,
        b: &mut AuthorizerBuilder,
        names: &mut Names,
    ) {
        const FIELDS: &[&str] = &[
            "arn",
            "service",
            "policies",
            "permissionsBoundary",
            "sessionPolicy",
            "tags",
            "userId",
        ];
        let Some(members) = self.object(v, "`principals`") else {
            return;
        };
        for m in members {
            let name = m.key.to_string();
            names.broken.push(name.clone());
            let Some(fields) = self.object(&m.value, &format!("principal `{name}`")) else {
                continue;
            };
            let get = |k: &str| fields.iter().find(|f| &*f.key == k).map(|f| &f.value);
            for f in fields {
                self.unknown(f, FIELDS, "a principal");
            }
            let caller = match (get("arn"), get("service")) {
                (Some(a), None) => self
                    .string(a, "`arn`")
                    .map(|t| (Caller::from_arn(t), a.span)),
                (None, Some(s)) => self
                    .string(s, "`service`")
                    .map(|t| (Caller::service(t), s.span)),
                _ => {
                    self.error("scenario::principal", format!("principal `{name}` needs exactly one of `arn` and `service`"), m.key_span, "write `\"arn\": \"arn:aws:iam::ACCOUNT:user/NAME\"` or `\"service\": \"s3.amazonaws.com\"`");
                    None
                }
            };
            let Some((caller, span)) = caller else {
                continue;
            };
            let mut caller = match caller {
                Ok(c) => c,
                Err(e) => {
                    self.report(self.source.clone(), e.to_diagnostic(span));
                    continue;
                }
            };
            if let Some(id) = get("userId").and_then(|u| self.string(u, "`userId`")) {
                caller = caller.with_user_id(id);
            }
            names.broken.retain(|n| *n != name);
            names
                .principals
                .push((name.clone(), caller.arn().to_string()));
            let mut cfg = PrincipalConfig::new(name.clone(), caller);
            if let Some(list) = get("policies") {
                let items: Vec<&JsonValue> = match &list.kind {
                    JsonKind::Array(items) => items.iter().collect(),
                    _ => vec![list],
                };
                let many = items.len() > 1;
                for (i, item) in items.into_iter().enumerate() {
                    let label = if many {
                        format!("{name}[{i}]")
                    } else {
                        name.clone()
                    };
                    if let Some(doc) =
                        self.policy(item, &label, &format!("/principals/{name}/policies/{i}"))
                    {
                        cfg.policies.push(doc);
                    }
                }
            }
            if let Some(p) = get("permissionsBoundary") {
                cfg.permissions_boundary = self.policy(
                    p,
                    &format!("{name} boundary"),
                    &format!("/principals/{name}/permissionsBoundary"),
                );
            }
            if let Some(p) = get("sessionPolicy") {
                cfg.session_policy = self.policy(
                    p,
                    &format!("{name} session"),
                    &format!("/principals/{name}/sessionPolicy"),
                );
            }
            if let Some(t) = get("tags") {
                cfg.tags = self.pairs(t, "`tags`");
            }
            b.add_principal(cfg);
        }
    }
}
