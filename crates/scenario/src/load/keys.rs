//! `keys`: each key's ARN, policy, state, origin, aliases, tags and
//! multi-Region settings.

use keyward_eval::{AuthorizerBuilder, KeyConfig, KeyOrigin, KeyState};
use keyward_policy::json::{JsonKind, JsonValue};

use super::{Cx, Names};

impl Cx<'_> {
    pub(super) fn keys(&mut self, v: &JsonValue, b: &mut AuthorizerBuilder, names: &mut Names) {
        const FIELDS: &[&str] = &[
            "arn",
            "policy",
            "state",
            "aliases",
            "tags",
            "keySpec",
            "keyUsage",
            "origin",
            "multiRegion",
            "multiRegionKeyType",
        ];
        let Some(members) = self.object(v, "`keys`") else {
            return;
        };
        for m in members {
            let name = m.key.to_string();
            names.broken.push(name.clone());
            let Some(fields) = self.object(&m.value, &format!("key `{name}`")) else {
                continue;
            };
            let get = |k: &str| fields.iter().find(|f| &*f.key == k).map(|f| &f.value);
            for f in fields {
                self.unknown(f, FIELDS, "a key");
            }
            let Some(arn) = get("arn").and_then(|a| self.string(a, "a key's `arn`")) else {
                if get("arn").is_none() {
                    self.error(
                        "scenario::missing-field",
                        format!("key `{name}` has no `arn`"),
                        m.key_span,
                        "add `\"arn\": \"arn:aws:kms:REGION:ACCOUNT:key/ID\"`",
                    );
                }
                continue;
            };
            let arn_span = get("arn").map_or(m.key_span, |a| a.span);
            let Some(policy_value) = get("policy") else {
                self.error(
                    "scenario::missing-field",
                    format!("key `{name}` has no `policy`"),
                    m.key_span,
                    "every KMS key has exactly one key policy (rule 2)",
                );
                continue;
            };
            let Some(policy) = self.policy(policy_value, &name, &format!("/keys/{name}/policy"))
            else {
                continue;
            };
            let mut cfg = KeyConfig::new(name.clone(), arn, policy);
            if let Some(s) = get("state") {
                if let Some(text) = self.string(s, "`state`") {
                    match KeyState::parse(text) {
                        Some(state) => cfg.state = state,
                        None => self.error("scenario::key-state", format!("`{text}` is not a key state"), s.span, "use Enabled, Disabled, PendingDeletion, PendingReplicaDeletion, PendingImport, Unavailable, Creating or Updating"),
                    }
                }
            }
            if let Some(o) = get("origin") {
                if let Some(text) = self.string(o, "`origin`") {
                    match KeyOrigin::parse(text) {
                        Some(origin) => cfg.origin = origin,
                        None => self.error(
                            "scenario::key-origin",
                            format!("`{text}` is not a key origin"),
                            o.span,
                            "use AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE",
                        ),
                    }
                }
            }
            if let Some(a) = get("aliases") {
                cfg.aliases = self.strings(a, "`aliases`");
                for alias in &cfg.aliases {
                    if !alias.starts_with("alias/") {
                        self.error(
                            "scenario::alias",
                            format!("`{alias}` is not an alias name"),
                            a.span,
                            "alias names start with `alias/`",
                        );
                    }
                }
            }
            if let Some(t) = get("tags") {
                cfg.tags = self.pairs(t, "`tags`");
            }
            if let Some(s) = get("keySpec").and_then(|s| self.string(s, "`keySpec`")) {
                cfg.key_spec = s.to_string();
            }
            if let Some(s) = get("keyUsage").and_then(|s| self.string(s, "`keyUsage`")) {
                cfg.key_usage = s.to_string();
            }
            if let Some(mr) = get("multiRegion") {
                match mr.kind {
                    JsonKind::Bool(x) => cfg.multi_region = Some(x),
                    _ => self.error(
                        "scenario::type",
                        "`multiRegion` must be a boolean".into(),
                        mr.span,
                        "",
                    ),
                }
            }
            if let Some(s) =
                get("multiRegionKeyType").and_then(|s| self.string(s, "`multiRegionKeyType`"))
            {
                cfg.multi_region_key_type = Some(s.to_string());
            }
            match b.add_key(cfg) {
                Ok(id) => {
                    names.broken.retain(|n| *n != name);
                    names.keys.push((name, arn.to_string(), id));
                }
                Err(e) => {
                    let span = match get("aliases") {
                        Some(a) if e.code == "eval::alias-taken" => a.span,
                        _ => arn_span,
                    };
                    self.report(self.source.clone(), e.to_diagnostic(span));
                }
            }
        }
    }
}
