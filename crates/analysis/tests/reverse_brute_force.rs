//! Who-can and what-can against brute force through the forward evaluator,
//! on the scenario fixtures and on generated worlds:
//!
//! - every principal of the world × every KMS action on a key × every
//!   class of the request space the analysis splits for that principal and
//!   key (from *all* their statements and grants, not only the ones the
//!   analysis finds relevant) is decided by the world's authorizer;
//! - the (principal, action, key) triples with some allowed class are
//!   exactly the entries of who-can (per key) and of what-can (per
//!   principal), both ways;
//! - an entry is unconditional exactly when every class is allowed, and
//!   names a KMS error exactly when every allowed class ends in one —
//!   counting the classes sent to the key's own Region, or, when none of
//!   those is allowed, every class;
//! - every entry's witness is allowed (checked while explaining it), and an
//!   unconditional entry's witness carries no optional context.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]
mod gen;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use gen::{identity_statement, statement, Rng};
use keyward_analysis::actions::key_actions;
use keyward_analysis::dims::{request_dims_with_grants, Dim, Facet};
use keyward_analysis::reverse::known::build_request;
use keyward_analysis::reverse::names::{ACCOUNT, EXACT, ROLE};
use keyward_analysis::reverse::{self, EntryKind, Inventory, InventoryOptions};
use keyward_analysis::stmts::Stmt;
use keyward_eval::{Decision, GrantConstraints, KmsAction, KmsErrorKind, NewGrant};
use keyward_policy::Source;
use keyward_scenario::{load, MemoryLoader, Scenario};
use serde_json::{json, Value};

/// What brute force found for one principal, action and key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    total: usize,
    home: usize,
    ok: usize,
    failed: usize,
    /// Allowed but failing, sent to the key's own Region.
    failed_home: usize,
}

type Triple = (usize, KmsAction, usize);

/// Every combination of one choice per dimension.
fn combos(dims: &[Dim]) -> Vec<Vec<&Facet>> {
    let mut out: Vec<Vec<&Facet>> = vec![Vec::new()];
    for d in dims {
        let mut next = Vec::with_capacity(out.len() * d.choices.len());
        for base in &out {
            for c in &d.choices {
                let mut v = base.clone();
                v.push(&c.facet);
                next.push(v);
            }
        }
        out = next;
    }
    out
}

/// The most classes brute force decides for one pair.
const PAIR_BUDGET: usize = 5_000;

/// Brute force over one world. Returns the tallies and how many pairs were
/// too large (or undecidable) to enumerate.
fn brute_force(inv: &Inventory<'_>) -> (BTreeMap<Triple, Tally>, usize) {
    let mut out = BTreeMap::new();
    let mut skipped = 0;
    for (p, principal) in inv.principals.iter().enumerate() {
        let Ok(own) = &principal.stmts else {
            continue;
        };
        let caller = &principal.rep.caller;
        for (k, key) in inv.keys.iter().enumerate() {
            let Ok(key_stmts) = &key.stmts else { continue };
            let mut stmts: Vec<&Stmt<'_>> = own.iter().map(|s| &s.stmt).collect();
            stmts.extend(key_stmts.iter().map(|s| &s.stmt));
            if !caller.is_service() {
                if let Some(Ok(chain)) = inv.scps.get(caller.account()).map(|c| c.stmts.as_ref()) {
                    stmts.extend(chain.iter().map(|s| &s.stmt));
                }
            }
            if let Some(Ok(chain)) = inv.rcps.get(&key.account).map(|c| c.stmts.as_ref()) {
                stmts.extend(chain.iter().map(|s| &s.stmt));
            }
            let constraints: Vec<&GrantConstraints> = key
                .grants
                .iter()
                .filter_map(|&g| inv.grants[g].config.constraints.as_ref())
                .collect();
            let split = keyward_analysis::links::resolved(&stmts, &principal.rep);
            let Ok(dims) = request_dims_with_grants(&stmts, &key.region, &split, &constraints)
            else {
                eprintln!("{}: dims unknown", caller.arn());
                skipped += 1;
                continue;
            };
            let size: usize = dims.iter().map(|d| d.choices.len()).product();
            if size > PAIR_BUDGET {
                eprintln!(
                    "{}: {size} classes ({:?})",
                    caller.arn(),
                    dims.iter()
                        .map(|d| (d.name.clone(), d.choices.len()))
                        .collect::<Vec<_>>()
                );
                skipped += 1;
                continue;
            }
            let classes = combos(&dims);
            // CreateGrant through a grant the caller holds: also ask for a
            // grant like it (the evaluator needs the grant asked for).
            let children: Vec<NewGrant> = key
                .grants
                .iter()
                .map(|&g| &inv.grants[g])
                .filter(|g| {
                    g.config.operations.contains(KmsAction::CreateGrant)
                        && g.grantee.relation(caller) & (EXACT | ROLE | ACCOUNT) != 0
                })
                .map(|g| NewGrant {
                    grantee: caller.principal_arn().to_string(),
                    operations: g.config.operations,
                    constraints: g.config.constraints.clone(),
                    retiring_principal: None,
                })
                .collect();
            for action in key_actions().iter() {
                let mut t = Tally::default();
                let variants: Vec<Option<&NewGrant>> = if action == KmsAction::CreateGrant {
                    std::iter::once(None)
                        .chain(children.iter().map(Some))
                        .collect()
                } else {
                    vec![None]
                };
                for facets in &classes {
                    for child in &variants {
                        let grant_keys_set = facets.iter().any(|f| {
                            matches!(f, Facet::Context { key, value: Some(_) }
                                if key.to_ascii_lowercase().starts_with("kms:grant")
                                    || key.eq_ignore_ascii_case("kms:retiringprincipal"))
                        });
                        if child.is_some() && grant_keys_set {
                            continue;
                        }
                        // An operation that takes no alias cannot name the
                        // key by one: KMS finds no key before reading any
                        // policy (NotFoundException), not a request on it.
                        let by_alias = facets.iter().any(|f| matches!(f, Facet::Alias(Some(_))));
                        if by_alias && !action.accepts_alias() {
                            continue;
                        }
                        t.total += 1;
                        let home = !facets
                            .iter()
                            .any(|f| matches!(f, Facet::Region(r) if *r != key.region));
                        t.home += usize::from(home);
                        let req = build_request(principal.id, key.id, action, facets, *child, &[])
                            .unwrap();
                        let r = inv.auth.decide(&req);
                        if r.decision() == Decision::Allow {
                            if r.error().is_some() {
                                t.failed += 1;
                                t.failed_home += usize::from(home);
                            } else {
                                t.ok += 1;
                            }
                        }
                    }
                }
                out.insert((p, action, k), t);
            }
        }
    }
    (out, skipped)
}

/// Compare who-can and what-can with brute force on one world; returns
/// (triples allowed, pairs skipped, pairs unknown).
fn compare(name: &str, inv: &Inventory<'_>) -> (usize, usize, usize) {
    let (bf, skipped) = brute_force(inv);
    let all = key_actions();
    let arn_of = |p: usize| inv.principals[p].rep.caller.arn().to_string();
    let mut unknown_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    let mut who: BTreeMap<Triple, reverse::Entry> = BTreeMap::new();
    for k in 0..inv.keys.len() {
        let report = reverse::who_can(inv, k, all);
        for u in &report.unknown {
            assert!(
                !u.reason.contains("internal"),
                "{name}: {} on {}: {}",
                u.principal,
                u.key,
                u.reason
            );
            unknown_pairs.insert((u.principal.clone(), u.key.clone()));
        }
        for e in report.entries {
            assert!(e.answer.is_some(), "{name}: every entry is explained");
            if e.kind != EntryKind::Principal {
                continue;
            }
            let Some(p) = inv
                .principals
                .iter()
                .position(|x| x.rep.caller.arn() == e.principal)
            else {
                continue;
            };
            if !e.conditional {
                assert!(
                    !e.witness.has_optional_context()
                        && e.witness.region.as_deref() == Some(inv.keys[k].region.as_str()),
                    "{name}: unconditional entry with optional context: {:?}",
                    e.witness
                );
            }
            assert!(
                who.insert((p, e.action, k), e).is_none(),
                "{name}: one entry per principal, action and key"
            );
        }
    }
    let mut what: BTreeSet<Triple> = BTreeSet::new();
    for p in 0..inv.principals.len() {
        let report = reverse::what_can(inv, p, &[], all);
        for e in &report.entries {
            let k = inv.keys.iter().position(|x| x.config.arn == e.key).unwrap();
            what.insert((p, e.action, k));
        }
    }
    let mut allowed = 0;
    for (&(p, action, k), t) in &bf {
        let pair = (arn_of(p), inv.keys[k].config.arn.clone());
        if unknown_pairs.contains(&pair) {
            continue;
        }
        let any = t.ok + t.failed > 0;
        let entry = who.get(&(p, action, k));
        assert_eq!(
            any,
            entry.is_some(),
            "{name}: brute force says {} may{} call {} on {} ({t:?}); who-can {}",
            pair.0,
            if any { "" } else { " not" },
            action.qualified_name(),
            pair.1,
            if entry.is_some() {
                "lists it"
            } else {
                "does not"
            }
        );
        assert_eq!(
            any,
            what.contains(&(p, action, k)),
            "{name}: what-can and brute force disagree on {} {} {}",
            pair.0,
            action.qualified_name(),
            pair.1
        );
        let Some(e) = entry else { continue };
        allowed += 1;
        // What the key's own Region answers comes first; requests sent
        // elsewhere (NotFoundException) count only when none is allowed there.
        let (conditional, error) = if t.ok > 0 {
            (t.ok < t.home, None)
        } else if t.failed_home > 0 {
            (t.failed_home < t.home, Some(()))
        } else {
            (t.failed < t.total, Some(()))
        };
        assert_eq!(
            e.conditional,
            conditional,
            "{name}: {} {} {}: conditional {} but brute force {t:?}; conditions {:?}",
            pair.0,
            action.qualified_name(),
            pair.1,
            e.conditional,
            e.conditions
        );
        assert_eq!(
            e.error.is_some(),
            error.is_some(),
            "{name}: {} {} {}: error {:?} but brute force {t:?}",
            pair.0,
            action.qualified_name(),
            pair.1,
            e.error
        );
    }
    for (&(p, action, k), e) in &who {
        assert!(
            bf.contains_key(&(p, action, k)) || skipped > 0,
            "{name}: who-can lists {} {} {} ({:?}) that brute force never tried",
            arn_of(p),
            action.qualified_name(),
            inv.keys[k].config.arn,
            e.conditions
        );
    }
    (allowed, skipped, unknown_pairs.len())
}

fn load_scenario(path: &Path) -> Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    let files = MemoryLoader::new();
    load(Source::new(path.to_string_lossy().as_ref(), text), &files)
        .unwrap_or_else(|p| panic!("{}: {:?}", path.display(), p[0].diagnostic.message))
}

fn inventory(s: &Scenario) -> Inventory<'_> {
    Inventory::new(&s.world, &InventoryOptions::default())
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/scenarios");
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                pending.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_agree_with_brute_force() {
    let mut allowed = 0;
    for path in fixtures() {
        let s = load_scenario(&path);
        let inv = inventory(&s);
        let (n, skipped, _) = compare(&path.display().to_string(), &inv);
        assert_eq!(skipped, 0, "{}: every pair enumerated", path.display());
        allowed += n;
    }
    assert!(allowed > 500, "the fixtures allow much: {allowed}");
}

const ACCOUNT_A: &str = "111122223333";
const ACCOUNT_B: &str = "444455556666";

const PRINCIPAL_ARNS: &[&str] = &[
    "arn:aws:iam::111122223333:user/Bob",
    "arn:aws:iam::111122223333:user/Alice",
    "arn:aws:iam::111122223333:user/dev/Carol",
    "arn:aws:iam::111122223333:role/Admin",
    "arn:aws:iam::111122223333:role/path/Dev",
    "arn:aws:sts::111122223333:assumed-role/Admin/s1",
    "arn:aws:iam::444455556666:user/Bob",
    "arn:aws:iam::444455556666:role/path/Dev",
    "arn:aws:sts::111122223333:federated-user/fed",
];

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn policy(statements: &[String]) -> Value {
    value(&format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
        statements.join(", ")
    ))
}

/// A random world: principals of two accounts (some sharing policies),
/// two or three keys (one perhaps disabled or in another Region), grants
/// with constraints, perhaps SCPs and RCPs.
fn world(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let shared: Vec<Value> = (0..3)
        .map(|_| {
            let n = 1 + rng.below(2);
            policy(
                &(0..n)
                    .map(|_| identity_statement(&mut rng))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let mut principals = serde_json::Map::new();
    let count = 3 + rng.below(5);
    let mut used = BTreeSet::new();
    for i in 0..count {
        let arn = *rng.pick(PRINCIPAL_ARNS);
        if !used.insert(arn) {
            continue;
        }
        let mut policies = Vec::new();
        for _ in 0..rng.below(3) {
            if rng.chance(60) {
                policies.push(rng.pick(&shared).clone());
            } else {
                policies.push(policy(&[identity_statement(&mut rng)]));
            }
        }
        let mut p = json!({"arn": arn, "policies": policies});
        match rng.below(4) {
            0 => p["tags"] = json!({"team": "blue"}),
            1 => p["tags"] = json!({"team": "red"}),
            _ => {}
        }
        if rng.chance(15) && !arn.contains("federated") {
            p["permissionsBoundary"] = rng.pick(&shared).clone();
        }
        if arn.contains("federated") {
            p["sessionPolicy"] = rng.pick(&shared).clone();
        }
        if rng.chance(15) && arn.contains(":user/") {
            p["userId"] = json!("AIDAEXAMPLE1234567890");
        }
        principals.insert(format!("p{i}"), p);
    }
    let delegation = format!(
        "{{\"Sid\": \"EnableIam\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"arn:aws:iam::{ACCOUNT_A}:root\"}}, \"Action\": \"kms:*\", \"Resource\": \"*\"}}"
    );
    let key_arns = [
        format!("arn:aws:kms:us-east-1:{ACCOUNT_A}:key/k1"),
        format!("arn:aws:kms:us-east-1:{ACCOUNT_A}:key/k2"),
        format!("arn:aws:kms:eu-west-1:{ACCOUNT_A}:key/mrk-3"),
    ];
    let mut keys = serde_json::Map::new();
    let key_count = 2 + rng.below(2);
    for (j, arn) in key_arns.iter().take(key_count).enumerate() {
        let mut stmts: Vec<String> = (0..1 + rng.below(3)).map(|_| statement(&mut rng)).collect();
        if rng.chance(70) {
            stmts.push(delegation.clone());
        }
        let mut k = json!({"arn": arn, "policy": policy(&stmts)});
        if rng.chance(15) {
            k["state"] = json!(*rng.pick(&["Disabled", "PendingDeletion"]));
        }
        if rng.chance(30) {
            k["aliases"] = json!(["alias/app"]);
        }
        if rng.chance(30) {
            k["tags"] = json!({"env": "prod"});
        }
        keys.insert(format!("key{j}"), k);
    }
    let mut grants = Vec::new();
    for _ in 0..rng.below(4) {
        let grantee = match rng.below(5) {
            0 => ACCOUNT_B.to_string(),
            1 => "ec2.amazonaws.com".to_string(),
            _ => rng.pick(PRINCIPAL_ARNS).to_string(),
        };
        let ops = rng.some(
            &[
                "Decrypt",
                "Encrypt",
                "DescribeKey",
                "CreateGrant",
                "RetireGrant",
                "GenerateDataKey",
            ],
            3,
        );
        let mut g = json!({"key": format!("key{}", rng.below(key_count)), "grantee": grantee, "operations": ops});
        match rng.below(3) {
            0 => g["constraints"] = json!({"encryptionContextSubset": {"Dept": "HR"}}),
            1 => g["constraints"] = json!({"encryptionContextEquals": {"Dept": "HR", "app": "x"}}),
            _ => {}
        }
        if rng.chance(30) {
            g["retiringPrincipal"] = json!(*rng.pick(PRINCIPAL_ARNS));
        }
        grants.push(g);
    }
    let mut scenario = json!({
        "region": "us-east-1",
        "principals": principals,
        "keys": keys,
        "grants": grants,
    });
    if rng.chance(30) {
        let everything =
            "{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}".to_string();
        let mut deny = identity_statement(&mut rng).replace("\"Allow\"", "\"Deny\"");
        if !deny.contains("\"Deny\"") {
            deny = everything.clone();
        }
        scenario["scps"] = json!({ACCOUNT_A: [policy(&[everything]), policy(&[deny])]});
    }
    if rng.chance(20) {
        let rcp = statement(&mut rng).replace("\"Allow\"", "\"Deny\"");
        let all =
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}"
                .to_string();
        scenario["rcps"] = json!({ACCOUNT_A: [policy(&[all, rcp])]});
    }
    serde_json::to_string_pretty(&scenario).unwrap()
}

#[test]
fn generated_worlds_agree_with_brute_force() {
    let (mut allowed, mut skipped, mut unknown, mut worlds) = (0, 0, 0, 0);
    for seed in 1..=60u64 {
        let text = world(seed);
        let files = MemoryLoader::new();
        let Ok(s) = load(Source::new(format!("world-{seed}.json"), text), &files) else {
            // A generated key policy KMS would refuse, or a grant naming an
            // impossible grantee: not a world.
            continue;
        };
        worlds += 1;
        let inv = inventory(&s);
        let (n, sk, u) = compare(&format!("world {seed}"), &inv);
        allowed += n;
        skipped += sk;
        unknown += u;
    }
    assert!(worlds >= 40, "most generated worlds load: {worlds}");
    assert!(allowed > 1_000, "generated worlds allow much: {allowed}");
    eprintln!("{worlds} worlds, {allowed} allowed triples, {skipped} pairs too large, {unknown} unknown pairs");
}

/// Who-can's entries for Bob on the first key of the scenario `text`.
fn bobs_entries(name: &str, text: &str) -> Vec<reverse::Entry> {
    let s = load(Source::new(name, text), &MemoryLoader::new()).unwrap();
    let inv = inventory(&s);
    let r = reverse::who_can(&inv, 0, key_actions());
    r.entries
        .into_iter()
        .filter(|e| e.principal.ends_with("user/Bob"))
        .collect()
}

#[test]
fn an_error_is_named_when_every_allowed_request_fails() {
    // A disabled key: its users are allowed, and KMS answers DisabledException.
    let text = r#"{"region": "us-east-1",
      "principals": {"bob": {"arn": "arn:aws:iam::111122223333:user/Bob"}},
      "keys": {"k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "state": "Disabled", "policy": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}]}}}}"#;
    let bob = bobs_entries("disabled.json", text);
    assert_eq!(bob.len(), 1);
    assert_eq!(bob[0].action, KmsAction::Decrypt);
    assert_eq!(bob[0].error, Some(KmsErrorKind::DisabledException));
    assert!(!bob[0].conditional);
}

/// A disabled key in an account whose SCP denies every Region but two:
/// sent to the key's Region, Bob's request is allowed and fails with
/// DisabledException; sent to eu-west-1 it would fail with
/// NotFoundException (rule 32), and elsewhere the SCP denies it. What KMS
/// answers in the key's own Region is the answer: always, but disabled —
/// not "only in two Regions".
#[test]
fn the_error_named_is_the_one_the_keys_own_region_answers() {
    let text = r#"{"region": "us-east-1",
      "principals": {"bob": {"arn": "arn:aws:iam::111122223333:user/Bob"}},
      "keys": {"k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "state": "Disabled", "policy": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*"}]}}},
      "scps": {"111122223333": [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}]}]}}"#;
    let bob = bobs_entries("disabled-scp.json", text);
    assert_eq!(bob.len(), 1, "{bob:?}");
    assert_eq!(bob[0].error, Some(KmsErrorKind::DisabledException));
    assert!(!bob[0].conditional, "{:?}", bob[0].conditions);
}

/// Allowed only when sent to another Region than the key's: listed, with
/// that Region as its condition and NotFoundException as KMS's answer.
#[test]
fn a_principal_allowed_only_in_another_region_is_listed_with_not_found() {
    let text = r#"{"region": "us-east-1",
      "principals": {"bob": {"arn": "arn:aws:iam::111122223333:user/Bob"}},
      "keys": {"k": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k", "policy": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "kms:Decrypt", "Resource": "*",
          "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}}}}"#;
    let bob = bobs_entries("elsewhere.json", text);
    assert_eq!(bob.len(), 1, "{bob:?}");
    assert_eq!(bob[0].action, KmsAction::Decrypt);
    assert_eq!(bob[0].error, Some(KmsErrorKind::NotFoundException));
    assert!(bob[0].conditional);
    let said = format!("{:?}", bob[0].conditions);
    assert!(said.contains("eu-west-1"), "{said}");
}

/// What a key's report says, for comparing reports made in different ways.
fn summary(inv: &Inventory<'_>, rows: &reverse::KeyRows) -> Vec<String> {
    let report = reverse::report::key_report(inv, rows, true);
    let mut lines: Vec<String> = report
        .entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {} conditional={} via={:?} error={:?} conditions={:?}",
                e.principal,
                e.action.qualified_name(),
                e.key,
                e.conditional,
                e.via,
                e.error,
                e.conditions
            )
        })
        .chain(
            report
                .unknown
                .iter()
                .map(|u| format!("unknown {} {} {}", u.principal, u.key, u.reason)),
        )
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_account_report_on_several_threads_sharing_answers_is_the_one_of_each_key_alone() {
    let mut compared = 0;
    for seed in 1..=60u64 {
        let files = MemoryLoader::new();
        let Ok(s) = load(
            Source::new(format!("world-{seed}.json"), world(seed)),
            &files,
        ) else {
            continue;
        };
        let inv = inventory(&s);
        let all = key_actions();
        let alone: Vec<Vec<String>> = (0..inv.keys.len())
            .map(|k| summary(&inv, &reverse::Reverse::new(&inv).key_rows(k, all)))
            .collect();
        for threads in [1, 2, 3] {
            let rows = reverse::parallel::account(&inv, all, threads).unwrap();
            assert_eq!(rows.len(), inv.keys.len(), "world {seed}: every key, once");
            for (k, r) in rows.iter().enumerate() {
                assert_eq!(r.key, k, "world {seed}: keys in order");
                assert_eq!(
                    summary(&inv, r),
                    alone[k],
                    "world {seed}, key {k}, {threads} threads"
                );
                compared += alone[k].len();
            }
        }
    }
    assert!(compared > 1_000, "the reports say much: {compared}");
}
