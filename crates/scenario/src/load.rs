//! Reading a scenario file: keyward's spanned JSON parser, then each section
//! checked with a diagnostic (and its place) for every mistake.

mod policies;

use std::collections::HashMap;

use keyward_eval::{
    parse_grant_operations, AuthorizerBuilder, Caller, ContextValue, GrantConfig, GrantConstraints,
    KeyConfig, KeyId, KeyOrigin, KeyState, KmsAction, KmsErrorKind, NewGrant, PolicyDoc,
    PrincipalConfig, Request,
};
use keyward_policy::json::{self, JsonKind, JsonMember, JsonValue, ParseOptions};
use keyward_policy::{Diagnostic, Source, Span};

use crate::loader::Loader;
use crate::model::{Check, Expected, ExpectedDecision, Problem, Scenario};

const TOP: &[&str] = &[
    "description",
    "region",
    "principals",
    "keys",
    "grants",
    "scps",
    "rcps",
    "expect",
];

/// Read a scenario. `source` is the scenario text and its name (a path,
/// against which `{"file": …}` policies are resolved by `loader`).
///
/// Every problem found is returned at once, each with the text it points into.
///
/// A key that delegates to IAM, a reader whose IAM policy (read from a
/// file through the [`Loader`]) allows decrypting, and what is expected:
///
/// ```
/// use keyward_policy::Source;
/// use keyward_scenario::{load, run, MemoryLoader};
///
/// let scenario = r#"{
///   "region": "us-east-1",
///   "principals": {
///     "reader": {"arn": "arn:aws:iam::111122223333:role/Reader", "policies": [{"file": "policies/reader.json"}]},
///     "intern": {"arn": "arn:aws:iam::111122223333:user/intern"}
///   },
///   "keys": {
///     "data-key": {"arn": "arn:aws:kms:us-east-1:111122223333:key/d", "aliases": ["alias/data"],
///       "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM policies", "Effect": "Allow",
///         "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}}
///   },
///   "expect": [
///     {"principal": "reader", "action": "kms:Decrypt", "key": "alias/data", "decision": "allow"},
///     {"principal": "intern", "action": "kms:Decrypt", "key": "data-key", "decision": "implicit-deny"}
///   ]
/// }"#;
/// let files = MemoryLoader::new().with("scenarios/policies/reader.json",
///     r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}"#);
/// let loaded = load(Source::new("scenarios/data.json", scenario), &files).unwrap();
///
/// let results = run(&loaded);
/// assert!(results.iter().all(|r| r.pass));
/// let reasons = results[1].response.explanation().reasons();
/// assert!(reasons[0].to_string().starts_with("key policy `data-key` delegates `kms:Decrypt` to IAM through statement `Enable IAM policies`"));
///
/// // Mistakes are reported with their place, all at once.
/// let broken = scenario.replace("kms:Decrypt", "kms:Decript");
/// let problems = load(Source::new("scenarios/data.json", broken), &files).unwrap_err();
/// assert_eq!(problems.len(), 2);
/// assert_eq!(problems[0].diagnostic.message, "`kms:Decript` is not a KMS action");
/// ```
pub fn load(source: Source, loader: &dyn Loader) -> Result<Scenario, Vec<Problem>> {
    let parsed = json::parse(source.text(), &ParseOptions::default());
    let mut cx = Cx {
        source: source.clone(),
        loader,
        problems: Vec::new(),
        warnings: Vec::new(),
        files: HashMap::new(),
    };
    for d in parsed.diagnostics {
        cx.report(source.clone(), d);
    }
    let Some(root) = parsed.value else {
        return Err(cx.problems);
    };
    let scenario = cx.scenario(&root);
    match scenario {
        Some(s) if cx.problems.is_empty() => Ok(s),
        _ => Err(cx.problems),
    }
}

/// The inputs of a one-off query: a key with its policy, a caller with its
/// identity policies, and optionally grants (a JSON list in the scenario
/// grant format, `key` optional).
#[derive(Clone, Debug)]
pub struct QueryWorld {
    /// The key's ARN.
    pub key_arn: String,
    /// The key policy text.
    pub key_policy: Source,
    /// The key's state.
    pub key_state: KeyState,
    /// The caller's ARN.
    pub principal_arn: String,
    /// Identity policy texts.
    pub identity_policies: Vec<Source>,
    /// A permissions boundary text.
    pub permissions_boundary: Option<Source>,
    /// A session policy text.
    pub session_policy: Option<Source>,
    /// Grants: a JSON list.
    pub grants: Option<Source>,
}

/// Build a one-key, one-principal scenario (no checks) from separate files.
pub fn load_query(world: QueryWorld, loader: &dyn Loader) -> Result<Scenario, Vec<Problem>> {
    let mut cx = Cx {
        source: world.key_policy.clone(),
        loader,
        problems: Vec::new(),
        warnings: Vec::new(),
        files: HashMap::new(),
    };
    let mut b = AuthorizerBuilder::new();
    let mut names = Names {
        keys: Vec::new(),
        principals: Vec::new(),
        broken: Vec::new(),
    };
    let key_policy = cx.policy_text(world.key_policy.clone(), world.key_policy.name());
    let caller = Caller::from_arn(&world.principal_arn);
    let identity: Vec<PolicyDoc> = world
        .identity_policies
        .iter()
        .filter_map(|src| cx.policy_text(src.clone(), src.name()))
        .collect();
    let boundary = world
        .permissions_boundary
        .clone()
        .and_then(|src| cx.policy_text(src, "boundary"));
    let session = world
        .session_policy
        .clone()
        .and_then(|src| cx.policy_text(src, "session"));
    let (Some(key_policy), Ok(caller)) = (key_policy, caller.clone()) else {
        if let Err(e) = caller {
            cx.report(
                Source::new("--principal", world.principal_arn.clone()),
                e.to_diagnostic(Span::new(0, world.principal_arn.len())),
            );
        }
        return Err(cx.problems);
    };
    let mut key = KeyConfig::new(key_policy.name.clone(), world.key_arn.clone(), key_policy);
    key.state = world.key_state;
    match b.add_key(key) {
        Ok(id) => names.keys.push(("key".into(), world.key_arn.clone(), id)),
        Err(e) => {
            cx.report(
                Source::new("--key", world.key_arn.clone()),
                e.to_diagnostic(Span::new(0, world.key_arn.len())),
            );
            return Err(cx.problems);
        }
    }
    names
        .principals
        .push(("caller".into(), caller.arn().to_string()));
    let mut p = PrincipalConfig::new(caller.arn().to_string(), caller);
    p.policies = identity;
    p.permissions_boundary = boundary;
    p.session_policy = session;
    b.add_principal(p);
    if let Some(src) = world.grants {
        cx.source = src.clone();
        let parsed = json::parse(src.text(), &ParseOptions::default());
        for d in parsed.diagnostics {
            cx.report(src.clone(), d);
        }
        if let Some(v) = parsed.value {
            cx.grants(&v, &mut b, &names);
        }
    }
    if !cx.problems.is_empty() {
        return Err(cx.problems);
    }
    Ok(Scenario {
        source: world.key_policy,
        description: None,
        region: None,
        authorizer: b.build(),
        checks: Vec::new(),
        warnings: cx.warnings,
    })
}

pub(crate) struct Cx<'l> {
    pub(crate) source: Source,
    pub(crate) loader: &'l dyn Loader,
    pub(crate) problems: Vec<Problem>,
    pub(crate) warnings: Vec<Problem>,
    pub(crate) files: HashMap<String, Option<(Source, keyward_policy::Policy)>>,
}

/// Where names lead while loading.
struct Names {
    keys: Vec<(String, String, KeyId)>,
    principals: Vec<(String, String)>,
    /// Names whose definition had errors (already reported): checks naming
    /// them are skipped rather than reported again.
    broken: Vec<String>,
}

impl Names {
    fn key(&self, text: &str) -> Option<KeyId> {
        self.keys
            .iter()
            .find(|(n, a, _)| n == text || a == text)
            .map(|(_, _, id)| *id)
    }

    /// A principal NAME becomes its ARN (or service name); anything else is kept.
    fn principal_arn(&self, text: &str) -> String {
        self.principals
            .iter()
            .find(|(n, _)| n == text)
            .map_or_else(|| text.to_string(), |(_, arn)| arn.clone())
    }
}

impl Cx<'_> {
    pub(crate) fn report(&mut self, source: Source, diagnostic: Diagnostic) {
        if diagnostic.is_error() {
            self.problems.push(Problem { source, diagnostic });
        } else {
            self.warnings.push(Problem { source, diagnostic });
        }
    }

    pub(crate) fn error(&mut self, code: &'static str, message: String, span: Span, help: &str) {
        let mut d = Diagnostic::error(code, message, span);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.report(self.source.clone(), d);
    }

    fn object<'v>(&mut self, v: &'v JsonValue, what: &str) -> Option<&'v [JsonMember]> {
        let members = v.as_object();
        if members.is_none() {
            self.error(
                "scenario::type",
                format!("{what} must be an object, not {}", v.kind_name()),
                v.span,
                "",
            );
        }
        members
    }

    fn string<'v>(&mut self, v: &'v JsonValue, what: &str) -> Option<&'v str> {
        let s = v.as_str();
        if s.is_none() {
            self.error(
                "scenario::type",
                format!("{what} must be a string, not {}", v.kind_name()),
                v.span,
                "",
            );
        }
        s
    }

    fn strings(&mut self, v: &JsonValue, what: &str) -> Vec<String> {
        match &v.kind {
            JsonKind::String(s) => vec![s.to_string()],
            JsonKind::Array(items) => items
                .iter()
                .filter_map(|i| self.string(i, what).map(str::to_string))
                .collect(),
            _ => {
                self.error(
                    "scenario::type",
                    format!(
                        "{what} must be a string or a list of strings, not {}",
                        v.kind_name()
                    ),
                    v.span,
                    "",
                );
                Vec::new()
            }
        }
    }

    /// Scalars as text (`true`, `3`), for context values.
    fn scalar_text(&mut self, v: &JsonValue, what: &str) -> Option<String> {
        match &v.kind {
            JsonKind::String(s) => Some(s.to_string()),
            JsonKind::Bool(b) => Some(b.to_string()),
            JsonKind::Number(_) => Some(self.source.slice(v.span).to_string()),
            _ => {
                self.error(
                    "scenario::type",
                    format!(
                        "{what} must be a string, number or boolean, not {}",
                        v.kind_name()
                    ),
                    v.span,
                    "",
                );
                None
            }
        }
    }

    fn pairs(&mut self, v: &JsonValue, what: &str) -> Vec<(String, String)> {
        let Some(members) = self.object(v, what) else {
            return Vec::new();
        };
        members
            .iter()
            .filter_map(|m| {
                self.scalar_text(&m.value, what)
                    .map(|t| (m.key.to_string(), t))
            })
            .collect()
    }

    fn unknown(&mut self, m: &JsonMember, known: &[&str], within: &str) {
        if !known.contains(&&*m.key) {
            self.error(
                "scenario::unknown-field",
                format!("`{}` is not a field of {within}", m.key),
                m.key_span,
                &format!("the fields are: {}", known.join(", ")),
            );
        }
    }

    fn scenario(&mut self, root: &JsonValue) -> Option<Scenario> {
        let members = self.object(root, "a scenario")?;
        let get = |k: &str| members.iter().find(|m| &*m.key == k).map(|m| &m.value);
        for m in members {
            self.unknown(m, TOP, "a scenario");
        }
        let description = get("description")
            .and_then(|v| self.string(v, "`description`"))
            .map(str::to_string);
        let region = get("region")
            .and_then(|v| self.string(v, "`region`"))
            .map(str::to_string);
        let mut b = AuthorizerBuilder::new();
        let mut names = Names {
            keys: Vec::new(),
            principals: Vec::new(),
            broken: Vec::new(),
        };
        if let Some(keys) = get("keys") {
            self.keys(keys, &mut b, &mut names);
        }
        if let Some(principals) = get("principals") {
            self.principals(principals, &mut b, &mut names);
        }
        if let Some(grants) = get("grants") {
            self.grants(grants, &mut b, &names);
        }
        for (field, scp) in [("scps", true), ("rcps", false)] {
            if let Some(v) = get(field) {
                self.org(v, field, scp, &mut b);
            }
        }
        let authorizer = b.build();
        let checks = match get("expect") {
            Some(v) => self.checks(v, &authorizer, region.as_deref(), &names),
            None => Vec::new(),
        };
        Some(Scenario {
            source: self.source.clone(),
            description,
            region,
            authorizer,
            checks,
            warnings: std::mem::take(&mut self.warnings),
        })
    }

    fn keys(&mut self, v: &JsonValue, b: &mut AuthorizerBuilder, names: &mut Names) {
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

    fn principals(&mut self, v: &JsonValue, b: &mut AuthorizerBuilder, names: &mut Names) {
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

    fn constraints(&mut self, v: &JsonValue) -> Option<GrantConstraints> {
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

    fn grants(&mut self, v: &JsonValue, b: &mut AuthorizerBuilder, names: &Names) {
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

    /// `{ACCOUNT: [POLICY | [POLICY, …]]}`: each element is one level of the
    /// organization chain; a list element is a level of several policies.
    fn org(&mut self, v: &JsonValue, field: &str, scp: bool, b: &mut AuthorizerBuilder) {
        let Some(members) = self.object(v, &format!("`{field}`")) else {
            return;
        };
        for m in members {
            let account = m.key.to_string();
            if !keyward_eval::is_account_id(&account) {
                self.error(
                    "scenario::account",
                    format!("`{account}` is not an account id"),
                    m.key_span,
                    "use the 12-digit account id",
                );
                continue;
            }
            let levels: Vec<&JsonValue> = match &m.value.kind {
                JsonKind::Array(items) => items.iter().collect(),
                _ => vec![&m.value],
            };
            let kind = if scp { "scp" } else { "rcp" };
            for (level, lv) in levels.into_iter().enumerate() {
                let policies: Vec<&JsonValue> = match &lv.kind {
                    JsonKind::Array(items) => items.iter().collect(),
                    _ => vec![lv],
                };
                let docs: Vec<PolicyDoc> = policies
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        self.policy(
                            p,
                            &format!("{account} {kind} {level}.{i}"),
                            &format!("/{field}/{account}/{level}"),
                        )
                    })
                    .collect();
                if scp {
                    b.add_scp_level(&account, docs);
                } else {
                    b.add_rcp_level(&account, docs);
                }
            }
        }
    }

    fn checks(
        &mut self,
        v: &JsonValue,
        auth: &keyward_eval::Authorizer,
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
        auth: &keyward_eval::Authorizer,
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
                        self.error("scenario::error", format!("`{text}` is not a KMS error keyward reports"), e.span, "use DisabledException, KMSInvalidStateException, NotFoundException or UnsupportedOperationException, or null");
                        return None;
                    }
                }
            }
        };
        let mut request = match Request::resolved(principal, action, resolution) {
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
                        self.report(self.source.clone(), e.to_diagnostic(m.key_span));
                        return None;
                    }
                };
            }
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
            request = request.creating(NewGrant {
                grantee,
                operations,
                constraints,
                retiring_principal,
            });
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
}
