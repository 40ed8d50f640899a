//! The cookbook: the twelve access stories of `docs/cookbook.md`, one
//! scenario each under `fixtures/scenarios/stories/`, run through the
//! scenario runner. Every expectation must pass, every story must show its
//! success path and at least one deny, and every answer must say what decided
//! it: the statement (with its place in the file) or the grant, or for an
//! implicit deny the policy, delegation or grant that fell short.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::PathBuf;

use keyward_eval::{AllowPath, Decision, Gap, SourceKind};
use keyward_policy::Source;
use keyward_scenario::{load, run, CheckResult, MemoryLoader, RunJson, Scenario};
use keyward_tests::repo_root;

/// The stories of `spec/seed-stories.md`, in order.
const STORIES: [&str; 12] = [
    "01-cross-region-snapshot-copy",
    "02-multi-region-keys",
    "03-cross-account-snapshot-sharing",
    "04-encrypted-ami-sharing",
    "05-s3-sse-kms",
    "06-s3-replication",
    "07-envelope-encryption",
    "08-secrets-manager",
    "09-alias-manual-rotation",
    "10-disable-and-schedule-deletion",
    "11-grants-for-aws-services",
    "12-admins-versus-users",
];

fn stories_dir() -> PathBuf {
    repo_root().join("fixtures/scenarios/stories")
}

/// Load a story by its file stem, as the CLI names it (path relative to the repo).
fn story(stem: &str) -> Scenario {
    let name = format!("fixtures/scenarios/stories/{stem}.json");
    let text =
        std::fs::read_to_string(repo_root().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    match load(Source::new(name.as_str(), text), &MemoryLoader::new()) {
        Ok(s) => s,
        Err(problems) => panic!(
            "{name} does not load: {:?}",
            problems
                .iter()
                .map(|p| p.diagnostic.to_string())
                .collect::<Vec<_>>()
        ),
    }
}

fn describe(r: &CheckResult<'_>) -> String {
    format!(
        "{} {} {} → {} {:?}",
        r.check.principal,
        r.check.action.qualified_name(),
        r.check.key,
        r.response.decision().as_str(),
        r.response.explanation().reasons()
    )
}

#[test]
fn the_stories_folder_holds_exactly_the_twelve_stories() {
    let mut found: Vec<String> = std::fs::read_dir(stories_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, STORIES);
}

#[test]
fn every_story_passes_with_four_expectations_and_a_deny() {
    for stem in STORIES {
        let scenario = story(stem);
        assert!(
            scenario
                .description
                .as_deref()
                .is_some_and(|d| d.starts_with("Story ")),
            "{stem}: the description tells the story"
        );
        let results = run(&scenario);
        assert!(results.len() >= 4, "{stem}: {} expectations", results.len());
        for r in &results {
            assert!(r.pass, "{stem}: {}", describe(r));
        }
        assert!(
            results
                .iter()
                .any(|r| r.response.decision() == Decision::Allow && r.response.error().is_none()),
            "{stem}: no success path"
        );
        assert!(
            results.iter().any(|r| r.response.decision().is_deny()),
            "{stem}: no deny"
        );
    }
}

#[test]
fn every_answer_names_the_statement_or_grant_that_decided_it() {
    for stem in STORIES {
        let scenario = story(stem);
        let auth = &scenario.authorizer;
        for r in run(&scenario) {
            let what = format!("{stem}: {}", describe(&r));
            let e = r.response.explanation();
            let deciding: Vec<_> = e.deciding().collect();
            match r.response.decision() {
                Decision::Allow => match e.path() {
                    Some(AllowPath::Grant) => {
                        assert!(e.grant().is_some(), "{what}: which grant?");
                    }
                    Some(AllowPath::KeyPolicyAndIam) => {
                        assert!(
                            deciding.iter().any(|s| s.kind() == SourceKind::KeyPolicy)
                                && deciding.iter().any(|s| s.kind() == SourceKind::Identity),
                            "{what}: both the key policy and the IAM statement"
                        );
                        assert!(e.delegation().is_some(), "{what}: which delegation?");
                    }
                    Some(_) => {
                        assert!(
                            deciding.iter().any(|s| s.kind() == SourceKind::KeyPolicy),
                            "{what}: which key-policy statement?"
                        );
                    }
                    None => panic!("{what}: allowed without a path"),
                },
                Decision::ExplicitDeny => {
                    assert!(!deciding.is_empty(), "{what}: which Deny?");
                    assert!(
                        deciding.iter().all(|s| s.effect().as_str() == "Deny"),
                        "{what}"
                    );
                }
                Decision::ImplicitDeny => {
                    let missing = e.missing();
                    assert!(!missing.is_empty(), "{what}: nothing said what was missing");
                    let key_name = r.check.request.key().map(|k| auth.key_name(k));
                    let caller = auth.caller(r.check.request.principal()).unwrap();
                    for gap in &missing {
                        match gap {
                            Gap::KeyPolicy { policy, .. } => {
                                assert_eq!(Some(policy.name()), key_name, "{what}");
                            }
                            Gap::Identity { delegation, .. } => {
                                assert_eq!(
                                    Some(*delegation),
                                    e.delegation(),
                                    "{what}: which statement delegates to IAM?"
                                );
                            }
                            Gap::NamedButUnmet { near_miss } => {
                                assert_eq!(
                                    near_miss.statement.kind(),
                                    SourceKind::KeyPolicy,
                                    "{what}"
                                );
                            }
                            Gap::CrossAccountIdentity {
                                account, statement, ..
                            } => {
                                assert_eq!(*account, caller.account(), "{what}");
                                assert_eq!(statement.kind(), SourceKind::KeyPolicy, "{what}");
                            }
                            Gap::KeyNotFound { not_found } => {
                                assert_eq!(not_found.reference(), r.check.key, "{what}");
                                assert_eq!(
                                    r.response.error().map(|e| e.kind().as_str()),
                                    Some("NotFoundException"),
                                    "{what}"
                                );
                            }
                            Gap::GrantConstraints { grant } | Gap::ChildGrant { grant } => {
                                assert!(!grant.label().is_empty(), "{what}");
                            }
                            other => panic!("{what}: unexpected gap {other}"),
                        }
                    }
                }
            }
            // Every deciding statement points at its text in the story file.
            for s in &deciding {
                let source = s.source();
                assert!(
                    source.name().ends_with(&format!("{stem}.json")),
                    "{what}: {}",
                    source.name()
                );
                assert!(
                    source.slice(s.span()).contains("\"Effect\""),
                    "{what}: the span of {s} is not a statement"
                );
            }
        }
    }
}

#[test]
fn the_json_results_carry_reasons_and_statement_places() {
    for stem in STORIES {
        let scenario = story(stem);
        let results = run(&scenario);
        let mut json = RunJson::default();
        json.add(stem, &results);
        let json = serde_json::to_value(&json).unwrap();
        assert_eq!(json["failed"], 0, "{stem}");
        let Some(items) = json["results"].as_array() else {
            panic!("{stem}: no results array");
        };
        assert_eq!(items.len(), results.len());
        for item in items {
            let actual = &item["actual"];
            let reasons: Vec<&str> = actual["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|r| r["message"].as_str())
                .collect();
            assert!(!reasons.is_empty(), "{stem}: {item}");
            assert!(
                !reasons.contains(&"nothing allows the request"),
                "{stem}: {item}"
            );
            if actual["decision"] != "implicit-deny" {
                let statements = actual["statements"].as_array().unwrap();
                assert!(
                    !statements.is_empty() || !actual["grant"].is_null(),
                    "{stem}: {item}"
                );
                for s in statements {
                    let at = &s["location"];
                    assert!(
                        at["start"]["line"].as_u64().is_some_and(|l| l > 0),
                        "{stem}: {s}"
                    );
                    assert!(
                        at["file"].as_str().is_some_and(|f| f.ends_with(".json")),
                        "{stem}: {s}"
                    );
                }
            }
        }
    }
}

/// The deny (or surprise) a story is about, and the words that explain it.
struct Trap {
    story: &'static str,
    /// The expectation's position in the story's `expect` list.
    index: usize,
    principal: &'static str,
    action: &'static str,
    decision: &'static str,
    error: Option<&'static str>,
    words: &'static str,
}

const TRAPS: &[Trap] = &[
    Trap {
        story: "01-cross-region-snapshot-copy",
        index: 5,
        principal: "copier",
        action: "kms:Decrypt",
        decision: "allow",
        error: Some("NotFoundException"),
        words: "but the call fails: NotFoundException",
    },
    Trap {
        story: "01-cross-region-snapshot-copy",
        index: 6,
        principal: "copier",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "statement `CopyFromSourceKeyThroughEC2` of IAM policy `copier` covers it, but its condition `kms:ViaService` does not hold",
    },
    Trap {
        story: "01-cross-region-snapshot-copy",
        index: 9,
        principal: "copier",
        action: "kms:ReEncryptTo",
        decision: "allow",
        error: None,
        words: "allowed by key policy `snapshots-eu-west-1` statement `Allow the snapshot copier to write copies through EC2`",
    },
    Trap {
        story: "02-multi-region-keys",
        index: 2,
        principal: "us-orders",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "no statement of key policy `orders-replica` applies: none delegates `kms:Decrypt`",
    },
    Trap {
        story: "02-multi-region-keys",
        index: 7,
        principal: "key-admin",
        action: "kms:ScheduleKeyDeletion",
        decision: "explicit-deny",
        error: None,
        words: "statement `NeverDeleteAPrimaryWithReplicas`",
    },
    Trap {
        story: "03-cross-account-snapshot-sharing",
        index: 5,
        principal: "backup-auditor",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "no IAM policy of the caller allows it",
    },
    Trap {
        story: "03-cross-account-snapshot-sharing",
        index: 6,
        principal: "backup-copier",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "statement `Allow access through EBS for all principals in the account that are authorized to use EBS` names the caller, but its condition `kms:CallerAccount` does not hold",
    },
    Trap {
        story: "03-cross-account-snapshot-sharing",
        index: 8,
        principal: "backup-copier",
        action: "kms:DescribeKey",
        decision: "implicit-deny",
        error: Some("NotFoundException"),
        words: "no key of account 444455556666 in us-east-1 has the alias `alias/prod-ebs`; a key of another account has it, and a caller from another account must name the key by its key ARN (rule 8)",
    },
    Trap {
        story: "04-encrypted-ami-sharing",
        index: 5,
        principal: "launcher",
        action: "kms:CreateGrant",
        decision: "implicit-deny",
        error: None,
        words: "delegates `kms:CreateGrant` to account 555566667777, but its condition `kms:GrantIsForAWSResource` does not hold",
    },
    Trap {
        story: "05-s3-sse-kms",
        index: 2,
        principal: "maria",
        action: "kms:GenerateDataKey",
        decision: "implicit-deny",
        error: None,
        words: "names the caller, but its condition `kms:ViaService` does not hold",
    },
    Trap {
        story: "06-s3-replication",
        index: 2,
        principal: "replication",
        action: "kms:Encrypt",
        decision: "implicit-deny",
        error: None,
        words: "through statement `Allow the source account's replication role to encrypt replicas`; an IAM policy in account 111122223333 must also allow `kms:Encrypt`",
    },
    Trap {
        story: "06-s3-replication",
        index: 4,
        principal: "replication",
        action: "kms:Encrypt",
        decision: "implicit-deny",
        error: None,
        words:
            "no statement of key policy `dr-key-unshared` applies: none delegates `kms:Encrypt` to account 111122223333",
    },
    Trap {
        story: "07-envelope-encryption",
        index: 2,
        principal: "billing",
        action: "kms:Decrypt",
        decision: "explicit-deny",
        error: None,
        words: "denied by key policy `billing-key` statement `Require an encryption context`",
    },
    Trap {
        story: "08-secrets-manager",
        index: 5,
        principal: "payments-reader",
        action: "kms:Decrypt",
        decision: "explicit-deny",
        error: None,
        words: "denied by IAM policy `payments-reader` statement `NeverCallKmsDirectly`",
    },
    Trap {
        story: "09-alias-manual-rotation",
        index: 2,
        principal: "app",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "its condition `kms:ResourceAliases` does not hold",
    },
    Trap {
        story: "10-disable-and-schedule-deletion",
        index: 0,
        principal: "orders-app",
        action: "kms:Decrypt",
        decision: "allow",
        error: Some("DisabledException"),
        words: "is disabled",
    },
    Trap {
        story: "10-disable-and-schedule-deletion",
        index: 4,
        principal: "contractor",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "no IAM policy of the caller allows it",
    },
    Trap {
        story: "11-grants-for-aws-services",
        index: 3,
        principal: "ec2-infra",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "grant `ebs-vol-0b2d4f6a8c1e35790`",
    },
    Trap {
        story: "12-admins-versus-users",
        index: 2,
        principal: "key-admin",
        action: "kms:Decrypt",
        decision: "implicit-deny",
        error: None,
        words: "no IAM policy of the caller allows it",
    },
    Trap {
        story: "12-admins-versus-users",
        index: 9,
        principal: "developer",
        action: "kms:Decrypt",
        decision: "allow",
        error: None,
        words: "the key policy delegates to IAM through statement `Enable IAM User Permissions`",
    },
];

#[test]
fn the_newcomer_traps_are_explained() {
    for t in TRAPS {
        let scenario = story(t.story);
        let results = run(&scenario);
        let r = &results[t.index];
        let what = format!("{} #{}: {}", t.story, t.index, describe(r));
        assert_eq!(r.check.principal, t.principal, "{what}");
        assert_eq!(r.check.action.qualified_name(), t.action, "{what}");
        assert_eq!(r.response.decision().as_str(), t.decision, "{what}");
        assert_eq!(
            r.response.error().map(|e| e.kind().as_str()),
            t.error,
            "{what}"
        );
        assert!(
            r.response
                .explanation()
                .reasons()
                .iter()
                .any(|line| line.to_string().contains(t.words)),
            "{what}: no reason says {:?}",
            t.words
        );
    }
}
