//! The incomplete-answer rule against brute force: for each slot of data a
//! snapshot may lack, substitute every policy (or grant list) of a pool,
//! decide through the forward evaluator, and check that what the snapshot
//! answers without the data is sound — a complete answer is the answer
//! whatever the pool holds, and an incomplete one's worst and best cases
//! bound every answer the pool gives.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture;
use keyward_eval::{ContextValue, Decision, KmsAction};
use keyward_snapshot::{load, Ask, LoadOptions, MemoryFiles, Verdict};
use serde_json::{json, Value};

const PROD_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_DIR: &str =
    "accounts/111122223333/kms/us-east-1/keys/1234abcd-12ab-34cd-56ef-1234567890ab";
const PAGE_2: &str = "accounts/111122223333/iam/authorization-details.2.json";

fn rank(d: Decision) -> u8 {
    match d {
        Decision::ExplicitDeny => 0,
        Decision::ImplicitDeny => 1,
        Decision::Allow => 2,
    }
}

fn questions() -> Vec<Ask> {
    let mut out = Vec::new();
    for (p, a) in [
        ("role/ci-deployer", KmsAction::Encrypt),
        ("role/ci-deployer", KmsAction::Decrypt),
        ("role/ci-deployer", KmsAction::ScheduleKeyDeletion),
        ("role/ci-deployer", KmsAction::CreateGrant),
        ("alice", KmsAction::Decrypt),
        ("bob", KmsAction::DescribeKey),
        ("dev-ci", KmsAction::Decrypt),
        ("key-admin", KmsAction::ScheduleKeyDeletion),
        ("app-reader", KmsAction::Decrypt),
    ] {
        out.push(Ask::new(p, a, PROD_KEY));
    }
    let mut via_s3 = Ask::new("app-reader", KmsAction::Decrypt, PROD_KEY);
    via_s3.context.push((
        "kms:ViaService".into(),
        ContextValue::One("s3.us-east-1.amazonaws.com".into()),
    ));
    out.push(via_s3);
    let mut reports = Ask::new("app-reader", KmsAction::Decrypt, PROD_KEY);
    reports
        .encryption_context
        .push(("app".into(), "reports".into()));
    out.push(reports);
    out
}

fn doc(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// Identity policies and SCPs (no `Principal`).
fn identity_pool() -> Vec<Value> {
    vec![
        doc(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}])),
        doc(json!([{"Effect": "Deny", "Action": "*", "Resource": "*"}])),
        doc(json!([{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}])),
        doc(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])),
        doc(
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": {"StringNotEquals": {"kms:EncryptionContext:app": "reports"}}}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/other"}]),
        ),
        doc(json!([{"Effect": "Allow", "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"}])),
    ]
}

/// Key policies and RCPs (with `Principal`).
fn resource_pool() -> Vec<Value> {
    vec![
        doc(json!([{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}])),
        doc(json!([{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}])),
        doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci/ci-deployer"}, "Action": ["kms:Encrypt", "kms:ScheduleKeyDeletion"], "Resource": "*"}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:user/alice"]}, "Action": "kms:*", "Resource": "*"}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
                   {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app-reader"}, "Action": "kms:Decrypt", "Resource": "*"}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/dev-ci"}, "Action": "kms:Decrypt", "Resource": "*"}]),
        ),
        doc(
            json!([{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}]),
        ),
    ]
}

fn grant_pool() -> Vec<Value> {
    let g = |grantee: &str, ops: Value, constraints: Option<Value>| {
        let mut v = json!({"KeyId": PROD_KEY, "GrantId": "g", "Name": "", "GranteePrincipal": grantee,
                           "IssuingAccount": "arn:aws:iam::111122223333:root", "Operations": ops});
        if let Some(c) = constraints {
            v["Constraints"] = c;
        }
        v
    };
    vec![
        json!([]),
        json!([g(
            "arn:aws:iam::111122223333:role/app-reader",
            json!(["Decrypt"]),
            None
        )]),
        json!([g(
            "arn:aws:iam::111122223333:role/ci/ci-deployer",
            json!(["Encrypt", "Decrypt"]),
            Some(json!({"EncryptionContextSubset": {"app": "reports"}}))
        )]),
        json!([g(
            "arn:aws:iam::111122223333:user/alice",
            json!([
                "Decrypt",
                "Encrypt",
                "DescribeKey",
                "CreateGrant",
                "RetireGrant"
            ]),
            None
        )]),
        json!([g("444455556666", json!(["Decrypt"]), None)]),
        json!([
            g(
                "arn:aws:iam::111122223333:role/ci/ci-deployer",
                json!(["CreateGrant", "Decrypt"]),
                None
            ),
            g(
                "arn:aws:iam::111122223333:user/bob",
                json!(["DescribeKey"]),
                None
            )
        ]),
    ]
}

fn read(files: &MemoryFiles, path: &str) -> Value {
    serde_json::from_slice(files.get(path).unwrap()).unwrap()
}

fn write(files: &mut MemoryFiles, path: &str, v: &Value) {
    files.insert(path, serde_json::to_string_pretty(v).unwrap());
}

/// A slot: how to put a candidate in, and how to take the data out.
struct Slot {
    name: &'static str,
    pool: Vec<Value>,
    put: fn(&mut MemoryFiles, &Value),
    remove: fn(&mut MemoryFiles),
}

fn managed_policy(files: &mut MemoryFiles, name: &str, candidate: Option<&Value>) {
    let mut page = read(files, PAGE_2);
    let policies = page["Policies"].as_array_mut().unwrap();
    let i = policies
        .iter()
        .position(|p| p["PolicyName"] == name)
        .unwrap();
    match candidate {
        Some(c) => {
            for v in policies[i]["PolicyVersionList"].as_array_mut().unwrap() {
                if v["IsDefaultVersion"] == true {
                    v["Document"] = c.clone();
                }
            }
        }
        None => {
            policies.remove(i);
        }
    }
    write(files, PAGE_2, &page);
}

fn org_policy(files: &mut MemoryFiles, id: &str, candidate: Option<&Value>) {
    let path = format!("organization/policies/{id}.json");
    match candidate {
        Some(c) => {
            let mut v = read(files, &path);
            v["Policy"]["Content"] = Value::String(c.to_string());
            write(files, &path, &v);
        }
        None => {
            files.remove(&path);
        }
    }
}

fn slots() -> Vec<Slot> {
    vec![
        Slot {
            name: "ci-deployer's managed policy KmsDeploy",
            pool: identity_pool(),
            put: |f, c| managed_policy(f, "KmsDeploy", Some(c)),
            remove: |f| managed_policy(f, "KmsDeploy", None),
        },
        Slot {
            name: "ci-deployer's boundary CiBoundary",
            pool: identity_pool(),
            put: |f, c| managed_policy(f, "CiBoundary", Some(c)),
            remove: |f| managed_policy(f, "CiBoundary", None),
        },
        Slot {
            name: "the admins' managed policy AdminKms",
            pool: identity_pool(),
            put: |f, c| managed_policy(f, "AdminKms", Some(c)),
            remove: |f| managed_policy(f, "AdminKms", None),
        },
        Slot {
            name: "the key policy",
            pool: resource_pool(),
            put: |f, c| {
                write(
                    f,
                    &format!("{KEY_DIR}/key-policy.json"),
                    &json!({"Policy": c.to_string(), "PolicyName": "default"}),
                )
            },
            remove: |f| {
                f.remove(&format!("{KEY_DIR}/key-policy.json"));
            },
        },
        Slot {
            name: "the key's grants",
            pool: grant_pool(),
            put: |f, c| {
                write(
                    f,
                    &format!("{KEY_DIR}/grants.json"),
                    &json!({"Grants": c, "Truncated": false}),
                )
            },
            remove: |f| {
                f.remove(&format!("{KEY_DIR}/grants.json"));
            },
        },
        Slot {
            name: "the prod OU's SCP",
            pool: identity_pool(),
            put: |f, c| org_policy(f, "p-rg7t2m0q", Some(c)),
            remove: |f| org_policy(f, "p-rg7t2m0q", None),
        },
        Slot {
            name: "the prod account's RCP",
            pool: resource_pool(),
            put: |f, c| org_policy(f, "p-rc5o1r9g", Some(c)),
            remove: |f| org_policy(f, "p-rc5o1r9g", None),
        },
    ]
}

#[test]
fn what_a_snapshot_answers_without_some_data_holds_whatever_that_data_is() {
    let base = fixture("example-org");
    let questions = questions();
    let (mut complete, mut incomplete) = (0, 0);
    for slot in slots() {
        let mut without = base.clone();
        (slot.remove)(&mut without);
        let lacking = load(&without, &LoadOptions::default());
        // Every answer the pool gives, per question.
        let mut answers: Vec<Vec<(Decision, Option<&'static str>)>> =
            vec![Vec::new(); questions.len()];
        for candidate in &slot.pool {
            let mut files = base.clone();
            (slot.put)(&mut files, candidate);
            let s = load(&files, &LoadOptions::default());
            assert!(
                !s.has_errors(),
                "{}: {candidate}: {:?}",
                slot.name,
                s.problems()
            );
            for (i, q) in questions.iter().enumerate() {
                match s.ask(q).unwrap().answer() {
                    Verdict::Complete(r) => {
                        answers[i].push((r.decision(), r.error().map(|e| e.kind().as_str())))
                    }
                    Verdict::Incomplete(x) => panic!(
                        "{}: {candidate}: {q:?} is incomplete with every file present: {x:?}",
                        slot.name
                    ),
                }
            }
        }
        for (i, q) in questions.iter().enumerate() {
            let question = format!(
                "{}: {} {} ({:?} {:?})",
                slot.name, q.principal, q.action, q.context, q.encryption_context
            );
            match lacking.ask(q).unwrap().answer() {
                Verdict::Complete(r) => {
                    complete += 1;
                    let said = (r.decision(), r.error().map(|e| e.kind().as_str()));
                    assert!(
                        answers[i].iter().all(|a| *a == said),
                        "{question}: answered {said:?} without the data, but the pool gives {:?}",
                        answers[i]
                    );
                }
                Verdict::Incomplete(x) => {
                    incomplete += 1;
                    assert!(
                        !x.missing.is_empty(),
                        "{question}: incomplete without saying what is missing"
                    );
                    if let (Some(w), Some(b)) = (x.worst, x.best) {
                        for a in &answers[i] {
                            assert!(
                                rank(w.decision) <= rank(a.0) && rank(a.0) <= rank(b.decision),
                                "{question}: {a:?} is outside [{w:?}, {b:?}]"
                            );
                        }
                    }
                }
            }
        }
    }
    // Neither kind of answer is vacuous.
    assert!(
        complete > 10 && incomplete > 10,
        "complete {complete}, incomplete {incomplete}"
    );
}
