//! iam-collect's `kms/<region>/key/<key-id>/`: the key policy and tags. It
//! holds no key state, grants or aliases: those are gaps of every key.

use crate::embedded::policy_at;
use crate::files::{join, EntryKind};
use crate::json::Cx;
use crate::json::Sink;
use crate::layout::keys::RegionParts;
use crate::model::KeyData;
use crate::problem::{Gap, GapKind, Owner};

use super::{list, optional, tags_of};

/// The keys of one account and Region.
pub(super) fn region(
    cx: &mut Cx<'_>,
    dir: &str,
    partition: &str,
    account: &str,
    region: &str,
) -> RegionParts {
    let mut out = RegionParts {
        aliases_gap: Some(Gap {
            kind: GapKind::Aliases,
            what: format!(
                "the aliases of account {account} in {region}: iam-collect holds no aliases"
            ),
            place: None,
        }),
        ..RegionParts::default()
    };
    for e in list(cx, &format!("{dir}/key")) {
        if e.kind != EntryKind::Dir {
            continue;
        }
        let kdir = format!("{dir}/key/{}", e.name);
        let key_id = e.name.clone();
        let owner = Owner::of(account, format!("key `{key_id}` ({region})"));
        let mut gaps = vec![
            Gap {
                kind: GapKind::KeyMetadata,
                what: "the key's state and properties: iam-collect holds none".into(),
                place: None,
            },
            Gap {
                kind: GapKind::Grants,
                what: "the key's grants: iam-collect holds none".into(),
                place: None,
            },
        ];
        // metadata.json holds only the id; read it so nothing goes unread.
        let _ = optional(cx, &join(&kdir, "metadata.json"), &owner);
        let policy = match optional(cx, &join(&kdir, "policy.json"), &owner) {
            Some(Ok(doc)) => {
                let options = cx.options.clone();
                let mut sink = Sink {
                    problems: &mut cx.problems,
                    source: &doc.source,
                    owner: owner.clone(),
                };
                policy_at(
                    &mut sink,
                    &doc.root,
                    &format!("{key_id} key policy"),
                    &"",
                    &options,
                )
                .map_err(|place| {
                    gaps.push(Gap {
                        kind: GapKind::KeyPolicy,
                        what: "the key policy cannot be read".into(),
                        place: Some(place),
                    })
                })
                .ok()
            }
            Some(Err(mut g)) => {
                g.kind = GapKind::KeyPolicy;
                gaps.push(g);
                None
            }
            None => {
                cx.file_warning(
                    &join(&kdir, "policy.json"),
                    &owner,
                    "snapshot::missing-file",
                    "iam-collect stored no key policy (access denied when collecting?)".into(),
                    "",
                );
                gaps.push(Gap {
                    kind: GapKind::KeyPolicy,
                    what: "the key policy: iam-collect stored none".into(),
                    place: None,
                });
                None
            }
        };
        let tags = match optional(cx, &join(&kdir, "tags.json"), &owner) {
            Some(Ok(doc)) => {
                let mut sink = Sink {
                    problems: &mut cx.problems,
                    source: &doc.source,
                    owner: owner.clone(),
                };
                tags_of(&mut sink, &doc.root).unwrap_or_else(|place| {
                    gaps.push(Gap {
                        kind: GapKind::KeyTags,
                        what: "the key's tags cannot be read".into(),
                        place: Some(place),
                    });
                    Vec::new()
                })
            }
            _ => {
                gaps.push(Gap {
                    kind: GapKind::KeyTags,
                    what: "the key's tags: iam-collect stored none (no tags, or access denied)"
                        .into(),
                    place: None,
                });
                Vec::new()
            }
        };
        out.keys.push(KeyData {
            arn: format!("arn:{partition}:kms:{region}:{account}:key/{key_id}"),
            partition: partition.to_string(),
            account: account.to_string(),
            region: region.to_string(),
            key_id,
            policy,
            meta: None,
            aliases: Vec::new(),
            tags,
            grants: Vec::new(),
            gaps,
            mentions: Default::default(),
        });
    }
    out
}
