//! iam-collect's store is read for what it holds; what it lacks (grants,
//! key state, aliases) makes the answers that depend on it incomplete.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{load_fixture, words};
use keyward_eval::KmsAction;
use keyward_snapshot::{Ask, Layout, Verdict};

const PROD_KEY: &str =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[test]
fn the_store_is_detected_and_summarized_with_what_it_lacks() {
    let s = load_fixture("iam-collect");
    assert!(s.problems().is_empty(), "{:#?}", s.problems());
    let sum = s.summary();
    assert_eq!(sum.layout, Layout::IamCollect);
    let a = &sum.accounts[0];
    assert_eq!(
        (a.users, a.roles, a.groups, a.managed_policies),
        (2, 3, 2, 7)
    );
    assert_eq!(a.keys.values().sum::<usize>(), 6);
    assert_eq!((a.aliases, a.grants), (0, 0));
    assert_eq!((a.scp_levels, a.rcp_levels), (Some(3), Some(3)));
    assert!(
        sum.notes
            .iter()
            .any(|n| n.contains("no KMS grants, no key state")),
        "{:?}",
        sum.notes
    );
    assert!(
        sum.notes.iter().any(|n| n.contains("not used: s3")),
        "{:?}",
        sum.notes
    );
}

#[test]
fn answers_match_the_cli_export_where_the_store_holds_what_decides_them() {
    let collected = load_fixture("iam-collect");
    let exported = load_fixture("example-org");
    // Denies from the policies present stand whatever grants or key state exist.
    for (principal, action) in [
        ("ci-deployer", KmsAction::ScheduleKeyDeletion),
        ("ci-deployer", KmsAction::CreateGrant),
        ("bob", KmsAction::Decrypt),
    ] {
        let ask = Ask::new(principal, action, PROD_KEY);
        let a = words(&collected.ask(&ask).unwrap().answer());
        let b = words(&exported.ask(&ask).unwrap().answer());
        assert_eq!(a, b, "{principal} {action}");
    }
}

#[test]
fn allows_depend_on_the_key_state_it_lacks_and_aliases_on_the_aliases() {
    let s = load_fixture("iam-collect");
    let q = s
        .ask(&Ask::new("ci-deployer", KmsAction::Encrypt, PROD_KEY))
        .unwrap();
    let Verdict::Incomplete(i) = q.answer() else {
        panic!("complete")
    };
    assert!(i.why.contains("key's state"), "{}", i.why);
    assert!(
        i.missing
            .iter()
            .any(|g| g.what.contains("iam-collect holds none")),
        "{:?}",
        i.missing
    );
    let q = s
        .ask(&Ask::new(
            "ci-deployer",
            KmsAction::Encrypt,
            "alias/prod-data",
        ))
        .unwrap();
    let Verdict::Incomplete(i) = q.answer() else {
        panic!("complete")
    };
    assert!(
        i.missing[0].what.contains("iam-collect holds no aliases"),
        "{:?}",
        i.missing
    );
    // A grant might allow what the policies do not.
    let q = s.ask(&Ask::new("analyst", KmsAction::Decrypt, PROD_KEY));
    assert!(
        q.is_err(),
        "analyst is in the dev account, which the store does not hold"
    );
    let q = s
        .ask(&Ask::new("app-reader", KmsAction::Decrypt, PROD_KEY))
        .unwrap();
    assert_eq!(words(&q.answer()).0, "incomplete");
}
