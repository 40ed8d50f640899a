//! Loading never panics on arbitrary JSON in any slot: a whole file
//! replaced, or one value deep inside it. Every question and the matrix
//! still answer (completely, incompletely, or with an error).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture;
use keyward_eval::KmsAction;
use keyward_snapshot::{load, Ask, LoadOptions, MemoryFiles};
use proptest::prelude::*;
use serde_json::Value;

/// Field names and strings the loader looks for, so that arbitrary values
/// reach deep into its code.
const WORDS: &[&str] = &[
    "Policy",
    "PolicyName",
    "PolicyDocument",
    "Statement",
    "Effect",
    "Allow",
    "Deny",
    "Action",
    "Resource",
    "Principal",
    "KeyMetadata",
    "KeyState",
    "Enabled",
    "Arn",
    "Grants",
    "Operations",
    "Decrypt",
    "GranteePrincipal",
    "Constraints",
    "EncryptionContextSubset",
    "Aliases",
    "AliasName",
    "TargetKeyId",
    "alias/prod-data",
    "Tags",
    "TagKey",
    "TagValue",
    "UserDetailList",
    "RoleDetailList",
    "GroupDetailList",
    "Policies",
    "PolicyVersionList",
    "IsDefaultVersion",
    "Document",
    "AttachedManagedPolicies",
    "PolicyArn",
    "GroupList",
    "PermissionsBoundary",
    "PermissionsBoundaryArn",
    "Organization",
    "MasterAccountId",
    "PolicySummary",
    "Id",
    "Type",
    "SERVICE_CONTROL_POLICY",
    "Content",
    "root",
    "children",
    "ou",
    "account",
    "policies",
    "id",
    "111122223333",
    "arn:aws:iam::111122223333:role/x",
    "kms:*",
    "*",
    "%7B%22",
    "{\"Statement\":",
    "Truncated",
    "NextToken",
    "",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(str::to_string),
        "[ -~]{0,12}",
        "\\PC{0,6}"
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((word(), inner), 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replace the value found by following `path` (indices into the members
/// or elements met on the way) with `new`.
fn replace_deep(v: &mut Value, path: &[usize], new: Value) {
    match (path.split_first(), v) {
        (Some((i, rest)), Value::Object(m)) if !m.is_empty() => {
            let key = m.keys().nth(i % m.len()).cloned().unwrap();
            replace_deep(m.get_mut(&key).unwrap(), rest, new);
        }
        (Some((i, rest)), Value::Array(a)) if !a.is_empty() => {
            let n = a.len();
            replace_deep(&mut a[i % n], rest, new);
        }
        (_, slot) => *slot = new,
    }
}

fn exercise(files: &MemoryFiles) {
    let s = load(files, &LoadOptions::default());
    for (p, a, k) in [
        ("ci-deployer", KmsAction::Encrypt, "alias/prod-data"),
        (
            "alice",
            KmsAction::Decrypt,
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        ("dev-ci", KmsAction::Decrypt, "alias/scratch"),
        (
            "arn:aws:iam::777766665555:role/x",
            KmsAction::Decrypt,
            "arn:aws:kms:eu-west-1:111122223333:alias/logs",
        ),
    ] {
        if let Ok(q) = s.ask(&Ask::new(p, a, k)) {
            let _ = q.answer();
        }
    }
    let _ = s.matrix(&[KmsAction::Decrypt]);
    let _ = s.summary().to_string();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_json_as_a_whole_file(slot in any::<prop::sample::Index>(), value in json()) {
        let mut files = fixture("example-org");
        let paths: Vec<String> = files.paths().map(str::to_string).collect();
        let path = slot.get(&paths).clone();
        files.insert(&path, serde_json::to_string(&value).unwrap());
        exercise(&files);
    }

    #[test]
    fn any_json_deep_in_a_file(slot in any::<prop::sample::Index>(), path in prop::collection::vec(any::<usize>(), 0..8), value in json()) {
        let mut files = fixture("example-org");
        let paths: Vec<String> = files.paths().map(str::to_string).collect();
        let file = slot.get(&paths).clone();
        let mut v: Value = serde_json::from_slice(files.get(&file).unwrap()).unwrap();
        replace_deep(&mut v, &path, value);
        files.insert(&file, serde_json::to_string_pretty(&v).unwrap());
        exercise(&files);
    }

    #[test]
    fn any_bytes_as_a_whole_file(slot in any::<prop::sample::Index>(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut files = fixture("partial-export");
        let paths: Vec<String> = files.paths().map(str::to_string).collect();
        let path = slot.get(&paths).clone();
        files.insert(&path, bytes);
        exercise(&files);
    }
}
