//! `expect`: the requests a scenario asks about and the answers it expects.

use keyward_eval::{Authorizer, ContextValue, KmsAction, KmsErrorKind, Request};
use keyward_policy::json::{JsonKind, JsonValue};

use super::{Cx, Names};
use crate::model::{Check, Expected, ExpectedDecision};

impl Cx<'_> {
    pub(super) fn checks(
        &mut self,
        v: &JsonValue,
        auth: &Authorizer,
        region: Option<&str>,
        names: &Names,
    ) -> Vec<Check> {
        let Some(items) = v.as_array() else {
            self.error(
                "scenario::type",
                format!("`expect` must be a list, not {}", v.kind_name()),
                v.span,
                "",
            );
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.check(item, auth, region, names))
            .collect()
    }

    fn check(
        &mut self,
        item: &JsonValue,
        auth: &Authorizer,
        region: Option<&str>,
        names: &Names,
    ) -> Option<Check> {
        const FIELDS: &[&str] = &[
            "principal",
            "action",
            "key",
            "region",
            "context",
            "encryptionContext",
            "decision",
            "error",
            "grant",
            "newGrant",
        ];
        let fields = self.object(item, "an expectation")?;
        let get = |k: &str| fields.iter().find(|f| &*f.key == k).map(|f| &f.value);
        for f in fields {
            self.unknown(f, FIELDS, "an expectation");
        }
        let (Some(p_v), Some(a_v), Some(k_v), Some(d_v)) =
            (get("principal"), get("action"), get("key"), get("decision"))
        else {
            self.error(
                "scenario::missing-field",
                "an expectation needs `principal`, `action`, `key` and `decision`".into(),
                item.span,
                "",
            );
            return None;
        };
        let principal_text = self.string(p_v, "`principal`")?;
        let action_text = self.string(a_v, "`action`")?;
        let key_text = self.string(k_v, "`key`")?;
        let decision_text = self.string(d_v, "`decision`")?;
        if names
            .broken
            .iter()
            .any(|n| n == principal_text || n == key_text)
        {
            return None;
        }
        let Some(principal) = auth.principal(principal_text) else {
            self.error(
                "scenario::unknown-principal",
                format!("no principal `{principal_text}` in this scenario"),
                p_v.span,
                "name a principal of `principals` by its name or ARN",
            );
            return None;
        };
        let region = get("region")
            .and_then(|r| self.string(r, "`region`"))
            .or(region);
        let resolution = match auth.resolve(key_text, region, principal) {
            Ok(r) => r,
            Err(e) if e.code == "eval::unknown-key" => {
                self.error(
                    "scenario::unknown-key",
                    format!("no key `{key_text}` in this scenario"),
                    k_v.span,
                    "name a key of `keys` by its name, its ARN, one of its aliases or its key id",
                );
                return None;
            }
            Err(e) => {
                self.report(self.source.clone(), e.to_diagnostic(k_v.span));
                return None;
            }
        };
        let Some(action) = KmsAction::parse(action_text) else {
            let help = if action_text.eq_ignore_ascii_case("kms:ReEncrypt") {
                "ReEncrypt is authorized as `kms:ReEncryptFrom` on the source key and `kms:ReEncryptTo` on the destination key"
            } else {
                "name one KMS action, such as `kms:Decrypt`"
            };
            self.error(
                "scenario::action",
                format!("`{action_text}` is not a KMS action"),
                a_v.span,
                help,
            );
            return None;
        };
        let Some(decision) = ExpectedDecision::parse(decision_text) else {
            self.error(
                "scenario::decision",
                format!("`{decision_text}` is not a decision"),
                d_v.span,
                "use `allow`, `deny`, `explicit-deny` or `implicit-deny`",
            );
            return None;
        };
        let error = match get("error") {
            None => None,
            Some(JsonValue {
                kind: JsonKind::Null,
                ..
            }) => None,
            Some(e) => {
                let text = self.string(e, "`error`")?;
                match KmsErrorKind::parse(text) {
                    Some(k) => Some(k),
                    None => {
                        self.error("scenario::error", format!("`{text}` is not a KMS error keyward reports"), e.span, "use DisabledException, KMSInvalidStateException, NotFoundException, UnsupportedOperationException or InvalidKeyUsageException, or null");
                        return None;
                    }
                }
            }
        };
        let mut request = match Request::resolved_from(principal, action, key_text, resolution) {
            Ok(r) => r,
            Err(e) => {
                self.report(self.source.clone(), e.to_diagnostic(a_v.span));
                return None;
            }
        };
        if let Some(r) = region {
            request = request.in_region(r);
        }
        if let Some(ec) = get("encryptionContext") {
            for (k, v) in self.pairs(ec, "`encryptionContext`") {
                request = request.with_encryption_context(&k, &v);
            }
        }
        if let Some(ctx) = get("context") {
            request = self.request_context(request, ctx)?;
        }
        if let Some(g) = get("grant") {
            let name = self.string(g, "`grant`")?;
            match auth.grant(name) {
                Some(id) => request = request.retiring(id),
                None => {
                    self.error(
                        "scenario::unknown-grant",
                        format!("no grant named `{name}`"),
                        g.span,
                        "give the grant a `name` (or `id`) in `grants` and refer to it here",
                    );
                    return None;
                }
            }
        }
        if let Some(ng) = get("newGrant") {
            request = request.creating(self.new_grant(ng, names)?);
        }
        Some(Check {
            principal: principal_text.to_string(),
            action,
            key: key_text.to_string(),
            request,
            expected: Expected { decision, error },
            span: item.span,
        })
    }

    /// `context`: request-context keys, each a scalar or a list of scalars.
    fn request_context(&mut self, mut request: Request, ctx: &JsonValue) -> Option<Request> {
        let members = self.object(ctx, "`context`")?;
        for m in members {
            let value = match &m.value.kind {
                JsonKind::Array(items) => ContextValue::Many(
                    items
                        .iter()
                        .filter_map(|i| self.scalar_text(i, "a context value"))
                        .map(Into::into)
                        .collect(),
                ),
                _ => ContextValue::One(self.scalar_text(&m.value, "a context value")?.into()),
            };
            request = match request.with_context(&m.key, value) {
                Ok(r) => r,
                Err(e) => {
                    let span = if e.code == "eval::context-single-valued" {
                        m.value.span
                    } else {
                        m.key_span
                    };
                    self.report(self.source.clone(), e.to_diagnostic(span));
                    return None;
                }
            };
        }
        Some(request)
    }
}
