//! `grants`: key, grantee, operations, constraints and the names by which
//! expectations refer to them; and the `newGrant` a `CreateGrant`
//! expectation asks for.

use keyward_eval::{
    parse_grant_operations, AuthorizerBuilder, GrantConfig, GrantConstraints, NewGrant,
};
use keyward_policy::json::JsonValue;

use super::{Cx, Names};

impl Cx<'_> {
    pub(super) fn constraints(&mut self, v: &JsonValue) -> Option<GrantConstraints> {
        let fields = self.object(v, "`constraints`")?;
        let mut out = None;
        for f in fields {
            let pairs = self.pairs(&f.value, "an encryption context");
            let c = match &*f.key {
                "encryptionContextEquals" => GrantConstraints::EncryptionContextEquals(pairs),
                "encryptionContextSubset" => GrantConstraints::EncryptionContextSubset(pairs),
                _ => {
                    self.unknown(
                        f,
                        &["encryptionContextEquals", "encryptionContextSubset"],
                        "`constraints`",
                    );
                    continue;
                }
            };
            if out.is_some() {
                self.error(
                    "scenario::constraints",
                    "a grant has one kind of constraint".into(),
                    f.key_span,
                    "use either `encryptionContextEquals` or `encryptionContextSubset`",
                );
            }
            out = Some(c);
        }
        out
    }

    pub(super) fn grants(&mut self, v: &JsonValue, b: &mut AuthorizerBuilder, names: &Names) {
        const FIELDS: &[&str] = &[
            "key",
            "grantee",
            "operations",
            "constraints",
            "retiringPrincipal",
            "name",
            "id",
            "issuingAccount",
        ];
        let Some(items) = v.as_array() else {
            self.error(
                "scenario::type",
                format!("`grants` must be a list, not {}", v.kind_name()),
                v.span,
                "",
            );
            return;
        };
        for item in items {
            let Some(fields) = self.object(item, "a grant") else {
                continue;
            };
            let get = |k: &str| fields.iter().find(|f| &*f.key == k).map(|f| &f.value);
            for f in fields {
                self.unknown(f, FIELDS, "a grant");
            }
            let (Some(grantee_v), Some(ops_v)) = (get("grantee"), get("operations")) else {
                self.error(
                    "scenario::missing-field",
                    "a grant needs `key`, `grantee` and `operations`".into(),
                    item.span,
                    "",
                );
                continue;
            };
            let key = match get("key") {
                Some(key_v) => {
                    let Some(key_text) = self.string(key_v, "a grant's `key`") else {
                        continue;
                    };
                    let Some(key) = names.key(key_text) else {
                        self.error(
                            "scenario::unknown-key",
                            format!("no key `{key_text}` in this scenario"),
                            key_v.span,
                            "name a key of `keys` by its name or ARN",
                        );
                        continue;
                    };
                    key
                }
                // With a single key, `key` may be left out.
                None => match names.keys.as_slice() {
                    [(_, _, only)] => *only,
                    _ => {
                        self.error(
                            "scenario::missing-field",
                            "a grant needs `key`".into(),
                            item.span,
                            "name the key the grant is for",
                        );
                        continue;
                    }
                },
            };
            let Some(grantee) = self
                .string(grantee_v, "`grantee`")
                .map(|g| names.principal_arn(g))
            else {
                continue;
            };
            let ops = self.strings(ops_v, "`operations`");
            let operations = match parse_grant_operations(&ops) {
                Ok(o) => o,
                Err(e) => {
                    self.report(self.source.clone(), e.to_diagnostic(ops_v.span));
                    continue;
                }
            };
            let mut cfg = GrantConfig::new(key, grantee, operations);
            if let Some(c) = get("constraints") {
                cfg.constraints = self.constraints(c);
            }
            cfg.retiring_principal = get("retiringPrincipal")
                .and_then(|r| self.string(r, "`retiringPrincipal`"))
                .map(|r| names.principal_arn(r));
            cfg.name = get("name")
                .and_then(|n| self.string(n, "`name`"))
                .map(str::to_string);
            cfg.id = get("id")
                .and_then(|n| self.string(n, "`id`"))
                .map(str::to_string);
            cfg.issuing_account = get("issuingAccount")
                .and_then(|n| self.string(n, "`issuingAccount`"))
                .map(str::to_string);
            cfg.written_at = Some((self.source.clone(), item.span));
            if let Err(e) = b.add_grant(cfg) {
                self.report(self.source.clone(), e.to_diagnostic(grantee_v.span));
            }
        }
    }

    /// `newGrant` of an expectation: the grant a `CreateGrant` request asks
    /// for (no key: it is the request's).
    pub(super) fn new_grant(&mut self, ng: &JsonValue, names: &Names) -> Option<NewGrant> {
        let fields = self.object(ng, "`newGrant`")?;
        let get = |k: &str| fields.iter().find(|f| &*f.key == k).map(|f| &f.value);
        for f in fields {
            self.unknown(
                f,
                &["grantee", "operations", "constraints", "retiringPrincipal"],
                "`newGrant`",
            );
        }
        let grantee = get("grantee")
            .and_then(|g| self.string(g, "`grantee`"))
            .map(|g| names.principal_arn(g))
            .unwrap_or_default();
        let ops_v = get("operations")?;
        let ops = self.strings(ops_v, "`operations`");
        let operations = match parse_grant_operations(&ops) {
            Ok(o) => o,
            Err(e) => {
                self.report(self.source.clone(), e.to_diagnostic(ops_v.span));
                return None;
            }
        };
        let constraints = get("constraints").and_then(|c| self.constraints(c));
        let retiring_principal = get("retiringPrincipal")
            .and_then(|r| self.string(r, "`retiringPrincipal`"))
            .map(|r| names.principal_arn(r));
        Some(NewGrant {
            grantee,
            operations,
            constraints,
            retiring_principal,
        })
    }
}
