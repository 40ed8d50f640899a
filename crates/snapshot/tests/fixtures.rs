//! The fixtures' expectations, the matrix and `to-scenario` slices agree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;

use common::{expectations, fixture, key_actions, load_fixture, words};
use keyward_eval::KmsAction;
use keyward_scenario::{load as load_scenario, run, MemoryLoader};
use keyward_snapshot::{
    load, Ask, CellAnswer, Entry, Files, LoadOptions, ReadError, Snapshot, ToScenarioError,
};

fn check_expectations(name: &str) {
    let snapshot = load_fixture(name);
    let mut failures = Vec::new();
    for e in expectations(name) {
        let q = snapshot
            .ask(&e.ask)
            .unwrap_or_else(|err| panic!("{:?}: {err}", e.ask));
        let got = words(&q.answer());
        if got != (e.decision.clone(), e.error.clone()) {
            failures.push(format!(
                "{} {} {}: expected {} {:?}, got {got:?}",
                e.ask.principal, e.ask.action, e.ask.key, e.decision, e.error
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn example_org_expectations_hold() {
    check_expectations("example-org");
}

#[test]
fn partial_export_expectations_hold() {
    check_expectations("partial-export");
}

#[test]
fn example_org_loads_cleanly_and_is_summarized() {
    let s = load_fixture("example-org");
    assert!(s.problems().is_empty(), "{:?}", s.problems());
    let sum = s.summary();
    let prod = &sum.accounts[0];
    assert_eq!(
        (prod.users, prod.roles, prod.groups, prod.managed_policies),
        (2, 3, 2, 7)
    );
    assert_eq!(prod.keys.get("us-east-1"), Some(&4));
    assert_eq!(prod.keys.get("eu-west-1"), Some(&2));
    assert_eq!((prod.aliases, prod.grants), (6, 3));
    assert_eq!((prod.scp_levels, prod.rcp_levels), (Some(3), Some(3)));
    let org = sum.organization.as_ref().unwrap();
    assert_eq!((org.accounts, org.ous, org.scps, org.rcps), (3, 2, 4, 2));
    assert!(
        sum.notes
            .iter()
            .any(|n| n.contains("p-tg0x7k2c (TAG_POLICY)")),
        "{:?}",
        sum.notes
    );
    // Users, roles and each account's root user.
    assert_eq!(s.principal_count(), 2 + 3 + 1 + 1 + 2 + 1);
    assert_eq!(s.key_count(), 7);
}

/// Counts reads, and lists through.
struct Counting<'a> {
    inner: &'a dyn Files,
    reads: RefCell<BTreeMap<String, usize>>,
}

impl Files for Counting<'_> {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, ReadError> {
        self.inner.list(dir)
    }
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        *self.reads.borrow_mut().entry(path.to_string()).or_default() += 1;
        self.inner.read(path)
    }
}

#[test]
fn every_file_is_read_exactly_once() {
    for name in ["example-org", "partial-export"] {
        let files = fixture(name);
        let counting = Counting {
            inner: &files,
            reads: RefCell::new(BTreeMap::new()),
        };
        let s = load(&counting, &LoadOptions::default());
        let reads = counting.reads.borrow();
        for path in files.paths() {
            assert_eq!(
                reads.get(path),
                Some(&1),
                "{name}: {path} read {:?} times",
                reads.get(path)
            );
        }
        assert_eq!(s.summary().files, files.paths().count());
    }
}

/// The snapshot's answer to `principal` × `action` × `key` by ARN, as a
/// matrix cell would ask it.
fn ask_by_arn(
    s: &Snapshot,
    principal: &str,
    action: KmsAction,
    key: &str,
) -> (String, Option<String>) {
    let q = s.ask(&Ask::new(principal, action, key)).unwrap();
    words(&q.answer())
}

fn cell_words(a: &CellAnswer) -> (String, Option<String>) {
    match a {
        CellAnswer::Complete {
            decision, error, ..
        } => (
            decision.as_str().to_string(),
            error.as_ref().map(|e| e.kind().as_str().to_string()),
        ),
        CellAnswer::Incomplete(_) => ("incomplete".to_string(), None),
    }
}

#[test]
fn the_matrix_answers_as_questions_do() {
    let actions = key_actions();
    for name in ["example-org", "partial-export"] {
        let s = load_fixture(name);
        let m = s.matrix(&actions);
        let mut checked = 0;
        for (p, principal) in m.principals.iter().enumerate() {
            for (k, key) in m.keys.iter().enumerate() {
                for cell in &m.cells[p][k] {
                    assert_eq!(
                        cell_words(&cell.answer),
                        ask_by_arn(&s, principal, cell.action, key),
                        "{name}: {principal} {} {key}",
                        cell.action
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, m.principals.len() * m.keys.len() * actions.len());
    }
}

/// Load a slice and check its expectations hold there; each must be the
/// snapshot's own answer, and every complete answer must be there.
fn check_slice(
    s: &Snapshot,
    keys: &[String],
    principals: &[String],
    actions: &[KmsAction],
    allow_incomplete: bool,
    cross_check: bool,
) -> usize {
    let slice = s
        .to_scenario(keys, principals, actions, allow_incomplete)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let scenario = load_scenario(
        keyward_policy::Source::new("slice.json", slice.text.clone()),
        &MemoryLoader::new(),
    )
    .unwrap_or_else(|problems| panic!("{}\n{problems:?}", slice.text));
    let results = run(&scenario);
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.pass)
        .map(|r| format!("{} {} {}", r.check.principal, r.check.action, r.check.key))
        .collect();
    assert!(
        failed.is_empty(),
        "the slice disagrees with the snapshot: {failed:?}"
    );
    // Each expectation is the snapshot's answer, asked as a question.
    let auth = &scenario.authorizer;
    for r in results.iter().filter(|_| cross_check) {
        let principal = auth
            .caller(auth.principal(&r.check.principal).unwrap())
            .unwrap()
            .arn()
            .to_string();
        let (decision, error) = ask_by_arn(s, &principal, r.check.action, &r.check.key);
        assert_eq!(
            (decision.as_str(), error),
            (
                r.check.expected.decision.as_str(),
                r.check.expected.error.map(|e| e.as_str().to_string())
            )
        );
    }
    assert_eq!(
        results.len() + slice.incomplete,
        slice_size(s, keys, principals) * actions.len()
    );
    results.len()
}

fn slice_size(s: &Snapshot, keys: &[String], principals: &[String]) -> usize {
    let p = if principals.is_empty() {
        s.principal_count()
    } else {
        principals.len()
    };
    p * keys.len()
}

#[test]
fn to_scenario_slices_give_the_snapshots_answers_for_every_principal_key_and_action() {
    let s = load_fixture("example-org");
    let actions = key_actions();
    let keys: Vec<String> = s.key_arns().map(str::to_string).collect();
    let principals: Vec<String> = s.principal_arns().map(str::to_string).collect();
    // The whole account at once…
    let n = check_slice(&s, &keys, &[], &actions, false, true);
    assert_eq!(n, keys.len() * principals.len() * actions.len());
    // …and each principal × key alone: the slice holds all that decides it.
    for p in &principals {
        for k in &keys {
            check_slice(
                &s,
                std::slice::from_ref(k),
                std::slice::from_ref(p),
                &actions,
                false,
                false,
            );
        }
    }
}

#[test]
fn a_slice_that_depends_on_missing_data_is_refused_unless_allowed() {
    let s = load_fixture("partial-export");
    let key = "alias/prod-data".to_string();
    let err = s
        .to_scenario(
            std::slice::from_ref(&key),
            &["ci-deployer".into()],
            &[KmsAction::Encrypt],
            false,
        )
        .unwrap_err();
    let ToScenarioError::Incomplete(gaps) = err else {
        panic!("{err:?}")
    };
    assert!(
        gaps.iter().any(|g| g.what.contains("KmsDeploy")),
        "{gaps:?}"
    );
    assert!(gaps.iter().any(|g| g.what.contains("grants")), "{gaps:?}");
    // Allowed: what is present is written, and only complete answers are expected.
    let actions = key_actions();
    let written = check_slice(&s, std::slice::from_ref(&key), &[], &actions, true, true);
    assert!(written > 0);
    let slice = s
        .to_scenario(std::slice::from_ref(&key), &[], &actions, true)
        .unwrap();
    assert!(slice.incomplete > 0 && !slice.missing.is_empty());
    assert!(slice.text.contains("left out here"));
}

#[test]
fn slices_name_keys_and_principals_as_questions_do() {
    let s = load_fixture("example-org");
    for key in [
        "alias/prod-data",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:eu-west-1:111122223333:alias/shared-mrk",
    ] {
        let t = s
            .to_scenario(
                &[key.to_string()],
                &["ci-deployer".into(), "user/bob".into()],
                &[KmsAction::Decrypt],
                false,
            )
            .unwrap();
        assert_eq!(t.expectations, 2, "{key}");
    }
    // `alias/shared-mrk` is in two Regions: it must be named by ARN.
    let err = s
        .to_scenario(
            &["alias/shared-mrk".into()],
            &[],
            &[KmsAction::Decrypt],
            false,
        )
        .unwrap_err();
    assert!(matches!(err, ToScenarioError::Ask(e) if e.message.contains("several keys")));
}
