//! Keys and aliases of one account and Region, whatever the layout: the
//! aliases are attached to the keys they name, and an alias naming a key the
//! snapshot does not hold is reported.

use keyward_eval::{KeyManager, AWS_ALIAS_PREFIX};

use crate::aws::kms::AliasEntry;
use crate::json::Cx;
use crate::model::{DanglingAlias, KeyData, Mentions};
use crate::problem::{Gap, Owner};

/// What one account and Region hold.
#[derive(Debug, Default)]
pub(crate) struct RegionParts {
    pub(crate) aliases: Vec<AliasEntry>,
    /// The aliases could not all be read (or the layout has none).
    pub(crate) aliases_gap: Option<Gap>,
    pub(crate) keys: Vec<KeyData>,
}

/// Attach aliases to keys; returns the keys and the aliases naming keys
/// that are not in the snapshot.
pub(crate) fn attach_aliases(
    cx: &mut Cx<'_>,
    account: &str,
    region: &str,
    parts: RegionParts,
) -> (Vec<KeyData>, Vec<DanglingAlias>, Option<Gap>) {
    let RegionParts {
        aliases,
        aliases_gap,
        mut keys,
    } = parts;
    let mut dangling = Vec::new();
    let index: std::collections::HashMap<String, usize> = keys
        .iter()
        .enumerate()
        .flat_map(|(i, k)| [(k.key_id.clone(), i), (k.arn.clone(), i)])
        .collect();
    for a in aliases {
        let Some(target) = a.target else { continue };
        match index.get(&target).and_then(|&i| keys.get_mut(i)) {
            Some(k) => {
                let reserved = a.name.starts_with(AWS_ALIAS_PREFIX);
                match k.meta.as_ref().and_then(|m| m.manager) {
                    // KMS keeps `alias/aws/` for AWS managed keys, and an
                    // AWS managed key has no other alias (KMS Developer
                    // Guide, "AWS managed keys"): an export that says
                    // otherwise is not what AWS returned.
                    Some(manager) if reserved != (manager == KeyManager::Aws) => {
                        cx.problems.push(a.loc.problem(
                            &Owner::of(account, format!("alias `{}` in {region}", a.name)),
                            "snapshot::alias-manager",
                            format!(
                                "the alias names key `{target}`, whose KeyManager is {manager}: {}",
                                if reserved {
                                    "`alias/aws/` aliases are reserved for AWS managed keys"
                                } else {
                                    "an AWS managed key has only its `alias/aws/SERVICE` alias"
                                }
                            ),
                            "export list-aliases and describe-key of the same account and Region",
                        ));
                    }
                    _ => k.aliases.push(a.name),
                }
            }
            None => {
                cx.problems.push(a.loc.problem(
                    &Owner::of(account, format!("alias `{}` in {region}", a.name)),
                    "snapshot::alias-target",
                    format!("the alias names key `{target}`, which is not in the snapshot"),
                    "export every key of the Region (`aws kms list-keys`), as scripts/collect-snapshot.sh does",
                ));
                dangling.push(DanglingAlias {
                    account: account.to_string(),
                    region: region.to_string(),
                    name: a.name,
                    target,
                });
            }
        }
    }
    for k in &mut keys {
        k.aliases.sort();
        // Explanations name the key policy after the key's first alias.
        let name = match k.aliases.first() {
            Some(a) => format!("{a} ({})", k.key_id),
            None => k.key_id.clone(),
        };
        if let Some(p) = &mut k.policy {
            p.name = name;
        }
        k.mentions = Mentions::of(k.policy.as_ref());
    }
    (keys, dangling, aliases_gap)
}
