//! `keys`: each key's ARN, policy, state, origin, aliases, tags, spec and
//! usage, multi-Region settings, and who manages it.

use keyward_eval::{
    AuthorizerBuilder, KeyConfig, KeyManager, KeyOrigin, KeyState, AWS_ALIAS_PREFIX,
};
use keyward_policy::json::{JsonKind, JsonValue};

use super::key_policy::{field, PolicyFields};
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
            "keyManager",
            "service",
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
            let get = |k: &str| field(fields, k);
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
            let manager = match get("keyManager") {
                None => KeyManager::Customer,
                Some(v) => {
                    let Some(text) = self.string(v, "`keyManager`") else {
                        continue;
                    };
                    let Some(manager) = KeyManager::parse(text) else {
                        self.error(
                            "scenario::key-manager",
                            format!("`{text}` is not a key manager"),
                            v.span,
                            "use `CUSTOMER` (the default) or `AWS` (an AWS managed key, `alias/aws/SERVICE`)",
                        );
                        continue;
                    };
                    manager
                }
            };
            let Some(policy) = self.key_policy(&PolicyFields {
                name: &name,
                key_span: m.key_span,
                arn,
                manager,
                policy: get("policy"),
                service: get("service"),
            }) else {
                continue;
            };
            let mut cfg = KeyConfig::new(name.clone(), arn, policy);
            cfg.manager = manager;
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
                            Cx::alias_span(a, alias),
                            "alias names start with `alias/`",
                        );
                    }
                }
            } else if let Some(service) = get("service").and_then(JsonValue::as_str) {
                // An AWS managed key's alias names its service.
                cfg.aliases = vec![format!("{AWS_ALIAS_PREFIX}{service}")];
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
            let cfg_aliases = cfg.aliases.clone();
            match b.add_key(cfg) {
                Ok(id) => {
                    names.broken.retain(|n| *n != name);
                    names.keys.push((name, arn.to_string(), id));
                }
                Err(e) => {
                    let at = |k: &str| get(k).map(|v| v.span);
                    let alias_at = |a: &JsonValue| {
                        let named = cfg_aliases
                            .iter()
                            .find(|alias| e.message.contains(&format!("`{alias}`")));
                        named.map_or(a.span, |alias| Cx::alias_span(a, alias))
                    };
                    let span = match e.code {
                        "eval::alias-taken" | "eval::alias-reserved" => {
                            get("aliases").map(alias_at)
                        }
                        "eval::aws-managed-key" if e.message.contains("alias") => {
                            get("aliases").map(alias_at)
                        }
                        "eval::aws-managed-key" => at("keyManager"),
                        "eval::key-spec" => at("keySpec"),
                        "eval::key-usage" => at("keyUsage").or_else(|| at("keySpec")),
                        _ => None,
                    };
                    self.report(
                        self.source.clone(),
                        e.to_diagnostic(span.unwrap_or(arn_span)),
                    );
                }
            }
        }
    }
}
