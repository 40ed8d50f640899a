//! A scenario assembled from separate files (a key policy here, identity
//! policies there, grants in a third) rather than read from one scenario
//! file: what `keyward query --key-policy` builds. Problems are collected as
//! [`load`](crate::load) collects them, each pointing into its own file.

use keyward_eval::{
    key_policy_refusals, AuthorizerBuilder, EvalError, KeyConfig, KeyId, PolicyDoc,
    PrincipalConfig, PrincipalId,
};
use keyward_policy::json::{self, ParseOptions};
use keyward_policy::{Diagnostic, Source};

use super::{Cx, Names};
use crate::loader::Loader;
use crate::model::{Problem, Scenario};

/// The code of [`ScenarioBuilder::key`]'s error for a key policy KMS
/// refuses (its problems are already reported, each at its place).
pub const REFUSED: &str = "scenario::key-policy-refused";

/// Builds a [`Scenario`] (with no checks) piece by piece.
///
/// ```
/// use keyward_eval::{Caller, KeyConfig, PrincipalConfig};
/// use keyward_policy::Source;
/// use keyward_scenario::{MemoryLoader, ScenarioBuilder};
///
/// let key_policy = Source::new("key.json", r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
///     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}"#);
/// let loader = MemoryLoader::new();
/// let mut b = ScenarioBuilder::new(key_policy.clone(), &loader);
/// let policy = b.policy(key_policy, "key.json").unwrap();
/// let key = b.key("key", KeyConfig::new("key.json", "arn:aws:kms:us-east-1:111122223333:key/k", policy)).unwrap();
/// let caller = Caller::from_arn("arn:aws:iam::111122223333:role/App").unwrap();
/// b.principal("caller", PrincipalConfig::new("caller", caller));
/// // Grants name the key and the principal as the builder was told.
/// b.grants(Source::new("grants.json", r#"[{"grantee": "caller", "operations": ["Decrypt"]}]"#));
/// let scenario = b.finish().unwrap();
/// assert_eq!(scenario.authorizer.grants_of(key).count(), 1);
/// ```
pub struct ScenarioBuilder<'l> {
    cx: Cx<'l>,
    names: Names,
    authorizer: AuthorizerBuilder,
    /// The file the scenario is named after.
    source: Source,
}

impl std::fmt::Debug for ScenarioBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScenarioBuilder")
            .field("source", &self.source.name())
            .field("problems", &self.cx.problems.len())
            .finish_non_exhaustive()
    }
}

impl<'l> ScenarioBuilder<'l> {
    /// An empty scenario named after `source`; `loader` reads any
    /// `{"file": …}` the pieces refer to.
    pub fn new(source: Source, loader: &'l dyn Loader) -> ScenarioBuilder<'l> {
        ScenarioBuilder {
            cx: Cx::new(source.clone(), loader),
            names: Names::default(),
            authorizer: AuthorizerBuilder::new(),
            source,
        }
    }

    /// Read a policy document named `name` (in explanations); its problems
    /// are kept. `None` when it has errors.
    pub fn policy(&mut self, source: Source, name: &str) -> Option<PolicyDoc> {
        self.cx.policy_text(source, name)
    }

    /// Add a key, which grants may name as `name` or by its ARN. Fails like
    /// [`keyward_eval::AuthorizerBuilder::add_key`]; a key policy KMS
    /// refuses is reported here, each problem at its place in the policy,
    /// and the error's code is then `scenario::key-policy-refused`.
    pub fn key(&mut self, name: &str, config: KeyConfig) -> Result<KeyId, EvalError> {
        let refusals = key_policy_refusals(&config.policy);
        if !refusals.is_empty() {
            for d in refusals {
                self.cx.report(config.policy.source.clone(), d);
            }
            return Err(EvalError::new(
                REFUSED,
                format!("KMS refuses the key policy of `{name}`"),
            ));
        }
        let arn = config.arn.clone();
        let id = self.authorizer.add_key(config)?;
        self.names.keys.push((name.to_string(), arn, id));
        Ok(id)
    }

    /// Add a principal, which grants may name as `name`.
    pub fn principal(&mut self, name: &str, config: PrincipalConfig) -> PrincipalId {
        self.names
            .principals
            .push((name.to_string(), config.caller.arn().to_string()));
        self.authorizer.add_principal(config)
    }

    /// Read grants: a JSON list in the scenario grant format (`key` may be
    /// left out when there is one key).
    pub fn grants(&mut self, source: Source) {
        let parsed = json::parse(source.text(), &ParseOptions::default());
        for d in parsed.diagnostics {
            self.cx.report(source.clone(), d);
        }
        if let Some(v) = parsed.value {
            let scenario = std::mem::replace(&mut self.cx.source, source);
            self.cx.grants(&v, &mut self.authorizer, &self.names);
            self.cx.source = scenario;
        }
    }

    /// Record a problem found outside the builder (a bad command-line value).
    pub fn problem(&mut self, source: Source, diagnostic: Diagnostic) {
        self.cx.report(source, diagnostic);
    }

    /// Every error found so far, for a caller that gives up early.
    pub fn into_problems(self) -> Vec<Problem> {
        self.cx.problems
    }

    /// The scenario, or every error found.
    pub fn finish(self) -> Result<Scenario, Vec<Problem>> {
        if !self.cx.problems.is_empty() {
            return Err(self.cx.problems);
        }
        Ok(Scenario {
            source: self.source,
            description: None,
            region: None,
            world: self.authorizer.clone(),
            authorizer: self.authorizer.build(),
            checks: Vec::new(),
            warnings: self.cx.warnings,
        })
    }
}
