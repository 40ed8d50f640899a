//! Who-can on the synthetic snapshot generator's large account, set up for
//! a side-by-side comparison with iam-simulate (`bench/iam-simulate/who-can.sh`):
//! a seeded sample of principals × every KMS action on `alias/data-500`,
//! each request with the policies iam-simulate takes (read from the AWS
//! CLI files, not from keyward's loader), keyward's answer (who-can and
//! the forward evaluator), and keyward's timings.
//!
//! `cargo run --release -p keyward-analysis --example who_can_sample -- OUT.json [SAMPLE] [SEED] [ROUNDS]`

mod keyward;
mod raw;

use std::time::Duration;

use keyward_analysis::reverse::{report, Inventory, InventoryOptions, Reverse};
use keyward_eval::{Caller, CallerKind, Decision};
use keyward_snapshot::synthetic::{generate, Spec, ACCOUNT, REGION};
use keyward_snapshot::{load, LoadOptions};
use serde_json::{json, Map, Value};

#[path = "../../benches/support/snapshot_facts.rs"]
mod snapshot_facts;
use snapshot_facts::SnapshotFacts;

const KEY: &str = "alias/data-500";

fn main() {
    if let Err(e) = run() {
        eprintln!("who_can_sample: {e}");
        std::process::exit(1);
    }
}

fn arg<T: std::str::FromStr>(n: usize, default: T) -> Result<T, String> {
    match std::env::args().nth(n) {
        None => Ok(default),
        Some(a) => a
            .parse()
            .map_err(|_| format!("argument {n}: `{a}` is not a number")),
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn run() -> Result<(), String> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: who_can_sample OUT.json [SAMPLE] [SEED] [ROUNDS]")?;
    let (n, seed, rounds) = (arg(2, 300usize)?, arg(3, 14u64)?, arg(4, 5usize)?);

    let files = generate(&Spec::large());
    let snapshot = load(&files, &LoadOptions::default());
    let whole = snapshot.whole_world();
    let facts = SnapshotFacts(&whole);
    let options = InventoryOptions {
        held_accounts: Some(&whole.held_accounts),
        facts: Some(&facts),
    };
    let inv = Inventory::new(&whole.builder, &options);
    let k = inv.key(KEY)?;
    let key_arn = inv.keys[k].config.arn.clone();
    let key_id = key_arn
        .split_once(":key/")
        .map(|(_, id)| id.to_string())
        .ok_or_else(|| format!("{KEY} is {key_arn}, not a key ARN"))?;

    let sampled = keyward::sample(&inv, k, n, &mut keyward::Seeded::new(seed));
    let answers = keyward::answers(&inv, k, &sampled)?;
    let inconsistent: Vec<_> = answers.iter().filter(|a| a.inconsistent).collect();
    for a in &inconsistent {
        eprintln!(
            "who-can and the forward evaluator disagree: {} {} : who-can {}, forward {}",
            inv.principals[a.principal].name,
            a.action,
            a.who_can.as_str(),
            a.forward
        );
    }

    // Timings: who-can for the whole key (every principal, every action),
    // and the forward evaluator on each sampled request.
    let actions = report::all_actions();
    let (rows_best, rows_median, row_count) = keyward::time(rounds, || {
        Reverse::new(&inv).key_rows(k, actions).rows.len()
    });
    let (entries_best, entries_median, entry_count) = keyward::time(rounds, || {
        let rows = Reverse::new(&inv).key_rows(k, actions);
        report::key_report(&inv, &rows, false).entries.len()
    });
    let (explained_best, explained_median, _) = keyward::time(rounds, || {
        let rows = Reverse::new(&inv).key_rows(k, actions);
        report::key_report(&inv, &rows, true).entries.len()
    });
    let forward_rounds = rounds * 4;
    let (fwd_best, fwd_median, allowed) = keyward::time(forward_rounds, || {
        answers
            .iter()
            .filter(|a| inv.auth.decide(&a.request).decision() == Decision::Allow)
            .count()
    });
    let per = |d: Duration| d.as_secs_f64() * 1e9 / answers.len().max(1) as f64;

    let (key_policy, key_tags) = raw::key(&files, ACCOUNT, REGION, &key_id)?;
    let raw = raw::read(&files, ACCOUNT)?;
    let mut principals = Vec::new();
    let mut index = std::collections::HashMap::new();
    for &p in &sampled {
        let caller = inv
            .auth
            .caller(inv.principals[p].id)
            .ok_or("a sampled principal has no caller")?;
        index.insert(p, principals.len());
        principals.push(simulated(caller, &raw)?);
    }
    let mut resource_context = Map::new();
    resource_context.insert("aws:ResourceAccount".into(), json!(ACCOUNT));
    resource_context.insert("aws:ResourceOrgID".into(), json!(raw.org_id));
    resource_context.insert("aws:ResourceOrgPaths".into(), json!([raw.org_path]));
    resource_context.insert("aws:RequestedRegion".into(), json!(REGION));
    for (t, v) in &key_tags {
        resource_context.insert(format!("aws:ResourceTag/{t}"), json!(v));
    }
    let requests: Vec<Value> = answers
        .iter()
        .map(|a| {
            json!({
                "principal": index.get(&a.principal),
                "action": a.action.to_string(),
                "whoCan": a.who_can.as_str(),
                "forward": a.forward.as_str(),
                "via": a.path.map(|p| p.as_str()),
                "error": a.error,
                "excluded": a.excluded,
            })
        })
        .collect();
    let doc = json!({
        "key": {"name": KEY, "arn": key_arn, "policy": key_policy},
        "account": ACCOUNT,
        "serviceControlPolicies": raw.scps,
        "resourceControlPolicies": raw.rcps,
        "resourceContext": resource_context,
        "principals": principals,
        "requests": requests,
        "sizes": {
            "principals": inv.principals.len(),
            "profiles": inv.profiles.len(),
            "actions": actions.iter().count(),
            "sampled": sampled.len(),
            "whoCanRows": row_count,
            "whoCanEntries": entry_count,
        },
        "inconsistent": inconsistent.len(),
        "timing": {
            "rounds": rounds,
            "whoCanRowsMs": [micros(rows_best) / 1e3, micros(rows_median) / 1e3],
            "whoCanEntriesMs": [micros(entries_best) / 1e3, micros(entries_median) / 1e3],
            "whoCanExplainedMs": [micros(explained_best) / 1e3, micros(explained_median) / 1e3],
            "forwardRounds": forward_rounds,
            "forwardNsPerDecision": [per(fwd_best), per(fwd_median)],
            "forwardAllowed": allowed,
        },
    });
    let text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    std::fs::write(&out, text).map_err(|e| format!("{out}: {e}"))?;
    if inconsistent.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} requests where who-can and the forward evaluator disagree",
            inconsistent.len()
        ))
    }
}

/// A principal as iam-simulate takes it: the ARN it calls as (a role calls
/// through a session), its policies from the raw files, and the context
/// AWS adds to each of its requests.
fn simulated(caller: &Caller, raw: &raw::Raw) -> Result<Value, String> {
    let arn = caller.principal_arn();
    let account = caller.account();
    let (calls_as, kind) = match caller.kind() {
        CallerKind::AssumedRole { role, .. } => (
            format!("arn:aws:sts::{account}:assumed-role/{role}/who-can-sample"),
            "AssumedRole",
        ),
        CallerKind::User { .. } => (arn.to_string(), "User"),
        CallerKind::Root => (arn.to_string(), "Account"),
        other => return Err(format!("{arn}: a {other:?} is not sampled")),
    };
    let empty = raw::RawPrincipal {
        identity: Vec::new(),
        boundary: None,
        tags: Vec::new(),
    };
    let found = raw.principals.get(arn);
    if found.is_none() && !caller.is_root() {
        return Err(format!("{arn}: not in the IAM export"));
    }
    let p = found.unwrap_or(&empty);
    let mut context = Map::new();
    context.insert("aws:PrincipalArn".into(), json!(arn));
    context.insert("aws:PrincipalAccount".into(), json!(account));
    context.insert("aws:PrincipalType".into(), json!(kind));
    context.insert("aws:PrincipalIsAWSService".into(), json!("false"));
    context.insert("aws:PrincipalOrgID".into(), json!(raw.org_id));
    context.insert("aws:PrincipalOrgPaths".into(), json!([raw.org_path]));
    context.insert("kms:CallerAccount".into(), json!(account));
    for (t, v) in &p.tags {
        context.insert(format!("aws:PrincipalTag/{t}"), json!(v));
    }
    Ok(json!({
        "arn": arn,
        "callsAs": calls_as,
        "identityPolicies": p.identity,
        "permissionBoundaryPolicies": p.boundary.iter().collect::<Vec<_>>(),
        "context": context,
    }))
}
