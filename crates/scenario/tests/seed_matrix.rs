//! The seed matrix (spec/seed-matrix.md) through the scenario runner.

use keyward_eval::{Decision, KmsAction};
use keyward_policy::Source;
use keyward_scenario::{load, matrix, run, MemoryLoader};

#[allow(clippy::unwrap_used, reason = "the fixture is part of the repository")]
fn seed() -> keyward_scenario::Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/scenarios/seed-matrix.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    load(
        Source::new("fixtures/scenarios/seed-matrix.json", text),
        &MemoryLoader::new(),
    )
    .unwrap()
}

#[test]
fn every_expectation_of_the_seed_matrix_passes() {
    let s = seed();
    let results = run(&s);
    assert_eq!(results.len(), 25);
    for r in &results {
        assert!(
            r.pass,
            "{} {} {}: {:?}",
            r.check.principal,
            r.check.action,
            r.check.key,
            r.response.explanation().reasons()
        );
    }
}

#[test]
fn the_matrix_is_the_one_of_the_spec() {
    use Decision::{Allow as A, ExplicitDeny as X, ImplicitDeny as I};
    let s = seed();
    let m = matrix(&s, &[KmsAction::Encrypt, KmsAction::Decrypt]);
    assert_eq!(m.principals, ["Alice", "Bob", "Charlie", "David"]);
    assert_eq!(m.keys, ["CMK-A", "CMK-B", "CMK-C"]);
    let want = [
        [[A, A], [I, I], [A, A]],
        [[I, I], [A, A], [X, X]],
        [[A, I], [A, A], [X, X]],
        [[I, I], [I, I], [X, X]],
    ];
    for (p, row) in want.iter().enumerate() {
        for (k, cell) in row.iter().enumerate() {
            let got: Vec<Decision> = m.cells[p][k].iter().map(|c| c.decision).collect();
            assert_eq!(got, cell, "{} × {}", m.principals[p], m.keys[k]);
        }
    }
}

#[test]
fn every_cell_names_what_decided_it() {
    let s = seed();
    let m = matrix(&s, &[KmsAction::Decrypt]);
    let cell = |p: usize, k: usize| &m.cells[p][k][0];
    assert_eq!(
        cell(0, 0).short,
        "key policy EnableIAMPolicies + IAM AllowKmsOnCmkAAndCmkB"
    );
    assert_eq!(
        cell(0, 1).short,
        "the key policy names neither the caller nor its account"
    );
    assert_eq!(cell(0, 2).short, "key policy AllowAlice");
    assert_eq!(cell(1, 2).short, "denied by key policy DenyBobCharlieDavid");
    assert_eq!(
        cell(2, 0).short,
        "the key policy delegates to IAM, but no IAM policy allows"
    );
    let reasons = &cell(3, 1).answer.reasons;
    assert!(
        reasons[0]
            .message
            .contains("no statement of key policy `CMK-B` applies: none delegates `kms:Decrypt` to account 123412341234"),
        "{reasons:?}"
    );
}

#[test]
fn deciding_statements_point_into_the_scenario_text() {
    let s = seed();
    let results = run(&s);
    let alice_c = results
        .iter()
        .find(|r| r.check.principal == "Alice" && r.check.key == "CMK-C")
        .unwrap();
    let st = alice_c.response.explanation().deciding().next().unwrap();
    let src = st.source();
    assert_eq!(src.name(), "fixtures/scenarios/seed-matrix.json");
    assert!(src.slice(st.span()).contains(r#""Sid": "AllowAlice""#));
}
