//! The worlds representatives are decided in: one `Authorizer` per
//! analyzed policy, holding every key class and every principal class in
//! every state of what the policy under analysis does not fix (whether the
//! caller's own IAM policies allow, whether a permissions boundary or
//! session policy stands in the way).
//!
//! Decisions come from the forward evaluator: this module only builds its
//! inputs and requests.

use std::sync::Arc;

use keyward_eval::{
    Authorizer, AuthorizerBuilder, Instant, KeyConfig, KeyId, PolicyDoc, PrincipalConfig,
    PrincipalId, Request,
};
use keyward_policy::{parse_policy, Source};

use crate::dims::Facet;
use crate::err::Unknown;
use crate::keys::KeyRep;
use crate::principals::{AccountRep, PrincipalRep, RepKind};

/// What kind of policy is analyzed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A KMS key policy: the caller's IAM side is unknown and varies.
    KeyPolicy,
    /// An IAM identity policy: the key side delegates to IAM.
    Identity,
}

impl Kind {
    /// `key` or `identity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::KeyPolicy => "key",
            Kind::Identity => "identity",
        }
    }
}

/// What the analysis assumes about the caller's own policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct World {
    /// The caller's IAM identity policies allow the request.
    pub iam_allows: bool,
    /// A permissions boundary (or, for a federated user, the missing session
    /// policy) denies it implicitly.
    pub bounded: bool,
}

impl World {
    /// How the world reads.
    pub fn describe(self) -> &'static str {
        match (self.iam_allows, self.bounded) {
            (true, false) => "its IAM policies allow the request",
            (false, false) => "no IAM policy of its own allows the request",
            (true, true) => {
                "its IAM policies allow the request but its permissions boundary does not"
            }
            (false, true) => {
                "neither its IAM policies nor its permissions boundary allow the request"
            }
        }
    }
}

/// The worlds a caller of `kind` is tried in, for a policy of `policy`.
pub fn worlds(kind: RepKind, policy: Kind) -> Vec<World> {
    let w = |iam_allows, bounded| World {
        iam_allows,
        bounded,
    };
    match (policy, kind) {
        (Kind::Identity, _) | (_, RepKind::Root | RepKind::Service) => vec![w(true, false)],
        _ => vec![
            w(true, false),
            w(false, false),
            w(true, true),
            w(false, true),
        ],
    }
}

const ALLOW_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
const ALLOW_NO_KMS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]}"#;

fn doc(name: &str, text: &str) -> Result<PolicyDoc, Unknown> {
    let policy =
        parse_policy(text).map_err(|_| Unknown::internal(format!("`{name}` does not parse")))?;
    Ok(PolicyDoc::new(name, Source::new(name, text), policy))
}

/// The authorizers for one analyzed policy, and the ids of every
/// representative in them. Keys whose aliases would clash (an alias names
/// one key per account and Region) go to different authorizers ("layers");
/// every layer holds every principal, under the same ids.
pub struct Built {
    /// The authorizers.
    pub layers: Vec<Authorizer>,
    /// Per principal class, per world (as [`worlds`] lists them), its id.
    pub principals: Vec<Vec<PrincipalId>>,
    /// Per key class, its layer and id.
    pub keys: Vec<(usize, KeyId)>,
}

impl std::fmt::Debug for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Built")
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

/// The time requests are decided at unless a class sets one.
pub const DEFAULT_TIME: i64 = 1_700_000_000;

/// Build the authorizer deciding `policy` (of kind `kind`) for every
/// representative.
pub fn build(
    kind: Kind,
    policy: &PolicyDoc,
    keys: &[KeyRep],
    principals: &[PrincipalRep],
    accounts: &[AccountRep],
) -> Result<Built, Unknown> {
    let key_policy = match kind {
        Kind::KeyPolicy => policy.clone(),
        Kind::Identity => {
            let ids: Vec<String> = accounts.iter().map(|a| format!("\"{}\"", a.id)).collect();
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "DelegateToIam", "Effect": "Allow", "Principal": {{"AWS": [{}]}}, "Action": "kms:*", "Resource": "*"}}]}}"#,
                ids.join(", ")
            );
            doc("key policy delegating to IAM", &text)?
        }
    };
    // Spread keys over layers so that no alias names two keys of one
    // account and Region in the same layer.
    let mut builders: Vec<(AuthorizerBuilder, Vec<(String, String)>)> = Vec::new();
    let mut key_ids = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        let mut parts = k.arn.split(':');
        let region = parts.nth(3).unwrap_or("");
        let account = parts.next().unwrap_or("");
        let place = format!("{account}:{region}");
        let taken: Vec<(String, String)> = k
            .aliases
            .iter()
            .map(|a| (place.clone(), a.clone()))
            .collect();
        let free = builders
            .iter()
            .position(|(_, used)| !taken.iter().any(|t| used.contains(t)));
        let layer = match free {
            Some(layer) => layer,
            None => {
                let mut b = Authorizer::builder();
                b.clock(Arc::new(|| Some(Instant::from_epoch_seconds(DEFAULT_TIME))));
                builders.push((b, Vec::new()));
                builders.len() - 1
            }
        };
        let mut config = KeyConfig::new(format!("key{i}"), k.arn.clone(), key_policy.clone());
        config.tags.clone_from(&k.tags);
        config.aliases.clone_from(&k.aliases);
        config.key_spec.clone_from(&k.key_spec);
        config.key_usage.clone_from(&k.key_usage);
        config.origin = k.origin;
        config
            .multi_region_key_type
            .clone_from(&k.multi_region_key_type);
        let (b, used) = &mut builders[layer];
        let id = b
            .add_key(config)
            // A key KMS would not create (a refused key policy, an alias
            // reserved for AWS managed keys…): the input's fault, not ours.
            .map_err(|e| Unknown::new(format!("key `{}` cannot exist: {}", k.arn, e.message)))?;
        used.extend(taken);
        key_ids.push((layer, id));
    }
    let configs = principal_configs(kind, policy, principals)?;
    let mut ids: Vec<Vec<PrincipalId>> = Vec::new();
    let mut layers = Vec::with_capacity(builders.len());
    for (n, (mut b, _)) in builders.into_iter().enumerate() {
        let layer_ids: Vec<Vec<PrincipalId>> = configs
            .iter()
            .map(|per_world| {
                per_world
                    .iter()
                    .map(|c| b.add_principal(c.clone()))
                    .collect()
            })
            .collect();
        if n == 0 {
            ids = layer_ids;
        }
        layers.push(b.build());
    }
    Ok(Built {
        layers,
        principals: ids,
        keys: key_ids,
    })
}

/// Every principal class in every world, as principal configurations.
pub(crate) fn principal_configs(
    kind: Kind,
    policy: &PolicyDoc,
    principals: &[PrincipalRep],
) -> Result<Vec<Vec<PrincipalConfig>>, Unknown> {
    let allow_all = doc("the caller's IAM policies (assumed to allow)", ALLOW_ALL)?;
    let no_kms = doc(
        "a permissions boundary allowing no KMS action",
        ALLOW_NO_KMS,
    )?;
    let mut out = Vec::with_capacity(principals.len());
    for (i, p) in principals.iter().enumerate() {
        let mut per_world = Vec::new();
        for (j, w) in worlds(p.kind, kind).into_iter().enumerate() {
            let mut config = PrincipalConfig::new(format!("p{i}w{j}"), p.caller.clone());
            config.tags.clone_from(&p.tags);
            match kind {
                Kind::Identity => config.policies.push(policy.clone()),
                Kind::KeyPolicy => {
                    if w.iam_allows && !matches!(p.kind, RepKind::Root | RepKind::Service) {
                        config.policies.push(allow_all.clone());
                    }
                    match p.kind {
                        RepKind::Federated if !w.bounded => {
                            config.session_policy = Some(allow_all.clone());
                        }
                        RepKind::User | RepKind::Role | RepKind::Session if w.bounded => {
                            config.permissions_boundary = Some(no_kms.clone());
                        }
                        _ => {}
                    }
                }
            }
            per_world.push(config);
        }
        out.push(per_world);
    }
    Ok(out)
}

/// The request of one class.
pub fn request(
    built: &Built,
    principal: usize,
    world: usize,
    key: usize,
    action: keyward_eval::KmsAction,
    facets: &[&Facet],
) -> Result<(usize, Request), Unknown> {
    let (Some(p), Some((layer, k))) = (
        built.principals.get(principal).and_then(|w| w.get(world)),
        built.keys.get(key),
    ) else {
        return Err(Unknown::internal("a class names no representative"));
    };
    let req = Request::new(*p, action, *k).map_err(|e| Unknown::internal(e.message))?;
    let req = crate::dims::with_facets(req, facets)?;
    Ok((*layer, req))
}
