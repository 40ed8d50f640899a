//! Reading a scenario file: keyward's spanned JSON parser, then each section
//! checked with a diagnostic (and its place) for every mistake.
//!
//! One file per section: [`keys`] (with [`key_policy`]), [`principals`],
//! [`grants`], [`organization`] (SCPs and RCPs), [`endpoints`] (VPC
//! endpoint policies), [`expectations`]; [`policies`] reads a
//! POLICY value and [`reading`] the files `{"file": PATH}` names; [`fields`]
//! reads the JSON values every section is made of. [`builder`] assembles a
//! scenario from separate files instead of one scenario file.

mod builder;
mod endpoints;
mod expectations;
mod fields;
mod grants;
mod key_policy;
mod keys;
mod organization;
mod policies;
mod principals;
mod reading;

use std::collections::HashMap;

use keyward_eval::{AuthorizerBuilder, KeyId};
use keyward_policy::json::{self, JsonValue, ParseOptions};
use keyward_policy::Source;

pub use builder::{ScenarioBuilder, REFUSED as KEY_POLICY_REFUSED};

use crate::loader::Loader;
use crate::model::{Problem, Scenario};

const TOP: &[&str] = &[
    "description",
    "region",
    "principals",
    "keys",
    "grants",
    "scps",
    "rcps",
    "vpcEndpoints",
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
    let mut cx = Cx::new(source.clone(), loader);
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

/// What loading has found so far, and where it reads.
pub(crate) struct Cx<'l> {
    /// The text diagnostics point into.
    pub(crate) source: Source,
    pub(crate) loader: &'l dyn Loader,
    pub(crate) problems: Vec<Problem>,
    pub(crate) warnings: Vec<Problem>,
    /// Policy files read so far (`None`: could not be read or parsed).
    pub(crate) files: HashMap<String, Option<(Source, keyward_policy::Policy)>>,
}

impl<'l> Cx<'l> {
    fn new(source: Source, loader: &'l dyn Loader) -> Cx<'l> {
        Cx {
            source,
            loader,
            problems: Vec::new(),
            warnings: Vec::new(),
            files: HashMap::new(),
        }
    }
}

/// Where names lead while loading.
#[derive(Default)]
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
        let mut names = Names::default();
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
        if let Some(v) = get("vpcEndpoints") {
            self.endpoints(v, &mut b);
        }
        let world = b.clone();
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
            world,
            checks,
            warnings: std::mem::take(&mut self.warnings),
        })
    }
}
