//! KMS outputs: `describe-key` (`KeyMetadata`), `get-key-policy`
//! (`{"Policy": "…", "PolicyName": "default"}`), `list-grants` (`Grants`),
//! `list-aliases` (`Aliases`) and `list-resource-tags` (`Tags`).

use keyward_eval::{
    parse_grant_operations, GrantConstraints, KeyManager, KeyOrigin, KeyState, PolicyDoc,
};
use keyward_policy::json::{JsonKind, JsonMember, JsonValue};

use crate::embedded::policy_at;
use crate::json::{field, Cx, Doc, Lost, Sink};
use crate::model::{GrantData, KeyMeta};
use crate::problem::{Gap, GapKind, Loc, Owner, Place};
use crate::stock::Stock;

fn lost_gap(kind: GapKind, what: String, lost: Lost) -> Gap {
    Gap {
        kind,
        what: format!("{what}: {}", lost.why),
        place: Some(lost.place),
    }
}

/// Read a file, or say why not as a gap of `kind` (`what` names the data).
fn read(
    cx: &mut Cx<'_>,
    path: &str,
    owner: &Owner,
    kind: GapKind,
    what: &str,
    required: bool,
) -> Result<Doc, Gap> {
    cx.read_json(path, owner, required)
        .map_err(|lost| lost_gap(kind, what.to_string(), lost))
}

/// `describe-key`: the key's metadata. `arn` is the key ARN the file's
/// place implies; a file about another key is a problem.
pub(crate) fn describe_key(
    cx: &mut Cx<'_>,
    path: &str,
    owner: &Owner,
    arn: &str,
) -> Result<KeyMeta, Gap> {
    let what = "the key's state and properties";
    let doc = read(cx, path, owner, GapKind::KeyMetadata, what, true)?;
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner: owner.clone(),
    };
    let gap = |place: Place| Gap {
        kind: GapKind::KeyMetadata,
        what: format!("{what}: `{path}` cannot be read"),
        place: Some(place),
    };
    let top = sink.object(&doc.root, "describe-key output").map_err(gap)?;
    let meta_v = sink
        .required(top, "KeyMetadata", doc.root.span, "describe-key output")
        .map_err(gap)?;
    let m = sink.object(meta_v, "`KeyMetadata`").map_err(gap)?;
    let file_arn_v = sink
        .required(m, "Arn", meta_v.span, "`KeyMetadata`")
        .map_err(gap)?;
    let file_arn = sink.string(file_arn_v, "`Arn`").map_err(gap)?;
    if file_arn != arn {
        return Err(gap(sink.error(
            "snapshot::key-mismatch",
            format!("`KeyMetadata` describes `{file_arn}`, not this folder's key `{arn}`"),
            file_arn_v.span,
            "keep each key's files in accounts/<account>/kms/<region>/keys/<key-id>/",
        )));
    }
    let state_v = sink
        .required(m, "KeyState", meta_v.span, "`KeyMetadata`")
        .map_err(gap)?;
    let state_text = sink.string(state_v, "`KeyState`").map_err(gap)?;
    let state = KeyState::parse(state_text).ok_or_else(|| {
        gap(sink.error("snapshot::key-state", format!("`{state_text}` is not a key state"), state_v.span, "KMS key states are Creating, Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable and Updating"))
    })?;
    let origin = match field(m, "Origin") {
        None => KeyOrigin::AwsKms,
        Some(o) => {
            let text = sink.string(o, "`Origin`").map_err(gap)?;
            KeyOrigin::parse(text).ok_or_else(|| {
                gap(sink.error(
                    "snapshot::key-origin",
                    format!("`{text}` is not a key origin"),
                    o.span,
                    "KMS key origins are AWS_KMS, EXTERNAL, AWS_CLOUDHSM and EXTERNAL_KEY_STORE",
                ))
            })?
        }
    };
    let key_spec = match sink.optional_str(m, "KeySpec").map_err(gap)? {
        Some(s) => s.to_string(),
        None => sink
            .optional_str(m, "CustomerMasterKeySpec")
            .map_err(gap)?
            .unwrap_or("SYMMETRIC_DEFAULT")
            .to_string(),
    };
    let key_usage = sink
        .optional_str(m, "KeyUsage")
        .map_err(gap)?
        .unwrap_or("ENCRYPT_DECRYPT")
        .to_string();
    let manager = match field(m, "KeyManager") {
        None => None,
        Some(v) => {
            let text = sink.string(v, "`KeyManager`").map_err(gap)?;
            Some(KeyManager::parse(text).ok_or_else(|| {
                gap(sink.error(
                    "snapshot::key-manager",
                    format!("`{text}` is not a key manager"),
                    v.span,
                    "DescribeKey's KeyManager is CUSTOMER or AWS",
                ))
            })?)
        }
    };
    let multi_region = match field(m, "MultiRegion") {
        Some(v) => Some(sink.boolean(v, "`MultiRegion`").map_err(gap)?),
        None => None,
    };
    let multi_region_key_type = match field(m, "MultiRegionConfiguration") {
        Some(c) if !matches!(c.kind, JsonKind::Null) => {
            let cm = sink.object(c, "`MultiRegionConfiguration`").map_err(gap)?;
            sink.optional_str(cm, "MultiRegionKeyType")
                .map_err(gap)?
                .map(str::to_string)
        }
        _ => None,
    };
    Ok(KeyMeta {
        state,
        origin,
        key_spec,
        key_usage,
        manager,
        multi_region,
        multi_region_key_type,
    })
}

/// `get-key-policy --policy-name default`: the policy as a JSON string.
pub(crate) fn key_policy(
    cx: &mut Cx<'_>,
    path: &str,
    owner: &Owner,
    name: &str,
) -> Result<PolicyDoc, Gap> {
    let what = "the key policy";
    let doc = read(cx, path, owner, GapKind::KeyPolicy, what, true)?;
    let options = cx.options.clone();
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner: owner.clone(),
    };
    let gap = |place: Place| Gap {
        kind: GapKind::KeyPolicy,
        what: format!("{what}: `{path}` cannot be read"),
        place: Some(place),
    };
    let top = sink
        .object(&doc.root, "get-key-policy output")
        .map_err(gap)?;
    let policy_v = sink
        .required(top, "Policy", doc.root.span, "get-key-policy output")
        .map_err(gap)?;
    if let Some(n) = sink.optional_str(top, "PolicyName").map_err(gap)? {
        if n != "default" {
            let span = field(top, "PolicyName").map_or(doc.root.span, |v| v.span);
            return Err(gap(sink.error(
                "snapshot::policy-name",
                format!("`{n}` is not the key policy's name"),
                span,
                "every KMS key has one key policy, named `default`",
            )));
        }
    }
    policy_at(&mut sink, policy_v, name, &"/Policy", &options).map_err(gap)
}

/// `list-grants`: the key's grants. Grants that cannot be read are
/// reported and make the key's grants incomplete (the gap).
pub(crate) fn grants(
    cx: &mut Cx<'_>,
    path: &str,
    owner: &Owner,
    key_arn: &str,
    stock: &mut Stock,
) -> (Vec<GrantData>, Option<Gap>) {
    list_output(
        cx,
        path,
        owner,
        GapKind::Grants,
        "the key's grants",
        ListShape {
            command: "list-grants",
            member: "Grants",
            noun: "grant",
            an_item: "a grant",
        },
        |sink, item| grant(sink, item, key_arn, stock),
    )
}

fn grant(
    sink: &mut Sink<'_>,
    v: &JsonValue,
    key_arn: &str,
    stock: &mut Stock,
) -> Result<GrantData, Place> {
    let m = sink.object(v, "a grant")?;
    if let Some(k) = field(m, "KeyId") {
        let key = sink.string(k, "`KeyId`")?;
        if key != key_arn && !key_arn.ends_with(&format!("key/{key}")) {
            return Err(sink.error(
                "snapshot::grant-key",
                format!("the grant is for key `{key}`, not this folder's key `{key_arn}`"),
                k.span,
                "list-grants returns the grants of the key it is asked about; keep each key's grants in its own folder",
            ));
        }
    }
    let grantee = sink
        .required_str(m, "GranteePrincipal", v.span, "a grant")?
        .to_string();
    let ops_v = sink.required(m, "Operations", v.span, "a grant")?;
    let names = sink.strings(ops_v, "`Operations`")?;
    let operations =
        parse_grant_operations(&names).map_err(|e| sink.push(e.to_diagnostic(ops_v.span)))?;
    let constraints = match field(m, "Constraints") {
        Some(c) if !matches!(c.kind, JsonKind::Null) => constraints(sink, c)?,
        _ => None,
    };
    let retiring = sink
        .optional_str(m, "RetiringPrincipal")?
        .map(str::to_string);
    // `arn:aws:iam::111122223333:root`
    let issuing_account = sink.optional_str(m, "IssuingAccount")?.map(|a| {
        a.split(':')
            .nth(4)
            .filter(|x| !x.is_empty())
            .unwrap_or(a)
            .to_string()
    });
    let data = GrantData {
        grantee,
        operations,
        operation_names: names,
        constraints,
        retiring,
        name: sink
            .optional_str(m, "Name")?
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        id: sink.optional_str(m, "GrantId")?.map(str::to_string),
        issuing_account,
        written_at: (sink.source.clone(), v.span),
    };
    if let Err(e) = stock.check_grant(&data) {
        let span = field(m, "GranteePrincipal").map_or(v.span, |g| g.span);
        return Err(sink.push(e.to_diagnostic(span)));
    }
    Ok(data)
}

fn constraints(sink: &mut Sink<'_>, v: &JsonValue) -> Result<Option<GrantConstraints>, Place> {
    let m = sink.object(v, "`Constraints`")?;
    let mut out = None;
    for member in m {
        let make = match &*member.key {
            "EncryptionContextEquals" => GrantConstraints::EncryptionContextEquals,
            "EncryptionContextSubset" => GrantConstraints::EncryptionContextSubset,
            _ => continue,
        };
        if matches!(member.value.kind, JsonKind::Null) {
            continue;
        }
        let pairs = sink.object(&member.value, format_args!("`{}`", member.key))?;
        let mut list = Vec::with_capacity(pairs.len());
        for p in pairs {
            list.push((
                p.key.to_string(),
                sink.string(&p.value, "an encryption context value")?
                    .to_string(),
            ));
        }
        if out.is_some() {
            return Err(sink.error(
                "snapshot::constraints",
                "a grant has both kinds of constraint".into(),
                member.key_span,
                "KMS grants carry `EncryptionContextEquals` or `EncryptionContextSubset`, not both",
            ));
        }
        out = Some(make(list));
    }
    Ok(out)
}

/// An alias from `list-aliases`.
#[derive(Clone, Debug)]
pub(crate) struct AliasEntry {
    pub(crate) name: String,
    /// The key id it names; `None` for an alias AWS reserves but has not
    /// yet pointed at a key (`alias/aws/…` before first use).
    pub(crate) target: Option<String>,
    pub(crate) loc: Loc,
}

/// `list-aliases --region R`: the aliases of one account and Region.
pub(crate) fn aliases(
    cx: &mut Cx<'_>,
    path: &str,
    owner: &Owner,
    account: &str,
    region: &str,
) -> (Vec<AliasEntry>, Option<Gap>) {
    let mut names = std::collections::HashSet::new();
    list_output(
        cx,
        path,
        owner,
        GapKind::Aliases,
        &format!("the aliases of account {account} in {region}"),
        ListShape {
            command: "list-aliases",
            member: "Aliases",
            noun: "alias",
            an_item: "an alias",
        },
        |sink, item| {
            let m = sink.object(item, "an alias")?;
            let name_v = sink.required(m, "AliasName", item.span, "an alias")?;
            let name = sink.string(name_v, "`AliasName`")?;
            if !name.starts_with("alias/") || name.len() == "alias/".len() {
                return Err(sink.error(
                    "snapshot::alias",
                    format!("`{name}` is not an alias name"),
                    name_v.span,
                    "alias names start with `alias/`",
                ));
            }
            if let Some(a) = sink.optional_str(m, "AliasArn")? {
                let expected = format!(":kms:{region}:{account}:{name}");
                if !a.ends_with(&expected) {
                    let span = field(m, "AliasArn").map_or(item.span, |x| x.span);
                    return Err(sink.error("snapshot::alias", format!("`{a}` is not an alias of account {account} in {region}"), span, "keep each Region's list-aliases output in accounts/<account>/kms/<region>/aliases.json"));
                }
            }
            if !names.insert(name.to_string()) {
                return Err(sink.error(
                    "snapshot::duplicate",
                    format!("`{name}` is listed twice"),
                    name_v.span,
                    "an alias name is unique in its account and Region",
                ));
            }
            Ok(AliasEntry {
                name: name.to_string(),
                target: sink.optional_str(m, "TargetKeyId")?.map(str::to_string),
                loc: Loc {
                    source: sink.source.clone(),
                    span: item.span,
                },
            })
        },
    )
}

/// `list-resource-tags`: `{"Tags": [{"TagKey": …, "TagValue": …}]}`. A
/// missing file (older snapshots, iam-collect without tags) is a gap, but
/// not a problem.
pub(crate) fn tags(
    cx: &mut Cx<'_>,
    path: &str,
    owner: &Owner,
) -> Result<Vec<(String, String)>, Gap> {
    let what = "the key's tags";
    let doc = read(cx, path, owner, GapKind::KeyTags, what, false)?;
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner: owner.clone(),
    };
    let gap = |place: Place| Gap {
        kind: GapKind::KeyTags,
        what: format!("{what}: `{path}` cannot be read"),
        place: Some(place),
    };
    let top = sink
        .object(&doc.root, "list-resource-tags output")
        .map_err(gap)?;
    let mut truncated = None;
    truncation(&mut sink, top, "list-resource-tags", &mut |place, _| {
        truncated = Some(place)
    });
    if let Some(place) = truncated {
        return Err(gap(place));
    }
    let items_v = sink
        .required(top, "Tags", doc.root.span, "list-resource-tags output")
        .map_err(gap)?;
    let items = sink.array(items_v, "`Tags`").map_err(gap)?;
    let mut out = Vec::with_capacity(items.len());
    for t in items {
        let m = sink.object(t, "a tag").map_err(gap)?;
        let k = sink
            .required_str(m, "TagKey", t.span, "a tag")
            .map_err(gap)?;
        let v = sink
            .required_str(m, "TagValue", t.span, "a tag")
            .map_err(gap)?;
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

/// What a `list-…` output is: its command, the member holding the list,
/// and what an item is called.
struct ListShape<'a> {
    command: &'a str,
    member: &'a str,
    noun: &'a str,
    an_item: &'a str,
}

/// Read the `list-…` output at `path`, each item through `read_item`. What
/// cannot be read (the file, its shape, a truncated listing, an item) is a
/// gap of `kind` about `what`; the other items are still read.
fn list_output<T>(
    cx: &mut Cx<'_>,
    path: &str,
    owner: &Owner,
    kind: GapKind,
    what: &str,
    shape: ListShape<'_>,
    mut read_item: impl FnMut(&mut Sink<'_>, &JsonValue) -> Result<T, Place>,
) -> (Vec<T>, Option<Gap>) {
    let doc = match read(cx, path, owner, kind, what, true) {
        Ok(d) => d,
        Err(g) => return (Vec::new(), Some(g)),
    };
    let mut sink = Sink {
        problems: &mut cx.problems,
        source: &doc.source,
        owner: owner.clone(),
    };
    let mut gap = None;
    let mut lose = |place: Place, why: &str| {
        gap.get_or_insert(Gap {
            kind,
            what: format!("{what}: {why}"),
            place: Some(place),
        });
    };
    let output = format!("{} output", shape.command);
    let Ok(top) = sink.object(&doc.root, &output) else {
        lose(
            sink.place(doc.root.span),
            &format!("`{path}` is not {output}"),
        );
        return (Vec::new(), gap);
    };
    truncation(&mut sink, top, shape.command, &mut lose);
    let items = match sink
        .required(top, shape.member, doc.root.span, &output)
        .and_then(|v| sink.array(v, format_args!("`{}`", shape.member)))
    {
        Ok(items) => items,
        Err(place) => {
            lose(place, &format!("`{path}` holds no {} list", shape.noun));
            return (Vec::new(), gap);
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match read_item(&mut sink, item) {
            Ok(x) => out.push(x),
            Err(place) => lose(place, &format!("{} cannot be read", shape.an_item)),
        }
    }
    (out, gap)
}

/// `"Truncated": true` (or a `NextMarker`) means the CLI was told not to
/// page through everything.
fn truncation(
    sink: &mut Sink<'_>,
    top: &[JsonMember],
    command: &str,
    lose: &mut impl FnMut(Place, &str),
) {
    for m in top {
        let more = matches!(
            (&*m.key, &m.value.kind),
            ("Truncated", JsonKind::Bool(true)) | ("NextMarker" | "NextToken", JsonKind::String(_))
        );
        if more {
            let place = sink.error(
                "snapshot::truncated",
                format!("the {command} output is truncated: more results follow"),
                m.key_span,
                "run the command without `--max-items`/`--no-paginate`, so that the AWS CLI pages through every result",
            );
            lose(place, "the output is truncated");
            return;
        }
    }
}
